import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FeedCache } from '../src/output/feed-cache.ts';

/**
 * The feed cache keeps the previous build's `knowledge.json` files (hard links) and where each
 * article is in them. What it must never do: hand a public feed bytes of the full feed (which
 * holds private and internal articles), or bytes of a file that changed since it was kept.
 */
let root: string;
let out: string;
let cacheDir: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'feed-cache-'));
  out = path.join(root, 'dist');
  cacheDir = path.join(root, 'cache');
  fs.mkdirSync(path.join(out, '_export', 'acme'), { recursive: true });
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** A build that wrote one article into the feed file of `scope`, and kept it. */
function firstBuild(scope: 'public' | 'full', text: string) {
  const file = path.join(out, scope === 'full' ? '_export/acme' : '', 'knowledge.json');
  const before = '{"articles": [\n    ';
  fs.writeFileSync(file, `${before}${text}\n]}\n`);
  const cache = new FeedCache(out, false, 'code-1', cacheDir);
  const key = FeedCache.key(scope, cache.digest(['help.acme.test', 'acme'], `{"id": "refunds"}`));
  cache.record(file, scope, key, Buffer.byteLength(before), Buffer.byteLength(text));
  cache.save();
  return { file, key };
}

/** The bytes a range names, read as the writer's thread reads them: through its descriptor. */
const bytesOf = (range: { fd: number; offset: number; length: number }) => {
  const bytes = Buffer.alloc(range.length);
  fs.readSync(range.fd, bytes, 0, range.length, range.offset);
  return bytes.toString('utf8');
};

describe('the feed cache', () => {
  it("finds an article where the previous build wrote it, after that build's output is gone", () => {
    const { key } = firstBuild('public', '{"id": "refunds", "title": "Réembolsos"}');
    fs.rmSync(out, { recursive: true });
    const range = new FeedCache(out, false, 'code-1', cacheDir).find(key, 'public');
    expect(range).toBeDefined();
    expect(bytesOf(range!)).toBe('{"id": "refunds", "title": "Réembolsos"}');
  });

  it('reads the files it opened, though another build of the output keeps its own feeds meanwhile', () => {
    const { key } = firstBuild('public', '{"id": "refunds"}');
    const reading = new FeedCache(out, false, 'code-1', cacheDir);
    // The other build's first kept file is a full feed, under the name the public one had.
    firstBuild('full', '{"id": "internal-runbook", "visibility": "internal"}');
    const range = reading.find(key, 'public');
    expect(range).toBeDefined();
    expect(bytesOf(range!)).toBe('{"id": "refunds"}');
    reading.close();
  });

  it('never gives a public feed an article of the full feed', () => {
    const { key } = firstBuild('full', '{"id": "internal-runbook", "visibility": "internal"}');
    const cache = new FeedCache(out, false, 'code-1', cacheDir);
    expect(cache.find(key, 'public')).toBeUndefined();
    expect(cache.find(key, 'full')).toBeDefined();
  });

  it('keys an article by its feed, its text, its brand and Signpost', () => {
    const cache = new FeedCache(out, false, 'code-1', cacheDir);
    const digest = cache.digest(['help.acme.test', 'acme'], '{}');
    const key = FeedCache.key('public', digest);
    expect(FeedCache.key('full', digest)).not.toBe(key);
    expect(FeedCache.key('public', cache.digest(['help.acme.test', 'acme'], '{"id": 1}'))).not.toBe(key);
    expect(FeedCache.key('public', cache.digest(['help.globex.test', 'globex'], '{}'))).not.toBe(key);
    // The words are told apart from the text: moved from one to the other, the key changes.
    expect(FeedCache.key('public', cache.digest(['help.acme.test'], 'acme\0{}'))).not.toBe(key);
    expect(
      FeedCache.key(
        'public',
        new FeedCache(out, false, 'code-2', cacheDir).digest(['help.acme.test', 'acme'], '{}'),
      ),
    ).not.toBe(key);
  });

  it('reads nothing of a kept file written into since', () => {
    const { file, key } = firstBuild('public', '{"id": "refunds"}');
    // The same size: only its modification time tells.
    const { mtime } = fs.statSync(file);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('refunds', 'refundz'));
    fs.utimesSync(file, new Date(), new Date(mtime.getTime() + 1000));
    expect(new FeedCache(out, false, 'code-1', cacheDir).find(key, 'public')).toBeUndefined();
  });

  it('reads nothing of a damaged index, and does not stop the build for it', () => {
    const { key } = firstBuild('public', '{"id": "refunds"}');
    const [dir] = fs.readdirSync(cacheDir);
    const index = path.join(cacheDir, dir!, 'index.json');
    const kept = JSON.parse(fs.readFileSync(index, 'utf8')) as {
      files: { entries: [string, number, number][] }[];
    };
    kept.files[0]!.entries[0]![2] = 1e6; // past the end of the file
    fs.writeFileSync(index, JSON.stringify(kept));
    expect(new FeedCache(out, false, 'code-1', cacheDir).find(key, 'public')).toBeUndefined();
    fs.writeFileSync(index, JSON.stringify({ ...kept, files: [{ name: 7, entries: 'none' }] }));
    expect(new FeedCache(out, false, 'code-1', cacheDir).find(key, 'public')).toBeUndefined();
  });

  it('removes the kept feeds of output folders that are gone, an hour after they were kept', () => {
    firstBuild('public', '{"id": "refunds"}');
    const [gone] = fs.readdirSync(cacheDir);
    fs.rmSync(out, { recursive: true });
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    fs.utimesSync(path.join(cacheDir, gone!), twoHoursAgo, twoHoursAgo);
    const other = path.join(root, 'other');
    fs.mkdirSync(other);
    new FeedCache(other, false, 'code-1', cacheDir).save();
    expect(fs.readdirSync(cacheDir)).toHaveLength(1);
    expect(fs.readdirSync(cacheDir)).not.toContain(gone);
  });

  it('reads nothing with --no-cache, or after Signpost changed', () => {
    const { key } = firstBuild('public', '{"id": "refunds"}');
    expect(new FeedCache(out, true, 'code-1', cacheDir).find(key, 'public')).toBeUndefined();
    expect(new FeedCache(out, false, 'code-2', cacheDir).find(key, 'public')).toBeUndefined();
  });
});
