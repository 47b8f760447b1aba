import fs from 'node:fs';
import path from 'node:path';
import { SignJWT, exportSPKI, generateKeyPair, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateManifestFile, treeFile } from '../src/routing/layout.ts';
import { JWT, MARKERS, request, startServe, writeFixtureDist, type Served } from './helpers/gate.ts';

// Every bad token of the issue, against the real server on loopback: sent to the callback, or
// forged straight into the session cookie, none ever reaches a private page.
let fixture: { root: string; dist: string };
let gate: Served;
let rsa: { privateKey: CryptoKey; pem: string };
const RSA_MARKER = 'INITECH-PRIVATE-4471';

beforeAll(async () => {
  fixture = writeFixtureDist();
  // A third brand that verifies RS256 with a public key: the target of the HS256-with-public-key trick.
  const pair = await generateKeyPair('RS256', { extractable: true });
  rsa = { privateKey: pair.privateKey, pem: await exportSPKI(pair.publicKey) };
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(fixture.dist, file)), { recursive: true });
    fs.writeFileSync(path.join(fixture.dist, file), text);
  };
  write(treeFile('initech', false, '/'), '<!doctype html><title>Initech</title>');
  write(
    treeFile('initech', true, '/en/articles/tps/'),
    `<!doctype html><title>TPS</title><p>${RSA_MARKER}</p>`,
  );
  write(
    gateManifestFile('initech'),
    JSON.stringify({
      version: 1,
      brand: 'initech',
      domain: 'help.initech.test',
      defaultLanguage: 'en',
      languages: ['en'],
      private: { '/en/articles/tps/': { audiences: [] } },
      audiences: {},
      searchIndexes: [],
      notAvailable: {},
      privacy: {
        loginUrl: 'https://app.initech.test/login?to={returnTo}',
        jwt: { publicKey: rsa.pem, issuer: JWT.issuer, audience: JWT.audience },
        session: { maxAge: 3600 },
      },
      csp: { scriptHashes: [], ga4: false },
    }),
  );
  gate = await startServe(['--dist', fixture.dist], { ACME_JWT_SECRET: JWT.secret });
});
afterAll(async () => {
  await gate?.stop();
  fs.rmSync(fixture.root, { recursive: true, force: true });
});

const secret = new TextEncoder().encode(JWT.secret);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const claims = (extra: Record<string, unknown> = {}) => ({
  sub: 'user-42',
  iss: JWT.issuer,
  aud: JWT.audience,
  exp: Math.floor(Date.now() / 1000) + 300,
  ...extra,
});
const hs256 = (payload: Record<string, unknown>, key: Uint8Array = secret) =>
  new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(key);

/** Posts a token to the callback like the customer's app, then asks for the private page with whatever cookies came back. */
async function viaCallback(host: string, privateUrl: string, token: string) {
  const form = new URLSearchParams({ token, returnTo: privateUrl }).toString();
  const back = await request(gate.port, '/_auth/callback', {
    method: 'POST',
    headers: {
      host,
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(form.length),
    },
    body: form,
  });
  const cookie = (back.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  return request(gate.port, privateUrl, { headers: { host, ...(cookie && { cookie }) } });
}

/** Asks for the private page with the token forged straight into the gate's cookies. */
function viaCookie(host: string, privateUrl: string, token: string) {
  return request(gate.port, privateUrl, { headers: { host, cookie: `sp_gate=${token}; sp_session=1` } });
}

describe('no bad token reaches a private page', () => {
  const acme: { host: string; url: string; marker: string } = {
    host: 'help.acme.test',
    url: '/en/articles/sso/',
    marker: MARKERS.sso,
  };
  const cases: [string, () => Promise<string>, typeof acme?][] = [
    ['a tampered signature', async () => (await hs256(claims())).slice(0, -4) + 'AAAA'],
    [
      'a tampered payload',
      async () => {
        const [head, , sig] = (await hs256(claims())).split('.');
        return `${head}.${b64(claims({ sub: 'admin' }))}.${sig}`;
      },
    ],
    ['alg: none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`],
    ['an expired token', () => hs256(claims({ exp: Math.floor(Date.now() / 1000) - 120 }))],
    ['a wrong aud', () => hs256(claims({ aud: 'someone-else' }))],
    ['a wrong iss', () => hs256(claims({ iss: 'https://evil.example' }))],
    [
      'another secret',
      () => hs256(claims(), new TextEncoder().encode('another-secret-of-at-least-32-bytes!!')),
    ],
    ['garbage', async () => 'not.a.token'],
    ['a missing sub', () => hs256(claims({ sub: undefined }))],
    ['sub: "undefined"', () => hs256(claims({ sub: 'undefined' }))],
    [
      'HS256 signed with the RSA public key',
      () => hs256(claims(), new TextEncoder().encode(rsa.pem)),
      { host: 'help.initech.test', url: '/en/articles/tps/', marker: RSA_MARKER },
    ],
  ];

  it.each(cases)(
    '%s: neither through the callback nor forged into the cookie',
    async (_, make, target = acme) => {
      const token = await make();
      for (const answer of [
        await viaCallback(target.host, target.url, token),
        await viaCookie(target.host, target.url, token),
      ]) {
        expect(answer.status).toBe(302);
        expect(answer.text).not.toContain(target.marker);
      }
    },
  );

  it('while a good token does (the cases above are not failing for another reason)', async () => {
    expect((await viaCallback(acme.host, acme.url, await hs256(claims()))).text).toContain(MARKERS.sso);
    const rs = await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256' }).sign(rsa.privateKey);
    expect((await viaCallback('help.initech.test', '/en/articles/tps/', rs)).text).toContain(RSA_MARKER);
  });
});
