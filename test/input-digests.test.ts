import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashInputs } from '../src/cli/build-stamp.ts';
import { InputDigests } from '../src/cli/input-digests.ts';

/**
 * The build stamp's check keeps each file's SHA-256 from one check for the next: a check must
 * take a kept digest only for the very bytes it was taken of, whatever else of the file stayed.
 */
let root: string;
let content: string;
let store: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'input-digests-'));
  content = path.join(root, 'content');
  store = path.join(root, 'cache');
  fs.mkdirSync(content);
  for (const name of ['a.md', 'b.md', 'c.yaml']) fs.writeFileSync(path.join(content, name), `${name} text\n`);
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** One check: the digest of each file, and how many were kept ones. */
function check(fresh = false): { digests: Record<string, string>; hits: number } {
  const memo = new InputDigests(content, fresh, store);
  const digests: Record<string, string> = {};
  for (const name of fs.readdirSync(content).sort()) {
    const file = path.join(content, name);
    digests[name] = memo.digest(file, fs.lstatSync(file, { bigint: true }));
  }
  memo.save();
  return { digests, hits: memo.hits };
}

const truth = () =>
  Object.fromEntries(
    fs
      .readdirSync(content)
      .sort()
      .map((n) => [n, sha(path.join(content, n))]),
  );

/** Waits until the files just written are older than a tick of the kernel's clock: kept from then on. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

describe('the input digests', () => {
  it("takes a file's digest from the last check while the file is as it was", async () => {
    await settle();
    expect(check()).toEqual({ digests: truth(), hits: 0 });
    expect(check()).toEqual({ digests: truth(), hits: 3 });
  });

  it('hashes a file rewritten since, even to the same size with its modification time set back', async () => {
    const file = path.join(content, 'a.md');
    const then = new Date(2020, 0, 1);
    fs.utimesSync(file, then, then);
    await settle();
    const before = check().digests['a.md'];
    fs.writeFileSync(file, 'a.md TEXT\n'); // same size, same inode
    fs.utimesSync(file, then, then);
    await settle();
    const after = check();
    expect(after.digests['a.md']).not.toBe(before);
    expect(after.digests).toEqual(truth());
    expect(after.hits).toBe(2);
  });

  it('keeps no digest of a file written a moment ago, which a write within the same tick would not change', () => {
    check();
    // Written just now, so the second check hashes them all again.
    expect(check()).toEqual({ digests: truth(), hits: 0 });
  });

  it('reads none with --no-cache, and keeps its own for the next check', async () => {
    await settle();
    check();
    expect(check(true).hits).toBe(0);
    expect(check().hits).toBe(3);
  });

  it('hashes every file when what it kept is damaged', async () => {
    await settle();
    check();
    const [kept] = fs.readdirSync(store);
    fs.writeFileSync(path.join(store, kept!), '{"not": "digests"');
    expect(check()).toEqual({ digests: truth(), hits: 0 });
  });

  it("gives the stamp's check the digests of the article files it hashed", async () => {
    const { articleHashes, articles } = await hashInputs(content, {});
    expect(articles).toBe(2);
    expect(articleHashes).toEqual({
      [path.join(content, 'a.md')]: sha(path.join(content, 'a.md')),
      [path.join(content, 'b.md')]: sha(path.join(content, 'b.md')),
    });
  });
});
