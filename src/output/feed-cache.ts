import { hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { cacheNameOf, pruneCache } from '../cache/files.ts';
import { PROJECT_ROOT } from '../paths.ts';

/** Which feed a file is: the public one (deployed) or the full one (never deployed). */
export type FeedScope = 'public' | 'full';

/**
 * Bytes of a file that `FileWriter` copies into the file it writes (`writer-worker.ts`): from the
 * descriptor `fd` (open in this process, so in every thread of it), which stays open until the
 * cache is closed; `from` names the file in errors.
 */
export interface FileRange {
  fd: number;
  from: string;
  offset: number;
  length: number;
}

/**
 * The feed cache of incremental builds: each article's JSON as the previous build of the same
 * output wrote it into each `knowledge.json`, so a build writes the bytes of an unchanged article
 * without making its body's three forms, serializing it and handing it to the writer's thread again
 * (1,000 × 3: ~0.4 s of the build's thread in every build that keeps its caches).
 *
 * An entry is found by a key that names the feed it is in and hashes the article as it will be
 * written, but with what its body is made from in place of the values made from the body
 * (`draftFeedArticle`), plus the words of its brand and Signpost's code. So a hit is right by
 * construction: a change to anything the article's JSON shows, or is made from, changes its key.
 * Most articles are the same in both feeds: their one `digest` serves both keys. Each public
 * article's `.md` copy is kept too, in `llms-full.txt`, under its public entry's key (`copy:` before
 * it): the copy is made of nothing the entry is not made from.
 *
 * The entries are the previous build's feed files themselves: each is kept as a hard link in a
 * folder per output folder in Signpost's cache folder (`.astro/cache/feeds/`, beside the render
 * cache), with an index (key → file, offset, length), so keeping them writes nothing but the index,
 * and they outlive the output folder they were written into. The writer's thread copies an
 * entry's bytes from there (a `FileRange`). Each kept file is opened once, when the cache is, and
 * read through that descriptor: another build of the same output that keeps its own feeds
 * meanwhile replaces the folder, not the files this build reads. A kept file whose size or
 * modification time are not what the index says (something wrote into the output's feed in
 * place), or whose index does not fit it, is not read. Like the render cache's pack, the folder
 * itself is trusted: what can write there can write `dist/`. A public feed's article is only ever
 * taken from a public feed file: the full feed holds private and internal articles, which must
 * never reach a deploy root.
 */
export class FeedCache {
  /** The previous build's entries, by key, in the files it kept. */
  readonly #old = new Map<string, { file: KeptFile; offset: number; length: number }>();
  /** The previous build's files, open for reading until `close`. */
  readonly #files: KeptFile[] = [];
  /** This build's feed files, and where each of their articles is. */
  readonly #new = new Map<
    string,
    { scope: FeedScope; entries: [key: string, offset: number, length: number][] }
  >();
  readonly #dir: string;
  readonly #out: string;
  readonly #code: string;

  /**
   * The cache of the output folder `out` for Signpost's version `code` (`codeVersion`);
   * `fresh` (`--no-cache`) reads nothing but still keeps this build's feeds for the next one.
   */
  constructor(out: string, fresh: boolean, code: string, root = FEED_CACHE_DIR) {
    this.#out = path.resolve(out);
    this.#code = code;
    this.#dir = path.join(root, cacheNameOf(this.#out));
    if (fresh) return;
    let index: FeedCacheIndex;
    try {
      index = JSON.parse(fs.readFileSync(path.join(this.#dir, INDEX), 'utf8')) as FeedCacheIndex;
      if (index.version !== VERSION || index.code !== code || !Array.isArray(index.files)) return;
    } catch {
      return; // no previous build, or one that kept nothing
    }
    for (const kept of index.files) {
      const name = path.join(this.#dir, String(kept.name));
      let fd: number | undefined;
      try {
        fd = fs.openSync(name, 'r');
        const stat = fs.fstatSync(fd, { bigint: true });
        const size = Number(stat.size);
        const fits = ([key, offset, length]: [string, number, number]) =>
          typeof key === 'string' &&
          Number.isSafeInteger(offset) &&
          Number.isSafeInteger(length) &&
          offset >= 0 &&
          length >= 0 &&
          offset + length <= size;
        if (
          String(stat.size) !== kept.size ||
          String(stat.mtimeNs) !== kept.mtimeNs ||
          (kept.scope !== 'public' && kept.scope !== 'full') ||
          !Array.isArray(kept.entries) ||
          !kept.entries.every(fits)
        )
          throw new Error('written into since it was kept, or a damaged index');
        const file: KeptFile = { fd, name, scope: kept.scope };
        this.#files.push(file);
        fd = undefined;
        for (const [key, offset, length] of kept.entries) this.#old.set(key, { file, offset, length });
      } catch {
        // gone, changed or damaged: its articles are made again
        if (fd !== undefined) fs.closeSync(fd);
      }
    }
  }

  /**
   * What keys an article in the feeds of the brand of `words`: a hash of `draft`, its text as
   * `draftFeedArticle` drafts it (its body's inputs and its draft's JSON, with the translations
   * of the feed it is in), and of Signpost's code. One hash in one call: at 1,000 × 3, the build
   * keys ~5,000 articles, where each hash object made and fed piece by piece cost ~50 µs.
   */
  digest(words: readonly string[], draft: string): string {
    // The words as JSON end where they end: no two lists of words and drafts hash the same text.
    return hash('sha256', `${VERSION}\0${this.#code}\0${JSON.stringify(words)}\0${draft}`);
  }

  /** The key of the article of `digest` (`digest`) in a `scope` feed. */
  static key(scope: FeedScope, digest: string): string {
    return `${scope}:${digest}`;
  }

  /** Where the previous build wrote the article of `key` into a `scope` feed, if it did. */
  find(key: string, scope: FeedScope): FileRange | undefined {
    const found = this.#old.get(key);
    // The key names the scope too; this keeps the full feed's bytes out of a public feed regardless.
    if (!found || found.file.scope !== scope) return undefined;
    return { fd: found.file.fd, from: found.file.name, offset: found.offset, length: found.length };
  }

  /** Notes that this build wrote the article of `key` into `file` (a `scope` feed) at `offset`. */
  record(file: string, scope: FeedScope, key: string, offset: number, length: number): void {
    let written = this.#new.get(file);
    if (!written) this.#new.set(file, (written = { scope, entries: [] }));
    written.entries.push([key, offset, length]);
  }

  /**
   * Keeps this build's feed files for the next build (call once they are written): a hard link of
   * each and the index in a new folder, which then replaces the previous one. A folder that cannot
   * be written (a full disk, a read-only folder, an output folder on another file system, where
   * there are no hard links to it) costs the next build its feed cache, nothing more. Closes the
   * previous build's files.
   */
  save(): void {
    this.close();
    const temp = `${this.#dir}.${process.pid}.tmp`;
    const old = `${this.#dir}.${process.pid}.old.tmp`;
    try {
      fs.rmSync(temp, { recursive: true, force: true });
      fs.mkdirSync(temp, { recursive: true });
      const files: FeedCacheIndex['files'] = [];
      for (const [file, { scope, entries }] of this.#new) {
        const name = `${files.length}.json`;
        fs.linkSync(file, path.join(temp, name));
        const stat = fs.statSync(path.join(temp, name), { bigint: true });
        files.push({
          name,
          scope,
          size: String(stat.size),
          mtimeNs: String(stat.mtimeNs),
          entries,
        });
      }
      const index: FeedCacheIndex = { version: VERSION, code: this.#code, out: this.#out, files };
      fs.writeFileSync(path.join(temp, INDEX), JSON.stringify(index));
      if (fs.existsSync(this.#dir)) fs.renameSync(this.#dir, old);
      fs.renameSync(temp, this.#dir);
      pruneCache(path.dirname(this.#dir), this.#dir, (folder) => {
        const { out } = JSON.parse(fs.readFileSync(path.join(folder, INDEX), 'utf8')) as FeedCacheIndex;
        return out;
      });
    } catch {
      fs.rmSync(temp, { recursive: true, force: true });
    } finally {
      fs.rmSync(old, { recursive: true, force: true });
    }
  }

  /** Closes the previous build's files, and keeps nothing: for a build that stopped. */
  close(): void {
    for (const { fd } of this.#files.splice(0)) fs.closeSync(fd);
    this.#old.clear();
  }
}

/** A feed file the previous build kept, open for reading. */
interface KeptFile {
  fd: number;
  name: string;
  scope: FeedScope;
}

/** Where the kept feeds live: Signpost's cache folder, which a CI runner keeps with the image cache. */
export const FEED_CACHE_DIR = path.join(PROJECT_ROOT, '.astro', 'cache', 'feeds');

const VERSION = 3;
const INDEX = 'index.json';

interface FeedCacheIndex {
  version: number;
  code: string;
  /** The output folder whose feeds these are. */
  out: string;
  files: {
    name: string;
    scope: FeedScope;
    /** What the file was when kept (decimal strings: nanoseconds do not fit a number). */
    size: string;
    mtimeNs: string;
    entries: [key: string, offset: number, length: number][];
  }[];
}
