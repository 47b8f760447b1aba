import { urls } from '../../routing/layout.ts';
import type { Session } from './config.ts';
import type { SessionCookies } from './session.ts';
import type { TokenVerifier } from './token.ts';

/** A dummy origin to resolve `returnTo` against: anything that leaves it leaves the site. */
const PROBE_ORIGIN = 'https://gate.invalid';
/** A form POST carrying a token and a path is a few KB; refuse to buffer more. */
const MAX_FORM_BYTES = 65_536;
/** Sign-in responses are per visitor and carry tokens or cookies: no cache may keep them. */
const PRIVATE_HEADERS = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };

/** What the handshake works with: one brand's verifier, cookies and audience test. */
export interface Handshake {
  loginUrl: string;
  verifier: TokenVerifier;
  cookies: SessionCookies;
  /** Picks the claims a session keeps. */
  keep: (claims: Record<string, unknown>) => Record<string, unknown>;
  allows: (session: Session, audiences: string[]) => boolean;
}

/** The private search indexes of a brand, as the gate manifest lists them. */
export interface HandshakeContext {
  searchIndexes: { url: string; audiences: string[] }[];
}

/**
 * `returnTo` when it is a path on this site, else `/`. Checked raw, decoded once and twice (a
 * later hop may decode again), and resolved: `//evil`, `/\evil`, `/%2F/evil`, `/.//evil`, tabs
 * the URL parser drops and every scheme all come back as `/`.
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2048) return '/';
  const once = decode(value);
  const twice = once === undefined ? undefined : decode(once);
  if (once === undefined || twice === undefined || ![value, once, twice].every(isLocalPath)) return '/';
  const resolved = new URL(value, PROBE_ORIGIN);
  if (resolved.origin !== PROBE_ORIGIN) return '/';
  // Dot segments can collapse `/.//evil` into `//evil`: the path we send must pass again.
  const path = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  return isLocalPath(path) ? path : '/';
}

function isLocalPath(path: string): boolean {
  // Browsers read `\` as `/` and drop tabs and newlines, so none of them may appear at all.
  return (
    path.startsWith('/') &&
    !path.startsWith('//') &&
    ![...path].some((char) => char === '\\' || char <= '\u001f' || char === '\u007f')
  );
}

function decode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** A 302 to the brand's login URL with `{returnTo}` = the requested path and query. */
export function loginRedirect(loginUrl: string, returnTo: string): Response {
  const location = loginUrl.replaceAll('{returnTo}', encodeURIComponent(safeReturnTo(returnTo)));
  // The body stays empty: it must not name the page the visitor was denied.
  return new Response(null, { status: 302, headers: { location, ...PRIVATE_HEADERS } });
}

/** The gate's `/_auth/*` endpoints; `undefined` for any other path. */
export async function handle(
  gate: Handshake,
  request: Request,
  context: HandshakeContext,
): Promise<Response | undefined> {
  const { pathname } = new URL(request.url);
  if (pathname === urls.authCallback()) return callback(gate, request);
  if (pathname === urls.authLogout()) return logout(gate, request);
  if (pathname === urls.authSession()) return sessionInfo(gate, request, context);
  return undefined;
}

async function callback(gate: Handshake, request: Request): Promise<Response> {
  const fields = await formFields(request);
  if (!fields) return methodNotAllowed('GET, POST');
  const returnTo = safeReturnTo(fields.get('returnTo'));
  const identity = await gate.verifier.verify(fields.get('token'));
  // A bad token goes back to sign in: never the page, never a cookie, never the reason.
  if (!identity) return loginRedirect(gate.loginUrl, returnTo);
  const headers = new Headers({ location: returnTo, ...PRIVATE_HEADERS });
  for (const cookie of await gate.cookies.issue(identity.sub, gate.keep(identity.claims)))
    headers.append('set-cookie', cookie);
  // 303: after a POST the browser follows with a GET, and drops the form from its history.
  return new Response(null, { status: 303, headers });
}

async function logout(gate: Handshake, request: Request): Promise<Response> {
  const fields = await formFields(request);
  if (!fields) return methodNotAllowed('GET, POST');
  const headers = new Headers({ location: safeReturnTo(fields.get('returnTo')), ...PRIVATE_HEADERS });
  for (const cookie of gate.cookies.clear()) headers.append('set-cookie', cookie);
  return new Response(null, { status: 303, headers });
}

async function sessionInfo(gate: Handshake, request: Request, context: HandshakeContext): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed('GET, HEAD');
  const session = await gate.cookies.read(request);
  const indexes = session
    ? context.searchIndexes.filter((index) => gate.allows(session, index.audiences)).map((index) => index.url)
    : [];
  const body =
    request.method === 'HEAD' ? null : JSON.stringify({ signedIn: session !== undefined, indexes });
  return new Response(body, {
    headers: { 'content-type': 'application/json; charset=utf-8', ...PRIVATE_HEADERS },
  });
}

/**
 * The query of a GET, or the form of a POST (preferred: the token stays out of access logs and
 * history). `undefined` for another method; an unreadable or oversized form reads as empty.
 */
async function formFields(request: Request): Promise<Map<string, string> | undefined> {
  const fields = new Map<string, string>();
  const take = (entries: Iterable<[string, unknown]>) => {
    for (const [name, value] of entries)
      if (typeof value === 'string' && !fields.has(name)) fields.set(name, value);
  };
  if (request.method === 'GET' || request.method === 'HEAD') {
    take(new URL(request.url).searchParams);
    return fields;
  }
  if (request.method !== 'POST') return undefined;
  const length = Number(request.headers.get('content-length') ?? 0);
  if (!(length <= MAX_FORM_BYTES)) return fields;
  try {
    const type = request.headers.get('content-type') ?? '';
    if (type.startsWith('multipart/form-data')) take(await request.formData());
    else {
      const text = await request.text();
      if (text.length <= MAX_FORM_BYTES) take(new URLSearchParams(text));
    }
  } catch {
    // A broken body is a missing token: the visitor goes back to sign in.
  }
  // An app may post the token and leave `returnTo` in the callback URL it was given.
  take(new URL(request.url).searchParams);
  return fields;
}

function methodNotAllowed(allow: string): Response {
  return new Response(null, { status: 405, headers: { allow, ...PRIVATE_HEADERS } });
}
