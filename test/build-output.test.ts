import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, inject, it } from 'vitest';
import { filesUnder, read } from './helpers/dist.ts';

const dist = inject('exampleDist');
const page = (file: string) => read(dist, file);

describe('every brand gets its own deployable site', () => {
  it.each([
    ['acme', ['en', 'de', 'ja', 'ar'], 'help.acme.test'],
    ['acme-eu', ['en', 'de'], 'acme-eu.help.example.com'],
    ['globex', ['en', 'ja'], 'globex.help.example.com'],
  ])(
    '%s: root, homes, collections, articles, 404, sitemap, robots, CNAME, _redirects, Markdown copies',
    (brand, languages, domain) => {
      const files = filesUnder(path.join(dist, brand));
      expect(files).toContain('index.html');
      for (const lang of languages) expect(files).toContain(`${lang}/index.html`);
      expect(files.some((f) => /^en\/collections\/.+\/index\.html$/.test(f))).toBe(true);
      expect(files.some((f) => /^en\/articles\/[^/]+\/index\.html$/.test(f))).toBe(true);
      expect(files.some((f) => /^en\/articles\/[^/]+\.md$/.test(f))).toBe(true);
      for (const file of ['404.html', 'sitemap.xml', 'robots.txt', 'CNAME', '_redirects'])
        expect(files).toContain(file);
      expect(read(dist, `${brand}/CNAME`).trim()).toBe(domain);
      // Languages the brand does not publish are not built.
      expect(files.some((f) => f.startsWith('fr/'))).toBe(false);
    },
  );

  it('nests collection pages three levels deep', () => {
    expect(fs.existsSync(path.join(dist, 'acme/en/collections/billing/payments/cards/index.html'))).toBe(
      true,
    );
  });

  it('keeps brands apart: a brand shows only its own help center', () => {
    const globex = filesUnder(path.join(dist, 'globex'));
    expect(globex).toContain('en/articles/quick-start/index.html');
    expect(globex).not.toContain('en/articles/refunds/index.html');
  });

  it('serves the root in the visitor language, with links for browsers without JavaScript', () => {
    const root = page('acme/index.html');
    for (const lang of ['en', 'de', 'ja', 'ar']) expect(root).toContain(`href="/${lang}/"`);
  });
});

describe('listing rules', () => {
  const collection = (lang: string, p: string) => page(`acme/${lang}/collections/${p}/index.html`);

  it('lists a collection in a language only when it holds a published, listed article in it', () => {
    expect(fs.existsSync(path.join(dist, 'acme/en/collections/integrations/legacy/index.html'))).toBe(true);
    expect(fs.existsSync(path.join(dist, 'acme/de/collections/integrations/legacy/index.html'))).toBe(false);
    expect(collection('de', 'integrations')).not.toContain('/collections/integrations/legacy/');
  });

  it('builds unlisted articles, reachable by URL only and noindex', () => {
    const unlisted = page('acme/en/articles/webhooks-beta/index.html');
    expect(unlisted).toMatch(/<meta name="robots" content="noindex/);
    expect(collection('en', 'integrations')).not.toContain('/articles/webhooks-beta/');
    expect(page('acme/sitemap.xml')).not.toContain('webhooks-beta');
    // An article at the help-center root belongs to no collection: built, never listed.
    expect(fs.existsSync(path.join(dist, 'acme/en/articles/status-page/index.html'))).toBe(true);
    for (const file of filesUnder(path.join(dist, 'acme')).filter(
      (f) => f.endsWith('.html') && !f.includes('status-page'),
    ))
      expect(page(`acme/${file}`), file).not.toContain('/articles/status-page/');
  });

  it('redirects former ids (aliases) to the article', () => {
    expect(page('acme/_redirects')).toContain(
      '/en/articles/add-team-members/ /en/articles/invite-teammates/ 301',
    );
    expect(page('acme/en/articles/add-team-members/index.html')).toContain(
      'url=/en/articles/invite-teammates/',
    );
  });

  it('noindex everywhere and Disallow: / for a brand with indexing: false', () => {
    expect(page('acme-eu/robots.txt')).toContain('Disallow: /');
    for (const file of filesUnder(path.join(dist, 'acme-eu')).filter((f) => f.endsWith('.html')))
      expect(page(`acme-eu/${file}`), file).toMatch(/<meta name="robots" content="noindex/);
    expect(page('acme/robots.txt')).toContain('Sitemap: https://help.acme.test/sitemap.xml');
  });
});

describe('private, internal and draft text never reaches the public tree', () => {
  const secrets = [
    'ENT-SSO-7731', // private article bodies
    'RET-HOLD-2290',
    'Enterprise SSO setup', // private titles
    'Custom data retention',
    'Enterprise-SSO einrichten',
    'Never paste this text into a customer reply', // internal
    'Escalating a refund request',
    'Connect Acme to Salesforce', // draft
  ];

  it.each(['acme', 'acme-eu', 'globex'])('%s: no secret in any file', (brand) => {
    const files = filesUnder(path.join(dist, brand)).filter((f) =>
      /\.(html|xml|txt|md|json|js|css)$|_redirects$/.test(f),
    );
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = page(`${brand}/${file}`);
      for (const secret of secrets)
        expect(text.includes(secret), `${brand}/${file} contains "${secret}"`).toBe(false);
    }
  });

  it('reports nothing of a private article to Google, where the brand has GA4', () => {
    expect(page('acme/en/articles/refunds/index.html')).toContain('data-sp-analytics');
    expect(page('_private/acme/en/articles/enterprise-sso-setup/index.html')).not.toContain(
      'data-sp-analytics',
    );
  });

  it('builds private articles into _private/<brand>/ only', () => {
    expect(page('_private/acme/en/articles/enterprise-sso-setup/index.html')).toContain('ENT-SSO-7731');
    // The public tree only says "sign in to read this" there, with none of the article.
    const stub = page('acme/en/articles/enterprise-sso-setup/index.html');
    expect(stub).toContain('Sign in to read this article');
    expect(stub).toContain('return_to=%2Fen%2Farticles%2Fenterprise-sso-setup%2F');
    expect(stub).toContain('<meta name="robots" content="noindex">');
    for (const secret of ['ENT-SSO-7731', 'Enterprise SSO', 'SAML']) expect(stub).not.toContain(secret);
    expect(fs.existsSync(path.join(dist, '_private/acme/en/articles/refunds'))).toBe(false);
  });

  it('never builds drafts or internal articles', () => {
    const all = filesUnder(dist);
    expect(all.some((f) => f.includes('salesforce-integration'))).toBe(false);
    expect(all.some((f) => f.includes('escalation'))).toBe(false);
  });
});

describe('every page: canonical, hreflang, social tags, structured data, language and direction', () => {
  const refunds = (lang: string) => page(`acme/${lang}/articles/refunds/index.html`);

  it('canonical and hreflang alternates on the brand domain', () => {
    const html = refunds('de');
    expect(html).toContain('<link rel="canonical" href="https://help.acme.test/de/articles/refunds/"');
    for (const lang of ['en', 'de', 'ja', 'ar'])
      expect(html).toContain(`hreflang="${lang}" href="https://help.acme.test/${lang}/articles/refunds/"`);
    expect(html).toContain('hreflang="x-default" href="https://help.acme.test/en/articles/refunds/"');
  });

  it('Open Graph, Twitter and JSON-LD (Article, BreadcrumbList)', () => {
    const html = refunds('en');
    expect(html).toMatch(/<meta property="og:title" content="Request a refund"/);
    expect(html).toContain('<meta property="og:url" content="https://help.acme.test/en/articles/refunds/"');
    expect(html).toMatch(
      /<meta property="og:image" content="https:\/\/help\.acme\.test\/_brand\/social\.png"/,
    );
    expect(html).toMatch(/<meta name="twitter:card" content="summary_large_image"/);
    const ld = [...html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)].map((m) =>
      JSON.parse(m[1]!),
    );
    const types = ld
      .flatMap((d) => (Array.isArray(d) ? d : (d['@graph'] ?? [d])))
      .map((d: { '@type': string }) => d['@type']);
    expect(types).toEqual(expect.arrayContaining(['Article', 'BreadcrumbList']));
  });

  it('lang and dir: Arabic pages are right-to-left', () => {
    expect(refunds('ar')).toMatch(/<html[^>]*lang="ar"[^>]*dir="rtl"|<html[^>]*dir="rtl"[^>]*lang="ar"/);
    expect(refunds('ja')).toMatch(/<html[^>]*lang="ja"/);
    expect(refunds('ja')).toMatch(/<html[^>]*dir="ltr"/);
  });

  it('breadcrumbs lead back through the collection', () => {
    const html = page('acme/en/articles/update-card/index.html');
    expect(html).toContain('href="/en/collections/billing/payments/"');
    expect(html).toContain('href="/en/collections/billing/"');
  });

  it('the language switcher says when a translation is missing instead of linking to a 404', () => {
    const html = page('acme/en/articles/webhooks-beta/index.html');
    expect(html).not.toContain('/de/articles/webhooks-beta/');
    expect(html).toMatch(/Not available in Deutsch/);
  });

  it('sitemap lists public pages with hreflang alternates', () => {
    const xml = page('acme/sitemap.xml');
    expect(xml).toContain('<loc>https://help.acme.test/en/articles/refunds/</loc>');
    expect(xml).toContain(
      '<xhtml:link rel="alternate" hreflang="de" href="https://help.acme.test/de/articles/refunds/"/>',
    );
    expect(xml).not.toContain('enterprise-sso-setup');
  });
});

describe('articles render the Markdown a writer expects', () => {
  it('links between articles point at the same language, or the default where none exists', () => {
    expect(page('acme/en/articles/refunds/index.html')).toContain('href="/en/articles/update-card/"');
    expect(page('acme/ja/articles/welcome-to-acme/index.html')).toContain(
      'href="/en/articles/install-chat-widget/"',
    );
  });

  it('GitHub alerts become callouts; code is highlighted at build time; headings get anchors', () => {
    const refunds = page('acme/en/articles/refunds/index.html');
    expect(refunds).toMatch(/<aside class="callout callout-important"/);
    expect(refunds).toMatch(/<h2 id="who-can-request-a-refund"/);
    const code = page('acme/en/articles/two-factor-authentication/index.html');
    expect(code).toContain('--shiki-light');
  });

  it('images are optimised: WebP srcset, width and height', () => {
    const html = page('acme/en/articles/download-invoices/index.html');
    expect(html).toMatch(/<source type="image\/webp" srcset="\/_astro\/[^"]+\.webp \d+w/);
    expect(html).toMatch(
      /<img src="\/_astro\/[^"]+" alt="The Invoices list[^"]*"[^>]* width="\d+" height="\d+"/,
    );
    const asset = /<img src="\/_astro\/([^"]+)"/.exec(html)![1]!;
    expect(fs.existsSync(path.join(dist, 'acme/_astro', asset))).toBe(true);
  });

  it('MDX components: steps, tabs, video', () => {
    const html = page('acme/en/articles/install-chat-widget/index.html');
    expect(html).toContain('class="steps"');
    expect(html).toMatch(/<details class="tab"/);
    expect(html).toContain('https://www.youtube-nocookie.com/embed/');
  });

  it('a Markdown copy for agents with absolute links', () => {
    const md = page('acme/en/articles/refunds.md');
    // Front matter an agent can read (url, title, language, updated), then the article.
    expect(md).toMatch(/^---\n[\s\S]*?\n---\n# Request a refund\n/);
    expect(md).toContain('url: "https://help.acme.test/en/articles/refunds/"');
    expect(md).toContain('https://help.acme.test/en/articles/update-card/');
  });

  it('the dark theme is a one-line swap in the brand file', () => {
    expect(page('globex/en/index.html')).toMatch(/data-scheme="dark"/);
    expect(page('acme/en/index.html')).not.toMatch(/data-scheme="dark"/);
  });
});

describe('the search index', () => {
  /** Every text a Pagefind index holds: fragments and meta are gzip-compressed JSON. */
  function indexText(dir: string): string {
    return filesUnder(dir)
      .map((file) => {
        const bytes = fs.readFileSync(path.join(dir, file));
        try {
          return zlib.gunzipSync(bytes).toString('utf8');
        } catch {
          return bytes.toString('utf8');
        }
      })
      .join('\n');
  }

  it('gives each brand a public index split by language, with only its listed articles', () => {
    const entry = JSON.parse(page('acme/pagefind/pagefind-entry.json')) as {
      languages: Record<string, { page_count: number }>;
    };
    expect(Object.keys(entry.languages).sort()).toEqual(['ar', 'de', 'en', 'ja']);
    const text = indexText(path.join(dist, 'acme/pagefind'));
    expect(text).toContain('/en/articles/refunds/');
    // Unlisted and root articles are reachable by URL only, never found by search.
    expect(text).not.toContain('/en/articles/webhooks-beta/');
    expect(text).not.toContain('/en/articles/status-page/');
    // Only title and body are indexed: no footer or navigation text.
    expect(text).not.toContain('Powered by Signpost');
    expect(JSON.parse(page('globex/pagefind/pagefind-entry.json')).languages).toHaveProperty('ja');
  });

  it('keeps private articles in their own index, never in the public one', () => {
    for (const brand of ['acme', 'acme-eu']) {
      const text = indexText(path.join(dist, brand, 'pagefind'));
      for (const secret of ['ENT-SSO-7731', 'RET-HOLD-2290', 'Enterprise SSO setup', 'Custom data retention'])
        expect(text.includes(secret), `${brand}/pagefind contains "${secret}"`).toBe(false);
    }
    // One private index per audience set: the gate serves each only to those audiences.
    const sso = indexText(path.join(dist, '_private/acme/pagefind-admins+enterprise'));
    expect(sso).toContain('ENT-SSO-7731');
    expect(sso).not.toContain('RET-HOLD-2290');
    expect(sso).not.toContain('/en/articles/refunds/');
    expect(indexText(path.join(dist, '_private/acme/pagefind-enterprise'))).toContain('RET-HOLD-2290');
  });
});
