import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, inject, it } from 'vitest';
import { filesUnder, read } from './helpers/dist.ts';

const dist = inject('exampleDist');
/** What an article page may weigh: HTML and CSS together, gzipped. */
const BUDGET = 15 * 1024;

const articles = filesUnder(path.join(dist, 'acme')).filter((f) =>
  /^[^/]+\/articles\/[^/]+\/index\.html$/.test(f),
);

describe('an article page is light', () => {
  it('has article pages to weigh', () => expect(articles.length).toBeGreaterThan(20));

  it.each(articles)('%s: at most 15 KB gzip of HTML + CSS, and no JavaScript before interaction', (file) => {
    const html = read(dist, `acme/${file}`);
    // Stylesheets are inlined; an external one would have to be counted too.
    expect(html).not.toMatch(/<link[^>]+rel="stylesheet"/);
    const gzip = zlib.gzipSync(html, { level: 9 }).length;
    expect(gzip, `${file} weighs ${gzip} bytes gzipped`).toBeLessThanOrEqual(BUDGET);
    // Only JSON-LD data blocks and search's loader, which just waits for the visitor to reach for
    // search (focus, click or "/") before it imports anything. A sign-in stub at a private URL is
    // a page like the others.
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({
      attrs: m[1] ?? '',
      body: m[2] ?? '',
    }));
    const code = scripts.filter((s) => !/type="application\/ld\+json"/.test(s.attrs));
    expect(code.map((s) => s.attrs.trim())).toEqual(
      code.length ? ['type="module" data-sp-search-loader'] : [],
    );
    // It also refuses forms inside article content and shows the gate's sign-out link.
    for (const loader of code) expect(loader.body.length).toBeLessThanOrEqual(700);
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/\son(load|click|error)=/i);
  });
});
