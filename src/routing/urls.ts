/** Brand-relative URLs of every page kind; the one place the URL scheme lives. */
export const urls = {
  root: () => '/',
  home: (lang: string) => `/${lang}/`,
  collection: (lang: string, path: readonly string[]) =>
    `/${lang}/collections/${path.map(encodeURIComponent).join('/')}/`,
  article: (lang: string, id: string) => `/${lang}/articles/${encodeURIComponent(id)}/`,
  articleMarkdown: (lang: string, id: string) => `/${lang}/articles/${encodeURIComponent(id)}.md`,
  search: (lang: string) => `/${lang}/search/`,
  notFound: () => '/404.html',
};

/** Where a page's file goes inside a brand's folder: `/en/x/` → `en/x/index.html`. */
export function fileOf(url: string): string {
  const path = decodeURIComponent(url).replace(/^\//, '');
  return path === '' || path.endsWith('/') ? `${path}index.html` : path;
}

/**
 * The Astro route parameter of a page. A build holds every brand (`acme/en/…`, private pages
 * under `_private/acme/…`); the dev server shows one brand at the root. `/404.html` is built as
 * `acme/404/` and moved into place after the build.
 */
export function routePath(
  mode: 'build' | 'dev',
  brand: string,
  page: { url: string; private: boolean },
): string | undefined {
  const url = page.url === '/404.html' ? '/404/' : page.url;
  const trimmed = decodeURIComponent(url).replace(/^\/|\/$/g, '');
  const parts = mode === 'build' ? [page.private ? `_private/${brand}` : brand, trimmed] : [trimmed];
  return parts.filter(Boolean).join('/') || undefined;
}
