import { MAX_DESCRIPTION, MAX_TITLE } from '../../../schemas/article.ts';
import type { IntercomArticle, IntercomArticleContent } from '../types.ts';
import type { PlannedFile } from '../write.ts';
import { toYaml } from './files.ts';
import { Unique, idSlug, reservedNames } from './ids.ts';
import { linkImage } from './images.ts';
import { languageOf } from './languages.ts';
import { compare, sortById } from './order.ts';
import type {
  Body,
  Collections,
  HelpCenters,
  PlacedArticle,
  PlacedCollection,
  PlacedHelpCenter,
  Planning,
  Translation,
} from './types.ts';

/**
 * Articles: where each goes and what its files say. An article is copied into every help center
 * that lists it, in the first of its collections there; its id comes from its default
 * translation's title, unique across the import. Each translation with a title is one file,
 * `<id>.<language>.md` (`.mdx` when its body needs a component), whose front matter keeps what
 * Intercom knew: title, description, state, visibility, author, AI flags, audiences, tags, the
 * update date and the former URLs.
 */

/** Articles: one copy per help center that lists it (Intercom shows one article in several). */
export function placeArticles(
  sources: IntercomArticle[],
  helpCenters: HelpCenters,
  collections: Collections,
  planning: Planning,
): PlacedArticle[] {
  const { previous, warn } = planning;
  const names = new Unique(reservedNames(previous.articles, sources));
  const articles: PlacedArticle[] = [];
  for (const article of sortById(sources)) {
    const translations = translationsOf(article);
    if (!translations.length) {
      warn(`article ${article.id} (${article.title ?? ''}) has no translation with a title; not imported`);
      continue;
    }
    const primary = translations.find((t) => t.locale === article.default_locale) ?? translations[0]!;
    const id = names.take(previous.articles[article.id], idSlug(primary.content.title ?? ''), article.id);
    planning.ids.articles[article.id] = id;
    const byHelpCenter = new Map<PlacedHelpCenter, PlacedCollection[]>();
    for (const parentId of article.parent_ids ?? []) {
      const collection = collections.byId.get(String(parentId));
      if (!collection) {
        warn(`article ${article.id} (${id}): collection ${parentId} is not in the export; left out of it`);
        continue;
      }
      byHelpCenter.set(collection.helpCenter, [
        ...(byHelpCenter.get(collection.helpCenter) ?? []),
        collection,
      ]);
    }
    if (!byHelpCenter.size) byHelpCenter.set(helpCenters.default, []);
    for (const [helpCenter, parents] of byHelpCenter) {
      if (parents.length > 1)
        warn(
          `article ${article.id} (${id}) is in ${parents.length} collections of help center ${helpCenter.id}; Signpost keeps it in the first, ${parents[0]!.path}`,
        );
      articles.push({
        source: article,
        id,
        helpCenter,
        collection: parents[0],
        translations,
        aliases: new Map(),
      });
    }
  }
  return articles;
}

/** The translations of an article that have a title, in the order of its locales. */
function translationsOf(article: IntercomArticle): Translation[] {
  const entries = Object.entries(article.translated_content ?? {}).filter(
    (entry): entry is [string, IntercomArticleContent] =>
      entry[0] !== 'type' && entry[1] !== null && typeof entry[1] === 'object',
  );
  if (!entries.length && article.title) {
    const { translated_content: _, ...root } = article;
    entries.push([article.default_locale ?? 'en', root as IntercomArticleContent]);
  }
  const seen = new Set<string>();
  const translations: Translation[] = [];
  for (const [locale, content] of entries) {
    if (!content.title?.trim()) continue;
    const language = languageOf(locale);
    if (seen.has(language)) continue;
    seen.add(language);
    translations.push({ locale, language, content });
  }
  return translations;
}

/** The article's folder, content-relative: its help center's, or its collection's in it. */
export function articleFolder(a: PlacedArticle): string {
  return `help-centers/${a.helpCenter.id}${a.collection ? `/${a.collection.path}` : ''}`;
}

/** Shown to fewer than everyone in Intercom: private (signed-in customers only) here. */
export function isPrivate(a: PlacedArticle): boolean {
  const audience = a.source.help_center_audience;
  return audience !== undefined && audience !== null && audience !== 'everyone';
}

/** The help centers with a private article: their brands need a sign-in. */
export function privateHelpCenters(articles: PlacedArticle[]): Set<PlacedHelpCenter> {
  return new Set(articles.filter(isPrivate).map((a) => a.helpCenter));
}

/** Intercom's narrower audiences (visitors, leads) have no counterpart: said, per article. */
export function warnPrivate(articles: PlacedArticle[], planning: Planning): void {
  for (const a of articles)
    if (
      isPrivate(a) &&
      a.source.help_center_audience !== 'all_users' &&
      a.source.help_center_audience !== 'restricted'
    )
      planning.warn(
        `${articleFolder(a)}/${a.id}: Intercom shows it to ${a.source.help_center_audience}; imported as private (signed-in customers only)`,
      );
}

/** Each translation's file, given the images saved as files (the others are linked). */
export function articleFiles(bodies: Body[], saved: ReadonlySet<string>, planning: Planning): PlannedFile[] {
  return bodies.map((body) => {
    const { article: a, translation: t, file } = body;
    const content = t.content;
    const fm: Record<string, unknown> = {
      title: clip(content.title ?? '', MAX_TITLE, file, 'title', planning),
    };
    const description = (content.description ?? '').trim();
    if (description) fm.description = clip(description, MAX_DESCRIPTION, file, 'description', planning);
    fm.state = (content.state ?? a.source.state) === 'draft' ? 'draft' : 'published';
    if (isPrivate(a)) fm.visibility = 'private';
    if (body.author) fm.author = body.author;
    const agent = content.ai_chatbot_availability ?? a.source.ai_chatbot_availability;
    const copilot = content.ai_copilot_availability ?? a.source.ai_copilot_availability;
    if (agent !== undefined || copilot !== undefined)
      fm.ai = {
        ...(agent !== undefined ? { agent } : {}),
        ...(copilot !== undefined ? { copilot } : {}),
      };
    if (body.audiences.length) fm.audiences = body.audiences;
    const tags = (a.source.tags?.tags ?? []).map((tag) => tag.name).filter(Boolean);
    if (tags.length) fm.tags = tags;
    const updated = content.updated_at ?? a.source.updated_at;
    if (typeof updated === 'number')
      fm.updated = new Date(updated * 1000).toISOString().replace('.000Z', 'Z');
    const aliases = [...(a.aliases.get(t.language) ?? [])].sort(compare);
    if (aliases.length) fm.aliases = aliases;
    let markdown = body.markdown;
    const folder = file.slice(0, file.lastIndexOf('/'));
    for (const [name, url] of body.images)
      if (!saved.has(`${folder}/${name}`)) markdown = linkImage(markdown, name, url);
    return { path: file, data: `---\n${toYaml(fm)}---\n\n${markdown.trim()}\n` };
  });
}

/** One line, at most `max` characters (the schema's limit), said when shortened. */
function clip(text: string, max: number, file: string, key: string, planning: Planning): string {
  const trimmed = text.replace(/\s+/g, ' ').trim();
  if ([...trimmed].length <= max) return trimmed;
  planning.warn(`${file}: ${key} is longer than ${max} characters; shortened`);
  return `${[...trimmed].slice(0, max - 1).join('')}…`;
}
