/**
 * Work done in a process of its own, so that the memory it leaves behind goes back to the system
 * when it ends, not to the process that waits for it (V8 and malloc keep what a process once
 * held). `build.ts` runs the site build so, and the build stamp's check: listing and hashing
 * 25,000 files left ~50 MB in the process that then waited for the site build.
 */
import { fork, type ForkOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';

type Reply<T> = { result: T } | { error: Error };

/**
 * Runs `module`'s {@link serveApart} handler on `request` in a child process (same Node, same
 * flags unless `options` says more) and resolves with its answer; `what` names the work in the
 * error when the child dies without one. The child's output goes where this process's goes; an
 * exception there is thrown here, as if it ran here.
 */
export function runApart<Request, Result>(
  module: URL,
  what: string,
  request: Request,
  options: Pick<ForkOptions, 'execArgv' | 'env'> = {},
): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(module), { serialization: 'advanced', stdio: 'inherit', ...options });
    let reply: Reply<Result> | undefined;
    child.on('message', (message: Reply<Result>) => (reply = message));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (reply && 'result' in reply) resolve(reply.result);
      else if (reply) reject(reply.error);
      else reject(new Error(`${what} stopped (${signal ?? `exit code ${code}`}) before it finished`));
    });
    child.send(request as object);
  });
}

/** In the child (a module's `import.meta.main`): answers the one request {@link runApart} sends, then exits. */
export function serveApart<Request, Result>(handler: (request: Request) => Result | Promise<Result>): void {
  process.once('message', (request: Request) => {
    Promise.resolve()
      .then(() => handler(request))
      .then(
        (result): Reply<Result> => ({ result }),
        (error: unknown): Reply<Result> => ({
          error: error instanceof Error ? error : new Error(String(error)),
        }),
      )
      .then((reply) => process.send!(reply, () => process.exit(0)));
  });
}
