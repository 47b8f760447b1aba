import type { Auth, Session } from './auth/index.ts';

/** Sessions remembered at most; a visitor's next page view is what this is for, not a store. */
const LIMIT = 5_000;
/** Longer Cookie headers are verified every time: the memory bound is LIMIT × this. */
const MAX_KEY = 4096;

/**
 * The brand's sign-in with verified sessions remembered by the request's `Cookie` header. The
 * cookie is stateless and signed, so the same header verifies the same way until the session
 * expires (checked on every hit); remembering it saves an HMAC and a JSON parse per private page
 * view. Only valid sessions are kept, at most LIMIT of at most MAX_KEY characters, the oldest
 * dropped first, so forged cookies cost no memory and a valid one varied endlessly costs at most 20 MB.
 */
export function rememberSessions(auth: Auth, now: () => number = Date.now): Auth {
  const verified = new Map<string, Session>();
  return {
    async session(request) {
      const cookie = request.headers.get('cookie');
      if (!cookie) return undefined;
      const known = verified.get(cookie);
      if (known && known.expires > now()) return known;
      verified.delete(cookie);
      const session = await auth.session(request);
      if (session && cookie.length <= MAX_KEY) {
        if (verified.size >= LIMIT) verified.delete(verified.keys().next().value!);
        verified.set(cookie, session);
      }
      return session;
    },
    allows: (session, audiences) => auth.allows(session, audiences),
    loginRedirect: (request) => auth.loginRedirect(request),
    handle: (request, context) => auth.handle(request, context),
    notices: auth.notices,
  };
}
