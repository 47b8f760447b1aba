import { createRemoteJWKSet, customFetch, importSPKI, jwtVerify } from 'jose';
import type { CryptoKey, JWTPayload, JWTVerifyGetKey, JWTVerifyOptions } from 'jose';
import { OperatorError, type AuthConfig, type Clock } from './config.ts';

/** Seconds of clock skew tolerated between the customer's app and the gate. */
const CLOCK_TOLERANCE = 60;
/** A token is a hand-off, not a session: `exp` may lie at most this many seconds ahead. */
const MAX_TOKEN_LIFETIME = 600;
/** RFC 7518 §3.2: an HMAC key at least as long as the hash (256 bits for HS256). */
export const MIN_SECRET_BYTES = 32;
/** Far above any real identity token; stops a megabyte of garbage before any crypto runs. */
const MAX_TOKEN_LENGTH = 16_384;

const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'];
/** Public-key algorithms the brand schema allows, in the order the default lists them. */
const KEY_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'];

/** A verified visitor: the customer's stable user id and every claim of the token. */
export interface Identity {
  sub: string;
  claims: JWTPayload;
}

/** Verifies the identity tokens of one brand; never throws for a bad token. */
export interface TokenVerifier {
  /** The identity, or `undefined` for any token that is not valid right now. */
  verify(token: unknown): Promise<Identity | undefined>;
}

/** What the verifier needs from outside: the JWKS fetch (tests serve one locally) and the clock. */
export interface VerifierOptions {
  fetch?: typeof fetch | undefined;
  now: Clock;
}

type Jwt = AuthConfig['privacy']['jwt'];

/**
 * Loads the brand's verification key and algorithm allow-list. Throws OperatorError, at start-up,
 * for a missing or short secret, an unreadable public key, an unreachable or empty JWKS, or
 * algorithms the key cannot (or must never) verify.
 */
export async function createVerifier(
  brand: string,
  jwt: Jwt,
  env: Record<string, string | undefined>,
  options: VerifierOptions,
): Promise<TokenVerifier> {
  const fail = (message: string) => new OperatorError(brand, message);
  const sources = [jwt.secretEnv, jwt.publicKey, jwt.jwksUrl].filter(Boolean).length;
  if (sources !== 1)
    throw fail(`privacy.jwt needs exactly one of secretEnv, publicKey or jwksUrl (found ${sources})`);
  // An empty list would refuse every token in silence: say so now instead.
  if (jwt.algorithms?.length === 0)
    throw fail('privacy.jwt.algorithms is empty; list at least one or remove it');
  for (const algorithm of jwt.algorithms ?? [])
    if (![...HMAC_ALGORITHMS, ...KEY_ALGORITHMS].includes(algorithm))
      throw fail(
        `privacy.jwt.algorithms lists ${algorithm}, which the gate never accepts; use ${[...HMAC_ALGORITHMS, ...KEY_ALGORITHMS].join(', ')}`,
      );

  const { key, algorithms } = jwt.secretEnv
    ? secretKey(jwt.secretEnv, jwt.algorithms, env, fail)
    : jwt.publicKey
      ? await publicKey(jwt.publicKey, jwt.algorithms, fail)
      : await remoteKeys(jwt.jwksUrl ?? '', jwt.algorithms, options.fetch, fail);

  const checks: JWTVerifyOptions = { algorithms, clockTolerance: CLOCK_TOLERANCE, requiredClaims: ['exp'] };
  if (jwt.issuer !== undefined) checks.issuer = jwt.issuer;
  if (jwt.audience !== undefined) checks.audience = jwt.audience;

  return {
    async verify(token) {
      if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH)
        return undefined;
      const now = options.now();
      try {
        // Overloads differ for a key and a resolver; both are the same call at run time.
        const { payload } = await jwtVerify(token, key as JWTVerifyGetKey, {
          ...checks,
          currentDate: new Date(now),
        });
        if ((payload.exp ?? Infinity) > now / 1000 + MAX_TOKEN_LIFETIME + CLOCK_TOLERANCE) return undefined;
        const sub = stableId(payload.sub);
        return sub === undefined ? undefined : { sub, claims: payload };
      } catch {
        // Why a token failed is never told to the visitor, and there is nothing to log for it.
        return undefined;
      }
    },
  };
}

/**
 * The token's `sub` when it is a real user id. Apps that lose the id send `"undefined"`, `null`,
 * `0` or `"[object Object]"`; accepting those would put every such visitor in one shared session.
 */
export function stableId(sub: unknown): string | undefined {
  if (typeof sub === 'number') return Number.isFinite(sub) && sub !== 0 ? String(sub) : undefined;
  if (typeof sub !== 'string') return undefined;
  const placeholder = ['', 'undefined', 'null', '0', 'nan', '[object object]'].includes(
    sub.trim().toLowerCase(),
  );
  return placeholder ? undefined : sub;
}

type Fail = (message: string) => OperatorError;
type Loaded = { key: Uint8Array | CryptoKey | JWTVerifyGetKey; algorithms: string[] };

function secretKey(
  name: string,
  configured: string[] | undefined,
  env: Record<string, string | undefined>,
  fail: Fail,
): Loaded {
  const value = env[name];
  const setting = `privacy.jwt.secretEnv names ${name}`;
  if (value === undefined) throw fail(`${setting}, which is not set; export it before starting the gate`);
  if (value.trim() === '')
    throw fail(`${setting}, which is empty; export the shared secret before starting the gate`);
  const bytes = new TextEncoder().encode(value);
  if (bytes.length < MIN_SECRET_BYTES)
    throw fail(
      `${setting}, which holds ${bytes.length} bytes; a shared secret needs at least ${MIN_SECRET_BYTES}`,
    );
  const wrong = configured?.find((algorithm) => !HMAC_ALGORITHMS.includes(algorithm));
  if (wrong)
    throw fail(
      `privacy.jwt.algorithms lists ${wrong}, which a shared secret cannot verify; use publicKey or jwksUrl for it`,
    );
  return { key: bytes, algorithms: configured ?? ['HS256'] };
}

async function publicKey(pem: string, configured: string[] | undefined, fail: Fail): Promise<Loaded> {
  // Web Crypto binds a key to one algorithm; importing it under each candidate tells its family.
  const keys = new Map<string, CryptoKey>();
  for (const algorithm of KEY_ALGORITHMS)
    await importSPKI(pem, algorithm).then(
      (key) => keys.set(algorithm, key),
      () => undefined,
    );
  if (keys.size === 0)
    throw fail(
      'privacy.jwt.publicKey is not a public key the gate can read; paste the whole -----BEGIN PUBLIC KEY----- block (RSA, EC P-256/P-384 or Ed25519)',
    );
  // An HMAC algorithm here is the key-confusion attack: the public key would become the "secret".
  const wrong = configured?.find((algorithm) => !keys.has(algorithm));
  if (wrong)
    throw fail(
      `privacy.jwt.algorithms lists ${wrong}, which this publicKey cannot verify; use ${[...keys.keys()].join(', ')}`,
    );
  const key: JWTVerifyGetKey = async ({ alg }) => {
    const found = alg === undefined ? undefined : keys.get(alg);
    if (!found) throw new Error('no key for this algorithm');
    return found;
  };
  return { key, algorithms: configured ?? [...keys.keys()] };
}

async function remoteKeys(
  url: string,
  configured: string[] | undefined,
  fetcher: typeof fetch | undefined,
  fail: Fail,
): Promise<Loaded> {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (!parsed || !['https:', 'http:'].includes(parsed.protocol))
    throw fail(`privacy.jwt.jwksUrl "${url}" is not an http(s) URL`);
  const wrong = configured?.find((algorithm) => !KEY_ALGORITHMS.includes(algorithm));
  if (wrong)
    throw fail(
      `privacy.jwt.algorithms lists ${wrong}, which a JWKS cannot verify; use ${KEY_ALGORITHMS.join(', ')}`,
    );
  // jose caches the set, and refetches it (at most every 30 s) when a token names an unknown `kid`.
  const jwks = createRemoteJWKSet(parsed, fetcher ? { [customFetch]: fetcher } : {});
  try {
    await jwks.reload();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw fail(
      `privacy.jwt.jwksUrl ${url} could not be loaded (${reason}); check that the gate can reach it`,
    );
  }
  const usable = (jwks.jwks()?.keys ?? []).filter(
    (jwk) => ['RSA', 'EC', 'OKP'].includes(jwk.kty ?? '') && (jwk.use === undefined || jwk.use === 'sig'),
  );
  if (usable.length === 0)
    throw fail(`privacy.jwt.jwksUrl ${url} holds no public signing keys; publish at least one`);
  // jose matches each key's type to the token's algorithm, so an RSA key never checks an ES256 token.
  return { key: jwks, algorithms: configured ?? KEY_ALGORITHMS };
}
