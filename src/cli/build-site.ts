import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration, AstroPrerenderer } from 'astro';
import { LoadCache } from '../content/load-cache.ts';
import { loadContent } from '../content/load.ts';
import type { Model } from '../content/model.ts';
import { imageMemo } from '../content/image-memo.ts';
import { highlightMemo } from '../markdown/highlight-memo.ts';
import { writeBrandFiles } from '../output/brand-files.ts';
import { FeedCache } from '../output/feed-cache.ts';
import { writeFeeds, type FeedStats } from '../output/feed-files.ts';
import { FileWriter } from '../output/writer.ts';
import { writeGateManifests } from '../output/gate-manifest.ts';
import { PROJECT_ROOT } from '../paths.ts';
import { provideHandoff, receiveHandoff, type Handoff } from '../integration/handoff.ts';
import { articleImages } from '../integration/index.ts';
import { fileOf } from '../routing/layout.ts';
import type { SiteData } from '../routing/types.ts';
import { computeSite } from '../routing/site.ts';
import { searchPlan, type SearchPlan } from '../search/index.ts';
import { RenderCache } from '../markdown/render-cache.ts';
import { codeVersion, knownCodeVersion } from './build-stamp.ts';
import type { BuildOptions } from './build.ts';
import { BundleKeeper, KeptBundle, KeptBundleMiss } from './kept-bundle.ts';
import { PageCache } from './page-cache.ts';
import { shareRenders } from './shared-renders.ts';
import { PhaseClock, type BuildTimings } from './phases.ts';
import { serveApart } from './apart.ts';
import { report } from './check.ts';

/**
 * The site build, the part of `signpost build` that needs the content in memory: check, route data,
 * Astro's pages, brand files, gate manifests and feeds, written into `temp`. `build.ts` runs it in
 * a process of its own (`startSiteBuild`): everything it held is returned to the system when that
 * process exits, before Pagefind, which takes as much again, starts indexing (but for a rebuild of
 * a few pages on a smaller site: see `pagesFirst`).
 */
export interface SiteBuild {
  code: number;
  pages: number;
  brands: string[];
  /** Pages copied from the previous output instead of rendered (`page-cache.ts`). */
  copied: number;
  /** Pages of brands that differ only in words, rendered once between them (`shared-renders.ts`). */
  shared: number;
  /** Whether the pages were rendered with the bundle the previous Astro build kept (`kept-bundle.ts`). */
  keptBundle?: boolean;
  /** Article bodies whose render the previous build kept (`render-cache.ts`), and all of them. */
  bodies?: { kept: number; all: number };
  feed?: FeedStats;
  /** What the search index is to hold (absent when the build stopped early). */
  search?: SearchPlan;
  timings: BuildTimings;
  /** Cache files this build replaced, set aside for the caller to remove in the background (`replaceKept`). */
  retired: string[];
}

export type SiteBuildOptions = Pick<BuildOptions, 'content' | 'out' | 'quiet' | 'noCache' | 'unchecked'> & {
  /** Searchable pages per Pagefind pass for every language (`SIGNPOST_SEARCH_PAGES_PER_PASS`). */
  searchPagesPerPass?: number | undefined;
  /**
   * A large site (`build.ts`'s `LARGE_SITE_ARTICLES`), which trades speed for memory. It has no
   * render thread (see `buildSite`), its writer's thread takes fewer texts at a time (see
   * `FileWriter`), and no Astro bundle is kept for it (`kept-bundle.ts`). It keeps the load, render
   * and feed caches, which read each entry from disk as it is asked for and write it as it is
   * made. At 5,000 × 5, a build that keeps its caches spent 7.3 s on check and load, 6.3 s on
   * route data and 8.0 s on feeds (bench medians), against ~19 s, ~28 s and ~18 s without them,
   * its process tree peaking at 1,229 MB; one that fills them (a first build, or `--no-cache`) at
   * 1,504 MB.
   */
  large?: boolean | undefined;
  /**
   * The SHA-256 of each article file's bytes, by absolute path, as the build stamp's check hashed
   * them (`build-stamp.ts`): the load cache gives an article whose bytes it has seen without
   * reading the file.
   */
  articleHashes?: Record<string, string> | undefined;
  /** Signpost's `codeVersion()`, as the build stamp's check hashed it: not hashed again here. */
  codeVersion?: string | undefined;
};

/**
 * Builds the site into `temp`; `before` is how many seconds the command had run already (its report
 * lines count from its start). `onSearch` hears what the search index is to hold as soon as every
 * page is written, when the pages come before the feeds (`pagesFirst`): it may index them while
 * the assets, brand files and feeds are written (none of them an HTML file under a language's
 * folder, which is what the index reads), and must be done with `temp` before the caller removes it.
 */
export async function buildSite(
  options: SiteBuildOptions,
  temp: string,
  before: number,
  onSearch?: (plan: SearchPlan) => void,
): Promise<SiteBuild> {
  const started = performance.now();
  const seconds = () => before + (performance.now() - started) / 1000;
  const log = options.quiet ? () => {} : console.log;
  const clock = new PhaseClock();
  clock.start('checkAndLoad');
  // What the previous build read from each article file (`load-cache.ts`), and, below, the article
  // bodies it rendered (`render-cache.ts`): each ended below, or let go of on a stop.
  const large = options.large === true;
  if (options.codeVersion) knownCodeVersion(options.codeVersion);
  const kept = new LoadCache(options.content, codeVersion(), options.noCache === true, {
    articles: options.articleHashes,
  });
  // What sharp answered and made in the previous build (`image-memo.ts`).
  imageMemo.open(codeVersion(), options.noCache === true);
  highlightMemo.open(codeVersion(), options.noCache === true);
  // The previous output's pages are checked against its manifest meanwhile (`page-check.ts`).
  // Each page found intact is put into `temp` as it is checked, where a writer's thread takes the
  // pages (not on a large site): the build no longer waits for those links after its route data.
  const cache = new PageCache(path.resolve(options.out), options.noCache === true, large ? undefined : temp);
  // The files' writer (`writer.ts`), whose thread starts now: the ~0.2 s it takes to load (up to
  // 0.6 s on a busy core) pass beside the content load, not before the first page is written.
  const writer = new FileWriter(large ? { budget: FileWriter.LARGE_SITE_BUDGET } : {});
  const loaded = await loadContent(options.content, { cache: kept });
  const renders = new RenderCache(options.out, options.noCache === true, codeVersion());
  // The articles of the previous build's feeds (`feed-cache.ts`): their keys need the render cache's.
  const feedCache = new FeedCache(options.out, options.noCache === true, codeVersion());
  // Astro's bundle, kept by the build that runs Astro for the next one (`kept-bundle.ts`).
  const keeper = large ? undefined : new BundleKeeper(options.out, codeVersion());
  const retired = () => [...kept.retired, ...renders.retired];
  /** Every problem found so far, and the line that says nothing was replaced. */
  const stopped = (problems = loaded.problems): SiteBuild => {
    writer.close().catch(() => {}); // nothing of this build is to be written
    kept.save();
    imageMemo.save();
    highlightMemo.save();
    renders.discard();
    feedCache.close();
    keeper?.discard();
    report({ ...loaded, problems }, seconds(), console.log);
    console.log('build stopped: fix the errors above; the previous output was left as it was');
    return {
      code: 1,
      pages: 0,
      brands: [],
      copied: 0,
      shared: 0,
      timings: clock.timings(),
      retired: retired(),
    };
  };
  const { model } = loaded;
  if (!model || (loaded.problems.errors.length && !options.unchecked)) return stopped();
  if (!options.quiet) report(loaded, seconds(), log);

  clock.start('routeData');
  const { site, problems, renderer } = await computeSite(model, {
    mode: 'build',
    searchPagesPerPass: options.searchPagesPerPass,
    renders,
    // Not on a large site, where the bodies a render thread would be handed (~100 MB at 25,000
    // articles) do not fit in the memory left.
    renderThread: !large,
    relatedCache: kept,
  });
  if (problems.errors.length && !options.unchecked) return stopped(problems);

  // Pages whose inputs are those of the previous build are copied from it, not rendered: linked
  // into the new output from now on, while the feeds are written and Astro bundles (on a slow disk
  // a folder per page takes seconds).
  const { reused, render: own } = await cache.plan(site);
  // Brands that differ only in words (name, domain…) render their pages once between them.
  const shared = shareRenders(site, own);
  const render = shared.render;
  const linking = cache.linkPages(temp, reused, !large);
  linking.catch(() => {}); // awaited below; if Astro fails first, the process ends with its error

  // Internal articles are rendered in the feeds for the first time (they have no page): their
  // problems stop the build like any other, before the new output replaces the old.
  const known = problems.errors.length;
  // The search index reads only pages. When the pages come first, the caller indexes them while
  // the feeds are written (`onSearch`).
  let search: SearchPlan | undefined;
  /** Asked once every page is written (the page cache has their hashes). */
  const plan = () => (search ??= searchPlan(site, (brand, page) => cache.searchInput(brand.id, page)));
  let feed: FeedStats | undefined;
  let keptBundle = false;
  /** The pages come before the feeds (`pagesFirst`), and the search index is made beside the feeds. */
  const searchFirst = pagesFirst(render, site);

  /** The feeds, `llms*.txt` and `.md` copies; false when they found new errors. */
  const feeds = async (writer: FileWriter): Promise<boolean> => {
    clock.start('feeds');
    // With the `.md` copies, each linked from the previous output where its bytes are the same.
    const previous = options.noCache ? undefined : path.resolve(options.out);
    feed = await writeFeeds(temp, model, site, renderer, writer, previous, feedCache);
    if (problems.errors.length > known && !options.unchecked) return false;
    renderer.keep();
    renderer.forget();
    return true;
  };

  /** Astro's pages, then the page cache's: the pages linked from the previous output, the manifest. */
  const pages = async (writer: FileWriter): Promise<void> => {
    const handoff: Handoff = {
      content: model.root,
      site: () => Promise.resolve(render),
      invalidate: () => {},
      usedAssets: new Map(),
      inlineScripts: new Map(),
      rendered: new Map(),
    };
    handoff.shared = shared.handoff(temp, handoff, writer);
    // With a thread, the writer writes every page Astro renders, as it renders the next: Astro's
    // own writes went through libuv's threads from the build's thread, and the page cache then read
    // each page back for its hashes (1,000 × 3, by turns: render 1.9–2.7 s against 2.4–3.1 s, page
    // cache 0.03–0.23 s against 0.32–0.47 s).
    // A page of its own goes to the thread as the bytes Astro rendered: not decoded here, and
    // moved to the thread rather than copied.
    handoff.writePage = (route) => {
      const finish = handoff.shared?.finisher(route);
      if (finish) return finish;
      if (!writer.threaded) return undefined;
      const file = path.join(temp, fileOf(route));
      return (html) => writer.write([{ file, text: html, page: true }]);
    };
    provideHandoff(handoff);
    if (render.brands.some((brand) => brand.pages.length > 0)) {
      // The bundle is kept, and rendered with, where the writer's thread takes each page's bytes.
      const keeping = writer.threaded ? keeper : undefined;
      keptBundle = keeping !== undefined && (await renderKept(temp, options, clock, render, handoff));
      if (!keptBundle)
        await astroBuild(temp, options, clock, writer.threaded, keeping && { keeper: keeping, render });
    } else cache.restoreBundle(temp, site);
    clock.start('pageCache');
    await writer.flush();
    await linking;
    cache.write(temp, site, handoff.rendered, writer.hashes);
    // Every page is written: the search index may read them while the rest is written. Its pass
    // is what the build waits for last, so this process gives way to it (`giveWay`).
    if (searchFirst && onSearch) {
      onSearch(plan());
      giveWay();
    }
    cache.restore(temp, reused, handoff);
    clock.start('brandFiles');
    await writeBrandFiles(temp, site, handoff.usedAssets);
    await writeGateManifests(temp, site, handoff);
  };

  /** Runs `step` with the writer, which is closed whatever happens. */
  const writing = async <T>(step: (writer: FileWriter) => Promise<T>): Promise<T> => {
    try {
      const done = await step(writer);
      await writer.close();
      return done;
    } catch (error) {
      await writer.close().catch(() => {}); // done with `temp`; the error is the one to report
      throw error;
    } finally {
      await linking.catch(() => {}); // done with `temp` too
    }
  };

  let written: boolean;
  if (searchFirst)
    // One writer: a second one's thread took ~0.3 s to start (up to 0.7 s beside the search
    // index's pass), which the feeds waited for.
    written = await writing(async (writer) => {
      await pages(writer);
      return feeds(writer);
    });
  else {
    // The feeds first: their renders and strings are garbage by the time Astro needs the memory,
    // and so are the Markdown sources once the feeds have their `.md` copies (the pages have
    // their HTML): letting them go leaves Astro ~100 MB more at 25,000 pages.
    written = await writing(async (writer) => {
      if (!(await feeds(writer))) return false;
      disposeBodies(model);
      await pages(writer);
      return true;
    });
  }
  clock.stop();
  if (!written || !feed) return stopped(problems);
  kept.save();
  imageMemo.save();
  highlightMemo.save();
  feedCache.save();
  keeper?.save(temp);
  return {
    code: 0,
    pages: site.brands.reduce((n, b) => n + b.pages.length, 0),
    brands: site.brands.map((b) => b.id),
    copied: reused.length,
    shared: shared.shared,
    ...(keptBundle ? { keptBundle } : {}),
    bodies: { kept: renders.hits, all: renders.hits + renders.misses },
    feed,
    search: plan(),
    timings: clock.timings(),
    retired: retired(),
  };
}

/**
 * Whether the pages are built before the feeds, so the search index is made (in another process)
 * while the feeds are written: when at most a tenth of the pages are rendered (a rebuild after an
 * edit) on a site small enough for a Pagefind pass and this process to be in memory together.
 * Otherwise the feeds come first (see `buildSite`).
 */
function pagesFirst(render: SiteData, site: SiteData): boolean {
  const count = (data: SiteData) => data.brands.reduce((n, b) => n + b.pages.length, 0);
  const pages = count(site);
  return pages <= PAGES_FIRST_MAX && count(render) * 10 <= pages;
}

/**
 * Lowers the priority of this process's threads (to nice `GIVE_WAY`), and so of those it starts
 * from now on, where the system allows. Beside the feeds, the edited language's Pagefind pass got
 * about half the two cores and ended ~0.6 s after them, using less than both from then on; given
 * way to, it ends with them. On Linux a priority is a thread's own: each thread running already
 * (the writer's, libuv's, V8's) is lowered by its id; elsewhere, only this one.
 */
function giveWay(): void {
  const lower = (thread = 0) => {
    try {
      os.setPriority(thread, Math.max(os.getPriority(thread), GIVE_WAY));
    } catch {
      // not allowed, or gone: it goes on as it is
    }
  };
  lower();
  let threads: string[] = [];
  try {
    threads = fs.readdirSync('/proc/self/task');
  } catch {
    // not Linux
  }
  for (const thread of threads) lower(Number(thread));
}

const GIVE_WAY = 10;

/**
 * Pages of a site up to which a rebuild makes the search index while it writes the feeds. At
 * 1,000 × 3 (3,071 pages), a one-article edit: 6.1–6.3 s against 7.0–7.3 s, with a process tree of
 * 0.75 GB at its peak against 0.55 GB (the site build's 0.49 GB, and a Pagefind pass's 0.17 GB).
 * Both grow with the site; a whole build keeps the feeds first (a peak of 1.15 GB, and no faster).
 */
const PAGES_FIRST_MAX = 5_000;

/** Lets go of every article's Markdown source and parse (see `BodyParse.dispose`). */
function disposeBodies(model: Model): void {
  const groups = [
    ...[...model.helpCenters.values()].flatMap((hc) => [...hc.articles.values()]),
    ...model.internal.articles.values(),
  ];
  for (const group of groups)
    for (const article of group.translations.values()) {
      article.body = '';
      article.parse.dispose();
    }
}

/**
 * Renders the pages of `render` with the bundle the last Astro build of this output kept
 * (`kept-bundle.ts`), where it can: false when Astro is to build them (no bundle kept, another
 * Signpost, `--no-cache`, an image it does not hold, a page it cannot answer for).
 */
async function renderKept(
  temp: string,
  options: SiteBuildOptions,
  clock: PhaseClock,
  render: SiteData,
  handoff: Handoff,
): Promise<boolean> {
  if (options.noCache) return false;
  const out = path.resolve(options.out);
  // Linking the files Astro made for the bundle counts as the bundle.
  clock.start('bundle');
  const bundle = KeptBundle.open(out, codeVersion());
  if (!bundle?.serves(render, out, temp)) return false;
  clock.start('render');
  (globalThis as Record<symbol, unknown>)[PAGE_BYTES] = bytesBody;
  try {
    await bundle.render(render, handoff, pageBytesOf, RENDER_CONCURRENCY);
    return true;
  } catch (error) {
    if (KeptBundleMiss.is(error)) return false;
    throw error;
  } finally {
    delete (globalThis as Record<symbol, unknown>)[PAGE_BYTES];
  }
}

/** Pages Astro's build renders at once (`build.concurrency` in `astro.config.mjs`), and so the kept bundle. */
const RENDER_CONCURRENCY = 8;

/**
 * Astro renders the pages handed over into `temp`; `bytes`: the build writes them (through the
 * writer's thread), and takes each page's bytes as Astro encoded them (`pageBytesPlugin`).
 */
async function astroBuild(
  temp: string,
  options: SiteBuildOptions,
  clock: PhaseClock,
  bytes: boolean,
  keep?: { keeper: BundleKeeper; render: SiteData },
): Promise<void> {
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
  if (bytes) (globalThis as Record<symbol, unknown>)[PAGE_BYTES] = bytesBody;
  keep?.keeper.bundling(articleImages(keep.render));
  try {
    await build({
      root: PROJECT_ROOT,
      outDir: temp,
      logLevel: options.quiet ? 'error' : 'warn',
      mode: 'production',
      integrations: [
        phaseMarks(clock, keep && { ...keep, temp, prerender: path.join(workDir, '.astro', '.prerender') }),
      ],
      // The feeds are in `temp` already.
      vite: { build: { emptyOutDir: false }, plugins: [pageBytesPlugin()] },
    });
  } finally {
    delete (globalThis as Record<symbol, unknown>)[PAGE_BYTES];
    process.chdir(cwd);
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * Where Astro's page renderer, as `pageBytesPlugin` changes it, finds `bytesBody` while the build
 * writes the pages itself (`Handoff.writePage`), and where that body holds its page's bytes.
 */
const PAGE_BYTES = Symbol.for('signpost.pageBytes');

/**
 * A response body of a page's HTML, encoded as Astro encodes it, that also carries those bytes
 * (`PAGE_BYTES`): the build takes them as they are instead of reading them back through the
 * body's stream into a copy. 1,000 × 3, warm builds by turns: render 1.75–1.90 s against
 * 2.38–2.67 s.
 * Once taken (and moved to the writer's thread), the body is not read: the prerenderer answers
 * Astro with a response of its own, without one (`writeThrough`).
 */
function bytesBody(html: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(html);
  // No queue to fill: a stream pulls as soon as it is made, up to its high-water mark.
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  Object.defineProperty(body, PAGE_BYTES, { value: bytes });
  return body;
}

/** The bytes of a page that `bytesBody` carries, if its body is one. */
function pageBytesOf(response: Response): Uint8Array | undefined {
  const bytes = (response.body as unknown as Record<symbol, unknown> | null)?.[PAGE_BYTES];
  return bytes instanceof Uint8Array ? bytes : undefined;
}

/**
 * Astro answers with each page's HTML as a response whose body the build read back into a copy
 * of its bytes. Its page renderer (`astro/dist/runtime/server/render/page.js`, in the server
 * bundle Astro builds) is changed to answer with `bytesBody` instead, when the build set it
 * (`PAGE_BYTES`; else it answers as before). Astro has no option for that, hence this edit of its
 * code; a version of Astro whose renderer reads otherwise fails the build, saying so.
 */
function pageBytesPlugin(): { name: string; transform(code: string, id: string): string | undefined } {
  const encode = `    body = encoder.encode(body);
    headers.set("Content-Length", body.byteLength.toString());`;
  return {
    name: 'signpost:page-bytes',
    transform(code, id) {
      if (!id.replaceAll('\\', '/').endsWith('/astro/dist/runtime/server/render/page.js')) return undefined;
      if (!code.includes(encode))
        throw new Error(
          `${id}: this Astro renders its pages otherwise than the version Signpost pins; run npm ci to install the pinned one, or report it as a bug in Signpost`,
        );
      return code.replace(
        encode,
        `    const signpostBody = globalThis[Symbol.for(${JSON.stringify(PAGE_BYTES.description)})]?.(body);
    if (signpostBody) body = signpostBody;
    else {
${encode}
    }`,
      );
    },
  };
}

/**
 * Marks Astro's phases on the clock through its public hooks: the prerenderer's `setup` comes once
 * the bundle is written, its `teardown` once every page is; optimised images are generated after
 * that and before `astro:build:generated`.
 */
function phaseMarks(
  clock: PhaseClock,
  keep?: { keeper: BundleKeeper; render: SiteData; temp: string; prerender: string },
): AstroIntegration {
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
                    stopEsbuild();
                    await keep?.keeper.setup(keep.prerender);
                    await target.setup?.();
                  };
                if (key === 'render' && receiveHandoff().writePage) return writeThrough(target);
                if (key === 'teardown')
                  return async () => {
                    await target.teardown?.();
                    keep?.keeper.rendered(keep.temp);
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

/**
 * The prerenderer's `render`, through which the build writes the pages (`Handoff.writePage`): a
 * page rendered once for brands that differ only in words (`shared-renders.ts`) becomes each
 * brand's. Astro, given a response without a body, writes none.
 */
function writeThrough(target: AstroPrerenderer): AstroPrerenderer['render'] {
  return async (request, options) => {
    const result = await target.render(request, options);
    const response = result instanceof Response ? result : result.response;
    const write = receiveHandoff().writePage?.(new URL(request.url).pathname);
    if (!write || !response.body) return result;
    await write(pageBytesOf(response) ?? new Uint8Array(await response.arrayBuffer()));
    const written = new Response(null, { status: response.status, headers: response.headers });
    return result instanceof Response ? written : { ...result, response: written };
  };
}

/**
 * Astro's bundle starts esbuild's service (a process of its own, ~15 MB) to replace
 * `import.meta.env`, and leaves it running; nothing needs it while the pages render. The esbuild
 * Astro itself loads is stopped (it starts again if asked again).
 */
function stopEsbuild(): void {
  let esbuild: { stop?: () => void };
  try {
    esbuild = createRequire(fileURLToPath(import.meta.resolve('astro')))('esbuild') as typeof esbuild;
  } catch {
    return; // an Astro without esbuild has no service to stop
  }
  esbuild.stop?.();
}

/** What `build.ts` sends the process it forks from this file, and what comes back. */
export interface SiteBuildRequest {
  options: SiteBuildOptions;
  temp: string;
  before: number;
}

if (import.meta.main)
  serveApart((request: SiteBuildRequest, tell: (plan: SearchPlan) => void) =>
    buildSite(request.options, request.temp, request.before, tell),
  );
