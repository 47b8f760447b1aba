import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RenderCache, renderKey, renderPackOf, type RenderInputs } from '../src/markdown/render-cache.ts';
import type { RenderedMarkdown } from '../src/markdown/types.ts';
import { markdownLabels } from '../src/routing/render.ts';

/**
 * The render cache's pack, on its own: what a build reads back is what the previous build kept,
 * and a pack that is damaged, cut short or of another format costs renders, never a wrong one or
 * a failed build. (`build-incremental.test.ts` shows the builds that use it are byte for byte
 * full builds.)
 */
let dir: string;
const out = '/srv/help/dist';
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-renders-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const render = (n: number): RenderedMarkdown => ({
  html: `<p>Body ${n}: café, 日本語, "quotes"</p><!--sp-image:0-->`,
  images: [{ file: `/content/billing/screen-${n}.png`, alt: 'Screen' }],
  headings: [{ depth: 2, id: `part-${n}`, text: `Part ${n}` }],
  text: `Body ${n}`,
});
const keys = ['a', 'b', 'c'].map((k) => k.repeat(64));
/** A build as the renderer runs one: each body from the cache, else rendered and kept; then the pack ended. */
const build = (renders: number[], output = out, cacheDir = dir) => {
  const cache = new RenderCache(output, false, 'v1', cacheDir);
  for (const n of renders) if (!cache.get(keys[n]!)) cache.put(keys[n]!, render(n));
  cache.finish();
  return cache;
};
/** What a build would find, read without writing a pack. */
const kept = () => {
  const cache = new RenderCache(out, false, 'v1', dir);
  const found = keys.map((key) => cache.get(key));
  cache.discard();
  return found;
};

describe('the render cache', () => {
  it('gives the next build the renders this one kept, and only those', () => {
    expect(build([0, 1])).toMatchObject({ hits: 0, misses: 2 });
    expect(kept()).toEqual([render(0), render(1), undefined]);
    // The next build finds one of them and renders another: the first drops out.
    const next = build([1, 2]);
    expect(next).toMatchObject({ hits: 1, misses: 1 });
    expect(kept()).toEqual([undefined, render(1), render(2)]);
    // The pack it replaced is set aside, for the build to remove in the background.
    expect(next.retired).toHaveLength(1);
    expect(fs.readdirSync(dir).sort()).toEqual(
      [path.basename(renderPackOf(out, dir)), path.basename(next.retired[0]!)].sort(),
    );
  });

  it('keeps one pack per output folder, and reads nothing with --no-cache', () => {
    build([0]);
    expect(new RenderCache('/srv/other/dist', false, 'v1', dir).get(keys[0]!)).toBeUndefined();
    expect(new RenderCache(out, true, 'v1', dir).get(keys[0]!)).toBeUndefined();
  });

  it('renders again, without failing, from a pack cut short, overwritten or with an entry damaged', () => {
    const pack = renderPackOf(out, dir);
    build([0, 1]);
    const bytes = fs.readFileSync(pack);
    fs.writeFileSync(pack, bytes.subarray(0, bytes.length - 10));
    expect(kept()).toEqual([undefined, undefined, undefined]);
    fs.writeFileSync(pack, 'not a pack');
    expect(kept()).toEqual([undefined, undefined, undefined]);

    // One byte of an entry's HTML changed, which would still decode: that one is rendered again,
    // and the next pack has its new render.
    build([0, 1]);
    const damaged = fs.readFileSync(pack);
    damaged.write('x', damaged.indexOf('Body 0') + 3, 'latin1');
    fs.writeFileSync(pack, damaged);
    expect(build([0, 1])).toMatchObject({ hits: 1, misses: 1 });
    expect(kept()).toEqual([render(0), render(1), undefined]);
  });

  it('leaves the pack as it was when the build stops', () => {
    build([0]);
    const cache = new RenderCache(out, false, 'v1', dir);
    cache.put(keys[1]!, render(1));
    cache.discard();
    expect(kept()).toEqual([render(0), undefined, undefined]);
    expect(fs.readdirSync(dir)).toEqual([path.basename(renderPackOf(out, dir))]);
  });

  it('removes the packs of output folders that are gone, an hour after they were written', () => {
    const cacheDir = path.join(dir, 'cache');
    const outputs = ['kept', 'gone', 'gone-just-now'].map((name) => path.join(dir, name));
    for (const output of outputs) build([0], output, cacheDir);
    fs.mkdirSync(outputs[0]!);
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    for (const output of outputs.slice(0, 2))
      fs.utimesSync(renderPackOf(output, cacheDir), twoHoursAgo, twoHoursAgo);
    build([0], out, cacheDir);
    expect(fs.readdirSync(cacheDir).sort()).toEqual(
      [out, outputs[0]!, outputs[2]!].map((o) => path.basename(renderPackOf(o, cacheDir))).sort(),
    );
  });

  it('writes a pack it cannot place without failing the build', () => {
    fs.writeFileSync(path.join(dir, 'file'), '');
    expect(() => build([0, 1], out, path.join(dir, 'file'))).not.toThrow();
  });
});

describe('a render key', () => {
  const inputs: RenderInputs = {
    code: 'v1',
    format: 'md',
    language: 'en',
    labels: markdownLabels('en'),
    embedHosts: [],
    links: [['refunds.md', '/en/articles/refunds']],
    images: [['./screen.png', '/content/billing/screen.png']],
    body: 'See [refunds](refunds.md).\n\n![Screen](./screen.png)\n',
  };
  it('changes with everything a render is made from', () => {
    const changed: Partial<RenderInputs>[] = [
      { code: 'v2' },
      { format: 'mdx' },
      { language: 'de' },
      { labels: { ...inputs.labels, note: 'Hinweis' } },
      { embedHosts: ['videos.example.com'] },
      { links: [['refunds.md', '/de/articles/refunds']] },
      { images: [['./screen.png', '/content/billing/screen-2.png']] },
      { body: `${inputs.body} ` },
    ];
    const keysOf = new Set([inputs, ...changed.map((c) => ({ ...inputs, ...c }))].map(renderKey));
    expect(keysOf.size).toBe(changed.length + 1);
    expect(renderKey({ ...inputs })).toBe(renderKey(inputs));
  });
});
