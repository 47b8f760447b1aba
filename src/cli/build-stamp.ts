import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../paths.ts';
import { runApart, serveApart } from './apart.ts';
import { dirs } from '../routing/layout.ts';
import { hashFile, InputDigests, UNREADABLE } from './input-digests.ts';
import { isGit, listOutput, outputSummary, type OutputSummary } from './output-summary.ts';
import { eachFile } from '../output/link.ts';

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
  output: OutputSummary;
}

/**
 * The hash of a build's inputs (see `BuildStamp`). Each file's bytes are hashed on their own, and
 * that hash is added, with its modification time; a file as it was at the last check is not read
 * again (`InputDigests`; `fresh`, as with `--no-cache`, reads every one). The SHA-256 of each
 * article file (`.md`, `.mdx`) in the content folder comes back too, by absolute path, for the
 * load cache (`load-cache.ts`), which then need not read an article whose bytes it has seen.
 * `keep` writes the digests for the next check (`InputDigests`): the caller calls it once the
 * site build is on its way, which then starts ~30 ms sooner.
 */
export async function hashInputs(
  content: string,
  options: Record<string, unknown>,
  fresh = false,
): Promise<{ hash: string; articles: number; articleHashes: Record<string, string>; keep(): void }> {
  const hash = createHash('sha256');
  const add = (...parts: (string | Buffer)[]) => {
    for (const part of parts) hash.update(part).update('\0');
  };
  add('signpost-build-stamp 3', JSON.stringify(options));
  const root = path.resolve(content);
  const commit = lastCommit(root);
  const digests = new InputDigests(root, fresh);
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
      const stat = fs.lstatSync(absolute, { bigint: true });
      const digest = digests.digest(absolute, stat);
      if (name === 'content' && /\.mdx?$/.test(file)) {
        articles += 1;
        if (!digest.startsWith(UNREADABLE)) articleHashes[absolute] = digest;
      }
      add(name, file, digest, String(stat.mtimeNs));
    }
  add('code', codeVersion(digests));
  add('last content commit', await commit);
  return { hash: hash.digest('hex'), articles, articleHashes, keep: () => digests.save() };
}

let code: string | undefined;

/**
 * Signpost itself, as one hash: every file under `src/` (templates, styles, scripts, UI strings),
 * `astro.config.mjs`, `package.json` and the lock file (the versions of Astro, Sätteri, Pagefind
 * and the rest), and the Node version (dates and numbers are formatted by its ICU). With
 * `digests` (the stamp check's), a file as it was at the last check is not read again.
 */
export function codeVersion(digests?: InputDigests): string {
  if (code) return code;
  const hash = createHash('sha256').update(process.version);
  const digest = (file: string) => {
    if (!digests) return hashFile(file);
    try {
      return digests.digest(file, fs.lstatSync(file, { bigint: true }));
    } catch {
      return hashFile(file); // gone: it says so
    }
  };
  const src = path.join(PROJECT_ROOT, 'src');
  for (const file of filesUnder(src)) hash.update(`\0${file}\0${digest(path.join(src, file))}`);
  for (const file of ['astro.config.mjs', 'package.json', 'package-lock.json'])
    hash.update(`\0${file}\0${digest(path.join(PROJECT_ROOT, file))}`);
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
  const listing = stamp && listOutput(out, dirs.buildStamp(out));
  let hashed: Awaited<ReturnType<typeof hashInputs>>;
  try {
    hashed = await hashInputs(
      options.content,
      {
        unchecked: options.unchecked === true,
        // How search indexes are split is written into every page (`runBuild` checks the value).
        searchPagesPerPass: process.env[SEARCH_PAGES_PER_PASS] ?? null,
      },
      options.noCache === true,
    );
  } catch (error) {
    listing?.stop();
    throw error;
  }
  const { hash: inputs, articles, articleHashes } = hashed;
  if (!stamp || !listing || stamp.inputs !== inputs) {
    listing?.stop();
    changed?.(articles);
    hashed.keep();
    return { inputs, articles, articleHashes };
  }
  hashed.keep();
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
  const stamp: BuildStamp = { inputs, pages, output: outputSummary(out, dirs.buildStamp(out)) };
  fs.writeFileSync(dirs.buildStamp(out), `${JSON.stringify(stamp)}\n`);
}

/**
 * Every file (or symbolic link) under `dir` (`eachFile`), relative and sorted (the hash must not
 * depend on the order of readdir); none when a folder cannot be read. A content folder that is a
 * repository of its own: its `.git` folder is left out (its history is read as the dates).
 */
function filesUnder(dir: string): string[] {
  const files: string[] = [];
  try {
    eachFile(dir, (_, inside) => files.push(inside), isGit);
  } catch {
    return [];
  }
  return files.sort();
}

/**
 * The last commit that touched `dir` (or why there is none), asked of git in a process of its own
 * while the files are hashed: in a repository with a long history, `git log` takes a while.
 */
async function lastCommit(dir: string): Promise<string> {
  try {
    const { stdout } = await run('git', ['log', '-1', '--format=%H', '--', '.'], {
      cwd: dir,
      encoding: 'utf8',
    });
    return stdout.trim();
  } catch {
    return 'not in git';
  }
}

const run = promisify(execFile);
