import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PackReader, PackWriter } from '../src/cache/pack.ts';

/**
 * The pack that the render and load caches keep their entries in, on its own: what a build reads
 * back is byte for byte what it or the previous build wrote, whether the pack is read whole or an
 * entry at a time, and a damaged byte costs that entry, never a wrong one. (`render-cache.test.ts`
 * and `load-cache.test.ts` show the caches on it; `build-incremental.test.ts` the builds.)
 */
let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-pack-'));
  file = path.join(dir, 'cache', 'a.pack');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const key = (n: number) => createHash('sha256').update(String(n)).digest('hex');
/** Entry n's parts: strings (some not ASCII) and bytes, in turns; ~3 MB for 600 entries. */
const parts = (n: number): (string | Uint8Array)[] =>
  n % 3 === 0
    ? [`entry ${n}: café, 日本語\n`, 'x'.repeat(5000)]
    : n % 3 === 1
      ? [Buffer.alloc(4000 + n, n % 251)]
      : [`entry ${n}\n`, Buffer.from(`bytes of ${n}`), '¿'.repeat(n)];
const bytesOf = (n: number) =>
  Buffer.concat(parts(n).map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
const ENTRIES = 600;

const write = (n = ENTRIES) => {
  const writer = new PackWriter(file, '/srv/help/dist', 'test-pack 1');
  for (let i = 0; i < n; i++) writer.add(key(i), parts(i));
  const retired: string[] = [];
  writer.finish(retired);
  return retired;
};

describe.each([
  ['read whole', Number.MAX_SAFE_INTEGER],
  ['read an entry at a time', 0],
])('a pack %s', (_, wholeMax) => {
  const open = () => PackReader.open(file, 'test-pack 1', wholeMax);

  it('gives back every entry byte for byte, and nothing under another key', () => {
    write();
    const reader = open()!;
    for (let i = 0; i < ENTRIES; i++) expect(reader.get(key(i))!.bytes.equals(bytesOf(i))).toBe(true);
    expect(reader.has(key(ENTRIES))).toBe(false);
    expect(reader.get(key(ENTRIES))).toBeUndefined();
    reader.close();
  });

  it('gives no entry whose bytes changed on disk, and the others as they are', () => {
    write();
    const bytes = fs.readFileSync(file);
    const at = bytes.indexOf('entry 300:');
    bytes.write('E', at, 'latin1'); // still a string of the same length
    fs.writeFileSync(file, bytes);
    const reader = open()!;
    expect(reader.get(key(300))).toBeUndefined();
    expect(reader.get(key(299))!.bytes.equals(bytesOf(299))).toBe(true);
    expect(reader.get(key(301))!.bytes.equals(bytesOf(301))).toBe(true);
    reader.close();
  });

  it('is not read when its index, its end or its format is not whole', () => {
    write();
    const whole = fs.readFileSync(file);
    // A byte of the index (before the trailer): every entry would be found in the wrong place.
    const index = Buffer.from(whole);
    index.writeUInt8(index.readUInt8(index.length - 100) ^ 1, index.length - 100);
    fs.writeFileSync(file, index);
    expect(open()).toBeUndefined();
    fs.writeFileSync(file, whole.subarray(0, whole.length - 1));
    expect(open()).toBeUndefined();
    fs.writeFileSync(file, whole);
    expect(PackReader.open(file, 'test-pack 2', wholeMax)).toBeUndefined();
    expect(open()).toBeDefined();
  });
});

describe('a pack as it is written', () => {
  it('reads back what this build added, before it is written whole', () => {
    const writer = new PackWriter(file, '/srv/help/dist', 'test-pack 1');
    for (let i = 0; i < 10; i++) writer.add(key(i), parts(i));
    expect(writer.get(key(4))!.bytes.equals(bytesOf(4))).toBe(true);
    // An entry is added once: a second add under its key keeps the first.
    writer.add(key(4), ['other']);
    expect(writer.get(key(4))!.bytes.equals(bytesOf(4))).toBe(true);
    writer.finish([]);
    expect(PackReader.open(file, 'test-pack 1')!.get(key(4))!.bytes.equals(bytesOf(4))).toBe(true);
  });

  it('writes thousands of small entries, more than one call takes, in order', () => {
    const writer = new PackWriter(file, '/srv/help/dist', 'test-pack 1');
    const small = (i: number) => Buffer.from(`small ${i}`);
    for (let i = 0; i < 5000; i++) writer.add(key(i), [small(i)]);
    writer.finish([]);
    const reader = PackReader.open(file, 'test-pack 1')!;
    for (let i = 0; i < 5000; i++) expect(reader.get(key(i))!.bytes.equals(small(i))).toBe(true);
  });

  it('replaces the previous pack whole at the end, setting it aside', () => {
    write(5);
    const writer = new PackWriter(file, '/srv/help/dist', 'test-pack 1');
    writer.add(key(7), parts(7));
    // Until the end, the previous pack is the one a build reads.
    expect(PackReader.open(file, 'test-pack 1')!.has(key(0))).toBe(true);
    const retired: string[] = [];
    writer.finish(retired);
    const reader = PackReader.open(file, 'test-pack 1')!;
    expect([reader.has(key(0)), reader.has(key(7))]).toEqual([false, true]);
    expect(retired).toHaveLength(1);
    expect(fs.existsSync(retired[0]!)).toBe(true);
  });

  it('leaves nothing behind when given up, and the previous pack as it was', () => {
    write(5);
    const writer = new PackWriter(file, '/srv/help/dist', 'test-pack 1');
    writer.add(key(7), parts(7));
    writer.drop();
    writer.add(key(8), parts(8)); // nothing is written after
    writer.finish([]);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['a.pack']);
    expect(PackReader.open(file, 'test-pack 1')!.has(key(0))).toBe(true);
  });

  it('costs nothing but its entries where it cannot be written', () => {
    fs.writeFileSync(path.join(dir, 'cache'), ''); // a file where the pack's folder would be
    const writer = new PackWriter(file, '/srv/help/dist', 'test-pack 1');
    expect(() => {
      writer.add(key(0), parts(0));
      writer.finish([]);
    }).not.toThrow();
    expect(writer.get(key(0))).toBeUndefined();
  });
});
