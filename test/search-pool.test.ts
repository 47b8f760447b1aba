import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PassPool } from '../src/search/pass.ts';

/**
 * How `PassPool` schedules Pagefind passes: side by side while their memory allows, in the order
 * asked for, and none after one failed. The jobs here index nothing; each records when it ran.
 */
function recorder() {
  let running = 0;
  const log: string[] = [];
  let most = 0;
  const job =
    (name: string, fail = false) =>
    async () => {
      running++;
      most = Math.max(most, running);
      log.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      log.push(`end ${name}`);
      if (fail) throw new Error(`${name} failed`);
      return name;
    };
  return { job, log, most: () => most };
}

describe('Pagefind passes side by side', () => {
  it('runs small passes together, up to the limit, in the order asked for', async () => {
    const pool = new PassPool(3);
    const { job, log, most } = recorder();
    const weight = pool.weight('en', 800); // a tenth of a full pass
    const names = ['de', 'en', 'fr', 'ja', 'ar'];
    expect(await Promise.all(names.map((name) => pool.run('acme', weight, job(name))))).toEqual(names);
    expect(most()).toBe(3);
    expect(log.filter((line) => line.startsWith('start'))).toEqual(names.map((name) => `start ${name}`));
  });

  it('runs a pass alone when it and another would hold more than 1.2 full passes', async () => {
    const pool = new PassPool(4);
    const { job, log, most } = recorder();
    const big = pool.weight('en', 7200); // 0.9 of a full pass
    // 0.7 each: a Japanese page takes ~3 times the memory of an English one, a Korean page ~9 times
    const ja = pool.weight('ja', 1750);
    const ko = pool.weight('ko', 700);
    await Promise.all([
      pool.run('acme', big, job('en')),
      pool.run('acme', ja, job('ja')),
      pool.run('acme', ko, job('ko')),
    ]);
    expect(most()).toBe(1);
    expect(log).toEqual(['start en', 'end en', 'start ja', 'end ja', 'start ko', 'end ko']);
  });

  it('runs two languages of 4,600 pages side by side, but not a third beside them', async () => {
    const pool = new PassPool(4);
    const { job, log, most } = recorder();
    const large = pool.weight('de', 4600); // 0.575 of a full pass
    await Promise.all(['de', 'fr', 'ar'].map((name) => pool.run('acme', large, job(name))));
    expect(most()).toBe(2);
    expect(log.slice(0, 2)).toEqual(['start de', 'start fr']);
    expect(log.indexOf('start ar')).toBeGreaterThan(log.findIndex((line) => line.startsWith('end')));
  });

  it('weighs against SIGNPOST_SEARCH_PAGES_PER_PASS where it is set: a pass of that many pages runs alone', async () => {
    const pool = new PassPool(4, 100);
    expect(pool.weight('en', 100)).toBe(1);
    const { job, most } = recorder();
    await Promise.all(['en', 'de', 'fr'].map((name) => pool.run('acme', pool.weight(name, 100), job(name))));
    expect(most()).toBe(1);
    // Small parts of it still share, while together they hold that many pages at most.
    const shared = recorder();
    await Promise.all(['en', 'de'].map((name) => pool.run('acme', pool.weight(name, 20), shared.job(name))));
    expect(shared.most()).toBe(2);
    const over = recorder();
    await Promise.all(['en', 'de'].map((name) => pool.run('acme', pool.weight(name, 55), over.job(name))));
    expect(over.most()).toBe(1);
  });

  it('starts no pass after one failed, and hands every waiting one the failure', async () => {
    const pool = new PassPool(1);
    const { job, log } = recorder();
    const results = await Promise.allSettled([
      pool.run('acme', 0.1, job('en', true)),
      pool.run('acme', 0.1, job('de')),
      pool.run('acme', 0.1, job('fr')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(results.map((r) => (r as PromiseRejectedResult).reason.message)).toEqual([
      'en failed',
      'en failed',
      'en failed',
    ]);
    expect(log).toEqual(['start en', 'end en']);
  });

  it('stops when the build does: no pass starts, and the running one ends its Pagefind process at once', async () => {
    // Enough pages for Pagefind to be busy a while (~1 s) after it started.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-pool-'));
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    for (let i = 0; i < 3000; i++) {
      const dir = path.join(root, 'en', String(i));
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(
        path.join(dir, 'index.html'),
        `<html lang="en"><body><article data-pagefind-body><h1>Page ${i}</h1><p>${words} ${i}</p></article></body></html>`,
      );
    }
    const output = path.join(root, 'pagefind');
    const pagefindProcesses = () =>
      execFileSync('ps', ['-o', 'args=', '--ppid', String(process.pid)], { encoding: 'utf8' })
        .split('\n')
        .filter((line) => line.includes('pagefind') && line.includes('--service')).length;
    try {
      const controller = new AbortController();
      const pool = new PassPool(1, undefined, controller.signal);
      let indexing = false;
      const running = pool.run('acme', 0.1, (index) => {
        indexing = true;
        return index({ root, output, glob: 'en/**/*.html' });
      });
      running.catch(() => {});
      const waitingRan: string[] = [];
      const waiting = pool.run('acme', 0.1, async () => void waitingRan.push('ran'));
      waiting.catch(() => {});
      while (!indexing || pagefindProcesses() === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      // Into the reading of the pages, which takes Pagefind a second or more.
      await new Promise((resolve) => setTimeout(resolve, 200));
      controller.abort(new Error('the build stopped'));
      // Ended mid-pass: Pagefind did not get to the end of what it was reading.
      await expect(running).rejects.toThrow('Pagefind backend closed');
      await expect(waiting).rejects.toThrow('the build stopped');
      expect(waitingRan).toEqual([]);
      // Nothing was written, and nothing is still writing.
      expect(fs.existsSync(path.join(output, 'pagefind-entry.json'))).toBe(false);
      for (let tries = 0; pagefindProcesses() > 0 && tries < 100; tries++)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(pagefindProcesses()).toBe(0);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
