import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Handoff } from '../integration/handoff.ts';
import { dirs, fileOf, rootFiles, urls } from '../routing/layout.ts';
import type { BrandSite, SiteData } from '../routing/types.ts';
import { escapeHtml } from './escape.ts';
import { linkOrCopy } from './link.ts';

/**
 * Everything a brand's deploy folder needs besides the Astro pages, the feeds and the Markdown
 * copies (`feed-files.ts`): the assets its pages use, brand images and the generated favicons
 * and manifest, `sitemap.xml`, `robots.txt`, `CNAME` and `_redirects`. Private pages' assets go to
 * the private tree only.
 */
export async function writeBrandFiles(
  outDir: string,
  site: SiteData,
  used: Handoff['usedAssets'],
): Promise<void> {
  const shared = dirs.sharedAssets(outDir);
  // Scripts and styles serve every page; images only the pages that show them.
  const common = (await fs.readdir(shared).catch(() => [] as string[])).filter(isBundleAsset);
  for (const brand of site.brands) {
    const publicDir = dirs.public(outDir, brand.id);
    const publicAssets = new Set([...(used.get(brand.id)?.public ?? []), ...common]);
    const privateAssets = [...(used.get(brand.id)?.private ?? [])].filter((a) => !publicAssets.has(a));
    copyAssets(shared, dirs.assets(publicDir), publicAssets);
    copyAssets(shared, dirs.assets(dirs.private(outDir, brand.id)), privateAssets);

    for (const [url, file] of Object.entries(brand.files))
      await copy(file, path.join(publicDir, fileOf(url)));
    for (const [url, make] of Object.entries(brand.generated))
      await write(path.join(publicDir, fileOf(url)), await make());
    await writeParts(path.join(publicDir, rootFiles.sitemap), sitemapParts(brand));
    await write(path.join(publicDir, rootFiles.robots), robots(brand));
    await write(path.join(publicDir, rootFiles.cname), `${brand.domain}\n`);
    await write(
      path.join(publicDir, rootFiles.redirects),
      brand.redirects.map((r) => `${r.from} ${r.to} 301`).join('\n') + '\n',
    );
  }
  await fs.rm(shared, { recursive: true, force: true });
}

/** A script or style of Astro's bundle, which every page of a brand may load (images are per page). */
export function isBundleAsset(name: string): boolean {
  return /\.(js|css|mjs)$/.test(name);
}

/** `sitemap.xml`: the pages visibility puts there, each with its language alternates. */
export function sitemap(brand: BrandSite): string {
  return [...sitemapParts(brand)].join('');
}

/**
 * `sitemap` in parts of a few hundred pages each, written one after the other: the whole text
 * at once (about 14 MB at 25,000 pages in five languages) and the pieces it was joined from left
 * the site build ~50 MB larger at its peak.
 */
function* sitemapParts(brand: BrandSite): Generator<string> {
  yield (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
  );
  let part = '';
  let count = 0;
  for (const page of brand.pages) {
    if (!page.sitemap) continue;
    const lastmod = page.kind === 'article' ? `<lastmod>${page.updated.slice(0, 10)}</lastmod>` : '';
    let alternates = '';
    for (const a of page.alternates)
      alternates += `<xhtml:link rel="alternate" hreflang="${a.hreflang}" href="${escapeHtml(a.href)}"/>`;
    part += `<url><loc>${escapeHtml(page.canonical)}</loc>${lastmod}${alternates}</url>\n`;
    if (++count % 500 === 0) {
      yield part;
      part = '';
    }
  }
  yield count === 0 ? '\n</urlset>\n' : `${part}</urlset>\n`; // as entries joined by newlines
}

export function robots(brand: BrandSite): string {
  return brand.indexing
    ? `User-agent: *\nAllow: /\n\nSitemap: ${brand.origin}${urls.sitemap()}\n`
    : 'User-agent: *\nDisallow: /\n';
}

/**
 * Puts the named assets of Astro's shared folder into a deploy root's: hard links (the shared
 * folder is this build's own and is deleted once every brand has its assets), made synchronously,
 * each folder once: 7 ms for 550 images at 1,000 x 3, where a copy each through libuv's threads
 * took 140-220 ms.
 * A name the render recorded but Astro did not write is left out.
 */
function copyAssets(from: string, to: string, names: Iterable<string>): void {
  const made = new Set<string>();
  for (const name of names) {
    const dir = path.dirname(path.join(to, name));
    if (!made.has(dir)) fsSync.mkdirSync(dir, { recursive: true });
    made.add(dir);
    try {
      linkOrCopy(path.join(from, name), path.join(to, name));
    } catch {
      // not written: nothing to put there
    }
  }
}

async function copy(from: string, to: string): Promise<void> {
  await fs.mkdir(path.dirname(to), { recursive: true });
  await fs.copyFile(from, to);
}

async function writeParts(file: string, parts: Iterable<string>): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const handle = await fs.open(file, 'w');
  try {
    for (const part of parts) await handle.write(part);
  } finally {
    await handle.close();
  }
}

async function write(file: string, text: string | Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, text);
}
