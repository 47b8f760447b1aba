/**
 * How Signpost reads the URLs a writer puts in an article: which ones run script, which ones
 * name another article, which ones point at a file in the content folder, and which video hosts
 * may be framed. Shared by `check` (at load) and the renderer, so they never disagree.
 */

/** Video hosts any article may embed in an `<iframe>`; `embeds.hosts` in `workspace.yaml` adds more. */
export const EMBED_HOSTS: readonly string[] = [
  'www.youtube.com',
  'youtube.com',
  'www.youtube-nocookie.com',
  'youtube-nocookie.com',
  'player.vimeo.com',
  'www.loom.com',
  'loom.com',
  'fast.wistia.net',
  'fast.wistia.com',
];

/**
 * The link title that marks a link as unchecked on purpose: `[Roadmap](roadmap.md "unchecked")`.
 * A title survives GitHub's rendering (it becomes a tooltip there), and needs no new syntax.
 */
export const UNCHECKED_TITLE = 'unchecked';

/**
 * The URL's scheme, lower-cased, read the way a browser reads it (leading spaces and control
 * characters skipped, tabs and line breaks inside ignored: `java\tscript:` is `javascript:`), or
 * undefined for a relative URL.
 */
export function schemeOf(url: string): string | undefined {
  // eslint-disable-next-line no-control-regex -- browsers strip exactly these before reading a scheme
  const cleaned = url.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+/, '');
  return /^([a-z][a-z0-9+.-]*):/i.exec(cleaned)?.[1]?.toLowerCase();
}

/** True for a URL that leaves the content folder: it has a scheme, or starts with `//`. */
export function isRemote(url: string): boolean {
  return schemeOf(url) !== undefined || url.trimStart().startsWith('//');
}

/**
 * The scheme that makes `url` unsafe where it is used, or undefined when it is safe there:
 * `javascript:` and `vbscript:` anywhere; `data:` anywhere but an image source holding an image
 * (`data:image/png;base64,…`), since a data document opened or framed can carry a page of its own.
 */
export function unsafeScheme(url: string, use: 'link' | 'image'): string | undefined {
  const scheme = schemeOf(url);
  if (scheme === 'javascript' || scheme === 'vbscript') return scheme;
  if (scheme !== 'data') return undefined;
  const cleaned = url.replace(/[\t\n\r]/g, '').trim();
  return use === 'image' && /^data:image\/[a-z0-9.+-]+[;,]/i.test(cleaned) ? undefined : scheme;
}

/**
 * For a link to another article (`refunds.md`, `../billing/refunds.de.md#fees`), the file part
 * and the `#hash`; undefined for anything else (a web address, `#top`, `/pricing`, a PDF).
 */
export function articleTarget(url: string): { target: string; hash: string } | undefined {
  if (isRemote(url) || url === '' || url.startsWith('#') || url.startsWith('/')) return undefined;
  const i = url.indexOf('#');
  const [target, hash] = i < 0 ? [url, ''] : [url.slice(0, i), url.slice(i)];
  return /\.mdx?$/i.test(target) ? { target, hash } : undefined;
}

/**
 * The host of an `<iframe src>` when it may be framed: an `https:` address on one of
 * {@link EMBED_HOSTS} or `extraHosts` (exact host names). `{ host }` alone names a refused host
 * (undefined when the address is not https: at all).
 */
export function embedHost(
  src: string | undefined,
  extraHosts: readonly string[] = [],
): { allowed: boolean; host: string | undefined } {
  let url: URL;
  try {
    url = new URL(src ?? '');
  } catch {
    return { allowed: false, host: undefined };
  }
  if (url.protocol !== 'https:') return { allowed: false, host: undefined };
  const host = url.hostname.toLowerCase();
  const allowed = EMBED_HOSTS.includes(host) || extraHosts.some((h) => h.toLowerCase() === host);
  return { allowed, host };
}
