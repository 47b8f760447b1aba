/**
 * The one place that knows where things go: every URL a brand's site answers and every file and
 * folder of the output. Nothing else joins these strings; a test greps `src/` to keep it so.
 *
 * ```
 * <out>/<brand>/                 public tree, deployed on the brand's domain
 * <out>/_private/<brand>/        private pages and their search index, served by the gate only
 * <out>/_export/<brand>/         the full knowledge feed (never deployed)
 * ```
 */

const PRIVATE = '_private';
const EXPORT = '_export';
/** The gate's manifest per brand: which URLs are private, for whom, and how to sign in. */
const GATE = '_gate';
/** Astro's hashed scripts, styles and optimised images, per deploy root. */
const ASSETS_DIR = '_astro';
const BRAND_FILES = '_brand';
const SEARCH_INDEX = 'pagefind';
/** The gate's endpoints. */
const AUTH = '_auth';

/** Brand-relative URLs of every page kind and file: the URL scheme lives here. */
export const urls = {
  root: () => '/',
  home: (lang: string) => `/${lang}/`,
  collection: (lang: string, path: readonly string[]) =>
    `/${lang}/collections/${path.map(encodeURIComponent).join('/')}/`,
  article: (lang: string, id: string) => `/${lang}/articles/${encodeURIComponent(id)}/`,
  /**
   * The redirect page of a former URL path (an alias, already percent-encoded and without a
   * trailing slash: `/en/articles/123-old`) is the folder page at that path: `/en/articles/123-old/`.
   */
  formerPath: (path: string) => (path.endsWith('/') ? path : `${path}/`),
  /** The article as Markdown, for agents. */
  articleMarkdown: (lang: string, id: string) => `/${lang}/articles/${encodeURIComponent(id)}.md`,
  search: (lang: string) => `/${lang}/search/`,
  notFound: () => '/404.html',
  /** A brand image copied into the site: `brandFile('logo', '.png')` → `/_brand/logo.png`. */
  brandFile: (name: string, extension: string) => `/${BRAND_FILES}/${name}${extension}`,
  /** A theme font subset, by its content-hashed name (`content/fonts.ts` `subsetName`). */
  fontFile: (name: string) => `/${BRAND_FILES}/fonts/${name}.woff2`,
  /** The public search index; result URLs in it are brand-relative. */
  searchIndex: () => `/${SEARCH_INDEX}/`,
  /**
   * One more bundle of a language whose public index is split (`searchIndexParts`): part 1 is in
   * the public index itself, parts 2… beside it, merged in the browser.
   */
  searchIndexPart: (lang: string, part: number) => `/${SEARCH_INDEX}/${searchPartDir(lang, part)}/`,
  /** The private search index, as the gate serves it to a signed-in visitor. */
  privateSearchIndex: () => `/${PRIVATE}/${SEARCH_INDEX}/`,
  /**
   * A private search index for articles kept for some audiences (`['admins', 'enterprise']`):
   * one index per audience set, so the gate serves each only to visitors it allows.
   */
  audienceSearchIndex: (audiences: readonly string[]) => `/${PRIVATE}/${audienceIndexDir(audiences)}/`,
  /** The localized page the gate shows a signed-in visitor an article is not meant for. */
  notAvailable: (lang: string) => `/${lang}/not-available/`,
  /** The gate's endpoints. */
  authCallback: () => `/${AUTH}/callback`,
  authLogout: () => `/${AUTH}/logout`,
  authSession: () => `/${AUTH}/session`,
  /** The favicon every browser asks for at the root, whatever the page links. */
  favicon: () => '/favicon.ico',
  /** The web app manifest (name, icons, colours) every page links. */
  webManifest: () => '/manifest.webmanifest',
  /** The generated favicon set's PNGs, beside the other brand files. */
  faviconPng: (size: number) => `/${BRAND_FILES}/favicon-${size}.png`,
  appleTouchIcon: () => `/${BRAND_FILES}/apple-touch-icon.png`,
  manifestIcon: (size: number) => `/${BRAND_FILES}/icon-${size}.png`,
  /** The site map, for `robots.txt`. */
  sitemap: () => '/sitemap.xml',
  /**
   * A file in the deploy root's assets folder (`/_astro/<name>`): the knowledge feed publishes
   * article images there under content-hashed names, served like Astro's own (immutable; private
   * ones by the gate to signed-in visitors only).
   */
  asset: (name: string) => `/${ASSETS_DIR}/${encodeURIComponent(name)}`,
};

/** The file name inside the assets folder that an asset URL (`/_astro/x.hash.webp`) names. */
export function assetName(url: string): string | undefined {
  const prefix = `/${ASSETS_DIR}/`;
  return url.startsWith(prefix) ? decodeURIComponent(url.slice(prefix.length)) : undefined;
}

/** The folder (in a private tree) of the search index for an audience set; `pagefind` for none. */
export function audienceIndexDir(audiences: readonly string[]): string {
  return audiences.length ? `${SEARCH_INDEX}-${[...audiences].sort().join('+')}` : SEARCH_INDEX;
}

/** Pagefind names its own files and folders in a bundle otherwise; `part-` is never one of them. */
function searchPartDir(lang: string, part: number): string {
  return `part-${lang}-${part}`;
}

/**
 * How many bundles a language's public index has: one per 2,500 searchable pages for Japanese,
 * one per 1,000 for Chinese and Korean, one per 8,000 otherwise. Pagefind holds every page of a
 * pass in memory until it writes the index, measured with Pagefind 1.6: about 0.1 MB a page in
 * most scripts; about 0.3 MB in Japanese, which it is handed with its words marked
 * (`search/words.ts`; 0.9 MB before); Chinese and Korean are taken to need as much as Japanese did
 * (never measured). So a pass never needs much more than 1 GB.
 * `override` (`SIGNPOST_SEARCH_PAGES_PER_PASS`) sets one figure for every language.
 */
export function searchIndexParts(lang: string, pages: number, override?: number): number {
  return Math.max(1, Math.ceil(pages / (override ?? fullSearchPass(lang))));
}

/** The searchable pages of a full Pagefind pass in `lang` (see `searchIndexParts`): ~1 GB of Pagefind's memory. */
export function fullSearchPass(lang: string): number {
  return /^ja\b/i.test(lang) ? 2500 : /^(ko|zh)\b/i.test(lang) ? 1000 : 8000;
}

/**
 * The comment an article page writes where what Pagefind reads of its searchable element (the one
 * with `data-pagefind-body`) ends: after it comes only the article's foot, which Pagefind is told
 * to ignore all of. What the search index reads of a page ends before the last one on the page, so
 * the brand's chrome after it does not decide whether two pages index alike (`search/index.ts`).
 * One written inside the article body would come before it, and so could not cut that short.
 */
export const SEARCH_BODY_END = '<!--/search-->';

/** Is this URL path under a private search index (`/_private/pagefind…/`)? */
export function isPrivateSearchIndexUrl(url: string): boolean {
  return url.startsWith(`/${PRIVATE}/${SEARCH_INDEX}`);
}

/** The gate manifest of a brand, relative to the output folder (posix): `_gate/<brand>.json`. */
export function gateManifestFile(brand: string): string {
  return `${GATE}/${brand}.json`;
}

/**
 * Where a page or file of a brand's tree lives, relative to the output folder (posix, so the gate
 * can use it on any runtime): `treeFile('acme', false, '/en/x/')` → `acme/en/x/index.html`.
 */
export function treeFile(brand: string, privateTree: boolean, url: string): string {
  return `${privateTree ? `${PRIVATE}/` : ''}${brand}/${fileOf(url)}`;
}

/** Is this request path one of the gate's own endpoints (`/_auth/…`)? */
export function isAuthUrl(url: string): boolean {
  return url.startsWith(`/${AUTH}/`);
}

/**
 * What of Signpost's own a path would collide with, or `undefined` when the path is free for a
 * page of the writer's (a former URL, say): `'/_astro/'` for `/_astro/x`, `'/robots.txt'` for
 * `/robots.txt` (and for `/robots.txt/x`, whose folder could not sit beside that file), `'/'` for
 * the root. Compared by the decoded first segment, ignoring case, as hosts that ignore case would.
 */
export function reservedPathOwner(path: string): string | undefined {
  const first = path.split('/')[1] ?? '';
  if (first === '') return '/';
  let name: string;
  try {
    name = decodeURIComponent(first).toLowerCase();
  } catch {
    name = first.toLowerCase();
  }
  const folders = [PRIVATE, EXPORT, GATE, ASSETS_DIR, BRAND_FILES, AUTH];
  if (folders.includes(name) || name === SEARCH_INDEX || name.startsWith(`${SEARCH_INDEX}-`))
    return `/${name}/`;
  const files = [
    ...Object.values(rootFiles),
    urls.notFound(),
    urls.favicon(),
    urls.webManifest(),
    urls.sitemap(),
  ].map((file) => file.replace(/^\//, ''));
  const file = files.find((f) => f.toLowerCase() === name);
  return file === undefined ? undefined : `/${file}`;
}

/** Is this path Signpost's own (see `reservedPathOwner`), so no page of the writer's may take it? */
export function isReservedPath(path: string): boolean {
  return reservedPathOwner(path) !== undefined;
}

/**
 * Does this request path name a folder that is never a site URL (`/_private/…`, `/_export/…`,
 * `/_gate/…`)? The gate refuses those, except the private search indexes it checks first.
 */
export function isInternalUrl(url: string): boolean {
  const first = url.split('/')[1];
  return first === PRIVATE || first === EXPORT || first === GATE;
}

/** The Markdown copy's URL of an article page (`/en/articles/x/` → `/en/articles/x.md`), else undefined. */
export function markdownUrlOf(pageUrl: string): string | undefined {
  return /^\/[^/]+\/articles\/[^/]+\/$/.test(pageUrl) ? `${pageUrl.slice(0, -1)}.md` : undefined;
}

/** The article page a Markdown copy's URL belongs to (`/en/articles/x.md` → `/en/articles/x/`). */
export function pageUrlOfMarkdown(url: string): string | undefined {
  return /^\/[^/]+\/articles\/[^/]+\.md$/.test(url) ? `${url.slice(0, -3)}/` : undefined;
}

/** Is this request path a brand image (the dev server serves those from the content folder)? */
export function isBrandFileUrl(url: string): boolean {
  return url.startsWith(`/${BRAND_FILES}/`);
}

/**
 * Joins path segments with `/` (Node's file APIs take it on every platform), so this module needs
 * no `node:` import and the gate can use it on any runtime.
 */
function join(...parts: string[]): string {
  return parts.join('/').replace(/\/{2,}/g, '/');
}

/** Folders of the build output. */
export const dirs = {
  /** A brand's public deploy root. */
  public: (out: string, brand: string) => join(out, brand),
  /** A brand's private pages, served only by the gate. */
  private: (out: string, brand: string) => join(out, PRIVATE, brand),
  /** A brand's full feed. */
  export: (out: string, brand: string) => join(out, EXPORT, brand),
  /** What is exported for every brand at once (the feed's JSON Schema). */
  exportRoot: (out: string) => join(out, EXPORT),
  /** The gate manifests' folder. */
  gate: (out: string) => join(out, GATE),
  /** Where Astro leaves the assets of every brand before they are shared out per deploy root. */
  sharedAssets: (out: string) => join(out, ASSETS_DIR),
  /** The assets folder inside a deploy root. */
  assets: (root: string) => join(root, ASSETS_DIR),
  /** The Pagefind index inside a deploy root (a private tree also has one per audience set). */
  searchIndex: (root: string, audiences: readonly string[] = []) => join(root, audienceIndexDir(audiences)),
  /** A further bundle of a split language inside a public index (`urls.searchIndexPart`). */
  searchIndexPart: (root: string, lang: string, part: number) =>
    join(root, SEARCH_INDEX, searchPartDir(lang, part)),
  /** What the build that wrote `out` was made from (`cli/build-stamp.ts`); outside every deploy root. */
  buildStamp: (out: string) => join(out, '.signpost-build.json'),
  /** Each page's inputs and bytes, for the next build to copy what did not change (`cli/page-cache.ts`). */
  pageManifest: (out: string) => join(out, '.signpost-pages.json'),
  /** What each language's public search index was made from, for the next build to keep (`search/index.ts`). */
  searchKeys: (out: string) => join(out, '.signpost-search.json'),
};

/** Files at a brand's public root besides its pages. */
export const rootFiles = {
  sitemap: 'sitemap.xml',
  robots: 'robots.txt',
  cname: 'CNAME',
  redirects: '_redirects',
  /** The public knowledge feed; the full one has the same name in the brand's export folder. */
  feed: 'knowledge.json',
  /** llmstxt.org index of the public articles' Markdown copies, and all of them in one file. */
  llms: 'llms.txt',
  llmsFull: 'llms-full.txt',
} as const;

/** Files of the export root (`dirs.exportRoot`), shared by every brand's full feed. */
export const exportFiles = {
  /** JSON Schema (draft 2020-12) of `knowledge.json`. */
  feedSchema: 'knowledge.schema.json',
} as const;

/** Where a page's file goes inside its deploy root: `/en/x/` → `en/x/index.html`. */
export function fileOf(url: string): string {
  const decoded = decodeURIComponent(url).replace(/^\//, '');
  return decoded === '' || decoded.endsWith('/') ? `${decoded}index.html` : decoded;
}

/** The Astro route a page is rendered by: a folder with `index.html`, or a named `.html` file. */
export type RouteKind = 'directory' | 'file';

/**
 * The Astro route parameter of a page, and which route renders it. A build holds every brand
 * (`acme/en/…`, private pages under `_private/acme/…`); the dev server shows one brand at the root.
 * Pages whose URL is a file (`/404.html`) go through the file route, so Astro writes them in place.
 */
export function routeOf(
  mode: 'build' | 'dev',
  brand: string,
  page: { url: string; private: boolean },
): { kind: RouteKind; param: string | undefined } {
  const kind: RouteKind = page.url.endsWith('.html') ? 'file' : 'directory';
  const trimmed = decodeURIComponent(page.url)
    .replace(/\.html$/, '')
    .replace(/^\/|\/$/g, '');
  const parts = mode === 'build' ? [page.private ? `${PRIVATE}/${brand}` : brand, trimmed] : [trimmed];
  return { kind, param: parts.filter(Boolean).join('/') || undefined };
}

/**
 * The `height` attribute of the header and footer logos, in CSS pixels (the style sheet shows them
 * 2rem high). With a `width` of the logo's own ratio, the browser keeps their room before they load.
 */
export const LOGO_HEIGHT = 32;
