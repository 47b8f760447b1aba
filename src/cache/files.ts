import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The files of Signpost's cache folder (`.astro/cache/`, which a CI runner keeps between runs): how
 * a cache names what it keeps for a folder, reads a file's bytes, replaces a file whole, and
 * removes what no build will read. The packs (`pack.ts`), the feed cache's folders, the kept
 * Astro bundles and the memo files all go through these.
 */

/**
 * The name of what a cache keeps for the output folder `out` (the render, feed and bundle caches
 * each keep one entry per output folder): a hash of its absolute path.
 */
export function cacheNameOf(out: string): string {
  return createHash('sha256').update(path.resolve(out)).digest('hex').slice(0, 16);
}

/** `length` bytes of the file open as `fd`, from `position`; throws where the file has fewer. */
export function readAt(fd: number, position: number, length: number): Buffer {
  if (!(position >= 0 && length >= 0)) throw new Error('outside the pack');
  const buffer = Buffer.allocUnsafe(length);
  const read = fs.readSync(fd, buffer, 0, length, position);
  if (read !== length) throw new Error('a pack cut short');
  return buffer;
}

/**
 * Puts `temp` in the place of `file`, a cache's file that a build replaces whole: the file it
 * replaces is set aside (renamed, and added to `retired`) for the build to remove in the
 * background with the old output (`build.ts`), not removed here. Renamed over, a pack of 30 MB
 * was freed in the rename: 30–100 ms of this disk, at the end of every rebuild. One set aside and
 * not removed (a build killed) is a `.tmp` entry, which `pruneCache` removes a day later.
 */
export function replaceKept(temp: string, file: string, retired: string[]): void {
  const aside = `${file}.${process.pid}-${Date.now()}${RETIRED}`;
  try {
    fs.renameSync(file, aside);
    retired.push(aside);
  } catch {
    // none yet
  }
  fs.renameSync(temp, file);
}

/**
 * Writes `text` as `file`, a cache's file (and its folder, if need be), whole or not at all:
 * through a temporary file renamed over it, so no build reads half of it. False where it cannot
 * (a full disk, a read-only folder), which costs the next build that file's hits, nothing more.
 */
export function writeCacheFile(file: string, text: string): boolean {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, file);
    return true;
  } catch {
    fs.rmSync(temp, { force: true });
    return false;
  }
}

/** How `replaceKept` ends the name of a file it sets aside, after when (ms since the epoch). */
const RETIRED = '.retired.tmp';

/** When `name` (a file's name) was set aside by `replaceKept`; undefined for any other file. */
export function setAsideAt(name: string): number | undefined {
  if (!name.endsWith(RETIRED)) return undefined;
  const when = /-(\d+)$/.exec(name.slice(0, -RETIRED.length))?.[1];
  return when === undefined ? undefined : Number(when);
}

/**
 * Removes the entries of a cache folder (this one's packs, the load cache's files, the feed
 * cache's folders) that no build will read: those of folders that are gone (`servedBy` names the
 * folder an entry serves, here an output folder: tests' and benchmarks' temporary ones; an hour's
 * grace, since a first build writes its pack before its output is in place), those no build wrote
 * for a month, and temporary ones (`.tmp`) of builds killed.
 */
export function pruneCache(dir: string, keep: string, servedBy: (entry: string) => string = firstLine): void {
  const now = Date.now();
  for (const name of fs.readdirSync(dir)) {
    const entry = path.join(dir, name);
    if (entry === keep) continue;
    try {
      const age = now - fs.statSync(entry).mtimeMs;
      if (
        name.endsWith('.tmp') ? age > DAY : age > 30 * DAY || (age > HOUR && !fs.existsSync(servedBy(entry)))
      )
        fs.rmSync(entry, { recursive: true, force: true });
    } catch {
      // removed meanwhile by another build, or an entry of no cache's shape: left alone
    }
  }
}

/** The folder a cache file was written for (its first line, as JSON). */
function firstLine(pack: string): string {
  const fd = fs.openSync(pack, 'r');
  try {
    const head = Buffer.alloc(4096);
    const text = head.subarray(0, fs.readSync(fd, head, 0, head.length, 0)).toString('utf8');
    const out = JSON.parse(text.slice(0, text.indexOf('\n'))) as unknown;
    if (typeof out !== 'string') throw new Error('not a pack');
    return out;
  } finally {
    fs.closeSync(fd);
  }
}

export const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
