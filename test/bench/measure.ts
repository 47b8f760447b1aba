/**
 * Runs one Signpost command in this process and prints its figures as JSON on the last line of
 * stdout, so the bench measures each step in a fresh process:
 *   node test/bench/measure.ts check --content DIR
 *   node test/bench/measure.ts build --content DIR --out DIR
 */
import fs from 'node:fs';
import { runBuild } from '../../src/cli/build.ts';
import { runCheck } from '../../src/cli/check.ts';

const [command, ...args] = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const content = flag('content') ?? 'content';

/**
 * Peak memory of our child processes (Pagefind's indexer runs as one), sampled from /proc while
 * the command runs: `process.resourceUsage()` only sees this process. Linux only; 0 elsewhere.
 */
let childPeakKB = 0;
const sampler = setInterval(() => {
  try {
    for (const task of fs.readdirSync('/proc/self/task'))
      for (const pid of fs
        .readFileSync(`/proc/self/task/${task}/children`, 'utf8')
        .split(/\s+/)
        .filter(Boolean)) {
        const hwm = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
        if (hwm) childPeakKB = Math.max(childPeakKB, Number(hwm[1]));
      }
  } catch {
    // a child that just ended, or no /proc: nothing to sample this time
  }
}, 250);

const started = performance.now();
const log = console.log;
console.log = () => {}; // the bench wants figures, not thousands of warning lines
let figures: Record<string, unknown>;
if (command === 'check') figures = { exitCode: await runCheck({ content }) };
else if (command === 'build') {
  const result = await runBuild({ content, out: flag('out') ?? 'dist', quiet: true });
  figures = {
    exitCode: result.code,
    pages: result.pages,
    ...(result.search && {
      indexSeconds: Number(result.search.seconds.toFixed(2)),
      indexMB: Number((result.search.bytes / 1024 / 1024).toFixed(1)),
      indexedPages: result.search.pages,
    }),
    // Both knowledge feeds (public and full) of every brand; the corpus has one brand.
    ...(result.feed && {
      feedSeconds: Number(result.feed.seconds.toFixed(2)),
      feedMB: Number((result.feed.bytes / 1024 / 1024).toFixed(1)),
      feedArticles: result.feed.articles,
    }),
  };
} else throw new Error(`measure: unknown command ${command}`);
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
console.log = log;
console.log(
  JSON.stringify({
    command,
    ...figures,
    seconds: Number(seconds.toFixed(2)),
    ...(typeof figures.pages === 'number' ? { pagesPerSecond: Math.round(figures.pages / seconds) } : {}),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    childPeakRssMB: Math.round(childPeakKB / 1024),
  }),
);
