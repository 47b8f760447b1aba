import fs from 'node:fs';
import path from 'node:path';
import { loadContent } from '../content/load.ts';
import { writeBrandFiles } from '../output/brand-files.ts';
import { writeFeeds, type FeedStats } from '../output/feed-files.ts';
import { writeGateManifests } from '../output/gate-manifest.ts';
import { PROJECT_ROOT } from '../paths.ts';
import { provideHandoff, type Handoff } from '../integration/handoff.ts';
import { computeSite } from '../routing/site.ts';
import { indexSite, type IndexStats } from '../search/index.ts';
import { report } from './check.ts';

export interface BuildOptions {
  content: string;
  out: string;
  /** Print nothing but errors (the bench wants figures, not lines). */
  quiet?: boolean;
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
  const loaded = await loadContent(options.content);
  if (!loaded.model || (loaded.problems.errors.length && !options.unchecked)) {
    report(loaded, seconds(), console.log);
    console.log('build stopped: fix the errors above; the previous output was left as it was');
    return { code: 1, pages: 0, seconds: seconds() };
  }
  if (!options.quiet) report(loaded, seconds(), log);

  const { site, problems, renderer } = await computeSite(loaded.model, { mode: 'build' });
  if (problems.errors.length && !options.unchecked) {
    report({ ...loaded, problems }, seconds(), console.log);
    console.log('build stopped: fix the errors above; the previous output was left as it was');
    return { code: 1, pages: 0, seconds: seconds() };
  }

  const outDir = path.resolve(options.out);
  const temp = `${outDir}.partial-${process.pid}`;
  let search: IndexStats;
  let feed: FeedStats;
  fs.rmSync(temp, { recursive: true, force: true });
  try {
    const handoff: Handoff = {
      content: loaded.model.root,
      site: () => Promise.resolve(site),
      invalidate: () => {},
      usedAssets: new Map(),
      inlineScripts: new Map(),
    };
    provideHandoff(handoff);
    process.env.ASTRO_TELEMETRY_DISABLED = '1';
    const { build } = await import('astro');
    // Astro writes its server chunks to <cwd>/.astro/.prerender and deletes that folder when done,
    // so two builds at once (tests, CI) would delete each other's. Each build works from a folder of
    // its own inside the project (the chunks import packages from the project's node_modules).
    const cwd = process.cwd();
    const workDir = path.join(PROJECT_ROOT, '.astro', 'builds', String(process.pid));
    fs.mkdirSync(workDir, { recursive: true });
    process.chdir(workDir);
    try {
      await build({
        root: PROJECT_ROOT,
        outDir: temp,
        logLevel: options.quiet ? 'error' : 'warn',
        mode: 'production',
      });
    } finally {
      process.chdir(cwd);
      fs.rmSync(workDir, { recursive: true, force: true });
    }
    await writeBrandFiles(temp, site, handoff.usedAssets);
    await writeGateManifests(temp, site, handoff);
    search = await indexSite(temp, site);
    // Internal articles are rendered here for the first time (they have no page): their
    // problems stop the build like any other, before the new output replaces the old.
    const known = problems.errors.length;
    feed = await writeFeeds(temp, loaded.model, site, renderer);
    if (problems.errors.length > known && !options.unchecked) {
      fs.rmSync(temp, { recursive: true, force: true });
      report({ ...loaded, problems }, seconds(), console.log);
      console.log('build stopped: fix the errors above; the previous output was left as it was');
      return { code: 1, pages: 0, seconds: seconds() };
    }
    swapInto(temp, outDir);
  } catch (error) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  const pages = site.brands.reduce((n, b) => n + b.pages.length, 0);
  const where = path.relative(process.cwd(), outDir) || '.';
  const brands = site.brands.map((b) => b.id).join(', ');
  const index = `search index: ${search.pages} pages, ${(search.bytes / 1024 / 1024).toFixed(1)} MB`;
  const feeds = `feeds: ${feed.articles} articles, ${(feed.bytes / 1024 / 1024).toFixed(1)} MB`;
  log(`✓ built ${pages} pages for ${brands} into ${where}; ${index}; ${feeds} (${seconds().toFixed(2)} s)`);
  return { code: 0, pages, seconds: seconds(), search, feed };
}

/** Replaces `outDir` with `temp` in two renames, so readers see the old or the new site, never half. */
function swapInto(temp: string, outDir: string): void {
  const old = `${outDir}.old-${process.pid}`;
  if (fs.existsSync(outDir)) fs.renameSync(outDir, old);
  fs.renameSync(temp, outDir);
  fs.rmSync(old, { recursive: true, force: true });
}
