import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Worker, parentPort, workerData } from 'node:worker_threads';

/** A page the previous build's manifest records: its output file (under the output folder) and its bytes' SHA-256. */
export type RecordedPage = [file: string, sha: string];

/**
 * The page cache's check of the previous output (`page-cache.ts`): which of the pages its manifest
 * records are still there with the very bytes recorded. Done in a thread of its own, started
 * before the content is loaded: reading and hashing the 3,000 pages of a 1,000 × 3 help center
 * took ~0.2 s of the build's thread, which a rebuild spent on its way to Astro. Should the thread
 * fail, the check is made here instead: it is never skipped.
 */
export function checkPages(out: string, pages: RecordedPage[]): Promise<Set<string>> {
  return new Promise<string[]>((resolve) => {
    const worker = new Worker(new URL(import.meta.url), {
      workerData: { signpostPageCheck: { out, pages } },
    });
    let answered = false;
    const answer = (intact: () => string[]) => {
      if (answered) return;
      answered = true;
      resolve(intact());
    };
    worker.once('message', (intact: string[]) => answer(() => intact));
    // A thread that failed, or ended without an answer.
    worker.once('error', () => answer(() => intactPages(out, pages)));
    worker.once('exit', () => answer(() => intactPages(out, pages)));
  }).then((intact) => new Set(intact));
}

/** The recorded pages whose file under `out` holds the bytes recorded, one read at a time. */
export function intactPages(out: string, pages: RecordedPage[]): string[] {
  const intact: string[] = [];
  for (const [file, sha] of pages) {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(path.join(out, file));
    } catch {
      continue; // gone: rendered again
    }
    if (createHash('sha256').update(bytes).digest('hex') === sha) intact.push(file);
  }
  return intact;
}

type CheckData = { signpostPageCheck?: { out: string; pages: RecordedPage[] } };

// The check's thread (not any thread that imports this module): answers once, then ends.
const asked = (workerData as CheckData | undefined)?.signpostPageCheck;
if (parentPort && asked) parentPort.postMessage(intactPages(asked.out, asked.pages));
