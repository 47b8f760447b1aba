import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT, copyExample, type ExampleCopy } from './helpers/example.ts';

/**
 * Every brand option, one row each: the built page of a brand that sets it shows it, and the same
 * page of a brand that leaves it unset does not. One build of the example, with three more brands
 * on the small Globex help center so that each footer template is seen both full and bare, and
 * each card style once:
 *
 * | brand         | footer                                        | cards            |
 * | ------------- | --------------------------------------------- | ---------------- |
 * | acme          | multi-level: logo, groups, social, powered by | visual           |
 * | acme-eu       | classic: links                                | classic          |
 * | globex        | simple: links, social, powered by             | compact, no desc |
 * | classic-full  | classic: logo, links, social, powered by      | classic          |
 * | simple-bare   | simple, nothing else                          | classic          |
 * | multi-bare    | multi-level, nothing else                     | classic          |
 */
const EXTRA_BRANDS = {
  'classic-full': `name: Globex Classic
helpCenter: globex
languages: [en]
footer:
  template: classic
  logo: ./assets/globex-logo.png
  links:
    - { label: Contact, url: https://globex.test/contact }
  social:
    - { network: github, url: https://github.com/globex }
  poweredBy: true
`,
  'simple-bare': `name: Globex Simple
helpCenter: globex
languages: [en]
footer:
  template: simple
  poweredBy: false
`,
  'multi-bare': `name: Globex Multi
helpCenter: globex
languages: [en]
footer:
  template: multi-level
  poweredBy: false
`,
};

let copy: ExampleCopy;
let dist: string;

beforeAll(() => {
  copy = copyExample();
  copy.edit('brands/acme.yaml', (t) =>
    t
      .replace(/^theme: default$/m, 'theme: default\nstyling:\n  collectionCards: visual\n  cornerRadius: 4')
      // A section title of its own, not the default one ("Popular articles").
      .replace('en: Popular articles', 'en: Start here'),
  );
  copy.edit('brands/globex.yaml', (t) =>
    t
      .replace(
        /^theme: dark$/m,
        'theme: dark\nstyling:\n  collectionCards: compact\n  showDescriptions: false',
      )
      // GA4 without the banner; no header title or links, so the brand name stands alone.
      .replace(/^header:\n(?: .*\n)+/m, 'analytics:\n  ga4: G-GLOBEX1234\n  consent: implied\n\n'),
  );
  copy.edit('brands/acme-eu.yaml', (t) => t.replace(/^ {2}searchBar: medium\n/m, ''));
  for (const [id, text] of Object.entries(EXTRA_BRANDS)) copy.write(`brands/${id}.yaml`, text);
  dist = path.join(copy.root, 'dist');
  execFileSync(
    path.join(PROJECT, 'node_modules/.bin/node'),
    ['src/cli/main.ts', 'build', '--content', copy.content, '--out', dist],
    { cwd: PROJECT, stdio: 'pipe' },
  );
}, 180_000);

afterAll(() => copy?.remove());

/** A built page of a brand, and its published files. */
interface Site {
  brand: string;
  html: string;
  /** Bytes of a published file, by its URL. */
  file(url: string): Buffer | undefined;
}

const HOME = '/en/';
/** The 32 px favicon, drawn from `favicon`, else `icon`, else the neutral default. */
const FAVICON = '/_brand/favicon-32.png';
const ARTICLE = { main: '/en/articles/refunds/', globex: '/en/articles/quick-start/' };

function site(brand: string, url: string): Site {
  const root = path.join(dist, brand);
  const html = fs.readFileSync(path.join(root, url, 'index.html'), 'utf8');
  return {
    brand,
    html,
    file: (published) => {
      const file = path.join(root, published);
      return fs.existsSync(file) ? fs.readFileSync(file) : undefined;
    },
  };
}

const asset = (name: string) => fs.readFileSync(path.join(copy.content, 'brands/assets', name));
/** The opening tag of the first element with this class (attribute order aside). */
const has = (html: string, className: string) => new RegExp(`class="[^"]*\\b${className}\\b`).test(html);
const footer = (html: string) => html.slice(html.indexOf('<footer'));
const header = (html: string) => html.slice(html.indexOf('<header'), html.indexOf('</header>'));
const token = (html: string, name: string) => html.match(new RegExp(`--sp-${name}:([^;}]+)`))?.[1];

/** [option, brand and page that set it, brand and page that do not, what a visitor would see]. */
type Row = [string, [string, string], [string, string], (page: Site) => boolean];

const ROWS: Row[] = [
  // Identity
  [
    'icon (header logo fallback)',
    ['acme-eu', HOME],
    ['classic-full', HOME],
    (p) => /<a class="brand"[^>]*>\s*<img/.test(p.html),
  ],
  [
    'header.logo',
    ['acme', HOME],
    ['acme-eu', HOME],
    (p) => p.file('/_brand/logo.png')?.equals(asset('acme-logo.png')) ?? false,
  ],
  [
    'favicon',
    ['acme', HOME],
    ['classic-full', HOME],
    (p) => !p.file(FAVICON)!.equals(site('simple-bare', HOME).file(FAVICON)!),
  ],
  [
    'icon',
    ['acme', HOME],
    ['classic-full', HOME],
    (p) => p.file('/_brand/icon.png')?.equals(asset('acme-icon.png')) ?? false,
  ],
  [
    'socialImage',
    ['acme', HOME],
    ['acme-eu', HOME],
    (p) =>
      /<meta property="og:image" content="[^"]+\/_brand\/social\.png">/.test(p.html) &&
      /<meta name="twitter:image"/.test(p.html),
  ],
  [
    'domain',
    ['acme', HOME],
    ['acme-eu', HOME],
    (p) => p.html.includes('<link rel="canonical" href="https://help.acme.test/en/">'),
  ],
  [
    'indexing: false',
    ['acme-eu', HOME],
    ['acme', HOME],
    (p) => /<meta name="robots" content="noindex/.test(p.html),
  ],
  ['languages', ['acme', HOME], ['globex', HOME], (p) => p.html.includes('hreflang="de"')],
  [
    'privacy (sign-out link)',
    ['acme', HOME],
    ['globex', HOME],
    (p) => /<a class="sign-out" href="\/_auth\/logout"/.test(header(p.html)),
  ],
  // Styling
  ['styling.cornerRadius', ['acme', HOME], ['acme-eu', HOME], (p) => token(p.html, 'radius') === '4px'],
  ['styling.collectionCards: visual', ['acme', HOME], ['acme-eu', HOME], (p) => has(p.html, 'cards-visual')],
  [
    'styling.collectionCards: compact',
    ['globex', HOME],
    ['acme-eu', HOME],
    (p) => has(p.html, 'cards-compact'),
  ],
  [
    'collectionCards: classic (the default)',
    ['acme-eu', HOME],
    ['globex', HOME],
    (p) => has(p.html, 'cards-classic'),
  ],
  [
    'showDescriptions (styling.showDescriptions: false turns off)',
    ['classic-full', HOME],
    ['globex', HOME],
    (p) => /<li class="card">(?:(?!<\/li>)[\s\S])*<\/h3>\s*<p>/.test(p.html),
  ],
  ['theme colorScheme: dark', ['globex', HOME], ['acme', HOME], (p) => p.html.includes('color-scheme:dark')],
  // Header
  [
    'header.title',
    ['acme', HOME],
    ['globex', HOME],
    (p) => header(p.html).includes('<span>Acme Help Center</span>'),
  ],
  ['header.links', ['acme', HOME], ['globex', HOME], (p) => has(header(p.html), 'header-links')],
  // Hero
  [
    'hero.welcome',
    ['globex', HOME],
    ['classic-full', HOME],
    (p) => /<h1>(?!How can we help\?<)[^<]+<\/h1>/.test(p.html),
  ],
  ['hero.background.color', ['acme', HOME], ['globex', HOME], (p) => token(p.html, 'hero-bg') === '#0847a0'],
  [
    'hero.background.image',
    ['acme-eu', HOME],
    ['acme', HOME],
    (p) =>
      token(p.html, 'hero-image') === 'url("/_brand/hero.webp")' &&
      token(p.html, 'hero-image-narrow') === 'url("/_brand/hero-narrow.webp")' &&
      p.file('/_brand/hero.webp')?.subarray(8, 12).toString() === 'WEBP',
  ],
  [
    'hero.background.focus',
    ['acme-eu', HOME],
    ['acme', HOME],
    (p) => token(p.html, 'hero-position') === '75% 40%',
  ],
  ['hero.textColor', ['acme', HOME], ['globex', HOME], (p) => token(p.html, 'hero-text') === '#ffffff'],
  ['hero.searchBar: long', ['acme', HOME], ['acme-eu', HOME], (p) => has(p.html, 'search-long')],
  ['hero.searchBar: short', ['globex', HOME], ['acme-eu', HOME], (p) => has(p.html, 'search-short')],
  // Home sections
  ['home.sections: articles', ['acme', HOME], ['acme-eu', HOME], (p) => has(p.html, 'home-articles')],
  [
    'home.sections: content',
    ['acme', HOME],
    ['globex', HOME],
    (p) => has(p.html, 'home-content') && p.html.includes('<strong>onboarding webinar</strong>'),
  ],
  [
    'home.sections: tickets',
    ['acme', HOME],
    ['globex', HOME],
    (p) => has(p.html, 'home-tickets') && p.html.includes('href="https://app.acme.test/support/tickets/new"'),
  ],
  [
    'home section title',
    ['acme', HOME],
    ['globex', HOME],
    (p) => /<section class="home-articles">\s*<h2>Start here<\/h2>/.test(p.html),
  ],
  ['footer.template: simple', ['globex', HOME], ['acme', HOME], (p) => has(p.html, 'footer-simple')],
  [
    'footer.template: classic',
    ['classic-full', HOME],
    ['globex', HOME],
    (p) => has(p.html, 'footer-classic'),
  ],
  [
    'footer.template: multi-level',
    ['acme', HOME],
    ['classic-full', HOME],
    (p) => has(p.html, 'footer-multi-level'),
  ],
  [
    'footer.links in simple',
    ['globex', HOME],
    ['simple-bare', HOME],
    (p) => footer(p.html).includes('href="mailto:sales@globex.test"'),
  ],
  [
    'footer.links in classic',
    ['classic-full', HOME],
    ['multi-bare', HOME],
    (p) => footer(p.html).includes('href="https://globex.test/contact"'),
  ],
  [
    'footer.links groups in multi-level',
    ['acme', HOME],
    ['multi-bare', HOME],
    (p) => /<nav class="footer-links"[^>]*>\s*<div>\s*<h2>Product<\/h2>/.test(footer(p.html)),
  ],
  [
    'footer.logo in classic',
    ['classic-full', HOME],
    ['acme-eu', HOME],
    (p) =>
      /<img class="footer-logo" src="\/_brand\/footer-logo\.png"/.test(footer(p.html)) &&
      (p.file('/_brand/footer-logo.png')?.equals(asset('globex-logo.png')) ?? false),
  ],
  [
    'footer.logo in multi-level',
    ['acme', HOME],
    ['multi-bare', HOME],
    (p) => has(footer(p.html), 'footer-logo'),
  ],
  [
    'footer.social in simple',
    ['globex', HOME],
    ['simple-bare', HOME],
    (p) => /<nav class="social"[\s\S]*href="https:\/\/x\.com\/globex"[\s\S]*<svg/.test(footer(p.html)),
  ],
  [
    'footer.social in classic',
    ['classic-full', HOME],
    ['acme-eu', HOME],
    (p) => /<nav class="social"[\s\S]*<span class="visually-hidden">GitHub<\/span>/.test(footer(p.html)),
  ],
  [
    'footer.social in multi-level',
    ['acme', HOME],
    ['multi-bare', HOME],
    (p) => /<nav class="social"[\s\S]*<span class="visually-hidden">LinkedIn<\/span>/.test(footer(p.html)),
  ],
  [
    'footer.poweredBy in simple',
    ['globex', HOME],
    ['simple-bare', HOME],
    (p) => has(footer(p.html), 'powered'),
  ],
  [
    'footer.poweredBy in classic',
    ['classic-full', HOME],
    ['acme-eu', HOME],
    (p) => has(footer(p.html), 'powered'),
  ],
  [
    'footer.poweredBy in multi-level',
    ['acme', HOME],
    ['multi-bare', HOME],
    (p) => has(footer(p.html), 'powered'),
  ],
  // Analytics and reactions
  [
    'analytics.ga4',
    ['globex', HOME],
    ['acme-eu', HOME],
    (p) => p.html.includes('G-GLOBEX1234') && p.html.includes('data-sp-analytics'),
  ],
  [
    'analytics.consent: required (banner and footer link)',
    ['acme', HOME],
    ['globex', HOME],
    (p) => p.html.includes('data-sp-consent hidden') && p.html.includes('data-sp-consent-settings'),
  ],
  [
    'reactions.endpoint',
    ['acme', ARTICLE.main],
    ['globex', ARTICLE.globex],
    (p) => p.html.includes('https://api.acme.test/v1/help-center/reactions'),
  ],
  [
    'reactions (with an endpoint or GA4)',
    ['acme', ARTICLE.main],
    ['classic-full', ARTICLE.globex],
    (p) => p.html.includes('data-sp-reactions'),
  ],
];

describe('each brand option shows where it is set and nowhere else', () => {
  it.each(ROWS)('%s', (_option, [withBrand, withUrl], [withoutBrand, withoutUrl], shows) => {
    expect(shows(site(withBrand, withUrl)), `${withBrand} sets it`).toBe(true);
    expect(shows(site(withoutBrand, withoutUrl)), `${withoutBrand} does not`).toBe(false);
  });
});
