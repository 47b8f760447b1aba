import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Handoff } from '../integration/handoff.ts';
import { articleImages } from '../integration/index.ts';
import { cacheNameOf, HOUR, pruneCache } from '../cache/files.ts';
import { isBundleAsset } from '../output/brand-files.ts';
import { linkOrCopy } from '../output/link.ts';
import { PROJECT_ROOT } from '../paths.ts';
import { dirs, routeOf } from '../routing/layout.ts';
import type { SiteData } from '../routing/types.ts';

/**
 * Astro's prerender bundle as the last Astro build of an output made it, kept (with the scripts and
 * optimised images Astro made for it) so that the next build renders its pages with it instead of
 * importing Astro's build (Vite, Rolldown) and bundling again: a rebuild after an edit, and a
 * build into an empty output folder (a CI run that kept `.astro/cache/`). At 1,000 × 3, by turns
 * on a quiet machine: a one-article rebuild 3.36–3.47 s against 4.12–4.28 s (Astro's import and
 * bundle took ~1 s of the build's thread, the kept bundle's import and render ~0.1 s), and a
 * process tree of 410–453 MB against 534–578 MB; a whole build's process tree 454–459 MB against
 * 602–619 MB, and ~1 s shorter.
 *
 * The bundle is Signpost's templates compiled (so `codeVersion` keys it) plus one module of content:
 * the article images the build rendered (`articleImagesModule`), each with the metadata Astro read
 * from its bytes. So a build takes the kept bundle only when every image its pages show is one
 * the bundle holds, with the same bytes, and every file Astro made of it (the optimised widths)
 * is at hand, kept with the bundle or in the previous output, to be linked; else Astro builds as
 * before.
 *
 * Astro has no public way to render with a bundle it built before. What its prerenderer does
 * (`astro/dist/core/build/default-prerenderer.js`) is done here: the bundle's entry exports the
 * `app` that renders a request, given the build's internals and options, of which the page renderer
 * reads only each route's styles and the scripts Astro adds to pages (`build/environment.js`):
 * those are kept beside the bundle. `getImage` asks the build for each optimised image's URL
 * (`globalThis.astroAsset.addStaticImage`, which Astro's Vite plugin sets): the answers of the
 * build that made the bundle are kept, and given back for the same question. A question it did
 * not answer stops the kept render, and Astro builds the pages instead.
 */
export class KeptBundle {
  readonly #dir: string;
  readonly #record: BundleRecord;

  private constructor(dir: string, record: BundleRecord) {
    this.#dir = dir;
    this.#record = record;
  }

  /** The bundle kept for `out` by Signpost's version `code`, if there is a whole one. */
  static open(out: string, code: string, root = BUNDLE_CACHE_DIR): KeptBundle | undefined {
    const dir = folderOf(out, root);
    try {
      const record = JSON.parse(fs.readFileSync(path.join(dir, RECORD), 'utf8')) as BundleRecord;
      if (record.version !== VERSION || record.code !== code) return undefined;
      if (!fs.existsSync(path.join(dir, bundleName(record), record.entry))) return undefined;
      return new KeptBundle(dir, record);
    } catch {
      return undefined; // no bundle kept, or one this code cannot read
    }
  }

  /**
   * Whether this bundle can render the pages of `render`: it holds each article image they show,
   * with the bytes it has now, and every file made of those images and every script of the bundle
   * is at hand, kept with the bundle or in the previous output (`out`). If so, those files are
   * linked into the new output's shared assets folder (`temp`), where Astro's build would have
   * written them.
   */
  serves(render: SiteData, out: string, temp: string): boolean {
    const needed = [...this.#record.scripts];
    for (const file of articleImages(render)) {
      const kept = this.#record.images[file];
      if (!kept || kept.hash !== fileHash(file)) return false;
      needed.push(...kept.assets);
    }
    const folders = [path.join(this.#dir, bundleName(this.#record), ASSETS), ...assetFolders(out)];
    const found = new Map<string, string>();
    for (const name of needed) {
      const from = folders.map((folder) => path.join(folder, name)).find((file) => fs.existsSync(file));
      if (!from) return false;
      found.set(name, from);
    }
    const shared = dirs.sharedAssets(temp);
    fs.mkdirSync(shared, { recursive: true });
    for (const [name, from] of found)
      if (!fs.existsSync(path.join(shared, name))) linkOrCopy(from, path.join(shared, name));
    return true;
  }

  /**
   * Renders the pages of `render` with the kept bundle, each written through `handoff.writePage`
   * (the build's writer), `concurrency` at a time as Astro's build does. Throws `KeptBundleMiss`
   * when the bundle meets a question its build did not answer (nothing is then amiss: the caller
   * builds the pages with Astro, which writes every page again).
   */
  async render(
    render: SiteData,
    handoff: Handoff,
    pageBytes: (response: Response) => Uint8Array | undefined,
    concurrency: number,
  ): Promise<number> {
    const record = this.#record;
    const answers = new Map(Object.entries(record.answers));
    const assets = ((globalThis as AssetGlobal).astroAsset ??= {});
    const before = assets.addStaticImage;
    assets.addStaticImage = (...question: unknown[]) => {
      const answer = answers.get(JSON.stringify(question));
      if (answer === undefined) throw new KeptBundleMiss();
      return answer;
    };
    try {
      let app: BundleApp;
      let routes: Map<string, unknown>;
      try {
        ({ app } = (await import(
          pathToFileURL(path.join(this.#dir, bundleName(record), record.entry)).href
        )) as { app: BundleApp });
        app.setInternals({
          pagesByKeys: new Map(record.styles.map(([key, styles]) => [key, { styles }])),
          entrySpecifierToBundleMap: new Map(record.entrySpecifiers),
        });
        app.setOptions({
          settings: { scripts: record.pageScripts },
          logger: { options: { destination: { write: astroLog } } },
        });
        routes = new Map(app.manifest.routes.map(({ routeData }) => [routeData.route, routeData]));
      } catch {
        // Files gone, or an app that is not what this code knows: Astro builds the pages.
        throw new KeptBundleMiss();
      }
      const jobs: { url: URL; route: unknown }[] = [];
      for (const brand of render.brands)
        for (const page of brand.pages) {
          // As `staticPaths` (`integration/routes.ts`) gives them, and Astro's build asks for them.
          const { kind, param } = routeOf(render.mode, handoff.shared?.treeOf(page) ?? brand.id, page);
          const route = routes.get(kind === 'file' ? '/[...file]' : '/[...path]');
          if (!route || !param) throw new KeptBundleMiss();
          jobs.push({ url: new URL(kind === 'file' ? `/${param}.html` : `/${param}/`, ORIGIN), route });
        }
      let next = 0;
      // The first error stops every worker, and is thrown once none renders any more: a page
      // written after the caller went on (to Astro's build, after a miss) could be this one's.
      let failed: { error: unknown } | undefined;
      const work = async () => {
        while (next < jobs.length && !failed) {
          const { url, route } = jobs[next++]!;
          try {
            const response = await app.render(new Request(url), { routeData: route });
            // Every page answers 200 with a body. Anything else Astro's build writes its own way.
            const write = handoff.writePage?.(url.pathname);
            if (response.status !== 200 || !response.body || !write) throw new KeptBundleMiss();
            await write(pageBytes(response) ?? new Uint8Array(await response.arrayBuffer()));
          } catch (error) {
            failed ??= { error };
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, work));
      if (failed) throw failed.error;
      return jobs.length;
    } finally {
      if (before) assets.addStaticImage = before;
      else delete assets.addStaticImage;
    }
  }
}

/** The kept bundle met a question its build did not answer: Astro builds the pages instead. */
export class KeptBundleMiss extends Error {
  constructor() {
    super('the kept bundle cannot render these pages');
  }

  /** Whether `error` is a miss, or an error Astro made of one (its `cause`). */
  static is(error: unknown): boolean {
    for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++)
      if (e instanceof KeptBundleMiss) return true;
    return false;
  }
}

/**
 * Keeps the bundle of the Astro build under way, for the next build of `out`: `setup` is called by
 * Astro's prerenderer before it imports the bundle, `rendered` once every page is rendered,
 * and `save` once the whole build has succeeded (a stopped build keeps nothing).
 */
export class BundleKeeper {
  readonly #out: string;
  readonly #code: string;
  readonly #root: string;
  #temp: string | undefined;
  #record: Omit<BundleRecord, 'images' | 'scripts'> | undefined;
  #images: Record<string, { hash: string; assets: string[] }> = {};
  #scripts: string[] = [];
  #answers: Record<string, string> = {};
  #app: BundleApp | undefined;
  #internals: BundleInternals | undefined;
  /** Each image of the bundle's images module: its hash before Astro read it (`bundling`). */
  readonly #hashes = new Map<string, string>();

  constructor(out: string, code: string, root = BUNDLE_CACHE_DIR) {
    this.#out = path.resolve(out);
    this.#code = code;
    this.#root = root;
  }

  /**
   * Before Astro's prerenderer imports the bundle written into `prerenderDir`: copies it, and
   * listens to what the build gives the bundle's app and answers `getImage`.
   */
  async setup(prerenderDir: string): Promise<void> {
    try {
      const entry = fs.readdirSync(prerenderDir).find((name) => /^prerender-entry.*\.mjs$/.test(name));
      if (!entry) return;
      const temp = `${folderOf(this.#out, this.#root)}.${process.pid}.tmp`;
      fs.rmSync(temp, { recursive: true, force: true });
      fs.cpSync(prerenderDir, path.join(temp, FILES), { recursive: true });
      this.#temp = temp;
      // The same module Astro's prerenderer imports next (one URL, one instance).
      const { app } = (await import(pathToFileURL(path.join(prerenderDir, entry)).href)) as {
        app: BundleApp;
      };
      const set = app.setInternals.bind(app);
      app.setInternals = (internals) => {
        this.#internals = internals;
        set(internals);
      };
      this.#app = app;
      this.#record = {
        version: VERSION,
        code: this.#code,
        out: this.#out,
        entry,
        styles: [],
        entrySpecifiers: [],
        pageScripts: [],
        answers: {},
      };
      const assets = (globalThis as AssetGlobal).astroAsset;
      const ask = assets?.addStaticImage;
      if (!assets || !ask) return;
      assets.addStaticImage = (...question: unknown[]) => {
        const answer = ask(...question);
        try {
          this.#answers[JSON.stringify(question)] = answer;
          const file = question[2];
          if (typeof file === 'string') {
            const name = decodeURIComponent(path.posix.basename(new URL(answer, ORIGIN).pathname));
            const kept = (this.#images[file] ??= { hash: '', assets: [] });
            if (!kept.assets.includes(name)) kept.assets.push(name);
          }
        } catch {
          this.#record = undefined; // an answer this code cannot read: nothing is kept
        }
        return answer;
      };
    } catch {
      this.discard(); // nothing kept: the next build bundles again
    }
  }

  /**
   * Before Astro bundles: the hash of each image file its images module is to hold (`images`).
   * Hashed before Astro reads them, so an image changed meanwhile can only leave a hash that
   * its new bytes do not match (and the next build bundles again), never the reverse.
   */
  bundling(images: Iterable<string>): void {
    for (const file of images) this.#hashes.set(file, fileHash(file));
  }

  /**
   * Once Astro has rendered every page into `temp`: what the build gave the bundle's app, the
   * scripts Astro wrote beside the pages, and each image's hash (`bundling`) and the files made
   * of it.
   */
  rendered(temp: string): void {
    if (!this.#record || !this.#app || !this.#internals) return;
    try {
      const options = this.#app.getOptions();
      this.#record.styles = [...this.#internals.pagesByKeys].map(([key, data]) => [key, data.styles]);
      this.#record.entrySpecifiers = [...this.#internals.entrySpecifierToBundleMap];
      this.#record.pageScripts = options.settings.scripts;
      this.#record.answers = this.#answers;
      this.#scripts = fs.readdirSync(dirs.sharedAssets(temp)).filter(isBundleAsset);
      const kept: BundleRecord['images'] = {};
      for (const [file, hash] of this.#hashes)
        kept[file] = { hash, assets: this.#images[file]?.assets ?? [] };
      this.#images = kept;
    } catch {
      this.#record = undefined;
    }
  }

  /**
   * After a build that succeeded, whose output is in `output`: the kept bundle replaces the one
   * before, with hard links of the scripts and optimised images Astro made for it, so a build
   * whose output folder is empty (a CI run that kept only `.astro/cache/`) can render with it too.
   * A bundle's files are never changed or removed while a build may still render with them
   * (another build of the same output, started before this one ended): each bundle has a folder
   * of its own, named by its entry (whose name hashes what it imports), the record names the
   * newest, and the others are removed an hour after they were kept.
   */
  save(output: string): void {
    const temp = this.#temp;
    if (!temp) return;
    this.#temp = undefined;
    const dir = folderOf(this.#out, this.#root);
    try {
      if (!this.#record) throw new Error('nothing to keep');
      const record: BundleRecord = { ...this.#record, images: this.#images, scripts: this.#scripts };
      const name = bundleName(record);
      fs.mkdirSync(dir, { recursive: true });
      if (!fs.existsSync(path.join(dir, name))) fs.renameSync(path.join(temp, FILES), path.join(dir, name));
      const assets = path.join(dir, name, ASSETS);
      fs.mkdirSync(assets, { recursive: true });
      const folders = assetFolders(output);
      const needed = [...record.scripts, ...Object.values(record.images).flatMap((image) => image.assets)];
      for (const asset of needed) {
        if (fs.existsSync(path.join(assets, asset))) continue;
        const from = folders.map((folder) => path.join(folder, asset)).find((file) => fs.existsSync(file));
        if (from) linkOrCopy(from, path.join(assets, asset));
      }
      fs.writeFileSync(path.join(temp, RECORD), JSON.stringify(record));
      fs.renameSync(path.join(temp, RECORD), path.join(dir, RECORD));
      const now = Date.now();
      for (const entry of fs.readdirSync(dir))
        if (entry !== name && entry !== RECORD && now - fs.statSync(path.join(dir, entry)).mtimeMs > HOUR)
          fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
      pruneCache(this.#root, dir, (folder) => {
        const { out } = JSON.parse(fs.readFileSync(path.join(folder, RECORD), 'utf8')) as BundleRecord;
        return out;
      });
    } catch {
      // nothing kept, or an older bundle left as it was: the next build bundles again, or uses it
    } finally {
      fs.rmSync(temp, { recursive: true, force: true });
    }
  }

  /** For a build that stopped: nothing is kept. */
  discard(): void {
    if (this.#temp) fs.rmSync(this.#temp, { recursive: true, force: true });
    this.#temp = undefined;
  }
}

/** The page renderer's log lines: Astro's warnings and errors, as its build prints them. */
function astroLog(event: { level: string; label?: string | null; message: string }): boolean {
  if (event.level === 'warn' || event.level === 'error')
    process.stderr.write(`${event.label ? `[${event.label}] ` : ''}${event.message}\n`);
  return true;
}

/** The folder of the bundle kept for the output folder `out`. */
export function folderOf(out: string, root = BUNDLE_CACHE_DIR): string {
  return path.join(root, cacheNameOf(out));
}

/** Every brand's public and private assets folder in an output tree (none if it is not there). */
function assetFolders(tree: string): string[] {
  let brands: string[];
  try {
    brands = fs
      .readdirSync(tree, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_'))
      .map((entry) => entry.name);
  } catch {
    return [];
  }
  return brands.flatMap((brand) =>
    [dirs.public(tree, brand), dirs.private(tree, brand)].map((root) => dirs.assets(root)),
  );
}

/** The folder of a kept bundle's files, inside its output folder's: its entry's name. */
function bundleName(record: Pick<BundleRecord, 'entry'>): string {
  return record.entry.replace(/\.mjs$/, '');
}

function fileHash(file: string): string {
  try {
    return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return ''; // gone: no kept image matches it
  }
}

/** What the kept bundle's record holds (`record.json`, beside the bundle's files). */
interface BundleRecord {
  version: number;
  code: string;
  /** The output folder it serves (for pruning). */
  out: string;
  /** The bundle's entry, under `files/`. */
  entry: string;
  /** Each route's styles (`internals.pagesByKeys`), by Astro's key of the route. */
  styles: [key: string, styles: unknown[]][];
  entrySpecifiers: [string, string][];
  /** `settings.scripts` of Astro's build: what it adds to pages. */
  pageScripts: unknown[];
  /** What `getImage` asked the build (as JSON) and what the build answered. */
  answers: Record<string, string>;
  /** Each article image of the bundle's images module: its hash, and the files made of it. */
  images: Record<string, { hash: string; assets: string[] }>;
  /** The scripts (and styles) Astro's client build wrote beside the pages. */
  scripts: string[];
}

/** The parts of Astro's `BuildApp` (`astro/dist/core/build/app.js`) that render here. */
interface BundleApp {
  manifest: { routes: { routeData: { route: string } }[] };
  setInternals(internals: BundleInternals): void;
  setOptions(options: unknown): void;
  getOptions(): { settings: { scripts: unknown[] } };
  render(request: Request, options: { routeData: unknown }): Promise<Response>;
}

interface BundleInternals {
  pagesByKeys: Map<string, { styles: unknown[] }>;
  entrySpecifierToBundleMap: Map<string, string>;
}

type AssetGlobal = { astroAsset?: { addStaticImage?: (...question: unknown[]) => string } };

/** The origin Astro's build renders pages at when the config names no `site`. */
const ORIGIN = 'http://localhost:4321';

/** Where kept bundles live: Signpost's cache folder, beside the render and feed caches. */
export const BUNDLE_CACHE_DIR = path.join(PROJECT_ROOT, '.astro', 'cache', 'bundles');

const VERSION = 1;
/** Where `setup` copies the bundle's files, in the temporary folder. */
const FILES = 'files';
/** The scripts and optimised images kept with a bundle, in its folder. */
const ASSETS = 'assets';
const RECORD = 'record.json';
