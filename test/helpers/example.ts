import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadContent } from '../../src/content/load.ts';
import { formatProblem } from '../../src/content/problems.ts';

export const PROJECT = fileURLToPath(new URL('../../', import.meta.url));

/** A throwaway copy of the example content (and themes) to mutate. */
export interface ExampleCopy {
  root: string;
  content: string;
  /** Absolute path of a file in the copy, given relative to `content/`. */
  file(relative: string): string;
  /** Rewrites a file of the copy. */
  edit(relative: string, change: (text: string) => string): void;
  write(relative: string, text: string | Buffer): void;
  remove(): void;
}

export function copyExample(): ExampleCopy {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-example-'));
  fs.cpSync(path.join(PROJECT, 'content'), path.join(root, 'content'), { recursive: true });
  fs.cpSync(path.join(PROJECT, 'themes'), path.join(root, 'themes'), { recursive: true });
  const content = path.join(root, 'content');
  const file = (relative: string) => path.join(content, relative);
  return {
    root,
    content,
    file,
    edit(relative, change) {
      const before = fs.readFileSync(file(relative), 'utf8');
      const after = change(before);
      if (after === before)
        throw new Error(`edit of ${relative} changed nothing; the example content moved?`);
      fs.writeFileSync(file(relative), after);
    },
    write(relative, text) {
      fs.mkdirSync(path.dirname(file(relative)), { recursive: true });
      fs.writeFileSync(file(relative), text);
    },
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** Loads a content folder and returns its error lines, as `check` prints them, relative to `base`. */
export async function errorLines(content: string, base: string): Promise<string[]> {
  const { problems } = await loadContent(content);
  return problems
    .sorted()
    .filter((p) => p.severity === 'error')
    .map((p) => formatProblem(p, base));
}

/**
 * Builds a content folder with `check` bypassed (see `build-unchecked.ts`) into `out`, in a child
 * process as the CLI would; throws with the build's output if it fails.
 */
export function buildUnchecked(content: string, out: string): void {
  execFileSync(
    path.join(PROJECT, 'node_modules/.bin/node'),
    ['test/helpers/build-unchecked.ts', content, out],
    {
      cwd: PROJECT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}
