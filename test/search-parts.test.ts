import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uiStrings } from '../src/i18n/index.ts';
import { launchBrowser, serveStatic } from './helpers/browser.ts';
import { runCli } from './helpers/cli.ts';
import { filesUnder, fingerprint, read } from './helpers/dist.ts';
import { copyExample, type ExampleCopy } from './helpers/example.ts';

/**
 * A language with more searchable pages than one Pagefind pass may hold is indexed in parts: part
 * 1 in the brand's `pagefind/` index, parts 2… as bundles of their own beside it, which the search
 * client merges in the browser. `SIGNPOST_SEARCH_PAGES_PER_PASS` makes the small example split.
 */
const PER_PASS = 2;
const ENV = { SIGNPOST_SEARCH_PAGES_PER_PASS: String(PER_PASS) };
/** acme's languages, each with more than PER_PASS searchable articles in the example. */
const LANGUAGES = ['en', 'de', 'ja', 'ar'];

let copy: ExampleCopy;
/** The example built with PER_PASS pages per pass. */
let split: string;
let browser: Browser;
let server: Awaited<ReturnType<typeof serveStatic>>;

const buildSplit = () => runCli(['build', '--content', copy.content, '--out', split], ENV, 180_000);

beforeAll(async () => {
  copy = copyExample();
  split = path.join(copy.root, 'dist');
  const built = await buildSplit();
  expect(built.code, built.stdout + built.stderr).toBe(0);
  browser = await launchBrowser();
  server = await serveStatic(path.join(split, 'acme'));
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  copy?.remove();
});

interface Entry {
  languages: Record<string, { page_count: number }>;
}

/** A bundle's `pagefind-entry.json`. */
const entryOf = (bundle: string) =>
  JSON.parse(fs.readFileSync(path.join(bundle, 'pagefind-entry.json'), 'utf8')) as Entry;

/** A brand's public search index in a dist. */
const indexOf = (dist: string, brand = 'acme') => path.join(dist, brand, 'pagefind');

/** The part folders of a brand's index (`part-en-2`, …), per language, in part order. */
function partFolders(dist: string, brand = 'acme'): Record<string, string[]> {
  const parts: Record<string, { n: number; name: string }[]> = {};
  for (const name of fs.readdirSync(indexOf(dist, brand))) {
    const match = /^part-(.+)-(\d+)$/.exec(name);
    if (match) (parts[match[1]!] ??= []).push({ n: Number(match[2]), name });
  }
  return Object.fromEntries(
    Object.entries(parts).map(([lang, list]) => [lang, list.sort((a, b) => a.n - b.n).map((p) => p.name)]),
  );
}

/** What the inline search loader of a page hands the search client, or undefined without one. */
function loaderSetup(html: string): { index: string; parts?: Record<string, string[]> } | undefined {
  const json = /\.start\(\w+,(\{"index":.*?\})\)\)/.exec(html)?.[1];
  return json ? (JSON.parse(json) as { index: string; parts?: Record<string, string[]> }) : undefined;
}

/** A brand's searchable public articles in one language (the pages Pagefind reads), by file path. */
function searchableArticles(dist: string, lang: string, brand = 'acme'): string[] {
  const site = path.join(dist, brand);
  return filesUnder(path.join(site, lang, 'articles'))
    .filter((file) => /^[^/]+\/index\.html$/.test(file))
    .map((file) => `${lang}/articles/${file}`)
    .filter((file) => read(site, file).includes('data-pagefind-body'))
    .sort();
}

/** The `<h1>` of a built page. */
function titleOf(dist: string, file: string): string {
  const title = /<h1[^>]*>(.*?)<\/h1>/s.exec(read(path.join(dist, 'acme'), file))?.[1];
  if (!title) throw new Error(`${file} has no <h1>`);
  return title.replace(/<[^>]+>/g, '').trim();
}

/** `en/articles/refunds/index.html` → `/en/articles/refunds/`. */
const urlOf = (file: string) => `/${file.replace(/index\.html$/, '')}`;

describe('a language with more searchable pages than one pass holds is split into parts', () => {
  it('acme en: part folders beside the index, and the loader of the en home page names exactly them', () => {
    const folders = partFolders(split).en ?? [];
    const pages = searchableArticles(split, 'en');
    expect(pages.length).toBeGreaterThan(2 * PER_PASS);
    // As few parts as hold every page, PER_PASS at most each: part 1 is the index itself.
    const bundles = Math.ceil(pages.length / PER_PASS);
    expect(folders).toEqual(Array.from({ length: bundles - 1 }, (_, i) => `part-en-${i + 2}`));
    expect(loaderSetup(read(split, 'acme/en/index.html'))?.parts?.en).toEqual(
      folders.map((name) => `/pagefind/${name}/`),
    );
  });

  it.each(LANGUAGES)(
    'acme %s: each part lists only its language and holds at most PER_PASS pages; index and parts count the pages of an unsplit build',
    (lang) => {
      const unsplit = entryOf(indexOf(inject('exampleDist'))).languages[lang]?.page_count;
      expect(unsplit).toBe(searchableArticles(split, lang).length);
      const main = entryOf(indexOf(split)).languages[lang]?.page_count ?? 0;
      const parts = (partFolders(split)[lang] ?? []).map((name) => {
        const entry = entryOf(path.join(indexOf(split), name));
        expect(Object.keys(entry.languages), name).toEqual([lang]);
        return entry.languages[lang]!.page_count;
      });
      expect(parts.length).toBeGreaterThan(0);
      for (const count of [main, ...parts]) expect(count).toBeGreaterThan(0);
      for (const count of [main, ...parts]) expect(count).toBeLessThanOrEqual(PER_PASS);
      expect(main + parts.reduce((sum, n) => sum + n, 0)).toBe(unsplit);
    },
  );

  it('parts hold only what a merged bundle is read from: no scripts, no styles', () => {
    const files = Object.values(partFolders(split))
      .flat()
      .flatMap((name) => filesUnder(path.join(indexOf(split), name)).map((file) => `${name}/${file}`));
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((file) => /\.(js|css)$/.test(file))).toEqual([]);
    expect(
      files.filter(
        (file) =>
          !/^part-[^/]+\/(pagefind-entry\.json|pagefind\.[\w-]+\.pf_meta|wasm\.[\w-]+\.pagefind|(index|fragment|filter)\/[\w-]+\.pf_(index|fragment|filter))$/.test(
            file,
          ),
      ),
    ).toEqual([]);
    // The page's own Pagefind, which merges them, is still in the index.
    expect(fs.existsSync(path.join(indexOf(split), 'pagefind.js'))).toBe(true);
  });

  it('every page of every brand hands the search client the part folders of its brand, and no others', () => {
    for (const brand of fs.readdirSync(split).filter((name) => fs.existsSync(indexOf(split, name)))) {
      const expected = Object.fromEntries(
        Object.entries(partFolders(split, brand)).map(([lang, names]) => [
          lang,
          names.map((name) => `/pagefind/${name}/`),
        ]),
      );
      const setups = filesUnder(path.join(split, brand))
        .filter((file) => file.endsWith('.html'))
        .map((file) => [file, loaderSetup(read(path.join(split, brand), file))] as const)
        .filter(([, setup]) => setup);
      expect(setups.length, brand).toBeGreaterThan(0);
      for (const [file, setup] of setups) expect(setup?.parts ?? {}, `${brand}/${file}`).toEqual(expected);
    }
    expect(Object.keys(partFolders(split)).sort()).toEqual([...LANGUAGES].sort());
  });
});

describe('a build without SIGNPOST_SEARCH_PAGES_PER_PASS (the example, as every other test builds it)', () => {
  it('has no part folders and no parts in any loader', () => {
    const dist = inject('exampleDist');
    const brands = fs.readdirSync(dist).filter((name) => fs.existsSync(indexOf(dist, name)));
    expect(brands).toContain('acme');
    for (const brand of brands) {
      expect(partFolders(dist, brand), brand).toEqual({});
      const setups = filesUnder(path.join(dist, brand))
        .filter((file) => file.endsWith('.html'))
        .map((file) => loaderSetup(read(path.join(dist, brand), file)))
        .filter((setup) => setup !== undefined);
      expect(setups.length, brand).toBeGreaterThan(0);
      expect(setups.filter((setup) => 'parts' in setup)).toEqual([]);
    }
  });
});

/** A page of the split build that records every path it requests. */
async function open(url: string): Promise<{ page: Page; requested: string[] }> {
  const page = await browser.newPage();
  const requested: string[] = [];
  page.on('request', (request) => requested.push(new URL(request.url()).pathname));
  await page.goto(server.url + url);
  return { page, requested };
}

/**
 * Types into the page's first search box, as search.test.ts does, and returns where the results
 * the visitor sees lead (each option's link), once the search has finished.
 */
async function search(page: Page, query: string, lang = 'en'): Promise<string[]> {
  const strings = uiStrings(lang);
  const box = page.getByLabel(strings('search.label')).first();
  await box.click();
  await box.fill(query);
  const options = page.getByRole('listbox').first().getByRole('option');
  const settled = async () =>
    (await options.allTextContents()).filter(
      (text) => text.trim() && text.trim() !== strings('search.loading'),
    );
  await expect.poll(async () => (await settled()).length, { timeout: 15_000 }).toBeGreaterThan(0);
  return (
    await options.evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.href ?? ''))
  ).filter(Boolean);
}

/** The part folders a page asked for, by name (`part-en-2`). */
const partsRequested = (requested: string[]) =>
  [...new Set(requested.map((url) => /^\/pagefind\/(part-[^/]+)\//.exec(url)?.[1]).filter(Boolean))].sort();

/** One article of each bundle of acme's English index: the last page of each chunk of PER_PASS. */
function onePerBundle(): string[] {
  const pages = searchableArticles(split, 'en');
  const bundles = Math.ceil(pages.length / PER_PASS);
  const size = Math.ceil(pages.length / bundles);
  return Array.from({ length: bundles }, (_, i) => pages[Math.min((i + 1) * size, pages.length) - 1]!);
}

describe('in the browser, search spans every part of the page language', () => {
  // Found, not first: Pagefind scores each merged bundle's pages by that bundle's own statistics,
  // so with two pages a bundle the order is not the unsplit index's ("Download invoices" leads).
  it('"refund" finds "Request a refund", and the en page merges every en part and no other', async () => {
    const { page, requested } = await open('/en/');
    expect(await search(page, 'refund')).toContain('/en/articles/refunds/');
    expect(partsRequested(requested)).toEqual([...(partFolders(split).en ?? [])].sort());
    expect(requested.filter((url) => /^\/pagefind\/part-(?!en-)/.test(url))).toEqual([]);
    await page.close();
  });

  it('the title of an article of each part finds it, the one sorting last (in the last part) included', async () => {
    const articles = onePerBundle();
    expect(articles.at(-1)).toBe(searchableArticles(split, 'en').at(-1));
    for (const file of articles) {
      const { page } = await open('/en/');
      expect(await search(page, titleOf(split, file)), file).toContain(urlOf(file));
      await page.close();
    }
  });

  it('the last article is in a part only: with the parts unreachable, its title does not find it', async () => {
    const last = searchableArticles(split, 'en').at(-1)!;
    const page = await browser.newPage();
    await page.route('**/pagefind/part-*/**', (route) => route.abort());
    await page.goto(`${server.url}/en/`);
    expect(await search(page, titleOf(split, last))).not.toContain(urlOf(last));
    await page.close();
  });

  it('a German page merges the German parts only, and finds "Erstattung beantragen"', async () => {
    const { page, requested } = await open('/de/');
    expect(await search(page, 'Erstattung', 'de')).toContain('/de/articles/refunds/');
    expect(partsRequested(requested)).toEqual([...(partFolders(split).de ?? [])].sort());
    await page.close();
  });
});

describe('an incremental build of a split index', () => {
  it('after one English article is edited, keeps the other languages’ parts, and search finds the edit and the last part', async () => {
    const before = Object.fromEntries(
      Object.entries(partFolders(split)).map(([lang, names]) => [
        lang,
        names.map((name) => fingerprint(path.join(indexOf(split), name))),
      ]),
    );
    const pagesBefore = Object.fromEntries(
      LANGUAGES.map((lang) => [
        lang,
        searchableArticles(split, lang).map((file) => read(path.join(split, 'acme'), file)),
      ]),
    );
    copy.edit(
      'help-centers/main/billing/refunds.en.md',
      (text) => `${text}\nRefunds to a voucher arrive as Quokkabucks.\n`,
    );
    const again = await buildSplit();
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(/unchanged since the last build, copied/);

    const after = partFolders(split);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    const unchanged = LANGUAGES.filter(
      (lang) =>
        JSON.stringify(
          searchableArticles(split, lang).map((file) => read(path.join(split, 'acme'), file)),
        ) === JSON.stringify(pagesBefore[lang]),
    );
    expect(unchanged).not.toContain('en');
    expect(unchanged.length).toBeGreaterThan(0);
    for (const lang of unchanged)
      expect(
        after[lang]!.map((name) => fingerprint(path.join(indexOf(split), name))),
        lang,
      ).toEqual(before[lang]);
    expect(after.en).toHaveLength(before.en!.length);

    const { page, requested } = await open('/en/');
    expect(await search(page, 'Quokkabucks')).toContain('/en/articles/refunds/');
    await page.close();
    const last = searchableArticles(split, 'en').at(-1)!;
    const fresh = await open('/en/');
    expect(await search(fresh.page, titleOf(split, last))).toContain(urlOf(last));
    await fresh.page.close();
    expect(partsRequested([...requested, ...fresh.requested])).toEqual([...after.en!].sort());
  });
});

describe('the search settings', () => {
  it.each([
    ['SIGNPOST_SEARCH_PAGES_PER_PASS', '0.5', 'pages'],
    ['SIGNPOST_SEARCH_PASSES', '0', 'passes'],
  ])(
    '%s set to something other than a whole number above 0 (%s) stops the build with one line, before anything is built',
    async (name, value, unit) => {
      const out = path.join(copy.root, `bad-${name}`);
      const result = await runCli(['build', '--content', copy.content, '--out', out], { [name]: value });
      expect(result.code).toBe(1);
      expect(result.stdout.trim()).toBe(
        `build stopped: ${name} is "${value}"; set it to a whole number of ${unit} above 0, or unset it`,
      );
      expect(result.stderr).toBe('');
      expect(fs.existsSync(out)).toBe(false);
    },
  );
});

describe('SIGNPOST_SEARCH_PAGES_PER_PASS', () => {
  it('changed alone builds again: the new split reaches the index and every loader', async () => {
    const out = path.join(copy.root, 'changed-setting');
    const first = await runCli(['build', '--content', copy.content, '--out', out], ENV, 180_000);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const again = await runCli(
      ['build', '--content', copy.content, '--out', out],
      {
        SIGNPOST_SEARCH_PAGES_PER_PASS: '3',
      },
      180_000,
    );
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).not.toMatch(/nothing to build/);
    const en = searchableArticles(out, 'en').length;
    expect(partFolders(out).en).toHaveLength(Math.ceil(en / 3) - 1);
    expect(loaderSetup(read(path.join(out, 'acme'), 'en/index.html'))?.parts?.en).toHaveLength(
      Math.ceil(en / 3) - 1,
    );
  }, 300_000);
});

describe('SIGNPOST_SEARCH_PASSES', () => {
  it('one pass at a time writes the very indexes that passes side by side write, every brand, public and private', async () => {
    // The example's languages and private indexes are far below half a full pass: by default their
    // passes run side by side, up to four at once.
    const together = path.join(copy.root, 'passes-together');
    const alone = path.join(copy.root, 'passes-alone');
    for (const [out, env] of [
      [together, {}],
      [alone, { SIGNPOST_SEARCH_PASSES: '1' }],
    ] as const) {
      const built = await runCli(['build', '--content', copy.content, '--out', out], env, 180_000);
      expect(built.code, built.stdout + built.stderr).toBe(0);
    }
    const indexes = (dist: string) =>
      filesUnder(dist)
        .filter((file) => file.endsWith('/pagefind-entry.json'))
        .map((file) => path.dirname(file))
        .sort();
    const folders = indexes(together);
    expect(folders.filter((folder) => folder.startsWith('_private/')).length).toBeGreaterThan(0);
    expect(Object.keys(entryOf(path.join(together, 'acme', 'pagefind')).languages).sort()).toEqual(
      [...LANGUAGES].sort(),
    );
    expect(indexes(alone)).toEqual(folders);
    for (const folder of folders)
      expect(fingerprint(path.join(together, folder)), folder).toEqual(fingerprint(path.join(alone, folder)));
    // Nothing but the indexes: no folder a pass wrote beside a bundle is left, in any tree.
    expect(filesUnder(together).filter((file) => /(^|\/)pagefind[^/]*\.[^/]+\//.test(file))).toEqual([]);
  }, 300_000);
});
