import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { AstroIntegration, AstroPrerenderer } from 'astro';
import { loadContent } from '../content/load.ts';
import { writeBrandFiles } from '../output/brand-files.ts';
import { writeFeeds, type FeedStats } from '../output/feed-files.ts';
import { writeGateManifests } from '../output/gate-manifest.ts';
import { PROJECT_ROOT } from '../paths.ts';
import { provideHandoff, type Handoff } from '../integration/handoff.ts';
import { computeSite } from '../routing/site.ts';
import { indexSite, type IndexStats } from '../search/index.ts';
import { checkStamp, upToDateLine, writeStamp } from './build-stamp.ts';
import { PageCache } from './page-cache.ts';
import { report } from './check.ts';

export interface BuildOptions {
  content: string;
  out: string;
  /** Print nothing but errors (the bench wants figures, not lines). */
  quiet?: boolean;
  /** Build even when the inputs are those of the build already in `out` (`--no-cache`). */
  noCache?: boolean;
  /** `checkStamp`'s answer, when the caller asked already. */
  stamp?: ReturnType<typeof checkStamp>;
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
 * Wall seconds of each phase of a build, in the order they run. `check` and the content load are
 * one pass (reading a file is where it is validated), so they are one figure; likewise optimised
 * images are Astro's, timed between the last page it writes and the end of its build.
 */
export interface BuildTimings {
  /** Reading, parsing and validating every content file into the model: what `check` does. */
  checkAndLoad: number;
  /** Every page of every brand as data: URLs, listings, Markdown rendered once, links checked. */
  routeData: number;
  /** Astro's own work around the pages: config, integrations, the Vite bundle of the pages and their CSS, its finish. */
  bundle: number;
  /** Astro writing every HTML page from the route data. */
  render: number;
  /** Astro's optimised article images (a copy from the image cache when it has them). */
  images: number;
  /** Copying the pages that did not change from the previous output, and recording every page's inputs. */
  pageCache: number;
  /** Brand files, favicons and assets per deploy root, and the gate's manifests. */
  brandFiles: number;
  /** Pagefind: every brand's public and private indexes. */
  searchIndex: number;
  /** Knowledge feeds, `llms.txt` and the Markdown copies. */
  feeds: number;
  /** Clearing what killed builds left, and the two renames (the old tree is removed after exit). */
  outputSwap: number;
}

/**
 * `signpost build`: check, then every brand's site in ONE Astro build, written to a temporary
 * folder that replaces `--out` only when everything succeeded, so a failed build never leaves a
 * half-written `dist/`.
 */
export async function runBuild(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const log = options.quiet ? () => {} : console.log;
  const clock = new PhaseClock();
  const outDir = path.resolve(options.out);
  clock.start('outputSwap');
  removeLeftovers(outDir);
  clock.start('checkAndLoad');
  const { inputs, upToDate } = options.stamp ?? checkStamp(options);
  if (upToDate) {
    log(upToDateLine(upToDate, options.out, seconds()));
    return { code: 0, pages: upToDate.pages, seconds: seconds(), upToDate: true };
  }
  const loaded = await loadContent(options.content);
  if (!loaded.model || (loaded.problems.errors.length && !options.unchecked)) {
    report(loaded, seconds(), console.log);
    console.log('build stopped: fix the errors above; the previous output was left as it was');
    return { code: 1, pages: 0, seconds: seconds() };
  }
  if (!options.quiet) report(loaded, seconds(), log);

  clock.start('routeData');
  const { site, problems, renderer } = await computeSite(loaded.model, { mode: 'build' });
  if (problems.errors.length && !options.unchecked) {
    report({ ...loaded, problems }, seconds(), console.log);
    console.log('build stopped: fix the errors above; the previous output was left as it was');
    return { code: 1, pages: 0, seconds: seconds() };
  }

  const pages = site.brands.reduce((n, b) => n + b.pages.length, 0);
  const temp = `${outDir}${PARTIAL}${process.pid}`;
  let search: IndexStats;
  let feed: FeedStats;
  let copied: number;
  fs.rmSync(temp, { recursive: true, force: true });
  try {
    // Pages whose inputs are those of the previous build are copied from it, not rendered.
    const cache = new PageCache(outDir, options.noCache === true);
    const { reused, render } = cache.plan(site);
    copied = reused.length;
    const handoff: Handoff = {
      content: loaded.model.root,
      site: () => Promise.resolve(render),
      invalidate: () => {},
      usedAssets: new Map(),
      inlineScripts: new Map(),
      rendered: new Map(),
    };
    provideHandoff(handoff);
    if (render.brands.some((brand) => brand.pages.length > 0)) await astroBuild(temp, options, clock);
    else cache.restoreBundle(temp, site);
    clock.start('pageCache');
    cache.restore(temp, reused, handoff);
    cache.write(temp, site, handoff.rendered);
    clock.start('brandFiles');
    await writeBrandFiles(temp, site, handoff.usedAssets);
    await writeGateManifests(temp, site, handoff);
    clock.start('searchIndex');
    search = await indexSite(temp, site, {
      out: outDir,
      same: (brand, lang) => cache.sameSearch(brand, lang),
    });
    // Internal articles are rendered here for the first time (they have no page): their
    // problems stop the build like any other, before the new output replaces the old.
    const known = problems.errors.length;
    clock.start('feeds');
    feed = await writeFeeds(temp, loaded.model, site, renderer);
    if (problems.errors.length > known && !options.unchecked) {
      fs.rmSync(temp, { recursive: true, force: true });
      report({ ...loaded, problems }, seconds(), console.log);
      console.log('build stopped: fix the errors above; the previous output was left as it was');
      return { code: 1, pages: 0, seconds: seconds() };
    }
    clock.start('outputSwap');
    writeStamp(temp, inputs, pages);
    swapInto(temp, outDir);
    clock.stop();
  } catch (error) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  const where = path.relative(process.cwd(), outDir) || '.';
  const brands = site.brands.map((b) => b.id).join(', ');
  const index = `search index: ${search.pages} pages, ${(search.bytes / 1024 / 1024).toFixed(1)} MB`;
  const feeds = `feeds: ${feed.articles} articles, ${(feed.bytes / 1024 / 1024).toFixed(1)} MB`;
  const unchanged = copied ? ` (${copied} unchanged since the last build, copied)` : '';
  log(
    `✓ built ${pages} pages${unchanged} for ${brands} into ${where}; ${index}; ${feeds} (${seconds().toFixed(2)} s)`,
  );
  return { code: 0, pages, copied, seconds: seconds(), search, feed, timings: clock.timings() };
}

/** Astro renders the pages handed over into `temp`. */
async function astroBuild(temp: string, options: BuildOptions, clock: PhaseClock): Promise<void> {
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  const { build } = await import('astro');
  // Astro writes its server chunks to <cwd>/.astro/.prerender and deletes that folder when done,
  // so two builds at once (tests, CI) would delete each other's. Each build works from a folder of
  // its own inside the project (the chunks import packages from the project's node_modules).
  const cwd = process.cwd();
  const workDir = path.join(PROJECT_ROOT, '.astro', 'builds', String(process.pid));
  fs.mkdirSync(workDir, { recursive: true });
  process.chdir(workDir);
  clock.start('bundle');
  try {
    await build({
      root: PROJECT_ROOT,
      outDir: temp,
      logLevel: options.quiet ? 'error' : 'warn',
      mode: 'production',
      integrations: [phaseMarks(clock)],
    });
  } finally {
    process.chdir(cwd);
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

const PARTIAL = '.partial-';
const OLD = '.old-';

/**
 * Replaces `outDir` with `temp` in two renames, so readers see the old or the new site, never half.
 * The old tree (24,000 pages take minutes to delete) is removed by a process of its own that
 * outlives this one, so the build exits as soon as the new site is in place.
 */
function swapInto(temp: string, outDir: string): void {
  const old = `${outDir}${OLD}${process.pid}-${Date.now()}`;
  let replaced = false;
  try {
    fs.renameSync(outDir, old);
    replaced = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.renameSync(temp, outDir);
  if (replaced) removeInBackground([old]);
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
 * Deletes folders from a detached Node process, so neither this build's exit nor its caller waits.
 * If it dies too, the next build finds the folders under the `.old-` name and tries again; two
 * removers at one folder are harmless (`force` ignores what the other already deleted).
 */
function removeInBackground(folders: string[]): void {
  const script =
    "for (const f of process.argv.slice(1)) require('node:fs').rmSync(f, { recursive: true, force: true, maxRetries: 3 })";
  const child = spawn(process.execPath, ['-e', script, ...folders], { detached: true, stdio: 'ignore' });
  child.on('error', () => {}); // cannot spawn: the next build tries again
  child.unref();
}

type Phase = keyof BuildTimings;

/** Wall time per phase: `start` ends the running phase and begins the next. */
class PhaseClock {
  private readonly seconds: BuildTimings = {
    checkAndLoad: 0,
    routeData: 0,
    bundle: 0,
    render: 0,
    images: 0,
    pageCache: 0,
    brandFiles: 0,
    searchIndex: 0,
    feeds: 0,
    outputSwap: 0,
  };
  private running: { phase: Phase; since: number } | undefined;

  start(phase: Phase): void {
    this.stop();
    this.running = { phase, since: performance.now() };
  }

  stop(): void {
    if (this.running) this.seconds[this.running.phase] += (performance.now() - this.running.since) / 1000;
    this.running = undefined;
  }

  timings(): BuildTimings {
    return Object.fromEntries(
      Object.entries(this.seconds).map(([phase, s]) => [phase, Number(s.toFixed(3))]),
    ) as unknown as BuildTimings;
  }
}

/**
 * Marks Astro's phases on the clock through its public hooks: the prerenderer's `setup` comes once
 * the bundle is written, its `teardown` once every page is; optimised images are generated after
 * that and before `astro:build:generated`.
 */
function phaseMarks(clock: PhaseClock): AstroIntegration {
  return {
    name: 'signpost:phase-marks',
    hooks: {
      'astro:build:start': ({ setPrerenderer }) =>
        setPrerenderer(
          (inner: AstroPrerenderer): AstroPrerenderer =>
            new Proxy(inner, {
              get(target, key, receiver) {
                if (key === 'setup')
                  return async () => {
                    clock.start('render');
                    await target.setup?.();
                  };
                if (key === 'teardown')
                  return async () => {
                    await target.teardown?.();
                    clock.start('images');
                  };
                return Reflect.get(target, key, receiver) as unknown;
              },
            }),
        ),
      'astro:build:generated': () => clock.start('bundle'),
    },
  };
}
