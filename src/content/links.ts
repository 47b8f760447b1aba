import fs from 'node:fs';
import path from 'node:path';
import { parseArticleFileName } from './files.ts';
import type { Article, ArticleGroup, ArticleLink, ImageRef, Model } from './model.ts';
import type { Problems } from './problems.ts';
import { unknownComponent } from '../markdown/components.ts';
import { MarkdownError } from '../markdown/errors.ts';
import { suggest } from './validate.ts';

/** Where to look an article up: its own help center (or `internal/`), by id and by file. */
interface Scope {
  name: string;
  articles: Map<string, ArticleGroup>;
}

/**
 * Finds every link and image in every article and resolves it: article links (`refunds.md`,
 * `../billing/refunds.de.md`) to a target id and language, images to files. A link to a missing,
 * draft or internal article, or a missing image, is an error at the link's line.
 */
export function resolveReferences(model: Model, problems: Problems): void {
  const byFile = new Map<string, ArticleGroup>();
  const all: { scope: Scope; article: Article }[] = [];
  const scopes: Scope[] = [...model.helpCenters.values()].map((hc) => ({
    name: `help center "${hc.id}"`,
    articles: hc.articles,
  }));
  scopes.push({ name: 'internal/', articles: model.internal.articles });
  for (const scope of scopes)
    for (const group of scope.articles.values())
      for (const article of group.translations.values()) {
        byFile.set(article.file, group);
        all.push({ scope, article });
      }
  const context: LinkContext = { model, byFile, invalidIds: invalidIds(model) };

  for (const { scope, article } of all) {
    let refs;
    try {
      refs = article.parse.refs();
    } catch (error) {
      if (!(error instanceof MarkdownError)) throw error;
      const { line, message } = error;
      problems.error(
        article.file,
        line ? article.bodyLine + line - 1 : undefined,
        `MDX syntax: ${message}; fix the markup (an MDX file is stricter than Markdown)`,
      );
      continue;
    }
    for (const ref of refs) {
      const line = article.bodyLine + ref.line - 1;
      if (ref.kind === 'component') {
        const unknown = unknownComponent(ref.name);
        if (unknown) problems.error(article.file, line, unknown);
        continue;
      }
      if (isExternal(ref.url)) continue;
      const [target = '', hash = ''] = splitHash(ref.url);
      if (ref.kind === 'image') {
        const file = path.resolve(path.dirname(article.file), decodeURIComponent(target));
        if (!fs.existsSync(file)) {
          problems.error(
            article.file,
            line,
            `image "${ref.url}" not found (looked for ${path.relative(path.dirname(article.file), file)}); put the file next to the article or fix the path`,
          );
        } else article.images.push({ src: ref.url, line, file } satisfies ImageRef);
        continue;
      }
      if (!/\.mdx?$/i.test(target)) continue;
      const link = resolveLink(target, hash, article, scope, context);
      if ('error' in link) problems.error(article.file, line, `link to "${ref.url}": ${link.error}`);
      else if (!('skip' in link)) article.links.push({ href: ref.url, line, ...link, span: ref.span });
    }
  }
}

/** What every link lookup needs, built once per load. */
interface LinkContext {
  model: Model;
  /** Article file → its article (all languages). */
  byFile: Map<string, ArticleGroup>;
  /** Ids of article files left out for their own errors: links to them are not reported again. */
  invalidIds: Set<string>;
}

function invalidIds(model: Model): Set<string> {
  const { languages, defaultLanguage } = model.workspace;
  const ids = new Set<string>();
  for (const file of model.invalidFiles) {
    const parsed = parseArticleFileName(path.basename(file), languages, defaultLanguage);
    if (parsed && 'id' in parsed) ids.add(parsed.id);
  }
  return ids;
}

/** True for URLs that leave the site or stay on the page: `https:`, `mailto:`, `//cdn`, `#top`, `/abs`. */
function isExternal(url: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:/i.test(url) ||
    url.startsWith('//') ||
    url.startsWith('#') ||
    url.startsWith('/') ||
    url === ''
  );
}

function splitHash(url: string): [string, string] {
  const i = url.indexOf('#');
  return i < 0 ? [url, ''] : [url.slice(0, i), url.slice(i)];
}

function resolveLink(
  target: string,
  hash: string,
  from: Article,
  scope: Scope,
  { model, byFile, invalidIds }: LinkContext,
): Omit<ArticleLink, 'href' | 'line'> | { error: string } | { skip: true } {
  const { languages, defaultLanguage } = model.workspace;
  let group: ArticleGroup | undefined;
  const decoded = decodeURIComponent(target);
  if (decoded.includes('/')) {
    const file = path.resolve(path.dirname(from.file), decoded);
    group = byFile.get(file);
    if (!group && model.invalidFiles.has(file)) return { skip: true };
    if (!group)
      return {
        error: `no article file at ${path.relative(path.dirname(from.file), file)}; fix the path, or link by id (e.g. "${path.basename(decoded).replace(/\..*$/, '')}.md")`,
      };
  } else {
    const parsed = parseArticleFileName(decoded, languages, defaultLanguage);
    const id = parsed && !('error' in parsed) ? parsed.id : decoded.replace(/\.mdx?$/i, '');
    group = scope.articles.get(id);
    if (!group) {
      const internal = model.internal.articles.get(id);
      if (internal && scope.articles !== model.internal.articles)
        return {
          error: `"${id}" is an internal (Copilot-only) article, which is never published; link to a public article instead`,
        };
      // Internal notes may point at any help center's article.
      if (scope.articles === model.internal.articles)
        group = [...model.helpCenters.values()].map((hc) => hc.articles.get(id)).find(Boolean);
      if (!group && invalidIds.has(id)) return { skip: true };
      if (!group) {
        const hint = suggest(id, [...scope.articles.keys()], '');
        return {
          error: `no article "${id}" in ${scope.name}${hint ? `; ${hint}` : '; fix the id or create the article'}`,
        };
      }
    }
  }
  if (!group.helpCenter && from.visibility !== 'internal')
    return {
      error: `"${group.id}" is an internal (Copilot-only) article, which is never published; link to a public article instead`,
    };
  if (
    group.helpCenter &&
    from.visibility !== 'internal' &&
    group.helpCenter !== scope.articles.get(group.id)?.helpCenter
  )
    return { error: `"${group.id}" is in another help center; link to it by its full URL instead` };
  const usable = (lang: string) => {
    const t = group.translations.get(lang);
    return t && (t.state === 'published' || from.state === 'draft') ? t : undefined;
  };
  const chosen =
    usable(from.language) ??
    usable(defaultLanguage) ??
    [...group.translations.values()].find((t) => usable(t.language));
  if (!chosen)
    return {
      error: `"${group.id}" is a draft; publish it (state: published) or remove the link until it is`,
    };
  return { targetId: group.id, targetLanguage: chosen.language, hash };
}
