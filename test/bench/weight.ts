/**
 * What a built site weighs: bytes of a folder, and what one page makes a browser download (its
 * HTML, and the CSS and JS it loads at once, inline or linked), raw and gzipped. Scripts a page
 * imports later (the search UI when the visitor reaches for it) are not counted: the first load
 * is what the figure is about.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/** Bytes of every file under `dir` (0 when it does not exist). */
export function folderBytes(dir: string): number {
  let total = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += folderBytes(full);
    else if (entry.isFile()) total += fs.statSync(full).size;
  }
  return total;
}

/** The first `index.html` under `dir` whose folder is named `name` (depth-first, sorted). */
export function findPage(dir: string, name: string): string | undefined {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const full = path.join(dir, entry.name);
    if (entry.name === name && fs.existsSync(path.join(full, 'index.html')))
      return path.join(full, 'index.html');
    const found = findPage(full, name);
    if (found) return found;
  }
  return undefined;
}

export interface Bytes {
  raw: number;
  gzip: number;
}

export interface PageWeight {
  /** The HTML document (with whatever CSS and JS it inlines). */
  html: Bytes;
  /** Inline `<style>` and linked stylesheets. */
  css: Bytes;
  /** Inline scripts (not JSON data blocks) and `<script src>` files. */
  js: Bytes;
}

const measure = (texts: (string | Buffer)[]): Bytes => {
  const all = Buffer.concat(texts.map((t) => (typeof t === 'string' ? Buffer.from(t) : t)));
  return { raw: all.length, gzip: all.length ? zlib.gzipSync(all, { level: 9 }).length : 0 };
};

/** Weighs a page; `siteRoot` is the folder its root-relative URLs (`/_astro/…`) point into. */
export function pageWeight(file: string, siteRoot: string): PageWeight {
  const html = fs.readFileSync(file, 'utf8');
  const local = (href: string): Buffer | undefined => {
    if (/^(https?:)?\/\//.test(href)) return undefined;
    const clean = decodeURI(href.split(/[?#]/)[0] ?? '');
    const target = clean.startsWith('/') ? path.join(siteRoot, clean) : path.join(path.dirname(file), clean);
    return fs.existsSync(target) ? fs.readFileSync(target) : undefined;
  };
  const css: (string | Buffer)[] = [];
  const js: (string | Buffer)[] = [];
  for (const m of html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)) css.push(m[1] ?? '');
  for (const m of html.matchAll(/<link\b[^>]*>/gi)) {
    const tag = m[0];
    if (!/rel=["']?stylesheet/i.test(tag)) continue;
    const href = /href=["']?([^"'\s>]+)/i.exec(tag)?.[1];
    const bytes = href ? local(href) : undefined;
    if (bytes) css.push(bytes);
  }
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const attrs = m[1] ?? '';
    const type = /type=["']?([^"'\s>]+)/i.exec(attrs)?.[1];
    if (type && !/module|javascript/i.test(type)) continue; // JSON-LD and other data
    const src = /src=["']?([^"'\s>]+)/i.exec(attrs)?.[1];
    if (src) {
      const bytes = local(src);
      if (bytes) js.push(bytes);
    } else js.push(m[2] ?? '');
  }
  return { html: measure([html]), css: measure(css), js: measure(js) };
}
