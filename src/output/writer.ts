import { Worker } from 'node:worker_threads';
import type { PageHashes } from '../search/input.ts';
import type { FileRange } from './feed-cache.ts';
import type { Words } from './tokens.ts';
import { WRITER_THREAD, writeFiles } from './writer-worker.ts';

/**
 * A file for `FileWriter` to write: `text`, or a link to `previous` where that file holds the very
 * bytes. `text` may be UTF-8 bytes already (a page as Astro rendered it): the writer then owns
 * their buffer, which goes to its thread without a copy. Among pieces, a `FileRange` is bytes of
 * another file, copied from there (an article the feed cache kept).
 */
export interface FileToWrite {
  file: string;
  /** A string, pieces to write one after another, or UTF-8 bytes. */
  text: string | (string | FileRange)[] | Uint8Array;
  previous?: string | undefined;
  /** Added to the end of the file rather than replacing it. */
  append?: boolean | undefined;
  /** `text` (a string, or UTF-8 bytes) holds tokens (`tokens.ts`): each becomes its word, in the thread. */
  words?: Words | undefined;
  /** A page: the page cache's hashes of what is written are kept in `FileWriter.hashes`. */
  page?: boolean | undefined;
}

/** A file of another output tree put into this one as it is (`linkOrCopy`): a page reused whole. */
export interface FileToLink {
  file: string;
  from: string;
}

/**
 * Writes files in a worker thread (two, where the build asks: see `write`), one synchronous write
 * each (`writer-worker.ts`), while the build goes on: the feeds and thousands of Markdown copies
 * while the feeds are made, each page Astro renders while it renders the next, on the other core,
 * and in a rebuild the links to the pages kept from the previous output (`FileToLink`) while Astro
 * bundles. Promises through libuv's threads would take turns with Astro's own work, which it
 * awaits page by page.
 *
 * `write` hands over a batch and returns at once, unless more than its `budget` of characters (or
 * bytes; `BUDGET` unless given) are still to be written: then it waits, so the texts do not pile
 * up in memory (the worker holds a copy of each text, and the bytes moved to it, until they are
 * written). `close` waits for every write and ends the threads, which gives their memory back; it
 * throws the first write's error, if any.
 *
 * Without a thread (`thread: false`: a build's feeds written on their own, as in tests), `write`
 * writes the batch before it returns. A large site's build writes through a thread with a smaller
 * `budget` (`LARGE_SITE_BUDGET`): at 5,000 × 5, writing its pages in its own thread took its
 * render from ~50 s to ~28 s, as every new file costs this machine's disk 0.2–1 ms of kernel
 * time, which the thread spends on the other core.
 */
export class FileWriter {
  static readonly BUDGET = 32 * 1024 * 1024;
  /**
   * A large site's `BUDGET`: the texts waiting for the thread are memory its build does not have
   * (~300 pages of 30 KB still let the thread write while the build renders). It bounds what a
   * slow disk can pile up; on this machine's disk it made no measurable difference to the peak
   * (5,000 × 5, first builds: 1,488 MB with 32 MB, 1,481 and 1,503 MB with 8 MB).
   */
  static readonly LARGE_SITE_BUDGET = 8 * 1024 * 1024;
  /** Threads a writer may write through at most (see `write`'s `lane`). */
  static readonly LANES = 2;

  /** The lane of the `i`-th of several brands whose files are written side by side: by turns. */
  static laneOf(i: number): number {
    return i % FileWriter.LANES;
  }

  readonly #thread: boolean;
  /** Characters (or bytes) still to be written above which `write` waits. */
  readonly #budget: number;
  /** Each lane's thread, made when the lane is first written to. */
  readonly #workers: Worker[] = [];
  /** Folders made, when written without a thread. */
  readonly #made = new Set<string>();
  /** By lane, characters of each batch not yet written, in the order sent. */
  readonly #pending: number[][] = [];
  #pendingChars = 0;
  /** Who waits for a thread's next answer (a write over budget, `close`): all are woken. */
  #waiting: (() => void)[] = [];
  #failed: Error | undefined;
  #closed: Promise<void> | undefined;
  /**
   * By file, the page cache's hashes of each `page` written (`page-cache.ts`): made where the text
   * is, so the page cache need not read those pages back.
   */
  readonly hashes = new Map<string, PageHashes>();

  constructor({ thread = true, budget = FileWriter.BUDGET } = {}) {
    this.#thread = thread;
    this.#budget = budget;
    if (thread) this.#lane(0);
  }

  /** Whether the files are written in a thread of their own (else `write` writes them before it returns). */
  get threaded(): boolean {
    return this.#thread;
  }

  /**
   * Writes `files` in order, in the thread of `lane` (0 up to `LANES` - 1). Each lane writes its
   * batches in the order given, beside the other lanes: files of two lanes must not depend on each
   * other (two brands' files, say). Through one thread, every brand after the first added its
   * pages, `.md` copies and feeds to that thread's work, which the build then waited for: a new
   * file or folder took this machine's disk 0.04–0.45 ms of kernel time, and the thread hashed each
   * page besides (two brands of 1,000 × 3, warm builds by turns: 8.3–8.6 s, median 8.35 s, against
   * 8.2–8.9 s, median 8.7 s).
   */
  async write(files: (FileToWrite | FileToLink)[], lane = 0): Promise<void> {
    if (this.#failed) throw this.#failed;
    if (files.length === 0) return;
    if (this.#closed) throw new Error('FileWriter: written to after close');
    if (!this.#thread) {
      for (const [file, hashes] of writeFiles(files, this.#made)) this.hashes.set(file, hashes);
      return;
    }
    const chars = files.reduce((n, f) => n + ('text' in f ? textLength(f.text) : 0), 0);
    // Bytes that fill their buffer move to the thread; a view of part of one (a pooled `Buffer`)
    // is copied, so whatever else the buffer holds stays usable here.
    const moved = new Set<ArrayBuffer>();
    for (const file of files) {
      if (!('text' in file) || !(file.text instanceof Uint8Array)) continue;
      const { buffer, byteOffset, byteLength } = file.text;
      if (buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength)
        moved.add(buffer);
    }
    const index = FileWriter.laneOf(lane);
    this.#lane(index).postMessage(files, [...moved]);
    this.#pending[index]!.push(chars);
    this.#pendingChars += chars;
    while (this.#pendingChars > this.#budget && !this.#failed) await this.#written();
  }

  /**
   * Waits until every file written so far is on disk (throws if a write failed); the threads stay
   * for what comes next.
   */
  async flush(): Promise<void> {
    while (this.#pending.some((lane) => lane.length) && !this.#failed) await this.#written();
    if (this.#failed) throw this.#failed;
  }

  /** Waits for every write, then ends the threads; the same promise however often it is called. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      try {
        await this.flush();
      } finally {
        await Promise.all(this.#workers.map((worker) => worker.terminate()));
      }
    })();
    return this.#closed;
  }

  /** The thread of lane `index`, started if it is not yet. */
  #lane(index: number): Worker {
    const running = this.#workers[index];
    if (running) return running;
    const worker = new Worker(new URL('./writer-worker.ts', import.meta.url), {
      workerData: WRITER_THREAD,
      // Each text the thread is handed is garbage once written: with V8's default young
      // generation the thread held ~25 MB more while Astro renders (1,000 × 3, peak of the
      // process tree, medians of 3 by turns: 656 MB against 632 MB).
      resourceLimits: { maxYoungGenerationSizeMb: 2 },
    });
    const pending: number[] = [];
    worker.on('message', (message: { error?: string; hashes?: [string, PageHashes][] }) => {
      if (message.error) this.#failed ??= new Error(message.error);
      for (const [file, hashes] of message.hashes ?? []) this.hashes.set(file, hashes);
      this.#pendingChars -= pending.shift() ?? 0;
      this.#wakeAll();
    });
    worker.on('error', (error) => {
      this.#failed ??= error;
      this.#wakeAll();
    });
    this.#workers[index] = worker;
    this.#pending[index] = pending;
    return worker;
  }

  /** Settles when a thread answers a batch (or fails). */
  #written(): Promise<void> {
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #wakeAll(): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const wake of waiting) wake();
  }
}

/** Characters (or bytes) of a `FileToWrite`'s text. */
function textLength(text: FileToWrite['text']): number {
  return Array.isArray(text) ? text.reduce((n, part) => n + part.length, 0) : text.length;
}
