import fs from 'node:fs/promises';
import path from 'node:path';
import * as pagefind from 'pagefind';
import { dirs, fileOf } from '../routing/layout.ts';
import type { ArticlePage, BrandSite, SiteData } from '../routing/types.ts';

/**
 * A previous output whose public index of a language may be kept: `same(brand, lang)` says the
 * index would read the very pages it read then (the page cache knows, `cli/page-cache.ts`).
 */
export interface Reuse {
  out: string;
  same(brand: string, lang: string): boolean;
}

/** What indexing cost, for the build summary and the bench. */
export interface IndexStats {
  seconds: number;
  /** Bytes of every index written (public and private, all brands). */
  bytes: number;
  /** Pages in the indexes. */
  pages: number;
}

/**
 * Indexes every brand with Pagefind: its searchable public pages into the public tree's index and
 * its searchable private pages into the private tree, one index per audience set, never one inside
 * the other. A tree with nothing searchable gets an empty index rather than Pagefind's fallback of
 * indexing every page.
 * Pagefind splits each index by the pages' `lang`, and reads only article title and body (the
 * pages mark them with `data-pagefind-body`); one index is held in memory at a time.
 */
export async function indexSite(outDir: string, site: SiteData, reuse?: Reuse): Promise<IndexStats> {
  const started = performance.now();
  let pages = 0;
  let bytes = 0;
  try {
    for (const brand of site.brands) {
      const counted = await indexPublicTree(brand, dirs.public(outDir, brand.id), reuse);
      pages += counted.pages;
      bytes += counted.bytes;
      for (const [audiences, list] of privateSets(brand)) {
        const written = await indexPrivateSet(brand, dirs.private(outDir, brand.id), audiences, list);
        pages += written.pages;
        bytes += written.bytes;
      }
    }
  } finally {
    await pagefind.close();
  }
  return { seconds: (performance.now() - started) / 1000, bytes, pages };
}

/** Pagefind's bundle manifest: its version and each language's index. */
const ENTRY = 'pagefind-entry.json';

async function newIndex(brand: BrandSite) {
  const { index, errors } = await pagefind.createIndex({ rootSelector: 'html' });
  if (!index) throw indexError(brand, errors);
  return index;
}

function indexError(brand: BrandSite, errors: string[]): Error {
  return new Error(`search index for ${brand.id}: ${errors.join('; ')}`);
}

/** Writes an index and reports what it holds (`addDirectory` counts every HTML file it read). */
async function finish(brand: BrandSite, index: pagefind.PagefindIndex, output: string) {
  const written = await index.writeFiles({ outputPath: output });
  if (written.errors.length) throw indexError(brand, written.errors);
  await index.deleteIndex();
  const entry = JSON.parse(await fs.readFile(path.join(output, ENTRY), 'utf8')) as {
    languages: Record<string, { page_count: number }>;
  };
  const pages = Object.values(entry.languages).reduce((n, l) => n + l.page_count, 0);
  return { pages, bytes: await sizeOf(output) };
}

/**
 * The public tree's index, built one language at a time. Pagefind reads a tree in parallel and
 * holds every page it indexes in memory until it writes the index, so a 24,000-page site in one
 * pass peaked at 4.6 GB; pages of one language share nothing with another's in the index (it is
 * split by `lang` anyway), so each language gets its own pass in a fresh Pagefind process, and the
 * passes' bundles are merged. Pagefind skips pages without `data-pagefind-body`, but indexes every
 * page when none has one: a tree with nothing searchable gets an empty index.
 */
async function indexPublicTree(brand: BrandSite, root: string, reuse: Reuse | undefined) {
  const output = dirs.searchIndex(root);
  const languages = [
    ...new Set(
      brand.pages.flatMap((page) =>
        page.kind === 'article' && page.searchable && !page.private ? [page.lang] : [],
      ),
    ),
  ].sort();
  if (languages.length === 0) return finish(brand, await newIndex(brand), output);
  const previous = reuse && dirs.searchIndex(dirs.public(reuse.out, brand.id));
  const kept = previous ? languages.filter((lang) => reuse!.same(brand.id, lang)) : [];
  if (previous && kept.length === languages.length) {
    // Not one page changed: the whole bundle, as it was.
    await fs.cp(previous, output, { recursive: true });
    return { pages: await pagesIn(output), bytes: await sizeOf(output) };
  }
  // The languages to index first: a kept language is copied into the bundle their passes wrote.
  const fresh = languages.filter((lang) => !kept.includes(lang));
  for (const lang of kept) if (!(await keepLanguage(previous!, output, lang))) fresh.push(lang);
  for (const lang of fresh) {
    const index = await newIndex(brand);
    // Every page of a language lives under `/<lang>/` (see `urls`), and only there.
    const added = await index.addDirectory({ path: root, glob: `${lang}/**/*.html` });
    if (added.errors.length) throw indexError(brand, added.errors);
    const pass = `${output}.${lang}`;
    await finish(brand, index, pass);
    await mergeBundle(pass, output);
    // A fresh process for the next language: the indexer's memory goes with the old one.
    await pagefind.close();
  }
  return { pages: await pagesIn(output), bytes: await sizeOf(output) };
}

/**
 * Copies one language's index from a previous bundle into `output` (after at least one pass has
 * written Pagefind's scripts there): its files are those named by the language (`en_…` in `index/`,
 * `fragment/` and `filter/`, the language's `pf_meta` and `wasm.<lang>.pagefind`), and its entry.
 * False when the previous bundle has no such language, so it is indexed instead.
 */
async function keepLanguage(previous: string, output: string, lang: string): Promise<boolean> {
  return copyLanguage(previous, output, lang).catch(() => false);
}

async function copyLanguage(previous: string, output: string, lang: string): Promise<boolean> {
  const entry = JSON.parse(await fs.readFile(path.join(previous, ENTRY), 'utf8')) as {
    languages: Record<string, { hash: string; wasm: string | null }>;
  };
  const key = Object.keys(entry.languages).find((k) => k.toLowerCase() === lang.toLowerCase());
  if (!key) return false;
  const { hash, wasm } = entry.languages[key]!;
  const files = [`pagefind.${hash}.pf_meta`, ...(wasm ? [`wasm.${wasm}.pagefind`] : [])];
  for (const folder of ['index', 'fragment', 'filter'])
    for (const name of await fs.readdir(path.join(previous, folder)).catch(() => [] as string[]))
      if (name.startsWith(`${key}_`)) files.push(path.join(folder, name));
  for (const file of files) {
    await fs.mkdir(path.dirname(path.join(output, file)), { recursive: true });
    await fs.copyFile(path.join(previous, file), path.join(output, file));
  }
  await addLanguages(output, { ...entry, languages: { [key]: entry.languages[key] } });
  return true;
}

type Entry = { languages: Record<string, unknown> } & Record<string, unknown>;

/**
 * Adds the languages of `added` (an entry of another bundle) to the entry file in `output`, or
 * writes it there. Languages in sorted order, as one pass over all of them would list them, so the
 * file is the same whichever passes made the bundle.
 */
async function addLanguages(output: string, added: Entry): Promise<void> {
  const file = path.join(output, ENTRY);
  const current = await fs.readFile(file, 'utf8').then(
    (text) => JSON.parse(text) as Entry,
    () => ({ ...added, languages: {} }),
  );
  const languages = Object.entries({ ...current.languages, ...added.languages }).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  await fs.mkdir(output, { recursive: true });
  await fs.writeFile(file, JSON.stringify({ ...current, languages: Object.fromEntries(languages) }));
}

/** How many pages a written bundle holds, by its entry file. */
async function pagesIn(output: string): Promise<number> {
  const entry = JSON.parse(await fs.readFile(path.join(output, ENTRY), 'utf8')) as {
    languages: Record<string, { page_count: number }>;
  };
  return Object.values(entry.languages).reduce((n, l) => n + l.page_count, 0);
}

/**
 * Moves one language's Pagefind bundle into `output`, adding its language to the entry file.
 * Pagefind names every per-language file by language and content hash, so bundles of different
 * languages never share a file name; the scripts and styles are the same in each. Pagefind has
 * no API that merges bundles at build time (its `mergeIndex` joins them in the browser, at the
 * cost of a request per bundle), hence this.
 */
async function mergeBundle(pass: string, output: string): Promise<void> {
  const added = JSON.parse(await fs.readFile(path.join(pass, ENTRY), 'utf8')) as Entry;
  await fs.rm(path.join(pass, ENTRY));
  await fs.cp(pass, output, { recursive: true, force: true });
  await addLanguages(output, added);
  await fs.rm(pass, { recursive: true, force: true });
}

/**
 * Searchable private pages grouped by their audience set: each set gets its own index, which the
 * gate serves only to visitors those audiences admit, so no index tells anyone what they may not read.
 */
function privateSets(brand: BrandSite): Map<string, ArticlePage[]> {
  const sets = new Map<string, ArticlePage[]>();
  for (const page of brand.pages)
    if (page.kind === 'article' && page.private && page.searchable) {
      const key = [...page.audiences].sort().join('\n');
      sets.set(key, [...(sets.get(key) ?? []), page]);
    }
  return sets;
}

/** One audience set's private index, from exactly its pages (private trees are small). */
async function indexPrivateSet(brand: BrandSite, root: string, key: string, list: ArticlePage[]) {
  const index = await newIndex(brand);
  for (const page of list) {
    const content = await fs.readFile(path.join(root, fileOf(page.url)), 'utf8');
    const added = await index.addHTMLFile({ url: page.url, content });
    if (added.errors.length) throw indexError(brand, added.errors);
  }
  return finish(brand, index, dirs.searchIndex(root, key ? key.split('\n') : []));
}

async function sizeOf(dir: string): Promise<number> {
  let total = 0;
  for (const entry of (await fs.readdir(dir, { recursive: true })) as string[]) {
    const stat = await fs.stat(path.join(dir, entry));
    if (stat.isFile()) total += stat.size;
  }
  return total;
}
