import type { Collection } from '../../content/model.ts';
import type { BrandContext } from '../context.ts';
import { urls } from '../layout.ts';
import type { ArticleSummary, CollectionPage } from '../types.ts';
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
