/**
 * The gate's sign-in: verifies the customer app's identity token, keeps the visitor in the gate's
 * own signed cookie, and answers who may read what. Web standards only (`Request`, `Response`,
 * Web Crypto), so the same code runs in the Node shell and at the edge.
 */
import { allowedBy, pickClaims } from './audiences.ts';
import type { AuthConfig, Clock, Session } from './config.ts';
import { handle, loginRedirect, type HandshakeContext } from './handshake.ts';
import { sessionCookies, sessionSecret } from './session.ts';
import { createVerifier } from './token.ts';

export { OperatorError } from './config.ts';
export type { AuthConfig, Rule, RuleOperator, Session } from './config.ts';
export { FLAG_COOKIE, SESSION_COOKIE, SESSION_SECRET_ENV } from './session.ts';
export { safeReturnTo } from './handshake.ts';

/** One brand's sign-in, ready to answer requests. */
export interface Auth {
  /** The session in the gate's own cookie; `undefined` when absent, tampered or expired. */
  session(request: Request): Promise<Session | undefined>;
  /** `[]` → any session; else whether ANY listed audience has ALL its rules hold on the claims. */
  allows(session: Session, audiences: string[]): boolean;
  /** A 302 to the login URL with `{returnTo}` = this request's path and query; `no-store`, empty body. */
  loginRedirect(request: Request): Response;
  /**
   * `/_auth/callback` (GET `?token=&returnTo=`, POST form `token=&returnTo=`), `/_auth/logout`,
   * `/_auth/session` (`{ signedIn, indexes }`); `undefined` for any other path.
   */
  handle(request: Request, context: HandshakeContext): Promise<Response | undefined>;
  /** One-line notices for the operator, printed once at start-up (e.g. a random session secret). */
  readonly notices: string[];
}

/** What `createAuth` takes from outside; tests inject both. */
export interface AuthOptions {
  /** Fetches the JWKS (default: the global `fetch`). */
  fetch?: typeof fetch;
  /** Milliseconds since the epoch (default: `Date.now`). */
  now?: Clock;
}

/**
 * Validates a brand's sign-in settings and environment at start-up: the secret variable set and
 * long enough, the public key readable, the JWKS reachable with keys, `SIGNPOST_SESSION_SECRET`
 * long enough when set. Throws OperatorError, one line naming the brand and the setting.
 */
export async function createAuth(
  config: AuthConfig,
  env: Record<string, string | undefined>,
  options: AuthOptions = {},
): Promise<Auth> {
  const now = options.now ?? Date.now;
  const { brand, privacy, audiences } = config;
  const { secret, notice } = sessionSecret(brand, env);
  const verifier = await createVerifier(brand, privacy.jwt, env, { fetch: options.fetch, now });
  const cookies = await sessionCookies(brand, secret, privacy.session.maxAge, now);
  const allows = (session: Session, keys: string[]) => allowedBy(session.claims, audiences, keys);
  const gate = {
    loginUrl: privacy.loginUrl,
    verifier,
    cookies,
    keep: (claims: Record<string, unknown>) => pickClaims(claims, audiences),
    allows,
  };

  return {
    session: (request) => cookies.read(request),
    allows,
    loginRedirect(request) {
      const url = new URL(request.url);
      return loginRedirect(privacy.loginUrl, `${url.pathname}${url.search}`);
    },
    handle: (request, context) => handle(gate, request, context),
    notices: notice ? [notice] : [],
  };
}
