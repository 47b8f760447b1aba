import fs from 'node:fs/promises';
import path from 'node:path';
import type { BrandSite, PageData, SiteData } from '../routing/types.ts';
import { fileOf } from '../routing/urls.ts';

/**
 * Everything a brand's deploy folder needs besides the Astro pages: `404.html` in place, the
 * assets its pages use, brand images, `sitemap.xml`, `robots.txt`, `CNAME`, `_redirects` and the
 * Markdown copies of public articles. Private pages' assets go to the private tree only.
 */
export async function writeBrandFiles(outDir: string, site: SiteData): Promise<void> {
  const shared = path.join(outDir, '_astro');
  for (const brand of site.brands) {
    const publicDir = path.join(outDir, brand.id);
    const privateDir = path.join(outDir, '_private', brand.id);
    await moveIfExists(path.join(publicDir, '404', 'index.html'), path.join(publicDir, '404.html'));
    await fs.rm(path.join(publicDir, '404'), { recursive: true, force: true });

    // Only pages with images reference per-page assets; scripts and styles serve every page.
    const withImages = brand.pages.filter((p) => p.kind === 'article' && p.images.length > 0);
    const publicAssets = await assetsUsedIn(
      publicDir,
      withImages.filter((p) => !p.private),
    );
    const privateAssets = await assetsUsedIn(
      privateDir,
      withImages.filter((p) => p.private),
    );
    for (const name of await fs.readdir(shared).catch(() => [] as string[]))
      if (/\.(js|css|mjs)$/.test(name)) publicAssets.add(name);
    await copyAssets(shared, path.join(publicDir, '_astro'), publicAssets);
    await copyAssets(
      shared,
      path.join(privateDir, '_astro'),
      [...privateAssets].filter((a) => !publicAssets.has(a)),
    );

    for (const [url, file] of Object.entries(brand.files)) await copy(file, path.join(publicDir, url));
    for (const { url, markdown } of brand.markdownCopies)
      await write(path.join(publicDir, fileOf(url)), markdown);
    await write(path.join(publicDir, 'sitemap.xml'), sitemap(brand));
    await write(path.join(publicDir, 'robots.txt'), robots(brand));
    await write(path.join(publicDir, 'CNAME'), `${brand.domain}\n`);
    await write(
      path.join(publicDir, '_redirects'),
      brand.redirects.map((r) => `${r.from} ${r.to} 301`).join('\n') + '\n',
    );
  }
  await fs.rm(shared, { recursive: true, force: true });
}

/** Pages a search engine should list: public, indexable, real content. */
function sitemapPages(brand: BrandSite): PageData[] {
  return brand.pages.filter(
    (p) => !p.private && !p.noindex && (p.kind === 'home' || p.kind === 'collection' || p.kind === 'article'),
  );
}

export function sitemap(brand: BrandSite): string {
  const entries = sitemapPages(brand).map((page) => {
    const lastmod = page.kind === 'article' ? `<lastmod>${page.updated.slice(0, 10)}</lastmod>` : '';
    const alternates = page.alternates
      .map((a) => `<xhtml:link rel="alternate" hreflang="${a.hreflang}" href="${xml(a.href)}"/>`)
      .join('');
    return `<url><loc>${xml(page.canonical)}</loc>${lastmod}${alternates}</url>`;
  });
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n' +
    entries.join('\n') +
    '\n</urlset>\n'
  );
}

export function robots(brand: BrandSite): string {
  return brand.indexing
    ? `User-agent: *\nAllow: /\n\nSitemap: ${brand.origin}/sitemap.xml\n`
    : 'User-agent: *\nDisallow: /\n';
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

/** `/_astro/…` files referenced by the given built pages under `dir`. */
async function assetsUsedIn(dir: string, pages: PageData[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const page of pages) {
    const html = await fs.readFile(path.join(dir, fileOf(page.url)), 'utf8');
    for (const match of html.matchAll(/\/_astro\/([^"'\s),]+)/g)) found.add(match[1]!);
  }
  return found;
}

async function copyAssets(from: string, to: string, names: Iterable<string>): Promise<void> {
  for (const name of names) await copy(path.join(from, name), path.join(to, name)).catch(() => undefined);
}

async function copy(from: string, to: string): Promise<void> {
  await fs.mkdir(path.dirname(to), { recursive: true });
  await fs.copyFile(from, to);
}

async function write(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, text);
}

async function moveIfExists(from: string, to: string): Promise<void> {
  await fs.rename(from, to).catch(() => undefined);
}
