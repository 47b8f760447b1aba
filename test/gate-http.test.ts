import fs from 'node:fs';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  JWT,
  MARKERS,
  SCRIPT_HASH,
  request,
  signIn,
  startServe,
  writeFixtureDist,
  type Answer,
  type Served,
} from './helpers/gate.ts';

// `signpost serve` as an operator runs it, over a hand-made dist with two brands: acme (sign-in,
// private pages for every customer and for admins) and globex (public only, GA4 on).
const fixture = writeFixtureDist();
const env = { ACME_JWT_SECRET: JWT.secret };
let gate: Served;
const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
  request(gate.port, path, { headers, method });
const markersIn = (answer: Answer) => Object.values(MARKERS).filter((marker) => answer.text.includes(marker));

beforeAll(async () => {
  gate = await startServe(['--dist', fixture.dist], env);
});
afterAll(async () => {
  await gate?.stop();
  fs.rmSync(fixture.root, { recursive: true, force: true });
});

describe('signpost serve: public files', () => {
  it('says where each brand is served, and that sessions use a random secret', () => {
    expect(gate.stdout).toContain(
      'note: brand acme: SIGNPOST_SESSION_SECRET is not set, so sessions use a random secret and end when the gate restarts',
    );
    expect(gate.stdout).toMatch(
      /serving brand "acme" at http:\/\/127\.0\.0\.1:\d+ \(Host: help\.acme\.test:\d+\)/,
    );
    expect(gate.stdout).toMatch(/serving brand "globex" at /);
  });

  it.each([
    ['/', 'text/html; charset=utf-8'],
    ['/en/articles/refunds.md', 'text/markdown; charset=utf-8'],
    ['/_astro/app.Ab12Cd.css', 'text/css; charset=utf-8'],
    ['/_astro/client.Ef34Gh.js', 'text/javascript; charset=utf-8'],
    ['/pagefind/pagefind-entry.json', 'application/json; charset=utf-8'],
    ['/pagefind/fragment/en_1a2b3c.pf_fragment', 'application/octet-stream'],
    ['/sitemap.xml', 'application/xml; charset=utf-8'],
    ['/robots.txt', 'text/plain; charset=utf-8'],
    ['/_brand/logo.svg', 'image/svg+xml'],
    ['/_brand/sample.png', 'image/png'],
    ['/_brand/sample.jpg', 'image/jpeg'],
    ['/_brand/sample.webp', 'image/webp'],
    ['/_brand/sample.avif', 'image/avif'],
    ['/_brand/sample.woff2', 'font/woff2'],
    ['/_brand/sample.wasm', 'application/wasm'],
  ])('answers %s as %s', async (path, type) => {
    const answer = await get(path);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe(type);
  });

  it('answers 304 to a matching If-None-Match, and HEAD with headers only', async () => {
    const first = await get('/en/articles/refunds/');
    expect(first.text).toContain('Refunds take five working days');
    const etag = first.headers.etag ?? '';
    expect(etag).toMatch(/^"/);
    expect((await get('/en/articles/refunds/', { 'if-none-match': etag })).status).toBe(304);
    expect((await get('/en/articles/refunds/', { 'if-none-match': '"stale"' })).status).toBe(200);
    const head = await get('/en/articles/refunds/', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(first.body.length));
    expect(head.body.length).toBe(0);
  });

  it('answers byte ranges with 206, and 416 past the end', async () => {
    const part = await get('/ranged.txt', { range: 'bytes=2-4' });
    expect([part.status, part.text, part.headers['content-range']]).toEqual([206, '234', 'bytes 2-4/10']);
    expect((await get('/ranged.txt', { range: 'bytes=-3' })).text).toBe('789');
    const past = await get('/ranged.txt', { range: 'bytes=20-' });
    expect([past.status, past.headers['content-range']]).toEqual([416, 'bytes */10']);
  });

  it('compresses text with br or gzip as the client accepts, with its own ETag', async () => {
    const plain = await get('/en/articles/refunds/');
    const br = await get('/en/articles/refunds/', { 'accept-encoding': 'gzip, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    expect(br.body.length).toBeLessThan(plain.body.length / 5);
    expect(br.headers.etag).not.toBe(plain.headers.etag);
    expect(br.headers.vary).toContain('Accept-Encoding');
    const gzip = await get('/en/articles/refunds/', { 'accept-encoding': 'gzip, br;q=0' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gzip.body).equals(plain.body)).toBe(true);
    // Already-compressed search fragments go as they are.
    const fragment = await get('/pagefind/fragment/en_1a2b3c.pf_fragment', { 'accept-encoding': 'br' });
    expect(fragment.headers['content-encoding']).toBeUndefined();
  });

  it('lets browsers keep hashed assets for good and revalidate pages', async () => {
    const immutable = 'public, max-age=31536000, immutable';
    expect((await get('/_astro/app.Ab12Cd.css')).headers['cache-control']).toBe(immutable);
    expect((await get('/pagefind/fragment/en_1a2b3c.pf_fragment')).headers['cache-control']).toBe(immutable);
    expect((await get('/en/')).headers['cache-control']).toBe('public, max-age=0, must-revalidate');
    expect((await get('/pagefind/pagefind-entry.json')).headers['cache-control']).toBe(
      'public, max-age=0, must-revalidate',
    );
  });

  it('redirects a folder URL to its slash form, and answers misses with the 404 page', async () => {
    const folder = await get('/en/collections/billing?ref=mail');
    expect([folder.status, folder.headers.location]).toEqual([301, '/en/collections/billing/?ref=mail']);
    const missing = await get('/en/articles/nope/');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('ACME-404-PAGE');
  });

  it('answers an article URL with its Markdown copy when asked for text/markdown', async () => {
    const md = await get('/en/articles/refunds/', { accept: 'text/markdown' });
    expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(md.text).toMatch(/^# Refunds/);
    expect(md.headers.vary).toContain('Accept');
    const browser = await get('/en/articles/refunds/', { accept: 'text/html,*/*;q=0.8' });
    expect(browser.headers['content-type']).toBe('text/html; charset=utf-8');
  });

  it('picks the brand by Host, and serves no brand at an unknown host', async () => {
    expect((await get('/', { host: 'help.globex.test:8080' })).text).toContain('Globex help');
    expect((await get('/nope', { host: 'HELP.GLOBEX.TEST' })).text).toContain('GLOBEX-404-PAGE');
    const unknown = await get('/', { host: 'elsewhere.test' });
    expect(unknown.status).toBe(404);
    expect(unknown.text).not.toMatch(/acme|globex/i);
  });
});

describe('signpost serve: security headers', () => {
  const scriptSrc = (answer: Answer) =>
    /(?:^|; )script-src ([^;]*)/.exec(String(answer.headers['content-security-policy']))?.[1] ?? '';

  it('sends a CSP that runs only our scripts and the hashed inline ones, on every answer', async () => {
    for (const answer of [await get('/'), await get('/en/articles/nope/'), await get('/en/articles/sso/')]) {
      const csp = String(answer.headers['content-security-policy']);
      expect(scriptSrc(answer).split(' ')).toEqual(["'self'", "'wasm-unsafe-eval'", `'${SCRIPT_HASH}'`]);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).toContain('https://www.youtube-nocookie.com');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    }
  });

  it("admits Google's GA4 hosts only for the brand that configured GA4", async () => {
    const acme = await get('/');
    const globex = await get('/', { host: 'help.globex.test' });
    expect(String(acme.headers['content-security-policy'])).not.toContain('google');
    expect(scriptSrc(globex)).toContain('https://www.googletagmanager.com');
    expect(String(globex.headers['content-security-policy'])).toContain('google-analytics.com');
    expect(scriptSrc(globex)).not.toContain('unsafe-inline');
  });

  it('sends HSTS only over TLS, and believes X-Forwarded-Proto only with --trust-proxy', async () => {
    expect(
      (await get('/', { 'x-forwarded-proto': 'https' })).headers['strict-transport-security'],
    ).toBeUndefined();
    const proxied = await startServe(['--dist', fixture.dist, '--brand', 'acme', '--trust-proxy'], env);
    try {
      const tls = await request(proxied.port, '/', {
        headers: { host: 'anything.test', 'x-forwarded-proto': 'https' },
      });
      expect(tls.text).toContain('Acme help');
      expect(tls.headers['strict-transport-security']).toMatch(/^max-age=\d{7,}/);
      expect((await request(proxied.port, '/')).headers['strict-transport-security']).toBeUndefined();
    } finally {
      await proxied.stop();
    }
  });
});

describe('signpost serve: nothing outside the public tree by any spelling of ..', () => {
  const targets = [
    '_private/acme/en/articles/sso/index.html',
    '_private/acme/pagefind/pagefind-entry.json',
    '_export/acme/knowledge.json',
    '_gate/acme.json',
    'outside.txt',
  ];
  const climbs = [
    '..',
    '%2e%2e',
    '%2E%2E',
    '.%2e',
    '%252e%252e',
    '%c0%ae%c0%ae',
    '%e0%80%ae%e0%80%ae',
    '..%00',
  ];
  const joins = ['/', '%2f', '%2F', '\\', '%5c', '%255c'];
  const paths = new Set<string>();
  for (const target of targets)
    for (const climb of climbs)
      for (const join of joins) {
        const up = (depth: number) => `/${`${climb}${join}`.repeat(depth)}${target.replaceAll('/', join)}`;
        paths.add(up(1)).add(up(2)).add(up(3));
      }
  for (const target of targets) paths.add(`/${target}`).add(`/en/${target}%00.html`).add(`/${target}?x=1`);

  it(`never answers any of ${paths.size} crafted paths with a planted file`, async () => {
    const leaks: string[] = [];
    for (const path of paths) {
      const answer = await get(path);
      if (answer.status === 200 || markersIn(answer).length)
        leaks.push(`${path} → ${answer.status} ${markersIn(answer)}`);
    }
    expect(leaks).toEqual([]);
  });
});

describe('signpost serve: private articles', () => {
  it('sends an anonymous visitor to sign in, with returnTo and nothing of the article', async () => {
    for (const path of ['/en/articles/sso/', '/en/articles/sso/index.html', '/en/articles/sso.md']) {
      const answer = await get(path);
      expect(answer.status).toBe(302);
      expect(markersIn(answer)).toEqual([]);
    }
    const answer = await get('/en/articles/sso/?tab=2');
    expect(answer.headers.location).toBe(
      `https://app.acme.test/login?next=${encodeURIComponent('/en/articles/sso/?tab=2')}`,
    );
    expect(answer.headers['cache-control']).toBe('no-store');
  });

  it('shows the page to a signed-in customer, never cached by anyone else', async () => {
    const { answer, cookie } = await signIn(gate.port, { plan: 'pro' }, '/en/articles/sso/');
    expect([answer.status, answer.headers.location]).toEqual([303, '/en/articles/sso/']);
    const page = await get('/en/articles/sso/', { cookie });
    expect(page.status).toBe(200);
    expect(page.text).toContain(MARKERS.sso);
    expect(page.headers['cache-control']).toBe('private, no-store');
    // Its hashed assets come from the private tree, for a session only.
    expect((await get('/_astro/secret.Zz99.webp', { cookie })).status).toBe(200);
    expect(markersIn(await get('/_astro/secret.Zz99.webp'))).toEqual([]);
  });

  it('answers 403 with the localized not-available page when the audience does not match', async () => {
    const { cookie } = await signIn(gate.port, { role: 'member' }, '/');
    const en = await get('/en/articles/admin-keys/', { cookie });
    expect(en.status).toBe(403);
    expect(en.text).toContain('Not available for your account');
    expect(en.text).not.toMatch(/Admin API keys|SECRET/);
    const de = await get('/de/articles/admin-keys/', { cookie });
    expect([de.status, de.text.includes('Für Ihr Konto nicht verfügbar'), markersIn(de)]).toEqual([
      403,
      true,
      [],
    ]);
    const { cookie: admin } = await signIn(gate.port, { role: 'admin' }, '/');
    expect((await get('/de/articles/admin-keys/', { cookie: admin })).text).toContain(MARKERS.admin);
  });

  it('serves private search indexes only to sessions their audiences allow', async () => {
    const entry = '/_private/pagefind/pagefind-entry.json';
    const adminEntry = '/_private/pagefind-admins/pagefind-entry.json';
    const anonymous = await get(entry);
    expect([anonymous.status, markersIn(anonymous)]).toEqual([401, []]);
    const { cookie } = await signIn(gate.port, { role: 'member' }, '/');
    expect((await get(entry, { cookie })).text).toContain(MARKERS.privateIndex);
    const refused = await get(adminEntry, { cookie });
    expect([refused.status, markersIn(refused)]).toEqual([404, []]);
    expect(JSON.parse((await get('/_auth/session', { cookie })).text)).toEqual({
      signedIn: true,
      indexes: ['/_private/pagefind/'],
    });
  });

  it('is anonymous again after logout, and with a tampered cookie', async () => {
    const { cookie } = await signIn(gate.port, {}, '/');
    const logout = await get('/_auth/logout', { cookie });
    const cleared = (logout.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    expect(cleared).toMatch(/sp_gate=(;|$)/);
    expect((await get('/en/articles/sso/', { cookie: cleared })).status).toBe(302);
    const tampered = cookie.replace(/sp_gate=(.)/, (_, c: string) => `sp_gate=${c === 'e' ? 'f' : 'e'}`);
    const answer = await get('/en/articles/sso/', { cookie: tampered });
    expect([answer.status, markersIn(answer)]).toEqual([302, []]);
  });
});
