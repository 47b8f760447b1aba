import fs from 'node:fs/promises';
import path from 'node:path';
import * as pagefind from 'pagefind';
import { dirs, fileOf } from '../routing/layout.ts';
import type { ArticlePage, BrandSite, SiteData } from '../routing/types.ts';

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
export async function indexSite(outDir: string, site: SiteData): Promise<IndexStats> {
  const started = performance.now();
  let pages = 0;
  let bytes = 0;
  try {
    for (const brand of site.brands) {
      const counted = await indexPublicTree(brand, dirs.public(outDir, brand.id));
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
async function indexPublicTree(brand: BrandSite, root: string) {
  const output = dirs.searchIndex(root);
  const languages = [
    ...new Set(
      brand.pages.flatMap((page) =>
        page.kind === 'article' && page.searchable && !page.private ? [page.lang] : [],
      ),
    ),
  ].sort();
  if (languages.length === 0) return finish(brand, await newIndex(brand), output);
  let pages = 0;
  for (const lang of languages) {
    const index = await newIndex(brand);
    // Every page of a language lives under `/<lang>/` (see `urls`), and only there.
    const added = await index.addDirectory({ path: root, glob: `${lang}/**/*.html` });
    if (added.errors.length) throw indexError(brand, added.errors);
    const pass = `${output}.${lang}`;
    pages += (await finish(brand, index, pass)).pages;
    await mergeBundle(pass, output);
    // A fresh process for the next language: the indexer's memory goes with the old one.
    await pagefind.close();
  }
  return { pages, bytes: await sizeOf(output) };
}

/**
 * Moves one language's Pagefind bundle into `output`, adding its language to the entry file.
 * Pagefind names every per-language file by language and content hash, so bundles of different
 * languages never share a file name; the scripts and styles are the same in each. Pagefind has
 * no API that merges bundles at build time (its `mergeIndex` joins them in the browser, at the
 * cost of a request per bundle), hence this.
 */
async function mergeBundle(pass: string, output: string): Promise<void> {
  type Entry = { languages: Record<string, unknown> } & Record<string, unknown>;
  const readEntry = async (dir: string) =>
    JSON.parse(await fs.readFile(path.join(dir, ENTRY), 'utf8')) as Entry;
  const added = await readEntry(pass);
  const merged = await readEntry(output).then(
    (entry) => ({ ...entry, languages: { ...entry.languages, ...added.languages } }),
    () => added,
  );
  await fs.cp(pass, output, { recursive: true, force: true });
  await fs.writeFile(path.join(output, ENTRY), JSON.stringify(merged));
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
