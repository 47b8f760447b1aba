import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { uiStrings } from '../src/i18n/index.ts';
import { recordLayoutShifts, totalShift, useBrowserOn } from './helpers/browser.ts';

const site = useBrowserOn('acme');

/** A page that records every URL it requests. */
async function open(url: string): Promise<{ page: Page; requested: string[] }> {
  const page = await site.browser.newPage();
  const requested: string[] = [];
  page.on('request', (request) => requested.push(new URL(request.url()).pathname));
  await page.goto(site.url + url);
  return { page, requested };
}

/** Types into the page's first search box and returns the results as the visitor sees them. */
async function search(page: Page, query: string, lang = 'en'): Promise<string[]> {
  // Found by its label: a plain search box until the visitor reaches for it, a combobox after.
  const box = page.getByLabel(uiStrings(lang)('search.label')).first();
  await box.click();
  await box.fill(query);
  return settledResults(page, lang);
}

/** The dropdown's options once the search has finished (not the "Searching…" line). */
async function settledResults(page: Page, lang: string): Promise<string[]> {
  const loading = uiStrings(lang)('search.loading');
  const options = page.getByRole('listbox').first().getByRole('option');
  const settled = async () =>
    (await options.allTextContents()).filter((text) => text.trim() && text.trim() !== loading);
  await expect.poll(async () => (await settled()).length, { timeout: 15_000 }).toBeGreaterThan(0);
  return settled();
}

describe('search finds the right article in every language', () => {
  it.each([
    ['en', 'refund', 'Request a refund'],
    ['de', 'Erstattung', 'Erstattung beantragen'],
    ['ja', '返金', '返金のリクエスト'],
    ['ar', 'استرداد', 'طلب استرداد المبلغ'],
  ])('%s: "%s" returns "%s" first', async (lang, query, title) => {
    const { page } = await open(`/${lang}/`);
    const results = await search(page, query, lang);
    expect(results[0]).toContain(title);
    // The title reads as the article's own, letter for letter: Japanese is indexed with its words
    // marked by zero-width spaces, which the result does not show.
    expect(await page.getByRole('option').first().locator('.sp-title').textContent()).toBe(title);
    await page.close();
  });

  it('never shows a private article on the public site, and never asks for the private index without a session', async () => {
    const { page, requested } = await open('/en/');
    // Its title finds other, public articles (they share words), never the private one.
    expect((await search(page, 'Enterprise SSO setup')).join(' ')).not.toContain('Enterprise SSO setup');
    // A phrase only the private article holds finds nothing at all.
    const fresh = await open('/en/');
    expect((await search(fresh.page, 'ENT-SSO-7731')).join(' ')).toMatch(/No results/);
    requested.push(...fresh.requested);
    await fresh.page.close();
    expect(requested.some((url) => url.startsWith('/_private/'))).toBe(false);
    await page.close();
  });
});

// acme-eu shares acme's help center, and with it the index of each language both publish.
const eu = useBrowserOn('acme-eu');

describe('a brand that shares a help center searches it as well as the other', () => {
  it.each([
    ['de', 'Erstattung', 'Erstattung beantragen'],
    ['en', 'refund', 'Request a refund'],
  ])('acme-eu, %s: "%s" returns "%s" first', async (lang, query, title) => {
    const page = await eu.browser.newPage();
    await page.goto(`${eu.url}/${lang}/`);
    const results = await search(page, query, lang);
    expect(results[0]).toContain(title);
    await page.close();
  });
});

describe('search is reachable with the keyboard alone', () => {
  it('"/" focuses the search box, arrows pick a result, Enter opens it', async () => {
    const { page } = await open('/en/articles/reset-password/');
    await page.keyboard.press('/');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('role')))
      .toBe('combobox');
    await page.keyboard.type('refund');
    expect((await settledResults(page, 'en'))[0]).toContain('Request a refund');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/en\/articles\/refunds\/$/);
    await page.close();
  });

  it('Escape closes the results', async () => {
    const { page } = await open('/en/');
    await search(page, 'password');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('combobox').first().getAttribute('aria-expanded')).toBe('false');
    await page.close();
  });
});

describe('no JavaScript runs for search until the visitor reaches for it', () => {
  it('an article page loads neither the search client nor the index', async () => {
    const { page, requested } = await open('/en/articles/refunds/');
    await page.waitForLoadState('networkidle');
    expect(requested.filter((url) => url.includes('pagefind') || /\/client\.[^/]+\.js$/.test(url))).toEqual(
      [],
    );
    // The only scripts are acme's consent banner and reactions (it has GA4 and a reactions endpoint).
    expect(
      requested
        .filter((url) => url.endsWith('.js'))
        .map((url) => url.replace(/\.[\w-]+\.js$/, ''))
        .sort(),
    ).toEqual(['/_astro/consent', '/_astro/reactions']);
    await page.close();
  });
});

describe('the search results page', () => {
  it('works from a shared link', async () => {
    const { page } = await open('/en/search/?q=invoice');
    const results = page.getByRole('main').getByRole('link', { name: /Download your invoices|invoice/i });
    await expect.poll(() => results.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await page.getByRole('searchbox').or(page.getByRole('combobox')).first().inputValue()).toBe(
      'invoice',
    );
    await page.close();
  });

  // The results come after the first paint, with no input from the visitor: whatever they push
  // down in view counts as a layout shift (a phone's footer jumped half the screen: 0.53).
  it.each([
    ['on a phone', { width: 375, height: 667 }],
    ['on a desktop', { width: 1280, height: 900 }],
  ])('%s, moves nothing in view when the results of a shared link arrive', async (_, viewport) => {
    const context = await site.browser.newContext({ viewport });
    const page = await context.newPage();
    const shifts = await recordLayoutShifts(page);
    await page.goto(`${site.url}/en/search/?q=invoice`);
    const results = page.getByRole('main').getByRole('link', { name: /invoice/i });
    await expect.poll(() => results.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    // Rendering the list takes a frame or two after its links exist.
    await page.evaluate(
      () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
    );
    const [shifted, moved] = totalShift(await shifts());
    expect(shifted, moved).toBeLessThan(0.001);
    await context.close();
  });
});

describe('search never runs what article content names', () => {
  // The security review's form: placed in an article body, it named its own "client" script,
  // and the old loader imported it on page load.
  const hostile =
    '<form role="search" data-sp-search="page" data-sp-client="data:text/javascript,window.__pwned=1">' +
    '<input name="q" value="x" aria-label="hostile"></form>';

  it('a search form inside the article body imports nothing, on load or when used', async () => {
    const page = await site.browser.newPage();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.route('**/en/articles/refunds/', async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace('<div class="prose">', `<div class="prose">${hostile}`);
      expect(html).toContain(hostile);
      await route.fulfill({ response, body: html });
    });
    await page.goto(`${site.url}/en/articles/refunds/`);
    await page.getByLabel('hostile').click();
    await page.getByLabel('hostile').press('a');
    // Signpost's own search still works beside it, and leaves the hostile form alone.
    await page.getByLabel(uiStrings('en')('search.label')).first().click();
    await expect.poll(() => requested.some((url) => /\/_astro\/client\.[^/]+\.js$/.test(url))).toBe(true);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(requested.filter((url) => url.startsWith('data:'))).toEqual([]);
    expect(await page.getByLabel('hostile').getAttribute('role')).toBeNull();
    await page.close();
  });
});
