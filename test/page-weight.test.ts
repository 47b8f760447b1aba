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

/** The analytics loader's texts on article URLs (each text: one hash in the gate's CSP). */
const loaders = new Set<string>();

describe('an article page is light', () => {
  it('has article pages to weigh', () => expect(articles.length).toBeGreaterThan(20));

  it.each(articles)('%s: at most 15 KB gzip of HTML + CSS, and no JavaScript before interaction', (file) => {
    const html = read(dist, `acme/${file}`);
    // Stylesheets are inlined; an external one would have to be counted too.
    expect(html).not.toMatch(/<link[^>]+rel="stylesheet"/);
    const gzip = zlib.gzipSync(html, { level: 9 }).length;
    expect(gzip, `${file} weighs ${gzip} bytes gzipped`).toBeLessThanOrEqual(BUDGET);
    // Only JSON-LD data blocks, search's loader, which just waits for the visitor to reach for
    // search (focus, click or "/") before it imports anything, and, because acme sets
    // `analytics.ga4` and `reactions`, the analytics loader. That one shows the consent banner
    // before the first paint where it must ask, and imports right after that paint: the consent
    // script (nothing comes from Google until "Accept") and the reactions script (it reveals "Was
    // this helpful?"), two small files under /_astro/ weighed below. A brand with neither gets no
    // analytics loader (analytics.test.ts). Because acme has private articles, the header's
    // sign-out link has a one-line script that shows it to a signed-in visitor, and loads nothing.
    // A sign-in stub at a private URL is a page like the others.
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({
      attrs: m[1] ?? '',
      body: m[2] ?? '',
    }));
    const code = scripts.filter((s) => !/type="application\/ld\+json"/.test(s.attrs));
    expect(code.map((s) => s.attrs.trim())).toEqual(
      code.length
        ? ['type="module" data-sp-analytics', 'data-sp-signout-reveal', 'type="module" data-sp-search-loader']
        : [],
    );
    // It also refuses forms inside article content.
    const [analytics, signOut, search] = code;
    if (search) expect(search.body.length).toBeLessThanOrEqual(700);
    if (signOut) {
      expect(signOut.body.length).toBeLessThanOrEqual(120);
      expect(signOut.body).not.toMatch(/import|fetch|src/);
    }
    if (analytics) {
      expect(analytics.body.length).toBeLessThanOrEqual(600);
      // Not one text per article: the gate's CSP lists each inline script's hash.
      loaders.add(analytics.body);
    }
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/\son(load|click|error)=/i);
  });

  it('has two analytics loader texts at most, whose scripts weigh at most 4 KB gzip together', () => {
    // Articles (with reactions) and sign-in stubs at private articles' URLs (without).
    expect(loaders.size).toBeLessThanOrEqual(2);
    const urls = new Set(
      [...loaders].flatMap((loader) => [...loader.matchAll(/"(\/_astro\/[^"]+\.js)"/g)].map((m) => m[1]!)),
    );
    expect(urls.size).toBe(2);
    const gzip = [...urls].reduce(
      (sum, url) => sum + zlib.gzipSync(read(dist, `acme${url}`), { level: 9 }).length,
      0,
    );
    expect(gzip).toBeLessThanOrEqual(4 * 1024);
  });
});
