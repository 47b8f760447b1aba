import path from 'node:path';
import type { CheckedImage } from '../content/brand-images.ts';
import type { Article, Brand, Collection, HelpCenter, Model } from '../content/model.ts';
import { uiStrings } from '../i18n/index.ts';
import { languageName } from '../i18n/languages.ts';
import { directionOf } from '../schemas/index.ts';
import { urls } from './layout.ts';
import type { RelatedCache } from './related.ts';
import type { ArticleRenderer } from './render.ts';
import type { ArticleSummary, CollectionCard, LanguageOption, Link } from './types.ts';
import { listedCounts, pageNoindex, type Mode, type VisibilityScope } from './visibility.ts';

/**
 * Related articles computed for a `computeSite`, by help center, then by language and count (the
 * key `articlePages` makes), each article id's related ids.
 */
export type RelatedArticles = Map<HelpCenter, Map<string, Map<string, string[]>>>;

/**
 * What every page builder of one brand shares, computed once: which collections are listed in
 * which language, the brand files published so far, and the small helpers that turn model
 * objects into route data (cards, summaries, breadcrumbs, language options).
 */
export class BrandContext {
  readonly model: Model;
  readonly brand: Brand;
  readonly mode: Mode;
  readonly scope: VisibilityScope;
  readonly origin: string;
  readonly renderer: ArticleRenderer;
  /** Brand files copied into the site: public URL → absolute file. */
  readonly files: Record<string, string> = {};
  /** Brand files the build generates (favicons, web manifest): public URL → their bytes, on demand. */
  readonly generated: Record<string, () => Promise<Uint8Array>> = {};
  /**
   * Computed related articles by language and count, shared by the brands of one `computeSite`
   * that publish the same help center: its listed articles are the candidates, whatever the brand.
   */
  readonly related: Map<string, Map<string, string[]>>;
  /** Related articles a previous build computed, where it kept them (`relatedArticles`). */
  readonly relatedCache: RelatedCache | undefined;
  readonly #counts: Map<string, Map<Collection, number>>;

  constructor(
    model: Model,
    brand: Brand,
    mode: Mode,
    renderer: ArticleRenderer,
    related: RelatedArticles = new Map(),
    relatedCache?: RelatedCache,
  ) {
    this.model = model;
    this.relatedCache = relatedCache;
    let mine = related.get(brand.helpCenter);
    if (!mine) related.set(brand.helpCenter, (mine = new Map()));
    this.related = mine;
    this.brand = brand;
    this.mode = mode;
    this.renderer = renderer;
    this.scope = { mode, indexing: brand.config.indexing };
    this.origin = `https://${brand.domain}`;
    this.#counts = listedCounts(brand.helpCenter, brand.languages, mode);
  }

  /**
   * Copies a brand file into the site under `/_brand/<name>.<ext>`; returns its URL. An image
   * checked with sharp (`content/brand-images.ts`) brings the extension of its detected format, so a
   * JPEG named `logo.png` is served as `.jpg`, with the type it really has; the file name is not
   * trusted for that. An SVG brings `draw` instead, and its PNG is generated, never the SVG copied.
   * TODO: a bare path (authors' avatars) takes its own extension until avatars are checked too.
   */
  publish(image: string | CheckedImage | undefined, name: string): string | undefined {
    if (!image) return undefined;
    const { file, extension, draw } =
      typeof image === 'string' ? { file: image, extension: path.extname(image).toLowerCase() } : image;
    const url = urls.brandFile(name, extension);
    if (draw) return this.publishGenerated(url, draw);
    this.files[url] = file;
    return url;
  }

  /**
   * Publishes a file the build generates at `url` (from `urls`); returns the URL. The bytes are made
   * only when the build writes the site, so `check` and `dev` pay nothing for them.
   */
  publishGenerated(url: string, make: () => Promise<Uint8Array>): string {
    this.generated[url] = make;
    return url;
  }

  /** How many listed articles a collection holds in a language, at any depth (0: hidden). */
  listedCount(collection: Collection, lang: string): number {
    return this.#counts.get(lang)?.get(collection) ?? 0;
  }

  canonical(url: string): string {
    return this.origin + url;
  }

  languageOptions(current: string, hrefFor: (lang: string) => string | undefined): LanguageOption[] {
    return this.brand.languages.map((lang) => ({
      lang,
      name: languageName(lang),
      href: hrefFor(lang),
      current: lang === current,
    }));
  }

  /** hreflang alternates of the languages that have the page, plus `x-default`. */
  alternates(options: LanguageOption[]): { hreflang: string; href: string }[] {
    const list = options.flatMap((o) => (o.href ? [{ hreflang: o.lang, href: this.canonical(o.href) }] : []));
    const fallback =
      options.find((o) => o.lang === this.brand.defaultLanguage && o.href) ?? options.find((o) => o.href);
    if (fallback?.href && list.length)
      list.push({ hreflang: 'x-default', href: this.canonical(fallback.href) });
    return list;
  }

  /** The fields every page kind has; a page kind that belongs in the sitemap says so itself. */
  base(
    lang: string,
    url: string,
    title: string,
    description: string,
    breadcrumbs: Link[],
    languages: LanguageOption[],
  ) {
    const noindex = pageNoindex(this.scope);
    return {
      url,
      private: false,
      lang,
      dir: directionOf(lang),
      title,
      description,
      canonical: this.canonical(url),
      alternates: this.alternates(languages),
      breadcrumbs,
      languages,
      noindex,
      sitemap: false,
      ogType: 'website' as const,
    };
  }

  card(collection: Collection, lang: string): CollectionCard {
    const { icon } = collection;
    return {
      href: urls.collection(lang, collection.path),
      name: collection.name[lang] ?? collection.id,
      description: collection.description[lang] ?? '',
      icon:
        'file' in icon
          ? {
              src: this.publish(icon, `icons/${this.brand.helpCenter.id}-${collection.path.join('-')}`)!,
            }
          : { builtin: icon.builtin },
      articleCount: this.listedCount(collection, lang),
    };
  }

  summary(article: Article): ArticleSummary {
    return {
      href: urls.article(article.language, article.id),
      title: article.title,
      description: article.description,
    };
  }

  /** Home, then each ancestor collection down to (and including) `collection`. */
  breadcrumbs(collection: Collection | undefined, lang: string): Link[] {
    const chain: Link[] = [];
    for (let c = collection; c; c = c.parent)
      chain.unshift({ label: c.name[lang] ?? c.id, href: urls.collection(lang, c.path) });
    return [{ label: uiStrings(lang)('site.home'), href: urls.home(lang) }, ...chain];
  }
}
