import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Element } from 'hast';
import { PROJECT_ROOT } from '../paths.ts';
import { writeCacheFile } from '../cache/files.ts';

/**
 * The code blocks Shiki highlighted, kept from one build for the next in Signpost's cache folder
 * (`.astro/cache/highlights.json`), so a rebuild that renders an article again (its prose edited,
 * say) takes its blocks from there and never loads Shiki: loading it, its themes, its regular
 * expression engine and a grammar took ~0.2–0.35 s of a one-article edit at 1,000 × 3 when the
 * article held code.
 *
 * A block is kept under a hash of its language (as written) and code, in a file of Signpost's
 * version (`codeVersion`, which holds Shiki's and its grammars', and our themes): a hit is the
 * element Shiki would make, by construction. Blocks stay as long as that version does, since a
 * rebuild renders only what changed and would otherwise drop the blocks of every article it did not
 * render; a file grown past `MAX_BYTES` keeps only this build's blocks.
 *
 * Only `build` keeps blocks (`open`); `check`, `dev` and tests highlight every block. The render
 * thread's blocks are collected there (`collect`, `drain`) and kept by the build's thread. Like
 * the other caches, the folder is trusted: what can write there can write `dist/`.
 */
export class HighlightMemo {
  #file: string | undefined;
  #code = '';
  #collecting = false;
  /** The previous builds' blocks, read the first time one is asked for (or kept). */
  #kept: Map<string, Element> | undefined;
  /** The keys this build found or made. */
  readonly #used = new Set<string>();
  #added = false;
  /** Blocks found (not highlighted), for tests. */
  hits = 0;

  /**
   * Keeps blocks between builds of Signpost's version `code` (`codeVersion`), in `file`; `fresh`
   * (`--no-cache`) reads none but keeps this build's for the next.
   */
  open(
    code: string,
    fresh: boolean,
    file = path.join(PROJECT_ROOT, '.astro', 'cache', 'highlights.json'),
  ): void {
    this.#file = file;
    this.#code = code;
    this.#collecting = false;
    this.#kept = fresh ? new Map() : undefined;
    this.#used.clear();
    this.#added = false;
    this.hits = 0;
  }

  /** In a render thread: finds nothing, and collects the blocks made for `drain`. */
  collect(): void {
    this.#collecting = true;
    this.#kept = new Map();
  }

  /** The blocks collected (`collect`) since the last drain. */
  drain(): [string, Element][] {
    const made = [...(this.#kept ?? [])];
    this.#kept?.clear();
    return made;
  }

  /** The key of a block: its language as written and its code. */
  static key(code: string, language: string): string {
    return createHash('sha256')
      .update(JSON.stringify([language, code]))
      .digest('hex');
  }

  /** The element kept for `key`, if any: shared, so copy it, never change it (as `highlight`'s). */
  find(key: string): Element | undefined {
    if (!this.#file) return undefined;
    const found = this.#blocks().get(key);
    if (found) {
      this.#used.add(key);
      this.hits++;
    }
    return found;
  }

  /** Keeps the element Shiki made for `key`. */
  keep(key: string, element: Element): void {
    if (this.#collecting) {
      this.#kept!.set(key, element);
      return;
    }
    if (!this.#file) return;
    this.#blocks().set(key, element);
    this.#used.add(key);
    this.#added = true;
  }

  /**
   * Writes the blocks for the next build (call once the build is done), if it made any. A file
   * that cannot be written costs the next build its blocks, nothing more.
   */
  save(): void {
    if (!this.#file || !this.#kept || !this.#added) return;
    let blocks = Object.fromEntries(this.#kept);
    let text = JSON.stringify({ version: VERSION, code: this.#code, blocks } satisfies Saved);
    if (text.length > MAX_BYTES) {
      blocks = Object.fromEntries([...this.#kept].filter(([key]) => this.#used.has(key)));
      text = JSON.stringify({ version: VERSION, code: this.#code, blocks } satisfies Saved);
    }
    writeCacheFile(this.#file, text);
    this.#added = false;
  }

  #blocks(): Map<string, Element> {
    if (this.#kept) return this.#kept;
    this.#kept = new Map();
    try {
      const saved = JSON.parse(fs.readFileSync(this.#file!, 'utf8')) as Saved;
      if (saved.version === VERSION && saved.code === this.#code && saved.blocks)
        this.#kept = new Map(Object.entries(saved.blocks));
    } catch {
      // none yet, or damaged: every block is highlighted again
    }
    return this.#kept;
  }
}

/** Past this, the file keeps only the blocks of the build that writes it. */
const MAX_BYTES = 64 * 1024 * 1024;

const VERSION = 1;

interface Saved {
  version: number;
  code: string;
  blocks: Record<string, Element>;
}

/** The build's one memo (`build-site.ts` opens and saves it; the render thread collects in its own). */
export const highlightMemo = new HighlightMemo();
