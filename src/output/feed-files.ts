import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Brand, Model } from '../content/model.ts';
import {
  contentHash,
  draftFeedArticle,
  planFeeds,
  translationsIn,
  type ArticleContext,
  type FeedEntry,
  type FeedPlan,
} from '../feed/build.ts';
import { ImageNames } from '../feed/images.ts';
import { LLMS_FULL_BEFORE_COPY, llmsFullHead, llmsTxt } from '../feed/llms.ts';
import { markdownCopy } from '../feed/markdown-copy.ts';
import { feedJsonSchema, type FeedArticle, type KnowledgeFeed } from '../feed/schema.ts';
import { dirs, exportFiles, fileOf, rootFiles, urls } from '../routing/layout.ts';
import type { ArticleRenderer } from '../routing/render.ts';
import type { BrandSite, SiteData } from '../routing/types.ts';
import { FeedCache, type FeedScope, type FileRange } from './feed-cache.ts';
import { detokenize, newTokens, plain, type Tokens, type Words } from './tokens.ts';
import { FileWriter, type FileToWrite } from './writer.ts';

/** What writing the feeds cost, for the build's summary and the bench. */
export interface FeedStats {
  seconds: number;
  /** Bytes of every `knowledge.json` written, public and full, all brands. */
  bytes: number;
  /** Articles in the full feeds, all brands. */
  articles: number;
  /** Of those, the articles written in every feed as the previous build wrote them (`feed-cache.ts`). */
  kept: number;
}

/**
 * Writes the knowledge feeds of every brand: the public `knowledge.json`, `llms.txt` and
 * `llms-full.txt` at the brand's root, the full `knowledge.json` under its export folder, the
 * feed's JSON Schema once beside them, and the article images the feeds link to (public
 * articles' in the public tree, private ones' in the private tree, which only the gate serves).
 * And each public article's `.md` copy, made once for `llms-full.txt` and its own file (linked
 * from `previous`, the folder this build replaces, where that holds the very bytes).
 *
 * `renderer` must be the one the routing rendered the pages with, so each body is rendered once.
 * The feeds go to disk through `writer`, a megabyte at a time (by default in this thread; the
 * build's writes in a thread of its own while the next megabyte is made). They are all on disk
 * once the writer is closed. With `cache`, each article the previous build wrote as it is now is
 * copied from there (`feed-cache.ts`); the cache keeps this build's once `save`d.
 */
export async function writeFeeds(
  outDir: string,
  model: Model,
  site: SiteData,
  renderer: ArticleRenderer,
  writer: FileWriter = new FileWriter({ thread: false }),
  previous?: string,
  cache?: FeedCache,
): Promise<FeedStats> {
  const started = performance.now();
  const generatedAt = newestContent(model);
  const images = new ImageNames();
  const stats: FeedStats = { seconds: 0, bytes: 0, articles: 0, kept: 0 };
  await write(
    path.join(dirs.exportRoot(outDir), exportFiles.feedSchema),
    `${JSON.stringify(feedJsonSchema(), null, 2)}\n`,
  );
  const tokens = newTokens();
  for (const twins of feedTwins(model, site)) {
    const made = await writeTwinFeeds(outDir, model, twins, tokens, {
      renderer,
      images,
      generatedAt,
      writer,
      previous,
      cache,
    });
    stats.bytes += made.bytes;
    stats.articles += made.articles;
    stats.kept += made.kept;
  }
  stats.seconds = (performance.now() - started) / 1000;
  return stats;
}

/** A brand with its computed site. */
interface BrandFeeds {
  brand: Brand;
  site: BrandSite;
}

/** Word numbers of a feed's tokens (`tokens.ts`). */
const DOMAIN = 0;
const BRAND_ID = 1;
const CONTENT_HASH = 2;

/**
 * The brands in groups whose feeds are the same but for their domain and id ("twins": brands that
 * share a help center and its languages), each brand alone otherwise. A feed article names its brand
 * only in its URLs (on the brand's domain) and its Intercom `external_id`; the rest is the help
 * center's. So twins' articles are made once, with tokens for those words, and each twin's are
 * that text with its own words (and its own `contentHash`, of its own Markdown). The brands' names
 * and the feeds' heads are each brand's own. A test builds twins together and one alone and
 * compares their feeds byte for byte (`shared-renders.test.ts`).
 */
function feedTwins(model: Model, site: SiteData): BrandFeeds[][] {
  const groups: BrandFeeds[][] = [];
  for (const brandSite of site.brands) {
    const brand = model.brands.find((b) => b.id === brandSite.id);
    if (!brand) throw new Error(`brand "${brandSite.id}" of the site is not in the content model`);
    const mine = { brand, site: brandSite };
    const twin = (other: BrandFeeds) =>
      other.brand.helpCenter === brand.helpCenter &&
      other.brand.defaultLanguage === brand.defaultLanguage &&
      other.brand.languages.join('\n') === brand.languages.join('\n');
    const words = (b: BrandFeeds) =>
      plain(b.brand.domain) && plain(b.brand.id) && b.site.origin === `https://${b.brand.domain}`;
    const group = words(mine) ? groups.find((g) => words(g[0]!) && twin(g[0]!)) : undefined;
    if (group) group.push(mine);
    else groups.push([mine]);
  }
  return groups;
}

/** What every group's feeds are made with. */
interface FeedTools {
  renderer: ArticleRenderer;
  images: ImageNames;
  generatedAt: string;
  writer: FileWriter;
  /** The folder this build replaces, whose `.md` copies are linked where their bytes are the same. */
  previous: string | undefined;
  /** The articles the previous build wrote, and this build's for the next (`feed-cache.ts`). */
  cache: FeedCache | undefined;
}

/** The feeds of a group of twins (`feedTwins`), or of one brand. */
async function writeTwinFeeds(
  outDir: string,
  model: Model,
  twins: BrandFeeds[],
  tokens: Tokens,
  { renderer, images, generatedAt, writer, previous, cache }: FeedTools,
): Promise<{ bytes: number; articles: number; kept: number }> {
  const shared = twins.length > 1;
  // What the articles are made from: the brand's own, or the first twin's with tokens for its words.
  const first = twins[0]!;
  const brand = shared
    ? { ...first.brand, domain: tokens.token(DOMAIN), id: tokens.token(BRAND_ID) }
    : first.brand;
  const origin = shared ? `https://${brand.domain}` : first.site.origin;
  const plan = planFeeds(model, brand, { ...first.site, origin }, generatedAt);
  const publicEntries = plan.entries.filter((e) => e.public);
  const translations = { full: translationsIn(plan.entries), public: translationsIn(publicEntries) };
  // Images the articles show, each copied once per brand and tree below.
  const published = new Map<string, { file: string; name: string; tree: 'public' | 'private' }>();
  const ctx: ArticleContext = {
    model,
    brand,
    origin,
    renderer,
    images,
    publishImage: (file, name, tree) => published.set(`${tree}/${name}`, { file, name, tree }),
  };
  // Each twin's files in a lane of the writer's: another brand's are written beside the first's.
  const feeds = await Promise.all(
    twins.map(async (twin, i) => {
      // A brand alone is its own plan; a twin's heads name it, not the tokens.
      const own = shared ? planFeeds(model, twin.brand, twin.site, generatedAt) : plan;
      const publicDir = dirs.public(outDir, twin.brand.id);
      const lane = FileWriter.laneOf(i);
      const text = (file: string) => new TextFile(file, writer, lane);
      return {
        twin,
        lane,
        own,
        words: [twin.brand.domain, twin.brand.id, ''],
        full: await FeedFile.open(
          text(path.join(dirs.export(outDir, twin.brand.id), rootFiles.feed)),
          own.full,
          'full',
          cache,
        ),
        open: await FeedFile.open(text(path.join(publicDir, rootFiles.feed)), own.public, 'public', cache),
      };
    }),
  );
  let bytes = 0;
  let kept = 0;
  /** Each public article's key in each twin's public feed, which keys its `.md` copy too (`writeCopies`). */
  const publicKeys = new Map<FeedEntry, (string | undefined)[]>();
  try {
    for (const entry of plan.entries) {
      const { draft, bodyInputs, article: whole } = await draftFeedArticle(entry, ctx);
      const scopes: FeedScope[] = entry.public ? ['full', 'public'] : ['full'];
      const inFeed = {
        full: translations.full.get(entry) ?? {},
        public: translations.public.get(entry) ?? {},
      };
      const inFeedJson = { full: JSON.stringify(inFeed.full), public: JSON.stringify(inFeed.public) };
      // Most public articles have only public translations: the same JSON in both feeds.
      const alike = inFeedJson.public === inFeedJson.full;
      // What the feed cache knows the article by (`FeedCache.digest`), but for the feed's
      // translations, if it may. Plain JSON: a key needs the values, not the feed's indentation.
      const known =
        cache && bodyInputs !== undefined ? `${bodyInputs}\0${JSON.stringify(draft)}\0` : undefined;
      // Made only where the cache lacks the article: the whole article, and its JSON in each feed.
      let made: FeedArticle | undefined;
      const texts = new Map<FeedScope, string>();
      const json = (scope: FeedScope): string => {
        let text = texts.get(scope) ?? (alike ? texts.get(scope === 'full' ? 'public' : 'full') : undefined);
        if (text === undefined) {
          made ??= whole();
          const article = shared ? { ...made, contentHash: tokens.token(CONTENT_HASH) } : made;
          text = FeedFile.json({ ...article, translations: inFeed[scope] });
        }
        texts.set(scope, text);
        return text;
      };
      let all = true;
      const keys: (string | undefined)[] = [];
      if (entry.public) publicKeys.set(entry, keys);
      for (const { twin, full, open, words } of feeds) {
        const own: Words = { prefix: tokens.prefix, words };
        // A twin's text has its own words, and the content hash of its own Markdown.
        let withHash: Words | undefined;
        const mine = (text: string) => {
          if (!shared) return text;
          withHash ??= {
            prefix: tokens.prefix,
            words: [twin.brand.domain, twin.brand.id, contentHash(detokenize(made!.body.markdown, own))],
          };
          return detokenize(text, withHash);
        };
        // The twin's key in a feed: its words in place of the tokens, whose prefix is new in every
        // build. One digest serves both feeds where the article is alike in them (`full` comes first).
        let fullDigest: string | undefined;
        const keyIn = (scope: FeedScope): string | undefined => {
          if (known === undefined) return undefined;
          let digest = scope === 'public' && alike ? fullDigest : undefined;
          if (digest === undefined) {
            const text = `${known}${inFeedJson[scope]}`;
            digest = cache!.digest([twin.brand.domain, twin.brand.id], shared ? detokenize(text, own) : text);
          }
          if (scope === 'full') fullDigest = digest;
          return FeedCache.key(scope, digest);
        };
        for (const scope of scopes) {
          const feed = scope === 'full' ? full : open;
          const key = keyIn(scope);
          if (scope === 'public') keys.push(key);
          const range = key === undefined ? undefined : cache!.find(key, scope);
          if (range) await feed.addRange(range, key!);
          else {
            all = false;
            await feed.add(mine(json(scope)), key);
          }
        }
      }
      if (all) kept++;
    }
  } finally {
    for (const { full, open } of feeds) bytes += (await full.close()) + (await open.close());
  }
  for (const { twin, own, lane } of feeds) {
    const publicDir = dirs.public(outDir, twin.brand.id);
    await write(path.join(publicDir, rootFiles.llms), llmsTxt(twin.brand, twin.site, own.entries));
    // Written by the writer's thread, linked from the previous output where it holds the very
    // bytes (a rebuild): copied here, one after another, 187 images at 1,000 × 3 took 0.02 s of
    // this thread on a quiet disk, but up to 0.17 s beside the search index's pass.
    for (const { file, name, tree } of published.values()) {
      const to = path.join(
        dirs.assets(tree === 'public' ? publicDir : dirs.private(outDir, twin.brand.id)),
        name,
      );
      const before = previous === undefined ? undefined : path.join(previous, path.relative(outDir, to));
      await writer.write([{ file: to, text: readFileSync(file), previous: before }], lane);
    }
  }
  await writeCopies(outDir, plan, origin, feeds, shared ? tokens.prefix : undefined, writer, previous, {
    cache,
    publicKeys,
  });
  return { bytes, articles: plan.entries.length * twins.length, kept: kept * twins.length };
}

/**
 * `llms-full.txt` and the `.md` copies of a group of twins (or one brand): each copy made once (by
 * `origin`; with `prefix`, that of the twins' tokens, each twin's is that with its own words) and
 * written both into `llms-full.txt` and as its own file, linked from `previous` (the folder this
 * build replaces) where that holds the very bytes.
 *
 * A copy is made of nothing its article's public feed entry is not made from (its Markdown and
 * where its links point, its title, description, date and URL), so it is kept under that entry's
 * key (`keys`): where the feed cache holds the copy of the key in the previous `llms-full.txt`,
 * its bytes are copied from there, and its file made of them, rather than made again (1,000 × 3:
 * ~0.2–0.3 s of the build's thread in every build that keeps its caches).
 */
async function writeCopies(
  outDir: string,
  plan: FeedPlan,
  origin: string,
  twins: { twin: BrandFeeds; words: string[]; lane: number }[],
  prefix: string | undefined,
  writer: FileWriter,
  previous: string | undefined,
  keys: { cache: FeedCache | undefined; publicKeys: ReadonlyMap<FeedEntry, readonly (string | undefined)[]> },
): Promise<void> {
  const copies = twins.map(({ twin, words, lane }) => {
    const publicDir = dirs.public(outDir, twin.brand.id);
    const previousDir = previous && dirs.public(previous, twin.brand.id);
    return {
      twin,
      mine: (text: string) => (prefix ? detokenize(text, { prefix, words }) : text),
      lane,
      llmsFull: new TextFile(path.join(publicDir, rootFiles.llmsFull), writer, lane),
      file: (url: string, text: FileToWrite['text']): FileToWrite => ({
        file: path.join(publicDir, fileOf(url)),
        text,
        previous: previousDir && path.join(previousDir, fileOf(url)),
      }),
      batch: [] as FileToWrite[],
    };
  });
  // The routing's copies (`markdownCopies`) are the public feed's articles (both `inPublicFeed`),
  // here in feed order.
  const withCopy = new Set(twins[0]!.twin.site.markdownCopies);
  const { cache, publicKeys } = keys;
  try {
    for (const c of copies) await c.llmsFull.push(llmsFullHead(c.twin.brand));
    for (const entry of plan.entries) {
      const { article, group, public: inPublic } = entry;
      const url = urls.articleMarkdown(article.language, group.id);
      if (!inPublic || !withCopy.has(url)) continue;
      let copy: string | undefined;
      for (const [i, c] of copies.entries()) {
        await c.llmsFull.push(LLMS_FULL_BEFORE_COPY);
        const publicKey = publicKeys.get(entry)?.[i];
        const key = publicKey === undefined ? undefined : `copy:${publicKey}`;
        const offset = c.llmsFull.bytes;
        const kept = key === undefined ? undefined : cache!.find(key, 'public');
        if (kept) {
          await c.llmsFull.push(kept);
          c.batch.push(c.file(url, [kept]));
        } else {
          copy ??= markdownCopy(article, origin);
          const text = c.mine(copy);
          await c.llmsFull.push(text);
          c.batch.push(c.file(url, text));
        }
        if (key !== undefined)
          cache!.record(c.llmsFull.path, 'public', key, offset, c.llmsFull.bytes - offset);
        // A hundred at a time: the texts of a batch are the writer thread's once handed over.
        if (c.batch.length === 100) await writer.write(c.batch.splice(0), c.lane);
      }
    }
    for (const c of copies) await writer.write(c.batch.splice(0), c.lane);
  } finally {
    for (const c of copies) await c.llmsFull.close();
  }
}

/**
 * One `knowledge.json`, written article by article: a large help center's full feed is hundreds
 * of megabytes, more than one string may hold. The bytes are exactly `JSON.stringify(feed, null,
 * 2)` plus a newline, as if it had been written at once. Where each article's JSON is goes to the
 * feed cache, if any, under its key.
 */
class FeedFile {
  readonly #file: TextFile;
  readonly #scope: FeedScope;
  readonly #cache: FeedCache | undefined;
  #count = 0;

  private constructor(file: TextFile, scope: FeedScope, cache: FeedCache | undefined) {
    this.#file = file;
    this.#scope = scope;
    this.#cache = cache;
  }

  /** Starts the file with everything before the first article. */
  static async open(
    file: TextFile,
    head: Omit<KnowledgeFeed, 'articles'>,
    scope: FeedScope,
    cache?: FeedCache,
  ): Promise<FeedFile> {
    const feed = new FeedFile(file, scope, cache);
    // `articles` is the last key, so the feed written whole ends in `"articles": []\n}`.
    const whole = JSON.stringify({ ...head, articles: [] }, null, 2);
    await feed.#file.push(`${whole.slice(0, -'[]\n}'.length)}[`);
    return feed;
  }

  /** An article as `add` takes it: its JSON, indented as an element of the `articles` array. */
  static json(article: FeedArticle): string {
    return JSON.stringify(article, null, 2).replace(/\n/g, '\n    ');
  }

  /** Adds an article: its JSON (`json`), or the bytes of it the previous build wrote. */
  async add(json: string, key: string | undefined): Promise<void> {
    await this.#file.push(`${this.#count++ ? ',' : ''}\n    `);
    const offset = this.#file.bytes;
    await this.#file.push(json);
    if (key !== undefined)
      this.#cache?.record(this.#file.path, this.#scope, key, offset, this.#file.bytes - offset);
  }

  async addRange(range: FileRange, key: string): Promise<void> {
    await this.#file.push(`${this.#count++ ? ',' : ''}\n    `);
    this.#cache?.record(this.#file.path, this.#scope, key, this.#file.bytes, range.length);
    await this.#file.push(range);
  }

  /** Ends the document and closes the file; returns its size in bytes. Safe to call twice. */
  async close(): Promise<number> {
    if (this.#file.closed) return this.#file.bytes;
    try {
      await this.#file.push(this.#count ? '\n  ]\n}\n' : ']\n}\n');
    } finally {
      await this.#file.close();
    }
    return this.#file.bytes;
  }
}

/**
 * A UTF-8 file written piece by piece, through `writer` in pieces of about a megabyte: little is
 * held at once. A piece is a string, or bytes of another file (`FileRange`), which the writer's
 * thread copies. `bytes` counts the bytes of every piece pushed so far.
 */
class TextFile {
  static readonly #chunk = 1 << 20;
  readonly path: string;
  readonly #writer: FileWriter;
  readonly #lane: number;
  #pending: (string | FileRange)[] = [];
  #pendingLength = 0;
  #started = false;
  bytes = 0;
  closed = false;

  /** `lane`: the writer's lane every piece goes through, in order (see `FileWriter.write`). */
  constructor(file: string, writer: FileWriter, lane = 0) {
    this.path = file;
    this.#writer = writer;
    this.#lane = lane;
  }

  async push(piece: string | FileRange): Promise<void> {
    this.#pending.push(piece);
    this.#pendingLength += piece.length;
    this.bytes += typeof piece === 'string' ? Buffer.byteLength(piece, 'utf8') : piece.length;
    if (this.#pendingLength >= TextFile.#chunk) await this.#flush();
  }

  /** Hands over what is pending (the file exists then, even if empty). Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.#flush();
  }

  async #flush(): Promise<void> {
    // As strings, which the writer's thread joins and encodes as it writes: copying a megabyte to
    // the thread costs the build's thread less than encoding it here (1,000 × 3, by turns: the
    // feeds took 0.98–1.40 s, median 1.07 s, against 1.14–1.39 s, median 1.18 s, as UTF-8 bytes),
    // and joining the pieces here first was one more copy (~45 ms of this thread per 90 MB).
    const text = this.#pending;
    this.#pending = [];
    this.#pendingLength = 0;
    // The first piece replaces whatever the file held; the others follow it.
    const append = this.#started;
    this.#started = true;
    await this.#writer.write([{ file: this.path, text, append }], this.#lane);
  }
}

async function write(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, text);
}

/**
 * The feeds' `generatedAt`: when the newest article they are made from last changed (its
 * `updated`), not the wall clock, so the same content gives the same feed bytes, build after build
 * (SPEC §6), and an incremental build the very feed a full one writes.
 */
function newestContent(model: Model): string {
  let newest = 0;
  const groups = [
    ...[...model.helpCenters.values()].flatMap((hc) => [...hc.articles.values()]),
    ...model.internal.articles.values(),
  ];
  for (const group of groups)
    for (const article of group.translations.values()) newest = Math.max(newest, article.updated.getTime());
  return new Date(newest).toISOString();
}
