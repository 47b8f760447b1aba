import { markdownUrlOf } from '../routing/layout.ts';
import { languageOf, plain, prefersMarkdown, type RequestPath } from './request.ts';
import { CACHE, fileIn, HASHED_SEARCH_FILE, notFound, serveIf, type Site } from './site.ts';
import type { ServeOptions } from './static.ts';

/**
 * What the gate answers for private URLs: the page to a session its audiences allow, the sign-in
 * redirect to a visitor without one, the not-available page to everyone else; and the private
 * search indexes on the same terms. Nothing here ever puts private text in a refusal.
 */

/** A private page (`page` is its URL; `path` may be its `index.html` or `.md` spelling). */
export async function privatePage(
  request: Request,
  site: Site,
  path: RequestPath,
  page: string,
  audiences: string[],
): Promise<Response> {
  const auth = site.auth;
  // A private page in a brand without sign-in is a build bug; fail closed.
  if (!auth) return notFound(request, site);
  const session = await auth.session(request);
  if (!session) return auth.loginRedirect(request);
  if (!auth.allows(session, audiences)) return notAvailable(request, site, path);
  const markdown = markdownUrlOf(page);
  const options: ServeOptions = { cacheControl: CACHE.private, ...(markdown && { vary: ['Accept'] }) };
  // An agent that asked for Markdown gets the private copy when the build wrote one, else the page.
  const negotiated =
    markdown && path.decoded === page && prefersMarkdown(request.headers.get('accept'))
      ? await serveIf(site, request, fileIn(site, true, markdown), options)
      : undefined;
  const answer = negotiated ?? (await serveIf(site, request, fileIn(site, true, path.decoded), options));
  return answer ?? notFound(request, site);
}

/**
 * 403 with the localized "not available for your account" page (by the URL's language, else the
 * default): it names nothing of the article, so a visitor learns nothing of what they may not read.
 */
async function notAvailable(request: Request, site: Site, path: RequestPath): Promise<Response> {
  const { manifest } = site;
  const lang = languageOf(path.decoded, site.languages, manifest.defaultLanguage);
  const page = site.notAvailable.get(lang) ?? site.notAvailable.get(manifest.defaultLanguage);
  const answer = page
    ? await serveIf(site, request, fileIn(site, true, page), { status: 403, cacheControl: CACHE.private })
    : undefined;
  return answer ?? plain(403, 'This article is not available for your account.');
}

/**
 * A private search index's file, only to a session its audiences allow. Anonymous: 401 (the search
 * client then keeps to the public index); not allowed: 404, so the answer says nothing of the index.
 */
export async function privateIndex(request: Request, site: Site, path: RequestPath): Promise<Response> {
  const index = site.indexes.find((candidate) => path.decoded.startsWith(candidate.url));
  if (!index) return plain(404, 'Not found.');
  const session = await site.auth?.session(request);
  if (!session) return plain(401, 'Sign in to search private articles.');
  if (!site.auth?.allows(session, index.audiences)) return plain(404, 'Not found.');
  const inner = `/${index.dir}/${path.decoded.slice(index.url.length)}`;
  const answer = await serveIf(site, request, fileIn(site, true, inner), {
    cacheControl: HASHED_SEARCH_FILE.test(inner) ? CACHE.privateImmutable : CACHE.private,
  });
  return answer ?? plain(404, 'Not found.');
}

/**
 * A hashed asset (`/_astro/…`) only the private tree has: a private page's image or style. Any
 * signed-in visitor may load it (its name is unguessable; the page is what the audiences guard).
 */
export async function privateAsset(request: Request, site: Site, decoded: string) {
  if (!(await site.auth?.session(request))) return undefined;
  return serveIf(site, request, fileIn(site, true, decoded), { cacheControl: CACHE.privateImmutable });
}
