import type { Collection } from '../../content/model.ts';
import { intercomLocaleToLanguage } from '../../i18n/intercom-locales.ts';
import type { BrandContext } from '../context.ts';
import { urls } from '../layout.ts';
import type { ArticleSummary, BrandSite, CollectionPage, LanguageOption, RedirectPage } from '../types.ts';
import { redirectPage } from './articles.ts';
import { inSitemap, isListed } from '../visibility.ts';

/**
 * Collection pages of one language: one per collection, at any depth, that holds a listed article
 * in that language. Its sub-collections are cards; its own listed articles a list.
 */
export function collectionPages(ctx: BrandContext, lang: string): CollectionPage[] {
  const pages: CollectionPage[] = [];
  for (const collection of ctx.brand.helpCenter.collectionsByPath.values())
    if (ctx.listedCount(collection, lang) > 0) pages.push(collectionPage(ctx, collection, lang));
  return pages;
}

function collectionPage(ctx: BrandContext, collection: Collection, lang: string): CollectionPage {
  const name = collection.name[lang] ?? collection.id;
  const languages = ctx.languageOptions(lang, (l) =>
    ctx.listedCount(collection, l) > 0 ? urls.collection(l, collection.path) : undefined,
  );
  const articles: ArticleSummary[] = [];
  for (const group of collection.articles) {
    const article = group.translations.get(lang);
    if (isListed(group, article, ctx.mode)) articles.push(ctx.summary(article));
  }
  const url = urls.collection(lang, collection.path);
  const description = collection.description[lang] ?? '';
  return {
    ...ctx.base(lang, url, name, description, ctx.breadcrumbs(collection.parent, lang), languages),
    sitemap: inSitemap(ctx.scope),
    kind: 'collection',
    name,
    icon: ctx.card(collection, lang).icon,
    subcollections: collection.children
      .filter((c) => ctx.listedCount(c, lang) > 0)
      .map((c) => ctx.card(c, lang)),
    articles,
  };
}

/** The redirect pages and `_redirects` lines of the collections' former URLs that lead to `lang`. */
export function collectionRedirects(
  ctx: BrandContext,
  lang: string,
): { pages: RedirectPage[]; redirects: BrandSite['redirects'] } {
  const out: { pages: RedirectPage[]; redirects: BrandSite['redirects'] } = { pages: [], redirects: [] };
  for (const former of collectionFormerUrls(ctx, lang)) {
    const redirect = redirectPage(ctx, lang, former.path, former.to, former.title, '', former.languages);
    out.pages.push(redirect.page);
    out.redirects.push(...redirect.redirects);
  }
  return out;
}

/** A collection's former URL path, and the page in this language it forwards to. */
export interface CollectionFormerUrl {
  path: string;
  to: string;
  title: string;
  languages: LanguageOption[];
}

/**
 * The former URLs of every collection that lead to `lang` (see `formerUrlLanguage`): each to the
 * collection page in that language, or, where the collection has none in it, in the brand's
 * default language, or any language that has one, or else the home page of `lang`, so an old link
 * never ends in a 404. Each former URL leads to one language, so each is built once per brand.
 */
export function collectionFormerUrls(ctx: BrandContext, lang: string): CollectionFormerUrl[] {
  const { languages, defaultLanguage } = ctx.brand;
  const out: CollectionFormerUrl[] = [];
  for (const collection of ctx.brand.helpCenter.collectionsByPath.values())
    for (const path of collection.config.aliases ?? []) {
      if (formerUrlLanguage(path, languages, defaultLanguage) !== lang) continue;
      const target = [lang, defaultLanguage, ...languages].find((l) => ctx.listedCount(collection, l) > 0);
      out.push({
        path,
        to: target ? urls.collection(target, collection.path) : urls.home(lang),
        title: target ? (collection.name[target] ?? collection.id) : ctx.brand.config.name,
        languages: ctx.languageOptions(lang, () => undefined),
      });
    }
  return out;
}

/**
 * The language a collection's former URL leads to: the one its first segment names, if the brand
 * publishes it (`/de/collections/…` → `de`; Intercom's `/zh-CN/…` → `zh-Hans`; any case), else the
 * brand's default language (`/lovelyhelpcenter/old-page`).
 */
export function formerUrlLanguage(
  path: string,
  languages: readonly string[],
  defaultLanguage: string,
): string {
  let first = path.split('/')[1] ?? '';
  try {
    first = decodeURIComponent(first);
  } catch {
    // Kept as written: it names no language then.
  }
  const wanted = [first, intercomLocaleToLanguage(first)].map((tag) => tag.toLowerCase());
  return languages.find((l) => wanted.includes(l.toLowerCase())) ?? defaultLanguage;
}
