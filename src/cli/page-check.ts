import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { answerInThread, askThread } from './apart.ts';

/** A page the previous build's manifest records: its output file (under the output folder) and its bytes' SHA-256. */
export type RecordedPage = [file: string, sha: string];

/**
 * The page cache's check of the previous output (`page-cache.ts`): which of the pages its manifest
 * records are still there with the very bytes recorded. Done in a thread of its own, started
 * before the content is loaded: reading and hashing the 3,000 pages of a 1,000 × 3 help center
 * took ~0.2 s of the build's thread, which a rebuild spent on its way to Astro. Should the thread
 * fail, the check is made here instead: it is never skipped.
 *
 * With `into` (the new output folder), each intact page is also put there as it is found
 * (`linkPage`), while the content loads: a folder per page costs this disk 0.3–0.5 s at 1,000 × 3,
 * which a rebuild otherwise waited for after its route data. The page cache then takes out again
 * those it does not reuse (`PageCache.plan`), before anything is written there.
 */
export function checkPages(out: string, pages: RecordedPage[], into?: string): Promise<Set<string>> {
  return askThread(new URL(import.meta.url), CHECK, { out, pages, into }, () =>
    intactPages(out, pages, into),
  ).answer.then((intact) => new Set(intact));
}

/**
 * The recorded pages whose file under `out` holds the bytes recorded, one read at a time; each put
 * under `into` too, where given.
 */
export function intactPages(out: string, pages: RecordedPage[], into?: string): string[] {
  const intact: string[] = [];
  const made = new Set<string>();
  for (const [file, sha] of pages) {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(path.join(out, file));
    } catch {
      continue; // gone: rendered again
    }
    if (createHash('sha256').update(bytes).digest('hex') !== sha) continue;
    if (into !== undefined) linkPage(path.join(out, file), path.join(into, file), made);
    intact.push(file);
  }
  return intact;
}

/**
 * A page of the previous output put into the new one: a hard link (output files are never changed
 * in place), else a copy. A file already there (a thread that failed part-way) is replaced, never
 * written into: it may be a link to the previous output's file. `made`: folders made so far.
 */
export function linkPage(from: string, to: string, made: Set<string>): void {
  const folder = path.dirname(to);
  if (!made.has(folder)) {
    fs.mkdirSync(folder, { recursive: true });
    made.add(folder);
  }
  try {
    fs.linkSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return fs.copyFileSync(from, to);
    fs.rmSync(to);
    linkPage(from, to, made);
  }
}

/** The key of the check's thread (`askThread`). */
const CHECK = 'signpostPageCheck';

answerInThread(CHECK, ({ out, pages, into }: { out: string; pages: RecordedPage[]; into?: string }) =>
  intactPages(out, pages, into),
);
