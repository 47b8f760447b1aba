import fs from 'node:fs/promises';
import path from 'node:path';
import * as pagefind from 'pagefind';
import { dirs } from '../routing/layout.ts';
import type { BrandSite, SiteData } from '../routing/types.ts';

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
 * its searchable private pages into the private tree's, never one inside the other. A tree with
 * nothing searchable gets an empty index rather than Pagefind's fallback of indexing every page.
 * Pagefind splits each index by the pages' `lang`, and reads only article title and body (the
 * pages mark them with `data-pagefind-body`); one index is held in memory at a time.
 */
export async function indexSite(outDir: string, site: SiteData): Promise<IndexStats> {
  const started = performance.now();
  let pages = 0;
  let bytes = 0;
  try {
    for (const brand of site.brands) {
      const trees = [
        { root: dirs.public(outDir, brand.id), private: false },
        { root: dirs.private(outDir, brand.id), private: true },
      ];
      for (const tree of trees) {
        // A brand without private pages has no private tree, and so no private index.
        if (tree.private && !brand.pages.some((p) => p.private)) continue;
        const written = await indexTree(brand, tree.root, tree.private);
        pages += written.pages;
        bytes += written.bytes;
      }
    }
  } finally {
    await pagefind.close();
  }
  return { seconds: (performance.now() - started) / 1000, bytes, pages };
}

async function indexTree(brand: BrandSite, root: string, privateTree: boolean) {
  const fail = (errors: string[]) => new Error(`search index for ${brand.id}: ${errors.join('; ')}`);
  const { index, errors } = await pagefind.createIndex({ rootSelector: 'html' });
  if (!index) throw fail(errors);
  // Pagefind reads the tree itself (in parallel) and skips pages without `data-pagefind-body`, but
  // indexes every page when none has one: a tree with nothing searchable gets an empty index.
  const searchable = brand.pages.some(
    (page) => page.kind === 'article' && page.searchable && page.private === privateTree,
  );
  if (searchable) {
    const added = await index.addDirectory({ path: root, glob: '**/*.html' });
    if (added.errors.length) throw fail(added.errors);
  }
  const output = dirs.searchIndex(root);
  const written = await index.writeFiles({ outputPath: output });
  if (written.errors.length) throw fail(written.errors);
  await index.deleteIndex();
  // `addDirectory` counts every HTML file it read; the entry file counts what was indexed.
  const entry = JSON.parse(await fs.readFile(path.join(output, 'pagefind-entry.json'), 'utf8')) as {
    languages: Record<string, { page_count: number }>;
  };
  const pages = Object.values(entry.languages).reduce((n, l) => n + l.page_count, 0);
  return { pages, bytes: await sizeOf(output) };
}

async function sizeOf(dir: string): Promise<number> {
  let total = 0;
  for (const entry of (await fs.readdir(dir, { recursive: true })) as string[]) {
    const stat = await fs.stat(path.join(dir, entry));
    if (stat.isFile()) total += stat.size;
  }
  return total;
}
