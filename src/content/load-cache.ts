import { createHash } from 'node:crypto';
import path from 'node:path';
import v8 from 'node:v8';
import { PackReader, PackWriter } from '../cache/pack.ts';
import type { Outline } from '../markdown/outline.ts';
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
 * One pack per content folder (`cache/pack.ts`), in Signpost's cache folder (`.astro/cache/load/`,
 * beside the render cache): 16 MB at 1,000 × 3, read whole; 136 MB at 5,000 × 5, read an entry
 * at a time, so nothing is held where memory is tight but the index.
 */
export class LoadCache {
  readonly #code: string;
  /**
   * The previous build's pack. Each entry is serialized on its own: whoever asks gets a value of
   * its own, which nothing else holds or changes.
   */
  #old: PackReader | undefined;
  /** This build's pack: each entry appended as it is kept or found. */
  readonly #new: PackWriter;
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
    const folder = path.resolve(content);
    const file = path.join(dir, `${hash(folder).slice(0, 16)}.bin`);
    this.#new = new PackWriter(file, folder, FORMAT);
    if (!fresh) this.#old = PackReader.open(file, FORMAT, wholeMax);
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
    this.#old?.close();
    this.#old = undefined;
    this.#outlineKeys.clear();
    this.#new.finish(this.retired);
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
    this.#new.add(key, [bytes]);
  }

  #get(key: string): unknown {
    // Kept by this build already (an outline two articles share), else by the previous one. A
    // damaged entry is not given: the text is read again, and that read kept.
    const fresh = this.#new.get(key);
    const entry = fresh ?? this.#old?.get(key);
    if (!entry) return undefined;
    let value: unknown;
    try {
      value = v8.deserialize(entry.bytes);
    } catch {
      return undefined;
    }
    if (!fresh) this.#new.keep(key, entry);
    this.hits++;
    return value;
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

/**
 * A previous pack up to this size is read whole (1,000 × 3: 16 MB); a larger one an entry at a
 * time (5,000 × 5: 136 MB, which a large site has no room to hold).
 */
const WHOLE_MAX = 32 * 1024 * 1024;

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
