import fs from 'node:fs';

/**
 * Reading knowledge feeds (format version 1) as a consumer would, and comparing two of them for
 * incremental ingestion (`signpost feed diff`). This reads the JSON a build wrote, not the build's
 * own types: it checks only the fields it uses, so a feed from another build (or a hand-edited one)
 * gets a one-line reason instead of a crash.
 */

/** A feed that cannot be used: missing, not JSON, not a feed, or not comparable with another. */
export class FeedInputError extends Error {
  override name = 'FeedInputError';
}

/** The external page an article carries, ready for Intercom's `POST /ai/external_pages`. */
export interface FeedIntercomPage {
  external_id: string;
  title: string;
  html: string;
  locale: string;
  url?: string;
  ai_agent_availability: boolean;
  ai_copilot_availability: boolean;
}

/** The fields of a feed article that `diff` and `push` read. */
export interface FeedArticle {
  id: string;
  language: string;
  title: string;
  url: string | null;
  visibility: string;
  ai: { agent: boolean; copilot: boolean };
  contentHash: string;
  intercom: FeedIntercomPage;
  /** Compared as given (`description`, `audiences`), never interpreted. */
  [other: string]: unknown;
}

/** The fields of a knowledge feed that `diff` and `push` read. */
export interface Feed {
  version: 1;
  scope: string;
  brand: { id: string; url: string };
  articles: FeedArticle[];
}

/** One article in a diff: enough for a pipeline to fetch or drop it. */
export interface FeedArticleRef {
  id: string;
  language: string;
  url: string | null;
}

/** What differs in a changed article, besides its body (`content`, by `contentHash`). */
export type FeedChangeKind = 'content' | 'title' | 'description' | 'url' | 'visibility' | 'ai' | 'audiences';

/** What an ingestion pipeline must add, re-ingest and drop between two builds of a brand's feed. */
export interface FeedDiff {
  added: FeedArticleRef[];
  changed: (FeedArticleRef & { changes: FeedChangeKind[] })[];
  removed: FeedArticleRef[];
}

/** Reads and checks a feed file; a problem is a `FeedInputError` naming the file. */
export function readFeed(file: string): Feed {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FeedInputError(
      code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read it (${code ?? String(error)})`,
    );
  }
  return parseFeed(text, file);
}

/** Checks a feed's JSON text; `name` prefixes the message of a `FeedInputError`. */
export function parseFeed(text: string, name: string): Feed {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new FeedInputError(
      `${name}: not valid JSON; expected a knowledge.json written by \`npm run build\``,
    );
  }
  const fail = (where: string, what: string): never => {
    throw new FeedInputError(`${name}: not a knowledge feed (${where}: ${what})`);
  };
  const feed = record(data, 'the file', fail);
  if (feed.version === undefined)
    throw new FeedInputError(
      `${name}: not a knowledge feed (no version); expected a knowledge.json written by \`npm run build\``,
    );
  if (feed.version !== 1)
    fail('version', `expected 1, got ${JSON.stringify(feed.version)}; rebuild it with this signpost`);
  string(feed.scope, 'scope', fail);
  const brand = record(feed.brand, 'brand', fail);
  string(brand.id, 'brand.id', fail);
  string(brand.url, 'brand.url', fail);
  if (!Array.isArray(feed.articles)) fail('articles', 'expected a list');
  (feed.articles as unknown[]).forEach((value, i) => checkArticle(value, `articles[${i}]`, fail));
  return feed as unknown as Feed;
}

/** Compares two feeds of one brand; entries follow each feed's own (stable, site) order. */
export function diffFeeds(before: Feed, after: Feed): FeedDiff {
  if (before.brand.id !== after.brand.id)
    throw new FeedInputError(
      `the feeds are of different brands (${before.brand.id}, ${after.brand.id}); compare two builds of one brand`,
    );
  if (before.scope !== after.scope)
    throw new FeedInputError(
      `the feeds have different scopes (${before.scope}, ${after.scope}); compare two public feeds or two full feeds`,
    );
  const old = new Map(before.articles.map((a) => [keyOf(a), a]));
  const now = new Set(after.articles.map(keyOf));
  const diff: FeedDiff = { added: [], changed: [], removed: [] };
  for (const article of after.articles) {
    const previous = old.get(keyOf(article));
    if (!previous) {
      diff.added.push(refOf(article));
      continue;
    }
    const changes = changesOf(previous, article);
    if (changes.length) diff.changed.push({ ...refOf(article), changes });
  }
  for (const article of before.articles) if (!now.has(keyOf(article))) diff.removed.push(refOf(article));
  return diff;
}

/**
 * An article's identity across builds: id and language, as the issue asks. Internal articles have
 * their own id space (`internal/`), so an internal `refunds` is not the published `refunds`.
 */
function keyOf(article: FeedArticle): string {
  return JSON.stringify([article.visibility === 'internal', article.id, article.language]);
}

function refOf(article: FeedArticle): FeedArticleRef {
  return { id: article.id, language: article.language, url: article.url };
}

/**
 * The body by its hash, and the metadata a pipeline stores beside it: a retitled article, or one
 * an agent may no longer use, must be re-ingested even when its text is the same.
 */
function changesOf(before: FeedArticle, after: FeedArticle): FeedChangeKind[] {
  const changes: FeedChangeKind[] = before.contentHash === after.contentHash ? [] : ['content'];
  for (const key of ['title', 'description', 'url', 'visibility', 'ai', 'audiences'] as const)
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changes.push(key);
  return changes;
}

type Fail = (where: string, what: string) => never;

function checkArticle(value: unknown, where: string, fail: Fail): void {
  const article = record(value, where, fail);
  for (const key of ['id', 'language', 'title', 'visibility', 'contentHash'])
    string(article[key], `${where}.${key}`, fail);
  if (article.url !== null) string(article.url, `${where}.url`, fail);
  const ai = record(article.ai, `${where}.ai`, fail);
  boolean(ai.agent, `${where}.ai.agent`, fail);
  boolean(ai.copilot, `${where}.ai.copilot`, fail);
  const page = record(article.intercom, `${where}.intercom`, fail);
  for (const key of ['external_id', 'title', 'html', 'locale'])
    string(page[key], `${where}.intercom.${key}`, fail);
  if (page.url !== undefined) string(page.url, `${where}.intercom.url`, fail);
  boolean(page.ai_agent_availability, `${where}.intercom.ai_agent_availability`, fail);
  boolean(page.ai_copilot_availability, `${where}.intercom.ai_copilot_availability`, fail);
}

function record(value: unknown, where: string, fail: Fail): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, 'expected an object');
  return value as Record<string, unknown>;
}

function string(value: unknown, where: string, fail: Fail): void {
  if (typeof value !== 'string') fail(where, `expected a string, got ${JSON.stringify(value) ?? 'nothing'}`);
}

function boolean(value: unknown, where: string, fail: Fail): void {
  if (typeof value !== 'boolean')
    fail(where, `expected true or false, got ${JSON.stringify(value) ?? 'nothing'}`);
}
