import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { RenderedMarkdown } from './types.ts';
import { PROJECT_ROOT } from '../paths.ts';

/**
 * The render cache of incremental builds: each article body's render (HTML, images, headings,
 * text) as the previous build of the same output made it, so a build after a one-article edit
 * renders one body instead of all of them (about 0.7 s of route data at 3,000 articles).
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
 * index's offset and length. A build reads the
 * entries it needs one by one, so a 25,000-article pack is never held whole, and writes the pack
 * of its own renders under a temporary name that it renames over the old one: a build killed
 * part-way, or two builds at once, leave a whole pack or none.
 */
export class RenderCache {
  #fd: number | undefined;
  readonly #index: Map<string, [number, number]>;
  readonly #file: string;
  readonly #out: string;
  /** Keys of the entries read whole, which the next pack takes as they are. */
  readonly #read = new Set<string>();
  /** Entries read (hits) and asked for in vain (misses), for the build's summary. */
  hits = 0;
  misses = 0;

  /**
   * The cache of the output folder `out`; `fresh` (`--no-cache`) reads nothing but still writes,
   * so the next build finds this one's renders.
   */
  constructor(out: string, fresh: boolean, dir = RENDER_CACHE_DIR) {
    this.#out = path.resolve(out);
    this.#file = renderPackOf(out, dir);
    this.#index = new Map();
    if (fresh) return;
    let fd: number | undefined;
    try {
      fd = fs.openSync(this.#file, 'r');
      const size = fs.fstatSync(fd).size;
      const tail = readAt(fd, size - TAIL, TAIL).toString('latin1');
      const [, offset, length] = /^(\d+) (\d+)\s*$/.exec(tail) ?? [];
      const index = JSON.parse(readAt(fd, Number(offset), Number(length)).toString('utf8')) as PackIndex;
      if (index.version !== VERSION) throw new Error('a pack of another format');
      for (const [key, at] of Object.entries(index.entries)) this.#index.set(key, at);
      this.#fd = fd;
    } catch {
      // no previous build, or a pack this code cannot read: render everything
      if (fd !== undefined) fs.closeSync(fd);
      this.#index.clear();
    }
  }

  /** The render kept under `key`, or undefined. */
  get(key: string): RenderedMarkdown | undefined {
    const at = this.#index.get(key);
    if (at === undefined || this.#fd === undefined) {
      this.misses++;
      return undefined;
    }
    try {
      const rendered = decode(readAt(this.#fd, at[0], at[1]));
      this.#read.add(key);
      this.hits++;
      return rendered;
    } catch {
      this.misses++;
      return undefined; // a damaged entry: render it
    }
  }

  /**
   * Writes the pack of `renders` (key → render: this build's, hits included, so entries no build
   * needs any more drop out) in place of the old one, and lets go of the old one.
   */
  save(renders: Iterable<[string, RenderedMarkdown]>): void {
    try {
      this.#write(renders);
    } catch {
      // A pack that cannot be written (a full disk, a read-only folder) costs the next build its
      // renders, nothing more: this build's output does not depend on it.
    } finally {
      this.close();
    }
  }

  #write(renders: Iterable<[string, RenderedMarkdown]>): void {
    fs.mkdirSync(path.dirname(this.#file), { recursive: true });
    const temp = `${this.#file}.${process.pid}.tmp`;
    const fd = fs.openSync(temp, 'w');
    try {
      const index: PackIndex = { version: VERSION, entries: {} };
      const head = Buffer.from(`${JSON.stringify(this.#out)}\n`, 'utf8');
      let offset = head.length;
      let pending: Buffer[] = [head];
      let pendingBytes = head.length;
      const flush = () => {
        const chunk = Buffer.concat(pending, pendingBytes);
        for (let done = 0; done < chunk.length;) done += fs.writeSync(fd, chunk, done);
        pending = [];
        pendingBytes = 0;
      };
      for (const [key, rendered] of renders) {
        // A render read from the old pack goes into the new one as the bytes it was read from.
        const old = this.#read.has(key) ? this.#index.get(key) : undefined;
        const bytes = old && this.#fd !== undefined ? readAt(this.#fd, old[0], old[1]) : encode(rendered);
        index.entries[key] = [offset, bytes.length];
        offset += bytes.length;
        pending.push(bytes);
        pendingBytes += bytes.length;
        if (pendingBytes >= 1 << 20) flush();
      }
      const indexBytes = Buffer.from(JSON.stringify(index), 'utf8');
      pending.push(indexBytes, Buffer.from(`${offset} ${indexBytes.length}`.padEnd(TAIL, ' '), 'latin1'));
      pendingBytes += indexBytes.length + TAIL;
      flush();
    } catch (error) {
      fs.closeSync(fd);
      fs.rmSync(temp, { force: true });
      throw error;
    }
    fs.closeSync(fd);
    fs.renameSync(temp, this.#file);
    prune(path.dirname(this.#file), this.#file);
  }

  /** Lets go of the previous pack (`save` does too). */
  close(): void {
    if (this.#fd !== undefined) fs.closeSync(this.#fd);
    this.#fd = undefined;
    this.#index.clear();
    this.#read.clear();
  }
}

/** The pack of the output folder `out`. */
export function renderPackOf(out: string, dir = RENDER_CACHE_DIR): string {
  return path.join(dir, `${createHash('sha256').update(path.resolve(out)).digest('hex').slice(0, 16)}.pack`);
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
function encode({ html, images, headings, text }: RenderedMarkdown): Buffer {
  const htmlBytes = Buffer.from(html, 'utf8');
  const line = Buffer.from(`${JSON.stringify([htmlBytes.length, images, headings])}\n`, 'utf8');
  const textBytes = Buffer.from(text, 'utf8');
  return Buffer.concat([line, htmlBytes, textBytes], line.length + htmlBytes.length + textBytes.length);
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

function readAt(fd: number, position: number, length: number): Buffer {
  if (!(position >= 0 && length >= 0)) throw new Error('outside the pack');
  const buffer = Buffer.allocUnsafe(length);
  const read = fs.readSync(fd, buffer, 0, length, position);
  if (read !== length) throw new Error('a pack cut short');
  return buffer;
}

/**
 * Removes the packs no build will read: those of output folders that are gone (tests' and
 * benchmarks' temporary ones; an hour's grace, since a first build writes its pack before its
 * output is in place), those no build wrote for a month, and temporary files of builds killed.
 */
function prune(dir: string, keep: string): void {
  const now = Date.now();
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (file === keep) continue;
    try {
      const age = now - fs.statSync(file).mtimeMs;
      if (name.endsWith('.tmp') ? age > DAY : age > 30 * DAY || (age > HOUR && !fs.existsSync(outOf(file))))
        fs.rmSync(file, { force: true });
    } catch {
      // removed meanwhile by another build, or a file of no pack's shape: left alone
    }
  }
}

/** The output folder a pack was written for (its first line). */
function outOf(pack: string): string {
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

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
