import type { Audience } from '../schemas/audiences.ts';
import type { BrandConfig, Theme } from '../schemas/index.ts';

/**
 * Everything the pages render, computed once per build (or per dev reload) from the content
 * model. Plain data: components render it and never load content themselves.
 */
export interface SiteData {
  /** `build`: every brand under `/<brand>/`; `dev`: one brand at the root, drafts and private pages shown. */
  mode: 'build' | 'dev';
  brands: BrandSite[];
  /** Dev: the content's errors as `file:line: message`, shown over every page until fixed. */
  problems: string[];
  /** Hosts `embeds.hosts` in `workspace.yaml` adds to the video players pages may frame. */
  embedHosts: string[];
  /** `audiences.yaml`: the rules the gate applies to a private article's audiences. */
  audiences: Record<string, { rules: Audience['rules'] }>;
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
  /** `false`: `noindex` everywhere and `Disallow: /` in `robots.txt`. */
  indexing: boolean;
  theme: Theme;
  /** Brand files copied into the site, by their public URL (`/_brand/logo.png` → absolute file). */
  files: Record<string, string>;
  /** Brand files the build generates, by their public URL: favicons and the web manifest. */
  generated: Record<string, () => Promise<Uint8Array>>;
  /** Public URLs of the brand images, where given. */
  images: BrandImages;
  /** The theme's fonts, with the font files published under `/_brand/fonts/`. */
  fonts: BrandFonts;
  /** The brand's design tokens besides the theme's: the hero's colours and image. */
  hero: {
    searchBar: 'short' | 'medium' | 'long';
    background?: string | undefined;
    textColor?: string | undefined;
    /** The background picture: WebP for desktops and phones, and the focal point as a CSS position. */
    image?: { wide: string; narrow: string; position: string } | undefined;
  };
  /** Header, footer and search settings, resolved per language the brand publishes. */
  chrome: Record<string, Chrome>;
  /** Where the search loader finds its client and the indexes. */
  search: SearchSetup;
  /** The gate's settings, for its manifest; undefined when the brand keeps nothing private. */
  privacy: BrandConfig['privacy'];
  /** GA4 measurement id, when the brand sets one. */
  ga4: string | undefined;
  pages: PageData[];
  /** Former article URLs and where they went. */
  redirects: { from: string; to: string }[];
  /**
   * URLs of the articles' Markdown copies for agents. The feeds' writer makes each copy
   * (`markdownCopy`) as it writes it, so the route data holds no second copy of every body.
   */
  markdownCopies: string[];
}

export interface BrandImages {
  icon?: string | undefined;
  /** The favicon set generated from `favicon` (else `icon`, else a neutral default), and the manifest. */
  icons: { ico: string; png32: string; appleTouch: string; manifest: string };
  socialImage?: string | undefined;
  /** The social image's size in pixels, from sharp, for `og:image:width` / `og:image:height`. */
  socialImageSize?: { width: number; height: number } | undefined;
  headerLogo?: string | undefined;
  footerLogo?: string | undefined;
  /** Each logo's `width` attribute at `LOGO_HEIGHT` (`layout.ts`), from its ratio. */
  headerLogoWidth: number;
  footerLogoWidth: number;
}

/** The theme's fonts as CSS: what `ThemeStyle` and `HeadMeta` write. */
export interface BrandFonts {
  /** `--sp-font-heading` and `--sp-font-body`: a stack, or `"Family", fallback` for font files. */
  heading: string;
  body: string;
  /** One `@font-face` per published file (a subset of a theme font file for one unicode range). */
  faces: FontFaceRule[];
  /** Per language: the body font's files for the language's main script, for `<link rel="preload">`. */
  preload: Record<string, string[]>;
}

export interface FontFaceRule {
  family: string;
  url: string;
  /** `font-weight` and `font-style` as the file declares them: `400`, `100 900`, `normal`. */
  weight: string;
  style: string;
  /** The characters the file holds, so browsers fetch it only for a page that shows one. */
  unicodeRange: string;
}

/** What surrounds every page in one language: header, footer and the search forms' settings. */
export interface Chrome {
  header: {
    title: string;
    home: string;
    links: Link[];
    logo: string | undefined;
    /** Its `width` attribute (see `LOGO_HEIGHT`). */
    logoWidth: number;
    /** The logo's text alternative: the brand's name. */
    logoAlt: string;
  };
  footer: {
    template: 'simple' | 'classic' | 'multi-level';
    /** Link columns; a column without a label is a plain list. */
    columns: { label: string; links: Link[] }[];
    logo: string | undefined;
    logoWidth: number;
    /** `network` is the schema's key (`linkedin`), `name` its display name (`LinkedIn`). */
    social: { network: string; name: string; url: string }[];
    poweredBy: boolean;
    /** Offer "Cookie settings" (GA4 with `analytics.consent: required`), to change the visitor's choice. */
    cookieSettings?: boolean | undefined;
  };
  search: {
    /** The language's search page, where the form goes without JavaScript. */
    action: string;
    /** The ticket portal, offered when nothing is found. */
    tickets: string | undefined;
    /** Send GA4 `search` events. */
    ga4: boolean;
  };
  /** GA4 where the brand sets `analytics.ga4`; absent → no analytics code and no consent banner. */
  analytics?: AnalyticsSetup | undefined;
}

/** A brand's GA4 settings, as the consent script receives them. */
export interface AnalyticsSetup {
  /** Measurement id, `G-…`. */
  ga4: string;
  /** `required`: nothing loads from Google until the visitor accepts; `implied`: loads at once. */
  consent: 'required' | 'implied';
}

/** Handed to the search client by the loader, from the build, never from the page's markup. */
export interface SearchSetup {
  /** Public index URL. */
  index: string;
  /** Where the gate says which private indexes a signed-in visitor may merge. */
  session: string;
  /**
   * Per language, the public index's further bundles (`urls.searchIndexPart`), when the language
   * has more searchable pages than one Pagefind pass takes; the client merges them.
   */
  parts?: Record<string, string[]>;
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
  /** Listed in `sitemap.xml`. */
  sitemap: boolean;
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
  /**
   * The render cache's key of the body (`ArticleRenderer.keyOf`): a hash of all `html`, `images`
   * and the headings of `toc` are made from. Undefined without a render cache (a large site).
   */
  bodyKey?: string | undefined;
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
  /** In a search index: published articles in a collection (public ones publicly, private ones privately). */
  searchable: boolean;
  /** Audiences a signed-in visitor must match to read a private article (empty: any). */
  audiences: string[];
}

/** `/<lang>/search/?q=`: full search results, shareable as a link. */
export interface SearchPage extends PageBase {
  kind: 'search';
}

export interface NotFoundPage extends PageBase {
  kind: 'not-found';
  /** The home page in the page's language. */
  home: string;
}

/** `/`: sends visitors to their language. */
export interface RootPage extends PageBase {
  kind: 'root';
  targets: { lang: string; name: string; href: string }[];
}

/** A former URL (an alias of an article or collection) that forwards to the current one. */
export interface RedirectPage extends PageBase {
  kind: 'redirect';
  to: string;
}

/**
 * The public tree's page at a private article's URL, for static hosts without the gate: it says
 * the article is for signed-in customers and links to the sign-in, and holds none of its text.
 */
export interface SignInPage extends PageBase {
  kind: 'sign-in';
  /** The brand's login URL with this page as `returnTo`; absent when the brand sets none. */
  loginUrl: string | undefined;
  home: string;
}

/** What the gate shows a signed-in visitor whose account may not read an article (403). */
export interface NotAvailablePage extends PageBase {
  kind: 'not-available';
  home: string;
}

export type PageData =
  | HomePage
  | CollectionPage
  | ArticlePage
  | NotFoundPage
  | RootPage
  | RedirectPage
  | SearchPage
  | SignInPage
  | NotAvailablePage;
