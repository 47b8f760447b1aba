import { EMBED_HOSTS } from '../markdown/urls.ts';
import type { GateManifest } from './manifest.ts';

/**
 * Security headers for every response the gate sends. Pure functions over the manifest, so the
 * edge runtime gets the same policy as Node.
 */

/** Google's GA4 hosts: gtag.js loads from the tag manager and reports to the analytics regions. */
const GA4_SCRIPT = ['https://www.googletagmanager.com'];
const GA4_CONNECT = [
  'https://*.google-analytics.com',
  'https://*.analytics.google.com',
  'https://www.googletagmanager.com',
];
const GA4_IMG = ['https://*.google-analytics.com', 'https://www.googletagmanager.com'];

/**
 * The brand's Content-Security-Policy. Scripts: our own files, the inline scripts the build
 * hashed, and WebAssembly compilation for Pagefind; never `unsafe-inline`, so injected markup
 * cannot run script. Styles may be inline because pages inline their critical CSS.
 */
export function contentSecurityPolicy(csp: GateManifest['csp']): string {
  const ga4 = csp.ga4;
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    [
      'script-src',
      ["'self'", "'wasm-unsafe-eval'", ...csp.scriptHashes.map((h) => `'${h}'`), ...(ga4 ? GA4_SCRIPT : [])],
    ],
    ['style-src', ["'self'", "'unsafe-inline'"]],
    // https: rather than a host list: articles may show images from anywhere the writer linked.
    ['img-src', ["'self'", 'data:', 'https:', ...(ga4 ? GA4_IMG : [])]],
    ['font-src', ["'self'", 'data:']],
    // The search client fetches its index and /_auth/session; reactions may post elsewhere (https:).
    ['connect-src', ["'self'", 'https:', ...(ga4 ? GA4_CONNECT : [])]],
    // The same video hosts the renderer lets articles frame, plus the workspace's own (`embeds.hosts`).
    ['frame-src', [...EMBED_HOSTS, ...(csp.frameHosts ?? [])].map((host) => `https://${host}`)],
    ['media-src', ["'self'", 'https:']],
    ['object-src', ["'none'"]],
    ['worker-src', ["'self'"]],
    ['frame-ancestors', ["'none'"]],
    ['base-uri', ["'none'"]],
    // https: because the customer's login form may live on their app's domain.
    ['form-action', ["'self'", 'https:']],
  ];
  return directives.map(([name, values]) => `${name} ${[...new Set(values)].join(' ')}`).join('; ');
}

/**
 * The headers every response carries. `tls` says the visitor's connection is HTTPS (the URL's
 * scheme, or a trusted proxy's `X-Forwarded-Proto`): HSTS over plain HTTP is ignored by browsers
 * and, on a local test server, would pin a name to HTTPS for a year.
 */
export function securityHeaders(csp: string, tls: boolean): [string, string][] {
  const headers: [string, string][] = [
    ['Content-Security-Policy', csp],
    ['X-Content-Type-Options', 'nosniff'],
    ['Referrer-Policy', 'strict-origin-when-cross-origin'],
    ['X-Frame-Options', 'DENY'],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
  ];
  if (tls) headers.push(['Strict-Transport-Security', 'max-age=31536000; includeSubDomains']);
  return headers;
}

/** Did the visitor connect over TLS? The proxy's word counts only when the operator trusts it. */
export function isTls(request: Request, url: URL, trustProxy: boolean): boolean {
  if (url.protocol === 'https:') return true;
  if (!trustProxy) return false;
  // A chain of proxies appends: the first value is what the visitor used.
  const forwarded = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return forwarded === 'https';
}
