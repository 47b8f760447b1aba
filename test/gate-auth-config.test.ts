import { exportSPKI, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { ruleHolds } from '../src/gate/auth/audiences.ts';
import { createAuth, type AuthConfig, type Rule } from '../src/gate/auth/index.ts';

// What an operator meets: audience rules from content/audiences.yaml, and the gate refusing to
// start on settings or an environment it cannot work with. Visitors' side: gate-auth.test.ts.

const env = { ACME_JWT_SECRET: 'a-shared-secret-of-at-least-32-bytes!!' };
const clock = () => Date.UTC(2030, 0, 1);
const audiences: AuthConfig['audiences'] = {
  enterprise: { rules: [{ attribute: 'plan', operator: 'eq', value: 'enterprise' }] },
  big: {
    rules: [
      { attribute: 'company.seats', operator: 'gt', value: 100 },
      { attribute: 'plan', operator: 'exists' },
    ],
  },
};
function config(jwt: AuthConfig['privacy']['jwt'] = { secretEnv: 'ACME_JWT_SECRET' }): AuthConfig {
  return {
    brand: 'acme',
    privacy: { loginUrl: 'https://app.acme.test/login?next={returnTo}', jwt, session: { maxAge: 3600 } },
    audiences,
  };
}

describe('audience rules', () => {
  const claims = {
    plan: 'enterprise',
    seats: '250',
    roles: ['admin', 'billing'],
    company: { name: 'Acme Corp', size: 40 },
    beta: null,
  };
  const table: [Rule, boolean][] = [
    [{ attribute: 'plan', operator: 'eq', value: 'enterprise' }, true],
    [{ attribute: 'plan', operator: 'eq', value: 'free' }, false],
    [{ attribute: 'seats', operator: 'eq', value: 250 }, true],
    [{ attribute: 'plan', operator: 'ne', value: 'free' }, true],
    [{ attribute: 'plan', operator: 'ne', value: 'enterprise' }, false],
    [{ attribute: 'missing', operator: 'ne', value: 'free' }, false],
    [{ attribute: 'company.name', operator: 'contains', value: 'Corp' }, true],
    [{ attribute: 'roles', operator: 'contains', value: 'admin' }, true],
    [{ attribute: 'roles', operator: 'contains', value: 'owner' }, false],
    [{ attribute: 'roles', operator: 'not_contains', value: 'owner' }, true],
    [{ attribute: 'roles', operator: 'not_contains', value: 'admin' }, false],
    [{ attribute: 'company.name', operator: 'starts_with', value: 'Acme' }, true],
    [{ attribute: 'company.name', operator: 'starts_with', value: 'Corp' }, false],
    [{ attribute: 'company.name', operator: 'ends_with', value: 'Corp' }, true],
    [{ attribute: 'company.name', operator: 'ends_with', value: 'Acme' }, false],
    [{ attribute: 'seats', operator: 'gt', value: 100 }, true],
    [{ attribute: 'seats', operator: 'gt', value: 250 }, false],
    [{ attribute: 'company.size', operator: 'lt', value: 50 }, true],
    [{ attribute: 'company.size', operator: 'lt', value: '40' }, false],
    [{ attribute: 'plan', operator: 'gt', value: 1 }, false],
    [{ attribute: 'plan', operator: 'in', value: ['pro', 'enterprise'] }, true],
    [{ attribute: 'plan', operator: 'in', value: ['pro', 'free'] }, false],
    [{ attribute: 'roles', operator: 'in', value: ['owner', 'billing'] }, true],
    [{ attribute: 'plan', operator: 'not_in', value: ['free'] }, true],
    [{ attribute: 'plan', operator: 'not_in', value: ['enterprise'] }, false],
    [{ attribute: 'company.size', operator: 'exists' }, true],
    [{ attribute: 'beta', operator: 'exists' }, false],
    [{ attribute: 'beta', operator: 'not_exists' }, true],
    [{ attribute: 'plan', operator: 'not_exists' }, false],
    [{ attribute: '__proto__', operator: 'exists' }, false],
  ];

  it.each(table)('%j → %s', (rule, expected) => expect(ruleHolds(claims, rule)).toBe(expected));

  it('[] takes any session; a list takes the visitor if ANY audience has ALL its rules hold', async () => {
    const auth = await createAuth(config(), env, { now: clock });
    const session = { sub: 'u', claims: { plan: 'pro', 'company.seats': 500 }, expires: clock() + 1 };
    expect(auth.allows(session, [])).toBe(true);
    expect(auth.allows(session, ['enterprise'])).toBe(false);
    expect(auth.allows(session, ['enterprise', 'big'])).toBe(true);
    expect(auth.allows({ ...session, claims: { 'company.seats': 500 } }, ['big'])).toBe(false);
    expect(auth.allows(session, ['nobody'])).toBe(false);
  });
});

describe('operator errors at start-up', () => {
  const start = (
    jwt: AuthConfig['privacy']['jwt'],
    environment: Record<string, string | undefined> = env,
    fetch?: typeof globalThis.fetch,
  ) => createAuth(config(jwt), environment, { now: clock, ...(fetch ? { fetch } : {}) });
  const secretEnv = 'ACME_JWT_SECRET';

  it('names the brand and the setting, in one line', async () => {
    await expect(start({ secretEnv }, {})).rejects.toThrowErrorMatchingInlineSnapshot(
      `[OperatorError: brand acme: privacy.jwt.secretEnv names ACME_JWT_SECRET, which is not set; export it before starting the gate]`,
    );
    await expect(start({ secretEnv }, { ACME_JWT_SECRET: ' ' })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[OperatorError: brand acme: privacy.jwt.secretEnv names ACME_JWT_SECRET, which is empty; export the shared secret before starting the gate]`,
    );
    await expect(
      start({ secretEnv }, { ACME_JWT_SECRET: 'short' }),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[OperatorError: brand acme: privacy.jwt.secretEnv names ACME_JWT_SECRET, which holds 5 bytes; a shared secret needs at least 32]`,
    );
    await expect(start({ secretEnv, algorithms: ['none'] })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[OperatorError: brand acme: privacy.jwt.algorithms lists none, which the gate never accepts; use HS256, HS384, HS512, RS256, RS384, RS512, PS256, ES256, ES384, EdDSA]`,
    );
    await expect(start({ secretEnv, algorithms: ['RS256'] })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[OperatorError: brand acme: privacy.jwt.algorithms lists RS256, which a shared secret cannot verify; use publicKey or jwksUrl for it]`,
    );
    await expect(
      start({ publicKey: '-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----' }),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[OperatorError: brand acme: privacy.jwt.publicKey is not a public key the gate can read; paste the whole -----BEGIN PUBLIC KEY----- block (RSA, EC P-256/P-384 or Ed25519)]`,
    );
    const { publicKey } = await generateKeyPair('RS256', { extractable: true });
    await expect(
      start({ publicKey: await exportSPKI(publicKey), algorithms: ['HS256'] }),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[OperatorError: brand acme: privacy.jwt.algorithms lists HS256, which this publicKey cannot verify; use RS256, RS384, RS512, PS256]`,
    );
    const jwksUrl = 'https://app.acme.test/jwks.json';
    await expect(
      start({ jwksUrl }, env, async () => new Response('no', { status: 500 })),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[OperatorError: brand acme: privacy.jwt.jwksUrl https://app.acme.test/jwks.json could not be loaded (Expected 200 OK from the JSON Web Key Set HTTP response); check that the gate can reach it]`,
    );
    await expect(
      start({ jwksUrl }, env, async () => Promise.reject(new TypeError('fetch failed'))),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[OperatorError: brand acme: privacy.jwt.jwksUrl https://app.acme.test/jwks.json could not be loaded (fetch failed); check that the gate can reach it]`,
    );
    await expect(
      start({ jwksUrl }, env, async () => Response.json({ keys: [] })),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[OperatorError: brand acme: privacy.jwt.jwksUrl https://app.acme.test/jwks.json holds no public signing keys; publish at least one]`,
    );
    await expect(
      start({ secretEnv }, { ...env, SIGNPOST_SESSION_SECRET: 'short' }),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[OperatorError: brand acme: SIGNPOST_SESSION_SECRET holds 5 bytes; set at least 32 (openssl rand -base64 48) or unset it for a random one]`,
    );
  });
});
