import fs from 'node:fs';
import path from 'node:path';
import type Sharp from 'sharp';
import type { Metadata } from 'sharp';
import { writeCacheFile } from '../cache/files.ts';
import { PROJECT_ROOT } from '../paths.ts';
import { fileIdentity } from './file-identity.ts';

/**
 * sharp, loaded the first time something asks it: a rebuild whose images sharp already answered
 * (`imageMemo`) never loads it, and loading it (libvips and its bindings) took ~110 ms.
 */
export function loadSharp(): Promise<typeof Sharp> {
  return (sharp ??= import('sharp').then((module) => module.default));
}
let sharp: ReturnType<typeof loadSharp> | undefined;

/** What the content checks read of an image: its format and size in pixels. */
export type ImageFacts = Pick<Metadata, 'format' | 'width' | 'height'>;

/**
 * A kept answer: an image's facts, that a file reads as a picture, bytes made from an image, or
 * the name the feeds publish a file under.
 */
type Answer = { facts: ImageFacts } | { readable: true } | { made: string } | { name: string };

/**
 * What sharp answered and made in the last build, and the names the feeds gave article images,
 * kept for the next in Signpost's cache folder (`.astro/cache/images.json`), so a rebuild whose
 * images did not change asks sharp nothing and hashes no article image: the content load checked each
 * article image (~75 ms at 1,000 × 3, 187 images) and each brand image again, the build drew each
 * brand's favicons again (~50–90 ms for six files), and the feeds read and hashed every article
 * image again to name it (~50 ms).
 *
 * Each answer is kept under a key that names everything it comes from, so a hit is right by
 * construction: Signpost's code and dependencies (`codeVersion`, which holds sharp's version), the
 * question, and the image: the hash of its bytes where the caller has read them (brand images,
 * and what is drawn from them), else the file's identity and times (`fileIdentity`; article images:
 * a file written since has another change time). Only clean answers are kept:
 * a file sharp cannot read is asked again, and reported again, in every build.
 *
 * Only `build` keeps answers (`open`); until then, as in `check`, `dev` and tests, every call asks
 * sharp. The file holds the answers this build used, so those of images gone leave with them.
 * Like the other caches, the folder is trusted: what can write there can write `dist/`.
 */
export class ImageMemo {
  #file: string | undefined;
  #code = '';
  /** The previous build's answers, read the first time one is asked for. */
  #kept: Map<string, Answer> | undefined;
  /** The answers of this build, kept or new. */
  readonly #used = new Map<string, Answer>();
  #added = false;

  /**
   * Keeps answers between builds of Signpost's version `code` (`codeVersion`), in `file`; `fresh`
   * (`--no-cache`) reads none but keeps this build's for the next.
   */
  open(code: string, fresh: boolean, file = path.join(PROJECT_ROOT, '.astro', 'cache', 'images.json')): void {
    this.#file = file;
    this.#code = code;
    this.#kept = fresh ? new Map() : undefined;
    this.#used.clear();
    this.#added = false;
  }

  /**
   * sharp's format and size of an image from its bytes (a brand image, which the caller read), kept
   * by `digest`, their SHA-256 (hex), which the caller names what is made of the image by too.
   */
  async facts(bytes: Uint8Array, digest: string): Promise<ImageFacts> {
    const key = `facts\0${digest}`;
    const kept = this.#find(key);
    if (kept && 'facts' in kept) return kept.facts;
    const { format, width, height } = await (await loadSharp())(bytes).metadata();
    this.#keep(key, { facts: { format, width, height } });
    return { format, width, height };
  }

  /** Whether sharp reads `file` as a picture with a size (an article image, `checkArticleImages`). */
  async readable(file: string): Promise<boolean> {
    // Gone or unreadable (no key): sharp says what it says of it, and nothing is kept.
    const key = this.#file && fileKey('readable', file);
    if (key !== undefined && this.#find(key)) return true;
    try {
      const meta = await (await loadSharp())(file).metadata();
      if (!meta.width || !meta.height) return false;
    } catch {
      return false;
    }
    if (key !== undefined) this.#keep(key, { readable: true });
    return true;
  }

  /** The name the feeds publish the image `file` under: `name(file)`, which reads it, where not kept. */
  nameOf(file: string, name: (file: string) => string): string {
    const key = this.#file && fileKey('name', file);
    const kept = key === undefined ? undefined : this.#find(key);
    if (kept && 'name' in kept) return kept.name;
    const named = name(file);
    if (key !== undefined) this.#keep(key, { name: named });
    return named;
  }

  /**
   * The bytes `make` makes, kept under `what`: what they are and everything they are made from
   * (the source image by `CheckedImage.source`, sizes, colours), which the caller names.
   */
  async made(what: string, make: () => Promise<Uint8Array>): Promise<Uint8Array> {
    const key = `made\0${what}`;
    const kept = this.#find(key);
    if (kept && 'made' in kept) return new Uint8Array(Buffer.from(kept.made, 'base64'));
    const bytes = await make();
    this.#keep(key, { made: Buffer.from(bytes).toString('base64') });
    return bytes;
  }

  /**
   * Writes this build's answers for the next (call once the build is done), if it asked anything
   * the file did not hold or the file holds answers it did not use. A file that cannot be written
   * costs the next build its answers, nothing more.
   */
  save(): void {
    if (!this.#file || !this.#kept) return;
    if (!this.#added && this.#used.size === this.#kept.size) return;
    const saved: SavedAnswers = {
      version: VERSION,
      code: this.#code,
      answers: Object.fromEntries(this.#used),
    };
    writeCacheFile(this.#file, JSON.stringify(saved));
  }

  #find(key: string): Answer | undefined {
    if (!this.#file) return undefined;
    this.#kept ??= this.#read(this.#file);
    const answer = this.#used.get(key) ?? this.#kept.get(key);
    if (answer) this.#used.set(key, answer);
    return answer;
  }

  #keep(key: string, answer: Answer): void {
    if (!this.#file) return;
    this.#used.set(key, answer);
    this.#added = true;
  }

  #read(file: string): Map<string, Answer> {
    try {
      const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as SavedAnswers;
      if (saved.version === VERSION && saved.code === this.#code && saved.answers)
        return new Map(Object.entries(saved.answers));
    } catch {
      // none yet, or damaged: every image is asked again
    }
    return new Map();
  }
}

/** A question about `file` with the file's identity; undefined where it cannot be read or just changed. */
function fileKey(question: string, file: string): string | undefined {
  try {
    const identity = fileIdentity(fs.statSync(file, { bigint: true }));
    return identity === undefined ? undefined : `${question}\0${file}\0${identity}`;
  } catch {
    return undefined;
  }
}

const VERSION = 1;

interface SavedAnswers {
  version: number;
  code: string;
  answers: Record<string, Answer>;
}

/** The build's one memo (`build-site.ts` opens and saves it). */
export const imageMemo = new ImageMemo();
