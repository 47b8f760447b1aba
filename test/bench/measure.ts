/**
 * Runs one Signpost command in this process and prints its wall time and peak memory as JSON on
 * the last line of stdout, so the bench can measure each step in isolation.
 *   node test/bench/measure.ts check --content DIR
 */
import { runCheck } from '../../src/cli/check.ts';

const [command, ...args] = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};

const started = performance.now();
const log = console.log;
console.log = () => {}; // the bench wants figures, not thousands of warning lines
if (command !== 'check') throw new Error(`measure: unknown command ${command}`);
const code = await runCheck({ content: flag('content') ?? 'content' });
console.log = log;
console.log(
  JSON.stringify({
    command,
    exitCode: code,
    seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
