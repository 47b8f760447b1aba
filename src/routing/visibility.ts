import type { Article, ArticleGroup, Collection, HelpCenter } from '../content/model.ts';
import type { ArticlePage, PageData } from './types.ts';

/**
 * Who sees what: the one place that decides, for an article translation on a brand's site,
 * whether it is built, listed, searchable, in the sitemap, in the public feed or private. Routing,
 * search, the sitemap, the `.md` copies, the feed and the gate all ask here; none decides alone.
 *
 * `build` is what visitors get; `dev` is the writer's preview, where drafts and private articles
 * are shown (with a badge) in the one public tree.
 */
export type Mode = 'build' | 'dev';

/** What a brand's site does with one article translation. */
export interface ArticleVisibility {
  /** A page is built for it (published, or any state in dev; never internal). */
  built: boolean;
  /** Shown in collection listings, home sections and related articles. */
  listed: boolean;
  /** Its page lives in the private tree, served by the gate only. */
  private: boolean;
  /** Audiences a signed-in visitor must match for a private page (empty: any customer). */
  audiences: string[];
  /** Which search index holds it, if any. */
  search: 'public' | 'private' | undefined;
  /** Tells search engines not to index the page. */
  noindex: boolean;
  /** Listed in `sitemap.xml`. */
  sitemap: boolean;
  /** Has a public `.md` copy, and is in the public feed and `llms.txt`. */
  publicFeed: boolean;
  internal: boolean;
  draft: boolean;
  /** Labels the page shows about its state. */
  badges: ('draft' | 'private' | 'unlisted')[];
}

/** The brand settings visibility depends on. */
export interface VisibilityScope {
  mode: Mode;
  /** The brand's `indexing` setting: `false` keeps every page out of search engines. */
  indexing: boolean;
}

/** Is a page built for this translation? */
function isBuilt(article: Article | undefined, mode: Mode): article is Article {
  return !!article && (article.state === 'published' || mode === 'dev') && article.visibility !== 'internal';
}

/** Is this translation listed (collections, home, related)? Root articles never are. */
export function isListed(group: ArticleGroup, article: Article | undefined, mode: Mode): article is Article {
  return isBuilt(article, mode) && article.visibility === 'public' && group.collection !== undefined;
}

/** Does this translation's page go to the private tree? In dev everything is previewed in one tree. */
function isPrivatePage(article: Article, mode: Mode): boolean {
  return article.visibility === 'private' && mode !== 'dev';
}

/**
 * May the page of one translation name another translation of the same article (language picker,
 * hreflang, sitemap alternates)? Public pages name only public translations, so an unlisted or
 * private translation's URL is never advertised; an unlisted or private page may also name its
 * like. The dev preview names every translation it builds.
 */
export function namesTranslation(from: Article, to: Article | undefined, mode: Mode): to is Article {
  if (!isBuilt(to, mode)) return false;
  return mode === 'dev' || to.visibility === 'public' || to.visibility === from.visibility;
}

/**
 * Is this translation in the public feed, `llms*.txt`, and given a public `.md` copy? Published
 * public articles in a collection: never private, internal, unlisted (root articles are) or drafts.
 */
export function inPublicFeed(group: ArticleGroup, article: Article): boolean {
  return article.state === 'published' && article.visibility === 'public' && group.collection !== undefined;
}

/**
 * Is this translation in a brand's full feed (`_export/`, never deployed)? Published public,
 * private and internal articles: what the brand's assistants may know. Unlisted articles stay
 * out (they are meant to be found by their URL only), and drafts are not written yet.
 */
export function inFullFeed(article: Article): boolean {
  if (article.state !== 'published') return false;
  return (
    article.visibility === 'public' || article.visibility === 'private' || article.visibility === 'internal'
  );
}

/**
 * Which of a brand's trees may serve files of a feed article (its images): the public tree for a
 * public-feed article, the gate's private tree for a private one, none for an internal one, which
 * only teammates' assistants may see and nothing on the brand's domain serves.
 */
export function feedFilesTree(group: ArticleGroup, article: Article): 'public' | 'private' | undefined {
  if (inPublicFeed(group, article)) return 'public';
  return article.state === 'published' && article.visibility === 'private' ? 'private' : undefined;
}

/** Everything a brand's site does with one article translation. */
export function visibilityOf(
  group: ArticleGroup,
  article: Article,
  scope: VisibilityScope,
): ArticleVisibility {
  const built = isBuilt(article, scope.mode);
  const published = article.state === 'published';
  const privatePage = built && isPrivatePage(article, scope.mode);
  const publicFeed = built && !privatePage && inPublicFeed(group, article);
  const inCollection = group.collection !== undefined;
  const badges: ArticleVisibility['badges'] = [];
  if (article.state === 'draft') badges.push('draft');
  if (article.visibility === 'private') badges.push('private');
  if (article.visibility === 'unlisted') badges.push('unlisted');
  const noindex = !scope.indexing || article.visibility !== 'public' || !published;
  return {
    built,
    listed: isListed(group, article, scope.mode),
    private: privatePage,
    audiences: article.visibility === 'private' ? article.audiences : [],
    search:
      built && published && inCollection
        ? article.visibility === 'public'
          ? 'public'
          : article.visibility === 'private'
            ? 'private'
            : undefined
        : undefined,
    noindex,
    sitemap: built && !privatePage && !noindex,
    publicFeed,
    internal: article.visibility === 'internal',
    draft: article.state === 'draft',
    badges,
  };
}

/**
 * Per language, how many listed articles each collection holds at any depth. A collection is
 * shown in a language only when it holds at least one.
 */
export function listedCounts(
  hc: HelpCenter,
  languages: readonly string[],
  mode: Mode,
): Map<string, Map<Collection, number>> {
  const counts = new Map<string, Map<Collection, number>>();
  for (const lang of languages) {
    const map = new Map<Collection, number>();
    for (const group of hc.articles.values())
      if (isListed(group, group.translations.get(lang), mode))
        for (let c = group.collection; c; c = c.parent) map.set(c, (map.get(c) ?? 0) + 1);
    counts.set(lang, map);
  }
  return counts;
}

/** Pages other than articles follow the brand's `indexing` setting alone. */
export function pageNoindex(scope: VisibilityScope): boolean {
  return !scope.indexing;
}

/** Home and collection pages are in the sitemap unless the brand is kept out of search engines. */
export function inSitemap(scope: VisibilityScope): boolean {
  return scope.indexing;
}

/** A page the brand's public search index reads (`search` was `'public'`). */
export function inPublicSearch(page: PageData): page is ArticlePage {
  return page.kind === 'article' && page.searchable && !page.private;
}

/** A page one of the brand's private search indexes reads (`search` was `'private'`). */
export function inPrivateSearch(page: PageData): page is ArticlePage {
  return page.kind === 'article' && page.searchable && page.private;
}
