import type { Article } from '../content/model.ts';
import { markdownCopyBody } from '../markdown/article.ts';
import { urls } from '../routing/layout.ts';

/**
 * The `.md` copy agents read: YAML front matter (`url`, `title`, `language`, `updated`) for tools
 * that want fields rather than prose, then title, summary, source URL, and the Markdown as
 * written with its article links pointing at absolute URLs (an agent has no content tree to
 * resolve `refunds.md`).
 */
export function markdownCopy(article: Article, origin: string): string {
  const url = origin + urls.article(article.language, article.id);
  const body = markdownCopyBody(article, (link) => origin + urls.article(link.targetLanguage, link.targetId));
  // One line: a line break in the description would let it forge lines of the copy.
  const description = article.description
    ? `\n> ${article.description.replace(/[\r\n\u0085\u2028\u2029]+/g, ' ')}\n`
    : '';
  return `${frontMatter(url, article)}# ${article.title}\n${description}\nSource: ${url}\n\n${body}\n`;
}

/**
 * The copy's front matter, every value double-quoted, so a title such as `No` or `2024-01-01`
 * reads back as text in YAML 1.1 parsers too, and a title holding `---` or a line break cannot
 * end the block early.
 */
function frontMatter(url: string, article: Article): string {
  const fields = {
    url,
    title: article.title,
    language: article.language,
    updated: article.updated.toISOString(),
  };
  return `---\n${Object.entries(fields)
    .map(([key, value]) => `${key}: ${doubleQuoted(value)}\n`)
    .join('')}---\n`;
}

/**
 * A YAML double-quoted scalar of `text`: a JSON string is one (YAML 1.2 took JSON's escapes into
 * its own, and YAML 1.1 has them too). Not the `yaml` package's `stringify`: it builds a document
 * for every call, which took ~0.15 s of a 1,000 × 3 build's feeds for four strings per copy. A
 * test reads every kind of title back with `yaml`, in YAML 1.2 and 1.1.
 */
function doubleQuoted(text: string): string {
  return JSON.stringify(text);
}
