import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadContent } from '../src/content/load.ts';
import type { Article, Model } from '../src/content/model.ts';
import type { FeedArticle, KnowledgeFeed } from '../src/feed/schema.ts';
import { writeFeeds } from '../src/output/feed-files.ts';
import { computeSite } from '../src/routing/site.ts';
import { filesUnder, read } from './helpers/dist.ts';
import { PROJECT } from './helpers/example.ts';

const dist = inject('exampleDist');
const BRANDS = ['acme', 'acme-eu', 'globex'] as const;
const feed = (brand: string, scope: 'public' | 'full'): KnowledgeFeed =>
  JSON.parse(read(dist, scope === 'public' ? `${brand}/knowledge.json` : `_export/${brand}/knowledge.json`));
const article = (f: KnowledgeFeed, id: string, language = 'en'): FeedArticle => {
  const found = f.articles.find((a) => a.id === id && a.language === language);
  if (!found) throw new Error(`${f.brand.id} ${f.scope} feed has no ${id} (${language})`);
  return found;
};

let model: Model;
beforeAll(async () => {
  model = (await loadContent(path.join(PROJECT, 'content'))).model!;
});
const translations = (): Article[] =>
  [...model.helpCenters.values(), model.internal].flatMap((tree) =>
    [...tree.articles.values()].flatMap((g) => [...g.translations.values()]),
  );

describe('the full feed (_export/<brand>/knowledge.json)', () => {
  it('holds public, private and internal articles, never drafts or unlisted ones', () => {
    const full = feed('acme', 'full');
    expect(article(full, 'refunds').visibility).toBe('public');
    const sso = article(full, 'enterprise-sso-setup');
    expect(sso.visibility).toBe('private');
    expect(sso.url).toBe('https://help.acme.test/en/articles/enterprise-sso-setup/');
    expect(sso.body.text).toContain('ENT-SSO-7731');
    const escalation = article(full, 'escalation');
    expect(escalation).toMatchObject({ visibility: 'internal', url: null, collection: null });
    expect(escalation.folder).toEqual({
      path: ['support-playbooks', 'refunds'],
      names: [
        { name: 'Support playbooks', emoji: '📘' },
        { name: 'Refund playbooks', emoji: '💸' },
      ],
    });
    expect(escalation.body.text).toContain('Never paste this text into a customer reply');
    expect(escalation.intercom).not.toHaveProperty('url');
    const ids = full.articles.map((a) => a.id);
    expect(ids).not.toContain('salesforce-integration'); // draft
    expect(ids).not.toContain('webhooks-beta'); // unlisted
    expect(ids).not.toContain('status-page'); // at the root: unlisted
    // Only the brand's languages: Globex publishes en and ja, so the German playbook stays out.
    expect(
      feed('globex', 'full')
        .articles.filter((a) => a.id === 'escalation')
        .map((a) => a.language),
    ).toEqual(['en']);
  });

  it('carries ai flags as written, with collection and folder defaults, else true', () => {
    const full = feed('acme', 'full');
    const ai = (id: string) => article(full, id).ai;
    expect(ai('failed-payments')).toEqual({ agent: false, copilot: true }); // the article's own
    expect(ai('hipchat-migration')).toEqual({ agent: false, copilot: true }); // its collection's
    expect(ai('enterprise-upgrade')).toEqual({ agent: false, copilot: true }); // its parent folder's
    expect(ai('escalation')).toEqual({ agent: true, copilot: true }); // nobody said: true
    expect(ai('refunds')).toEqual({ agent: true, copilot: true });
    // Intercom's flags always written, and always the same as ai.
    for (const a of full.articles) {
      expect(a.intercom.ai_agent_availability, a.id).toBe(a.ai.agent);
      expect(a.intercom.ai_copilot_availability, a.id).toBe(a.ai.copilot);
    }
  });

  it('names the audiences its articles use, with their rules', () => {
    const full = feed('acme', 'full');
    expect(article(full, 'enterprise-sso-setup').audiences).toEqual(['enterprise', 'admins']);
    expect(full.audiences.map((a) => a.key)).toEqual(['admins', 'enterprise']);
    const enterprise = full.audiences.find((a) => a.key === 'enterprise')!;
    expect(enterprise.name).toBe('Enterprise customers');
    expect(enterprise.rules).toContainEqual({ attribute: 'company.seats', operator: 'gt', value: 50 });
    // Globex's articles name no audience, so its feed describes none.
    expect(feed('globex', 'full').audiences).toEqual([]);
  });

  it('links translations, private ones in the full feed only', () => {
    expect(article(feed('acme', 'full'), 'enterprise-sso-setup').translations).toEqual({
      de: 'https://help.acme.test/de/articles/enterprise-sso-setup/',
    });
    expect(article(feed('acme', 'public'), 'refunds', 'de').translations).toEqual({
      en: 'https://help.acme.test/en/articles/refunds/',
      ja: 'https://help.acme.test/ja/articles/refunds/',
      ar: 'https://help.acme.test/ar/articles/refunds/',
    });
  });
});

describe('article bodies an agent can use without the site', () => {
  const invoices = () => article(feed('acme', 'public'), 'download-invoices');

  it('article links are absolute on the brand domain, in Markdown and HTML', () => {
    const refunds = article(feed('acme-eu', 'public'), 'refunds');
    expect(refunds.body.markdown).toContain('(https://acme-eu.help.example.com/en/articles/update-card/)');
    expect(refunds.body.html).toContain('href="https://acme-eu.help.example.com/en/articles/update-card/"');
    for (const brand of BRANDS)
      for (const a of feed(brand, 'full').articles) {
        expect(a.body.html, a.id).not.toMatch(/\s(href|src)="\/(?!\/)/);
        expect(a.body.markdown, a.id).not.toMatch(/\]\((?!https?:|#|mailto:)[^)]*\.md\b/);
      }
  });

  it('images point at the original file, published in the public tree', () => {
    const { markdown, html } = invoices().body;
    const url =
      /!\[The Invoices list[^\]]*\]\((https:\/\/help\.acme\.test\/_astro\/[0-9a-f]{16}\.png)\)/.exec(
        markdown,
      )?.[1];
    expect(url).toBeDefined();
    expect(html).toContain(`<img src="${url}" alt="The Invoices list`);
    expect(html).not.toContain('sp-image');
    const published = fs.readFileSync(path.join(dist, 'acme', new URL(url!).pathname));
    const original = fs.readFileSync(
      path.join(PROJECT, 'content/help-centers/main/billing/invoice-screen.png'),
    );
    expect(published.equals(original)).toBe(true);
  });

  it('contentHash is the sha256 of body.markdown; the Intercom page is the article', () => {
    const a = invoices();
    expect(a.contentHash).toBe(`sha256:${createHash('sha256').update(a.body.markdown).digest('hex')}`);
    expect(a.intercom).toEqual({
      external_id: 'acme:download-invoices:en',
      title: 'Download invoices',
      html: a.body.html,
      locale: 'en',
      url: 'https://help.acme.test/en/articles/download-invoices/',
      ai_agent_availability: true,
      ai_copilot_availability: true,
    });
    expect(a.body.text).toContain('Acme emails an invoice to the billing contact');
    expect(a.body.text).not.toContain('<');
  });
});

describe('nothing private, internal, unlisted or draft is public', () => {
  /** Titles and body lines of every article the public may not read, minus text public ones share. */
  function secrets(): string[] {
    const all = translations();
    const isPublic = (a: Article) => a.state === 'published' && a.visibility === 'public';
    const publicText = all.filter(isPublic).map((a) => `${a.title}\n${a.body}`);
    const phrases = all
      .filter((a) => !isPublic(a))
      .flatMap((a) => [
        a.title,
        ...a.body
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l.length >= 30),
      ]);
    return [...new Set(phrases)].filter((p) => !publicText.some((text) => text.includes(p)));
  }

  it.each(BRANDS)('%s: public feed, llms.txt, llms-full.txt and every .md copy', (brand) => {
    const phrases = secrets();
    expect(phrases).toEqual(expect.arrayContaining(['Enterprise SSO setup', 'Escalating a refund request']));
    const copies = filesUnder(path.join(dist, brand)).filter((f) => f.endsWith('.md'));
    expect(copies.length).toBeGreaterThan(5);
    const files = ['knowledge.json', 'llms.txt', 'llms-full.txt', ...copies];
    for (const file of files) {
      const raw = read(dist, `${brand}/${file}`);
      // JSON escapes quotes; read the strings an agent gets, not their escapes.
      const text = file.endsWith('.json') ? stringsOf(JSON.parse(raw)).join('\n') : raw;
      for (const phrase of phrases) expect(text.includes(phrase), `${file}: ${phrase}`).toBe(false);
    }
    const publicFeed = feed(brand, 'public');
    expect(new Set(publicFeed.articles.map((a) => a.visibility))).toEqual(new Set(['public']));
  });

  it('the public feed is every published public article of the brand, in its languages', () => {
    const brand = model.brands.find((b) => b.id === 'acme')!;
    const expected = [...brand.helpCenter.articles.values()]
      .flatMap((g) => [...g.translations.values()].map((a) => ({ g, a })))
      .filter(({ g, a }) => g.collection && a.state === 'published' && a.visibility === 'public')
      .map(({ a }) => `${a.id}:${a.language}`)
      .sort();
    expect(
      feed('acme', 'public')
        .articles.map((a) => `${a.id}:${a.language}`)
        .sort(),
    ).toEqual(expected);
  });
});

describe('llms.txt (llmstxt.org)', () => {
  it('a title, a summary, a section per top-level collection, and the other languages as Optional', () => {
    const text = read(dist, 'acme/llms.txt');
    expect(text).toMatch(/^# Acme\n\n> How can we help\?\n\n## Getting started\n\n- \[/);
    const sections = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(sections).toEqual([
      'Getting started',
      'Billing',
      'Account & security',
      'Integrations',
      'Optional',
    ]);
    const billing = text.slice(text.indexOf('## Billing'), text.indexOf('## Account'));
    // A sub-collection's article is listed under its top-level collection.
    expect(billing).toContain(
      '- [Update your credit card](https://help.acme.test/en/articles/update-card.md): Replace an expired',
    );
    const optional = text.slice(text.indexOf('## Optional'));
    expect(optional).toContain('(https://help.acme.test/de/articles/refunds.md)');
    expect(text.slice(0, text.indexOf('## Optional'))).not.toMatch(/\/(de|ja|ar)\/articles\//);
  });

  it('links only to Markdown copies that exist', () => {
    for (const brand of BRANDS) {
      const text = read(dist, `${brand}/llms.txt`);
      const links = [...text.matchAll(/\]\((https:\/\/[^)]+)\)/g)].map((m) => new URL(m[1]!).pathname);
      expect(links.length).toBeGreaterThan(3);
      for (const link of links)
        expect(fs.existsSync(path.join(dist, brand, link)), `${brand}${link}`).toBe(true);
    }
  });

  it('llms-full.txt holds every public article, each a .md copy', () => {
    const full = read(dist, 'acme/llms-full.txt');
    const publicFeed = feed('acme', 'public');
    expect(full.match(/^---\nurl: /gm)?.length).toBe(publicFeed.articles.length);
    expect(full).toContain(read(dist, 'acme/en/articles/refunds.md'));
  });
});

describe('.md copies', () => {
  it.each(BRANDS)('%s: each starts with front matter a YAML parser reads back', (brand) => {
    const publicFeed = feed(brand, 'public');
    for (const file of filesUnder(path.join(dist, brand)).filter((f) => f.endsWith('.md'))) {
      const text = read(dist, `${brand}/${file}`);
      const match = /^---\n([\s\S]*?)\n---\n# (.+)\n/.exec(text);
      expect(match, file).not.toBeNull();
      const meta = parseYaml(match![1]!) as Record<string, unknown>;
      const [language, , id] = file.replace(/\.md$/, '').split('/');
      const entry = article(publicFeed, id!, language);
      expect(meta).toEqual({ url: entry.url, title: entry.title, language, updated: entry.updatedAt });
      expect(match![2]).toBe(entry.title);
    }
  });
});

describe('the feed is a contract', () => {
  it('every feed validates against the emitted knowledge.schema.json', () => {
    const schema = JSON.parse(read(dist, '_export/knowledge.schema.json')) as object;
    expect(schema).toHaveProperty('$schema', 'https://json-schema.org/draft/2020-12/schema');
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    for (const brand of BRANDS)
      for (const scope of ['public', 'full'] as const) {
        const data = feed(brand, scope);
        expect(validate(data) ? [] : validate.errors, `${brand} ${scope}`).toEqual([]);
        expect(data.scope).toBe(scope);
      }
    // The schema can say no: an Intercom page without its agent flag would turn the agent on.
    const broken = feed('globex', 'public');
    delete (broken.articles[0]!.intercom as Partial<FeedArticle['intercom']>).ai_agent_availability;
    expect(validate(broken)).toBe(false);
  });

  describe('two builds of the same content', () => {
    // The second build is the feed writer alone, in this process: another Astro build beside the
    // suite's would add minutes and share Astro's cache folder with builds running in parallel.
    let root: string;
    let fresh: Model;
    beforeAll(async () => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-feed-'));
      fresh = (await loadContent(path.join(PROJECT, 'content'))).model!;
      const { site, renderer } = await computeSite(fresh, { mode: 'build' });
      await writeFeeds(root, fresh, site, renderer);
    });
    afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

    it('give byte-identical feeds, generatedAt included (the newest article, not the clock)', () => {
      const files = [
        '_export/knowledge.schema.json',
        ...BRANDS.flatMap((b) => [
          `${b}/knowledge.json`,
          `_export/${b}/knowledge.json`,
          `${b}/llms.txt`,
          `${b}/llms-full.txt`,
        ]),
      ];
      const newest = [...fresh.helpCenters.values()]
        .flatMap((hc) => [...hc.articles.values()])
        .concat([...fresh.internal.articles.values()])
        .flatMap((group) => [...group.translations.values()])
        .reduce((max, article) => Math.max(max, article.updated.getTime()), 0);
      for (const file of files) {
        const [first, second] = [read(dist, file), read(root, file)];
        expect(second, file).toBe(first);
        if (file.endsWith('knowledge.json')) {
          expect(JSON.parse(first).generatedAt, file).toBe(new Date(newest).toISOString());
          // Written article by article, yet exactly what JSON.stringify writes.
          expect(first).toBe(`${JSON.stringify(JSON.parse(first), null, 2)}\n`);
        }
      }
    });
  });
});

/** Every string in a parsed JSON value. */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsOf);
  return [];
}
