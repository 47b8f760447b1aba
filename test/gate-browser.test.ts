import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { uiStrings } from '../src/i18n/index.ts';
import { launchBrowser, recordLayoutShifts, totalShift } from './helpers/browser.ts';
import { JWT, startServe, token, type Served } from './helpers/gate.ts';

// The whole handshake in a real browser, through the real gate over the example build: the
// customer's app is a stub login page (its host never leaves this machine: Chromium's requests to
// it are answered here), which posts a signed token to the gate's callback.
let gate: Served;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  gate = await startServe(['--dist', inject('exampleDist'), '--brand', 'acme'], {
    ACME_JWT_SECRET: JWT.secret,
  });
  // Loopback is a secure context, so Chromium keeps the gate's Secure cookies over plain http.
  origin = gate.origin;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await gate?.stop();
});

/** Where the gate sends an anonymous visitor of a private URL: the brand's sign-in, with `returnTo`. */
async function loginRedirect(page: Page, url: string): Promise<string> {
  const answer = await page.request.get(origin + url, { maxRedirects: 0 });
  expect(answer.status()).toBe(302);
  const location = answer.headers().location ?? '';
  expect(location).toBe(`https://app.acme.test/login?return_to=${encodeURIComponent(url)}`);
  expect(await answer.text()).toBe('');
  return location;
}

it('signs in through the customer app, reads a private article, finds it with search, signs out', async () => {
  const page = await browser.newPage();
  // An enterprise customer: matches the `enterprise` audience of the example's private articles.
  const claims = { plan: 'enterprise', company: { seats: 120, contract_id: 'C-7' } };
  await page.route('https://app.acme.test/**', async (route) => {
    const returnTo = new URL(route.request().url()).searchParams.get('return_to') ?? '/';
    const signed = await token(claims, 'customer-1017');
    await route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><title>Acme app</title><form method="post" action="${origin}/_auth/callback">
        <input type="hidden" name="token" value="${signed}"><input type="hidden" name="returnTo" value="${returnTo}">
        <button>Continue to help center</button></form>`,
    });
  });

  // Anonymous: the gate sends the visitor to the app's sign-in, which sends them back signed in.
  // (Chromium does not hand a redirect's next hop to page.route, so the test follows it itself.)
  await page.goto(await loginRedirect(page, '/en/articles/enterprise-sso-setup/'));
  await page.getByRole('button', { name: 'Continue to help center' }).click();
  await page.waitForURL(`${origin}/en/articles/enterprise-sso-setup/`);
  await expect.poll(() => page.locator('main').textContent()).toContain('ENT-SSO-7731');

  // Search merges the private indexes this account may read.
  await page.goto(`${origin}/en/`);
  const box = page.getByLabel(uiStrings('en')('search.label')).first();
  await box.click();
  await box.fill('ENT-SSO-7731');
  const options = page.getByRole('listbox').first().getByRole('option');
  await expect
    .poll(async () => (await options.allTextContents()).join(' '), { timeout: 15_000 })
    .toContain('Enterprise SSO setup');

  // Signing out ends the session: the private article sends the visitor to sign in again.
  await page.getByRole('link', { name: uiStrings('en')('header.signOut') }).click();
  // Back on the site (the root then forwards to the visitor's language).
  await page.waitForURL((url) => url.origin === origin && !url.pathname.startsWith('/_auth/'));
  expect(await page.context().cookies()).toEqual([]);
  const again = await page.request.get(`${origin}/en/articles/enterprise-sso-setup/`, { maxRedirects: 0 });
  expect(again.status()).toBe(302);
  expect(again.headers().location).toMatch(/^https:\/\/app\.acme\.test\/login\?return_to=/);
  await page.close();
});

it('does not show a private article to a customer outside its audiences, nor find it', async () => {
  const page = await browser.newPage();
  await page.route('https://app.acme.test/**', async (route) => {
    const returnTo = new URL(route.request().url()).searchParams.get('return_to') ?? '/';
    const signed = await token({ plan: 'starter', role: 'member' }, 'customer-2048');
    await route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><form method="post" action="${origin}/_auth/callback"><input type="hidden" name="token" value="${signed}"><input type="hidden" name="returnTo" value="${returnTo}"><button>Continue</button></form>`,
    });
  });
  await page.goto(await loginRedirect(page, '/en/articles/custom-data-retention/'));
  const [back] = await Promise.all([
    page.waitForResponse(`${origin}/en/articles/custom-data-retention/`),
    page.getByRole('button', { name: 'Continue' }).click(),
  ]);
  expect(back.status()).toBe(403);
  const text = await page.locator('main').textContent();
  expect(text).toContain(uiStrings('en')('notAvailable.title'));
  expect(text).not.toContain('RET-HOLD-2290');
  expect(await page.title()).not.toMatch(/retention/i);
  // Signed in, yet its search finds nothing of the article this account may not read.
  await page.goto(`${origin}/en/`);
  const box = page.getByLabel(uiStrings('en')('search.label')).first();
  await box.click();
  await box.fill('RET-HOLD-2290');
  const options = page.getByRole('listbox').first().getByRole('option');
  const loading = uiStrings('en')('search.loading');
  const settled = async () =>
    (await options.allTextContents()).filter((t) => t.trim() && t.trim() !== loading);
  await expect.poll(async () => (await settled()).length, { timeout: 15_000 }).toBeGreaterThan(0);
  expect((await settled()).join(' ')).not.toMatch(/Custom data retention/i);
  await page.close();
});

it('shows a signed-in visitor the sign-out link from the first paint, moving nothing', async () => {
  // A laptop's window, where the header lays out its links, the sign-out link, the language menu
  // and the search box in one bar.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.route('https://app.acme.test/**', async (route) => {
    const returnTo = new URL(route.request().url()).searchParams.get('return_to') ?? '/';
    const signed = await token({ plan: 'enterprise' }, 'customer-1017');
    await route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><form method="post" action="${origin}/_auth/callback"><input type="hidden" name="token" value="${signed}"><input type="hidden" name="returnTo" value="${returnTo}"><button>Continue</button></form>`,
    });
  });
  await page.goto(await loginRedirect(page, '/en/articles/enterprise-sso-setup/'));
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(`${origin}/en/articles/enterprise-sso-setup/`);

  // A public article, read signed in on a slow CPU: Chromium paints before the page's scripts run,
  // so a link they revealed would arrive after the first paint and push the bar's row around.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 8 });
  await page.route(
    (url) => /google/.test(url.hostname),
    (route) => route.fulfill({ status: 200, body: '' }),
  );
  const shifts = await recordLayoutShifts(page);
  await page.goto(`${origin}/en/articles/refunds/`);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  const signOut = page.getByRole('banner').getByRole('link', { name: uiStrings('en')('header.signOut') });
  await expect.poll(() => signOut.isVisible()).toBe(true);
  // The scripts have run (the consent banner's buttons work) and have moved nothing.
  await expect
    .poll(() => page.getByRole('button', { name: uiStrings('en')('consent.accept') }).isEnabled())
    .toBe(true);
  const [shifted, moved] = totalShift(await shifts());
  expect(shifted, moved).toBeLessThan(0.001);
  await context.close();
});
