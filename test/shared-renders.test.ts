import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../src/content/load.ts';
import { shareRenders } from '../src/cli/shared-renders.ts';
import { computeSite } from '../src/routing/site.ts';
import { runCli } from './helpers/cli.ts';
import { fingerprint, read } from './helpers/dist.ts';
import { copyExample, type ExampleCopy } from './helpers/example.ts';

/**
 * Brands that share a help center and differ only in words (name, domain, GA4 id, header title,
 * sign-in settings) render their pages once between them (`shared-renders.ts`), and make the
 * articles of their feeds once (`feed-files.ts`). The proof that it is right: a twin's output when
 * it shares acme's render and feeds is, byte for byte, its output when it is made on its own
 * (after acme changes in a way that ends the sharing).
 */
let copy: ExampleCopy;
let together: string;
let alone: string;
let stdout: { together: string; alone: string };

/** Acme's brand file with other words: what a second, regional brand of the same company looks like. */
const twinOf = (acme: string, name = 'Acme Twin – Ünited') =>
  acme
    .replace(/^name: Acme$/m, `name: ${name}`)
    .replace('domain: help.acme.test', 'domain: help.twin.test')
    .replace('ga4: G-ACME12345', 'ga4: G-TWIN54321')
    .replace('secretEnv: ACME_JWT_SECRET', 'secretEnv: ACME_TWIN_JWT_SECRET')
    .replace('audience: help.acme.test', 'audience: help.twin.test')
    .replace('en: Acme Help Center', 'en: Twin Help Center')
    .replace('de: Acme Hilfe-Center', 'de: Twin Hilfe-Center');

const LANGUAGES = 'languages: [en, de, ja, ar]';

const sharedOf = (text: string) =>
  Number(/(\d+) rendered once for brands that differ only in words/.exec(text)?.[1] ?? 0);

beforeAll(async () => {
  copy = copyExample();
  copy.write('brands/acme-twin.yaml', twinOf(read(copy.content, 'brands/acme.yaml')));
  // An article titled as the brand: its page's title is the brand's name alone (`HeadMeta`).
  copy.write(
    'help-centers/main/billing/about-acme.en.md',
    '---\ntitle: Acme\ndescription: What Acme is.\nupdated: 2025-03-10\n---\n\nAcme is what these pages help with.\n',
  );
  // Text that looks like the tokens of earlier builds, which stopped a build of twins then.
  copy.write(
    'help-centers/main/getting-started/ticket-names.en.md',
    '---\ntitle: Ticket names\ndescription: How tickets are named.\nupdated: 2025-03-10\n---\n\nTickets are named like ZQSPTWIN-7.\n',
  );
  together = path.join(copy.root, 'together');
  alone = path.join(copy.root, 'alone');
  const first = await runCli(
    ['build', '--content', copy.content, '--out', together, '--no-cache'],
    {},
    180_000,
  );
  expect(first.code, first.stdout + first.stderr).toBe(0);
  // Acme's hero and languages change: it is no twin of acme-twin any more, whose pages are rendered
  // and feeds made on their own.
  copy.edit('brands/acme.yaml', (t) =>
    t.replace('searchBar: long', 'searchBar: medium').replace(LANGUAGES, 'languages: [en, de, ja]'),
  );
  const second = await runCli(
    ['build', '--content', copy.content, '--out', alone, '--no-cache'],
    {},
    180_000,
  );
  expect(second.code, second.stdout + second.stderr).toBe(0);
  stdout = { together: first.stdout, alone: second.stdout };
}, 360_000);
afterAll(() => copy?.remove());

describe('brands that differ only in words', () => {
  it('render their pages once between them, and say so', () => {
    // acme's and acme-twin's pages: every page of both but those whose route data names acme.
    expect(sharedOf(stdout.together)).toBeGreaterThan(40);
    expect(sharedOf(stdout.alone)).toBe(0);
  });

  it('each get the very pages, feeds and gate manifest a render of their own gives', () => {
    for (const tree of ['acme-twin', '_private/acme-twin', '_export/acme-twin'])
      expect(fingerprint(path.join(together, tree)), tree).toEqual(fingerprint(path.join(alone, tree)));
    expect(read(together, '_gate/acme-twin.json')).toBe(read(alone, '_gate/acme-twin.json'));
  });

  it("each show their own words, never the other brand's", () => {
    const page = read(together, 'acme-twin/en/articles/refunds/index.html');
    expect(page).toContain('<link rel="canonical" href="https://help.twin.test/en/articles/refunds/">');
    expect(page).toContain('– Acme Twin – Ünited</title>');
    expect(page).toContain('G-TWIN54321');
    expect(page).toContain('Twin Help Center');
    expect(page).not.toMatch(/help\.acme\.test|G-ACME12345|Acme Help Center/);
    const acme = read(together, 'acme/en/articles/refunds/index.html');
    expect(acme).toContain('<link rel="canonical" href="https://help.acme.test/en/articles/refunds/">');
    expect(acme).not.toMatch(/twin/i);
    // A page whose title is one brand's name: that brand's title is the name alone, the other's has its own name after it.
    expect(read(together, 'acme/en/articles/about-acme/index.html')).toContain('<title>Acme</title>');
    expect(read(together, 'acme-twin/en/articles/about-acme/index.html')).toContain(
      '<title>Acme – Acme Twin – Ünited</title>',
    );
    for (const brand of ['acme', 'acme-twin'])
      expect(read(together, `${brand}/en/articles/ticket-names/index.html`)).toContain(
        'named like ZQSPTWIN-7.',
      );
  });

  it('are rendered apart when a word would need escaping, so every page is still right', async () => {
    copy.write('brands/acme-twin.yaml', twinOf(read(copy.content, 'brands/acme.yaml'), '"Acme & Twin"'));
    copy.edit('brands/acme.yaml', (t) =>
      t.replace('searchBar: medium', 'searchBar: long').replace('languages: [en, de, ja]', LANGUAGES),
    );
    const loaded = await loadContent(copy.content);
    const { site } = await computeSite(loaded.model!, { mode: 'build' });
    expect(shareRenders(site, site).shared).toBe(0);
    // The same brands with a plain name share.
    copy.write('brands/acme-twin.yaml', twinOf(read(copy.content, 'brands/acme.yaml')));
    const plain = await computeSite((await loadContent(copy.content)).model!, { mode: 'build' });
    expect(shareRenders(plain.site, plain.site).shared).toBe(sharedOf(stdout.together));
  });
});

describe('an incremental build of brands that differ only in words', () => {
  it('is byte for byte the full build, after an edit to an article and to one brand', async () => {
    // The content as `together` was built from, then an article and the twin's GA4 id edited:
    // acme's pages but the article's are copied from `together`, the twin's are all rendered.
    copy.write('brands/acme-twin.yaml', twinOf(read(copy.content, 'brands/acme.yaml')));
    copy.edit('help-centers/main/billing/refunds.en.md', (t) => `${t}\nOne more paragraph.\n`);
    copy.edit('brands/acme-twin.yaml', (t) => t.replace('G-TWIN54321', 'G-TWIN99999'));
    const build = (out: string, ...flags: string[]) =>
      runCli(['build', '--content', copy.content, '--out', out, ...flags], {}, 180_000);
    const incremental = await build(together);
    expect(incremental.code, incremental.stdout + incremental.stderr).toBe(0);
    expect(incremental.stdout).toMatch(/\d+ unchanged since the last build, copied/);
    expect(sharedOf(incremental.stdout)).toBeGreaterThan(0);
    const full = path.join(copy.root, 'full');
    const fresh = await build(full, '--no-cache');
    expect(fresh.code, fresh.stdout + fresh.stderr).toBe(0);
    expect(fingerprint(together)).toEqual(fingerprint(full));
    expect(read(together, 'acme-twin/en/articles/refunds/index.html')).toContain('G-TWIN99999');
  }, 360_000);
});
