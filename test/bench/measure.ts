/**
 * Runs one Signpost command in this process and prints its figures as JSON on the last line of
 * stdout, so the bench measures each step in a fresh process (run.ts samples the memory of this
 * process and its children from outside):
 *   node test/bench/measure.ts check --content DIR
 *   node test/bench/measure.ts build --content DIR --out DIR [--no-cache]
 */
// Each command's modules load when it runs, as the command line loads them: `build` runs its site
// build in a process of its own and waits, so what this one loads counts in the figures.
// The command line's compile cache first (see `compile-cache.mjs`); then, loaded after it, the build.
import '../../src/cli/compile-cache.mjs';

const { runBuild } = await import('../../src/cli/build.ts');

const [command, ...args] = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const content = flag('content') ?? 'content';

const started = performance.now();
const log = console.log;
console.log = () => {}; // the bench wants figures, not thousands of warning lines
let figures: Record<string, unknown>;
if (command === 'check') {
  const { runCheck } = await import('../../src/cli/check.ts');
  figures = { exitCode: await runCheck({ content }) };
} else if (command === 'build') {
  const result = await runBuild({
    content,
    out: flag('out') ?? 'dist',
    quiet: true,
    noCache: args.includes('--no-cache'),
  });
  figures = {
    exitCode: result.code,
    pages: result.pages,
    ...(result.timings && { phases: result.timings }),
    ...(result.search && {
      indexSeconds: Number(result.search.seconds.toFixed(2)),
      indexBytes: result.search.bytes,
      indexedPages: result.search.pages,
    }),
    // Both knowledge feeds (public and full) of every brand.
    ...(result.feed && {
      feedSeconds: Number(result.feed.seconds.toFixed(2)),
      feedBytes: result.feed.bytes,
      feedArticles: result.feed.articles,
    }),
  };
} else throw new Error(`measure: unknown command ${command}`);
const seconds = (performance.now() - started) / 1000;
console.log = log;
console.log(
  JSON.stringify({
    command,
    ...figures,
    seconds: Number(seconds.toFixed(2)),
    // This process alone; run.ts adds its children (Pagefind, esbuild).
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
