import fs from 'node:fs/promises';
import path from 'node:path';
import * as pagefind from 'pagefind';
import { dirs } from '../routing/layout.ts';
import type { SiteData } from '../routing/types.ts';

/** What indexing cost, for the build summary and the bench. */
export interface IndexStats {
  seconds: number;
  /** Bytes of every index written (public and private, all brands). */
  bytes: number;
  /** Pages in the indexes. */
  pages: number;
}

/**
 * Indexes every brand with Pagefind: the public pages into `<brand>/pagefind/` and the private
 * pages into `_private/<brand>/pagefind/`, never one inside the other. Pagefind splits each index
 * by the pages' `lang`, so a visitor searches in their language. Only article title and body are
 * indexed (the pages mark them with `data-pagefind-body`); one index is held in memory at a time.
 */
export async function indexSite(outDir: string, site: SiteData): Promise<IndexStats> {
  const started = performance.now();
  let pages = 0;
  let bytes = 0;
  try {
    for (const brand of site.brands) {
      for (const dir of [dirs.public(outDir, brand.id), dirs.private(outDir, brand.id)]) {
        if (!(await exists(dir))) continue;
        const { index, errors } = await pagefind.createIndex({ rootSelector: 'html' });
        if (!index) throw new Error(`search index for ${brand.id}: ${errors.join('; ')}`);
        const added = await index.addDirectory({ path: dir, glob: '**/*.html' });
        if (added.errors.length) throw new Error(`search index for ${brand.id}: ${added.errors.join('; ')}`);
        const output = dirs.searchIndex(dir);
        const written = await index.writeFiles({ outputPath: output });
        if (written.errors.length)
          throw new Error(`search index for ${brand.id}: ${written.errors.join('; ')}`);
        await index.deleteIndex();
        bytes += await sizeOf(output);
        // `addDirectory` counts every HTML file it read; the entry file counts what was indexed.
        const entry = JSON.parse(await fs.readFile(path.join(output, 'pagefind-entry.json'), 'utf8')) as {
          languages: Record<string, { page_count: number }>;
        };
        pages += Object.values(entry.languages).reduce((n, l) => n + l.page_count, 0);
      }
    }
  } finally {
    await pagefind.close();
  }
  return { seconds: (performance.now() - started) / 1000, bytes, pages };
}

async function exists(dir: string): Promise<boolean> {
  return fs.stat(dir).then(
    () => true,
    () => false,
  );
}

async function sizeOf(dir: string): Promise<number> {
  let total = 0;
  for (const entry of (await fs.readdir(dir, { recursive: true })) as string[]) {
    const stat = await fs.stat(path.join(dir, entry));
    if (stat.isFile()) total += stat.size;
  }
  return total;
}
