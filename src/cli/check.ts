import { loadContent, type LoadResult } from '../content/load.ts';
import { formatProblem } from '../content/problems.ts';

/** Prints every problem, one `file:line: message` line each, then a summary line. */
export function report(result: LoadResult, seconds: number, out: (line: string) => void = console.log): void {
  for (const problem of result.problems.sorted()) out(formatProblem(problem));
  const errors = result.problems.errors.length;
  const warnings = result.problems.warnings.length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  out(
    `${errors ? '✗' : '✓'} ${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(result.files, 'file')} (${seconds.toFixed(2)} s)`,
  );
}

/** `signpost check`: exit 0 with only warnings, 1 with any error. */
export async function runCheck(options: { content: string }): Promise<number> {
  const started = performance.now();
  const result = await loadContent(options.content);
  report(result, (performance.now() - started) / 1000);
  return result.problems.errors.length ? 1 : 0;
}
