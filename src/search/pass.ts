import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type * as PagefindApi from 'pagefind';
import { fullSearchPass } from '../routing/layout.ts';
import { ROOT } from './input.ts';
import { marksWords, wordsCopy } from './words.ts';

/**
 * One Pagefind pass: a fresh index of some pages, written into `output`. The pages are those of
 * `root` that `glob` matches; or, in a language whose words Pagefind is told (`marksWords`), the
 * files under `root` that `copies` lists, whose `wordsCopy` Pagefind reads (`addCopies`); or the
 * `pages` listed (their URL and file under `root`), each in such a language handed over as its
 * `wordsCopy`; or none (an empty index).
 */
export interface PassRequest {
  root: string;
  output: string;
  glob?: string;
  copies?: string[];
  pages?: { url: string; file: string }[];
}

/**
 * Runs passes, several at once where their memory allows, each with a Pagefind process of its own
 * (`pagefindModule`), driven from this process. Pagefind uses about 1.5 of 2 cores in a pass;
 * three languages of 860 pages took 1.8 s side by side against 2.3–2.8 s one after another
 * (1,000 × 3, this machine); one Pagefind process given the three at once took as long as one
 * after another.
 *
 * A pass holds every page it reads until it writes its index: a full pass (`searchIndexParts`:
 * 8,000 pages, 2,500 in Japanese, 1,000 in Korean or Chinese) peaks at ~0.85–1 GB (5,363 English
 * pages 569 MB; 2,599 Japanese ones, their words marked, 0.8 GB, where 930 unmarked took 926 MB).
 * So each pass weighs its share of a full pass, and passes start side by side only while their
 * weights add up to `BUDGET` at most: a pass of more than 0.6 of a full pass never has one as
 * large beside it. The first pass in the queue always starts when none runs, and passes start in
 * the order they were asked for.
 *
 * Pagefind writes an index in one thread, the larger part of a large pass (930 Japanese pages,
 * their words unmarked: 2.8 s reading, 8.5 s writing), so two passes side by side take little
 * longer than one (two of 465 such pages 7.9 s, one 7.0 s). Passes run side by side only after the
 * site build has ended (beside it, `build.ts` runs them one at a time), so the memory is theirs: at
 * 5,000 × 5 a budget of 1.2 (German beside French) took the search index from 92.6 s to 82.7 s,
 * against half a full pass, which ran every pass of that site alone.
 */
export class PassPool {
  /**
   * Full passes' worth of pages that may be read at once: ~1.2 GB at most, which with the build's
   * own process stays under the 1.5 GB the largest sites are held to, and under what the site
   * build before them held at 5,000 × 5 (~1.33 GB). Where `SIGNPOST_SEARCH_PAGES_PER_PASS` is set,
   * one pass of that many pages: the bound its operator chose.
   */
  static readonly BUDGET = 1.2;
  readonly #limit: number;
  readonly #pagesPerPass: number | undefined;
  /** `BUDGET`, or one pass of `pagesPerPass` pages where that is set. */
  readonly #budget: number;
  #running = 0;
  #weight = 0;
  readonly #queue: { weight: number; start: () => void }[] = [];
  /** The first pass that failed, or why the passes were stopped: no pass starts after it. */
  #failure: unknown;
  readonly #signal: AbortSignal | undefined;
  /** The `pagefind` modules of the passes running. */
  readonly #open = new Set<Pagefind>();

  /**
   * `limit`: passes at once at most (`SIGNPOST_SEARCH_PASSES`); `pagesPerPass`: the pages of a
   * full pass in every language (`SIGNPOST_SEARCH_PAGES_PER_PASS`), where that is set. When
   * `signal` aborts, no pass starts any more and the running ones end their Pagefind process at
   * once (and throw): the build stopped, and is about to remove what they write into.
   */
  constructor(limit: number, pagesPerPass?: number, signal?: AbortSignal) {
    this.#limit = limit;
    this.#pagesPerPass = pagesPerPass;
    this.#budget = pagesPerPass === undefined ? PassPool.BUDGET : 1;
    this.#signal = signal;
    signal?.addEventListener(
      'abort',
      () => {
        this.#failure ??= signal.reason;
        for (const pagefind of this.#open) void pagefind.close();
      },
      { once: true },
    );
    if (signal?.aborted) this.#failure = signal.reason;
  }

  /**
   * A pass's share of a full one, by its pages and their language: where `pagesPerPass` is set
   * (to spare memory), a pass of that many pages runs alone.
   */
  weight(lang: string, pages: number): number {
    return pages / (this.#pagesPerPass ?? fullSearchPass(lang));
  }

  /**
   * Runs `job` when its turn comes, which holds the pass's place until it settles: it indexes with
   * the function it is given, which throws Pagefind's errors, naming `brand`.
   */
  async run<T>(
    brand: string,
    weight: number,
    job: (index: (request: PassRequest) => Promise<void>) => Promise<T>,
  ): Promise<T> {
    await new Promise<void>((start) => {
      this.#queue.push({ weight, start });
      this.#next();
    });
    try {
      // The build stops at the first failure: the passes still waiting are not run.
      if (this.#failure !== undefined) throw this.#failure;
      return await job(async (request) => {
        const errors = await this.#index(request);
        if (errors.length) throw new Error(`search index for ${brand}: ${errors.join('; ')}`);
      });
    } catch (error) {
      this.#failure ??= error;
      throw error;
    } finally {
      this.#running--;
      // Back to exactly 0 when nothing runs: fractions added and taken away may not cancel out.
      this.#weight = this.#running ? this.#weight - weight : 0;
      this.#next();
    }
  }

  /** One pass, with a `pagefind` module that ends its Pagefind process when the passes are stopped. */
  async #index(request: PassRequest): Promise<string[]> {
    const pagefind = await pagefindModule();
    this.#open.add(pagefind);
    try {
      return await indexPass(pagefind, request, () => this.#signal?.throwIfAborted());
    } finally {
      this.#open.delete(pagefind);
      await pagefind.close();
      idle.push(pagefind);
    }
  }

  #next(): void {
    for (let head = this.#queue[0]; head; head = this.#queue[0]) {
      const fits = this.#running < this.#limit && this.#weight + head.weight <= this.#budget;
      if (this.#running > 0 && !fits) return;
      this.#queue.shift();
      this.#running++;
      this.#weight += head.weight;
      head.start();
    }
  }
}

type Pagefind = typeof PagefindApi;

/** Files whose copies Pagefind reads at a time (`addCopies`). */
const COPIES_AT_ONCE = 400;

/**
 * Hands `index` the `wordsCopy` of each of `files` (under `root`), written into folders under
 * `folder`, a few hundred at a time: Pagefind reads a folder much faster than it is handed pages one
 * by one (`addHTMLFile`: 765 pages 5.7 s, against 2.2 s to write their copies and 1.4 s to read
 * them), and while it reads one folder this thread writes the next, so the two cores share the
 * work (2,326 pages: the copies took 4.7 s before Pagefind read anything). Each folder holds its
 * files where `root` does, so Pagefind gives each page the URL it has there.
 */
async function addCopies(
  index: PagefindApi.PagefindIndex,
  root: string,
  folder: string,
  files: string[],
  check: () => void,
): Promise<string[]> {
  let reading: Promise<{ errors: string[] }> | undefined;
  try {
    for (let start = 0; start < files.length; start += COPIES_AT_ONCE) {
      const batch = path.join(folder, String(start / COPIES_AT_ONCE));
      const todo = files.slice(start, start + COPIES_AT_ONCE);
      // Sixteen files read and written at a time: one after another, their round trips through
      // libuv's threads were a third of the copies' time.
      for (let i = 0; i < todo.length; i += 16) {
        check();
        await Promise.all(
          todo.slice(i, i + 16).map(async (file) => {
            const copy = wordsCopy(await readFile(path.join(root, file), 'utf8'));
            await mkdir(path.dirname(path.join(batch, file)), { recursive: true });
            await writeFile(path.join(batch, file), copy);
          }),
        );
      }
      const read = await reading;
      if (read?.errors.length) return read.errors;
      check();
      reading = index.addDirectory({ path: batch, glob: '**/*.html' });
    }
    return (await reading)?.errors ?? [];
  } finally {
    await reading?.catch(() => {});
    await rm(folder, { recursive: true, force: true });
  }
}

/** `pagefind` modules whose Pagefind process has ended, for the next pass to start one again. */
const idle: Pagefind[] = [];
let instances = 0;

/**
 * A `pagefind` module for one pass. The module drives a single Pagefind process, its own, and one
 * process indexes one index at a time; so each pass running gets an instance of the module of its
 * own: the same file, imported under a query of its own (ES modules are instantiated once per
 * URL). Each pass used to run in a Node process of its own for that, which cost ~50 MB and a
 * start-up per pass.
 */
async function pagefindModule(): Promise<Pagefind> {
  const free = idle.pop();
  if (free) return free;
  const url = new URL(import.meta.resolve('pagefind'));
  url.searchParams.set('pass', String(++instances));
  return (await import(url.href)) as Pagefind;
}

/**
 * Indexes one pass with the Pagefind process of `pagefind`; returns Pagefind's errors. `check`
 * throws when the passes were stopped: asked after that, the module would start a process again.
 */
async function indexPass(
  pagefind: Pagefind,
  { root, output, glob, copies, pages }: PassRequest,
  check: () => void,
): Promise<string[]> {
  check();
  const { index, errors } = await pagefind.createIndex({ rootSelector: ROOT });
  if (!index) return errors.length ? errors : ['Pagefind made no index'];
  if (glob !== undefined) {
    check();
    const added = await index.addDirectory({ path: root, glob });
    if (added.errors.length) return added.errors;
  }
  if (copies) {
    const errors = await addCopies(index, root, `${output}.words`, copies, check);
    if (errors.length) return errors;
  }
  for (const { url, file } of pages ?? []) {
    const content = await readFile(path.join(root, file), 'utf8');
    check();
    // Every page's URL starts with its language (see `urls`).
    const added = await index.addHTMLFile({
      url,
      content: marksWords(url.split('/')[1] ?? '') ? wordsCopy(content) : content,
    });
    if (added.errors.length) return added.errors;
  }
  check();
  const written = await index.writeFiles({ outputPath: output });
  return written.errors;
}
