import { parentPort, workerData } from 'node:worker_threads';
import { MarkdownError } from './errors.ts';
import { highlight } from './highlight.ts';
import { highlightMemo } from './highlight-memo.ts';
import { renderMarkdown } from './render.ts';
import type { RenderAnswer, RenderJob, ThreadDone } from './render-thread.ts';

/** Who claimed a job, in the shared claims (`RenderThread`). */
export const CLAIM = { free: 0, here: 1, there: 2 } as const;

/** What `RenderThread` starts its thread with, so the thread knows it is one (see below). */
export const RENDER_THREAD = { signpostRender: true };

// `RenderThread`'s thread: loads the pipeline and Shiki's highlighter (its themes and regular
// expression engine) at once, then, given its jobs, claims them from the last to the first,
// renders each one it got and answers each (`RenderAnswer`), then says it is done, with the code
// blocks it highlighted.
if (parentPort && (workerData as typeof RENDER_THREAD | undefined)?.signpostRender) {
  const port = parentPort;
  highlightMemo.collect();
  void highlight('', 'text');
  port.once(
    'message',
    (given: { jobs: (RenderJob | undefined)[]; claims: SharedArrayBuffer }) =>
      void renderJobs(given.jobs, new Int32Array(given.claims), (answer) => port.postMessage(answer)),
  );
}

async function renderJobs(
  jobs: (RenderJob | undefined)[],
  claimed: Int32Array,
  answer: (answer: RenderAnswer | ThreadDone) => void,
): Promise<void> {
  for (let job = jobs.length - 1; job >= 0; job--) {
    if (Atomics.compareExchange(claimed, job, CLAIM.free, CLAIM.there) !== CLAIM.free) continue;
    const { body, format, links, images, ...options } = jobs[job]!;
    jobs[job] = undefined; // its body is garbage once rendered
    const linkMap = new Map(links);
    const imageMap = new Map(images);
    try {
      const rendered = await renderMarkdown(body, format, {
        ...options,
        resolveLink: (href) => linkMap.get(href),
        resolveImage: (src) => imageMap.get(src),
      });
      answer({ job, rendered });
    } catch (error) {
      answer({
        job,
        error: error instanceof Error ? error.message : String(error),
        line: error instanceof MarkdownError ? error.line : undefined,
      });
    }
  }
  // The blocks it highlighted, for the build's thread to keep (`highlightMemo`).
  answer({ done: true, highlights: highlightMemo.drain() });
}
