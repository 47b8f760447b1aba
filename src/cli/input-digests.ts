import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileIdentity } from '../content/file-identity.ts';
import { pruneCache, writeCacheFile } from '../cache/files.ts';
import { PROJECT_ROOT } from '../paths.ts';

/**
 * The SHA-256 of each file the build stamp's check hashed last time (`build-stamp.ts`), by path,
 * under the file's identity and times (`fileIdentity`), so the next check reads only the files
 * written since: at 1,000 × 3, hashing the ~2,900 content files and Signpost's own was ~0.1–0.15 s
 * of a build with nothing to do, which takes ~0.35–0.5 s in all. A file written since has another
 * change time, which no tool can set back, so a hit is the hash of the very bytes; a file changed
 * within the last moments is hashed every time (`RACY_MS`).
 *
 * One file per content folder, in Signpost's cache folder (`.astro/cache/inputs/`): the content
 * folder's path on the first line (for `pruneCache`), then the digests the check used, as JSON.
 * A digest is a fact about bytes, not about Signpost's code, so no code version keys it. A file
 * that cannot be read or written costs the next check its hashing, nothing more.
 */
export class InputDigests {
  readonly #file: string;
  readonly #content: string;
  /** The last check's digests: by path, the identity and the SHA-256 (hex). */
  readonly #kept: Map<string, [string, string]>;
  /** This check's, for the next. */
  readonly #used = new Map<string, [string, string]>();
  #added = false;
  /** Files whose digest was kept (not read), for tests. */
  hits = 0;

  /**
   * The digests kept for the content folder `content`; `fresh` (`--no-cache`) reads none, and
   * keeps this check's for the next.
   */
  constructor(content: string, fresh: boolean, dir = INPUT_DIGESTS_DIR) {
    this.#content = path.resolve(content);
    this.#file = path.join(
      dir,
      `${createHash('sha256').update(this.#content).digest('hex').slice(0, 16)}.json`,
    );
    this.#kept = fresh ? new Map() : read(this.#file);
  }

  /**
   * The SHA-256 of `file`'s bytes (hex), or why it cannot be read (`unreadable: …`), `stat`
   * its `lstat` (bigint): kept from the last check where the file is as it was then.
   */
  digest(file: string, stat: fs.BigIntStats): string {
    let identity: string | undefined;
    try {
      identity = fileIdentity(stat.isSymbolicLink() ? fs.statSync(file, { bigint: true }) : stat);
    } catch {
      identity = undefined; // a link to nothing: `hashFile` says why
    }
    const kept = identity === undefined ? undefined : this.#kept.get(file);
    if (kept && kept[0] === identity) {
      this.#used.set(file, kept);
      this.hits++;
      return kept[1];
    }
    const sha = hashFile(file);
    if (identity !== undefined && !sha.startsWith(UNREADABLE)) {
      this.#used.set(file, [identity, sha]);
      this.#added = true;
    }
    return sha;
  }

  /** Writes this check's digests for the next, if they are not those of the file already. */
  save(): void {
    if (!this.#added && this.#used.size === this.#kept.size) return;
    const saved: Saved = { version: VERSION, files: Object.fromEntries(this.#used) };
    if (!writeCacheFile(this.#file, `${JSON.stringify(this.#content)}\n${JSON.stringify(saved)}\n`)) return;
    try {
      pruneCache(path.dirname(this.#file), this.#file);
    } catch {
      // the folder is gone again: nothing to prune
    }
  }
}

/** Where the files live: Signpost's cache folder, which a CI runner keeps with the others. */
export const INPUT_DIGESTS_DIR = path.join(PROJECT_ROOT, '.astro', 'cache', 'inputs');

const VERSION = 1;

interface Saved {
  version: number;
  files: Record<string, [string, string]>;
}

function read(file: string): Map<string, [string, string]> {
  try {
    const text = fs.readFileSync(file, 'utf8');
    const saved = JSON.parse(text.slice(text.indexOf('\n') + 1)) as Saved;
    if (saved.version === VERSION && saved.files) return new Map(Object.entries(saved.files));
  } catch {
    // none yet, or damaged: every file is hashed
  }
  return new Map();
}

/**
 * The SHA-256 of a file's bytes (hex), read through one reused buffer: reading thousands of files
 * whole left tens of megabytes of freed buffers in the process that then waits for the site build.
 * What cannot be read (a link to a folder, a file gone) gives why instead (`unreadable: …`).
 */
export function hashFile(file: string): string {
  const hash = createHash('sha256');
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    for (let n; (n = fs.readSync(fd, chunk, 0, chunk.length, null)) > 0;) hash.update(chunk.subarray(0, n));
  } catch (error) {
    return `${UNREADABLE}${(error as NodeJS.ErrnoException).code}`;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  return hash.digest('hex');
}

const chunk = Buffer.allocUnsafe(1 << 16);

/** What `hashFile` gives instead of a hash, before why the file cannot be read. */
export const UNREADABLE = 'unreadable: ';
