import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SOCIAL_ICONS } from '../src/components/social-icons.ts';
import { uiStrings } from '../src/i18n/index.ts';
import { serveStatic, useBrowserOn } from './helpers/browser.ts';
import { PROJECT, copyExample, type ExampleCopy } from './helpers/example.ts';

const site = useBrowserOn('acme');
const en = uiStrings('en');

/** Runs `use` on a page of `url` at the given viewport width, in a context of its own. */
async function visit(
  url: string,
  width: number,
  use: (page: Page) => Promise<void>,
  javaScriptEnabled = true,
) {
  const context = await site.browser.newContext({ viewport: { width, height: 900 }, javaScriptEnabled });
  try {
    const page = await context.newPage();
    await page.goto(url);
    await use(page);
  } finally {
    await context.close();
  }
}

/** The box of the first element matching `selector`, which must be rendered. */
async function box(page: Page, selector: string) {
  const found = await page.locator(selector).first().boundingBox();
  if (!found) throw new Error(`${selector} is not rendered`);
  return found;
}

// A copy of the example: an article with a 12-entry table of contents, and Globex's (dark) theme
// switched to compact cards without descriptions, built by the real CLI.
let copy: ExampleCopy;
const copySites: Record<'acme' | 'globex', string> = { acme: '', globex: '' };
const servers: Awaited<ReturnType<typeof serveStatic>>[] = [];
beforeAll(async () => {
  copy = copyExample();
  const extra = Array.from({ length: 9 }, (_, i) => `\n## Extra section ${i + 1}\n\nMore text.\n`).join('');
  copy.edit('help-centers/main/billing/plans-and-pricing.en.md', (t) => t + extra);
  const dark = path.join(copy.root, 'themes/dark.yaml');
  fs.writeFileSync(
    dark,
    fs
      .readFileSync(dark, 'utf8')
      .replace(/^collectionCards: .*$/m, 'collectionCards: compact')
      .replace(/^showDescriptions: .*$/m, 'showDescriptions: false'),
  );
  const dist = path.join(copy.root, 'dist');
  execFileSync(
    path.join(PROJECT, 'node_modules/.bin/node'),
    ['src/cli/main.ts', 'build', '--content', copy.content, '--out', dist],
    { cwd: PROJECT, stdio: 'ignore' },
  );
  for (const brand of ['acme', 'globex'] as const) {
    const server = await serveStatic(path.join(dist, brand));
    servers.push(server);
    copySites[brand] = server.url;
  }
  const globex = await serveStatic(path.join(inject('exampleDist'), 'globex'));
  servers.push(globex);
  exampleGlobex = globex.url;
});
let exampleGlobex = '';
afterAll(async () => {
  for (const server of servers) await server.close();
  copy?.remove();
});

describe('the header on a phone (390 px)', () => {
  it('is one row with its menu closed, and the menu opens on click to show the links', async () => {
    await visit(`${site.url}/en/articles/refunds/`, 390, async (page) => {
      const header = await box(page, '.site-header');
      expect(header.height).toBeLessThan(72);
      const status = page.getByRole('banner').getByRole('link', { name: 'Status' });
      expect(await status.isVisible()).toBe(false);
      expect(await page.getByRole('banner').getByRole('searchbox').isVisible()).toBe(false);

      await page.locator('.site-header summary', { hasText: en('header.menu') }).click();
      expect(await status.isVisible()).toBe(true);
      for (const name of ['Go to Acme', 'Community'])
        expect(await page.getByRole('banner').getByRole('link', { name }).isVisible(), name).toBe(true);
      expect(await page.getByRole('banner').getByRole('searchbox').isVisible()).toBe(true);
      // The menu's panel opens below the bar; the bar itself keeps its one row.
      expect((await box(page, '.site-header')).height).toBeLessThan(72);
      const link = await status.boundingBox();
      expect(link!.x + link!.width).toBeLessThanOrEqual(390);
    });
  });

  it('the menu works without JavaScript and has an accessible name', async () => {
    await visit(
      `${site.url}/de/articles/refunds/`,
      390,
      async (page) => {
        const summary = page.locator('.site-header summary').first();
        expect(await summary.textContent()).toContain(uiStrings('de')('header.menu'));
        await summary.click();
        expect(await page.getByRole('banner').getByRole('link', { name: 'Zu Acme' }).isVisible()).toBe(true);
      },
      false,
    );
  });
});

describe('the header on a desktop (1280 px)', () => {
  it('shows its links, language menu and search in one bar, with no menu button', async () => {
    await visit(`${site.url}/en/articles/refunds/`, 1280, async (page) => {
      expect(await page.locator('.site-header summary', { hasText: en('header.menu') }).isVisible()).toBe(
        false,
      );
      for (const name of ['Go to Acme', 'Status', 'Community'])
        expect(await page.getByRole('banner').getByRole('link', { name }).isVisible(), name).toBe(true);
      expect(await page.getByRole('banner').getByRole('searchbox').isVisible()).toBe(true);
      expect((await box(page, '.site-header')).height).toBeLessThan(72);
    });
  });
});

describe('an article on a desktop (1280 px)', () => {
  it('sets a 12-entry table of contents beside the text, not above it', async () => {
    await visit(`${copySites.acme}/en/articles/plans-and-pricing/`, 1280, async (page) => {
      expect(await page.locator('.toc a').count()).toBe(12);
      // The header's last line, not its box: a grid row stretched by the TOC would stretch the box too.
      const head = await box(page, 'article > header > :last-child');
      const first = await box(page, '.prose > p');
      expect(first.y - (head.y + head.height)).toBeLessThanOrEqual(40);
      const toc = await box(page, '.toc');
      expect(toc.x).toBeGreaterThanOrEqual(first.x + first.width);
      expect(toc.height).toBeGreaterThan(300);
    });
  });

  it('keeps the author with avatar and role', async () => {
    await visit(`${site.url}/en/articles/refunds/`, 1280, async (page) => {
      const meta = await page.locator('.article-meta').textContent();
      expect(meta).toContain('Jane Doe');
      expect(meta).toContain('Head of Customer Support');
      expect(await page.locator('.article-meta img.avatar').count()).toBe(1);
    });
  });
});

describe('collection cards fill their row', () => {
  it.each([
    ['classic, with descriptions', () => exampleGlobex],
    ['compact, without descriptions', () => copySites.globex],
  ])('two cards span the grid: %s', async (_style, url) => {
    await visit(`${url()}/en/`, 1280, async (page) => {
      expect(await page.locator('.cards > .card').count()).toBe(2);
      const grid = await box(page, '.cards');
      const cards = await page
        .locator('.cards > .card')
        .evaluateAll((els) =>
          els
            .map((el) => el.getBoundingClientRect())
            .map((r) => ({ left: r.left, right: r.right, top: r.top })),
        );
      const span = Math.max(...cards.map((c) => c.right)) - Math.min(...cards.map((c) => c.left));
      expect(span / grid.width).toBeGreaterThanOrEqual(0.9);
      expect(cards[0]!.top).toBe(cards[1]!.top);
    });
  });

  it('four cards share one row on a desktop and stack on a phone', async () => {
    for (const [width, rows] of [
      [1280, 1],
      [390, 4],
    ] as const) {
      await visit(`${site.url}/en/`, width, async (page) => {
        const tops = await page
          .locator('.cards > .card')
          .evaluateAll((els) => els.map((el) => el.getBoundingClientRect().top));
        expect(new Set(tops).size, `${width} px`).toBe(rows);
      });
    }
  });
});

describe('the footer and the language menu', () => {
  it('has a mark for every network a brand file may name', () => {
    const networks =
      'facebook x twitter linkedin instagram youtube github tiktok discord slack mastodon bluesky threads reddit medium rss';
    for (const network of networks.split(' ')) expect(SOCIAL_ICONS[network], network).toMatch(/^M[\d.]/);
  });

  it('names each social icon after its network', async () => {
    await visit(
      `${site.url}/en/`,
      1280,
      async (page) => {
        const social = page.getByRole('navigation', { name: en('footer.social') });
        for (const name of ['X', 'LinkedIn', 'GitHub']) {
          const link = social.getByRole('link', { name, exact: true });
          expect(await link.count(), name).toBe(1);
          expect(await link.locator('svg[aria-hidden="true"] path').getAttribute('d'), name).toMatch(/^M/);
        }
      },
      false,
    );
  });

  it('offers the home page of a language the page is missing in, labelled in that language', async () => {
    await visit(
      `${site.url}/en/articles/webhooks-beta/`,
      1280,
      async (page) => {
        await page.locator('.lang-picker summary').click();
        expect(await page.locator('.lang-picker').textContent()).toContain('Not available in Deutsch');
        const home = page.getByRole('link', { name: 'Deutsch: zur Startseite' });
        expect(await home.getAttribute('href')).toBe('/de/');
        expect(await home.getAttribute('hreflang')).toBe('de');
        expect(await home.getAttribute('lang')).toBe('de');
        await home.click();
        await page.waitForURL(/\/de\/$/);
        expect(await page.locator('html').getAttribute('lang')).toBe('de');
      },
      false,
    );
  });
});
