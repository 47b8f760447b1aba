import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uiStrings } from '../src/i18n/index.ts';
import { launchBrowser, recordLayoutShifts, serveStatic, totalShift } from './helpers/browser.ts';
import { PROJECT, copyExample, type ExampleCopy } from './helpers/example.ts';

/**
 * GA4 behind Consent Mode in a real browser. Every request to a Google host is answered here with
 * an empty script, so nothing leaves the machine, and recorded, so a test can say when it went.
 */
const en = uiStrings('en');
let browser: Browser;
const servers: Awaited<ReturnType<typeof serveStatic>>[] = [];
const sites = { acme: '', globex: '', implied: '' };
let impliedCopy: ExampleCopy;

beforeAll(async () => {
  // `consent: implied` is one line in the brand file; build the example once more with it.
  impliedCopy = copyExample();
  impliedCopy.edit('brands/acme.yaml', (t) => t.replace(/^ {2}consent: required$/m, '  consent: implied'));
  const implied = path.join(impliedCopy.root, 'dist');
  execFileSync(
    path.join(PROJECT, 'node_modules/.bin/node'),
    ['src/cli/main.ts', 'build', '--content', impliedCopy.content, '--out', implied],
    { cwd: PROJECT, stdio: 'ignore' },
  );
  browser = await launchBrowser();
  for (const [site, root] of [
    ['acme', path.join(inject('exampleDist'), 'acme')],
    ['globex', path.join(inject('exampleDist'), 'globex')],
    ['implied', path.join(implied, 'acme')],
  ] as const) {
    const server = await serveStatic(root);
    servers.push(server);
    sites[site] = server.url;
  }
});
afterAll(async () => {
  await browser?.close();
  for (const server of servers) await server.close();
  impliedCopy?.remove();
});

interface Visit {
  context: BrowserContext;
  page: Page;
  /** Every URL requested from a Google host, in order. */
  google: string[];
  /** Every same-origin path requested. */
  own: string[];
}

/** A fresh visitor (empty storage), optionally sending Global Privacy Control. */
async function visitor(options: { gpc?: boolean } = {}): Promise<Visit> {
  const context = await browser.newContext();
  const google: string[] = [];
  const own: string[] = [];
  await context.route(
    (url) => /(^|\.)(google|googletagmanager|google-analytics|doubleclick)\./.test(url.hostname),
    (route) => {
      google.push(route.request().url());
      return route.fulfill({ status: 200, contentType: 'text/javascript', body: '' });
    },
  );
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.hostname === '127.0.0.1') own.push(url.pathname);
  });
  if (options.gpc)
    await context.addInitScript(() =>
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }),
    );
  const page = await context.newPage();
  return { context, page, google, own };
}

/** `window.dataLayer` as plain arrays (gtag pushes `arguments` objects). */
function dataLayer(page: Page): Promise<unknown[][]> {
  return page.evaluate(() =>
    ((window as unknown as { dataLayer?: ArrayLike<unknown>[] }).dataLayer ?? []).map((entry) =>
      Array.from(entry).map((value) => (value instanceof Date ? 'date' : value)),
    ),
  );
}

const hasGtag = (page: Page) =>
  page.evaluate(() => typeof (window as { gtag?: unknown }).gtag === 'function');
const DENIED = {
  analytics_storage: 'denied',
  ad_storage: 'denied',
  ad_user_data: 'denied',
  ad_personalization: 'denied',
};

describe('a brand with GA4 and consent required', () => {
  it('loads nothing from Google until the visitor accepts, then reports the page view with brand and language', async () => {
    const { context, page, google } = await visitor();
    await page.goto(`${sites.acme}/de/articles/refunds/`, { waitUntil: 'networkidle' });
    const de = uiStrings('de');
    const banner = page.getByRole('region', { name: de('consent.title') });
    await expect.poll(() => banner.isVisible()).toBe(true);
    expect(google).toEqual([]);
    expect(await hasGtag(page)).toBe(false);
    // The defaults are queued before anything could load the tag.
    expect(await dataLayer(page)).toEqual([['consent', 'default', DENIED]]);

    // Keyboard: the banner's buttons are in the tab order, before the header.
    const accept = banner.getByRole('button', { name: de('consent.accept') });
    await accept.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => google.length).toBeGreaterThan(0);
    expect(google[0]).toBe('https://www.googletagmanager.com/gtag/js?id=G-ACME12345');
    expect(await dataLayer(page)).toEqual([
      ['consent', 'default', DENIED],
      ['consent', 'update', { analytics_storage: 'granted' }],
      ['js', 'date'],
      ['config', 'G-ACME12345', { brand: 'acme', language: 'de' }],
    ]);
    expect(await banner.isVisible()).toBe(false);
    expect(await hasGtag(page)).toBe(true);

    // Remembered: the next page loads the tag at once and asks nothing.
    google.length = 0;
    await page.goto(`${sites.acme}/en/`, { waitUntil: 'networkidle' });
    expect(google).toEqual(['https://www.googletagmanager.com/gtag/js?id=G-ACME12345']);
    expect(await page.getByRole('region', { name: en('consent.title') }).isVisible()).toBe(false);
    expect((await dataLayer(page)).at(-1)).toEqual([
      'config',
      'G-ACME12345',
      { brand: 'acme', language: 'en' },
    ]);
    await context.close();
  });

  it('sends the search terms a visitor settles on once analytics runs', async () => {
    const { context, page } = await visitor();
    await page.goto(`${sites.acme}/en/`);
    await page.getByRole('button', { name: en('consent.accept') }).click();
    const box = page.getByLabel(en('search.label')).first();
    await box.click();
    await box.fill('refund');
    await expect
      .poll(async () => (await dataLayer(page)).filter((e) => e[0] === 'event'), { timeout: 10_000 })
      .toEqual([['event', 'search', { search_term: 'refund' }]]);
    await context.close();
  });

  it('declining loads nothing, now or on the next page, and the footer link lets the visitor change their mind', async () => {
    const { context, page, google } = await visitor();
    await page.goto(`${sites.acme}/en/articles/refunds/`);
    await page.getByRole('button', { name: en('consent.decline') }).click();
    expect(await page.getByRole('region', { name: en('consent.title') }).isVisible()).toBe(false);
    await page.goto(`${sites.acme}/en/articles/reset-password/`, { waitUntil: 'networkidle' });
    expect(await page.getByRole('region', { name: en('consent.title') }).isVisible()).toBe(false);
    expect(google).toEqual([]);
    expect(await hasGtag(page)).toBe(false);

    const settings = page.getByRole('contentinfo').getByRole('button', { name: en('consent.settings') });
    await settings.click();
    const accept = page.getByRole('button', { name: en('consent.accept') });
    await expect.poll(() => accept.isVisible()).toBe(true);
    // Opened on purpose: the focus goes to the question.
    expect(await accept.evaluate((b) => b === document.activeElement)).toBe(true);
    await accept.click();
    await expect.poll(() => google.length).toBe(1);

    // …and back: consent withdrawn, `gtag` gone, so nothing more is reported.
    await settings.click();
    await page.getByRole('button', { name: en('consent.decline') }).click();
    expect((await dataLayer(page)).at(-1)).toEqual(['consent', 'update', { analytics_storage: 'denied' }]);
    expect(await hasGtag(page)).toBe(false);
    await context.close();
  });

  it('takes Global Privacy Control as a refusal: no banner, nothing loaded', async () => {
    const { context, page, google } = await visitor({ gpc: true });
    await page.goto(`${sites.acme}/en/articles/refunds/`, { waitUntil: 'networkidle' });
    expect(
      await page.evaluate(() => (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl),
    ).toBe(true);
    // The script ran (the reactions it also loads are shown), and decided to ask nothing.
    await expect.poll(() => page.getByRole('group', { name: en('article.helpful') }).isVisible()).toBe(true);
    expect(await page.getByRole('region', { name: en('consent.title') }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: en('consent.settings') }).isVisible()).toBe(false);
    expect(google).toEqual([]);
    expect(await hasGtag(page)).toBe(false);
    await context.close();
  });
});

describe('a brand with GA4 and consent implied', () => {
  it('loads the tag at once, with no banner and no cookie settings, unless the browser sends GPC', async () => {
    const { context, page, google } = await visitor();
    await page.goto(`${sites.implied}/en/articles/refunds/`, { waitUntil: 'networkidle' });
    expect(google).toEqual(['https://www.googletagmanager.com/gtag/js?id=G-ACME12345']);
    expect((await dataLayer(page)).slice(0, 2)).toEqual([
      ['consent', 'default', DENIED],
      ['consent', 'update', { analytics_storage: 'granted' }],
    ]);
    const html = await page.content();
    expect(html).not.toContain('data-sp-consent');
    await context.close();

    const gpc = await visitor({ gpc: true });
    await gpc.page.goto(`${sites.implied}/en/articles/refunds/`, { waitUntil: 'networkidle' });
    expect(gpc.google).toEqual([]);
    await gpc.context.close();
  });
});

describe('the consent banner and the reactions, shown', () => {
  const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  it.each(['en', 'ar'])('%s: axe finds no serious or critical violation', async (lang) => {
    const { context, page } = await visitor();
    await page.goto(`${sites.acme}/${lang}/articles/refunds/`);
    const t = uiStrings(lang);
    await expect.poll(() => page.getByRole('region', { name: t('consent.title') }).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('group', { name: t('article.helpful') }).isVisible()).toBe(true);
    await page.addScriptTag({ content: axeSource });
    const violations = await page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: {
            run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
          };
        }
      ).axe;
      return (await axe.run()).violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    expect(violations).toEqual([]);
    await context.close();
  });

  // A phone, and a window tall enough to show the whole article with the question and the footer's
  // cookie settings, which the scripts reveal after the first paint.
  it.each([
    ['on a phone', { width: 375, height: 667 }],
    ['in a window that shows the whole page', { width: 1280, height: 3000 }],
  ])(
    '%s, moves nothing when it appears, when the scripts run or when the images arrive, and leaves the end of the page reachable',
    async (_, viewport) => {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      // A slow phone's CPU while the page loads: Chromium paints before it has parsed the whole
      // page, so what the parser adds later (the header's menu, the footer's rows) must not move
      // what was painted. Full speed again once it has loaded, for the waits below.
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 8 });
      await page.route(
        (url) => /google/.test(url.hostname),
        (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: '' }),
      );
      // Images (the logo, the author's avatar) arrive late, as on a slow network: their room is kept.
      await page.route(/\.(png|jpe?g|webp|avif|svg)$/, async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 500));
        await route.continue();
      });
      // Every layout shift the browser records, from the first paint on, with what moved, from where to where.
      const shifts = await recordLayoutShifts(page);
      await page.goto(`${sites.acme}/en/articles/refunds/`);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      const banner = page.getByRole('region', { name: en('consent.title') });
      // The scripts have run: the banner's buttons work, the question and the cookie settings show.
      await expect
        .poll(() => banner.getByRole('button', { name: en('consent.accept') }).isEnabled())
        .toBe(true);
      await expect
        .poll(() => page.getByRole('group', { name: en('article.helpful') }).isVisible())
        .toBe(true);
      const settings = page.getByRole('contentinfo').getByRole('button', { name: en('consent.settings') });
      await expect.poll(() => settings.isVisible()).toBe(true);
      await expect
        .poll(() =>
          page.evaluate(() =>
            // Those in view: a lazy image below it is not fetched yet.
            [...document.images]
              .filter((image) => image.getBoundingClientRect().top < window.innerHeight)
              .every((image) => image.complete),
          ),
        )
        .toBe(true);
      const [shifted, moved] = totalShift(await shifts());
      expect(shifted, moved).toBeLessThan(0.001);
      // Scrolled to the end, the page's last line sits above the banner, not under it.
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      const box = (await banner.boundingBox())!;
      const last = (await page.locator('footer .powered, footer .bar > :last-child').last().boundingBox())!;
      expect(last.y + last.height).toBeLessThanOrEqual(box.y);
      await context.close();
    },
  );
});

describe('a brand without GA4', () => {
  it('has no banner, no cookie settings and no analytics script', async () => {
    const { context, page, google, own } = await visitor();
    for (const url of ['/en/', '/en/articles/quick-start/']) {
      const response = await page.goto(sites.globex + url, { waitUntil: 'networkidle' });
      const html = (await response?.text()) ?? '';
      expect(html).not.toContain('data-sp-consent');
      expect(html).not.toContain('data-sp-analytics');
      expect(html).not.toMatch(/google/i);
    }
    expect(own.some((p) => /consent/.test(p))).toBe(false);
    expect(google).toEqual([]);
    expect(await dataLayer(page)).toEqual([]);
    await context.close();
  });
});
