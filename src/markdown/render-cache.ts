import { createHash } from 'node:crypto';
import path from 'node:path';
import type { RenderedMarkdown } from './types.ts';
import { cacheNameOf } from '../cache/files.ts';
import { PackReader, PackWriter } from '../cache/pack.ts';
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
 * One pack per output folder (`cache/pack.ts`), in Signpost's cache folder
 * (`.astro/cache/renders/`, beside the image cache, outside every deploy root). A build reads the
 * entries it needs one by one, so a 25,000-article pack is never held whole, and writes each
 * render to its own pack as it is made or read.
 */
export class RenderCache {
  /** The previous build's pack, until `finish` or `discard`. */
  #old: PackReader | undefined;
  /** This build's pack. */
  readonly #new: PackWriter;
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
    this.#code = code;
    const file = renderPackOf(out, dir);
    this.#new = new PackWriter(file, path.resolve(out), FORMAT);
    // Read an entry at a time, however small: the pack of 1,000 × 3 is ~30 MB.
    if (!fresh) this.#old = PackReader.open(file, FORMAT);
  }

  /** The key of a render made from `inputs` by this version of Signpost (`renderKey`). */
  key(inputs: Omit<RenderInputs, 'code'>): string {
    return renderKey({ ...inputs, code: this.#code });
  }

  /** Whether the previous build's pack holds a render under `key` (`get` reads it). */
  has(key: string): boolean {
    return this.#old?.has(key) ?? false;
  }

  /** The render kept under `key`, or undefined; one found goes into this build's pack as it is. */
  get(key: string): RenderedMarkdown | undefined {
    const entry = this.#old?.get(key);
    if (entry)
      try {
        const rendered = decode(entry.bytes);
        this.#new.keep(key, entry);
        this.hits++;
        return rendered;
      } catch {
        // an entry of another shape: render it
      }
    this.misses++;
    return undefined;
  }

  /** Keeps a clean render for the next build. */
  put(key: string, rendered: RenderedMarkdown): void {
    this.#new.add(key, encode(rendered));
  }

  /**
   * Ends this build's pack and lets go of the previous one. Call once every render is done: what
   * this build did not ask for drops out.
   */
  finish(): void {
    this.#old?.close();
    this.#old = undefined;
    this.#new.finish(this.retired);
  }

  /** Lets go of both packs and writes nothing: for a build that stopped. */
  discard(): void {
    this.#old?.close();
    this.#old = undefined;
    this.#new.drop();
  }
}

/** The pack of the output folder `out`. */
export function renderPackOf(out: string, dir = RENDER_CACHE_DIR): string {
  return path.join(dir, `${cacheNameOf(out)}.pack`);
}

/** Where the packs live: Signpost's cache folder, which a CI runner keeps with the image cache. */
export const RENDER_CACHE_DIR = path.join(PROJECT_ROOT, '.astro', 'cache', 'renders');

/** The version of the pack's layout and its entries' shape (`encode`), which every key hashes. */
const VERSION = 3;

/** The pack's format (its second line): another is not read. */
const FORMAT = `signpost-renders ${VERSION}`;

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
