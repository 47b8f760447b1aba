import fs from 'node:fs';
import path from 'node:path';

/**
 * Sorts of warning that come in numbers, so `check` can fold many of one sort into one line:
 * `missing-translation` (an article or collection name without a language a brand publishes),
 * `contrast` (a theme colour pair below WCAG AA).
 */
export type ProblemKind = 'missing-translation' | 'contrast';

/** One thing wrong (or worth a look) in the content, located by file and line. */
export interface Problem {
  /** Absolute path of the file the problem is in. */
  file: string;
  /** 1-based line, where known. */
  line?: number | undefined;
  /** What is wrong and what to do, one line. */
  message: string;
  /** Errors fail `check` and `build`; warnings (e.g. a missing translation) do not. */
  severity: 'error' | 'warning';
  /** The sort of problem, for folding many of one sort into a single summary line. */
  kind?: ProblemKind | undefined;
  /** What a folded line counts this problem under, e.g. the language of a missing translation. */
  tally?: string | undefined;
}

/** `kind` and `tally` of a problem, given where it is reported. */
export type ProblemTag = Pick<Problem, 'kind' | 'tally'>;

/** Collects every problem of a load so they can all be reported at once. */
export class Problems {
  readonly list: Problem[] = [];
  readonly #read = new Set<string>();
  readonly #told = new Set<string>();

  error(file: string, line: number | undefined, message: string, tag: ProblemTag = {}): void {
    this.list.push({ file, line, message, severity: 'error', ...tag });
  }

  warn(file: string, line: number | undefined, message: string, tag: ProblemTag = {}): void {
    this.list.push({ file, line, message, severity: 'warning', ...tag });
  }

  /**
   * Notes that a content file was read, for the summary's file count. Keyed by the file's device
   * and inode (from `stat`, when the caller has it) so a file reached by two routes (a symlink,
   * `content/../themes`) counts once: its real path took ~40 ms of a 3,000-file load.
   */
  noteRead(file: string, stat?: fs.Stats): void {
    // Each file is told about more than once (read, then its YAML parsed): looked at once.
    if (this.#told.has(file)) return;
    this.#told.add(file);
    try {
      const { dev, ino } = stat ?? fs.statSync(file);
      // Windows' 64-bit file ids can pass what a number holds exactly; those go by real path.
      this.#read.add(Number.isSafeInteger(ino) && ino > 0 ? `${dev}:${ino}` : realPath(file));
    } catch {
      this.#read.add(realPath(file));
    }
  }

  /** How many different files `noteRead` was told about. */
  get filesRead(): number {
    return this.#read.size;
  }

  get errors(): Problem[] {
    return this.list.filter((p) => p.severity === 'error');
  }

  get warnings(): Problem[] {
    return this.list.filter((p) => p.severity === 'warning');
  }

  /** Problems in a stable order: by file, then line, errors before warnings. */
  sorted(): Problem[] {
    return [...this.list].sort(
      (a, b) =>
        a.file.localeCompare(b.file) ||
        (a.line ?? 0) - (b.line ?? 0) ||
        (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
        a.message.localeCompare(b.message),
    );
  }
}

/**
 * The real path of a file, or the path itself when it cannot be resolved (e.g. it is gone). The
 * system's `realpath` (one call; Node's own stats every folder on the way: a tenth of a second of
 * loading 3,000 articles).
 */
export function realPath(file: string): string {
  try {
    return fs.realpathSync.native(file);
  } catch {
    return path.resolve(file);
  }
}

/** Colours a severity label; the identity when output is plain. */
export type Paint = (severity: Problem['severity'], text: string) => string;

/**
 * `error: file:line: message` / `warning: file:line: message`, the file relative to `base` when it
 * lies inside it, so editors and terminals can jump to it. `paint` colours the leading label.
 */
export function formatProblem(
  problem: Problem,
  base = process.cwd(),
  paint: Paint = (_, text) => text,
): string {
  const relative = path.relative(base, problem.file);
  const file = relative.startsWith('..') || path.isAbsolute(relative) ? problem.file : relative;
  const where = problem.line ? `${file}:${problem.line}` : file;
  return `${paint(problem.severity, problem.severity)}: ${where}: ${problem.message}`;
}
