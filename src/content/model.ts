import type { BodyParse } from '../markdown/parse.ts';
import type { CheckedImage } from './brand-images.ts';
import type { Span } from '../markdown/outline.ts';
import type {
  ArticleFrontMatter,
  Audience,
  Author,
  BrandConfig,
  CollectionConfig,
  FolderConfig,
  Theme,
  Workspace,
} from '../schemas/index.ts';

/** Text per language, already resolved (every language a brand publishes has a value). */
export type Localized = Record<string, string>;

/** The whole content tree, validated and cross-linked. Built once per `check`, `build` or dev reload. */
export interface Model {
  /** Absolute path of the content folder. */
  root: string;
  workspace: Workspace & { file: string };
  authors: Map<string, Author & { key: string; avatarFile?: string | undefined }>;
  audiences: Map<string, Audience & { key: string }>;
  themes: Map<string, ThemeEntry>;
  helpCenters: Map<string, HelpCenter>;
  brands: Brand[];
  /** Copilot-only knowledge under `internal/`. */
  internal: InternalTree;
  /**
   * Article files left out because they have errors of their own; links to them are not reported
   * again, so a writer sees the cause, not a cascade.
   */
  invalidFiles: Set<string>;
  /**
   * Bodies of article files left out for their front matter: still checked for what needs only
   * the body (unsafe HTML, components, images), so one error does not hide the others.
   */
  invalidBodies: { file: string; format: 'md' | 'mdx'; body: string; bodyLine: number }[];
}

export interface ThemeEntry {
  name: string;
  file: string;
  theme: Theme;
}

export interface HelpCenter {
  id: string;
  dir: string;
  /** Top-level collections, sorted. */
  collections: Collection[];
  /** Every collection at any depth, by its path (`billing/refunds`). */
  collectionsByPath: Map<string, Collection>;
  /** Every article in this help center, by id. */
  articles: Map<string, ArticleGroup>;
  /** Former ids (aliases) → current id. */
  aliases: Map<string, string>;
}

export interface Collection {
  /** Folder name, unique among siblings. */
  id: string;
  /** Folder names from the help-center root: `['billing', 'refunds']`. */
  path: string[];
  /** 1 for top level, at most 3. */
  depth: number;
  dir: string;
  /** The `_collection.yaml` file. */
  file: string;
  config: CollectionConfig;
  /** Name per workspace language (missing languages fall back to the default language). */
  name: Localized;
  description: Localized;
  /**
   * A built-in icon name, or a custom icon checked with sharp: the file to publish (an SVG is drawn)
   * and the extension of its detected format.
   */
  icon: { builtin: string } | CheckedImage;
  order: number | undefined;
  parent: Collection | undefined;
  children: Collection[];
  /** Articles directly in this collection, sorted by order then title. */
  articles: ArticleGroup[];
}

/** One article in every language it is written in. */
export interface ArticleGroup {
  id: string;
  /** `undefined` for an internal article. */
  helpCenter: string | undefined;
  collection: Collection | undefined;
  folder: Folder | undefined;
  translations: Map<string, Article>;
}

export type Visibility = 'public' | 'unlisted' | 'private' | 'internal';

/** One article file: one id in one language. */
export interface Article {
  id: string;
  language: string;
  file: string;
  format: 'md' | 'mdx';
  frontMatter: ArticleFrontMatter;
  title: string;
  description: string;
  state: 'published' | 'draft';
  /** `internal` for files under `internal/`; an article at the help-center root is `unlisted`. */
  visibility: Visibility;
  author: string | undefined;
  ai: { agent: boolean; copilot: boolean };
  audiences: string[];
  order: number | undefined;
  related: string[] | undefined;
  toc: boolean | undefined;
  tags: string[];
  updated: Date;
  aliases: string[];
  /** The Markdown after the front matter. */
  body: string;
  /**
   * The body's one Markdown parse: links, images and the default description are read from it
   * while loading, and rendering takes it (see `src/markdown/article.ts`).
   */
  parse: BodyParse;
  /** Line of the file where `body` starts. */
  bodyLine: number;
  /** Line of each front-matter key present, for messages about its value. */
  keyLines: Record<string, number>;
  /** Article links, resolved to their target. */
  links: ArticleLink[];
  /** Local images, resolved to files. */
  images: ImageRef[];
}

export interface ArticleLink {
  /** The URL as written (`../billing/refunds.de.md#fees`). */
  href: string;
  line: number;
  /** Target article id and the language whose page to link to. */
  targetId: string;
  targetLanguage: string;
  /** `#fragment`, if any. */
  hash: string;
  /**
   * Where `href` is written in `body`, for rewriting it in place (the `.md` copy); absent when
   * the parse could not place it exactly (an entity in a raw HTML attribute, say).
   */
  span?: Span | undefined;
}

export interface ImageRef {
  /** The path as written (`./screen.png`). */
  src: string;
  line: number;
  /** Absolute path of the image file. */
  file: string;
}

export interface Brand {
  id: string;
  file: string;
  config: BrandConfig;
  helpCenter: HelpCenter;
  theme: ThemeEntry;
  languages: string[];
  defaultLanguage: string;
  /** Host name the site is served at. */
  domain: string;
  /**
   * The brand images that were given and passed their checks (`brand-images.ts`): each the file to
   * publish (or, for an SVG, how to draw its PNG) and the extension of its detected format (`.jpg`
   * for a JPEG named `.png`).
   */
  assets: Partial<
    Record<'icon' | 'favicon' | 'socialImage' | 'headerLogo' | 'footerLogo' | 'heroImage', CheckedImage>
  >;
}

export interface InternalTree {
  dir: string;
  folders: Folder[];
  /** Every internal article, by id. */
  articles: Map<string, ArticleGroup>;
}

export interface Folder {
  id: string;
  path: string[];
  depth: number;
  dir: string;
  file: string | undefined;
  config: FolderConfig;
  parent: Folder | undefined;
  children: Folder[];
}
