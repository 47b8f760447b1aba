import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page, Request } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { uiStrings } from '../src/i18n/index.ts';
import { useBrowserOn } from './helpers/browser.ts';

/** "Was this helpful?" on acme (GA4 and `reactions.endpoint`), in a real browser. */
const site = useBrowserOn('acme');
const ENDPOINT = 'https://api.acme.test/v1/help-center/reactions';
const en = uiStrings('en');

/**
 * A visitor whose beacons to the brand's endpoint are answered here (and recorded), and whose
 * requests to Google get an empty script. `consented`: they accepted analytics on an earlier visit.
 */
async function visitor(
  options: { consented?: boolean; javaScript?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page; beacons: Request[] }> {
  const context = await site.browser.newContext({ javaScriptEnabled: options.javaScript ?? true });
  const beacons: Request[] = [];
  await context.route(ENDPOINT, (route) => {
    beacons.push(route.request());
    return route.fulfill({ status: 204 });
  });
  await context.route(
    (url) => /google/.test(url.hostname),
    (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: '' }),
  );
  if (options.consented)
    await context.addInitScript(() => localStorage.setItem('sp-analytics-consent', 'granted'));
  return { context, page: await context.newPage(), beacons };
}

const events = (page: Page) =>
  page.evaluate(() =>
    ((window as unknown as { dataLayer?: ArrayLike<unknown>[] }).dataLayer ?? [])
      .map((entry) => Array.from(entry))
      .filter((entry) => entry[0] === 'event'),
  );

describe('"Was this helpful?"', () => {
  it('sends one beacon with brand, article, language and reaction, stays on the page and says thanks', async () => {
    const { context, page, beacons } = await visitor();
    const url = `${site.url}/en/articles/refunds/`;
    await page.goto(url);
    const group = page.getByRole('group', { name: en('article.helpful') });
    const happy = group.getByRole('button', { name: en('reactions.positive'), exact: true });
    await happy.click();
    await expect.poll(() => beacons.length).toBe(1);
    expect(beacons[0]!.method()).toBe('POST');
    expect(JSON.parse(beacons[0]!.postData() ?? '')).toEqual({
      brand: 'acme',
      article: 'refunds',
      language: 'en',
      reaction: 'positive',
    });
    expect(page.url()).toBe(url);
    await expect.poll(() => group.getByRole('status').textContent()).toBe(en('reactions.thanks'));
    expect(await happy.getAttribute('aria-pressed')).toBe('true');

    // A second press, on the same face or another, counts nothing. (`force`: Playwright will not
    // press an `aria-disabled` button, but a visitor's mouse or screen reader still can.)
    await happy.click({ force: true });
    await group.getByRole('button', { name: en('reactions.negative'), exact: true }).click({ force: true });
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
    expect(beacons).toHaveLength(1);
    expect(page.url()).toBe(url);
    await context.close();
  });

  it('works from the keyboard, in the page language', async () => {
    const { context, page, beacons } = await visitor();
    await page.goto(`${site.url}/ja/articles/refunds/`);
    const ja = uiStrings('ja');
    const meh = page.getByRole('button', { name: ja('reactions.neutral'), exact: true });
    await meh.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => beacons.length).toBe(1);
    expect(JSON.parse(beacons[0]!.postData() ?? '')).toMatchObject({ language: 'ja', reaction: 'neutral' });
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe(ja('reactions.thanks'));
    // Still focused: the pressed button was not disabled out from under the visitor.
    expect(await meh.evaluate((b) => b === document.activeElement)).toBe(true);
    await context.close();
  });

  it('is a GA4 event only once the visitor has accepted analytics', async () => {
    const before = await visitor();
    await before.page.goto(`${site.url}/en/articles/refunds/`);
    await before.page.getByRole('button', { name: en('reactions.negative'), exact: true }).click();
    await expect.poll(() => before.beacons.length).toBe(1);
    expect(await events(before.page)).toEqual([]);
    await before.context.close();

    const after = await visitor({ consented: true });
    await after.page.goto(`${site.url}/en/articles/refunds/`);
    await after.page.getByRole('button', { name: en('reactions.negative'), exact: true }).click();
    await expect
      .poll(() => events(after.page))
      .toEqual([
        [
          'event',
          'article_reaction',
          { brand: 'acme', article: 'refunds', language: 'en', reaction: 'negative' },
        ],
      ]);
    await after.context.close();
  });

  it('is not offered without JavaScript, rather than offered broken', async () => {
    const { context, page } = await visitor({ javaScript: false });
    await page.goto(`${site.url}/en/articles/refunds/`);
    expect(await page.getByText(en('article.helpful')).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: en('reactions.positive'), exact: true }).count()).toBe(0);
    await context.close();
  });

  it('is not on the articles of a brand with neither GA4 nor an endpoint', () => {
    const html = fs.readFileSync(
      path.join(inject('exampleDist'), 'globex/en/articles/quick-start/index.html'),
      'utf8',
    );
    expect(html).toContain('<article');
    expect(html).not.toContain('data-sp-reactions');
    expect(html).not.toContain('<script type="module" data-sp-analytics');
  });
});
