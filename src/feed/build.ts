import { createHash } from 'node:crypto';
import type {
  Article,
  ArticleGroup,
  ArticleLink,
  Brand,
  Collection,
  Folder,
  Model,
} from '../content/model.ts';
import { urls } from '../routing/layout.ts';
import type { ArticleRenderer } from '../routing/render.ts';
import type { BrandSite } from '../routing/types.ts';
import { feedFilesTree, inFullFeed, inPublicFeed } from '../routing/visibility.ts';
import { feedBody, type BodyUrls } from './body.ts';
import type { ImageNames } from './images.ts';
import type { FeedArticle, FeedAudience, FeedCollection, KnowledgeFeed } from './schema.ts';

/** One article translation of a brand's full feed, before its body is rendered. */
export interface FeedEntry {
  group: ArticleGroup;
  article: Article;
  /** Also in the public feed (and `llms*.txt`). */
  public: boolean;
  /** Canonical page URL; undefined for internal articles, which have no page. */
  url: string | undefined;
}

/** Everything one brand's two feeds hold, except the article bodies (see {@link draftFeedArticle}). */
export interface FeedPlan {
  /** The full feed's articles in feed order; the public feed is the entries marked `public`. */
  entries: FeedEntry[];
  public: Omit<KnowledgeFeed, 'articles'>;
  full: Omit<KnowledgeFeed, 'articles'>;
}

/**
 * Which articles go into a brand's feeds, in feed order, with each feed's head (brand, audiences,
 * collections). Cheap: no body is rendered here, so the writer can stream the articles one by
 * one (a large help center's full feed is hundreds of megabytes).
 */
export function planFeeds(model: Model, brand: Brand, site: BrandSite, generatedAt: string): FeedPlan {
  const languages = new Set(brand.languages);
  const collectionOrder = preOrder(brand.helpCenter.collections);
  const folderOrder = preOrder(model.internal.folders);
  const keyed: { entry: FeedEntry; place: [number, number] }[] = [];
  for (const group of brand.helpCenter.articles.values())
    for (const article of group.translations.values())
      if (languages.has(article.language) && inFullFeed(article)) {
        const url = site.origin + urls.article(article.language, group.id);
        // Articles outside any collection (private ones at the root) come after every collection.
        const at = group.collection ? collectionOrder.get(group.collection)! : collectionOrder.size;
        keyed.push({ entry: { group, article, public: inPublicFeed(group, article), url }, place: [0, at] });
      }
  for (const group of model.internal.articles.values())
    for (const article of group.translations.values())
      if (languages.has(article.language) && inFullFeed(article)) {
        const at = group.folder ? folderOrder.get(group.folder)! : -1;
        keyed.push({ entry: { group, article, public: false, url: undefined }, place: [1, at] });
      }
  // Code-unit comparison, not the locale's: the order must not depend on the machine. Languages
  // in the brand's order, so the default language comes first.
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const languageOrder = (entry: FeedEntry) => brand.languages.indexOf(entry.article.language);
  keyed.sort(
    (a, b) =>
      a.place[0] - b.place[0] ||
      a.place[1] - b.place[1] ||
      compare(a.entry.group.id, b.entry.group.id) ||
      languageOrder(a.entry) - languageOrder(b.entry),
  );
  const entries = keyed.map((k) => k.entry);
  const head = (scope: 'public' | 'full', chosen: FeedEntry[]): Omit<KnowledgeFeed, 'articles'> => ({
    version: 1,
    generatedAt,
    scope,
    workspace: { name: model.workspace.name },
    brand: {
      id: brand.id,
      name: brand.config.name,
      url: site.origin,
      defaultLanguage: brand.defaultLanguage,
      languages: brand.languages,
    },
    audiences: audiencesOf(model, chosen),
    collections: collectionsOf(chosen, collectionOrder, brand.languages),
  });
  return {
    entries,
    public: head(
      'public',
      entries.filter((e) => e.public),
    ),
    full: head('full', entries),
  };
}

/** What building one feed article needs besides the entry. */
export interface ArticleContext {
  model: Model;
  brand: Brand;
  origin: string;
  renderer: ArticleRenderer;
  images: ImageNames;
  /** Called for each local image the article shows, with the tree that will serve it. */
  publishImage(file: string, name: string, tree: 'public' | 'private'): void;
}

/**
 * One feed article, as the full feed writes it, before its body is made (`feedBody`, the costly
 * part); its `translations` are left empty for the writer to fill per feed ({@link translationsIn}),
 * since each feed names only the translations it carries.
 *
 * `draft` is the article with each value made from the body (its three forms, `contentHash`,
 * Intercom's `html`) left as a placeholder, and `article()` makes the whole one. `bodyInputs` is
 * everything the body's forms are made from, as text: the render cache's key of its render (the
 * Markdown, and every link and image as resolved), the origin, and where each link and image
 * points in the feed. So `bodyInputs` and `draft`, serialized, stand for the whole article, byte
 * for byte (what the feed cache's key hashes, `output/feed-cache.ts`). Undefined where the render
 * has no key (no render cache, or a render with problems). Local images are published here,
 * whether or not the body is made.
 */
export async function draftFeedArticle(
  entry: FeedEntry,
  ctx: ArticleContext,
): Promise<{ draft: FeedArticle; bodyInputs: string | undefined; article: () => FeedArticle }> {
  const { group, article, url } = entry;
  const rendered = await ctx.renderer.render(article);
  const tree = feedFilesTree(group, article);
  const imageUrls = new Map<string, string>();
  if (tree)
    for (const { file } of rendered.images) {
      const name = ctx.images.name(file);
      ctx.publishImage(file, name, tree);
      imageUrls.set(file, ctx.origin + urls.asset(name));
    }
  const to: BodyUrls = {
    link: (link) => linkUrl(link, article, ctx),
    image: (file) => imageUrls.get(file),
  };
  // `feedBody` reads of the article only what the render key hashes (its Markdown, and its links
  // and images as resolved), and of the rest only what is named here beside it: whatever else it
  // comes to read must join these inputs, or the feed cache would copy a stale body.
  const renderKey = ctx.renderer.keyOf(rendered);
  const bodyInputs =
    renderKey === undefined
      ? undefined
      : JSON.stringify([
          renderKey,
          ctx.origin,
          article.links.map((link) => to.link(link) ?? null),
          article.images.map((image) => to.image(image.file) ?? null),
          rendered.images.map((image) => to.image(image.file) ?? null),
        ]);
  // Never written: `article()` puts the body's values in its place.
  const made = 'body';
  const author = article.author ? ctx.model.authors.get(article.author) : undefined;
  const { agent, copilot } = article.ai;
  const draft: FeedArticle = {
    id: group.id,
    language: article.language,
    title: article.title,
    description: article.description,
    url: url ?? null,
    collection: group.collection
      ? {
          path: group.collection.path,
          names: chain(group.collection).map((c) => c.name[article.language] ?? c.id),
        }
      : null,
    folder: group.folder
      ? {
          path: group.folder.path,
          names: chain(group.folder).map(({ config }) =>
            config.emoji ? { name: config.name, emoji: config.emoji } : { name: config.name },
          ),
        }
      : null,
    // inFullFeed lets in nothing else; the cast only narrows the model's wider union.
    visibility: article.visibility as FeedArticle['visibility'],
    state: 'published',
    ai: { agent, copilot },
    audiences: article.audiences,
    author: author ? { key: author.key, name: author.name } : null,
    updatedAt: article.updated.toISOString(),
    tags: article.tags,
    translations: {},
    body: { markdown: made, text: made, html: made },
    contentHash: made,
    intercom: {
      external_id: `${ctx.brand.id}:${group.id}:${article.language}`,
      title: article.title,
      html: made,
      locale: article.language,
      ...(url !== undefined && { url }),
      // Both always written: Intercom takes a missing flag as `true`, which would switch an
      // article the writer kept from the agent back on.
      ai_agent_availability: agent,
      ai_copilot_availability: copilot,
    },
  };
  return {
    draft,
    bodyInputs,
    article: () => {
      const body = feedBody(article, rendered, ctx.origin, to);
      // Spread over the draft, the keys keep their order: the JSON is the draft's but for these.
      return {
        ...draft,
        body,
        contentHash: contentHash(body.markdown),
        intercom: { ...draft.intercom, html: body.html },
      };
    },
  };
}

/** A feed article's `contentHash`: of its Markdown body, the form the feed's readers compare. */
export function contentHash(markdown: string): string {
  return `sha256:${createHash('sha256').update(markdown).digest('hex')}`;
}

/**
 * Per feed entry, the other translations that feed carries, as language → page URL (internal
 * articles have no page, so none). Keys follow the entries' language order.
 */
export function translationsIn(entries: FeedEntry[]): Map<FeedEntry, Record<string, string>> {
  const byGroup = new Map<ArticleGroup, FeedEntry[]>();
  for (const entry of entries) byGroup.set(entry.group, [...(byGroup.get(entry.group) ?? []), entry]);
  const result = new Map<FeedEntry, Record<string, string>>();
  for (const entry of entries) {
    const others = (byGroup.get(entry.group) ?? []).filter((e) => e !== entry && e.url !== undefined);
    result.set(entry, entry.url ? Object.fromEntries(others.map((e) => [e.article.language, e.url!])) : {});
  }
  return result;
}

/**
 * An article link's absolute URL, or undefined to leave it as written. A help-center article
 * links within its own help center, on this brand's domain. An internal note may link to any help
 * center's article (on the domain of a brand that publishes it, this one first) or to another
 * internal note, which has no URL at all: its id as written is what an agent can match.
 */
function linkUrl(link: ArticleLink, from: Article, ctx: ArticleContext): string | undefined {
  const path = urls.article(link.targetLanguage, link.targetId);
  if (from.visibility !== 'internal') return ctx.origin + path;
  if (ctx.model.internal.articles.has(link.targetId)) return undefined;
  const owner = [ctx.brand, ...ctx.model.brands].find((b) => b.helpCenter.articles.has(link.targetId));
  return owner ? `https://${owner.domain}${path}` : undefined;
}

/** The audiences the chosen articles name, by key. */
function audiencesOf(model: Model, entries: FeedEntry[]): FeedAudience[] {
  const keys = new Set(entries.flatMap((e) => e.article.audiences));
  return [...keys].sort().flatMap((key) => {
    const audience = model.audiences.get(key);
    return audience ? [{ key, name: audience.name, rules: audience.rules }] : [];
  });
}

/** Every collection holding a chosen article, with its parents, in site order. */
function collectionsOf(
  entries: FeedEntry[],
  order: Map<Collection, number>,
  languages: string[],
): FeedCollection[] {
  const used = new Set(entries.flatMap((e) => (e.group.collection ? chain(e.group.collection) : [])));
  return [...used]
    .sort((a, b) => order.get(a)! - order.get(b)!)
    .map((c) => ({ path: c.path, names: Object.fromEntries(languages.map((l) => [l, c.name[l] ?? c.id])) }));
}

/** Position of every node of a sorted tree, parents before their children (site order). */
function preOrder<T extends { children: T[] }>(roots: T[]): Map<T, number> {
  const order = new Map<T, number>();
  const visit = (node: T) => {
    order.set(node, order.size);
    node.children.forEach(visit);
  };
  roots.forEach(visit);
  return order;
}

/** A collection or folder and its parents, from the top. */
function chain<T extends Collection | Folder>(node: T): T[] {
  const nodes: T[] = [];
  for (let n: T | undefined = node; n; n = n.parent as T | undefined) nodes.unshift(n);
  return nodes;
}
