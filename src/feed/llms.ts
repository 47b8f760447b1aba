import type { Brand, Collection } from '../content/model.ts';
import { localize } from '../i18n/localize.ts';
import { urls } from '../routing/layout.ts';
import type { BrandSite } from '../routing/types.ts';
import type { FeedEntry } from './build.ts';

/**
 * `llms.txt` (llmstxt.org): the brand's name, a one-line summary, then one section per top-level
 * collection listing its public articles in the brand's default language, each a link to the
 * article's `.md` copy with its description. Articles of sub-collections are listed under their
 * top-level collection: depth in the tree says where an article is filed, not how much it
 * matters. `## Optional` (which the format lets a reader with little room skip) lists the other
 * languages' articles, language by language.
 *
 * `entries` in feed order; only the public feed's are listed, whatever else is passed in.
 */
export function llmsTxt(brand: Brand, site: BrandSite, all: FeedEntry[]): string {
  const entries = all.filter((e) => e.public);
  const lang = brand.defaultLanguage;
  const sections = new Map<Collection, string[]>();
  for (const entry of entries) {
    const top = topLevel(entry.group.collection);
    if (!top || entry.article.language !== lang) continue;
    sections.set(top, [...(sections.get(top) ?? []), line(site, entry)]);
  }
  const parts = [header(brand)];
  // Site order of the top-level collections, not the order their first article came in.
  for (const collection of brand.helpCenter.collections) {
    const lines = sections.get(collection);
    if (lines) parts.push(`## ${oneLine(collection.name[lang] ?? collection.id)}\n\n${lines.join('\n')}\n`);
  }
  const optional = brand.languages
    .filter((l) => l !== lang)
    .flatMap((l) => entries.filter((e) => e.article.language === l).map((e) => line(site, e)));
  if (optional.length) parts.push(`## Optional\n\n${optional.join('\n')}\n`);
  return parts.join('\n');
}

/**
 * `llms-full.txt`: the same header (this), then every public article's `.md` copy (front matter
 * and all, so each article still says where it lives), in feed order, each after
 * `LLMS_FULL_BEFORE_COPY`. The writer streams it piece by piece: at 25,000 pages it is hundreds of megabytes.
 */
export function llmsFullHead(brand: Brand): string {
  return header(brand);
}

/**
 * What comes before each article's `.md` copy in `llms-full.txt`, so each starts after a blank
 * line: the copy follows as it is, byte for byte its file (the feed cache takes it from there).
 */
export const LLMS_FULL_BEFORE_COPY = '\n';

/** `# Name` and `> summary`: the hero's welcome in the default language, else the brand's name. */
function header(brand: Brand): string {
  const welcome = localize(brand.config.hero.welcome, brand.defaultLanguage, brand.defaultLanguage);
  return `# ${oneLine(brand.config.name)}\n\n> ${oneLine(welcome ?? brand.config.name)}\n`;
}

/** `- [Title](https://…/en/articles/id.md): description` */
function line(site: BrandSite, { group, article }: FeedEntry): string {
  // Parentheses would end the link early if unbalanced; encoded, the URL means the same.
  const url = (site.origin + urls.articleMarkdown(article.language, group.id)).replace(
    /[()]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  const title = oneLine(article.title).replace(/[\\[\]]/g, '\\$&');
  const description = oneLine(article.description);
  return `- [${title}](${url})${description ? `: ${description}` : ''}`;
}

function topLevel(collection: Collection | undefined): Collection | undefined {
  let top = collection;
  while (top?.parent) top = top.parent;
  return top;
}

/** Text on one line: a line break in a title or description would forge lines of the file. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n\u0085\u2028\u2029]+\s*/g, ' ').trim();
}
