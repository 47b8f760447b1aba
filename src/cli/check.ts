import { styleText } from 'node:util';
import { loadContent, type LoadResult } from '../content/load.ts';
import { formatProblem, type Paint, type Problem, type ProblemKind } from '../content/problems.ts';

/** More warnings than this of one kind are folded into one line (unless `--verbose`). */
export const FOLD_OVER = 3;

/** How a folded line names many warnings of one kind. */
const FOLDED: Record<ProblemKind, string> = {
  'missing-translation': 'missing translations',
  contrast: 'theme colour pairs below WCAG AA contrast',
};

export interface ReportOptions {
  /** List every warning, instead of folding more than `FOLD_OVER` of one kind into one line. */
  verbose?: boolean;
  /**
   * Colour the `error`/`warning` labels. Default: when stdout can show colour (a terminal, no
   * `NO_COLOR`, or `FORCE_COLOR` set), as Node's `styleText` decides.
   */
  colour?: boolean;
}

/**
 * Prints every problem, one `error: file:line: message` or `warning: …` line each, folds many
 * warnings of one kind into a count, then a summary line.
 */
export function report(
  result: LoadResult,
  seconds: number,
  out: (line: string) => void = console.log,
  options: ReportOptions = {},
): void {
  const paint = painter(options.colour);
  const problems = result.problems.sorted();
  const byKind = new Map<ProblemKind, Problem[]>();
  for (const problem of problems)
    if (problem.severity === 'warning' && problem.kind)
      byKind.set(problem.kind, [...(byKind.get(problem.kind) ?? []), problem]);
  const folded = new Set(
    [...byKind].filter(([, list]) => !options.verbose && list.length > FOLD_OVER).map(([kind]) => kind),
  );

  for (const problem of problems)
    if (!(problem.severity === 'warning' && problem.kind && folded.has(problem.kind)))
      out(formatProblem(problem, undefined, paint));
  for (const kind of folded) out(`${paint('warning', 'warning')}: ${foldedLine(kind, byKind.get(kind)!)}`);

  const errors = result.problems.errors.length;
  const warnings = result.problems.warnings.length;
  const files = result.files;
  out(
    `${errors ? '✗' : '✓'} ${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(files, 'content file')} (${seconds.toFixed(2)} s)`,
  );
}

/** `21 missing translations (ja: 10, ar: 9, de: 2); check --verbose lists them` */
function foldedLine(kind: ProblemKind, list: Problem[]): string {
  const counts = new Map<string, number>();
  for (const { tally } of list) if (tally) counts.set(tally, (counts.get(tally) ?? 0) + 1);
  const parts = [...counts]
    .sort(([a, m], [b, n]) => n - m || a.localeCompare(b))
    .map(([tally, n]) => `${tally}: ${n}`);
  return `${list.length} ${FOLDED[kind]}${parts.length ? ` (${parts.join(', ')})` : ''}; check --verbose lists them`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function painter(colour: boolean | undefined): Paint {
  if (colour === false) return (_, text) => text;
  // Unless colour is forced, styleText checks stdout itself: a TTY, NO_COLOR, FORCE_COLOR, TERM=dumb.
  return (severity, text) =>
    styleText(severity === 'error' ? 'red' : 'yellow', text, { validateStream: colour === undefined });
}

/** `signpost check`: exit 0 with only warnings, 1 with any error. */
export async function runCheck(options: { content: string; verbose?: boolean }): Promise<number> {
  const started = performance.now();
  const result = await loadContent(options.content);
  report(result, (performance.now() - started) / 1000, console.log, { verbose: options.verbose ?? false });
  return result.problems.errors.length ? 1 : 0;
}
