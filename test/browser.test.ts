import { describe, expect, it } from 'vitest';
import { useBrowserOn } from './helpers/browser.ts';

const site = useBrowserOn('acme');

describe('a visitor reads the help center', () => {
  it('goes home → collection → article in English, follows an article link, switches to German', async () => {
    const context = await site.browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    // The root sends the visitor to their language.
    await page.goto(`${site.url}/`);
    await page.waitForURL(`${site.url}/en/`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBeTruthy();

    await page
      .getByRole('main')
      .getByRole('link', { name: /Billing/ })
      .first()
      .click();
    await page.waitForURL(/\/en\/collections\/billing\/$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Billing');

    await page
      .getByRole('main')
      .getByRole('link', { name: /Request a refund/ })
      .first()
      .click();
    await page.waitForURL(/\/en\/articles\/refunds\/$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Request a refund');

    // A link between articles, written as a relative .md path, leads to the article's page.
    await page.getByRole('main').getByRole('link', { name: 'update your card' }).click();
    await page.waitForURL(/\/en\/articles\/update-card\/$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Update your credit card');

    // The language picker opens without JavaScript (<details>) and goes to the same article.
    await page
      .getByText(/English/)
      .first()
      .click();
    await page.getByRole('link', { name: 'Deutsch' }).click();
    await page.waitForURL(/\/de\/articles\/update-card\/$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Kreditkarte aktualisieren');
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    await context.close();
  });

  it('goes home → collection → article in German', async () => {
    const context = await site.browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    await page.goto(`${site.url}/`);
    await page.waitForURL(`${site.url}/de/`);
    await page
      .getByRole('main')
      .getByRole('link', { name: /Abrechnung/ })
      .first()
      .click();
    await page.waitForURL(/\/de\/collections\/billing\/$/);
    await page
      .getByRole('main')
      .getByRole('link', { name: /Erstattung beantragen/ })
      .first()
      .click();
    await page.waitForURL(/\/de\/articles\/refunds\/$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Erstattung beantragen');
    await page
      .getByRole('main')
      .getByRole('link', { name: /aktualisieren Sie zuerst Ihre Karte/ })
      .click();
    await page.waitForURL(/\/de\/articles\/update-card\/$/);
    await context.close();
  });

  it('reads an article with JavaScript disabled: text, table of contents, images', async () => {
    const context = await site.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${site.url}/en/articles/refunds/`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Request a refund');
    expect(await page.getByRole('main').textContent()).toContain('We refund unused time');
    const toc = page.getByRole('navigation', { name: 'On this page' });
    await toc.getByRole('link', { name: 'Who can request a refund' }).click();
    expect(page.url()).toMatch(/#who-can-request-a-refund$/);
    // The root page still offers every language as a plain link.
    await page.goto(`${site.url}/`);
    expect(await page.getByRole('link', { name: 'Deutsch' }).getAttribute('href')).toBe('/de/');
    await context.close();
  });

  it('an unknown URL gets the 404 page, with a way home', async () => {
    const page = await site.browser.newPage();
    const response = await page.goto(`${site.url}/en/articles/no-such-article/`);
    expect(response?.status()).toBe(404);
    expect(await page.getByRole('link', { name: /help center/i }).count()).toBeGreaterThan(0);
    await page.close();
  });
});
