import { describe, expect, it } from 'vitest';
import { detokenize, detokenizeBytes, leftover, newTokens } from '../src/output/tokens.ts';
import { SEARCH_BODY_END } from '../src/routing/layout.ts';
import { pageHashes, searchInputHash } from '../src/search/input.ts';

/**
 * The writer thread works on a page's UTF-8 bytes as Astro rendered them, without decoding them
 * (`writer-worker.ts`): its search hash, its brand's words and the check for a token left must be
 * exactly those of the page's text, or a search index would be copied where it differs, or a
 * twin's page would differ from its own render.
 */
const bytes = (text: string) => new TextEncoder().encode(text);

describe("a page's bytes and its text", () => {
  const pages = {
    searchable: `<!doctype html><html lang="de" dir="ltr"><head><title>Grüße – 日本 🚀</title></head><body><nav>Ünited</nav><article data-pagefind-body><h1>Größe</h1><p>“Zitat” – ½ ✓</p>${SEARCH_BODY_END}<footer data-pagefind-ignore="all">Danke</footer></article></body></html>`,
    'upper-case tags': `<HTML LANG="fr"><body><ARTICLE data-pagefind-body>Éléphant – 象</ARTICLE>${SEARCH_BODY_END}</body></HTML>`,
    'no marker': '<html lang="ja"><article data-pagefind-body>日本語のテキスト</article></html>',
    'marker before the article': `<html lang="en">${SEARCH_BODY_END}<p>é</p><article data-pagefind-body>After</article></html>`,
    'no article element': '<html lang="en"><div data-pagefind-body>Straße</div></html>',
    'nothing searchable': '<html lang="en"><article>Öffentlich</article></html>',
    'no html tag': '<article data-pagefind-body>ſ K µ ÿ</article>',
    empty: '',
  };

  for (const [kind, html] of Object.entries(pages))
    it(`gives the same search hash and page hashes (${kind})`, () => {
      expect(searchInputHash(bytes(html))).toBe(searchInputHash(html));
      expect(pageHashes(bytes(html))).toEqual(pageHashes(html));
    });

  it('tell pages apart by what Pagefind reads, and only by that', () => {
    const page = pages.searchable;
    const chrome = page.replace('<nav>Ünited</nav>', '<nav>Vereint</nav>');
    const article = page.replace('<h1>Größe</h1>', '<h1>Grösse</h1>');
    expect(searchInputHash(bytes(chrome))).toBe(searchInputHash(bytes(page)));
    expect(searchInputHash(bytes(article))).not.toBe(searchInputHash(bytes(page)));
  });
});

describe("a prototype page's bytes with a twin's words", () => {
  const tokens = newTokens();
  const t = (i: number) => tokens.token(i);
  const words = { prefix: tokens.prefix, words: ['Acme – Über', 'help.acme.example', '日本'] };
  const texts = {
    'tokens in text and attributes': `<a href="https://${t(1)}/de/">${t(0)}</a><p>${t(2)} – ü</p>`,
    'tokens next to each other': `${t(0)}${t(1)}${t(2)}`,
    'a prefix without a token after it': `${tokens.prefix}xyz ${tokens.prefix}12z ${tokens.prefix}`,
    'a word number no twin has': `${t(7)} and ${t(0)}`,
    'no token': 'Grüße – 日本',
    'four digits without the z': `${tokens.prefix}0001x – ü`,
    'a token cut short by another prefix': `${tokens.prefix}0001${tokens.prefix}0002z`,
  };

  for (const [kind, text] of Object.entries(texts))
    it(`are the bytes of its text with those words (${kind})`, () => {
      const expected = detokenize(text, words);
      expect(Buffer.from(detokenizeBytes(bytes(text), words)).toString('utf8')).toBe(expected);
      expect(leftover(detokenizeBytes(bytes(text), words), tokens.prefix)).toBe(
        leftover(expected, tokens.prefix),
      );
    });

  it('still show a token a template changed', () => {
    const changed = bytes(`<h1>${t(0).toUpperCase()}</h1><p>ü</p>`);
    expect(leftover(detokenizeBytes(changed, words), tokens.prefix)).toBe(true);
    expect(leftover(detokenizeBytes(bytes(`<h1>${t(0)}</h1>`), words), tokens.prefix)).toBe(false);
  });
});
