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

  it('runs a pass alone when it and another would hold more than half a full pass', async () => {
    const pool = new PassPool(4);
    const { job, log, most } = recorder();
    const big = pool.weight('en', 4400); // 0.55 of a full pass
    const cjk = pool.weight('ja', 300); // 0.3: Japanese takes ~9 times the memory a page
    await Promise.all([
      pool.run('acme', big, job('en')),
      pool.run('acme', cjk, job('ja')),
      pool.run('acme', cjk, job('ko')),
    ]);
    expect(most()).toBe(1);
    expect(log).toEqual(['start en', 'end en', 'start ja', 'end ja', 'start ko', 'end ko']);
  });

  it('weighs against SIGNPOST_SEARCH_PAGES_PER_PASS where it is set: a pass of that many pages runs alone', async () => {
    const pool = new PassPool(4, 100);
    expect(pool.weight('en', 100)).toBe(1);
    const { job, most } = recorder();
    await Promise.all(['en', 'de', 'fr'].map((name) => pool.run('acme', pool.weight(name, 100), job(name))));
    expect(most()).toBe(1);
    // Small parts of it still share.
    const shared = recorder();
    await Promise.all(['en', 'de'].map((name) => pool.run('acme', pool.weight(name, 20), shared.job(name))));
    expect(shared.most()).toBe(2);
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
});
