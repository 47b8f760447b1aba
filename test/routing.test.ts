import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LoadCache } from '../src/content/load-cache.ts';
import { Problems } from '../src/content/problems.ts';
import { sitemap } from '../src/output/brand-files.ts';
import { BrandContext } from '../src/routing/context.ts';
import { fileOf, routeOf } from '../src/routing/layout.ts';
import { ArticleRenderer } from '../src/routing/render.ts';
import { computeRelated, relatedArticles } from '../src/routing/related.ts';
import { computeBrand } from '../src/routing/site.ts';
import type { ArticlePage, BrandSite, HomePage, PageData } from '../src/routing/types.ts';
import { visibilityOf, type Mode } from '../src/routing/visibility.ts';
import { PROJECT } from './helpers/example.ts';
import { tinyModel, type TinyArticle } from './helpers/model.ts';

/** A help center in English and German: billing (with payments inside) and account. */
const ARTICLES: TinyArticle[] = [
  {
    id: 'refunds',
    lang: 'en',
    collection: 'billing',
    title: 'Refunds',
    aliases: ['money-back'],
    author: 'jane',
  },
  { id: 'refunds', lang: 'de', collection: 'billing', title: 'Erstattungen' },
  { id: 'cards', lang: 'en', collection: 'billing/payments', title: 'Cards' },
  {
    id: 'sso',
    lang: 'en',
    collection: 'billing',
    title: 'Enterprise SSO',
    visibility: 'private',
    aliases: ['saml'],
  },
  { id: 'sso', lang: 'de', collection: 'billing', title: 'SSO einrichten' },
  { id: 'beta', lang: 'en', collection: 'billing', title: 'Beta webhooks', visibility: 'unlisted' },
  { id: 'beta', lang: 'de', collection: 'billing', title: 'Beta-Webhooks' },
  { id: 'status', lang: 'en', title: 'Status page' },
  { id: 'plans', lang: 'en', collection: 'account', title: 'Plans', state: 'draft' },
  { id: 'plans', lang: 'de', collection: 'account', title: 'Tarife' },
];

async function site(mode: Mode = 'build', brand = {}): Promise<BrandSite> {
  const { model, brand: b } = tinyModel({
    languages: ['en', 'de'],
    collections: ['billing', 'billing/payments', 'account'],
    articles: ARTICLES,
    authors: ['jane', 'ghost'],
    brand: {
      home: { sections: [{ type: 'collections' }, { type: 'articles', ids: ['refunds', 'sso', 'beta'] }] },
      ...brand,
    },
  });
  return computeBrand(new BrandContext(model, b, mode, new ArticleRenderer(new Problems())));
}

const page = <K extends PageData['kind']>(s: BrandSite, url: string, kind: K) => {
  const found = s.pages.find((p) => p.url === url);
  expect(found?.kind, `page ${url}`).toBe(kind);
  return found as Extract<PageData, { kind: K }>;
};
const titles = (list: { title: string }[]) => list.map((a) => a.title);

describe('visibility', () => {
  const { model } = tinyModel({
    languages: ['en'],
    collections: ['billing', 'account'],
    articles: ARTICLES.filter((a) => a.lang === 'en'),
  });
  const hc = model.helpCenters.get('main')!;
  const of = (id: string, mode: Mode = 'build', indexing = true) => {
    const group = hc.articles.get(id)!;
    return visibilityOf(group, group.translations.get('en')!, { mode, indexing });
  };

  it('a private article is built into the private tree, unlisted, searchable only privately, never public', () => {
    expect(of('sso')).toMatchObject({
      built: true,
      listed: false,
      private: true,
      search: 'private',
      sitemap: false,
      publicFeed: false,
      noindex: true,
    });
  });

  it('an unlisted article is built but not listed, searched, mapped or fed', () => {
    expect(of('beta')).toMatchObject({
      built: true,
      listed: false,
      private: false,
      search: undefined,
      sitemap: false,
      publicFeed: false,
    });
    // At the help-center root an article is unlisted whatever it says.
    expect(of('status')).toMatchObject({
      built: true,
      listed: false,
      search: undefined,
      badges: ['unlisted'],
    });
  });

  it('a draft is built only by the dev server, with a badge; there a private article is previewed in the public tree', () => {
    expect(of('plans').built).toBe(false);
    expect(of('plans', 'dev')).toMatchObject({ built: true, badges: ['draft'] });
    expect(of('sso', 'dev')).toMatchObject({ built: true, private: false, badges: ['private'] });
  });

  it('a brand kept out of search engines has no page in the sitemap', () => {
    expect(of('refunds')).toMatchObject({
      listed: true,
      search: 'public',
      sitemap: true,
      publicFeed: true,
      noindex: false,
    });
    expect(of('refunds', 'build', false)).toMatchObject({ sitemap: false, noindex: true, search: 'public' });
  });
});

describe('route builders', () => {
  it('a private article is not listed and not indexed publicly, and leaves no trace in the public pages', async () => {
    const s = await site();
    const sso = page(s, '/en/articles/sso/', 'article');
    expect(sso).toMatchObject({ private: true, searchable: true, noindex: true, sitemap: false });
    const billing = page(s, '/en/collections/billing/', 'collection');
    expect(titles(billing.articles)).toEqual(['Refunds']);
    const home = page(s, '/en/', 'home');
    expect(home.sections.flatMap((x) => (x.type === 'articles' ? titles(x.articles) : []))).toEqual([
      'Refunds',
    ]);
    expect(s.markdownCopies).not.toContain('/en/articles/sso.md');
    // Its former id does not redirect in the public tree either.
    expect(s.redirects).toEqual([{ from: '/en/articles/money-back/', to: '/en/articles/refunds/' }]);
    const publicText = JSON.stringify(s.pages.filter((p) => !p.private));
    expect(publicText).not.toContain('Enterprise SSO');
  });

  it('an unlisted article is built but not listed, and a root article is reachable by its URL only', async () => {
    const s = await site();
    expect(page(s, '/en/articles/beta/', 'article')).toMatchObject({
      private: false,
      searchable: false,
      noindex: true,
      badges: ['unlisted'],
    });
    expect(page(s, '/en/articles/status/', 'article')).toMatchObject({ searchable: false, noindex: true });
    const listed = s.pages.flatMap((p) => (p.kind === 'collection' ? titles(p.articles) : []));
    expect(listed).not.toContain('Beta webhooks');
    expect(listed).not.toContain('Status page');
    for (const url of ['/en/articles/beta/', '/en/articles/status/', '/en/articles/sso/'])
      expect(sitemap(s)).not.toContain(url);
  });

  it('a collection with no published article in a language is hidden in that language', async () => {
    const s = await site();
    // German has refunds (billing) and plans (account); payments holds only the English "Cards".
    expect(s.pages.some((p) => p.url === '/de/collections/billing/payments/')).toBe(false);
    const billingDe = page(s, '/de/collections/billing/', 'collection');
    expect(billingDe.subcollections).toEqual([]);
    const payments = page(s, '/en/collections/billing/payments/', 'collection');
    expect(payments.languages.find((l) => l.lang === 'de')).toMatchObject({ href: undefined });
    expect(payments.alternates.map((a) => a.hreflang)).toEqual(['en', 'x-default']);
    // The English "Plans" is a draft: account is hidden in English, shown in German.
    const cards = (home: HomePage) =>
      home.sections.flatMap((x) => (x.type === 'collections' ? x.collections : []));
    expect(cards(page(s, '/en/', 'home')).map((c) => c.name)).toEqual(['Billing']);
    expect(cards(page(s, '/de/', 'home')).map((c) => [c.name, c.articleCount])).toEqual([
      ['Billing', 3],
      ['Account', 1],
    ]);
  });

  it('public pages name only public translations; private and unlisted ones name their like too', async () => {
    const s = await site();
    const hrefs = (url: string) => page(s, url, 'article').languages.map((l) => [l.lang, l.href ?? null]);
    expect(hrefs('/de/articles/sso/')).toEqual([
      ['en', null],
      ['de', '/de/articles/sso/'],
    ]);
    expect(hrefs('/de/articles/beta/')).toEqual([
      ['en', null],
      ['de', '/de/articles/beta/'],
    ]);
    // The private English page may link to its public German translation.
    expect(hrefs('/en/articles/sso/')).toEqual([
      ['en', '/en/articles/sso/'],
      ['de', '/de/articles/sso/'],
    ]);
    expect(sitemap(s)).not.toContain('/en/articles/sso/');
    expect(sitemap(s)).not.toContain('/en/articles/beta/');
  });

  it('publishes an avatar only where a page shows it', async () => {
    const s = await site();
    expect(Object.keys(s.files)).toEqual(['/_brand/avatars/jane.png']);
    expect(page(s, '/en/articles/refunds/', 'article').author?.avatar).toBe('/_brand/avatars/jane.png');
  });

  it('the dev preview builds drafts and private articles in the public tree', async () => {
    const s = await site('dev');
    expect(page(s, '/en/articles/plans/', 'article').badges).toEqual(['draft']);
    expect(page(s, '/en/articles/sso/', 'article')).toMatchObject({ private: false, badges: ['private'] });
  });

  it('a brand with indexing off says noindex on every page and lists nothing in its sitemap', async () => {
    const s = await site('build', { indexing: false });
    expect(s.pages.every((p) => p.noindex)).toBe(true);
    expect(sitemap(s)).not.toContain('<url>');
  });

  it('hands components localized brand text and final URLs', async () => {
    const s = await site('build', {
      header: {
        title: { en: 'Help', de: 'Hilfe' },
        links: [{ label: { en: 'Status', de: 'Status (de)' }, url: 'https://status.acme.test' }],
      },
      footer: {
        template: 'multi-level',
        links: [{ label: { en: 'Company', de: 'Firma' }, links: [{ label: 'About', url: '/about' }] }],
      },
    });
    expect(s.chrome.de!.header).toMatchObject({
      title: 'Hilfe',
      home: '/de/',
      links: [{ label: 'Status (de)', href: 'https://status.acme.test' }],
    });
    expect(s.chrome.de!.footer.columns).toEqual([
      { label: 'Firma', links: [{ label: 'About', href: '/about' }] },
    ]);
    expect(s.chrome.en!.search.action).toBe('/en/search/');
    const article = page(s, '/de/articles/refunds/', 'article') as ArticlePage;
    expect(article.breadcrumbs).toEqual([
      { label: 'Startseite', href: '/de/' },
      { label: 'Billing', href: '/de/collections/billing/' },
    ]);
  });
});

describe('layout', () => {
  it('writes folder pages as index.html and the 404 page in place, private pages under the private tree', () => {
    expect(routeOf('build', 'acme', { url: '/en/articles/refunds/', private: false })).toEqual({
      kind: 'directory',
      param: 'acme/en/articles/refunds',
    });
    expect(routeOf('build', 'acme', { url: '/404.html', private: false })).toEqual({
      kind: 'file',
      param: 'acme/404',
    });
    expect(routeOf('build', 'acme', { url: '/en/articles/sso/', private: true }).param).toBe(
      '_private/acme/en/articles/sso',
    );
    expect(routeOf('dev', 'acme', { url: '/', private: false })).toEqual({
      kind: 'directory',
      param: undefined,
    });
    expect(fileOf('/en/articles/r%C3%BCck/')).toBe('en/articles/rück/index.html');
    expect(fileOf('/en/articles/refunds.md')).toBe('en/articles/refunds.md');
  });

  it('is the only module in src/ that spells an output folder or file name', () => {
    // Output folders and files of the layout; comments may mention them, code may not.
    const literal =
      /_private|_export|(?<!\w)_gate\b|_brand\b|_astro\b|['"`/]pagefind['"`/]|404\.html|sitemap\.xml|robots\.txt|\bCNAME\b|_redirects/;
    const offenders: string[] = [];
    for (const file of fs.readdirSync(path.join(PROJECT, 'src'), { recursive: true }) as string[]) {
      if (!/\.(ts|js|astro|mjs)$/.test(file) || file === path.join('routing', 'layout.ts')) continue;
      const code = fs
        .readFileSync(path.join(PROJECT, 'src', file), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/<!--[\s\S]*?-->/g, '')
        .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
      code.split('\n').forEach((line, i) => {
        // A module's name (the `pagefind` package) is not an output folder's.
        const names = line.replace(/import\.meta\.resolve\(\s*(['"`])[^'"`]*\1\s*\)/g, '');
        if (literal.test(names) && !/^\s*import\b/.test(line))
          offenders.push(`src/${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });
});

describe('computed related articles', () => {
  it('break ties in score by title in the locale order, not by code point', () => {
    const titles = ['Zebra stripes', 'apple pie', 'Éclair recipe', 'banana bread', 'Target one'];
    const { model } = tinyModel({
      languages: ['en'],
      collections: ['food'],
      articles: titles.map((title, i) => ({ id: `a${i}`, lang: 'en', collection: 'food', title })),
    });
    const candidates = [...model.helpCenters.get('main')!.articles.values()].map((group) => ({
      group,
      article: group.translations.get('en')!,
    }));
    // Every other article shares the collection and no word: all tie.
    const related = computeRelated(candidates, 4).get('a4')!;
    expect(related.map((id) => titles[Number(id.slice(1))])).toEqual([
      'apple pie',
      'banana bread',
      'Éclair recipe',
      'Zebra stripes',
    ]);
  });

  it("takes the last build's related articles where no title, tag or collection changed, and computes them where one did", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'related-cache-'));
    try {
      const titles = ['Reset your password', 'Change your email', 'Invoices and receipts', 'Export invoices'];
      const candidatesOf = (list: string[]) => {
        const { model } = tinyModel({
          languages: ['en'],
          collections: ['account', 'billing'],
          articles: list.map((title, i) => ({
            id: `a${i}`,
            lang: 'en',
            collection: i < 2 ? 'account' : 'billing',
            title,
          })),
        });
        return [...model.helpCenters.get('main')!.articles.values()].map((group) => ({
          group,
          article: group.translations.get('en')!,
        }));
      };
      /** One build's related articles, through the load cache of the one before. */
      const build = (list: string[]) => {
        const cache = new LoadCache('/content', 'v1', false, { dir });
        const related = relatedArticles(candidatesOf(list), 2, cache);
        cache.save();
        return { related: Object.fromEntries(related), hits: cache.hits };
      };
      const first = build(titles);
      expect(first.related).toEqual(Object.fromEntries(computeRelated(candidatesOf(titles), 2)));
      expect(first.related.a0).toEqual(['a1']);
      expect(build(titles)).toEqual({ related: first.related, hits: 1 });
      // A title that now shares a word with another article changes what is related to it.
      const retitled = titles.with(3, 'Reset password invoices');
      const again = build(retitled);
      expect(again.hits).toBe(0);
      expect(again.related).not.toEqual(first.related);
      expect(again.related).toEqual(Object.fromEntries(computeRelated(candidatesOf(retitled), 2)));
      expect(again.related.a0).toEqual(['a1', 'a3']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
