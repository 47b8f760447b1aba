import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Problems } from '../src/content/problems.ts';
import { gateManifest } from '../src/output/gate-manifest.ts';
import { BrandContext } from '../src/routing/context.ts';
import { ArticleRenderer } from '../src/routing/render.ts';
import { computeBrand } from '../src/routing/site.ts';
import type { SiteData } from '../src/routing/types.ts';
import { tinyModel } from './helpers/model.ts';

const PRIVACY = {
  loginUrl: 'https://app.acme.test/login?return_to={returnTo}',
  jwt: { secretEnv: 'ACME_JWT_SECRET', algorithms: ['HS256' as const] },
};

async function build(privacy: typeof PRIVACY | undefined = PRIVACY) {
  const { model, brand } = tinyModel({
    languages: ['en', 'de'],
    collections: ['billing'],
    articles: [
      { id: 'refunds', lang: 'en', collection: 'billing', title: 'Refunds' },
      {
        id: 'sso',
        lang: 'en',
        collection: 'billing',
        title: 'Enterprise SSO',
        visibility: 'private',
        audiences: ['enterprise', 'admins'],
      },
      {
        id: 'retention',
        lang: 'en',
        collection: 'billing',
        title: 'Data retention',
        visibility: 'private',
        audiences: ['enterprise'],
      },
      { id: 'beta', lang: 'en', collection: 'billing', title: 'Beta program', visibility: 'private' },
    ],
    brand: privacy ? { privacy } : {},
  });
  const site = await computeBrand(
    new BrandContext(model, brand, 'build', new ArticleRenderer(new Problems())),
  );
  const data: SiteData = {
    mode: 'build',
    brands: [site],
    problems: [],
    audiences: { enterprise: { rules: [] } },
    embedHosts: ['videos.acme.test'],
  };
  return { site, data };
}

describe('the public tree at a private article URL', () => {
  it('is a sign-in page with the login link and nothing of the article', async () => {
    const { site } = await build();
    const stub = site.pages.find((p) => p.url === '/en/articles/sso/' && !p.private);
    expect(stub).toMatchObject({
      kind: 'sign-in',
      title: 'Sign in to read this article',
      description: '',
      noindex: true,
      sitemap: false,
      breadcrumbs: [],
      alternates: [],
      loginUrl: 'https://app.acme.test/login?return_to=%2Fen%2Farticles%2Fsso%2F',
    });
    expect(JSON.stringify(stub)).not.toMatch(/Enterprise SSO|enterprise|admins/);
  });
});

describe('the gate manifest', () => {
  it('names every private URL with its audiences, one private index per audience set, and the not-available pages', async () => {
    const { site, data } = await build();
    const manifest = gateManifest(data, site, ['let a=1', 'let a=1', 'location.replace("/en/")']);
    expect(manifest.private).toEqual({
      '/en/articles/sso/': { audiences: ['admins', 'enterprise'] },
      '/en/articles/retention/': { audiences: ['enterprise'] },
      '/en/articles/beta/': { audiences: [] },
    });
    expect(manifest.searchIndexes).toEqual([
      { url: '/_private/pagefind/', dir: 'pagefind', audiences: [] },
      {
        url: '/_private/pagefind-admins+enterprise/',
        dir: 'pagefind-admins+enterprise',
        audiences: ['admins', 'enterprise'],
      },
      { url: '/_private/pagefind-enterprise/', dir: 'pagefind-enterprise', audiences: ['enterprise'] },
    ]);
    expect(manifest.notAvailable).toEqual({ en: '/en/not-available/', de: '/de/not-available/' });
    expect(manifest.privacy).toMatchObject({ loginUrl: PRIVACY.loginUrl, session: { maxAge: 43200 } });
    const hash = (s: string) => `sha256-${createHash('sha256').update(s).digest('base64')}`;
    expect(manifest.csp).toEqual({
      scriptHashes: [hash('let a=1'), hash('location.replace("/en/")')].sort(),
      ga4: false,
      // The workspace's extra video hosts may be framed, as the articles' allow-list lets them.
      frameHosts: ['videos.acme.test'],
    });
  });
});
