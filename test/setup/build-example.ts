import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { PROJECT } from '../helpers/example.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `dist/` of the example content, built once for the whole run by the real CLI. */
    exampleDist: string;
  }
}

/** Builds `content/` once with `signpost build`, for every test that reads the output. */
export default function setup(project: TestProject): () => void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-dist-'));
  const dist = path.join(root, 'dist');
  execFileSync(path.join(PROJECT, 'node_modules/.bin/node'), ['src/cli/main.ts', 'build', '--out', dist], {
    cwd: PROJECT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  project.provide('exampleDist', dist);
  return () => fs.rmSync(root, { recursive: true, force: true });
}
