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
  const entry = JSON.parse(await fs.readFile(path.join(output, 'pagefind-entry.json'), 'utf8')) as {
    languages: Record<string, { page_count: number }>;
  };
  const pages = Object.values(entry.languages).reduce((n, l) => n + l.page_count, 0);
  return { pages, bytes: await sizeOf(output) };
}

/**
 * The public tree's index. Pagefind reads the tree itself (in parallel) and skips pages without
 * `data-pagefind-body`, but indexes every page when none has one: a tree with nothing searchable
 * gets an empty index.
 */
async function indexPublicTree(brand: BrandSite, root: string) {
  const index = await newIndex(brand);
  if (brand.pages.some((page) => page.kind === 'article' && page.searchable && !page.private)) {
    const added = await index.addDirectory({ path: root, glob: '**/*.html' });
    if (added.errors.length) throw indexError(brand, added.errors);
  }
  return finish(brand, index, dirs.searchIndex(root));
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
