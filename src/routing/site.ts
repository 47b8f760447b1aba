import type { Article, Brand, Model } from '../content/model.ts';
import { Problems } from '../content/problems.ts';
import { BrandContext, type RelatedArticles } from './context.ts';
import { searchIndexParts, urls } from './layout.ts';
import { articlePages } from './pages/articles.ts';
import { brandChrome, brandFonts, brandHero, brandImages } from './pages/brand.ts';
import { collectionPages, collectionRedirects } from './pages/collections.ts';
import { homePage, searchPage } from './pages/home.ts';
import { notFoundPage, rootPage } from './pages/fixed.ts';
import { notAvailablePages } from './pages/private.ts';
import type { RenderCache } from '../markdown/render-cache.ts';
import type { RelatedCache } from './related.ts';
import { ArticleRenderer } from './render.ts';
import type { BrandSite, PageData, SearchSetup, SiteData } from './types.ts';
import { inPublicSearch, type Mode } from './visibility.ts';

export interface ComputeOptions {
  mode: Mode;
  /** Only this brand (dev). */
  brand?: string | undefined;
  /** Searchable pages per Pagefind pass for every language (`searchIndexParts`), when set. */
  searchPagesPerPass?: number | undefined;
  /** The build's render cache (`ArticleRenderer`). */
  renders?: RenderCache | undefined;
  /** False: no render thread, however many bodies there are to render (`ArticleRenderer.prefetch`). */
  renderThread?: boolean | undefined;
  /** Where related articles a previous build computed are kept (the build's load cache). */
  relatedCache?: RelatedCache | undefined;
}

/**
 * Turns the content model into every page of every brand: URLs, listings, breadcrumbs, language
 * alternates, related articles and rendered Markdown. Each article is rendered once per language
 * and shared by every brand that publishes it. The renderer is returned too: the knowledge feed
 * asks it for the same renders (rendering takes an article's one parse, so a second renderer
 * would parse every body again).
 */
export async function computeSite(
  model: Model,
  options: ComputeOptions,
): Promise<{ site: SiteData; problems: Problems; renderer: ArticleRenderer }> {
  const brands = model.brands.filter((b) => !options.brand || b.id === options.brand);
  if (options.brand && !brands.length)
    throw new Error(`no brand "${options.brand}"; brands: ${model.brands.map((b) => b.id).join(', ')}`);
  const problems = new Problems();
  const renderer = new ArticleRenderer(problems, model.workspace.embeds.hosts, options.renders);
  // A build renders every published article of its brands' languages, for pages or the feeds.
  if (options.mode === 'build' && options.renderThread !== false)
    renderer.prefetch(publishedArticles(model, brands));
  const sites: BrandSite[] = [];
  // Related articles, computed once per help center for every brand that publishes it.
  const related: RelatedArticles = new Map();
  for (const brand of brands)
    sites.push(
      await computeBrand(
        new BrandContext(model, brand, options.mode, renderer, related, options.relatedCache),
        options.searchPagesPerPass,
      ),
    );
  const audiences = Object.fromEntries([...model.audiences].map(([key, a]) => [key, { rules: a.rules }]));
  const embedHosts = [...model.workspace.embeds.hosts];
  return {
    site: { mode: options.mode, brands: sites, problems: [], audiences, embedHosts },
    problems,
    renderer,
  };
}

/**
 * Every published article of the brands' help centers and of `internal/`, in their languages: in
 * the order the route data asks for them (brand, language, help center order), then the internal
 * ones, which only the feeds render.
 */
function* publishedArticles(model: Model, brands: Brand[]): Generator<Article> {
  const languages = new Set<string>();
  for (const brand of brands)
    for (const lang of brand.languages) {
      languages.add(lang);
      for (const group of brand.helpCenter.articles.values()) {
        const article = group.translations.get(lang);
        if (article?.state === 'published') yield article;
      }
    }
  for (const group of model.internal.articles.values())
    for (const article of group.translations.values())
      if (article.state === 'published' && languages.has(article.language)) yield article;
}

/**
 * Where a page's search client finds the public index, and the further bundles of each language
 * too large for one Pagefind pass (`searchIndexParts`); `parts` is absent when there are none.
 */
function searchSetup(pages: PageData[], perPass: number | undefined): SearchSetup {
  const counts = new Map<string, number>();
  for (const page of pages) if (inPublicSearch(page)) counts.set(page.lang, (counts.get(page.lang) ?? 0) + 1);
  const parts: Record<string, string[]> = {};
  for (const [lang, count] of [...counts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const n = searchIndexParts(lang, count, perPass);
    if (n > 1) parts[lang] = Array.from({ length: n - 1 }, (_, i) => urls.searchIndexPart(lang, i + 2));
  }
  const setup: SearchSetup = { index: urls.searchIndex(), session: urls.authSession() };
  return Object.keys(parts).length ? { ...setup, parts } : setup;
}

/** One brand's site: its images and chrome, then every page kind, language by language. */
export async function computeBrand(ctx: BrandContext, searchPagesPerPass?: number): Promise<BrandSite> {
  const { brand, model } = ctx;
  const images = brandImages(ctx);
  const pages: PageData[] = [];
  const redirects: BrandSite['redirects'] = [];
  const markdownCopies: BrandSite['markdownCopies'] = [];
  for (const lang of brand.languages) {
    pages.push(await homePage(ctx, lang), searchPage(ctx, lang), ...collectionPages(ctx, lang));
    const articles = await articlePages(ctx, lang);
    pages.push(...articles.pages);
    redirects.push(...articles.redirects);
    markdownCopies.push(...articles.markdownCopies);
    const collections = collectionRedirects(ctx, lang);
    pages.push(...collections.pages);
    redirects.push(...collections.redirects);
  }
  pages.push(rootPage(ctx), notFoundPage(ctx));
  // The gate's "not for your account" page, wherever something is private.
  if (pages.some((p) => p.private)) pages.push(...notAvailablePages(ctx));
  return {
    id: brand.id,
    name: brand.config.name,
    domain: brand.domain,
    origin: ctx.origin,
    languages: brand.languages,
    defaultLanguage: brand.defaultLanguage,
    timeZone: model.workspace.timezone,
    indexing: brand.config.indexing,
    theme: brand.theme.theme,
    files: ctx.files,
    generated: ctx.generated,
    images,
    fonts: brandFonts(ctx),
    hero: brandHero(ctx),
    chrome: Object.fromEntries(brand.languages.map((lang) => [lang, brandChrome(ctx, images, lang)])),
    search: searchSetup(pages, searchPagesPerPass),
    privacy: brand.config.privacy,
    ga4: brand.config.analytics?.ga4,
    pages,
    redirects,
    markdownCopies,
  };
}
