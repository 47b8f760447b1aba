/**
 * Runs a command and samples the memory of its whole process tree from /proc while it runs: the
 * command and every descendant (Pagefind's indexer, esbuild, image workers, the peer's own
 * children). Linux only; elsewhere the memory figures are 0.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface TreeRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall seconds from spawn to exit. */
  seconds: number;
  /** The largest sum of the RSS of every process of the tree alive at one sample. */
  peakTreeMB: number;
  /** Each process name's largest peak RSS (VmHWM) of any one process of that name. */
  perProcessPeakMB: Record<string, number>;
}

/** Every descendant of `pid` (not `pid` itself), as /proc lists them right now. */
function descendants(pid: number): number[] {
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.pop()!;
    let tasks: string[];
    try {
      tasks = fs.readdirSync(`/proc/${parent}/task`);
    } catch {
      continue; // ended between two reads
    }
    for (const task of tasks) {
      let children: string;
      try {
        children = fs.readFileSync(`/proc/${parent}/task/${task}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const child of children.split(/\s+/).filter(Boolean)) {
        found.push(Number(child));
        queue.push(Number(child));
      }
    }
  }
  return found;
}

/** `node measure.ts`, `pagefind_extended`: the program, and the script a runtime runs (after its flags). */
function processName(pid: number, statusText: string): string {
  try {
    const [program = '', ...args] = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const name = path.basename(program);
    const script = args.find((arg) => arg && !arg.startsWith('-'));
    return script && /^(node|sh)$/.test(name) ? `${name} ${path.basename(script)}` : name;
  } catch {
    return /^Name:\s+(.*)$/m.exec(statusText)?.[1] ?? '?';
  }
}

function status(pid: number): { name: string; rssKB: number; hwmKB: number } | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
    return { name: processName(pid, text), rssKB: field('VmRSS'), hwmKB: field('VmHWM') };
  } catch {
    return undefined;
  }
}

/**
 * Spawns `command` and samples its tree every `intervalMs` until it exits. A process that lives
 * shorter than one interval can be missed; the builds' heavy processes live for seconds.
 */
export function runTree(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; intervalMs?: number },
): Promise<TreeRun> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let peakKB = 0;
  const perProcess = new Map<string, number>();
  const sample = () => {
    if (child.pid === undefined) return;
    let totalKB = 0;
    for (const pid of [child.pid, ...descendants(child.pid)]) {
      const s = status(pid);
      if (!s) continue;
      totalKB += s.rssKB;
      perProcess.set(s.name, Math.max(perProcess.get(s.name) ?? 0, s.hwmKB));
    }
    peakKB = Math.max(peakKB, totalKB);
  };
  const timer = setInterval(sample, options.intervalMs ?? 100);
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearInterval(timer);
      resolve({
        code: code ?? 1,
        stdout,
        stderr,
        seconds: (performance.now() - started) / 1000,
        peakTreeMB: Math.round(peakKB / 1024),
        perProcessPeakMB: Object.fromEntries(
          [...perProcess].sort(([, a], [, b]) => b - a).map(([name, kb]) => [name, Math.round(kb / 1024)]),
        ),
      });
    });
  });
}
