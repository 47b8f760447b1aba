import { Hono } from 'hono';
import {
  assetName,
  isAuthUrl,
  isInternalUrl,
  isPrivateSearchIndexUrl,
  markdownUrlOf,
  pageUrlOfMarkdown,
  urls,
} from '../routing/layout.ts';
import { isTls, securityHeaders } from './headers.ts';
import { privateAsset, privateIndex, privatePage } from './private.ts';
import { isHidden, plain, prefersMarkdown, requestPath, type RequestPath } from './request.ts';
import {
  CACHE,
  compileSite,
  fileIn,
  HASHED_SEARCH_FILE,
  notFound,
  serveIf,
  type GateBrand,
  type Site,
} from './site.ts';
import { StaticFiles, type Compressor, type DistReader } from './static.ts';

/**
 * The gate's core: a Web `Request` in, a `Response` out, over the files of `dist/` and the gate
 * manifests. It imports nothing of Node, so the same code can run at the edge; node.ts is the
 * shell that reads files and listens.
 */

export type { GateBrand } from './site.ts';

/** What the gate serves and how: brands, the dist reader, and the operator's flags. */
export interface GateOptions {
  brands: GateBrand[];
  reader: DistReader;
  /** Serve this brand whatever the `Host` (`--brand`); otherwise the brand is chosen by `Host`. */
  brand?: string | undefined;
  /** Believe `X-Forwarded-Proto` (set only behind a proxy that overwrites it). */
  trustProxy?: boolean | undefined;
  /** Default: the Compression Streams API; node.ts passes zlib. */
  compress?: Compressor | undefined;
}

/** Shown where no brand answers; `default-src 'none'` since the body is plain text. */
const NO_BRAND_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/** Creates the gate for these brands. `app.fetch(request)` answers a request. */
export function createGate(options: GateOptions): Hono<{ Variables: { site: Site } }> {
  const files = new StaticFiles(options.reader, options.compress);
  const sites = options.brands.map((brand) => compileSite(brand, files));
  // Ports are ignored on both sides: the gate often listens on another port than the public one.
  const byHost = new Map(
    sites.map((site) => [site.manifest.domain.toLowerCase().replace(/:\d+$/, ''), site]),
  );
  const only = options.brand
    ? sites.find((site) => site.manifest.brand === options.brand)
    : sites.length === 1
      ? sites[0]
      : undefined;
  const app = new Hono<{ Variables: { site: Site } }>();

  app.use('*', async (c, next) => {
    const url = new URL(c.req.url);
    // With one brand (or --brand) every Host is that brand: a single help center behind a proxy
    // that rewrites Host, or on localhost, just works. With several, only their domains answer.
    const site = only ?? byHost.get(url.hostname.toLowerCase());
    const tls = isTls(c.req.raw, url, options.trustProxy === true);
    if (!site) {
      c.res = plain(404, 'No help center is served at this address.');
      secure(c, securityHeaders(NO_BRAND_CSP, tls));
      return;
    }
    c.set('site', site);
    await next();
    secure(c, securityHeaders(site.csp, tls));
  });
  app.all('*', (c) => route(c.req.raw, c.get('site')));
  app.onError((error) => {
    // The visitor learns nothing of the cause; the operator's log has it.
    console.error(
      `signpost serve: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return plain(500, 'Something went wrong on our side. Please try again.');
  });
  return app;
}

/**
 * The answer to a request too malformed to become a `Request` (a backslash in the path, a bad
 * Host): no brand is known, but it still carries the security headers every answer has.
 */
export function malformedRequest(): Response {
  const response = plain(400, 'This address is not valid.');
  for (const [name, value] of securityHeaders(NO_BRAND_CSP, false)) response.headers.set(name, value);
  return response;
}

/** Sets headers on the answer; responses with frozen headers (`Response.redirect`) are copied. */
function secure(c: { res: Response }, headers: [string, string][]): void {
  try {
    for (const [name, value] of headers) c.res.headers.set(name, value);
  } catch {
    const copy = new Response(c.res.body, c.res);
    for (const [name, value] of headers) copy.headers.set(name, value);
    c.res = copy;
  }
}

async function route(request: Request, site: Site): Promise<Response> {
  const url = new URL(request.url);
  const path = requestPath(url.pathname);
  if (!path) return plain(400, 'This address is not valid.');
  if (isAuthUrl(path.decoded)) return authEndpoint(request, site, path);
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return plain(405, 'Only GET and HEAD are answered here.', { Allow: 'GET, HEAD' });
  if (isPrivateSearchIndexUrl(path.decoded)) return privateIndex(request, site, path);
  // `_private`, `_export`, `_gate` are folders of dist, never of a site; nor are dotfiles.
  if (isInternalUrl(path.decoded) || isHidden(path.decoded)) return notFound(request, site);
  const page = pageOf(path.decoded);
  const audiences = site.private.get(page);
  if (audiences) return privatePage(request, site, path, page, audiences);
  return publicFile(request, site, path, url.search);
}

/** The page URL a path stands for: `/x/index.html` and `/x.md` are the page `/x/`. */
function pageOf(decoded: string): string {
  if (decoded.endsWith('/index.html')) return decoded.slice(0, -'index.html'.length);
  return pageUrlOfMarkdown(decoded) ?? decoded;
}

async function authEndpoint(request: Request, site: Site, path: RequestPath): Promise<Response> {
  if (site.auth) return (await site.auth.handle(request, site.authContext)) ?? plain(404, 'Not found.');
  // A brand without sign-in still answers the search client's question, the same way.
  if (path.decoded === urls.authSession())
    return Response.json({ signedIn: false, indexes: [] }, { headers: { 'Cache-Control': CACHE.none } });
  return plain(404, 'This help center has no sign-in.');
}

/** A file of the public tree, the Markdown copy an agent asked for, or the slash redirect. */
async function publicFile(
  request: Request,
  site: Site,
  path: RequestPath,
  search: string,
): Promise<Response> {
  const { decoded } = path;
  const markdown = markdownUrlOf(decoded);
  if (markdown && prefersMarkdown(request.headers.get('accept'))) {
    const answer = await serveIf(site, request, fileIn(site, false, markdown), {
      cacheControl: CACHE.revalidate,
      vary: ['Accept'],
    });
    if (answer) return answer;
  }
  const asset = assetName(decoded) !== undefined;
  const answer = await serveIf(site, request, fileIn(site, false, decoded), {
    cacheControl: asset || HASHED_SEARCH_FILE.test(decoded) ? CACHE.immutable : CACHE.revalidate,
    ...(markdown && { vary: ['Accept'] }),
  });
  if (answer) return answer;
  const hidden = asset ? await privateAsset(request, site, decoded) : undefined;
  if (hidden) return hidden;
  if (!decoded.endsWith('/')) {
    const folder = `${decoded}/`;
    // The raw path cannot start with `//` (requestPath refuses it), so this stays on the site.
    if (site.private.has(folder) || (await site.files.stat(fileIn(site, false, folder))))
      return new Response(null, { status: 301, headers: { Location: `${path.raw}/${search}` } });
  }
  return notFound(request, site);
}
