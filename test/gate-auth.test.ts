import {
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  UnsecuredJWT,
  type JWK,
  type JWTPayload,
} from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAuth, safeReturnTo, type Auth, type AuthConfig } from '../src/gate/auth/index.ts';
import { urls } from '../src/routing/layout.ts';

// The gate's sign-in as a visitor's browser meets it: real jose-signed tokens through the callback,
// the cookies it sets sent back. Audience rules and operator errors: gate-auth-config.test.ts.

const NOW = Date.UTC(2030, 0, 1);
let now = NOW;
const clock = () => now;
const seconds = () => Math.floor(now / 1000);
const ISSUER = 'https://app.acme.test';
const AUDIENCE = 'signpost';
const LOGIN = 'https://app.acme.test/login?next={returnTo}';
const SITE = 'https://help.acme.test';
const hmac = new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!!');
const env = {
  ACME_JWT_SECRET: new TextDecoder().decode(hmac),
  SIGNPOST_SESSION_SECRET: 'session-secret-of-at-least-32-bytes-long',
};
const audiences: AuthConfig['audiences'] = {
  enterprise: { rules: [{ attribute: 'plan', operator: 'eq', value: 'enterprise' }] },
  big: { rules: [{ attribute: 'company.seats', operator: 'gt', value: 100 }] },
};
const customer = { sub: 'user_42', plan: 'enterprise', company: { seats: 12 }, email: 'ada@acme.test' };

function config(
  jwt: AuthConfig['privacy']['jwt'] = { secretEnv: 'ACME_JWT_SECRET', issuer: ISSUER, audience: AUDIENCE },
): AuthConfig {
  return { brand: 'acme', privacy: { loginUrl: LOGIN, jwt, session: { maxAge: 3600 } }, audiences };
}

type Key = Uint8Array | CryptoKey;
async function sign(
  claims: Record<string, unknown> = {},
  { key = hmac as Key, alg = 'HS256', kid = '', exp = 300 as number | null } = {},
) {
  const payload = {
    iss: ISSUER,
    aud: AUDIENCE,
    iat: seconds(),
    ...(exp === null ? {} : { exp: seconds() + exp }),
    ...customer,
    ...claims,
  };
  return new SignJWT(payload as JWTPayload).setProtectedHeader({ alg, ...(kid ? { kid } : {}) }).sign(key);
}

function callback(
  auth: Auth,
  token: string,
  returnTo = '/en/articles/sso/?tab=2',
  method: 'POST' | 'GET' = 'POST',
) {
  const fields = new URLSearchParams({ token, returnTo });
  const request =
    method === 'POST'
      ? new Request(SITE + urls.authCallback(), { method, body: fields })
      : new Request(`${SITE}${urls.authCallback()}?${fields}`);
  return auth.handle(request, { searchIndexes: [] }).then((response) => response!);
}

/** The browser's next request: the cookies a response set, sent back. */
function withCookies(response: Response, path = '/en/articles/sso/') {
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  return new Request(SITE + path, { headers: { cookie } });
}
const withCookie = (value: string) => new Request(`${SITE}/en/`, { headers: { cookie: `sp_gate=${value}` } });

beforeEach(() => {
  now = NOW;
});

describe('a valid token', () => {
  it('sets both cookies and sends the visitor back to the page they asked for', async () => {
    const auth = await createAuth(config(), env, { now: clock });
    const response = await callback(auth, await sign());
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/en/articles/sso/?tab=2');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const [session, flag] = response.headers.getSetCookie();
    expect(session).toMatch(
      /^sp_gate=[\w-]+\.[\w-]+; Max-Age=3600; Path=\/; Secure; SameSite=Lax; HttpOnly$/,
    );
    expect(flag).toBe('sp_session=1; Max-Age=3600; Path=/; Secure; SameSite=Lax');
    // The cookie keeps the id and only the claims audience rules name, never the email.
    expect(await auth.session(withCookies(response))).toEqual({
      sub: 'user_42',
      claims: { plan: 'enterprise', 'company.seats': 12 },
      expires: NOW + 3_600_000,
    });
  });

  it('is accepted as a GET query too', async () => {
    const auth = await createAuth(config(), env, { now: clock });
    const response = await callback(auth, await sign(), '/en/', 'GET');
    expect([response.status, response.headers.get('location')]).toEqual([303, '/en/']);
    expect((await auth.session(withCookies(response)))?.sub).toBe('user_42');
  });

  it('gives a session that ends after privacy.session.maxAge', async () => {
    const auth = await createAuth(config(), env, { now: clock });
    const request = withCookies(await callback(auth, await sign()));
    now = NOW + 3_599_000;
    expect(await auth.session(request)).toBeDefined();
    now = NOW + 3_600_000;
    expect(await auth.session(request)).toBeUndefined();
  });
});

describe('a token that must never yield a session', () => {
  const bad: [string, () => Promise<string>][] = [
    [
      'a tampered signature',
      async () => (await sign()).replace(/\.[\w-]+$/, (mac) => `.${[...mac.slice(1)].reverse().join('')}`),
    ],
    [
      'a tampered payload',
      async () => {
        const [header, , mac] = (await sign()).split('.');
        const [, payload] = (await sign({ sub: 'admin' })).split('.');
        return `${header}.${payload}.${mac}`;
      },
    ],
    [
      'alg: none',
      async () =>
        new UnsecuredJWT({ ...customer, iss: ISSUER, aud: AUDIENCE, exp: seconds() + 300 }).encode(),
    ],
    ['an expired token', () => sign({}, { exp: -120 })],
    ['exp more than 10 minutes ahead', () => sign({}, { exp: 11 * 60 + 61 })],
    ['no exp', () => sign({}, { exp: null })],
    ['a wrong aud', () => sign({ aud: 'someone-else' })],
    ['a wrong iss', () => sign({ iss: 'https://evil.example' })],
    [
      'another secret',
      () => sign({}, { key: new TextEncoder().encode('another-secret-of-at-least-32-bytes!!!') }),
    ],
    ['garbage', async () => 'not.a.jwt'],
    ['an empty token', async () => ''],
    ['a missing sub', () => sign({ sub: undefined })],
    ['sub "undefined"', () => sign({ sub: 'undefined' })],
    ['sub "  "', () => sign({ sub: '  ' })],
    ['sub "NULL"', () => sign({ sub: 'NULL' })],
    ['sub 0', () => sign({ sub: 0 })],
    ['sub an object', () => sign({ sub: {} })],
  ];

  it.each(bad)(
    '%s: the callback sends the visitor back to sign in, with no cookie and no reason',
    async (_, make) => {
      const auth = await createAuth(config(), env, { now: clock });
      const response = await callback(auth, await make());
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe(
        LOGIN.replace('{returnTo}', encodeURIComponent('/en/articles/sso/?tab=2')),
      );
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(await response.text()).toBe('');
    },
  );

  it.each(bad)('%s: forged into the session cookie, it is no session', async (_, make) => {
    const auth = await createAuth(config(), env, { now: clock });
    expect(await auth.session(withCookie(await make()))).toBeUndefined();
  });

  it('the 10-minute limit still allows a token that lives exactly 10 minutes (the control)', async () => {
    const auth = await createAuth(config(), env, { now: clock });
    expect((await callback(auth, await sign({}, { exp: 600 }))).status).toBe(303);
  });
});

describe('a session cookie that must never count', () => {
  async function validCookie(auth: Auth) {
    const response = await callback(auth, await sign());
    return response.headers.getSetCookie()[0]!.split(';')[0]!.slice('sp_gate='.length);
  }
  const encode = (data: unknown) => Buffer.from(JSON.stringify(data)).toString('base64url');

  it('tampered claims, an alg-none style payload, another secret or brand, garbage', async () => {
    const auth = await createAuth(config(), env, { now: clock });
    const good = await validCookie(auth);
    const [, mac] = good.split('.');
    const forged = encode({ v: 1, b: 'acme', s: 'admin', c: { plan: 'enterprise' }, e: NOW + 1e9 });
    const otherSecret = await createAuth(
      config(),
      { ...env, SIGNPOST_SESSION_SECRET: 'x'.repeat(40) },
      { now: clock },
    );
    const otherBrand = await createAuth({ ...config(), brand: 'globex' }, env, { now: clock });
    for (const value of [
      `${forged}.${mac}`,
      `${forged}.`,
      `${encode({ alg: 'none' })}.${forged}.`,
      await validCookie(otherSecret),
      await validCookie(otherBrand),
      'garbage',
      '',
    ])
      expect(await auth.session(withCookie(value)), value).toBeUndefined();
    expect(await auth.session(withCookie(good))).toBeDefined();
  });
});

describe('the RS256 key-confusion attack', () => {
  it('an HS256 token signed with the public key fails where RS256 works', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const pem = await exportSPKI(publicKey);
    const auth = await createAuth(config({ publicKey: pem, issuer: ISSUER }), env, { now: clock });
    expect((await callback(auth, await sign({}, { key: privateKey, alg: 'RS256' }))).status).toBe(303);
    const confused = await callback(
      auth,
      await sign({}, { key: new TextEncoder().encode(pem), alg: 'HS256' }),
    );
    expect(confused.status).toBe(302);
    expect(confused.headers.getSetCookie()).toEqual([]);
  });
});

describe('returnTo', () => {
  const evil = [
    'https://evil.example/',
    '//evil.example/',
    '/\\evil.example',
    '%2F%2Fevil.example',
    '/%5Cevil.example',
    'javascript:alert(1)',
    '/%2F/evil.example',
    '/%252F/evil.example',
    '/.//evil.example',
    '/\t/evil.example',
    '',
  ];

  it.each(evil)('%j never leaves the site', async (returnTo) => {
    expect(safeReturnTo(returnTo)).toBe('/');
    const auth = await createAuth(config(), env, { now: clock });
    expect((await callback(auth, await sign(), returnTo)).headers.get('location')).toBe('/');
  });

  it('keeps a path on the site as it is', () => {
    expect(safeReturnTo('/en/articles/sso/?q=a%20b#setup')).toBe('/en/articles/sso/?q=a%20b#setup');
  });
});

describe('remote keys (JWKS)', () => {
  afterEach(() => vi.useRealTimers());

  it('caches the set and refetches when a token names an unknown kid (rotation)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const pair = async (kid: string) => {
      const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
      return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256' } };
    };
    const [first, second] = [await pair('k1'), await pair('k2')];
    let served: JWK[] = [first.jwk];
    const fetch = vi.fn(async () => Response.json({ keys: served }));
    const auth = await createAuth(config({ jwksUrl: 'https://app.acme.test/jwks.json' }), env, {
      now: clock,
      fetch,
    });
    expect(fetch).toHaveBeenCalledTimes(1);
    const token = (key: typeof first, kid = key.jwk.kid) =>
      sign({}, { key: key.privateKey, alg: 'ES256', kid });
    expect((await callback(auth, await token(first))).status).toBe(303);
    expect(fetch).toHaveBeenCalledTimes(1);

    served = [second.jwk];
    vi.setSystemTime(Date.now() + 31_000); // past jose's cooldown between refetches
    expect((await callback(auth, await token(second))).status).toBe(303);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect((await callback(auth, await token(first, 'k3'))).status).toBe(302);
  });
});

describe('the other endpoints', () => {
  const searchIndexes = [
    { url: urls.privateSearchIndex(), audiences: [] },
    { url: urls.audienceSearchIndex(['enterprise']), audiences: ['enterprise'] },
    { url: urls.audienceSearchIndex(['big']), audiences: ['big'] },
  ];
  const sessionOf = async (auth: Auth, request: Request) => {
    const response = (await auth.handle(new Request(SITE + urls.authSession(), request), { searchIndexes }))!;
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    return response.json();
  };

  it('/_auth/session lists only the indexes the session may read', async () => {
    const auth = await createAuth(config(), env, { now: clock });
    expect(await sessionOf(auth, new Request(SITE))).toEqual({ signedIn: false, indexes: [] });
    const signedIn = withCookies(await callback(auth, await sign()));
    expect(await sessionOf(auth, signedIn)).toEqual({
      signedIn: true,
      indexes: [searchIndexes[0]!.url, searchIndexes[1]!.url],
    });
  });

  it('/_auth/logout clears both cookies and stays on the site', async () => {
    const auth = await createAuth(config(), env, { now: clock });
    const logout = (returnTo: string) =>
      auth.handle(new Request(`${SITE}${urls.authLogout()}?returnTo=${encodeURIComponent(returnTo)}`), {
        searchIndexes,
      });
    const response = (await logout('/en/'))!;
    expect([
      response.status,
      response.headers.get('location'),
      response.headers.get('cache-control'),
    ]).toEqual([303, '/en/', 'no-store']);
    expect(response.headers.getSetCookie()).toEqual([
      'sp_gate=; Max-Age=0; Path=/; Secure; SameSite=Lax; HttpOnly',
      'sp_session=; Max-Age=0; Path=/; Secure; SameSite=Lax',
    ]);
    expect((await logout('//evil.example/'))!.headers.get('location')).toBe('/');
  });

  it('loginRedirect sends the path and query, and nothing else; other paths are not handled', async () => {
    const auth = await createAuth(config(), env, { now: clock });
    const response = auth.loginRedirect(new Request(`${SITE}/en/articles/sso/?tab=2`));
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(
      'https://app.acme.test/login?next=%2Fen%2Farticles%2Fsso%2F%3Ftab%3D2',
    );
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toBe('');
    expect(await auth.handle(new Request(`${SITE}/en/`), { searchIndexes })).toBeUndefined();
  });
});

describe('without SIGNPOST_SESSION_SECRET', () => {
  it('an unset SIGNPOST_SESSION_SECRET is a one-line notice, and the gate works', async () => {
    const auth = await createAuth(config(), { ACME_JWT_SECRET: env.ACME_JWT_SECRET }, { now: clock });
    expect(auth.notices).toMatchInlineSnapshot(`
      [
        "brand acme: SIGNPOST_SESSION_SECRET is not set, so sessions use a random secret and end when the gate restarts",
      ]
    `);
    expect((await callback(auth, await sign())).status).toBe(303);
  });
});
