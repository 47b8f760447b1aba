/**
 * Work done in a process of its own, so that the memory it leaves behind goes back to the system
 * when it ends, not to the process that waits for it (V8 and malloc keep what a process once
 * held). `build.ts` runs the site build so, and the build stamp's check: listing and hashing
 * 25,000 files left ~50 MB in the process that then waited for the site build.
 */
import { fork, type ForkOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker, parentPort, workerData } from 'node:worker_threads';

type Reply<T> = { result: T } | { error: Error };
/** A message the child sends before its answer (`serveApart`'s `tell`). */
type Told<Note> = { note: Note };

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
  return startApart<Request, Result>(module, what, options).run(request);
}

/** A child process started by {@link startApart}, loading its modules until it is given its request. */
export interface Apart<Request, Result, Note = never> {
  /**
   * Sends the request (once) and resolves with the answer, as {@link runApart} does. `told` hears
   * what the child tells before it answers, in order, as it is told.
   */
  run(request: Request, told?: (note: Note) => void): Promise<Result>;
  /** Ends the child without a request. */
  cancel(): void;
}

/**
 * Starts `module` in a child process now and sends it its request later: the child loads its
 * modules meanwhile (the site build's take ~0.3 s), while this process finds out whether, and
 * with what, to run it.
 */
export function startApart<Request, Result, Note = never>(
  module: URL,
  what: string,
  options: Pick<ForkOptions, 'execArgv' | 'env'> = {},
): Apart<Request, Result, Note> {
  const child = fork(fileURLToPath(module), { serialization: 'advanced', stdio: 'inherit', ...options });
  let reply: Reply<Result> | undefined;
  let listener: ((note: Note) => void) | undefined;
  child.on('message', (message: Reply<Result> | Told<Note>) => {
    if ('note' in message) listener?.(message.note);
    else reply = message;
  });
  const ended = new Promise<Result>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (reply && 'result' in reply) resolve(reply.result);
      else if (reply) reject(reply.error);
      else reject(new Error(`${what} stopped (${signal ?? `exit code ${code}`}) before it finished`));
    });
  });
  ended.catch(() => {}); // a cancelled child's end is nobody's error; `run` hands it on otherwise
  return {
    run(request, told) {
      listener = told;
      child.send(request as object);
      return ended;
    },
    cancel() {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    },
  };
}

/**
 * In the child (a module's `import.meta.main`): answers the one request {@link runApart} sends, then
 * exits. The handler may `tell` the parent something before it answers (`Apart.run`'s `told`).
 */
export function serveApart<Request, Result, Note = never>(
  handler: (request: Request, tell: (note: Note) => void) => Result | Promise<Result>,
): void {
  const tell = (note: Note) => process.send!({ note } satisfies Told<Note>);
  process.once('message', (request: Request) => {
    Promise.resolve()
      .then(() => handler(request, tell))
      .then(
        (result): Reply<Result> => ({ result }),
        (error: unknown): Reply<Result> => ({
          error: error instanceof Error ? error : new Error(String(error)),
        }),
      )
      .then((reply) => process.send!(reply, () => process.exit(0)));
  });
}

/**
 * Runs `module`'s {@link answerInThread} handler for `key` on `request` in a worker thread, and
 * resolves with its one answer: for work done beside the build's thread (the page check, the
 * output's listing). Should the thread fail, or end without an answer, `here` answers in this
 * thread instead, so the work is never skipped. `stop` ends the thread when its answer is not
 * needed any more: nobody may wait for it then, since it never comes.
 */
export function askThread<Request, Answer>(
  module: URL,
  key: string,
  request: Request,
  here: () => Answer,
): { answer: Promise<Answer>; stop(): void } {
  const worker = new Worker(module, { workerData: { [key]: request } });
  let stopped = false;
  const answer = new Promise<Answer>((resolve) => {
    let answered = false;
    const give = (value: () => Answer) => {
      if (answered || stopped) return;
      answered = true;
      resolve(value());
    };
    worker.once('message', (found: Answer) => give(() => found));
    worker.once('error', () => give(here));
    worker.once('exit', () => give(here));
  });
  return {
    answer,
    stop: () => {
      stopped = true;
      void worker.terminate();
    },
  };
}

/**
 * In a worker thread that {@link askThread} started for `key` (not in any thread that imports the
 * module): answers its request with `handler`, once; the thread then ends.
 */
export function answerInThread<Request, Answer>(key: string, handler: (request: Request) => Answer): void {
  const asked = (workerData as Record<string, unknown> | null | undefined)?.[key];
  if (parentPort && asked !== undefined) parentPort.postMessage(handler(asked as Request));
}
