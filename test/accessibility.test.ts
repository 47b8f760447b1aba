import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, serveStatic } from './helpers/browser.ts';
import { PROJECT, copyExample, type ExampleCopy } from './helpers/example.ts';

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser;
let darkCopy: ExampleCopy;
const servers: Awaited<ReturnType<typeof serveStatic>>[] = [];
const sites: Record<'default' | 'dark', string> = { default: '', dark: '' };
/** More brands' sites, by `<theme>/<brand>`. */
const brandSites: Record<string, string> = {};

beforeAll(async () => {
  // The dark theme is one line in the brand file; build the example once more with it.
  darkCopy = copyExample();
  // Each card style once across the sweeps: the example's acme and acme-eu are classic.
  darkCopy.edit('brands/acme.yaml', (t) =>
    t.replace(/^theme: default$/m, 'theme: dark\nstyling:\n  collectionCards: visual'),
  );
  darkCopy.edit('brands/globex.yaml', (t) =>
    t.replace(/^theme: dark$/m, 'theme: dark\nstyling:\n  collectionCards: compact'),
  );
  const dark = path.join(darkCopy.root, 'dist');
  execFileSync(
    path.join(PROJECT, 'node_modules/.bin/node'),
    ['src/cli/main.ts', 'build', '--content', darkCopy.content, '--out', dark],
    {
      cwd: PROJECT,
      stdio: 'ignore',
    },
  );
  browser = await launchBrowser();
  for (const [theme, dist] of [
    ['default', inject('exampleDist')],
    ['dark', dark],
  ] as const) {
    const server = await serveStatic(path.join(dist, 'acme'));
    servers.push(server);
    sites[theme] = server.url;
    for (const brand of ['acme-eu', 'globex']) {
      const other = await serveStatic(path.join(dist, brand));
      servers.push(other);
      brandSites[`${theme}/${brand}`] = other.url;
    }
  }
});
afterAll(async () => {
  await browser?.close();
  for (const server of servers) await server.close();
  darkCopy?.remove();
});

const pageKinds = (lang: string) => [
  ['home', `/${lang}/`],
  ['collection', `/${lang}/collections/billing/`],
  ['article', `/${lang}/articles/refunds/`],
  ['article with code, table and image', `/en/articles/download-invoices/`],
  ['not found', '/404.html'],
];

/**
 * axe's serious and critical violations on a page, after its scripts ran (the consent banner shows
 * on a first visit); `before` may check what the page shows first.
 */
async function violationsOn(url: string, before?: (page: Page) => Promise<void>): Promise<string[]> {
  const page = await browser.newPage();
  try {
    await page.goto(url);
    await before?.(page);
    await page.addScriptTag({ content: axeSource });
    return await page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: {
            run(): Promise<{
              violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
            }>;
          };
        }
      ).axe;
      const result = await axe.run();
      return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map(
          (v) =>
            `${v.impact} ${v.id}: ${v.nodes
              .map((n) => n.target.join(' '))
              .slice(0, 3)
              .join(', ')}`,
        );
    });
  } finally {
    await page.close();
  }
}

describe.each(['default', 'dark'] as const)(
  'axe finds no serious or critical violation: %s theme',
  (theme) => {
    it.each(['en', 'ar'].flatMap((lang) => pageKinds(lang).map(([kind, url]) => [lang, kind, url])))(
      '%s %s (%s)',
      async (_lang, _kind, url) => {
        expect(await violationsOn(sites[theme] + url!)).toEqual([]);
      },
    );
  },
);

describe('axe with every footer template, card style and the consent banner', () => {
  const consentShown = async (page: Page) => {
    await page.locator('[data-sp-consent]').waitFor({ state: 'visible' });
  };
  const sweeps: [string, () => string, ((page: Page) => Promise<void>) | undefined][] = [
    ['multi-level footer, classic cards, consent banner (light)', () => `${sites.default}/en/`, consentShown],
    ['multi-level footer, visual cards, consent banner (dark)', () => `${sites.dark}/en/`, consentShown],
    ['classic footer, classic cards, hero image', () => `${brandSites['default/acme-eu']}/en/`, undefined],
    ['simple footer, classic cards (dark theme)', () => `${brandSites['default/globex']}/en/`, undefined],
    ['simple footer, compact cards (dark theme)', () => `${brandSites['dark/globex']}/en/`, undefined],
  ];
  it.each(sweeps)('%s', async (_what, url, before) => {
    expect(await violationsOn(url(), before)).toEqual([]);
  });
});
