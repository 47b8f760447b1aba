import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { RenderedMarkdown } from './types.ts';
import { PROJECT_ROOT } from '../paths.ts';

/**
 * The render cache of incremental builds: each article body's render (HTML, images, headings,
 * text) as the previous build of the same output made it, so a build after a one-article edit
 * renders one body instead of all of them (about a second of route data at 3,000 articles).
 *
 * An entry is found by a key that hashes everything a render is made from (`renderKey`): the body,
 * its format and language, the UI labels, the embed hosts, every link and image as resolved, and
 * Signpost's code and dependencies. A hit is therefore right by construction; a change anywhere in
 * those renders the body again. Only clean renders are kept: a body with an error renders every
 * time, so its error is reported every time.
 *
 * One pack file per output folder, in Signpost's cache folder (`.astro/cache/renders/`, beside
 * the image cache, outside every deploy root): the output folder's path on the first line, the
 * entries one after another (`encode`), then the index (key → offset, length) as JSON, then the
 * index's offset and length. A build reads the entries it needs one by one, so a 25,000-article
 * pack is never held whole, and writes each render to its own pack as it is made or read, under
 * a temporary name that it renames over the old one at the end: nothing is held for the pack, a
 * build killed part-way or two builds at once leave a whole pack or none.
 */
export class RenderCache {
  /** The previous build's pack, open for reading, and its index. */
  #old: { fd: number; index: Map<string, [offset: number, length: number]> } | undefined;
  /** This build's pack as it is written (under `#temp`); `null` once writing it failed. */
  #new:
    { fd: number; index: Map<string, [offset: number, length: number]>; offset: number } | undefined | null;
  readonly #file: string;
  readonly #temp: string;
  readonly #out: string;
  readonly #code: string;
  /** Entries read (hits) and asked for in vain (misses), for the build's summary. */
  hits = 0;
  misses = 0;
  /** The previous pack, once `finish` replaced it, for the build to remove (`replaceKept`). */
  readonly retired: string[] = [];

  /**
   * The cache of the output folder `out` for Signpost's version `code` (`codeVersion`, which every
   * key hashes); `fresh` (`--no-cache`) reads nothing but still writes, so the next build finds
   * this one's renders.
   */
  constructor(out: string, fresh: boolean, code: string, dir = RENDER_CACHE_DIR) {
    this.#out = path.resolve(out);
    this.#code = code;
    this.#file = renderPackOf(out, dir);
    this.#temp = `${this.#file}.${process.pid}.tmp`;
    if (fresh) return;
    let fd: number | undefined;
    try {
      fd = fs.openSync(this.#file, 'r');
      const size = fs.fstatSync(fd).size;
      const tail = readAt(fd, size - TAIL, TAIL).toString('latin1');
      const [, offset, length] = /^(\d+) (\d+)\s*$/.exec(tail) ?? [];
      const index = JSON.parse(readAt(fd, Number(offset), Number(length)).toString('utf8')) as PackIndex;
      if (index.version !== VERSION) throw new Error('a pack of another format');
      this.#old = { fd, index: new Map(Object.entries(index.entries)) };
    } catch {
      // no previous build, or a pack this code cannot read: render everything
      if (fd !== undefined) fs.closeSync(fd);
    }
  }

  /** The key of a render made from `inputs` by this version of Signpost (`renderKey`). */
  key(inputs: Omit<RenderInputs, 'code'>): string {
    return renderKey({ ...inputs, code: this.#code });
  }

  /** Whether the previous build's pack holds a render under `key` (`get` reads it). */
  has(key: string): boolean {
    return this.#old?.index.has(key) ?? false;
  }

  /** The render kept under `key`, or undefined; one found goes into this build's pack as it is. */
  get(key: string): RenderedMarkdown | undefined {
    const at = this.#old?.index.get(key);
    if (at !== undefined)
      try {
        const bytes = readAt(this.#old!.fd, at[0], at[1]);
        const rendered = decode(bytes);
        this.#append(key, [bytes]);
        this.hits++;
        return rendered;
      } catch {
        // a damaged entry: render it
      }
    this.misses++;
    return undefined;
  }

  /** Keeps a clean render for the next build. */
  put(key: string, rendered: RenderedMarkdown): void {
    if (this.#new?.index.has(key)) return;
    this.#append(key, encode(rendered));
  }

  /**
   * Ends this build's pack (its index, then its place, over the previous one) and lets go of the
   * previous one. Call once every render is done: what this build did not ask for drops out.
   */
  finish(): void {
    this.#closeOld();
    const pack = this.#new;
    if (!pack) return;
    this.#new = undefined;
    try {
      // The index a thousand entries at a time: 25,000 keys in one string would be megabytes.
      const entries = [...pack.index];
      let text = `{"version":${VERSION},"entries":{`;
      let length = 0;
      for (let i = 0; i < entries.length; i += 1000) {
        const part = entries
          .slice(i, i + 1000)
          .map(([key, at]) => `${JSON.stringify(key)}:[${at[0]},${at[1]}]`)
          .join(',');
        text += (i ? ',' : '') + part;
        length += writeAll(pack.fd, text);
        text = '';
      }
      length += writeAll(pack.fd, `${text}}}`);
      writeAll(pack.fd, `${pack.offset} ${length}`.padEnd(TAIL, ' '));
      fs.closeSync(pack.fd);
      replaceKept(this.#temp, this.#file, this.retired);
      pruneCache(path.dirname(this.#file), this.#file);
    } catch {
      // A pack that cannot be written (a full disk, a read-only folder) costs the next build its
      // renders, nothing more: this build's output does not depend on it.
      this.#dropNew(pack);
    }
  }

  /** Lets go of both packs and writes nothing: for a build that stopped. */
  discard(): void {
    this.#closeOld();
    if (this.#new) this.#dropNew(this.#new);
    this.#new = undefined;
  }

  /** Adds an entry to this build's pack, started at the first; on a failure, gives the pack up. */
  #append(key: string, parts: (string | Buffer)[]): void {
    if (this.#new === null || this.#new?.index.has(key)) return;
    try {
      if (!this.#new) {
        fs.mkdirSync(path.dirname(this.#file), { recursive: true });
        const fd = fs.openSync(this.#temp, 'w');
        this.#new = { fd, index: new Map(), offset: 0 };
        this.#new.offset = writeAll(fd, `${JSON.stringify(this.#out)}\n`);
      }
      const pack = this.#new;
      let length = 0;
      for (const part of parts) length += writeAll(pack.fd, part);
      pack.index.set(key, [pack.offset, length]);
      pack.offset += length;
    } catch {
      if (this.#new) this.#dropNew(this.#new);
      this.#new = null;
    }
  }

  #closeOld(): void {
    if (this.#old) fs.closeSync(this.#old.fd);
    this.#old = undefined;
  }

  #dropNew(pack: { fd: number }): void {
    try {
      fs.closeSync(pack.fd);
    } catch {
      // closed already
    }
    fs.rmSync(this.#temp, { force: true });
  }
}

/** The pack of the output folder `out`. */
export function renderPackOf(out: string, dir = RENDER_CACHE_DIR): string {
  return path.join(dir, `${cacheNameOf(out)}.pack`);
}

/**
 * The name of what a cache keeps for the output folder `out` (the render, feed and bundle caches
 * each keep one entry per output folder): a hash of its absolute path.
 */
export function cacheNameOf(out: string): string {
  return createHash('sha256').update(path.resolve(out)).digest('hex').slice(0, 16);
}

/** Where the packs live: Signpost's cache folder, which a CI runner keeps with the image cache. */
export const RENDER_CACHE_DIR = path.join(PROJECT_ROOT, '.astro', 'cache', 'renders');

const VERSION = 2;

/** Bytes at the end of a pack that say where its index is: `<offset> <length>`, padded. */
const TAIL = 32;

interface PackIndex {
  version: number;
  entries: Record<string, [offset: number, length: number]>;
}

/** What makes a render, for {@link renderKey}. */
export interface RenderInputs {
  /** Signpost's code and dependencies (`codeVersion`). */
  code: string;
  format: 'md' | 'mdx';
  language: string;
  labels: Record<string, string | undefined>;
  embedHosts: readonly string[];
  /** Each link href as written → the URL it renders as. */
  links: Iterable<[string, string]>;
  /** Each image src as written → its file. */
  images: Iterable<[string, string]>;
  body: string;
}

/** The key of a render: a hash of everything it is made from. */
export function renderKey(inputs: RenderInputs): string {
  const { body, links, images, ...rest } = inputs;
  return createHash('sha256')
    .update(JSON.stringify({ version: VERSION, ...rest, links: [...links], images: [...images] }))
    .update('\0')
    .update(body)
    .digest('hex');
}

/**
 * An entry: a line of JSON with the HTML's length in bytes, the images and the headings, then the
 * HTML and the text as they are. The two long strings skip JSON's escaping both ways (a tenth of
 * a second of a 3,000-article build).
 */
function encode({ html, images, headings, text }: RenderedMarkdown): string[] {
  // Strings, not buffers: written as they are, they leave no buffer behind for the collector.
  return [`${JSON.stringify([Buffer.byteLength(html, 'utf8'), images, headings])}\n`, html, text];
}

function decode(bytes: Buffer): RenderedMarkdown {
  const end = bytes.indexOf(0x0a);
  if (end === -1) throw new Error('an entry without its line');
  const [htmlLength, images, headings] = JSON.parse(bytes.toString('utf8', 0, end)) as [
    number,
    RenderedMarkdown['images'],
    RenderedMarkdown['headings'],
  ];
  const htmlEnd = end + 1 + htmlLength;
  if (!(
    Number.isInteger(htmlLength) &&
    htmlEnd <= bytes.length &&
    Array.isArray(images) &&
    Array.isArray(headings)
  ))
    throw new Error('an entry of another shape');
  return {
    html: bytes.toString('utf8', end + 1, htmlEnd),
    images,
    headings,
    text: bytes.toString('utf8', htmlEnd),
  };
}

/** Writes all of `data` (a string as UTF-8) at the file's position; returns how many bytes that is. */
function writeAll(fd: number, data: string | Buffer): number {
  if (typeof data === 'string') {
    const length = Buffer.byteLength(data, 'utf8');
    if (fs.writeSync(fd, data) !== length) throw new Error('a write cut short');
    return length;
  }
  for (let done = 0; done < data.length;) done += fs.writeSync(fd, data, done);
  return data.length;
}

/** `length` bytes of the file open as `fd`, from `position`; throws where the file has fewer. */
export function readAt(fd: number, position: number, length: number): Buffer {
  if (!(position >= 0 && length >= 0)) throw new Error('outside the pack');
  const buffer = Buffer.allocUnsafe(length);
  const read = fs.readSync(fd, buffer, 0, length, position);
  if (read !== length) throw new Error('a pack cut short');
  return buffer;
}

/**
 * Puts `temp` in the place of `file`, a cache's file that a build replaces whole: the file it
 * replaces is set aside (renamed, and added to `retired`) for the build to remove in the
 * background with the old output (`build.ts`), not removed here. Renamed over, a pack of 30 MB
 * was freed in the rename: 30–100 ms of this disk, at the end of every rebuild. One set aside and
 * not removed (a build killed) is a `.tmp` entry, which `pruneCache` removes a day later.
 */
export function replaceKept(temp: string, file: string, retired: string[]): void {
  const aside = `${file}.${process.pid}-${Date.now()}${RETIRED}`;
  try {
    fs.renameSync(file, aside);
    retired.push(aside);
  } catch {
    // none yet
  }
  fs.renameSync(temp, file);
}

/**
 * Writes `text` as `file`, a cache's file (and its folder, if need be), whole or not at all:
 * through a temporary file renamed over it, so no build reads half of it. False where it cannot
 * (a full disk, a read-only folder), which costs the next build that file's hits, nothing more.
 */
export function writeCacheFile(file: string, text: string): boolean {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, file);
    return true;
  } catch {
    fs.rmSync(temp, { force: true });
    return false;
  }
}

/** How `replaceKept` ends the name of a file it sets aside, after when (ms since the epoch). */
const RETIRED = '.retired.tmp';

/** When `name` (a file's name) was set aside by `replaceKept`; undefined for any other file. */
export function setAsideAt(name: string): number | undefined {
  if (!name.endsWith(RETIRED)) return undefined;
  const when = /-(\d+)$/.exec(name.slice(0, -RETIRED.length))?.[1];
  return when === undefined ? undefined : Number(when);
}

/**
 * Removes the entries of a cache folder (this one's packs, the load cache's files, the feed
 * cache's folders) that no build will read: those of folders that are gone (`servedBy` names the
 * folder an entry serves, here an output folder: tests' and benchmarks' temporary ones; an hour's
 * grace, since a first build writes its pack before its output is in place), those no build wrote
 * for a month, and temporary ones (`.tmp`) of builds killed.
 */
export function pruneCache(dir: string, keep: string, servedBy: (entry: string) => string = firstLine): void {
  const now = Date.now();
  for (const name of fs.readdirSync(dir)) {
    const entry = path.join(dir, name);
    if (entry === keep) continue;
    try {
      const age = now - fs.statSync(entry).mtimeMs;
      if (
        name.endsWith('.tmp') ? age > DAY : age > 30 * DAY || (age > HOUR && !fs.existsSync(servedBy(entry)))
      )
        fs.rmSync(entry, { recursive: true, force: true });
    } catch {
      // removed meanwhile by another build, or an entry of no cache's shape: left alone
    }
  }
}

/** The folder a cache file was written for (its first line, as JSON). */
function firstLine(pack: string): string {
  const fd = fs.openSync(pack, 'r');
  try {
    const head = Buffer.alloc(4096);
    const text = head.subarray(0, fs.readSync(fd, head, 0, head.length, 0)).toString('utf8');
    const out = JSON.parse(text.slice(0, text.indexOf('\n'))) as unknown;
    if (typeof out !== 'string') throw new Error('not a pack');
    return out;
  } finally {
    fs.closeSync(fd);
  }
}

export const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
