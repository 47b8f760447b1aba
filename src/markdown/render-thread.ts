import type { Element } from 'hast';
import { Worker } from 'node:worker_threads';
import { highlightMemo } from './highlight-memo.ts';
import type { RenderedMarkdown, RenderOptions } from './types.ts';
import { CLAIM, RENDER_THREAD } from './render-worker.ts';

/** One body to render, as plain data a thread can be handed (`renderMarkdown`'s inputs). */
export interface RenderJob {
  body: string;
  format: 'md' | 'mdx';
  language: string;
  labels: RenderOptions['labels'];
  embedHosts: readonly string[];
  /** Each link as written → its URL (`articleReferences`). */
  links: [string, string][];
  /** Each local image's `src` as written → its file. */
  images: [string, string][];
}

/** The thread's answer for a job: the render, or the error that stopped it (with its body line). */
export type RenderAnswer =
  { job: number; rendered: RenderedMarkdown } | { job: number; error: string; line?: number | undefined };

/** The thread's last message: every job is claimed, and these are the code blocks it highlighted. */
export interface ThreadDone {
  done: true;
  highlights: [key: string, element: Element][];
}

/**
 * A second thread that renders article bodies beside the build's own, from the far end of the
 * same list: the build renders each body as the route data asks for it, from the front, and the
 * thread takes jobs from the back, so the two meet somewhere in the middle. Each job is claimed
 * once, by whichever gets to it first, in shared memory (`Atomics`): the build's thread never
 * waits to hand out work, and waits only for a body the thread claimed and has not finished.
 *
 * Rendering is a pure function of a `RenderJob`, so who rendered a body changes no byte of it.
 * The thread ends once every job is claimed; a thread that fails leaves its unfinished jobs to the
 * build's thread (`answer` gives `undefined`). 1,000 × 3 with no render cache, route data alone,
 * in one process by turns: 1.18–1.39 s against 1.56–1.78 s. Started before the content load,
 * so that it loaded the pipeline and Shiki meanwhile, it took from the load what it gave the
 * route data.
 */
export class RenderThread {
  /** Fewer bodies to render than this are not worth the thread (~0.3 s of loading on its core). */
  static readonly MIN_JOBS = 100;
  #claims: Int32Array<ArrayBufferLike> = new Int32Array(0);
  readonly #worker: Worker;
  readonly #answers = new Map<number, RenderAnswer>();
  readonly #waiting = new Map<number, (answer: RenderAnswer | undefined) => void>();
  #ended = false;
  #onEnd: () => void = () => {};
  /** Settles once the thread has ended (every job answered, or it failed, or `end`). */
  readonly ended = new Promise<void>((resolve) => (this.#onEnd = resolve));

  /** Starts the thread, which loads the Markdown pipeline and Shiki, then waits for its jobs (`run`). */
  constructor() {
    this.#worker = new Worker(new URL('./render-worker.ts', import.meta.url), {
      workerData: RENDER_THREAD,
      // A smaller young generation than the site build's (32 MB a half): a render's garbage dies
      // young either way. With the thread, the site build's peak was that of a build without it
      // (1,000 × 3, 4 pairs by turns: 594–609 MB against 580–620 MB).
      resourceLimits: { maxYoungGenerationSizeMb: 16 },
    });
    this.#worker.unref();
    this.#worker.on('message', (message: RenderAnswer | ThreadDone) => {
      if ('done' in message) {
        for (const [key, element] of message.highlights) highlightMemo.keep(key, element);
        return this.end();
      }
      const wake = this.#waiting.get(message.job);
      if (wake) {
        this.#waiting.delete(message.job);
        wake(message);
      } else this.#answers.set(message.job, message);
    });
    this.#worker.on('error', () => this.#stop());
    this.#worker.on('exit', () => this.#stop());
  }

  /** Hands the thread its jobs (once): it renders them from the last, as `take` leaves them. */
  run(jobs: RenderJob[]): void {
    const claims = new SharedArrayBuffer(jobs.length * Int32Array.BYTES_PER_ELEMENT);
    this.#claims = new Int32Array(claims);
    this.#worker.postMessage({ jobs, claims });
  }

  /** Claims job `index` for the build's thread: false when the render thread claimed it first. */
  take(index: number): boolean {
    return Atomics.compareExchange(this.#claims, index, CLAIM.free, CLAIM.here) === CLAIM.free;
  }

  /** The answer for a job the render thread claimed; `undefined` if it ended without one. */
  answer(index: number): Promise<RenderAnswer | undefined> {
    const answer = this.#answers.get(index);
    if (answer) {
      this.#answers.delete(index);
      return Promise.resolve(answer);
    }
    if (this.#ended) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#waiting.set(index, resolve));
  }

  /** Ends the thread (its answers so far are kept); safe to call more than once. */
  end(): void {
    if (this.#ended) return;
    void this.#worker.terminate();
    this.#stop();
  }

  #stop(): void {
    this.#ended = true;
    this.#onEnd();
    for (const wake of this.#waiting.values()) wake(undefined);
    this.#waiting.clear();
  }
}
