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
    // Only JSON-LD data blocks; no script runs when the page loads.
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
    expect(scripts.every((attrs) => /type="application\/ld\+json"/.test(attrs ?? ''))).toBe(true);
    expect(html).not.toMatch(/\son(load|click|error)=/i);
  });
});
