/**
 * `npm run bench`: generates a corpus with ../shared/bench/gen-corpus.mjs, builds it with Signpost
 * (and with each `--peer`) `--runs` times, and prints one JSON line of medians, then a table.
 * Figures, not pass/fail: speed targets live here, never in unit tests.
 *
 *   npm run bench -- [--articles 1000] [--languages en,de,fr] [--brands 1] [--runs 3]
 *                    [--peer starlight] [--peer hugo] [--lighthouse] [--keep]
 *   npm run bench -- gate      the gate under load (load.ts) instead
 *
 * Each build runs in a fresh process; its wall time is taken from outside, and its memory is the
 * largest sum of RSS over its whole process tree (Pagefind, esbuild and the peers' children
 * included), sampled from /proc. Builds alternate (Signpost, then each peer, run after run) so a
 * busy moment on the machine lands on all of them. With `--brands B` above 1, each run also builds
 * the same help center with the first brand alone, and the line carries the ratio of B brands to
 * one (`brands_over_one`). Caches stay as the previous run left them, for every tool alike (images,
 * and what is parsed and rendered from each content file: Signpost's load and render caches,
 * Starlight's content layer store): the first run is cold, the others warm, as on a CI that keeps
 * them. Each run also times Signpost with `--no-cache` (`no_cache`), which keeps none of its own
 * (the images still). Each build starts on a quiet disk (`settle`), into a folder of its own: the
 * previous run's output is set aside, and deleted once the bench is done (`aside.ts`).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { dirs, urls } from '../../src/routing/layout.ts';
import { LOAD_CACHE_DIR } from '../../src/content/load-cache.ts';
import { setAsideAt } from '../../src/cache/files.ts';
import { RENDER_CACHE_DIR, renderPackOf } from '../../src/markdown/render-cache.ts';
import { removeSetAside, setAside } from './aside.ts';
import { probeDisk } from './disk.ts';
import { audit, type LighthouseRow } from './lighthouse.ts';
import { median } from './median.ts';
import { hugo, starlight, STARLIGHT_PINS, type Peer, type PeerRun } from './peers.ts';
import { runTree } from './process-tree.ts';
import { folderBytes, pageWeight } from './weight.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const generator = path.resolve(root, '../shared/bench/gen-corpus.mjs');
/** Installed peers, kept between bench runs (delete it to reinstall). */
const CACHE = path.join(root, 'node_modules', '.cache', 'signpost-bench');

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    articles: { type: 'string', default: '1000' },
    languages: { type: 'string', default: 'en,de,fr' },
    brands: { type: 'string', default: '1' },
    runs: { type: 'string', default: '3' },
    peer: { type: 'string', multiple: true, default: [] },
    lighthouse: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});

/** The gate's load run, in its own process (it starts the gate in another); prints its lines. */
function gateLoad(): void {
  const output = execFileSync(process.execPath, [path.join(root, 'test/bench/load.ts')], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  for (const line of output.trim().split('\n')) console.log(line);
}

/** Figures of one build, the same for Signpost and its peers. */
interface Figures extends PeerRun {
  phases?: Record<string, number>;
}

/** The median of every number in a list of alike objects, key by key. */
function medians(runs: unknown[]): unknown {
  if (runs.every((r) => typeof r === 'number')) return Number(median(runs).toFixed(3));
  const objects = runs.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null);
  const keys = [...new Set(objects.flatMap((o) => Object.keys(o)))];
  return Object.fromEntries(
    keys.map((k) => [k, medians(objects.map((o) => o[k]).filter((v) => v !== undefined))]),
  );
}

/** Snake-case keys for the JSON line, as the issue names them. */
function line(f: Figures) {
  return {
    pages: f.pages,
    build_wall_s: f.seconds,
    pages_per_s: Number((f.pages / f.seconds).toFixed(1)),
    peak_rss_mb: f.peakRssMB,
    per_process_peak_rss_mb: f.perProcessPeakMB,
    ...(f.phases && { phases_s: f.phases }),
    dist_bytes: f.distBytes,
    search_index_bytes: f.searchIndexBytes,
    ...(f.articlePage && { article_page: f.articlePage }),
  };
}

/**
 * A copy of the corpus's content with its first brand alone (the generator's brands all share its
 * one help center), in `dir`; returns the copy's content folder.
 */
function singleBrand(content: string, dir: string): string {
  const copy = path.join(dir, 'content');
  fs.cpSync(content, copy, { recursive: true });
  const brandsDir = path.join(copy, 'brands');
  for (const name of fs.readdirSync(brandsDir))
    if (name.endsWith('.yaml') && name !== 'brand1.yaml') fs.rmSync(path.join(brandsDir, name));
  return copy;
}

/** The first public article in the default language: the page every tool's weight is taken from. */
function sampleArticle(content: string, language: string): string {
  const suffix = `.${language}.md`;
  const files = fs
    .readdirSync(path.join(content, 'help-centers'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(suffix))
    .sort();
  for (const file of files) {
    const text = fs.readFileSync(path.join(content, 'help-centers', file), 'utf8');
    if (!/^visibility: private$/m.test(text)) return path.basename(file, suffix);
  }
  throw new Error(`no public ${language} article in ${content}`);
}

/**
 * Waits for the disk to be quiet before a timed build: the background removal of the outputs that
 * earlier builds replaced (`dist.old-…` beside `out`, see `swapInto`) has ended, and every write
 * is flushed (`sync`), and the disk has had a quiet second (`quietDisk`). Otherwise a build pays
 * for the one before it: removing a 500 MB tree took ~3 s of this disk, and the kernel writes a
 * build's files out about 30 s after it made them. The same for every tool, peers included.
 */
async function settle(work: string): Promise<void> {
  const holds = (dir: string, part: (name: string) => boolean) => {
    try {
      return fs.readdirSync(dir).some(part);
    } catch {
      return false;
    }
  };
  // The old output, a killed build's partial one, and the cache files a build replaced in the last
  // minute (`replaceKept` names them by when): each removed by a process the build left behind.
  const setAsideLately = (name: string) => Date.now() - (setAsideAt(name) ?? 0) < 60_000;
  const leftovers = () =>
    holds(work, (name) => name.includes('.old-') || name.includes('.partial-')) ||
    [RENDER_CACHE_DIR, LOAD_CACHE_DIR].some((dir) => holds(dir, setAsideLately));
  for (let waited = 0; leftovers() && waited < 300_000; waited += 100)
    await new Promise((resolve) => setTimeout(resolve, 100));
  execFileSync('sync');
  await quietDisk();
}

/**
 * Waits, at most a minute, for a second in which tasks stalled on the disk for under 2 % of it
 * (Linux's pressure stall information, `/proc/pressure/io`; no wait where the kernel has none).
 * A removal's discards and other work on the machine go on after `sync`: in a run started just
 * after 30 GB were deleted, a two-brand build took 11.3 s, against 7.7–8.7 s in runs on a quiet
 * disk.
 */
async function quietDisk(): Promise<void> {
  const stalled = () => {
    try {
      const line = fs.readFileSync('/proc/pressure/io', 'utf8').split('\n')[0] ?? '';
      return Number(/total=(\d+)/.exec(line)?.[1]);
    } catch {
      return Number.NaN;
    }
  };
  const started = Date.now();
  for (let before = stalled(); Number.isFinite(before) && Date.now() - started < 60_000;) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const after = stalled();
    if (after - before < 20_000) break; // microseconds stalled in that second
    before = after;
  }
  const waited = (Date.now() - started) / 1000;
  if (waited > 5) console.error(`bench: waited ${waited.toFixed(0)} s for a quiet disk`);
}

/**
 * The environment of Signpost's timed processes: Node's compile cache on from their first module,
 * as the command line's entry (`src/cli/signpost.mjs`) turns it on before it loads any TypeScript.
 * `measure.ts`, which stands in for the entry with the build's figures, is TypeScript itself; the
 * peers' processes keep the bench's own environment.
 */
const signpostEnv = {
  ...process.env,
  NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? path.join(root, '.astro', 'cache', 'node-compile'),
};

/**
 * One full build, timed: every page rendered, every search index and feed made, into an output
 * folder with nothing in it (the previous run's is set aside), so no page, index or stamp is
 * kept from it. The caches of what is made from each content file alone (images, front matter
 * and outline, article bodies: `.astro/cache/`), and the Astro bundle the previous run kept for
 * this output folder, stay as the previous run left them, as Starlight's
 * do for it (its image cache, and its content layer's store, `node_modules/.astro/data-store.json`,
 * which skips parsing and rendering the Markdown files whose bytes it has seen). With `noCache`,
 * `--no-cache` leaves those out too.
 */
async function buildSignpost(
  content: string,
  out: string,
  brand: string,
  article: string,
  lang: string,
  noCache = false,
) {
  setAside(out);
  await settle(path.dirname(out));
  const run = await runTree(
    process.execPath,
    [
      path.join(root, 'test/bench/measure.ts'),
      'build',
      '--content',
      content,
      '--out',
      out,
      ...(noCache ? ['--no-cache'] : []),
    ],
    { cwd: root, env: signpostEnv },
  );
  const printed = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as {
    exitCode?: number;
    pages: number;
    phases: Record<string, number>;
    indexBytes: number;
  };
  if (run.code !== 0 || printed.exitCode !== 0)
    throw new Error(`Signpost build failed (exit ${run.code}):\n${run.stdout}\n${run.stderr}`.slice(-4000));
  const site = dirs.public(out, brand);
  const page = path.join(site, ...urls.article(lang, article).split('/').filter(Boolean), 'index.html');
  return {
    seconds: run.seconds,
    peakRssMB: run.peakTreeMB,
    perProcessPeakMB: run.perProcessPeakMB,
    phases: printed.phases,
    distBytes: folderBytes(out),
    searchIndexBytes: printed.indexBytes,
    pages: printed.pages,
    articlePage: pageWeight(page, site),
  } satisfies Figures;
}

/** Rebuild figures: after no change, and after a one-article edit, each against the full build. */
interface Rebuilds {
  unchanged_s: number;
  one_article_s: number;
  /** Each over the full build's wall time (the issue's limits: 5 % and 10 %). */
  unchanged_ratio: number;
  one_article_ratio: number;
  /** The same over the `--no-cache` build's wall time. */
  unchanged_ratio_no_cache: number;
  one_article_ratio_no_cache: number;
}

/**
 * Times `signpost build` as a writer runs it, from the command line, into the output of the full
 * builds: `runs` times with nothing changed, then `runs` times after appending a paragraph to one
 * article (a different one each time, so each edit is new).
 */
async function rebuilds(
  content: string,
  out: string,
  runs: number,
  full: number,
  fullNoCache: number,
): Promise<Rebuilds> {
  const build = async () => {
    await settle(path.dirname(out));
    const run = await runTree(
      process.execPath,
      [path.join(root, 'src/cli/signpost.mjs'), 'build', '--content', content, '--out', out],
      { cwd: root, env: signpostEnv },
    );
    if (run.code !== 0)
      throw new Error(`Signpost rebuild failed (exit ${run.code}):\n${run.stderr}`.slice(-4000));
    return run.seconds;
  };
  await build(); // the page cache and stamp of this very code, whatever the full runs left
  const unchanged: number[] = [];
  for (let i = 0; i < runs; i++) unchanged.push(await build());
  const files = fs
    .readdirSync(path.join(content, 'help-centers'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .sort();
  const edited: number[] = [];
  for (let i = 0; i < runs; i++) {
    fs.appendFileSync(
      path.join(content, 'help-centers', files[i * 7]!),
      `\nOne more paragraph, edit ${i + 1}.\n`,
    );
    edited.push(await build());
  }
  const ratio = (a: number, over = full) => Number((a / over).toFixed(3));
  return {
    unchanged_s: Number(median(unchanged).toFixed(2)),
    one_article_s: Number(median(edited).toFixed(2)),
    unchanged_ratio: ratio(median(unchanged)),
    one_article_ratio: ratio(median(edited)),
    unchanged_ratio_no_cache: ratio(median(unchanged), fullNoCache),
    one_article_ratio_no_cache: ratio(median(edited), fullNoCache),
  };
}

const kb = (n: number | undefined) => (n === undefined ? '–' : `${(n / 1024).toFixed(1)} KB`);
const mb = (n: number | undefined) => (n === undefined ? '–' : `${(n / 1024 / 1024).toFixed(1)} MB`);

/** The readable table: one column per tool, then Signpost's phases and the Lighthouse rows. */
function table(
  columns: [string, ReturnType<typeof line> | undefined][],
  lighthouse: LighthouseRow[],
  noCacheWall: number,
): string {
  type Row = [string, (f: ReturnType<typeof line>) => string];
  const weight = (f: ReturnType<typeof line>, kind: 'html' | 'css' | 'js') =>
    f.article_page ? `${kb(f.article_page[kind].raw)} / ${kb(f.article_page[kind].gzip)}` : '–';
  const signpost = columns[0]![1]!;
  const rows: Row[] = [
    ['pages built', (f) => String(f.pages)],
    ['build wall (s)', (f) => f.build_wall_s.toFixed(1)],
    ['build wall, --no-cache (s)', (f) => (f === signpost ? noCacheWall.toFixed(1) : '–')],
    ['pages per second', (f) => f.pages_per_s.toFixed(0)],
    ['peak RSS, process tree (MB)', (f) => String(f.peak_rss_mb)],
    ['dist/', (f) => mb(f.dist_bytes)],
    ['search index', (f) => mb(f.search_index_bytes)],
    ['article HTML (raw / gzip)', (f) => weight(f, 'html')],
    ['article CSS (raw / gzip)', (f) => weight(f, 'css')],
    ['article JS (raw / gzip)', (f) => weight(f, 'js')],
  ];
  for (const phase of Object.keys(signpost.phases_s ?? {}))
    rows.push([`  phase: ${phase} (s)`, (f) => (f.phases_s ? (f.phases_s[phase] ?? 0).toFixed(2) : '–')]);
  const cells = [
    ['', ...columns.map(([name]) => name)],
    ...rows.map(([label, cell]) => [label, ...columns.map(([, f]) => (f ? cell(f) : 'skipped'))]),
  ];
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const render = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const out = [
    render(cells[0]!),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...cells.slice(1).map(render),
  ];
  if (lighthouse.length) {
    out.push(
      '',
      '| Lighthouse | perf | a11y | best practices | SEO | LCP | TBT | transfer |',
      '|---|---|---|---|---|---|---|---|',
    );
    for (const r of lighthouse)
      out.push(
        `| ${r.page}, ${r.preset} | ${r.scores.performance} | ${r.scores.accessibility} | ${r.scores['best-practices']} | ${r.scores.seo} | ${r.lcpMs} ms | ${r.tbtMs} ms | ${kb(r.transferBytes ?? undefined)} |`,
      );
  }
  return out.join('\n');
}

async function bench(): Promise<void> {
  if (!fs.existsSync(generator)) throw new Error(`corpus generator not found at ${generator}`);
  const articles = Number(values.articles);
  const languages = values.languages.split(',');
  const brands = Number(values.brands);
  const runs = Number(values.runs);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-bench-'));
  // Each kind of full build writes into an output of its own (the rebuilds into `out`).
  const outputs = {
    full: path.join(work, 'dist'),
    noCache: path.join(work, 'dist-no-cache'),
    oneBrand: path.join(work, 'dist-one-brand'),
  };
  try {
    // B brands share the corpus's one help center (the generator writes a brand file for each).
    const corpusArgs = { generator, articles, languages, brands };
    const summary = JSON.parse(
      execFileSync(
        process.execPath,
        [
          generator,
          '--out',
          path.join(work, 'corpus'),
          '--articles',
          String(articles),
          '--languages',
          languages.join(','),
        ].concat(['--brands', String(brands)]),
        { encoding: 'utf8' },
      )
        .trim()
        .split('\n')
        .at(-1) ?? '{}',
    ) as Record<string, unknown>;
    const content = path.join(work, 'corpus', 'content');
    const article = sampleArticle(content, languages[0]!);
    // How fast the disk was, before the runs and after them (see `disk.ts`).
    const disk = { before: probeDisk(work), after: undefined as ReturnType<typeof probeDisk> | undefined };
    const peers: Peer[] = [];
    for (const name of values.peer)
      if (name === 'starlight') peers.push(starlight(CACHE, corpusArgs));
      else if (name === 'hugo')
        peers.push(hugo(work, corpusArgs, path.join(root, 'node_modules', '.bin', 'pagefind')));
      else throw new Error(`--peer ${name}: starlight or hugo`);
    for (const peer of peers) if (!peer.skipped) peer.prepare();

    const out = outputs.full;
    // With several brands, the same help center with the first brand alone is built too, in the
    // same runs (one before the other, by turns), for the ratio of B brands to one.
    const single = brands > 1 ? singleBrand(content, path.join(work, 'one-brand')) : undefined;
    const ours: Figures[] = [];
    /** The same builds with `--no-cache`: no cache of any kind, Signpost's cold figure. */
    const uncached: Figures[] = [];
    const oneBrand: Figures[] = [];
    const theirs = new Map<string, PeerRun[]>(peers.map((p) => [p.name, []]));
    for (let i = 0; i < runs; i++) {
      const buildOne = async () => {
        if (!single) return;
        oneBrand.push(await buildSignpost(single, outputs.oneBrand, 'brand1', article, languages[0]!));
        console.error(
          `bench: run ${i + 1}/${runs}: signpost, brand1 alone ${oneBrand.at(-1)!.seconds.toFixed(1)} s`,
        );
      };
      if (i % 2 === 1) await buildOne();
      ours.push(await buildSignpost(content, out, 'brand1', article, languages[0]!));
      console.error(`bench: run ${i + 1}/${runs}: signpost ${ours.at(-1)!.seconds.toFixed(1)} s`);
      uncached.push(await buildSignpost(content, outputs.noCache, 'brand1', article, languages[0]!, true));
      console.error(
        `bench: run ${i + 1}/${runs}: signpost --no-cache ${uncached.at(-1)!.seconds.toFixed(1)} s`,
      );
      if (i % 2 === 0) await buildOne();
      for (const peer of peers)
        if (!peer.skipped) {
          await settle(work);
          theirs.get(peer.name)!.push(await peer.build(article));
          console.error(
            `bench: run ${i + 1}/${runs}: ${peer.name} ${theirs.get(peer.name)!.at(-1)!.seconds.toFixed(1)} s`,
          );
        }
    }

    const signpost = line(medians(ours) as Figures);
    const cold = line(medians(uncached) as Figures);
    const noCache = {
      build_wall_s: cold.build_wall_s,
      peak_rss_mb: cold.peak_rss_mb,
      phases_s: cold.phases_s,
    };
    const alone = oneBrand.length ? line(medians(oneBrand) as Figures) : undefined;
    const brandRatio = alone && {
      brands,
      one_brand_wall_s: alone.build_wall_s,
      one_brand_peak_rss_mb: alone.peak_rss_mb,
      build_wall_s: Number((signpost.build_wall_s / alone.build_wall_s).toFixed(3)),
      // Each run's own pair, built one right after the other: a slow spell of the machine moves
      // the medians above apart more than it moves a pair.
      runs: ours.map((run, i) => Number((run.seconds / oneBrand[i]!.seconds).toFixed(3))),
    };
    const rebuilt = await rebuilds(content, out, runs, signpost.build_wall_s, noCache.build_wall_s);
    disk.after = probeDisk(work);
    console.error(
      `bench: rebuilds: nothing changed ${rebuilt.unchanged_s} s, one article edited ${rebuilt.one_article_s} s`,
    );
    const peerLines: Record<string, ReturnType<typeof line> | { skipped: string }> = {};
    const ratios: Record<
      string,
      { build_wall_s: number; no_cache_build_wall_s: number; peak_rss_mb: number; dist_bytes: number }
    > = {};
    for (const peer of peers) {
      if (peer.skipped) {
        peerLines[peer.name] = { skipped: peer.skipped };
        continue;
      }
      const theirLine = line(medians(theirs.get(peer.name)!) as Figures);
      peerLines[peer.name] = {
        ...theirLine,
        ...(peer.name === 'starlight' && { versions: STARLIGHT_PINS }),
      };
      const ratio = (a: number, b: number) => Number((a / b).toFixed(3));
      ratios[peer.name] = {
        build_wall_s: ratio(signpost.build_wall_s, theirLine.build_wall_s),
        no_cache_build_wall_s: ratio(noCache.build_wall_s, theirLine.build_wall_s),
        peak_rss_mb: ratio(signpost.peak_rss_mb, theirLine.peak_rss_mb),
        dist_bytes: ratio(signpost.dist_bytes, theirLine.dist_bytes),
      };
    }

    let lighthouse: LighthouseRow[] = [];
    if (values.lighthouse) {
      const lang = languages[0]!;
      // The first top-level collection, by its folder (a collection's path is its folders' names).
      const collection = fs
        .readdirSync(path.join(content, 'help-centers', 'main'), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort()[0]!;
      lighthouse = await audit(
        out,
        'brand1',
        {
          home: urls.home(lang),
          collection: urls.collection(lang, [collection]),
          article: urls.article(lang, article),
        },
        Array.from({ length: brands }, (_, i) => `BRAND${i + 1}_JWT_SECRET`),
        runs,
      );
    }

    console.log(
      JSON.stringify({
        bench: 'build',
        corpus: { ...summary, out: undefined },
        runs,
        machine: {
          cpus: os.availableParallelism(),
          memoryMB: Math.round(os.totalmem() / 1024 / 1024),
          node: process.version,
          disk,
        },
        signpost: {
          ...signpost,
          no_cache: noCache,
          rebuilds: rebuilt,
          ...(brandRatio && { brands_over_one: brandRatio }),
        },
        peers: peerLines,
        ratios,
        ...(lighthouse.length && { lighthouse }),
      }),
    );
    console.log(
      `\n${articles} articles × ${languages.length} languages × ${brands} brand(s), medians of ${runs} run(s)\n`,
    );
    console.log(
      table(
        [
          ['Signpost', signpost],
          ...peers.map((p): [string, ReturnType<typeof line> | undefined] => {
            const l = peerLines[p.name];
            return [
              p.name === 'starlight' ? 'Starlight' : 'Hugo + Pagefind',
              l && 'pages' in l ? l : undefined,
            ];
          }),
        ],
        lighthouse,
        noCache.build_wall_s,
      ),
    );
    for (const [name, r] of Object.entries(ratios))
      console.log(
        `\nSignpost over ${name}: ${(1 / r.build_wall_s).toFixed(2)}× as fast (${(1 / r.no_cache_build_wall_s).toFixed(2)}× with --no-cache), ` +
          `${r.peak_rss_mb.toFixed(2)}× the peak memory, ${r.dist_bytes.toFixed(3)}× the dist/ bytes.`,
      );
    console.log(
      `\nRebuilds into the same dist/: nothing changed ${rebuilt.unchanged_s} s (${(rebuilt.unchanged_ratio * 100).toFixed(1)} % of the full build, ${(rebuilt.unchanged_ratio_no_cache * 100).toFixed(1)} % of the --no-cache one), ` +
        `one article edited ${rebuilt.one_article_s} s (${(rebuilt.one_article_ratio * 100).toFixed(1)} %, ${(rebuilt.one_article_ratio_no_cache * 100).toFixed(1)} %).`,
    );
    console.log(
      `The disk: a folder and a page in it took ${disk.before.create_ms} ms to make before the runs and ` +
        `${disk.after.create_ms} ms after them; a hard link ${disk.before.link_ms} ms and ${disk.after.link_ms} ms.`,
    );
    if (brandRatio)
      console.log(
        `${brands} brands sharing the help center: ${signpost.build_wall_s.toFixed(1)} s against ` +
          `${brandRatio.one_brand_wall_s.toFixed(1)} s for brand1 alone (${brandRatio.build_wall_s.toFixed(2)}×; ` +
          `run by run ${brandRatio.runs.map((r) => `${r.toFixed(2)}×`).join(', ')}).`,
      );
  } finally {
    removeSetAside();
    if (values.keep) console.error(`bench: kept ${work}`);
    else {
      fs.rmSync(work, { recursive: true, force: true });
      // The render cache's packs of the outputs, outside the work folder (`render-cache.ts`).
      for (const output of Object.values(outputs)) fs.rmSync(renderPackOf(output), { force: true });
    }
  }
}

if (positionals[0] === 'gate') gateLoad();
else if (positionals.length) throw new Error(`bench: unknown command ${positionals[0]} (only "gate")`);
else await bench();
