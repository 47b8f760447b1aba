import type { Root as HastRoot } from 'hast';
import {
  convertMdastToHastHandle,
  createMdastHandle,
  createMdxMdastHandle,
  dropHandle,
  HastReader,
  materializeHastTree,
  materializeMdastTree,
  MdastReader,
  serializeHandle,
} from 'satteri';
import type { Features } from 'satteri';
import { MarkdownError } from './errors.ts';
import type { Hazard } from './hazards.ts';
import { outline, type Outline, type Ref, type Span } from './outline.ts';

// Sätteri is Astro 7's own Markdown parser (native): the same mdast as remark, 20× faster. GFM
// with footnotes; no front matter, because the file's own was cut off before the body.
const FEATURES: Features = { frontmatter: false };

/**
 * Plain Markdown without `](`, `]:`, `][` or a `<` that opens a tag, a comment or an autolink
 * cannot link, point anywhere, or hold HTML: nothing in it to resolve, refuse or leave out.
 */
const MAY_MATTER = /\]\(|\]:|\]\[|<[a-z!?/]/i;

/**
 * How much source (UTF-16 units) the kept parses may cover, all bodies together. A kept native
 * tree costs about 15 bytes per source character: keeping every body of a 22,000-file help center
 * from load to render held ~450 MB more, and even rendered slower, to save ~20 µs of parsing a
 * body. Within this budget (~15 MB; a help center of ~300 average articles) every body is parsed
 * once; beyond it the oldest kept parses are freed, and those bodies are parsed again when
 * rendered. It was 4,000,000 (~60 MB): at 1,000 × 3 articles that native memory stayed in the
 * process's heap for the rest of the build (freed, but not given back to the system), ~20 MB
 * more peak for ~40 ms less parsing.
 */
const KEEP_BUDGET = 1_000_000;

/**
 * Outlines kept from a previous build (`content/load-cache.ts`), by format and source: the one
 * kept, if any, and how to keep this build's.
 */
export interface OutlineCache {
  outline(format: 'md' | 'mdx', source: string): { value: Outline | undefined; keep(outline: Outline): void };
}

/**
 * One article body's Markdown parse, shared by everything that reads the body: `check` reads its
 * references and first paragraph, the `.md` copy rewrites links at the places it found, and the
 * build renders it. Made on first need, so a body that nothing reads is never parsed.
 *
 * The parse is kept as Sätteri's native tree (JS objects would cost several times the memory)
 * until {@link BodyParse.takeHast} converts it for rendering and frees it, within a memory budget
 * ({@link KEEP_BUDGET}) that only the largest help centers exceed.
 */
export class BodyParse {
  /** Parses holding a native tree, oldest first, and the length of their sources together. */
  static readonly #kept = new Set<BodyParse>();
  static #keptSize = 0;

  #source: string;
  readonly #format: 'md' | 'mdx';
  readonly #outlines: OutlineCache | undefined;
  #disposed = false;
  #handle: MdastHandle | undefined;
  #outline: Outline | undefined;
  #error: MarkdownError | undefined;

  /** `kept`: outlines a previous build read (the build's load cache), which need no parse. */
  constructor(source: string, format: 'md' | 'mdx', kept?: OutlineCache) {
    this.#source = source;
    this.#format = format;
    this.#outlines = kept;
  }

  /**
   * Links, images (with where each URL is written) and MDX components, in document order. Plain
   * Markdown with no link syntax has none and is not parsed for them: most of a large help
   * center links nowhere, and `check` stays quick.
   *
   * @throws {MarkdownError} for an MDX syntax error, with its body line.
   */
  refs(): Ref[] {
    if (this.#plain()) return [];
    const read = this.#read();
    if (read === undefined) throw this.#error;
    return read.refs;
  }

  /**
   * What in the body the build would refuse to ship (errors) or quietly leave out (warnings), in
   * document order (see `hazards.ts`). `[]` for a body that does not parse: {@link refs} reports that.
   */
  hazards(): Hazard[] {
    if (this.#plain()) return [];
    return this.#read()?.hazards ?? [];
  }

  /** Where each HTML comment is written in the body, in order; `[]` for a body that does not parse. */
  comments(): Span[] {
    if (this.#outline === undefined && !this.#source.includes('<!--')) return [];
    return this.#read()?.comments ?? [];
  }

  /** Plain text of the first prose paragraph (`''` for none, or for a body that does not parse). */
  firstParagraph(): string {
    return this.#read()?.firstParagraph ?? '';
  }

  /**
   * The body as hast, for rendering. Takes the parse: its native memory is freed here, and a
   * second call (a second render of the same model) parses the body again.
   *
   * @throws {MarkdownError} for an MDX syntax error.
   */
  takeHast(footnoteLabel: string): HastRoot {
    if (this.#error) throw this.#error;
    const handle = this.#handle ?? this.#parse(false);
    this.#forget();
    try {
      // Raw HTML becomes real elements, so its links and images get the same treatment.
      const hast = convertMdastToHastHandle(handle, { rawHtml: true, footnoteLabel });
      try {
        const tree = materializeHastTree(new HastReader(serializeHandle(hast)));
        if (tree.type !== 'root') throw new Error(`satteri returned a ${tree.type} node instead of a root`);
        return tree;
      } finally {
        dropHandle(hast);
      }
    } finally {
      dropHandle(handle);
    }
  }

  /**
   * Frees the native parse while keeping the source and what was read from it: for a body whose
   * render is found elsewhere (the build's render cache), which will not take the parse.
   */
  release(): void {
    this.#release();
  }

  /**
   * Lets go of the source and everything read from it, once nothing will read this body again
   * (the site build, after the feeds and `.md` copies, its last readers). A later render is a bug
   * and throws rather than render nothing.
   */
  dispose(): void {
    this.#release();
    this.#source = '';
    this.#outline = undefined;
    this.#disposed = true;
  }

  /** Markdown with nothing to read for references, hazards or comments, so not parsed for them. */
  #plain(): boolean {
    return this.#format === 'md' && this.#outline === undefined && !MAY_MATTER.test(this.#source);
  }

  #read(): Outline | undefined {
    if (this.#outline || this.#error) return this.#outline;
    const kept = this.#outlines?.outline(this.#format, this.#source);
    if (kept?.value) return (this.#outline = kept.value);
    let handle: MdastHandle;
    try {
      handle = this.#parse(true);
    } catch (error) {
      this.#error = syntaxError(error);
      return undefined;
    }
    try {
      this.#outline = outline(materializeMdastTree(new MdastReader(serializeHandle(handle))), this.#source);
    } catch (error) {
      dropHandle(handle);
      throw error;
    }
    this.#keep(handle);
    kept?.keep(this.#outline);
    return this.#outline;
  }

  /** Positions cost time and memory; only the outline (lines, spans) needs them. */
  #parse(positions: boolean): MdastHandle {
    if (this.#disposed) throw new Error('this article body was disposed of and cannot be parsed again');
    return this.#format === 'mdx'
      ? createMdxMdastHandle(this.#source, FEATURES, positions)
      : createMdastHandle(this.#source, FEATURES, positions);
  }

  #keep(handle: MdastHandle): void {
    this.#handle = handle;
    BodyParse.#kept.add(this);
    BodyParse.#keptSize += this.#source.length;
    for (const oldest of BodyParse.#kept) {
      if (BodyParse.#keptSize <= KEEP_BUDGET) break;
      oldest.#release();
    }
  }

  /** Frees the native parse; a render parses the body again. */
  #release(): void {
    if (this.#handle) dropHandle(this.#handle);
    this.#forget();
  }

  #forget(): void {
    this.#handle = undefined;
    if (BodyParse.#kept.delete(this)) BodyParse.#keptSize -= this.#source.length;
  }
}

/** Sätteri reports `3:5: Unexpected … (3:5) (rule-id)`; keep the reason and its body line. */
function syntaxError(error: unknown): MarkdownError {
  const message = error instanceof Error ? error.message : String(error);
  const [, line, reason] = /^(\d+):\d+: (.*?)(?: \(\d+:\d+\))?(?: \([\w:-]+\))?$/.exec(message) ?? [];
  return new MarkdownError(reason ?? message, line ? Number(line) : undefined);
}
