import type { Converted } from '../html.ts';
import type {
  IntercomArticle,
  IntercomArticleContent,
  IntercomCollection,
  IntercomHelpCenter,
} from '../types.ts';
import type { IdMaps } from '../write.ts';
import type { WantedImages } from './images.ts';

/**
 * What the planning stages hand each other. Every stage gets the `Planning` (the last import's
 * names, the names given so far, the images wanted so far, the warnings) and what the stages
 * before it decided, and returns what it decides: nothing is shared any other way.
 */

/** The state one plan shares between its stages. */
export interface Planning {
  /** The last import's names, so a retitled article keeps its file. */
  previous: IdMaps;
  /** The last import's images (path → address without signature), so each keeps its name. */
  previousImages: Readonly<Record<string, string>>;
  /** Intercom id → Signpost name, as each stage gives them: for this import and the next. */
  ids: IdMaps;
  images: WantedImages;
  /** Says what could not be kept as it was, in one line naming the file. */
  warn: (line: string) => void;
}

export interface PlacedHelpCenter {
  source: IntercomHelpCenter;
  /** Folder under `help-centers/` and brand id. */
  id: string;
  /** Settled once the collections and articles are placed (`settleLanguages`). */
  defaultLanguage: string;
  languages: string[];
  /** The help center's own address, stripped from every former URL: `/acme-developers`. */
  basePath: string;
  host: string | undefined;
}

export interface HelpCenters {
  /** By Intercom id, in id order. */
  byId: Map<string, PlacedHelpCenter>;
  /** The one Intercom marks as default, else the first: it takes what no help center claims. */
  default: PlacedHelpCenter;
}

export interface PlacedCollection {
  source: IntercomCollection;
  helpCenter: PlacedHelpCenter;
  parent: PlacedCollection | undefined;
  /** The folder name. */
  name: string;
  /** Folder path inside the help center (`billing/refunds`). */
  path: string;
  depth: number;
  aliases: Set<string>;
}

export interface Collections {
  /** By Intercom id; one nested too deep is its ancestor's folder. */
  byId: Map<string, PlacedCollection>;
  /** Each folder once, in the order they were placed (parents first). */
  all: PlacedCollection[];
  /** Each collection's help center and default locale, in the export's order, for its languages. */
  locales: LocaleUse[];
}

/** A help center's content names `locale` as its default once. */
export interface LocaleUse {
  helpCenter: PlacedHelpCenter;
  locale: string | undefined;
}

export interface Translation {
  locale: string;
  language: string;
  content: IntercomArticleContent;
}

/** An article in one help center (Intercom can show one article in several). */
export interface PlacedArticle {
  source: IntercomArticle;
  id: string;
  helpCenter: PlacedHelpCenter;
  collection: PlacedCollection | undefined;
  translations: Translation[];
  /** Language → former paths. */
  aliases: Map<string, Set<string>>;
}

/** Where the export's help centers, collections and articles go: what the later stages read. */
export interface Places {
  helpCenters: HelpCenters;
  collections: Collections;
  articles: PlacedArticle[];
}

/** One translation's body, converted. */
export interface Body {
  article: PlacedArticle;
  translation: Translation;
  converted: Converted;
  /** The Markdown, images under their final names. */
  markdown: string;
  /** Final name → address, for each image the body shows. */
  images: Map<string, string>;
  file: string;
  author: string | undefined;
  audiences: string[];
}
