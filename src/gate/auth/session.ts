import { base64url } from 'jose';
import { OperatorError, type Clock, type Session } from './config.ts';
import { stableId, MIN_SECRET_BYTES } from './token.ts';

/** The gate's signed session cookie; HttpOnly, so page scripts never see the claims. */
export const SESSION_COOKIE = 'sp_gate';
/** The readable flag beside it that the search client looks for (`SESSION` in src/search/client.js). */
export const FLAG_COOKIE = 'sp_session';
/** The environment variable holding the key that signs sessions. */
export const SESSION_SECRET_ENV = 'SIGNPOST_SESSION_SECRET';

/** Bumped when the payload changes shape, so older cookies stop verifying instead of misreading. */
const VERSION = 1;
/** Browsers drop cookies past ~4 KB; anything longer was never ours. */
const MAX_COOKIE_LENGTH = 4096;
const ATTRIBUTES = 'Path=/; Secure; SameSite=Lax';

/** The session secret, and the notice to print when the gate had to make one up. */
export interface SessionSecret {
  secret: Uint8Array<ArrayBuffer>;
  notice?: string;
}

/**
 * Reads `SIGNPOST_SESSION_SECRET`; when it is unset, makes a random one so the gate works out of the
 * box (sessions then end when it restarts). A set but short or empty value is a mistake, not a
 * request for a random secret: throws OperatorError.
 */
export function sessionSecret(brand: string, env: Record<string, string | undefined>): SessionSecret {
  const value = env[SESSION_SECRET_ENV];
  if (value === undefined)
    return {
      secret: crypto.getRandomValues(new Uint8Array(MIN_SECRET_BYTES)),
      notice: `brand ${brand}: ${SESSION_SECRET_ENV} is not set, so sessions use a random secret and end when the gate restarts`,
    };
  const secret = new TextEncoder().encode(value);
  if (secret.length < MIN_SECRET_BYTES)
    throw new OperatorError(
      brand,
      `${SESSION_SECRET_ENV} holds ${secret.length} bytes; set at least ${MIN_SECRET_BYTES} (openssl rand -base64 48) or unset it for a random one`,
    );
  return { secret };
}

/** Issues, reads and clears one brand's session cookies. */
export interface SessionCookies {
  /** `Set-Cookie` values that start a session for this visitor. */
  issue(sub: string, claims: Record<string, unknown>): Promise<string[]>;
  /** The session in the request's cookies; `undefined` when absent, forged, foreign or expired. */
  read(request: Request): Promise<Session | undefined>;
  /** `Set-Cookie` values that end the session. */
  clear(): string[];
}

/**
 * Session cookies signed with HMAC-SHA256: `base64url(payload).base64url(mac)`. The payload names
 * the brand, so a session of one brand is nothing on another that shares the secret.
 */
export async function sessionCookies(
  brand: string,
  secret: Uint8Array<ArrayBuffer>,
  maxAge: number,
  now: Clock,
): Promise<SessionCookies> {
  const key = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
  const encoder = new TextEncoder();

  return {
    async issue(sub, claims) {
      const payload = base64url.encode(
        JSON.stringify({ v: VERSION, b: brand, s: sub, c: claims, e: now() + maxAge * 1000 }),
      );
      const mac = base64url.encode(
        new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(payload))),
      );
      return [
        `${SESSION_COOKIE}=${payload}.${mac}; Max-Age=${maxAge}; ${ATTRIBUTES}; HttpOnly`,
        `${FLAG_COOKIE}=1; Max-Age=${maxAge}; ${ATTRIBUTES}`,
      ];
    },

    async read(request) {
      // A visitor can hold several cookies of one name (another path or a parent domain): any valid one counts.
      for (const value of cookieValues(request.headers.get('cookie'), SESSION_COOKIE)) {
        const session = await open(value);
        if (session) return session;
      }
      return undefined;
    },

    clear() {
      return [
        `${SESSION_COOKIE}=; Max-Age=0; ${ATTRIBUTES}; HttpOnly`,
        `${FLAG_COOKIE}=; Max-Age=0; ${ATTRIBUTES}`,
      ];
    },
  };

  async function open(value: string): Promise<Session | undefined> {
    const parts = value.split('.');
    if (value.length > MAX_COOKIE_LENGTH || parts.length !== 2) return undefined;
    const [payload = '', mac = ''] = parts;
    try {
      // subtle.verify compares in constant time; the payload is parsed only once it verified.
      const signature = new Uint8Array(base64url.decode(mac));
      if (!(await crypto.subtle.verify('HMAC', key, signature, encoder.encode(payload)))) return undefined;
      const data: unknown = JSON.parse(new TextDecoder().decode(base64url.decode(payload)));
      if (!isRecord(data) || data['v'] !== VERSION || data['b'] !== brand) return undefined;
      const sub = stableId(data['s']);
      const expires = data['e'];
      const claims = data['c'];
      if (sub === undefined || typeof expires !== 'number' || !(expires > now()) || !isRecord(claims))
        return undefined;
      return { sub, claims, expires };
    } catch {
      return undefined;
    }
  }
}

/** Every value of a cookie in a `Cookie` header, in order. */
function cookieValues(header: string | null, name: string): string[] {
  if (!header) return [];
  return header
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair.startsWith(`${name}=`))
    .map((pair) => pair.slice(name.length + 1));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
