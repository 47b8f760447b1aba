import { spawn } from 'node:child_process';
import path from 'node:path';
import { PROJECT } from './example.ts';

/**
 * Runs `signpost <args>` as a child process, through the entry the npm scripts run
 * (`src/cli/signpost.mjs`), as a shell would (only PATH and `env` in its environment): its exit
 * code and output. Killed after `timeoutMs`, so a command that should have stopped (a server that
 * started after all) fails its test instead of hanging it.
 */
export function runCli(args: string[], env: Record<string, string | undefined> = {}, timeoutMs = 60_000) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(path.join(PROJECT, 'node_modules/.bin/node'), ['src/cli/signpost.mjs', ...args], {
      cwd: PROJECT,
      env: { PATH: process.env.PATH, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
