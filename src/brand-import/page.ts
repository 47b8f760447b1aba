/** What a homepage says about its brand: name, icons, social image, colours, manifest. */
import type { Element, Root, RootContent } from 'hast';
import { htmlToHast } from 'satteri';

/** An image the page points to, and where the pointer was. */
export interface ImageCandidate {
  url: URL;
  /** `apple-touch-icon`, `icon`, `manifest`, `og:image`: shown in the report. */
  source: string;
  /** Declared size (`sizes="180x180"`), when the page says; the downloaded file decides. */
  size?: number | undefined;
}

/** Everything read from the homepage's `<head>` (and, later, its manifest). */
export interface PageFacts {
  /** `og:site_name`, else `<title>`. */
  name?: string | undefined;
  icons: ImageCandidate[];
  socialImage?: ImageCandidate | undefined;
  themeColor?: string | undefined;
  backgroundColor?: string | undefined;
  manifest?: URL | undefined;
}

/** Reads the tags that matter from a homepage; relative URLs are resolved against `base`. */
export function readPage(html: string, base: URL): PageFacts {
  const facts: PageFacts = { icons: [] };
  let title: string | undefined;
  let siteName: string | undefined;
  for (const el of elements(htmlToHast(html) as Root)) {
    const p = el.properties;
    const rel = (Array.isArray(p.rel) ? p.rel : [p.rel]).map((r) => String(r).toLowerCase());
    const href = typeof p.href === 'string' ? URL.parse(p.href, base) : null;
    if (el.tagName === 'title' && title === undefined) title = textOf(el);
    else if (el.tagName === 'link' && href) {
      if (rel.includes('apple-touch-icon') || rel.includes('apple-touch-icon-precomposed'))
        facts.icons.push({ url: href, source: 'apple-touch-icon', size: declaredSize(p.sizes) ?? 180 });
      else if (rel.includes('icon'))
        facts.icons.push({ url: href, source: 'icon', size: declaredSize(p.sizes) });
      else if (rel.includes('manifest')) facts.manifest ??= href;
    } else if (el.tagName === 'meta') {
      const key = String(p.property ?? p.name ?? '').toLowerCase();
      const content = typeof p.content === 'string' ? p.content.trim() : '';
      if (!content) continue;
      if (key === 'og:image' || key === 'og:image:url' || key === 'og:image:secure_url') {
        const url = URL.parse(content, base);
        if (url) facts.socialImage ??= { url, source: 'og:image' };
      } else if (key === 'og:site_name') siteName ??= content;
      // A theme-color with a media query (dark mode) is the second choice, so keep the first.
      else if (key === 'theme-color') facts.themeColor ??= hexOrUndefined(content);
    }
  }
  facts.name = siteName ?? title;
  return facts;
}

/** Adds a web manifest's colours and icons to what the page said (the page wins on colours). */
export function readManifest(json: string, base: URL, facts: PageFacts): void {
  const manifest = JSON.parse(json) as {
    theme_color?: unknown;
    background_color?: unknown;
    icons?: { src?: unknown; sizes?: unknown; purpose?: unknown }[];
  };
  if (typeof manifest.theme_color === 'string') facts.themeColor ??= hexOrUndefined(manifest.theme_color);
  if (typeof manifest.background_color === 'string')
    facts.backgroundColor ??= hexOrUndefined(manifest.background_color);
  for (const icon of Array.isArray(manifest.icons) ? manifest.icons : []) {
    // A `monochrome` icon is a silhouette for the OS to tint: not a logo.
    if (typeof icon.src !== 'string' || String(icon.purpose ?? '').includes('monochrome')) continue;
    const url = URL.parse(icon.src, base);
    if (url) facts.icons.push({ url, source: 'manifest', size: declaredSize(icon.sizes) });
  }
}

/** `#abc`, `#aabbcc` (lower case); anything else (named colours, rgb()) is not written. */
export function hexOrUndefined(value: string): string | undefined {
  const v = value.trim().toLowerCase();
  return /^#([0-9a-f]{3}|[0-9a-f]{6})$/.test(v) ? v : undefined;
}

/** Largest square size in a `sizes` attribute (`16x16 32x32`); `any` counts as huge (SVG). */
function declaredSize(sizes: unknown): number | undefined {
  const list = (Array.isArray(sizes) ? sizes.join(' ') : String(sizes ?? '')).toLowerCase();
  if (list.split(/\s+/).includes('any')) return 10_000;
  const squares = [...list.matchAll(/(\d+)x(\d+)/g)].filter((m) => m[1] === m[2]).map((m) => Number(m[1]));
  return squares.length ? Math.max(...squares) : undefined;
}

function* elements(node: Root | RootContent): Generator<Element> {
  if (node.type === 'element') yield node;
  if ('children' in node) for (const child of node.children) yield* elements(child);
}

function textOf(node: Element): string {
  return node.children
    .map((c) => (c.type === 'text' ? c.value : c.type === 'element' ? textOf(c) : ''))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}
