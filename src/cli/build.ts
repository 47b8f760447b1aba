import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { FeedStats } from '../output/feed-files.ts';
import type { IndexStats, SearchPlan } from '../search/index.ts';
import { startApart, type Apart } from './apart.ts';
import {
  readStamp,
  runStampCheck,
  codeVersion,
  SEARCH_PAGES_PER_PASS,
  upToDateLine,
  writeStamp,
  type StampCheck,
} from './build-stamp.ts';
import type { SiteBuild, SiteBuildRequest } from './build-site.ts';
import { PhaseClock, type BuildTimings } from './phases.ts';

export interface BuildOptions {
  content: string;
  out: string;
  /** Print nothing but errors (the bench wants figures, not lines). */
  quiet?: boolean;
  /** Build even when the inputs are those of the build already in `out` (`--no-cache`). */
  noCache?: boolean;
  /**
   * Tests only: build even when the content has errors, to show that what `check` refuses never
   * reaches the output when `check` is skipped. Not offered on the command line.
   */
  unchecked?: boolean;
}

export interface BuildResult {
  code: number;
  pages: number;
  seconds: number;
  /** Search indexing figures (absent when the build stopped early). */
  search?: IndexStats;
  /** Knowledge feed figures (absent when the build stopped early). */
  feed?: FeedStats;
  /** Pages copied from the previous output instead of rendered (`page-cache.ts`). */
  copied?: number;
  /** Wall seconds per phase (absent when the build stopped early); the bench prints them. */
  timings?: BuildTimings;
  /** True when nothing was built: `out` holds the build of these very inputs (`build-stamp.ts`). */
  upToDate?: boolean;
}

/**
 * `signpost build`: check, then every brand's site in ONE Astro build, written to a temporary
 * folder that replaces `--out` only when everything succeeded, so a failed build never leaves a
 * half-written `dist/`. The site itself is built in a process of its own (`build-site.ts`) that
 * exits before Pagefind indexes it: the two never hold their memory at the same time. Except in a
 * rebuild of a few pages on a smaller site (`pagesFirst` there), whose pages are indexed, one
 * Pagefind pass at a time, while the site build writes the feeds.
 */
export async function runBuild(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const log = options.quiet ? () => {} : console.log;
  const clock = new PhaseClock();
  const outDir = path.resolve(options.out);
  clock.start('outputSwap');
  removeLeftovers(outDir);
  const searchPagesPerPass = wholeNumberSetting(SEARCH_PAGES_PER_PASS, 'pages');
  const searchPasses = wholeNumberSetting(SEARCH_PASSES, 'passes');
  const largeFrom = wholeNumberSetting(LARGE_SITE, 'article files') ?? LARGE_SITE_ARTICLES;
  if (searchPagesPerPass === null || searchPasses === null || largeFrom === null)
    return { code: 1, pages: 0, seconds: seconds() };
  clock.start('checkAndLoad');
  // The site build's process starts as soon as there is certainly something to build, and loads
  // its modules (~0.35 s) while the stamp check ends: at once where `out` holds no stamp (or with
  // `--no-cache`), else once the inputs hash otherwise than the stamp's. With nothing to build no
  // process starts: started beside the check, it made that answer ~35 ms slower (1,000 × 3).
  let early: SiteBuildProcess | undefined;
  const start = (large = false) => (early ??= startSiteBuild(large));
  const previous = readStamp(outDir);
  if (options.noCache || !previous) start();
  let stamp: StampCheck;
  try {
    stamp = await runStampCheck(options, (articles) => start(articles >= largeFrom), previous);
  } catch (error) {
    early?.cancel();
    throw error;
  }
  const { inputs, upToDate, articles } = stamp;
  if (upToDate) {
    log(upToDateLine(upToDate, options.out, seconds()));
    return { code: 0, pages: upToDate.pages, seconds: seconds(), upToDate: true };
  }
  // One started before the article files were counted has a smaller site's flags.
  const large = articles >= largeFrom;
  let siteBuild = early ?? startSiteBuild(large);
  if (large && !siteBuild.large) {
    siteBuild.cancel();
    siteBuild = startSiteBuild(large);
  }

  const temp = `${outDir}${PARTIAL}${process.pid}`;
  let search: IndexStats;
  let feed: FeedStats;
  let built: SiteBuild;
  /** The search index, started while the site build writes its feeds (`pagesFirst`), or after it. */
  let searching: Promise<IndexStats> | undefined;
  /** Stops the search index's passes when the build stops (`discard`). */
  const stopSearch = new AbortController();
  /** `beside`: the site build is still running, so its passes run one at a time. */
  const makeIndex = async (plan: SearchPlan, beside = false) => {
    // Loaded now, not while the site build starts: this process waits small.
    const { indexSite } = await import('../search/index.ts');
    // `--no-cache`: no language index is kept from the previous output (brands still share theirs).
    return indexSite(temp, plan, codeVersion(), options.noCache ? undefined : outDir, {
      atOnce: beside ? 1 : searchPasses,
      pagesPerPass: searchPagesPerPass,
      signal: stopSearch.signal,
    });
  };
  /** Removes `temp`, once the search index (if it started) has stopped writing into it. */
  const discard = async () => {
    stopSearch.abort();
    await searching?.catch(() => {});
    fs.rmSync(temp, { recursive: true, force: true });
  };
  try {
    fs.rmSync(temp, { recursive: true, force: true });
    clock.stop();
    const forked = performance.now();
    built = await siteBuild.run(
      {
        options: {
          ...options,
          searchPagesPerPass,
          large,
          articleHashes: stamp.articleHashes,
          codeVersion: codeVersion(),
        },
        temp,
        before: seconds(),
      },
      (plan) => {
        searching = makeIndex(plan, true);
        searching.catch(() => {}); // awaited below, or by `discard`
      },
    );
    // The site build's own phases; starting its process and loading its modules count as loading.
    const phases = Object.values(built.timings).reduce((sum, s) => sum + s, 0);
    clock.add({
      ...built.timings,
      checkAndLoad: built.timings.checkAndLoad - phases + (performance.now() - forked) / 1000,
    });
    if (built.code !== 0 || !built.search || !built.feed) {
      await discard();
      removeInBackground(built.retired);
      return { code: built.code || 1, pages: 0, seconds: seconds() };
    }
    feed = built.feed;
    // Started early, the index counts here only for what it took after the site build.
    clock.start('searchIndex');
    search = await (searching ?? makeIndex(built.search));
    clock.start('outputSwap');
    writeStamp(temp, inputs, built.pages);
    swapInto(temp, outDir, built.retired);
    clock.stop();
  } catch (error) {
    siteBuild.cancel(); // not given its request yet: it would wait for one forever
    await discard();
    throw error;
  }
  const { pages, copied } = built;
  const where = path.relative(process.cwd(), outDir) || '.';
  const indexes = (n: number, kind: string) => `${n} ${kind} ${n === 1 ? 'index' : 'indexes'}`;
  const copiedIndexes = [
    ...(search.copied ? [indexes(search.copied, 'language')] : []),
    ...(search.privateCopied ? [indexes(search.privateCopied, 'private')] : []),
  ];
  const shared = copiedIndexes.length ? ` (${copiedIndexes.join(' and ')} copied)` : '';
  const index = `search index: ${search.pages} pages, ${(search.bytes / 1024 / 1024).toFixed(1)} MB${shared}`;
  const keptFeeds = feed.kept ? ` (${feed.kept} copied from the last build's)` : '';
  const feeds = `feeds: ${feed.articles} articles${keptFeeds}, ${(feed.bytes / 1024 / 1024).toFixed(1)} MB`;
  const reusedParts = [
    ...(copied ? [`${copied} unchanged since the last build, copied`] : []),
    ...(built.shared ? [`${built.shared} rendered once for brands that differ only in words`] : []),
    ...(built.bodies?.kept
      ? [`${built.bodies.kept} of ${built.bodies.all} article bodies not rendered again`]
      : []),
    ...(built.keptBundle ? ["rendered with the last build's Astro bundle"] : []),
  ];
  const unchanged = reusedParts.length ? ` (${reusedParts.join('; ')})` : '';
  log(
    `✓ built ${pages} pages${unchanged} for ${built.brands.join(', ')} into ${where}; ${index}; ${feeds} (${seconds().toFixed(2)} s)`,
  );
  return { code: 0, pages, copied, seconds: seconds(), search, feed, timings: clock.timings() };
}

/**
 * Pagefind passes at once at most, their memory allowing (`PassPool`); unset, `DEFAULT_PASSES`. It
 * changes no byte of the output, so it is not one of the build's inputs (`build-stamp.ts`).
 */
const SEARCH_PASSES = 'SIGNPOST_SEARCH_PASSES';
/** Article files from which a site is built as a large one (`LARGE_SITE_ARTICLES` where unset). */
const LARGE_SITE = 'SIGNPOST_LARGE_SITE_ARTICLES';

/**
 * A whole number above 0 from the environment variable `name`: undefined when unset, null (with
 * the line that stops the build) when it is something else.
 */
function wholeNumberSetting(name: string, unit: string): number | undefined | null {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (Number.isInteger(value) && value > 0) return value;
  console.log(
    `build stopped: ${name} is "${text}"; set it to a whole number of ${unit} above 0, or unset it`,
  );
  return null;
}

/** The site build's process, and whether it has a large site's flags. */
type SiteBuildProcess = Apart<SiteBuildRequest, SiteBuild, SearchPlan> & { large: boolean };

/**
 * Starts `build-site.ts` in a process of its own, to be given its request: what it held goes back
 * to the system when it exits.
 */
function startSiteBuild(large: boolean): SiteBuildProcess {
  const apart = startApart<SiteBuildRequest, SiteBuild, SearchPlan>(
    new URL('./build-site.ts', import.meta.url),
    'the site build',
    {
      // V8 lets the heap grow up to four times what a collection left before the next one, which
      // at 25,000 pages is hundreds of megabytes of room above the route data. A large site's
      // heap grows by 30 % at a time instead: ~130 MB less there, no slower. Not for smaller
      // sites, where the extra collections cost seconds for a few megabytes.
      // A smaller site's young generation may grow to 32 MB a half (`--max-semi-space-size`): the
      // pages Astro renders eight at a time, and the route data's parses, die young instead of
      // being promoted. 1,000 × 3, by turns: 0.55 s faster in 5 pairs of 5, and a peak process tree
      // of 597–600 MB against 629–677 MB.
      execArgv: [
        ...process.execArgv,
        ...(large ? ['--heap-growing-percent=30'] : ['--max-semi-space-size=32']),
      ],
      // Two malloc arenas that give freed memory back (glibc; ignored elsewhere): ~30 MB less at
      // 3,000 pages. Rolldown and Astro's compiler allocate with mimalloc, which by default keeps
      // what Astro's bundle freed committed for the whole render: returned at once, ~125 MB less
      // at 3,000 pages, at no measurable cost in time. A smaller young generation
      // (`--max-semi-space-size=4`) cost ~400 MB and 14 s of feeds at 25,000 pages, so a large
      // site keeps V8's default.
      env: {
        MALLOC_ARENA_MAX: '2',
        MALLOC_TRIM_THRESHOLD_: '131072',
        MIMALLOC_PURGE_DELAY: '0',
        MIMALLOC_PURGE_DECOMMITS: '1',
        MIMALLOC_ARENA_EAGER_COMMIT: '0',
        ...process.env,
      },
    },
  );
  return { ...apart, large };
}

/**
 * Article files from which the site build trades some speed for memory: see `startSiteBuild`, and
 * `SiteBuildOptions.large`. `SIGNPOST_LARGE_SITE_ARTICLES` sets another figure (a machine with
 * less memory builds smaller sites the same way); it changes no byte of the output.
 */
export const LARGE_SITE_ARTICLES = 8_000;

const PARTIAL = '.partial-';
const OLD = '.old-';

/**
 * Replaces `outDir` with `temp` in two renames, so readers see the old or the new site, never half.
 * The old tree (24,000 pages take minutes to delete) is removed by a process of its own that
 * outlives this one, so the build exits as soon as the new site is in place; so are the cache files
 * the build replaced (`retired`: `replaceKept`).
 */
function swapInto(temp: string, outDir: string, retired: string[]): void {
  const old = `${outDir}${OLD}${process.pid}-${Date.now()}`;
  let replaced = false;
  try {
    fs.renameSync(outDir, old);
    replaced = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.renameSync(temp, outDir);
  removeInBackground([...(replaced ? [old] : []), ...retired]);
}

/**
 * What earlier builds of `outDir` left beside it: the partial folder of a build that was killed
 * (its process is gone) and old trees whose removal did not finish. They are renamed out of the
 * way at once (a new build of the same process id must not have its own folder removed under it)
 * and removed in the background. A partial folder of a live process is another build's; it stays.
 */
export function removeLeftovers(outDir: string): void {
  const parent = path.dirname(outDir);
  const base = path.basename(outDir);
  let names: string[];
  try {
    names = fs.readdirSync(parent);
  } catch {
    return; // no parent folder yet: nothing was left
  }
  const stale: string[] = [];
  for (const name of names) {
    let target = path.join(parent, name);
    if (name.startsWith(base + PARTIAL)) {
      const pid = Number(name.slice(base.length + PARTIAL.length));
      if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
      const renamed = `${outDir}${OLD}${process.pid}-${Date.now()}-${pid}`;
      try {
        fs.renameSync(target, renamed);
      } catch {
        continue; // another build got to it first
      }
      target = renamed;
    } else if (!name.startsWith(base + OLD)) continue;
    stale.push(target);
  }
  if (stale.length) removeInBackground(stale);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, as another user's process.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Deletes folders (and files) from a detached Node process, so neither this build's exit nor its
 * caller waits.
 * If it dies too, the next build finds the folders under the `.old-` name and tries again; two
 * removers at one folder are harmless (`force` ignores what the other already deleted).
 */
function removeInBackground(folders: string[]): void {
  if (folders.length === 0) return;
  const script =
    "for (const f of process.argv.slice(1)) require('node:fs').rmSync(f, { recursive: true, force: true, maxRetries: 3 })";
  const child = spawn(process.execPath, ['-e', script, ...folders], { detached: true, stdio: 'ignore' });
  child.on('error', () => {}); // cannot spawn: the next build tries again
  child.unref();
}
