import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { notePageUses, type Handoff } from '../integration/handoff.ts';
import { isBundleAsset } from '../output/brand-files.ts';
import { linkOrCopy, linkOrCopyAsync } from '../output/link.ts';
import { FileWriter } from '../output/writer.ts';
import { dirs, treeFile } from '../routing/layout.ts';
import type { BrandSite, PageData, SiteData } from '../routing/types.ts';
import { pageHashes, type PageHashes } from '../search/input.ts';
import { codeVersion } from './build-stamp.ts';
import { checkPages } from './page-check.ts';

/**
 * The page cache of incremental builds: a page whose inputs are those it had in the previous
 * build is copied from the previous output instead of being rendered again.
 *
 * A page's inputs, hashed into its key:
 * - Signpost's code and dependencies (`codeVersion`): the templates, styles, scripts, UI strings;
 *   a change there renders every page again;
 * - its brand as route data (theme, chrome per language, images, fonts, search setup…), everything
 *   of `BrandSite` but the lists of pages and files;
 * - the page's own route data, which holds everything it shows (its rendered body, listings,
 *   breadcrumbs, alternates…), and the bytes of every article image it shows.
 * A page is copied only when its key is the one recorded AND the previous output still holds the
 * very bytes recorded for it; otherwise it is rendered. So the cache is right by construction, and
 * an incremental build is byte for byte a full one (a test builds both and compares).
 *
 * What a render also records (the optimised images a page uses, the inline scripts it runs) is
 * kept per page, so copied pages still get their assets and the gate its script hashes.
 */
export interface PageManifest {
  version: 2;
  code: string;
  /** Inline scripts, once each; pages name them by index. */
  scripts: string[];
  /** By output file (`acme/en/articles/x/index.html`, `_private/acme/…`). */
  pages: Record<string, PageRecord>;
}

interface PageRecord {
  key: string;
  /** SHA-256 of the page's HTML as written. */
  sha: string;
  /** `searchInputHash` of that HTML: what the search index reads of it (`search/index.ts`). */
  search: string;
  /** Asset file names (`_astro/…`) the page uses. */
  assets: string[];
  scripts: number[];
}

/** A page the previous output can give as it is. */
export interface Reused {
  brand: string;
  page: PageData;
  file: string;
  record: PageRecord;
}

/** Fields of `BrandSite` that list what the build writes rather than what a page shows. */
const OUTPUT_LISTS = new Set<keyof BrandSite>(['pages', 'redirects', 'markdownCopies', 'generated', 'files']);

const VERSION = 2;

export class PageCache {
  readonly code = codeVersion();
  readonly #previous: PageManifest | undefined;
  readonly #keys = new Map<PageData, string>();
  readonly #imageHashes = new Map<string, string>();
  /** Output files `plan` found unchanged, their bytes checked against the previous manifest. */
  readonly #reused = new Set<string>();
  /** This build's records, once `write` made them. */
  #written: Record<string, PageRecord> = {};
  /** The previous output's pages that still hold the bytes recorded (`page-check.ts`), being found. */
  readonly #intact: Promise<Set<string>> | undefined;

  readonly out: string;

  /**
   * Where the pages found intact were put as they were checked (`checkPages`' `into`): the new
   * output folder, or none (they are linked once planned, `linkPages`).
   */
  readonly #linkedInto: string | undefined;

  /**
   * The previous build's manifest in `out`, unless `fresh` (`--no-cache`) or the code changed.
   * `early`: the new output folder, into which each page found intact is put right away, in the
   * check's thread; `plan` takes out those it does not reuse.
   */
  constructor(out: string, fresh: boolean, early?: string) {
    this.out = out;
    if (fresh) return;
    try {
      const manifest = JSON.parse(fs.readFileSync(dirs.pageManifest(out), 'utf8')) as PageManifest;
      if (manifest.version === VERSION && manifest.code === this.code) this.#previous = manifest;
    } catch {
      // no previous build, or not one this code can trust: render everything
    }
    // Checked from now on, in a thread of its own, while the build loads the content.
    if (!this.#previous) return;
    this.#linkedInto = early;
    this.#intact = checkPages(
      out,
      Object.entries(this.#previous.pages).map(([file, record]) => [file, record.sha]),
      early,
    );
  }

  /** Splits the site's pages into those the previous output gives as they are, and the rest. */
  async plan(site: SiteData): Promise<{ reused: Reused[]; render: SiteData }> {
    const intact = (await this.#intact) ?? new Set<string>();
    const reused: Reused[] = [];
    const brands: BrandSite[] = [];
    for (const brand of site.brands) {
      const brandKey = this.#brandKey(brand);
      const render: PageData[] = [];
      for (const page of brand.pages) {
        const key = this.#pageKey(brandKey, page);
        this.#keys.set(page, key);
        const file = treeFile(brand.id, page.private, page.url);
        const record = this.#previous?.pages[file];
        if (record?.key === key && intact.has(file) && this.#hasAssets(brand.id, page, record)) {
          reused.push({ brand: brand.id, page, file, record });
          this.#reused.add(file);
        } else render.push(page);
      }
      brands.push({ ...brand, pages: render });
    }
    if (this.#linkedInto !== undefined) this.#unlinkUnused(this.#linkedInto, site);
    return { reused, render: { ...site, brands } };
  }

  /**
   * Takes out of `temp` the pages put there early (`checkPages`) that are not reused, before
   * anything writes there: each is a link to the previous output's file, which a write would change
   * in place. Every page the previous manifest records is looked at, not only those found intact:
   * a check's thread that failed part-way may have put others. The folder of a page the site no
   * longer has goes too, up to the first that holds something else.
   */
  #unlinkUnused(temp: string, site: SiteData): void {
    const pages = new Set(
      site.brands.flatMap((brand) => brand.pages.map((page) => treeFile(brand.id, page.private, page.url))),
    );
    for (const file of Object.keys(this.#previous?.pages ?? {})) {
      if (this.#reused.has(file)) continue;
      fs.rmSync(path.join(temp, file), { force: true });
      if (pages.has(file)) continue;
      for (let dir = path.dirname(file); dir !== '.'; dir = path.dirname(dir)) {
        try {
          fs.rmdirSync(path.join(temp, dir));
        } catch {
          break; // not empty
        }
      }
    }
  }

  /** Whether the previous output still holds every asset the page uses, for `restore` to take. */
  #hasAssets(brand: string, page: PageData, record: PageRecord): boolean {
    const root = page.private ? dirs.private(this.out, brand) : dirs.public(this.out, brand);
    return record.assets.every((name) => fs.existsSync(path.join(dirs.assets(root), name)));
  }

  /**
   * Puts the reused pages into the new output (`linkOrCopy`), unless they were put there as they
   * were checked (the constructor's `early`: nothing left to do). The build starts this before Astro's
   * and awaits it after: on a slow disk a folder per page takes seconds, which then pass while
   * Astro bundles and renders the other pages (it writes only the pages handed to it, never these).
   * With `thread`, a writer's thread makes the links, one synchronous call after another. Through
   * libuv's threads, four at a time, each call also cost this thread ~40 µs, and each waited for
   * Astro's work to let it go on: at 1,000 × 3, 3,070 pages took ~0.23 s of this thread and
   * 1.1 s in all, against 0.55–0.65 s in the writer's thread (Astro's bundle ~0.08 s shorter).
   */
  async linkPages(temp: string, reused: Reused[], thread: boolean): Promise<void> {
    if (reused.length === 0 || this.#linkedInto === temp) return;
    if (thread) {
      const writer = new FileWriter();
      try {
        await writer.write(
          reused.map(({ file }) => ({ file: path.join(temp, file), from: path.join(this.out, file) })),
        );
      } finally {
        await writer.close();
      }
      return;
    }
    let next = 0;
    const link = async () => {
      while (next < reused.length) {
        const { file } = reused[next++]!;
        await fsp.mkdir(path.dirname(path.join(temp, file)), { recursive: true });
        await linkOrCopyAsync(path.join(this.out, file), path.join(temp, file));
      }
    };
    await Promise.all([link(), link(), link(), link()]);
  }

  /**
   * Copies the assets of the reused pages (`linkPages`) into Astro's shared assets folder (when
   * this build's render did not make them), and adds what they record to the handoff, as if they
   * had been rendered.
   */
  restore(temp: string, reused: Reused[], handoff: Handoff): void {
    const shared = dirs.sharedAssets(temp);
    for (const { brand, page, record } of reused) {
      const scripts = record.scripts.map((i) => this.#previous!.scripts[i]!);
      notePageUses(handoff, brand, page.private, record.assets, scripts);
      for (const name of record.assets) {
        const target = path.join(shared, name);
        if (fs.existsSync(target)) continue;
        // The previous output has it in the tree the page was in (`plan` checked; named by content).
        const root = page.private ? dirs.private(this.out, brand) : dirs.public(this.out, brand);
        fs.mkdirSync(shared, { recursive: true });
        linkOrCopy(path.join(dirs.assets(root), name), target);
      }
    }
  }

  /**
   * The scripts and styles Astro's bundle gives every page, from the previous output, for a build
   * that renders no page at all (and so runs no Astro build). The same code makes the same files.
   */
  restoreBundle(temp: string, site: SiteData): void {
    const shared = dirs.sharedAssets(temp);
    fs.mkdirSync(shared, { recursive: true });
    for (const brand of site.brands) {
      const assets = dirs.assets(dirs.public(this.out, brand.id));
      for (const name of readdirOr(assets))
        if (isBundleAsset(name)) linkOrCopy(path.join(assets, name), path.join(shared, name));
    }
  }

  /**
   * Writes this build's manifest into `temp`: every page's key, the hash of its HTML as written,
   * and what its render recorded, this time (`rendered`, by output file) or the last. `written`
   * has the hashes of pages whose writer made them (by path in `temp`: see `FileWriter.hashes`).
   */
  write(
    temp: string,
    site: SiteData,
    rendered: Handoff['rendered'],
    written: ReadonlyMap<string, PageHashes> = new Map(),
  ): void {
    const scripts: string[] = [];
    const numbers = new Map<string, number>();
    const number = (text: string) => {
      let i = numbers.get(text);
      if (i === undefined) numbers.set(text, (i = scripts.push(text) - 1));
      return i;
    };
    const pages: Record<string, PageRecord> = {};
    for (const brand of site.brands)
      for (const page of brand.pages) {
        const file = treeFile(brand.id, page.private, page.url);
        const key = this.#keys.get(page);
        const before = this.#previous?.pages[file];
        // A copied page's bytes were checked against the hash recorded for them; one the writer
        // thread wrote was hashed there; one Astro rendered is read.
        const hashes = this.#reused.has(file)
          ? before
          : (written.get(path.join(temp, file)) ?? readHashes(path.join(temp, file)));
        if (!hashes || !key) continue;
        const made = rendered.get(file);
        const texts = made
          ? [...made.scripts]
          : (before?.scripts ?? []).map((i) => this.#previous!.scripts[i]!);
        pages[file] = {
          key,
          sha: hashes.sha,
          search: hashes.search,
          assets: [...(made?.assets ?? before?.assets ?? [])].sort(),
          scripts: texts.map(number),
        };
      }
    this.#written = pages;
    const manifest: PageManifest = {
      version: VERSION,
      code: this.code,
      scripts,
      pages,
    };
    fs.writeFileSync(dirs.pageManifest(temp), JSON.stringify(manifest));
  }

  /** The `searchInputHash` of a page as this build wrote it (asked after `write`). */
  searchInput(brand: string, page: PageData): string | undefined {
    return this.#written[treeFile(brand, page.private, page.url)]?.search;
  }

  #brandKey(brand: BrandSite): string {
    // The lists of pages, files and copies are outputs of their own; every other field is what a
    // page of the brand may show. Functions (the generated files' makers) have no JSON.
    const shown = Object.fromEntries(
      Object.entries(brand).filter(([field]) => !OUTPUT_LISTS.has(field as keyof BrandSite)),
    );
    return sha(
      JSON.stringify([
        this.code,
        shown,
        Object.keys(brand.generated).sort(),
        Object.keys(brand.files).sort(),
      ]),
    );
  }

  #pageKey(brandKey: string, page: PageData): string {
    if (page.kind !== 'article') return sha(JSON.stringify([brandKey, page]));
    const images = page.images.map((image) => this.#imageHash(image.file));
    // The body's render key stands for its HTML, which is most of the page's data: the key hashes
    // everything the HTML is made from (2 brands of 1,000 × 3: ~0.15 s less of the build's thread).
    const data = page.bodyKey === undefined ? page : { ...page, html: undefined };
    return sha(JSON.stringify([brandKey, data, images]));
  }

  #imageHash(file: string): string {
    let hash = this.#imageHashes.get(file);
    if (!hash) this.#imageHashes.set(file, (hash = sha(readOr(file) ?? Buffer.from('absent'))));
    return hash;
  }
}

function sha(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function readOr(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** `PageHashes` of a file as written, if it is there (the same as the writer thread's of its text). */
function readHashes(file: string): PageHashes | undefined {
  const bytes = readOr(file);
  return bytes && pageHashes(bytes);
}

function readdirOr(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
