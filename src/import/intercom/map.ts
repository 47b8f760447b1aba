import type { IntercomExport } from './types.ts';
import type { IdMaps, PlannedFile } from './write.ts';
import { collectAliases, countAliases } from './plan/aliases.ts';
import { articleFiles, placeArticles, privateHelpCenters, warnPrivate } from './plan/articles.ts';
import { convertBodies } from './plan/bodies.ts';
import { collectionFiles, placeCollections } from './plan/collections.ts';
import { brandFiles, placeHelpCenters, planBrands } from './plan/help-centers.ts';
import { iconsOf } from './plan/icons.ts';
import { WantedImages, type ImageRequest } from './plan/images.ts';
import { settleLanguages, warnUnpublishedTranslations, workspaceLanguages } from './plan/languages.ts';
import { followHeadingLinks, linkResolver } from './plan/links.ts';
import { compare } from './plan/order.ts';
import { Authors, audienceFiles, planAudiences } from './plan/people.ts';
import type { Places, Planning } from './plan/types.ts';

/**
 * Intercom's export → the files of `content/` (SPEC §2), with no I/O: every name, front-matter
 * key and former URL is decided here, so a test can check the mapping on a small object.
 * Images are the one thing known only after the network was tried: the plan lists them, and
 * `render` writes each article with the images that were saved beside it as files and the others
 * as their Intercom address.
 *
 * Each concern is a module under `plan/`; this file runs them in the order the data flows:
 * help centers → collections → articles → languages → former URLs → bodies (with authors,
 * audiences, links and images) → icons and avatars → brands → files. The stages' order is also
 * the order of the warnings, and of the names taken where two objects want one.
 */

export type { ImageRequest } from './plan/images.ts';
export { linkImage } from './plan/images.ts';
export { formerPath } from './plan/aliases.ts';
export { languageOf } from './plan/languages.ts';

export interface ImportCounts {
  helpCenters: number;
  collections: number;
  articles: number;
  translations: number;
  aliases: number;
}

/** What an export becomes. */
export interface ImportPlan {
  /** Intercom id → Signpost name, for this import and the next. */
  ids: IdMaps;
  images: ImageRequest[];
  counts: ImportCounts;
  /** The languages `workspace.yaml` needs: every language a brand or an article uses. */
  languages: string[];
  /** What could not be kept as it was, one line each, naming the file. */
  warnings: string[];
  /** The files, given the content-relative paths of the images that are now saved as files. */
  render(saved: ReadonlySet<string>): PlannedFile[];
}

export interface PlanOptions {
  /** The last import's names, so a retitled article keeps its file. */
  previous: IdMaps;
  /** The last import's images (path → address without signature), so each keeps its name. */
  previousImages?: Readonly<Record<string, string>>;
}

/** Plans the import of one export. */
export function planImport(source: IntercomExport, options: PlanOptions): ImportPlan {
  const warnings: string[] = [];
  const warn = (line: string) => {
    warnings.push(line);
  };
  const planning: Planning = {
    previous: options.previous,
    previousImages: options.previousImages ?? {},
    ids: { helpCenters: {}, collections: {}, articles: {}, authors: {} },
    images: new WantedImages(warn),
    warn,
  };

  // Where everything goes. Help centers: one folder and one brand each. Collections: the help
  // center is the collection's own or its parent's. Articles: in every help center that lists them.
  const helpCenters = placeHelpCenters(source, planning);
  const collections = placeCollections(source.collections, helpCenters, planning);
  const articles = placeArticles(source.articles, helpCenters, collections, planning);
  const places: Places = { helpCenters, collections, articles };

  // Languages: each help center's locales, its default first; the workspace has them all.
  settleLanguages(helpCenters, [
    ...collections.locales,
    ...articles.map((a) => ({ helpCenter: a.helpCenter, locale: a.source.default_locale })),
  ]);
  const languages = workspaceLanguages(helpCenters, articles);
  warnUnpublishedTranslations(articles, planning);

  collectAliases(source.redirects, places, planning);

  // Article bodies, converted now so the images are known before `render`.
  const authors = new Authors(source.admins, planning);
  const bodies = convertBodies(articles, { resolverFor: linkResolver(places), authors }, planning);
  followHeadingLinks(bodies, articles, planning);

  // Collection icons: a built-in icon for Intercom's, a file for an uploaded one. Avatars too.
  const icons = iconsOf(collections, planning);
  authors.wantAvatars();

  // Warnings that only depend on the plan, said once here rather than on every render.
  warnPrivate(articles, planning);
  const audiences = planAudiences(bodies, planning);
  const brands = planBrands(helpCenters, languages, privateHelpCenters(articles), planning);

  return {
    ids: planning.ids,
    images: planning.images.list(),
    counts: {
      helpCenters: helpCenters.byId.size,
      collections: collections.all.length,
      articles: new Set(articles.map((a) => a.source.id)).size,
      translations: bodies.length,
      aliases: countAliases(places),
    },
    languages,
    warnings,
    render: (saved) =>
      [
        ...brandFiles(helpCenters, brands),
        ...collectionFiles(collections, icons, saved),
        ...articleFiles(bodies, saved, planning),
        ...authors.files(saved),
        ...audienceFiles(audiences),
      ].sort((x, y) => compare(x.path, y.path)),
  };
}
