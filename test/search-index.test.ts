import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEARCH_BODY_END } from '../src/routing/layout.ts';
import { pageSearchInput } from '../src/search/input.ts';
import { copyExample, PROJECT, type ExampleCopy } from './helpers/example.ts';
import { execFileSync } from 'node:child_process';

let example: ExampleCopy;
let dist: string;
/** What the build printed. */
let built: string;

// A brand whose help center holds only root articles: reachable by URL, searchable nowhere.
beforeAll(() => {
  example = copyExample();
  example.write('brands/initech.yaml', 'name: Initech\nhelpCenter: initech\nlanguages: [en]\n');
  example.write(
    'help-centers/initech/status.en.md',
    '---\ntitle: Service status\n---\n\nEvery system is up; the TPS report server is flaky.\n',
  );
  // Japanese as terse help-center text writes it: a run of katakana words with nothing between.
  example.write(
    'help-centers/main/getting-started/glossary.ja.md',
    '---\ntitle: 用語集\ndescription: 製品の用語。\n---\n\n設定画面の役割アカウントチームサポート通知から変更できます。\n',
  );
  dist = path.join(example.root, 'dist');
  built = execFileSync(
    path.join(PROJECT, 'node_modules/.bin/node'),
    ['src/cli/main.ts', 'build', '--content', example.content, '--out', dist],
    { cwd: PROJECT, encoding: 'utf8' },
  );
});
afterAll(() => example?.remove());

it('a brand with nothing searchable gets an empty index, not one of every page', () => {
  const index = path.join(dist, 'initech', 'pagefind');
  const entry = JSON.parse(fs.readFileSync(path.join(index, 'pagefind-entry.json'), 'utf8')) as {
    languages: Record<string, unknown>;
  };
  expect(entry.languages).toEqual({});
  // The client still loads; it just finds nothing.
  expect(fs.existsSync(path.join(index, 'pagefind.js'))).toBe(true);
  // The unlisted page itself is built.
  expect(fs.readFileSync(path.join(dist, 'initech/en/articles/status/index.html'), 'utf8')).toContain(
    'TPS report',
  );
});

it('a brand with searchable articles still indexes them', () => {
  const entry = JSON.parse(fs.readFileSync(path.join(dist, 'acme/pagefind/pagefind-entry.json'), 'utf8')) as {
    languages: Record<string, { page_count: number }>;
  };
  expect(entry.languages.en?.page_count).toBeGreaterThan(5);
});

/** A language's files in a brand's public index, by name relative to it, with their bytes. */
function languageFiles(brand: string, lang: string): Map<string, Buffer> {
  const index = path.join(dist, brand, 'pagefind');
  const entry = JSON.parse(fs.readFileSync(path.join(index, 'pagefind-entry.json'), 'utf8')) as {
    languages: Record<string, { hash: string; wasm: string | null }>;
  };
  const { hash, wasm } = entry.languages[lang]!;
  const names = [`pagefind.${hash}.pf_meta`, ...(wasm ? [`wasm.${wasm}.pagefind`] : [])];
  for (const folder of ['index', 'fragment', 'filter'])
    for (const name of fs.readdirSync(path.join(index, folder)))
      if (name.startsWith(`${lang}_`)) names.push(`${folder}/${name}`);
  return new Map(names.map((name) => [name, fs.readFileSync(path.join(index, name))]));
}

it('brands that share a help center share its index of a language they both publish: the pages differ only around the article', () => {
  // acme and acme-eu share `main` (en, de); their headers, footers and analytics differ.
  const acme = fs.readFileSync(path.join(dist, 'acme/de/articles/refunds/index.html'), 'utf8');
  const eu = fs.readFileSync(path.join(dist, 'acme-eu/de/articles/refunds/index.html'), 'utf8');
  expect(acme).not.toBe(eu);
  // Indexed once, copied for the other brand: the build says so.
  expect(
    Number(
      /search index: [^;]*\((\d+) language indexes(?: and \d+ private index(?:es)?)? copied\)/.exec(
        built,
      )?.[1],
    ),
  ).toBeGreaterThanOrEqual(2);
  for (const lang of ['en', 'de']) {
    const shared = languageFiles('acme-eu', lang);
    expect(shared.size).toBeGreaterThan(3);
    expect(shared).toEqual(languageFiles('acme', lang));
  }
});

/** A Pagefind file's content: gzip, behind Pagefind's own 12-byte signature. */
const pagefindFile = (bytes: Buffer) => zlib.gunzipSync(bytes).subarray('pagefind_dcd'.length);

it('Japanese is indexed by the words a search is split into, and shown as the page has it', () => {
  const files = languageFiles('acme', 'ja');
  // Every string of Japanese script in the index's word lists (CBOR: each word is a string).
  const words = [...files]
    .filter(([name]) => name.startsWith('index/'))
    .flatMap(
      ([, bytes]) =>
        pagefindFile(bytes)
          .toString('utf8')
          .match(/[\p{Script=Han}\p{Script=Katakana}\p{Script=Hiragana}ー]+/gu) ?? [],
    );
  // The words of the run, as the browser's `Intl.Segmenter` splits a query typed in it, each a word
  // of the index; the run itself, or any two of its words together, none.
  for (const word of ['役割', 'アカウント', 'チーム', 'サポート', '通知']) expect(words).toContain(word);
  expect(words.filter((word) => /アカウントチーム|チームサポート|サポート通知/.test(word))).toEqual([]);
  // What the search shows of the page (its excerpt, title and collection) reads as the page does,
  // once the zero-width spaces between words, which Pagefind puts between CJK words itself, are gone.
  const fragments = [...files]
    .filter(([name]) => name.startsWith('fragment/'))
    .map(
      ([, bytes]) =>
        JSON.parse(pagefindFile(bytes).toString('utf8')) as {
          url: string;
          content: string;
          meta: { title: string; collection?: string };
          filters: { collection?: string[] };
        },
    );
  const glossary = fragments.find((f) => f.url === '/ja/articles/glossary/')!;
  expect(glossary.content.replace(/\u200b/g, '')).toContain(
    '設定画面の役割アカウントチームサポート通知から変更できます。',
  );
  expect(glossary.meta.title.replace(/\u200b/g, '')).toBe('用語集');
  // Attributes are not touched: the collection, shown and filtered on, is the page's own.
  expect(glossary.meta.collection).toBe('はじめに');
  expect(glossary.filters.collection).toEqual(['はじめに']);
});

/** Every file under a folder, by path relative to it, with its bytes. */
function treeFiles(dir: string): Map<string, Buffer> {
  const names = (fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((name) => fs.statSync(path.join(dir, name)).isFile())
    .sort();
  return new Map(names.map((name) => [name, fs.readFileSync(path.join(dir, name))]));
}

it('brands that share a help center share its private indexes too, one per audience set', () => {
  // Both publish main's private articles (en, de) under the same URLs, each in its private tree.
  expect(
    /search index: [^;]*\(\d+ language indexes and (\d+) private indexes copied\)/.exec(built)?.[1],
  ).toBe('2');
  for (const set of ['pagefind-enterprise', 'pagefind-admins+enterprise']) {
    const shared = treeFiles(path.join(dist, '_private/acme-eu', set));
    expect(shared.size).toBeGreaterThan(5);
    expect(shared).toEqual(treeFiles(path.join(dist, '_private/acme', set)));
  }
});

describe('pageSearchInput: what Pagefind reads of a page, which decides whether two indexes are alike', () => {
  /** A page as `Article.astro` lays it out: the brand's chrome around, and in the article's foot. */
  const page = (lang: string, header: string, article: string, footer: string) =>
    `<!DOCTYPE html><html lang="${lang}"><head><title>T</title></head><body><header>${header}</header>` +
    `<main><article class="article" data-pagefind-body>${article}${SEARCH_BODY_END}` +
    `<footer data-pagefind-ignore="all">${footer}</footer></article></main>` +
    `<footer>${footer}</footer></body></html>`;

  it('ignores the chrome around the article, and its foot', () => {
    expect(pageSearchInput(page('en', 'Acme', '<h1>Refunds</h1>', 'Was this helpful? © Acme'))).toBe(
      pageSearchInput(page('en', 'Globex <img src="/logo.png">', '<h1>Refunds</h1>', '© Globex')),
    );
  });

  it('tells apart pages whose article or language differ', () => {
    const base = pageSearchInput(page('en', 'Acme', '<h1>Refunds</h1>', ''));
    expect(pageSearchInput(page('en', 'Acme', '<h1>Refund</h1>', ''))).not.toBe(base);
    expect(pageSearchInput(page('de', 'Acme', '<h1>Refunds</h1>', ''))).not.toBe(base);
  });

  it('is cut short by no marker written inside the article', () => {
    const forged = (tail: string) =>
      pageSearchInput(page('en', '', `<p title="${SEARCH_BODY_END}">x</p><p>${tail}</p>`, ''));
    expect(forged('one ending')).not.toBe(forged('another ending'));
  });

  it('is empty for a page Pagefind leaves out, whatever its chrome', () => {
    expect(pageSearchInput('<html lang="en"><body><h1>Home</h1></body></html>')).toBe('');
  });
});
