import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../paths.ts';
import { answerInThread, askThread, runApart, serveApart } from './apart.ts';
import { dirs } from '../routing/layout.ts';
import { treeFiles } from '../output/link.ts';

/**
 * A build's stamp: one hash of everything its output is made from, and what it wrote. A build
 * whose inputs hash the same as the stamp in `--out`, and whose output is still what the stamp
 * says, has nothing to do: the output would come out byte for byte the same.
 *
 * The inputs, all of them, so a hit is right by construction rather than by care:
 * - every file of the content folder and of both theme folders: path, bytes and modification
 *   time (an article with no commit is dated by its file's time, SPEC §2);
 * - the last commit that touched the content folder (the other articles' dates);
 * - Signpost itself: every file under `src/`, `astro.config.mjs`, `package.json` and the lock
 *   file (the versions of Astro, Sätteri, Pagefind and the rest), and the Node version (dates and
 *   numbers are formatted by its ICU);
 * - the build's own options.
 * Secrets are not inputs: the build reads none (the gate does, when it serves).
 */
export interface BuildStamp {
  inputs: string;
  /** Pages it built, for the line that says nothing changed. */
  pages: number;
  /** What the build wrote: how many files and bytes, so an output changed by hand is rebuilt. */
  output: { files: number; bytes: number };
}

/**
 * The hash of a build's inputs (see `BuildStamp`); about a tenth of a second at 3,000 articles.
 * Each file's bytes are hashed on their own, and that hash is added: the SHA-256 of each article
 * file (`.md`, `.mdx`) in the content folder comes back too, by absolute path, for the load cache
 * (`load-cache.ts`), which then need not read an article whose bytes it has seen.
 */
export function hashInputs(
  content: string,
  options: Record<string, unknown>,
): { hash: string; articles: number; articleHashes: Record<string, string> } {
  const hash = createHash('sha256');
  const add = (...parts: (string | Buffer)[]) => {
    for (const part of parts) hash.update(part).update('\0');
  };
  add('signpost-build-stamp 2', JSON.stringify(options));
  const root = path.resolve(content);
  const trees = [
    ['content', root],
    ['themes', path.join(root, '..', 'themes')],
    ['built-in themes', path.join(PROJECT_ROOT, 'themes')],
  ] as const;
  let articles = 0;
  const articleHashes: Record<string, string> = {};
  for (const [name, dir] of trees)
    for (const file of filesUnder(dir)) {
      const absolute = path.join(dir, file);
      const digest = hashFile(absolute);
      if (name === 'content' && /\.mdx?$/.test(file)) {
        articles += 1;
        if (!digest.startsWith(UNREADABLE)) articleHashes[absolute] = digest;
      }
      add(name, file, digest, String(fs.lstatSync(absolute).mtimeMs));
    }
  add('code', codeVersion());
  add('last content commit', lastCommit(root));
  return { hash: hash.digest('hex'), articles, articleHashes };
}

let code: string | undefined;

/**
 * Signpost itself, as one hash: every file under `src/` (templates, styles, scripts, UI strings),
 * `astro.config.mjs`, `package.json` and the lock file (the versions of Astro, Sätteri, Pagefind
 * and the rest), and the Node version (dates and numbers are formatted by its ICU).
 */
export function codeVersion(): string {
  if (code) return code;
  const hash = createHash('sha256').update(process.version);
  const src = path.join(PROJECT_ROOT, 'src');
  for (const file of filesUnder(src)) hash.update(`\0${file}\0${hashFile(path.join(src, file))}`);
  for (const file of ['astro.config.mjs', 'package.json', 'package-lock.json'])
    hash.update(`\0${file}\0${hashFile(path.join(PROJECT_ROOT, file))}`);
  return (code = hash.digest('hex'));
}

/**
 * Takes `hash` for this process's `codeVersion()`: the site build's process is given the one its
 * parent hashed a moment before (~40 ms of hashing `src/` and the lock file again).
 */
export function knownCodeVersion(hash: string): void {
  code = hash;
}

/**
 * Whether the build in `out` is the build of `content` as it is now, and the hash of the inputs
 * for the build to stamp otherwise. `changed` is called as soon as the inputs are known to differ
 * from those of the stamp in `out` (there is something to build), before the check ends. The
 * output is listed meanwhile, in a thread of its own (`listOutput`), where a stamp may say that
 * nothing changed. `previous`: the stamp in `out`, where the caller read it already.
 */
export async function checkStamp(
  options: StampOptions,
  changed?: (articles: number) => void,
  previous = readStamp(path.resolve(options.out)),
): Promise<StampCheck> {
  const out = path.resolve(options.out);
  const stamp = options.noCache ? undefined : previous;
  const listing = stamp && listOutput(out);
  let hashed: ReturnType<typeof hashInputs>;
  try {
    hashed = hashInputs(options.content, {
      unchecked: options.unchecked === true,
      // How search indexes are split is written into every page (`runBuild` checks the value).
      searchPagesPerPass: process.env[SEARCH_PAGES_PER_PASS] ?? null,
    });
  } catch (error) {
    listing?.stop();
    throw error;
  }
  const { hash: inputs, articles, articleHashes } = hashed;
  if (!stamp || !listing || stamp.inputs !== inputs) {
    listing?.stop();
    changed?.(articles);
    return { inputs, articles, articleHashes };
  }
  // The output still holds what that build wrote there.
  const now = await listing.answer;
  return now.files === stamp.output.files && now.bytes === stamp.output.bytes
    ? { inputs, articles, articleHashes, upToDate: stamp }
    : { inputs, articles, articleHashes };
}

export interface StampOptions {
  content: string;
  out: string;
  unchecked?: boolean | undefined;
  noCache?: boolean | undefined;
}

/**
 * `checkStamp`, in a process of its own where the output's stamp says the site is large (or there
 * is none): listing and hashing 25,000 content files leaves ~50 MB in the process that did it,
 * and the command waits for the site build with what it holds. A smaller site's check runs in this
 * process, which saves starting one (~50 ms of the ~0.3 s a build with nothing to do takes at
 * 1,000 × 3) and leaves a few megabytes.
 */
export function runStampCheck(
  options: StampOptions,
  changed?: (articles: number) => void,
  previous = readStamp(path.resolve(options.out)),
): Promise<StampCheck> {
  if (previous && previous.pages < APART_FROM_PAGES) return checkStamp(options, changed, previous);
  return runApart(new URL(import.meta.url), 'the build stamp check', options);
}

/** Pages (of the previous build) from which the stamp is checked in a process of its own. */
const APART_FROM_PAGES = 8_000;

if (import.meta.main) serveApart((options: StampOptions) => checkStamp(options));

export interface StampCheck {
  /** The hash of the inputs, for the build to stamp. */
  inputs: string;
  /** Article files (`.md`, `.mdx`) in the content folder: how large a build this is. */
  articles: number;
  /** The SHA-256 of each article file's bytes, by absolute path, as hashed for `inputs`. */
  articleHashes: Record<string, string>;
  /** The stamp of the build in `out`, when it is the build of these very inputs. */
  upToDate?: BuildStamp;
}

/** Searchable pages per Pagefind pass for every language, when set (`layout.ts` `searchIndexParts`). */
export const SEARCH_PAGES_PER_PASS = 'SIGNPOST_SEARCH_PAGES_PER_PASS';

/** The line that says there was nothing to build. */
export function upToDateLine(stamp: BuildStamp, out: string, seconds: number): string {
  const where = path.relative(process.cwd(), path.resolve(out)) || '.';
  return `✓ nothing to build: content, themes and Signpost are as they were for the ${stamp.pages} pages in ${where} (${seconds.toFixed(2)} s; --no-cache builds anyway)`;
}

/**
 * `outputSummary` of `out` in a thread of its own (`askThread`), started before the inputs are
 * hashed: listing the output takes ~50 ms at 1,000 × 3, which a build with nothing to do then does
 * not wait for. Stopped when the inputs changed.
 */
function listOutput(out: string): { answer: Promise<BuildStamp['output']>; stop(): void } {
  return askThread(new URL(import.meta.url), LIST, out, () => outputSummary(out));
}

/** The key of `listOutput`'s thread. */
const LIST = 'signpostOutputSummary';

/** The stamp the build in `out` wrote, if it is there and whole. */
export function readStamp(out: string): BuildStamp | undefined {
  try {
    const stamp = JSON.parse(fs.readFileSync(dirs.buildStamp(out), 'utf8')) as BuildStamp;
    return typeof stamp.pages === 'number' && typeof stamp.output?.files === 'number' ? stamp : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the stamp of a finished build into `out` (counted before the stamp is there). */
export function writeStamp(out: string, inputs: string, pages: number): void {
  const stamp: BuildStamp = { inputs, pages, output: outputSummary(out) };
  fs.writeFileSync(dirs.buildStamp(out), `${JSON.stringify(stamp)}\n`);
}

/**
 * The files under `out` (`filesIn`) and their bytes. Counted as they are found: neither their
 * order nor their names matter here, and making each name relative and sorting them was a fifth
 * of the time (~30 ms at 9,000 files, twice in a rebuild).
 */
function outputSummary(out: string): BuildStamp['output'] {
  let files = 0;
  let bytes = 0;
  const stampFile = dirs.buildStamp(out);
  for (const file of filesIn(out)) {
    if (file === stampFile) continue;
    files += 1;
    bytes += fs.statSync(file).size;
  }
  return { files, bytes };
}

/** Every file under `dir`, relative and sorted (the hash must not depend on the order of readdir). */
function filesUnder(dir: string): string[] {
  return filesIn(dir)
    .map((file) => path.relative(dir, file))
    .sort();
}

/**
 * Every file (or symbolic link) under `dir` (`treeFiles`); none when `dir` cannot be read. A
 * content folder that is a repository of its own: its `.git` folder is left out (its history is
 * read as the dates).
 */
function filesIn(dir: string): string[] {
  let files: string[];
  try {
    files = treeFiles(dir);
  } catch {
    return [];
  }
  return files.filter(
    (file) => !(file.includes('.git') && path.relative(dir, file).split(path.sep).includes('.git')),
  );
}

/**
 * The SHA-256 of a file's bytes (hex), read through one reused buffer: reading thousands of files
 * whole left tens of megabytes of freed buffers in the process that then waits for the site build.
 * What cannot be read (a link to a folder, a file gone) gives why instead (`unreadable: …`).
 */
function hashFile(file: string): string {
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
const UNREADABLE = 'unreadable: ';

function lastCommit(dir: string): string {
  try {
    return execFileSync('git', ['log', '-1', '--format=%H', '--', '.'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'not in git';
  }
}

// `listOutput`'s thread.
answerInThread(LIST, outputSummary);
