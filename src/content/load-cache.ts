import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { crc32 } from 'node:zlib';
import type { Outline } from '../markdown/outline.ts';
import { pruneCache, readAt, replaceKept } from '../markdown/render-cache.ts';
import { PROJECT_ROOT } from '../paths.ts';

/**
 * The load cache of incremental builds: what the content load reads from each article file, as
 * the previous build of the same content folder read it: its front matter's YAML (the data, and
 * the line of each top-level key) and its body's outline (links, images, components, hazards,
 * comments, first paragraph: `outline.ts`), and the YAML of each `_collection.yaml` and
 * `_folder.yaml` alike; and each language's related articles (`related.ts`), which only titles,
 * tags and collections change (~0.1–0.2 s of a rebuild's route data at 1,000 × 3). A build after
 * a one-article edit then parses one front matter and one body instead of all of them (at
 * 1,000 × 3, ~0.3 s of YAML and ~0.3 s of Markdown, and ~30–50 ms of collection files).
 *
 * Given the hash of each article file's bytes (`articles`: the build stamp's check has them), it
 * also keeps each article file as the load made it of those bytes (`KeptArticle`: its checked
 * front matter and its body), so a build does not even read an article file whose bytes it has
 * seen, nor hash, split or check it (1,000 × 3: the article files took ~0.2 s less).
 *
 * An entry is found by a hash of the very text it is read from and of Signpost's code and
 * dependencies (`codeVersion`): a hit is right by construction. Only clean reads are kept: YAML
 * with a problem is parsed every time, so its problem is reported every time; the outline of a
 * body that does not parse is not kept. A hazard is part of the outline, reported from it as
 * from a fresh one.
 *
 * One file per content folder, in Signpost's cache folder (`.astro/cache/load/`, beside the
 * render cache): the content folder's path on the first line, then the entries this build asked
 * for or made, each appended as it is kept or found, under a temporary name renamed over the
 * previous one at the end, so a build killed part-way leaves a whole file or none; files of
 * content folders that are gone are removed as the render cache's packs are. 16 MB at 1,000 × 3,
 * read whole; 136 MB at 5,000 × 5, read an entry at a time, so nothing is held where memory is
 * tight but the index (see `readIndex`).
 */
export class LoadCache {
  readonly #file: string;
  readonly #content: string;
  readonly #code: string;
  /**
   * The previous build's file and where each entry is in it: its bytes where the file is small
   * (`WHOLE_MAX`), else open for reading, an entry at a time as it is asked for. Each entry is
   * serialized on its own: whoever asks gets a value of its own, which nothing else holds or changes.
   */
  #old:
    | { bytes: Buffer; fd?: undefined; index: Map<string, EntryAt> }
    | { fd: number; index: Map<string, EntryAt> }
    | undefined;
  /**
   * This build's file as it is written (under `#temp`), each entry appended as it is kept or
   * found, a batch (`FLUSH_AT`) at a time; undefined until the first, null once writing failed.
   */
  #new: NewFile | undefined | null;
  readonly #temp: string;
  /** The SHA-256 of each article file's bytes, by absolute path (`articles`). */
  readonly #articles: Readonly<Record<string, string>>;
  /** The outline key of each body, by its text: a kept article file's, or one hashed once. */
  readonly #outlineKeys = new Map<string, { format: 'md' | 'mdx'; key: string }>();
  /** Front matters, outlines and article files found (not read again). */
  hits = 0;
  /** The previous file, once `save` replaced it, for the build to remove (`replaceKept`). */
  readonly retired: string[] = [];

  /**
   * The cache of the content folder `content` for Signpost's version `code`; `fresh`
   * (`--no-cache`) reads nothing but still writes, so the next build finds this one's reads.
   * `articles`: the SHA-256 of each article file's bytes, by absolute path, as hashed at the start
   * of this build (`articleFile`); `dir`: where the files live; `wholeMax`: the size up to which
   * the previous file is read whole (`WHOLE_MAX`).
   */
  constructor(
    content: string,
    code: string,
    fresh: boolean,
    {
      dir = LOAD_CACHE_DIR,
      articles = {},
      wholeMax = WHOLE_MAX,
    }: { dir?: string; articles?: Record<string, string> | undefined; wholeMax?: number } = {},
  ) {
    this.#code = code;
    this.#articles = articles;
    this.#content = path.resolve(content);
    this.#file = path.join(dir, `${hash(this.#content).slice(0, 16)}.bin`);
    this.#temp = `${this.#file}.${process.pid}.tmp`;
    if (fresh) return;
    let fd: number | undefined;
    try {
      fd = fs.openSync(this.#file, 'r');
      const size = fs.fstatSync(fd).size;
      if (size <= wholeMax) {
        const bytes = readAt(fd, 0, size);
        this.#old = { bytes, index: readIndex((at, length) => bytes.subarray(at, at + length), size) };
        fs.closeSync(fd);
      } else {
        const from = fd;
        this.#old = { fd, index: readIndex((at, length) => readAt(from, at, length), size) };
      }
    } catch {
      // no previous build, or a file this code cannot read: read everything
      if (fd !== undefined && this.#old?.fd !== fd) fs.closeSync(fd);
    }
  }

  /**
   * Front matter read from `yaml` (the text between its `---` lines) by a previous build, and how
   * to keep a clean read of it for the next; not data with a `__proto__` key, which an object of
   * lines (and a copy) would not hold as its own.
   */
  frontMatter(yaml: string): Kept<KeptFrontMatter> {
    const key = this.#key('yaml', yaml);
    return {
      value: this.#get(key) as KeptFrontMatter | undefined,
      keep: (kept) => {
        if (!hasProtoKey(kept.data)) this.#keep(key, kept);
      },
    };
  }

  /** The outline of a body (`format` and Markdown) by a previous build, and how to keep one. */
  outline(format: 'md' | 'mdx', body: string): Kept<Outline> {
    const key = this.outlineKey(format, body);
    return { value: this.#get(key) as Outline | undefined, keep: (outline) => this.#keep(key, outline) };
  }

  /**
   * The key of a body's outline (`outline`), which a kept article file carries: hashed once per
   * body, whether the article file was kept or read.
   */
  outlineKey(format: 'md' | 'mdx', body: string): string {
    const known = this.#outlineKeys.get(body);
    if (known?.format === format) return known.key;
    const key = this.#key(format, body);
    this.#outlineKeys.set(body, { format, key });
    return key;
  }

  /**
   * Related articles a previous build computed from `inputs`, the text of everything they are
   * computed from (`related.ts`), and how to keep this build's.
   */
  related(inputs: string): Kept<[id: string, related: string[]][]> {
    const key = this.#key('related', inputs);
    return {
      value: this.#get(key) as [string, string[]][] | undefined,
      keep: (value) => this.#keep(key, value),
    };
  }

  /**
   * The article file `file` as a previous build made it of the very bytes this build's stamp
   * hashed (`articles`), and how to keep what this build makes of them: undefined for a file with
   * no such hash (a file that came after the hashing). `sha` is that hash: only a read of bytes
   * with that hash may be kept under it (the file may have changed since).
   */
  articleFile(file: string): (Kept<KeptArticle> & { sha: string }) | undefined {
    const sha = this.#articles[file];
    if (sha === undefined) return undefined;
    const key = this.#key('article file', sha);
    const value = this.#get(key) as KeptArticle | undefined;
    if (value) this.#outlineKeys.set(value.body, { format: value.format, key: value.outlineKey });
    return {
      sha,
      value,
      keep: (kept) => {
        if (!hasProtoKey(kept.frontMatter.data) && !hasProtoKey(kept.article)) this.#keep(key, kept);
      },
    };
  }

  /**
   * Ends this build's file (its index, then its place, over the previous one) and lets go of
   * the previous one. What this build did not ask for drops out. A file that cannot be written (a
   * full disk, a read-only folder) costs the next build its reads, nothing more: no output depends
   * on it.
   */
  save(): void {
    this.#closeOld();
    this.#outlineKeys.clear();
    const file = this.#newFile(); // started here where nothing was asked: a file of no entries
    this.#new = undefined;
    if (!file) return;
    try {
      const index = Buffer.alloc(file.index.size * ROW);
      let row = 0;
      for (const [key, [offset, length, check]] of file.index) {
        index.write(key, row, 'latin1');
        index.writeUIntLE(offset, row + KEY_LENGTH, 6);
        index.writeUInt32LE(length, row + KEY_LENGTH + 6);
        index.writeUInt32LE(check, row + KEY_LENGTH + 10);
        row += ROW;
      }
      file.pending.push(index, Buffer.from(`${file.offset} ${file.index.size} ${crc32(index)}`.padEnd(TAIL)));
      flush(file);
      fs.closeSync(file.fd);
      replaceKept(this.#temp, this.#file, this.retired);
      pruneCache(path.dirname(this.#file), this.#file);
    } catch {
      dropFile(file, this.#temp);
    }
  }

  #key(kind: string, text: string): string {
    return hash(`${this.#code}\0${kind}\0${text}`);
  }

  #keep(key: string, value: unknown): void {
    let bytes: Buffer;
    try {
      bytes = v8.serialize(value);
    } catch {
      return; // a value that cannot be serialized is read again next time
    }
    this.#append(key, bytes);
  }

  #get(key: string): unknown {
    const fresh = this.#new?.index.get(key);
    const at = fresh ?? this.#old?.index.get(key);
    if (at === undefined) return undefined;
    let value: unknown;
    let bytes: Uint8Array;
    try {
      bytes = fresh ? this.#readNew(fresh) : this.#readOld(at);
      if (crc32(bytes) !== at[2]) throw new Error('changed on disk');
      value = v8.deserialize(bytes);
    } catch {
      // damaged: read the text again, and keep that
      if (fresh) this.#new?.index.delete(key);
      return undefined;
    }
    if (!fresh) this.#append(key, bytes);
    this.hits++;
    return value;
  }

  #readOld([offset, length]: EntryAt): Uint8Array {
    const old = this.#old!;
    return old.fd === undefined
      ? old.bytes.subarray(offset, offset + length)
      : readAt(old.fd, offset, length);
  }

  #readNew([offset, length]: EntryAt): Uint8Array {
    const file = this.#new!;
    flush(file);
    return readAt(file.fd, offset, length);
  }

  /** This build's file, started at the first ask; null once writing it failed. */
  #newFile(): NewFile | null {
    if (this.#new !== undefined) return this.#new;
    try {
      fs.mkdirSync(path.dirname(this.#file), { recursive: true });
      const head = Buffer.from(`${JSON.stringify(this.#content)}\n${FORMAT}\n`);
      const fd = fs.openSync(this.#temp, 'w+');
      this.#new = { fd, index: new Map(), offset: head.length, pending: [head], pendingBytes: head.length };
    } catch {
      this.#new = null;
    }
    return this.#new;
  }

  /** Adds an entry to this build's file; on a failure, gives the file up. */
  #append(key: string, bytes: Uint8Array): void {
    const file = this.#newFile();
    if (!file || file.index.has(key)) return;
    try {
      file.index.set(key, [file.offset, bytes.length, crc32(bytes)]);
      file.offset += bytes.length;
      file.pending.push(bytes);
      file.pendingBytes += bytes.length;
      if (file.pendingBytes >= FLUSH_AT) flush(file);
    } catch {
      dropFile(file, this.#temp);
      this.#new = null;
    }
  }

  #closeOld(): void {
    if (this.#old?.fd !== undefined) fs.closeSync(this.#old.fd);
    this.#old = undefined;
  }
}

/**
 * A text's entry: what a previous build kept (undefined: nothing, or nothing readable), and how
 * to keep what this build reads of the text (its key hashed once, when asked).
 */
export interface Kept<T> {
  value: T | undefined;
  keep(value: T): void;
}

/**
 * An article file as a clean load made it (`article-file.ts`): its front matter's YAML as parsed
 * (for the lines of its keys, and of deeper keys by parsing `yaml` again when a problem asks), the
 * front matter the article schema checked, and the body with its first line and format.
 */
export interface KeptArticle {
  yaml: string;
  frontMatter: KeptFrontMatter;
  /** What the article schema made of the front matter. */
  article: unknown;
  body: string;
  bodyLine: number;
  format: 'md' | 'mdx';
  /** The key of the body's outline (`outlineKey`). */
  outlineKey: string;
}

/** Front matter as a clean YAML parse gave it: the data, and lines in the YAML (1-based). */
export interface KeptFrontMatter {
  data: unknown;
  /** Each top-level key's line. */
  lines: Record<string, number>;
  /** The document's first line, given for a key it does not have. */
  start: number;
}

/** Where an entry is in a file: its offset, its length and the CRC-32 of its bytes. */
type EntryAt = [offset: number, length: number, check: number];

/** This build's file as it is written: its index so far, and the bytes not yet written. */
interface NewFile {
  fd: number;
  index: Map<string, EntryAt>;
  /** Bytes of the file so far, written or pending. */
  offset: number;
  pending: Uint8Array[];
  pendingBytes: number;
}

/**
 * The file: the content folder's path (JSON) on the first line, the format on the second, then
 * each entry's bytes (a value `v8.serialize` made), then the index: a row per entry of its key
 * (64 hex digits), its offset (6 bytes), its length and the CRC-32 of its bytes (4 bytes each;
 * little-endian), then `<index offset> <entries> <CRC-32 of the index>`, padded to `TAIL` bytes.
 * An entry whose bytes changed on disk is not read (a changed byte of a string would still
 * deserialize), nor a file whose index did.
 */
function readIndex(read: (offset: number, length: number) => Buffer, size: number): Map<string, EntryAt> {
  if (size < TAIL) throw new Error('cut short');
  const head = read(0, Math.min(size, 4096));
  const start = head.indexOf(0x0a) + 1;
  if (start === 0 || head.toString('latin1', start, start + FORMAT.length + 1) !== `${FORMAT}\n`)
    throw new Error('a file of another format');
  const tail = read(size - TAIL, TAIL).toString('latin1');
  const [, offset, count, check] = /^(\d+) (\d+) (\d+) *$/.exec(tail) ?? [];
  if (offset === undefined) throw new Error('cut short');
  const rows = read(Number(offset), Number(count) * ROW);
  if (Number(offset) + rows.length + TAIL !== size || crc32(rows) !== Number(check))
    throw new Error('cut short');
  const index = new Map<string, EntryAt>();
  for (let row = 0; row < rows.length; row += ROW) {
    const at = rows.readUIntLE(row + KEY_LENGTH, 6);
    const length = rows.readUInt32LE(row + KEY_LENGTH + 6);
    if (at + length > Number(offset)) throw new Error('an entry outside the file');
    index.set(rows.toString('latin1', row, row + KEY_LENGTH), [
      at,
      length,
      rows.readUInt32LE(row + KEY_LENGTH + 10),
    ]);
  }
  return index;
}

/** Writes the file's pending bytes, as many buffers a call as systems take (IOV_MAX). */
function flush(file: NewFile): void {
  const parts = file.pending;
  file.pending = [];
  file.pendingBytes = 0;
  for (let i = 0; i < parts.length; i += 1024) {
    const batch = parts.slice(i, i + 1024);
    // A call may write less than it was given.
    let written = fs.writevSync(file.fd, batch);
    for (const part of batch) {
      if (written >= part.length) {
        written -= part.length;
        continue;
      }
      for (let done = written; done < part.length;) done += fs.writeSync(file.fd, part, done);
      written = 0;
    }
  }
}

/** Closes and removes a file that will not be written whole. */
function dropFile(file: NewFile, temp: string): void {
  try {
    fs.closeSync(file.fd);
  } catch {
    // closed already
  }
  fs.rmSync(temp, { force: true });
}

/**
 * A previous file up to this size is read whole (1,000 × 3: 16 MB); a larger one an entry at a
 * time (5,000 × 5: 136 MB, which a large site has no room to hold).
 */
const WHOLE_MAX = 32 * 1024 * 1024;

/** Bytes of entries this build's file writes at a time. */
const FLUSH_AT = 1024 * 1024;

/** An index row: key, offset (6 bytes), length, CRC-32. */
const ROW = 64 + 6 + 4 + 4;

/** Bytes at the end of a file that say where its index is. */
const TAIL = 40;

/** An entry's key: a SHA-256 in hex (`hash`). */
const KEY_LENGTH = 64;

/** Whether `value` has a `__proto__` key of its own, at any depth. */
function hasProtoKey(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Object.hasOwn(value, '__proto__')) return true;
  return Object.values(value).some(hasProtoKey);
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Where the files live: Signpost's cache folder, which a CI runner keeps with the image cache. */
export const LOAD_CACHE_DIR = path.join(PROJECT_ROOT, '.astro', 'cache', 'load');

/** The file's format, on its second line: another is not read. */
const FORMAT = 'signpost-load 3';
