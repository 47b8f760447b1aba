import type { Article, ArticleGroup } from '../../content/model.ts';
import type { BrandContext } from '../context.ts';
import { urls } from '../layout.ts';
import { relatedArticles } from '../related.ts';
import type {
  ArticlePage,
  ArticleSummary,
  BrandSite,
  LanguageOption,
  RedirectPage,
  SignInPage,
} from '../types.ts';
import { signInPage } from './private.ts';
import { isListed, namesTranslation, visibilityOf } from '../visibility.ts';

/** Everything one language's articles add to a brand's site. */
export interface ArticleOutput {
  pages: (ArticlePage | RedirectPage | SignInPage)[];
  redirects: BrandSite['redirects'];
  markdownCopies: BrandSite['markdownCopies'];
}

/**
 * The article pages of one language, with the redirect pages of their former URLs and the `.md`
 * copies of the public ones. Related articles are the writer's choice or computed, and only ever
 * listed ones.
 */
export async function articlePages(ctx: BrandContext, lang: string): Promise<ArticleOutput> {
  const { brand, model } = ctx;
  const hc = brand.helpCenter;
  const { theme } = brand.theme;
  const out: ArticleOutput = { pages: [], redirects: [], markdownCopies: [] };

  const candidates: { group: ArticleGroup; article: Article }[] = [];
  for (const group of hc.articles.values()) {
    const article = group.translations.get(lang);
    if (isListed(group, article, ctx.mode)) candidates.push({ group, article });
  }
  const relatedCount = theme.article.relatedArticles;
  // The candidates are the help center's listed articles: the same for every brand that publishes it.
  const key = `${lang}\0${relatedCount}`;
  let computed = ctx.related.get(key);
  if (!computed)
    ctx.related.set(
      key,
      (computed = relatedCount ? relatedArticles(candidates, relatedCount, ctx.relatedCache) : new Map()),
    );
  const listedSummary = (id: string): ArticleSummary[] => {
    const group = hc.articles.get(id);
    const article = group?.translations.get(lang);
    return group && isListed(group, article, ctx.mode) ? [ctx.summary(article)] : [];
  };
  const reactions =
    brand.config.reactions?.endpoint || brand.config.analytics
      ? { endpoint: brand.config.reactions?.endpoint, ga4: !!brand.config.analytics }
      : undefined;

  for (const group of hc.articles.values()) {
    const article = group.translations.get(lang);
    if (!article) continue;
    const seen = visibilityOf(group, article, ctx.scope);
    if (!seen.built) continue;
    const url = urls.article(lang, group.id);
    const languages = ctx.languageOptions(lang, (l) =>
      namesTranslation(article, group.translations.get(l), ctx.mode) ? urls.article(l, group.id) : undefined,
    );
    const rendered = await ctx.renderer.render(article);
    const author = article.author ? model.authors.get(article.author) : undefined;
    const crumbs = ctx.breadcrumbs(group.collection, lang);
    const base = ctx.base(lang, url, article.title, article.description, crumbs, languages);
    out.pages.push({
      ...base,
      private: seen.private,
      noindex: seen.noindex,
      sitemap: seen.sitemap,
      ogType: 'article',
      kind: 'article',
      id: group.id,
      html: rendered.html,
      bodyKey: ctx.renderer.keyOf(rendered),
      images: rendered.images,
      toc: (article.toc ?? theme.article.toc) ? rendered.headings : [],
      // An avatar is published only where a page shows it.
      author:
        theme.showAuthors && author
          ? {
              name: author.name,
              title: author.title,
              avatar: ctx.publish(author.avatarFile, `avatars/${author.key}`),
            }
          : undefined,
      updated: article.updated.toISOString(),
      related: (article.related ?? computed.get(group.id) ?? [])
        .flatMap(listedSummary)
        .slice(0, relatedCount),
      badges: seen.badges,
      reactions,
      collectionPath: crumbs.slice(1).map((c) => c.label),
      searchable: seen.search !== undefined,
      audiences: seen.audiences,
    });
    if (seen.private) {
      out.pages.push(signInPage(ctx, lang, url));
      continue;
    }
    // A private article's former URLs stay unknown to the public tree.
    for (const alias of article.aliases) {
      const redirect = redirectPage(ctx, lang, alias, url, article.title, article.description, languages);
      out.redirects.push(...redirect.redirects);
      out.pages.push(redirect.page);
    }
    if (seen.publicFeed) out.markdownCopies.push(urls.articleMarkdown(lang, group.id));
  }
  return out;
}

/**
 * The redirect page of one former URL, and its `_redirects` lines. A former id (`old-refunds`) is
 * the article URL it had in this language, as Signpost spells it (`/en/articles/old-refunds/`); a
 * former URL path (`/en/articles/123-refunds`, normalized by the schema) is the exact path the old
 * help center served, which the line matches both without and with a trailing slash, since hosts
 * differ in whether they add one before matching. The page (at the path's `index.html`) forwards
 * visitors where the host reads no `_redirects`, and the gate.
 */
export function redirectPage(
  ctx: BrandContext,
  lang: string,
  alias: string,
  to: string,
  title: string,
  description: string,
  languages: LanguageOption[],
): { page: RedirectPage; redirects: BrandSite['redirects'] } {
  const path = alias.startsWith('/');
  const from = path ? urls.formerPath(alias) : urls.article(lang, alias);
  const redirects = path && from !== alias ? [alias, from] : [from];
  return {
    redirects: redirects.map((f) => ({ from: f, to })),
    page: {
      ...ctx.base(lang, from, title, description, [], languages),
      canonical: ctx.canonical(to),
      alternates: [],
      noindex: true,
      kind: 'redirect',
      to,
    },
  };
}
