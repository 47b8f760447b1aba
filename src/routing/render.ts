import type { Article } from '../content/model.ts';
import type { Problems } from '../content/problems.ts';
import { uiStrings } from '../i18n/index.ts';
import { MarkdownError } from '../markdown/errors.ts';
import { articleReferences, renderArticle, type ArticleRenderOptions } from '../markdown/article.ts';
import type { RenderedMarkdown, RenderOptions } from '../markdown/render.ts';
import type { RenderCache } from '../markdown/render-cache.ts';
import { urls } from './layout.ts';

/**
 * Renders each article file once, whichever brands and pages show it. With a render cache
 * (`markdown/render-cache.ts`, the build's), a body whose render the previous build kept is not
 * rendered again, and every clean render is kept for the next build (`keep`).
 */
export class ArticleRenderer {
  #cache = new Map<string, Promise<RenderedMarkdown>>();
  #problems: Problems;

  #embedHosts: readonly string[];
  #kept: RenderCache | undefined;

  /** `embedHosts`: the hosts `embeds.hosts` in `workspace.yaml` adds to the video players. */
  constructor(problems: Problems, embedHosts: readonly string[] = [], kept?: RenderCache) {
    this.#problems = problems;
    this.#embedHosts = embedHosts;
    this.#kept = kept;
  }

  render(article: Article): Promise<RenderedMarkdown> {
    let result = this.#cache.get(article.file);
    if (!result) {
      result = this.#render(article);
      this.#cache.set(article.file, result);
    }
    return result;
  }

  async #render(article: Article): Promise<RenderedMarkdown> {
    const options: ArticleRenderOptions = {
      language: article.language,
      labels: markdownLabels(article.language),
      embedHosts: this.#embedHosts,
      urlOf: (link) => urls.article(link.targetLanguage, link.targetId),
    };
    const kept = this.#kept;
    const references = articleReferences(article, options.urlOf);
    const key = kept?.key({
      format: article.format,
      language: options.language,
      labels: options.labels,
      embedHosts: this.#embedHosts,
      ...references,
      body: article.body,
    });
    const found = key === undefined ? undefined : kept!.get(key);
    if (found) {
      article.parse.release(); // nothing will take it
      return found;
    }
    try {
      const rendered = await renderArticle(article, options, references);
      if (key !== undefined) kept!.put(key, rendered);
      return rendered;
    } catch (error) {
      // e.g. an MDX component that does not exist: the writer's problem, reported like any other.
      const line =
        error instanceof MarkdownError && error.line ? article.bodyLine + error.line - 1 : undefined;
      this.#problems.error(article.file, line, error instanceof Error ? error.message : String(error));
      return { html: '', images: [], headings: [], text: '' };
    }
  }

  /**
   * Ends the render cache's new pack, which holds this build's clean renders, for the next build
   * (`RenderCache.finish`). Call once every render is done.
   */
  keep(): void {
    this.#kept?.finish();
  }

  /**
   * Drops every render, once nothing will ask again (the build, after the feeds): the pages keep
   * their HTML, and the plain text only the feeds read becomes garbage.
   */
  forget(): void {
    this.#cache.clear();
  }
}

/** Callout titles and other labels the Markdown pipeline writes, in the page language. */
export function markdownLabels(language: string): RenderOptions['labels'] {
  const t = uiStrings(language);
  return {
    note: t('markdown.note'),
    tip: t('markdown.tip'),
    important: t('markdown.important'),
    warning: t('markdown.warning'),
    caution: t('markdown.caution'),
    footnotes: t('markdown.footnotes'),
    anchor: t('markdown.anchor'),
    table: t('markdown.table'),
  };
}
