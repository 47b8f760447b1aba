import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * Last commit time of every file under `dir`, from ONE `git log` over the whole tree (one call per
 * file would cost minutes on a large help center). Empty when `dir` is not in a git work tree.
 */
export function lastCommitDates(dir: string): Map<string, Date> {
  const dates = new Map<string, Date>();
  let output: string;
  try {
    output = execFileSync(
      'git',
      ['log', '--format=%x00%ct', '--name-only', '--no-renames', '--relative', '--', '.'],
      {
        cwd: dir,
        encoding: 'utf8',
        maxBuffer: 512 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
  } catch {
    return dates;
  }
  // Commits come newest first, so the first time a file shows up is its last change.
  for (const commit of output.split('\0')) {
    const [stamp, ...files] = commit.split('\n');
    const seconds = Number(stamp);
    if (!Number.isFinite(seconds) || !stamp) continue;
    for (const file of files) {
      if (!file) continue;
      const absolute = path.join(dir, file);
      if (!dates.has(absolute)) dates.set(absolute, new Date(seconds * 1000));
    }
  }
  return dates;
}
