import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readImage } from '../src/content/brand-images.ts';
import { faviconPng } from '../src/content/favicon-set.ts';
import { ImageNames } from '../src/feed/images.ts';
import { ImageMemo, imageMemo } from '../src/content/image-memo.ts';

/**
 * What sharp answered and made, kept from one build for the next: a rebuild must take what the
 * last build made from the same image, and never what it made from another one.
 */
let root: string;
let store: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'sharp-memo-'));
  store = path.join(root, 'cache', 'images.json');
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const png = (width: number, height: number, colour = '#0a7') =>
  sharp({ create: { width, height, channels: 4, background: colour } })
    .png()
    .toBuffer();

/** A memo as one build uses it: opened, asked, saved. */
async function build<T>(ask: (memo: ImageMemo) => Promise<T>, fresh = false, code = 'code-1'): Promise<T> {
  const memo = new ImageMemo();
  memo.open(code, fresh, store);
  const answer = await ask(memo);
  memo.save();
  return answer;
}

/** Waits until the files just written are older than a tick of the kernel's clock: kept from then on. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

const never = () => Promise.reject(new Error('made again, though the last build made it'));

describe('the sharp memo', () => {
  it('takes what the last build made from the same inputs, and makes what it did not', async () => {
    const bytes = new Uint8Array([1, 2, 3]);
    await build((memo) => memo.made('icon of a at 32 px', () => Promise.resolve(bytes)));
    expect(await build((memo) => memo.made('icon of a at 32 px', never))).toEqual(bytes);
    const other = new Uint8Array([4]);
    expect(await build((memo) => memo.made('icon of a at 64 px', () => Promise.resolve(other)))).toEqual(
      other,
    );
  });

  it('keeps only what the last build used', async () => {
    await build(async (memo) => {
      await memo.made('a', () => Promise.resolve(new Uint8Array([1])));
      await memo.made('b', () => Promise.resolve(new Uint8Array([2])));
    });
    await build((memo) => memo.made('a', never));
    await expect(build((memo) => memo.made('b', never))).rejects.toThrow(/made again/);
  });

  it('reads nothing with --no-cache, after Signpost changed, or from a damaged file', async () => {
    await build((memo) => memo.made('a', () => Promise.resolve(new Uint8Array([1]))));
    await expect(build((memo) => memo.made('a', never), true)).rejects.toThrow(/made again/);
    // The --no-cache build kept its own answers for the next.
    await build((memo) => memo.made('a', never));
    await expect(build((memo) => memo.made('a', never), false, 'code-2')).rejects.toThrow(/made again/);
    fs.writeFileSync(store, '{"version": 1, "code": "code-1", "answers": ');
    await expect(build((memo) => memo.made('a', never))).rejects.toThrow(/made again/);
  });

  it('keeps nothing where no build opened it (check, dev)', async () => {
    const memo = new ImageMemo();
    let made = 0;
    const make = () => Promise.resolve(new Uint8Array([++made]));
    await memo.made('a', make);
    await memo.made('a', make);
    memo.save();
    expect(made).toBe(2);
    expect(fs.existsSync(store)).toBe(false);
  });

  it('reads an article image again once it was written over with what is no picture', async () => {
    const file = path.join(root, 'screen.png');
    fs.writeFileSync(file, await png(4, 3));
    await settle();
    expect(await build((memo) => memo.readable(file))).toBe(true);
    expect(await build((memo) => memo.readable(file))).toBe(true);
    fs.writeFileSync(file, Buffer.concat([(await png(4, 3)).subarray(0, 16), Buffer.alloc(64)]));
    await settle();
    expect(await build((memo) => memo.readable(file))).toBe(false);
  });

  it('names an article image as the last build did, until it is written over', async () => {
    const file = path.join(root, 'screen.png');
    const bytes = await png(4, 3);
    fs.writeFileSync(file, bytes);
    await settle();
    // A build's names, through the build's one memo, as the feeds ask it.
    const name = () => {
      imageMemo.open('code-1', false, store);
      const named = new ImageNames().name(file);
      imageMemo.save();
      return named;
    };
    const first = name();
    expect(first).toMatch(/^[0-9a-f]{16}\.png$/);
    expect(name()).toBe(first);
    // The same size: only the file's times tell.
    bytes[bytes.length - 20]! ^= 1;
    fs.writeFileSync(file, bytes);
    await settle();
    const second = name();
    expect(second).not.toBe(first);
    // What a build that keeps nothing names it.
    imageMemo.open('code-2', true, path.join(root, 'other.json'));
    expect(new ImageNames().name(file)).toBe(second);
  });

  it("gives a replaced favicon's icons, not the last build's", async () => {
    const file = path.join(root, 'favicon.png');
    const rule = { key: 'favicon', formats: ['png', 'jpeg'] as const };
    const where = {
      written: 'favicon.png',
      from: root,
      root,
      rootName: 'the brands folder',
      relativeTo: 'x',
    };
    const icon = async () => {
      // Through the build's one memo, as the content load and the brand files ask it.
      imageMemo.open('code-1', false, store);
      const image = await readImage(where, rule, (message) => {
        throw new Error(message);
      });
      const made = await faviconPng(image, 32);
      imageMemo.save();
      return (await sharp(made).raw().toBuffer({ resolveWithObject: true })).data.subarray(0, 4);
    };
    fs.writeFileSync(file, await png(64, 64, '#ff0000'));
    expect([...(await icon())]).toEqual([255, 0, 0, 255]);
    expect([...(await icon())]).toEqual([255, 0, 0, 255]);
    fs.writeFileSync(file, await png(64, 64, '#0000ff'));
    expect([...(await icon())]).toEqual([0, 0, 255, 255]);
  });
});
