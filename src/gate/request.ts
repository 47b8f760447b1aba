/**
 * Reading a request's path safely, once. Everything downstream works on the decoded path this
 * returns and maps it to a file through `treeFile`, so no second decoding can turn `%252e%252e`
 * into `..` after the check.
 */

/** A request path that passed the checks: `decoded` is what every lookup uses. */
export interface RequestPath {
  /** As the client sent it (percent-encoded), for redirects that keep the client's spelling. */
  raw: string;
  /** Percent-decoded once: `/en/articles/rück/`. */
  decoded: string;
}

/** A path segment that walks: `.` or `..`, however it was spelled before decoding. */
const DOT_SEGMENT = /(^|\/)\.\.?(\/|$)/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const CONTROL = /[\u0000-\u001f\u007f\\]/;

/**
 * The request path, or undefined when it must be refused: an invalid or overlong UTF-8 escape
 * (`%c0%ae`), a NUL or other control character, a backslash, an empty segment (`//evil.test`
 * would turn a slash redirect into an open redirect), or a `.`/`..` segment, checked after one
 * decoding and again after a second one (`%252e%252e`) so that a later layer's decoding cannot
 * make one appear.
 */
export function requestPath(raw: string): RequestPath | undefined {
  if (!raw.startsWith('/')) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  let twice = decoded;
  try {
    twice = decodeURIComponent(decoded);
  } catch {
    // A literal `%` that is not an escape (`/100%/`): nothing more to decode.
  }
  for (const form of [raw, decoded, twice])
    if (CONTROL.test(form) || DOT_SEGMENT.test(form) || form.includes('//')) return undefined;
  return { raw, decoded };
}

/** Re-encodes a decoded path for `treeFile`, which decodes once: the round trip is exact. */
export function encodePath(decoded: string): string {
  return decoded.split('/').map(encodeURIComponent).join('/');
}

/** Decodes a URL the manifest spells (encoded, as the site links it), for decoded lookups. */
export function decodePath(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

/**
 * A dotfile or dot-folder (`/.git/config`, `/.env`): never part of a site, except `.well-known`,
 * which hosts `security.txt` and similar.
 */
export function isHidden(decoded: string): boolean {
  return decoded.split('/').some((segment) => segment.startsWith('.') && segment !== '.well-known');
}

/**
 * Does the client ask for Markdown over HTML? Only an explicit `text/markdown` counts, at a
 * quality at least that of `text/html`: a browser's `*\/*` must keep getting HTML.
 */
export function prefersMarkdown(accept: string | null): boolean {
  if (!accept?.includes('markdown')) return false;
  const quality = (type: string) => {
    for (const part of accept.toLowerCase().split(',')) {
      const [name = '', ...params] = part.trim().split(';');
      if (name.trim() !== type) continue;
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return q === undefined ? 1 : Number(q);
    }
    return 0;
  };
  const markdown = quality('text/markdown');
  return markdown > 0 && markdown >= quality('text/html');
}

/** The page's language by its URL's first segment, else the brand's default. */
export function languageOf(decoded: string, languages: ReadonlySet<string>, fallback: string): string {
  const first = decoded.split('/')[1] ?? '';
  return languages.has(first) ? first : fallback;
}

/** A small plain-text answer for what has no page: the gate's errors, refusals, redirects. */
export function plain(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(text, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
  });
}
