import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadContent } from '../src/content/load.ts';
import { PROJECT, copyExample, errorLines, type ExampleCopy } from './helpers/example.ts';

const run = promisify(execFile);

/** Runs the real `check` command the way a writer does, output piped (so plain, without colour). */
async function check(
  content: string,
  ...flags: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { FORCE_COLOR: _force, NO_COLOR: _no, ...env } = process.env;
  try {
    const { stdout, stderr } = await run(
      path.join(PROJECT, 'node_modules/.bin/node'),
      ['src/cli/main.ts', 'check', '--content', content, ...flags],
      { cwd: PROJECT, env },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the example content', () => {
  it('passes check: exit 0, warnings only, and a summary line', async () => {
    const result = await check(path.join(PROJECT, 'content'));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^✓ 0 errors, \d+ warnings in \d+ content files \(\d+\.\d\d s\)$/);
    // Missing translations are reported as warnings: folded into one count by default…
    expect(lines).toContainEqual(
      expect.stringMatching(/^warning: \d+ missing translations \(.*de: 2.*\); check --verbose lists them$/),
    );
    // …and, with --verbose, one line each, naming the brand and the file to add.
    const verbose = await check(path.join(PROJECT, 'content'), '--verbose');
    expect(verbose.code).toBe(0);
    expect(verbose.stdout.split('\n')).toContain(
      'warning: content/help-centers/main/integrations/webhooks-beta.en.md: no de translation (brands acme, acme-eu publish de); add webhooks-beta.de.md',
    );
  });

  it('becomes one typed model: brands, help centers, collections 3 deep, every kind of article', async () => {
    const { model } = await loadContent(path.join(PROJECT, 'content'));
    expect(model).toBeDefined();
    const m = model!;
    expect(m.brands.map((b) => [b.id, b.helpCenter.id, b.theme.name, b.domain])).toEqual([
      ['acme', 'main', 'default', 'help.acme.test'],
      ['acme-eu', 'main', 'default', 'acme-eu.help.example.com'],
      ['globex', 'globex', 'dark', 'globex.help.example.com'],
    ]);
    const main = m.helpCenters.get('main')!;
    expect(main.collectionsByPath.get('billing/payments/cards')?.depth).toBe(3);
    const refunds = main.articles.get('refunds')!;
    expect([...refunds.translations.keys()].sort()).toEqual(['ar', 'de', 'en', 'ja']);
    expect(refunds.collection?.path).toEqual(['billing']);
    const en = refunds.translations.get('en')!;
    // A relative link into a sub-collection resolves to the target's id in the same language.
    expect(en.links).toContainEqual(
      expect.objectContaining({ targetId: 'update-card', targetLanguage: 'en' }),
    );
    expect(main.articles.get('enterprise-sso-setup')!.translations.get('en')!.visibility).toBe('private');
    expect(main.articles.get('status-page')!.translations.get('en')!.visibility).toBe('unlisted');
    expect(main.articles.get('salesforce-integration')!.translations.get('en')!.state).toBe('draft');
    expect(main.aliases.get('add-team-members')).toBe('invite-teammates');
    expect(m.internal.articles.get('escalation')!.translations.get('en')!.visibility).toBe('internal');
    // AI flags inherit from _collection.yaml (legacy/ turns the answer agent off).
    expect(main.articles.get('hipchat-migration')!.translations.get('en')!.ai).toEqual({
      agent: false,
      copilot: true,
    });
    // Dates come from front matter, else git, else the file's mtime: always a real date.
    expect(en.updated.toISOString()).toBe('2025-03-10T00:00:00.000Z');
  });
});

describe('each writer mistake fails check with file, line and what to do', () => {
  let example: ExampleCopy;
  beforeEach(() => {
    example = copyExample();
  });
  afterEach(() => example.remove());
  const errors = () => errorLines(example.content, example.root);

  it('a missing title', async () => {
    example.edit('help-centers/main/billing/refunds.en.md', (t) =>
      t.replace('title: Request a refund\n', ''),
    );
    expect(await errors()).toMatchInlineSnapshot(`
      [
        "error: content/help-centers/main/billing/refunds.en.md:2: title: missing; add "title:" (text)",
      ]
    `);
  });

  it('visibility: secret', async () => {
    example.edit('help-centers/main/billing/refunds.en.md', (t) =>
      t.replace('author: jane\n', 'author: jane\nvisibility: secret\n'),
    );
    expect(await errors()).toMatchInlineSnapshot(`
      [
        "error: content/help-centers/main/billing/refunds.en.md:5: visibility: expected one of public | unlisted | private, got "secret"",
      ]
    `);
  });

  it('an unknown front-matter key, with a suggestion', async () => {
    example.edit('help-centers/main/billing/refunds.en.md', (t) => t.replace('author: jane', 'auther: jane'));
    expect(await errors()).toMatchInlineSnapshot(`
      [
        "error: content/help-centers/main/billing/refunds.en.md:4: unknown key "auther"; did you mean "author"?",
      ]
    `);
  });

  it('malformed YAML in a brand file', async () => {
    example.edit('brands/globex.yaml', (t) => t.replace(/^helpCenter: globex$/m, 'helpCenter: [globex'));
    expect(await errors()).toMatchInlineSnapshot(`
      [
        "error: content/brands/globex.yaml:3: helpCenter: "[" is never closed; add "]" at the end of that line, or put the helpCenter in "quotes" if it is text",
      ]
    `);
  });

  it('a link to a missing article', async () => {
    example.edit(
      'help-centers/main/billing/refunds.en.md',
      (t) => `${t}\nSee also [our policy](refund-policy.md).\n`,
    );
    expect(await errors()).toMatchInlineSnapshot(`
      [
        "error: content/help-centers/main/billing/refunds.en.md:42: link to "refund-policy.md": no article "refund-policy" in help center "main"; fix the id or create the article",
      ]
    `);
  });

  it('a link to a draft', async () => {
    example.edit(
      'help-centers/main/billing/refunds.en.md',
      (t) => `${t}\nComing soon: [Salesforce](salesforce-integration.md).\n`,
    );
    expect(await errors()).toMatchInlineSnapshot(`
      [
        "error: content/help-centers/main/billing/refunds.en.md:42: link to "salesforce-integration.md": "salesforce-integration" is a draft; publish it (state: published) or remove the link until it is",
      ]
    `);
  });

  it('a fourth collection level', async () => {
    example.write(
      'help-centers/main/billing/payments/cards/virtual/_collection.yaml',
      'name: Virtual cards\n',
    );
    example.write(
      'help-centers/main/billing/payments/cards/virtual/virtual-cards.en.md',
      '---\ntitle: Virtual cards\n---\n\nText.\n',
    );
    expect(await errors()).toMatchInlineSnapshot(`
      [
        "error: content/help-centers/main/billing/payments/cards/virtual/_collection.yaml:1: collection "billing/payments/cards/virtual" is nested 4 levels deep; collections nest at most 3 levels, so move this folder up a level",
      ]
    `);
  });

  it('the same article id in two collections', async () => {
    example.write('help-centers/main/account/refunds.en.md', '---\ntitle: Account refunds\n---\n\nText.\n');
    expect(await errors()).toMatchInlineSnapshot(`
      [
        "error: content/help-centers/main/billing/refunds.ar.md: article id "refunds" is also used by ../account/refunds.en.md; ids must be unique in help center "main", so rename one of them",
      ]
    `);
  });

  it('a brand naming a missing help center', async () => {
    example.edit('brands/globex.yaml', (t) => t.replace(/^helpCenter: globex$/m, 'helpCenter: globx'));
    expect(await errors()).toMatchInlineSnapshot(`
      [
        "error: content/brands/globex.yaml:3: helpCenter: no folder help-centers/globx; did you mean "globex"?",
      ]
    `);
  });

  it('a 1.2 MB brand icon', async () => {
    // Random pixels do not compress, so a 640×640 PNG of noise is about 1.2 MB.
    const noise = Buffer.alloc(640 * 640 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
    const png = await sharp(noise, { raw: { width: 640, height: 640, channels: 3 } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    expect(png.length).toBeGreaterThan(1.1 * 1024 * 1024);
    example.write('brands/assets/globex-icon.png', png);
    expect(await errors()).toMatchInlineSnapshot(`
      [
        "error: content/brands/globex.yaml:5: icon: assets/globex-icon.png is 1.2 MB, over the 1.0 MB limit; compress or shrink it",
      ]
    `);
  });

  it('ga4: UA-1234', async () => {
    example.edit('brands/acme.yaml', (t) => t.replace('ga4: G-ACME12345', 'ga4: UA-1234'));
    expect(await errors()).toMatchInlineSnapshot(`
      [
        "error: content/brands/acme.yaml:14: analytics.ga4: expected a GA4 measurement id such as G-ABC123XYZ (Universal Analytics UA- ids no longer work)",
      ]
    `);
  });

  it('four header links', async () => {
    example.edit('brands/acme.yaml', (t) =>
      t.replace(/(\n {2}links:\n)/, '$1    - { label: Extra, url: https://acme.test/extra }\n'),
    );
    expect(await errors()).toMatchInlineSnapshot(`
      [
        "error: content/brands/acme.yaml:37: header.links: at most 3 header links; move the rest to the footer",
      ]
    `);
  });

  it('an MDX component that does not exist', async () => {
    example.edit(
      'help-centers/main/getting-started/install-chat-widget.en.mdx',
      (t) => `${t}\n<Carousel />\n`,
    );
    expect(await errors()).toMatchInlineSnapshot(`
      [
        "error: content/help-centers/main/getting-started/install-chat-widget.en.mdx:59: unknown component <Carousel>; use Callout, Steps, Tabs, Tab or Video",
      ]
    `);
  });

  it('reports all problems at once and exits 1, without a stack trace', async () => {
    example.edit('help-centers/main/billing/refunds.en.md', (t) => t.replace('author: jane', 'auther: jane'));
    example.edit('brands/acme.yaml', (t) => t.replace('ga4: G-ACME12345', 'ga4: UA-1234'));
    const result = await check(example.content);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    expect(result.stdout).not.toMatch(/\n\s+at /);
    const lines = result.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('error: '))).toHaveLength(2);
    expect(
      lines.filter((l) => !l.startsWith('error: ') && !l.startsWith('warning: ') && !l.startsWith('✗')),
    ).toEqual([]);
    expect(lines.at(-1)).toMatch(/^✗ 2 errors, \d+ warnings in \d+ content files/);
  });
});
