import type { BrandConfig, Theme } from '../schemas/index.ts';

/**
 * Everything the pages render, computed once per build (or per dev reload) from the content
 * model. Plain data: components render it and never load content themselves.
 */
export interface SiteData {
  /** `build`: every brand under `/<brand>/`; `dev`: one brand at the root, drafts and private pages shown. */
  mode: 'build' | 'dev';
  brands: BrandSite[];
}

export interface BrandSite {
  id: string;
  name: string;
  domain: string;
  /** `https://<domain>` */
  origin: string;
  languages: string[];
  defaultLanguage: string;
  /** The workspace's IANA time zone, for dates shown to visitors. */
  timeZone: string;
  indexing: boolean;
  themeName: string;
  theme: Theme;
  config: BrandConfig;
  /** Brand files copied into the site, by their public URL (`/_brand/logo.png` → absolute file). */
  files: Record<string, string>;
  /** Public URLs of the brand images, where given. */
  images: Partial<
    Record<
      'icon' | 'favicon' | 'faviconType' | 'socialImage' | 'headerLogo' | 'footerLogo' | 'heroImage',
      string | undefined
    >
  >;
  pages: PageData[];
  /** Former article URLs and where they went. */
  redirects: { from: string; to: string }[];
  /** Article Markdown copies for agents: URL → Markdown. */
  markdownCopies: { url: string; markdown: string }[];
}

export interface Link {
  label: string;
  href: string;
}

export interface LanguageOption {
  lang: string;
  /** The language's own name (`Deutsch`). */
  name: string;
  /** The same page in that language; absent when there is no translation. */
  href?: string | undefined;
  current: boolean;
}

interface PageBase {
  /** Path on the brand's domain, with leading and trailing slash (`/en/articles/refunds/`), or a file (`/404.html`). */
  url: string;
  /** Built into `_private/<brand>/` (served only by the gate) instead of the public tree. */
  private: boolean;
  lang: string;
  dir: 'ltr' | 'rtl';
  /** Document title, without the brand suffix. */
  title: string;
  description: string;
  canonical: string;
  /** hreflang alternates, including `x-default`. */
  alternates: { hreflang: string; href: string }[];
  breadcrumbs: Link[];
  languages: LanguageOption[];
  noindex: boolean;
  /** Open Graph type. */
  ogType: 'website' | 'article';
}

export interface CollectionCard {
  href: string;
  name: string;
  description: string;
  icon: { builtin: string } | { src: string };
  articleCount: number;
}

export interface ArticleSummary {
  href: string;
  title: string;
  description: string;
}

export interface HomePage extends PageBase {
  kind: 'home';
  welcome: string;
  sections: HomeSectionData[];
}

export type HomeSectionData =
  | { type: 'collections'; title: string; collections: CollectionCard[] }
  | { type: 'articles'; title: string; articles: ArticleSummary[] }
  | { type: 'content'; title: string | undefined; html: string }
  | { type: 'tickets'; title: string; url: string };

export interface CollectionPage extends PageBase {
  kind: 'collection';
  name: string;
  icon: CollectionCard['icon'];
  subcollections: CollectionCard[];
  articles: ArticleSummary[];
}

export interface ArticlePage extends PageBase {
  kind: 'article';
  id: string;
  /** Rendered body; `<!--sp-image:N-->` markers stand for `images[N]`. */
  html: string;
  images: { file: string; alt: string; title?: string | undefined }[];
  toc: { depth: number; id: string; text: string }[];
  author: { name: string; title?: string | undefined; avatar?: string | undefined } | undefined;
  /** ISO date. */
  updated: string;
  related: ArticleSummary[];
  badges: ('draft' | 'private' | 'unlisted')[];
  /** Where a "Was this helpful?" reaction goes. */
  reactions: { endpoint?: string | undefined; ga4: boolean } | undefined;
  /** Path of collection names, for JSON-LD and the search filter. */
  collectionPath: string[];
  /** In the search index: published, listed articles (public ones publicly, private ones privately). */
  searchable: boolean;
}

/** `/<lang>/search/?q=`: full search results, shareable as a link. */
export interface SearchPage extends PageBase {
  kind: 'search';
}

export interface NotFoundPage extends PageBase {
  kind: 'not-found';
}

/** `/`: sends visitors to their language. */
export interface RootPage extends PageBase {
  kind: 'root';
  targets: { lang: string; name: string; href: string }[];
}

/** A former URL (article alias) that forwards to the current one. */
export interface RedirectPage extends PageBase {
  kind: 'redirect';
  to: string;
}

export type PageData =
  HomePage | CollectionPage | ArticlePage | NotFoundPage | RootPage | RedirectPage | SearchPage;
