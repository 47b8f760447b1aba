import path from 'node:path';
import type { Article, ArticleGroup, Brand, Collection, Model } from '../content/model.ts';
import { Problems } from '../content/problems.ts';
import { languageName } from '../i18n/languages.ts';
import { uiStrings } from '../i18n/index.ts';
import { MarkdownError } from '../markdown/errors.ts';
import { renderMarkdown, type RenderOptions } from '../markdown/render.ts';
import { directionOf } from '../schemas/index.ts';
import { localize } from '../i18n/localize.ts';
import { computeRelated } from './related.ts';
import type {
  ArticlePage,
  ArticleSummary,
  BrandSite,
  CollectionCard,
  CollectionPage,
  HomePage,
  HomeSectionData,
  LanguageOption,
  Link,
  PageData,
  SiteData,
} from './types.ts';
import { urls } from './urls.ts';

export interface ComputeOptions {
  mode: 'build' | 'dev';
  /** Only this brand (dev). */
  brand?: string | undefined;
}

/**
 * Turns the content model into every page of every brand: URLs, listings, breadcrumbs, language
 * alternates, related articles and rendered Markdown. Each article is rendered once per language
 * and shared by every brand that publishes it.
 */
export async function computeSite(
  model: Model,
  options: ComputeOptions,
): Promise<{ site: SiteData; problems: Problems }> {
  const brands = model.brands.filter((b) => !options.brand || b.id === options.brand);
  if (options.brand && !brands.length)
    throw new Error(`no brand "${options.brand}"; brands: ${model.brands.map((b) => b.id).join(', ')}`);
  const problems = new Problems();
  const renderer = new ArticleRenderer(problems);
  const sites: BrandSite[] = [];
  for (const brand of brands) sites.push(await computeBrand(model, brand, options.mode, renderer));
  return { site: { mode: options.mode, brands: sites }, problems };
}

/** Renders each article file once, whichever brands and pages show it. */
class ArticleRenderer {
  #cache = new Map<string, ReturnType<typeof renderMarkdown>>();
  #problems: Problems;

  constructor(problems: Problems) {
    this.#problems = problems;
  }

  render(article: Article): ReturnType<typeof renderMarkdown> {
    let result = this.#cache.get(article.file);
    if (!result) {
      const links = new Map(
        article.links.map((l) => [l.href, urls.article(l.targetLanguage, l.targetId) + l.hash]),
      );
      const images = new Map(article.images.map((i) => [i.src, i.file]));
      result = renderMarkdown(article.body, article.format, {
        language: article.language,
        labels: markdownLabels(article.language),
        resolveLink: (href) => links.get(href),
        resolveImage: (src) => images.get(src),
      }).catch((error: unknown) => {
        // e.g. an MDX component that does not exist: the writer's problem, reported like any other.
        const line =
          error instanceof MarkdownError && error.line ? article.bodyLine + error.line - 1 : undefined;
        this.#problems.error(article.file, line, error instanceof Error ? error.message : String(error));
        return { html: '', images: [], headings: [], text: '' };
      });
      this.#cache.set(article.file, result);
    }
    return result;
  }
}

function markdownLabels(language: string): RenderOptions['labels'] {
  const t = uiStrings(language);
  return {
    note: t('markdown.note'),
    tip: t('markdown.tip'),
    important: t('markdown.important'),
    warning: t('markdown.warning'),
    caution: t('markdown.caution'),
    footnotes: t('markdown.footnotes'),
    anchor: t('markdown.anchor'),
    table: t('markdown.table'),
  };
}

async function computeBrand(
  model: Model,
  brand: Brand,
  mode: SiteData['mode'],
  renderer: ArticleRenderer,
): Promise<BrandSite> {
  const hc = brand.helpCenter;
  const dev = mode === 'dev';
  const origin = `https://${brand.domain}`;
  const files: Record<string, string> = {};
  const publish = (file: string | undefined, name: string): string | undefined => {
    if (!file) return undefined;
    const url = `/_brand/${name}${path.extname(file).toLowerCase()}`;
    files[url] = file;
    return url;
  };
  const images: BrandSite['images'] = {
    icon: publish(brand.assets.icon, 'icon'),
    favicon: publish(brand.assets.favicon, 'favicon'),
    socialImage: publish(brand.assets.socialImage, 'social'),
    headerLogo: publish(brand.assets.headerLogo ?? brand.assets.icon, 'logo'),
    footerLogo: publish(brand.assets.footerLogo, 'footer-logo'),
    heroImage: publish(brand.assets.heroImage, 'hero'),
  };
  if (brand.assets.favicon)
    images.faviconType = {
      '.svg': 'image/svg+xml',
      '.png': 'image/png',
      '.jpg': 'image/jpeg',
      '.jpeg': 'image/jpeg',
    }[path.extname(brand.assets.favicon).toLowerCase()];
  const avatars = new Map<string, string | undefined>();
  for (const [key, author] of model.authors) avatars.set(key, publish(author.avatarFile, `avatars/${key}`));

  /** Is this translation built at all, and is it in the listings? */
  const built = (t: Article | undefined): t is Article =>
    !!t && (t.state === 'published' || dev) && t.visibility !== 'internal';
  const listed = (group: ArticleGroup, t: Article | undefined): t is Article =>
    built(t) && t.visibility === 'public' && group.collection !== undefined;
  const isPrivate = (t: Article) => t.visibility === 'private' && !dev;

  // Per language: which collections hold a listed article (at any depth), and how many.
  const counts = new Map<string, Map<Collection, number>>();
  for (const lang of brand.languages) {
    const map = new Map<Collection, number>();
    for (const group of hc.articles.values())
      if (listed(group, group.translations.get(lang)))
        for (let c = group.collection; c; c = c.parent) map.set(c, (map.get(c) ?? 0) + 1);
    counts.set(lang, map);
  }
  const collectionListed = (c: Collection, lang: string) => (counts.get(lang)?.get(c) ?? 0) > 0;

  const pages: PageData[] = [];
  const redirects: BrandSite['redirects'] = [];
  const markdownCopies: BrandSite['markdownCopies'] = [];
  const canonical = (url: string) => origin + url;
  const noindexAll = !brand.config.indexing;

  const languageOptions = (
    current: string,
    hrefFor: (lang: string) => string | undefined,
  ): LanguageOption[] =>
    brand.languages.map((lang) => ({
      lang,
      name: languageName(lang),
      href: hrefFor(lang),
      current: lang === current,
    }));
  const alternatesOf = (options: LanguageOption[]) => {
    const list = options.filter((o) => o.href).map((o) => ({ hreflang: o.lang, href: canonical(o.href!) }));
    const fallback =
      options.find((o) => o.lang === brand.defaultLanguage && o.href) ?? options.find((o) => o.href);
    if (fallback && list.length) list.push({ hreflang: 'x-default', href: canonical(fallback.href!) });
    return list;
  };
  const base = (
    lang: string,
    url: string,
    title: string,
    description: string,
    breadcrumbs: Link[],
    languages: LanguageOption[],
  ) => ({
    url,
    private: false,
    lang,
    dir: directionOf(lang),
    title,
    description,
    canonical: canonical(url),
    alternates: alternatesOf(languages),
    breadcrumbs,
    languages,
    noindex: noindexAll,
    ogType: 'website' as const,
  });

  const cardOf = (c: Collection, lang: string): CollectionCard => ({
    href: urls.collection(lang, c.path),
    name: c.name[lang] ?? c.id,
    description: c.description[lang] ?? '',
    icon:
      'file' in c.icon
        ? { src: publish(c.icon.file, `icons/${hc.id}-${c.path.join('-')}`)! }
        : { builtin: c.icon.builtin },
    articleCount: counts.get(lang)?.get(c) ?? 0,
  });
  const summaryOf = (t: Article): ArticleSummary => ({
    href: urls.article(t.language, t.id),
    title: t.title,
    description: t.description,
  });
  const crumbsTo = (collection: Collection | undefined, lang: string): Link[] => {
    const t = uiStrings(lang);
    const chain: Link[] = [];
    for (let c = collection; c; c = c.parent)
      chain.unshift({ label: c.name[lang] ?? c.id, href: urls.collection(lang, c.path) });
    return [{ label: t('site.home'), href: urls.home(lang) }, ...chain];
  };

  for (const lang of brand.languages) {
    const t = uiStrings(lang);
    const topLevel = hc.collections.filter((c) => collectionListed(c, lang));

    // Home
    const homeUrl = urls.home(lang);
    const homeLanguages = languageOptions(lang, (l) => urls.home(l));
    const sections: HomeSectionData[] = [];
    for (const section of brand.config.home.sections) {
      const title = localize(section.title, lang, brand.defaultLanguage);
      if (section.type === 'collections')
        sections.push({
          type: 'collections',
          title: title ?? t('home.collections'),
          collections: topLevel.map((c) => cardOf(c, lang)),
        });
      else if (section.type === 'articles') {
        const articles = section.ids
          .map((id) => hc.articles.get(id))
          .map((g) => g && g.translations.get(lang))
          .filter((a): a is Article => built(a) && a.visibility === 'public')
          .map(summaryOf);
        if (articles.length)
          sections.push({ type: 'articles', title: title ?? t('home.featured'), articles });
      } else if (section.type === 'content') {
        const markdown = localize(section.markdown, lang, brand.defaultLanguage) ?? '';
        const rendered = await renderMarkdown(markdown, 'md', {
          language: lang,
          labels: markdownLabels(lang),
          resolveLink: () => undefined,
          resolveImage: () => undefined,
        });
        sections.push({ type: 'content', title, html: rendered.html });
      } else sections.push({ type: 'tickets', title: title ?? t('home.tickets'), url: section.url });
    }
    pages.push({
      ...base(
        lang,
        homeUrl,
        localize(brand.config.header.title, lang, brand.defaultLanguage) ?? brand.config.name,
        '',
        [],
        homeLanguages,
      ),
      kind: 'home',
      description: localize(brand.config.hero.welcome, lang, brand.defaultLanguage) ?? t('home.welcome'),
      welcome: localize(brand.config.hero.welcome, lang, brand.defaultLanguage) ?? t('home.welcome'),
      sections,
    } satisfies HomePage);

    pages.push({
      ...base(
        lang,
        urls.search(lang),
        t('search.pageTitle'),
        '',
        [{ label: t('site.home'), href: homeUrl }],
        languageOptions(lang, (l) => urls.search(l)),
      ),
      noindex: true,
      kind: 'search',
    });

    // Collections
    for (const collection of hc.collectionsByPath.values()) {
      if (!collectionListed(collection, lang)) continue;
      const name = collection.name[lang] ?? collection.id;
      const options = languageOptions(lang, (l) =>
        collectionListed(collection, l) ? urls.collection(l, collection.path) : undefined,
      );
      const articles: ArticleSummary[] = [];
      for (const group of collection.articles) {
        const translation = group.translations.get(lang);
        if (listed(group, translation)) articles.push(summaryOf(translation));
      }
      pages.push({
        ...base(
          lang,
          urls.collection(lang, collection.path),
          name,
          collection.description[lang] ?? '',
          crumbsTo(collection.parent, lang),
          options,
        ),
        kind: 'collection',
        name,
        icon: cardOf(collection, lang).icon,
        subcollections: collection.children
          .filter((c) => collectionListed(c, lang))
          .map((c) => cardOf(c, lang)),
        articles,
      } satisfies CollectionPage);
    }

    // Articles
    const candidates: { group: ArticleGroup; article: Article }[] = [];
    for (const group of hc.articles.values()) {
      const translation = group.translations.get(lang);
      if (listed(group, translation)) candidates.push({ group, article: translation });
    }
    const relatedCount = brand.theme.theme.article.relatedArticles;
    const computed = relatedCount ? computeRelated(candidates, relatedCount) : new Map<string, string[]>();
    const publicSummary = (id: string) => {
      const group = hc.articles.get(id);
      const translation = group?.translations.get(lang);
      return group && listed(group, translation) ? summaryOf(translation) : undefined;
    };
    for (const group of hc.articles.values()) {
      const article = group.translations.get(lang);
      if (!built(article)) continue;
      const privatePage = isPrivate(article);
      const url = urls.article(lang, group.id);
      const options = languageOptions(lang, (l) => {
        const other = group.translations.get(l);
        return built(other) ? urls.article(l, group.id) : undefined;
      });
      const rendered = await renderer.render(article);
      const author = article.author ? model.authors.get(article.author) : undefined;
      const related = (article.related ?? computed.get(group.id) ?? [])
        .map(publicSummary)
        .filter((s): s is ArticleSummary => s !== undefined)
        .slice(0, relatedCount);
      const badges: ArticlePage['badges'] = [];
      if (article.state === 'draft') badges.push('draft');
      if (article.visibility === 'private') badges.push('private');
      if (article.visibility === 'unlisted') badges.push('unlisted');
      const showAuthor = brand.theme.theme.showAuthors && author;
      const crumbs = crumbsTo(group.collection, lang);
      pages.push({
        ...base(lang, url, article.title, article.description, crumbs, options),
        private: privatePage,
        noindex: noindexAll || article.visibility !== 'public' || article.state === 'draft',
        ogType: 'article',
        kind: 'article',
        id: group.id,
        html: rendered.html,
        images: rendered.images,
        toc: (article.toc ?? brand.theme.theme.article.toc) ? rendered.headings : [],
        author: showAuthor
          ? { name: author.name, title: author.title, avatar: avatars.get(author.key) }
          : undefined,
        updated: article.updated.toISOString(),
        related,
        badges,
        reactions:
          brand.config.reactions?.endpoint || brand.config.analytics
            ? { endpoint: brand.config.reactions?.endpoint, ga4: !!brand.config.analytics }
            : undefined,
        collectionPath: crumbs.slice(1).map((c) => c.label),
        searchable:
          article.state === 'published' &&
          group.collection !== undefined &&
          (article.visibility === 'public' || article.visibility === 'private'),
      } satisfies ArticlePage);
      if (!privatePage) {
        for (const alias of article.aliases) {
          const from = urls.article(lang, alias);
          redirects.push({ from, to: url });
          pages.push({
            ...base(lang, from, article.title, article.description, [], options),
            canonical: canonical(url),
            alternates: [],
            noindex: true,
            kind: 'redirect',
            to: url,
          });
        }
        if (article.visibility === 'public' && article.state === 'published')
          markdownCopies.push({
            url: urls.articleMarkdown(lang, group.id),
            markdown: markdownCopy(article, origin),
          });
      }
    }
  }

  // The root sends visitors to their language; 404 speaks the default one.
  const defaultT = uiStrings(brand.defaultLanguage);
  const rootLanguages = languageOptions(brand.defaultLanguage, (l) => urls.home(l));
  pages.push({
    ...base(brand.defaultLanguage, urls.root(), brand.config.name, '', [], rootLanguages),
    kind: 'root',
    targets: brand.languages.map((lang) => ({ lang, name: languageName(lang), href: urls.home(lang) })),
  });
  pages.push({
    ...base(brand.defaultLanguage, urls.notFound(), defaultT('notFound.title'), '', [], rootLanguages),
    alternates: [],
    noindex: true,
    kind: 'not-found',
  });

  return {
    id: brand.id,
    name: brand.config.name,
    domain: brand.domain,
    origin,
    languages: brand.languages,
    defaultLanguage: brand.defaultLanguage,
    timeZone: model.workspace.timezone,
    indexing: brand.config.indexing,
    themeName: brand.theme.name,
    theme: brand.theme.theme,
    config: brand.config,
    files,
    images,
    pages,
    redirects,
    markdownCopies,
  };
}

/**
 * The `.md` copy agents read: title, summary, source URL, then the Markdown as written with its
 * article links pointing at absolute URLs (an agent has no content tree to resolve `refunds.md`).
 */
function markdownCopy(article: Article, origin: string): string {
  let body = article.body.trim();
  for (const link of article.links)
    body = body
      .split(`](${link.href}`)
      .join(`](${origin}${urls.article(link.targetLanguage, link.targetId)}${link.hash}`);
  const description = article.description ? `\n> ${article.description.replace(/\n/g, ' ')}\n` : '';
  return `# ${article.title}\n${description}\nSource: ${origin}${urls.article(article.language, article.id)}\n\n${body}\n`;
}
