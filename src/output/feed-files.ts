import { copyFileSync, mkdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Brand, Model } from '../content/model.ts';
import {
  contentHash,
  feedArticle,
  planFeeds,
  translationsIn,
  type ArticleContext,
  type FeedPlan,
} from '../feed/build.ts';
import { ImageNames } from '../feed/images.ts';
import { llmsFullHead, llmsFullPart, llmsTxt } from '../feed/llms.ts';
import { markdownCopy } from '../feed/markdown-copy.ts';
import { feedJsonSchema, type FeedArticle, type KnowledgeFeed } from '../feed/schema.ts';
import { dirs, exportFiles, fileOf, rootFiles, urls } from '../routing/layout.ts';
import type { ArticleRenderer } from '../routing/render.ts';
import type { BrandSite, SiteData } from '../routing/types.ts';
import { detokenize, newTokens, plain, type Tokens } from './tokens.ts';
import { FileWriter, type FileToWrite } from './writer.ts';

/** What writing the feeds cost, for the build's summary and the bench. */
export interface FeedStats {
  seconds: number;
  /** Bytes of every `knowledge.json` written, public and full, all brands. */
  bytes: number;
  /** Articles in the full feeds, all brands. */
  articles: number;
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
 * once the writer is closed.
 */
export async function writeFeeds(
  outDir: string,
  model: Model,
  site: SiteData,
  renderer: ArticleRenderer,
  writer: FileWriter = new FileWriter({ thread: false }),
  previous?: string,
): Promise<FeedStats> {
  const started = performance.now();
  const generatedAt = newestContent(model);
  const images = new ImageNames();
  const stats: FeedStats = { seconds: 0, bytes: 0, articles: 0 };
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
    });
    stats.bytes += made.bytes;
    stats.articles += made.articles;
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
}

/** The feeds of a group of twins (`feedTwins`), or of one brand. */
async function writeTwinFeeds(
  outDir: string,
  model: Model,
  twins: BrandFeeds[],
  tokens: Tokens,
  { renderer, images, generatedAt, writer, previous }: FeedTools,
): Promise<{ bytes: number; articles: number }> {
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
  const feeds = await Promise.all(
    twins.map(async (twin) => {
      // A brand alone is its own plan; a twin's heads name it, not the tokens.
      const own = shared ? planFeeds(model, twin.brand, twin.site, generatedAt) : plan;
      const publicDir = dirs.public(outDir, twin.brand.id);
      const text = (file: string) => new TextFile(file, writer);
      return {
        twin,
        own,
        words: [twin.brand.domain, twin.brand.id, ''],
        full: await FeedFile.open(
          text(path.join(dirs.export(outDir, twin.brand.id), rootFiles.feed)),
          own.full,
        ),
        open: await FeedFile.open(text(path.join(publicDir, rootFiles.feed)), own.public),
      };
    }),
  );
  let bytes = 0;
  try {
    for (const entry of plan.entries) {
      const made = await feedArticle(entry, ctx);
      const article = shared ? { ...made, contentHash: tokens.token(CONTENT_HASH) } : made;
      const inFull = translations.full.get(entry) ?? {};
      const json = FeedFile.json({ ...article, translations: inFull });
      // Most public articles have only public translations: the same JSON in both feeds.
      const inPublic = translations.public.get(entry) ?? {};
      const publicJson = !entry.public
        ? undefined
        : JSON.stringify(inPublic) === JSON.stringify(inFull)
          ? json
          : FeedFile.json({ ...article, translations: inPublic });
      for (const { twin, full, open, words } of feeds) {
        let mine = (text: string) => text;
        if (shared) {
          const hash = contentHash(detokenize(made.body.markdown, { prefix: tokens.prefix, words }));
          const withHash = { prefix: tokens.prefix, words: [twin.brand.domain, twin.brand.id, hash] };
          mine = (text) => detokenize(text, withHash);
        }
        await full.add(mine(json));
        if (publicJson !== undefined) await open.add(mine(publicJson));
      }
    }
  } finally {
    for (const { full, open } of feeds) bytes += (await full.close()) + (await open.close());
  }
  for (const { twin, own } of feeds) {
    const publicDir = dirs.public(outDir, twin.brand.id);
    await write(path.join(publicDir, rootFiles.llms), llmsTxt(twin.brand, twin.site, own.entries));
    // Synchronous: a copy awaited after another, each a round trip through libuv's threads, took
    // 0.12 s for 187 images at 1,000 × 3, against 0.02 s.
    for (const { file, name, tree } of published.values()) {
      const to = path.join(
        dirs.assets(tree === 'public' ? publicDir : dirs.private(outDir, twin.brand.id)),
        name,
      );
      mkdirSync(path.dirname(to), { recursive: true });
      copyFileSync(file, to);
    }
  }
  await writeCopies(outDir, plan, origin, feeds, shared ? tokens.prefix : undefined, writer, previous);
  return { bytes, articles: plan.entries.length * twins.length };
}

/**
 * `llms-full.txt` and the `.md` copies of a group of twins (or one brand): each copy made once (by
 * `origin`; with `prefix`, that of the twins' tokens, each twin's is that with its own words) and
 * written both into `llms-full.txt` and as its own file, linked from `previous` (the folder this
 * build replaces) where that holds the very bytes.
 */
async function writeCopies(
  outDir: string,
  plan: FeedPlan,
  origin: string,
  twins: { twin: BrandFeeds; words: string[] }[],
  prefix: string | undefined,
  writer: FileWriter,
  previous: string | undefined,
): Promise<void> {
  const copies = twins.map(({ twin, words }) => {
    const publicDir = dirs.public(outDir, twin.brand.id);
    const previousDir = previous && dirs.public(previous, twin.brand.id);
    return {
      twin,
      mine: (text: string) => (prefix ? detokenize(text, { prefix, words }) : text),
      llmsFull: new TextFile(path.join(publicDir, rootFiles.llmsFull), writer),
      file: (url: string, text: string): FileToWrite => ({
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
  try {
    for (const c of copies) await c.llmsFull.push(llmsFullHead(c.twin.brand));
    for (const { article, group, public: inPublic } of plan.entries) {
      const url = urls.articleMarkdown(article.language, group.id);
      if (!inPublic || !withCopy.has(url)) continue;
      const copy = markdownCopy(article, origin);
      for (const c of copies) {
        const text = c.mine(copy);
        await c.llmsFull.push(llmsFullPart(text));
        c.batch.push(c.file(url, text));
        // A hundred at a time: the texts of a batch are the writer thread's once handed over.
        if (c.batch.length === 100) await writer.write(c.batch.splice(0));
      }
    }
    for (const c of copies) await writer.write(c.batch.splice(0));
  } finally {
    for (const c of copies) await c.llmsFull.close();
  }
}

/**
 * One `knowledge.json`, written article by article: a large help center's full feed is hundreds
 * of megabytes, more than one string may hold. The bytes are exactly `JSON.stringify(feed, null,
 * 2)` plus a newline, as if it had been written at once.
 */
class FeedFile {
  readonly #file: TextFile;
  #count = 0;

  private constructor(file: TextFile) {
    this.#file = file;
  }

  /** Starts the file with everything before the first article. */
  static async open(file: TextFile, head: Omit<KnowledgeFeed, 'articles'>): Promise<FeedFile> {
    const feed = new FeedFile(file);
    // `articles` is the last key, so the feed written whole ends in `"articles": []\n}`.
    const whole = JSON.stringify({ ...head, articles: [] }, null, 2);
    await feed.#file.push(`${whole.slice(0, -'[]\n}'.length)}[`);
    return feed;
  }

  /** An article as `add` takes it: its JSON, indented as an element of the `articles` array. */
  static json(article: FeedArticle): string {
    return JSON.stringify(article, null, 2).replace(/\n/g, '\n    ');
  }

  async add(json: string): Promise<void> {
    await this.#file.push(`${this.#count++ ? ',' : ''}\n    ${json}`);
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
 * held at once. `bytes` counts what was handed over.
 */
class TextFile {
  static readonly #chunk = 1 << 20;
  readonly #file: string;
  readonly #writer: FileWriter;
  #pending: string[] = [];
  #pendingLength = 0;
  #started = false;
  bytes = 0;
  closed = false;

  constructor(file: string, writer: FileWriter) {
    this.#file = file;
    this.#writer = writer;
  }

  async push(text: string): Promise<void> {
    this.#pending.push(text);
    this.#pendingLength += text.length;
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
    for (const part of text) this.bytes += Buffer.byteLength(part, 'utf8');
    // The first piece replaces whatever the file held; the others follow it.
    const append = this.#started;
    this.#started = true;
    await this.#writer.write([{ file: this.#file, text, append }]);
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
