import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BundleKeeper, KeptBundle, folderOf } from '../src/cli/kept-bundle.ts';

/**
 * How the kept Astro bundle is kept and found (`kept-bundle.ts`), with a stand-in for Astro's
 * prerender folder: an entry exporting an `app` as Astro's does. Rendering with a real kept bundle,
 * and falling back to Astro's build, is tested on real builds in `build-incremental.test.ts`.
 */
let root: string;
let out: string;
let cache: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-kept-'));
  out = path.join(root, 'dist');
  cache = path.join(root, 'cache');
  fs.mkdirSync(out);
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** A prerender folder whose entry is named `prerender-entry.<id>.mjs`, as Astro's build writes it. */
function prerenderFolder(id: string): string {
  const dir = path.join(root, `prerender-${id}`);
  fs.mkdirSync(path.join(dir, 'chunks'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'chunks', 'page.mjs'), 'export const page = 1;\n');
  fs.writeFileSync(
    path.join(dir, `prerender-entry.${id}.mjs`),
    `export const app = {
      manifest: { routes: [] },
      setInternals(internals) { this.internals = internals; },
      setOptions() {},
      getOptions() { return { settings: { scripts: [] } }; },
    };\n`,
  );
  return dir;
}

/**
 * What an Astro build of `out` does with the keeper, up to a build that succeeded (`save`, given
 * where the build's output is), with the brand `acme`'s script in it.
 */
async function astroBuild(
  id: string,
  code = 'code-1',
  images: string[] = [],
): Promise<BundleKeeper & { output: string }> {
  const keeper = new BundleKeeper(out, code, cache);
  keeper.bundling(images);
  const prerender = prerenderFolder(id);
  await keeper.setup(prerender);
  // Astro's prerenderer imports the same entry and gives its app the build's internals.
  const { app } = (await import(pathToFileURL(path.join(prerender, `prerender-entry.${id}.mjs`)).href)) as {
    app: { setInternals(internals: unknown): void };
  };
  app.setInternals({
    pagesByKeys: new Map([['/[...path]&src/pages/[...path]/index.astro', { styles: [] }]]),
    entrySpecifierToBundleMap: new Map(),
  });
  const temp = path.join(root, `temp-${id}`);
  fs.mkdirSync(path.join(temp, '_astro'), { recursive: true });
  fs.writeFileSync(path.join(temp, '_astro', 'client.abc.js'), '');
  keeper.rendered(temp);
  // The brand files step moves what the pages use into each brand's folder.
  fs.mkdirSync(path.join(temp, 'acme', '_astro'), { recursive: true });
  fs.renameSync(
    path.join(temp, '_astro', 'client.abc.js'),
    path.join(temp, 'acme', '_astro', 'client.abc.js'),
  );
  fs.rmSync(path.join(temp, '_astro'), { recursive: true });
  return Object.assign(keeper, { output: temp });
}

/** `astroBuild`, then its output does not reach `out` (the test puts there what it needs). */
async function keptBy(id: string, code?: string, images?: string[]): Promise<void> {
  const keeper = await astroBuild(id, code, images);
  keeper.save(keeper.output);
  fs.rmSync(keeper.output, { recursive: true });
}

describe('the kept Astro bundle', () => {
  it('is found by the next build of the same output and the same Signpost, and by no other', async () => {
    await keptBy('AAAA');
    expect(KeptBundle.open(out, 'code-1', cache)).toBeDefined();
    expect(KeptBundle.open(out, 'code-2', cache)).toBeUndefined();
    expect(KeptBundle.open(path.join(root, 'elsewhere'), 'code-1', cache)).toBeUndefined();
    // The bundle's files are kept, under the entry's name.
    expect(fs.existsSync(path.join(folderOf(out, cache), 'prerender-entry.AAAA', 'chunks', 'page.mjs'))).toBe(
      true,
    );
  });

  it('is not kept by a build that stopped', async () => {
    (await astroBuild('AAAA')).discard();
    expect(KeptBundle.open(out, 'code-1', cache)).toBeUndefined();
    expect(fs.readdirSync(cache)).toEqual([]);
  });

  it('gives way to a newer one, and stays an hour for builds still rendering with it', async () => {
    await keptBy('AAAA');
    await keptBy('BBBB');
    const folder = folderOf(out, cache);
    // The record names the newer; the older's files stay, for a build that took it before.
    expect(fs.readdirSync(folder).sort()).toEqual([
      'prerender-entry.AAAA',
      'prerender-entry.BBBB',
      'record.json',
    ]);
    expect(JSON.parse(fs.readFileSync(path.join(folder, 'record.json'), 'utf8')).entry).toBe(
      'prerender-entry.BBBB.mjs',
    );
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    fs.utimesSync(path.join(folder, 'prerender-entry.AAAA'), twoHoursAgo, twoHoursAgo);
    await keptBy('CCCC');
    expect(fs.readdirSync(folder).sort()).toEqual([
      'prerender-entry.BBBB',
      'prerender-entry.CCCC',
      'record.json',
    ]);
  });

  it('serves a build only with the images it holds, as their bytes were, and the files made of them at hand', async () => {
    const image = path.join(root, 'screen.png');
    fs.writeFileSync(image, 'first bytes');
    await keptBy('AAAA', 'code-1', [image]);
    const bundle = KeptBundle.open(out, 'code-1', cache)!;
    const site = (images: string[]) =>
      ({
        mode: 'build',
        brands: [{ id: 'acme', pages: [{ kind: 'article', images: images.map((file) => ({ file })) }] }],
      }) as never;
    const temp = path.join(root, 'temp');
    // The output folder is empty (a CI run that kept only the cache): the bundle's script was kept with it.
    expect(bundle.serves(site([image]), out, temp)).toBe(true);
    // It is linked into the new output's shared assets, where Astro would have written it.
    expect(fs.existsSync(path.join(temp, '_astro', 'client.abc.js'))).toBe(true);
    // Without it, the previous output must have it.
    const keptScript = path.join(folderOf(out, cache), 'prerender-entry.AAAA', 'assets', 'client.abc.js');
    fs.rmSync(keptScript);
    expect(bundle.serves(site([image]), out, path.join(root, 'temp-2'))).toBe(false);
    fs.mkdirSync(path.join(out, 'acme', '_astro'), { recursive: true });
    fs.writeFileSync(path.join(out, 'acme', '_astro', 'client.abc.js'), '');
    expect(bundle.serves(site([image]), out, path.join(root, 'temp-3'))).toBe(true);
    // An image it does not hold, or one whose bytes changed.
    expect(bundle.serves(site([path.join(root, 'other.png')]), out, temp)).toBe(false);
    fs.writeFileSync(image, 'other bytes');
    expect(bundle.serves(site([image]), out, temp)).toBe(false);
  });
});
