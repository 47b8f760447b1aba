import path from 'node:path';

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
}

/** Collects every problem of a load so they can all be reported at once. */
export class Problems {
  readonly list: Problem[] = [];

  error(file: string, line: number | undefined, message: string): void {
    this.list.push({ file, line, message, severity: 'error' });
  }

  warn(file: string, line: number | undefined, message: string): void {
    this.list.push({ file, line, message, severity: 'warning' });
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
 * `file:line: message` (warnings as `file:line: warning: message`), the file relative to `base`
 * when it lies inside it, so editors and terminals can jump to it.
 */
export function formatProblem(problem: Problem, base = process.cwd()): string {
  const relative = path.relative(base, problem.file);
  const file = relative.startsWith('..') || path.isAbsolute(relative) ? problem.file : relative;
  const where = problem.line ? `${file}:${problem.line}` : file;
  return `${where}: ${problem.severity === 'warning' ? 'warning: ' : ''}${problem.message}`;
}
