import type { Article } from '../content/model.ts';
import type { Problems } from '../content/problems.ts';
import { uiStrings } from '../i18n/index.ts';
import { MarkdownError } from '../markdown/errors.ts';
import { renderArticle } from '../markdown/article.ts';
import type { RenderedMarkdown, RenderOptions } from '../markdown/render.ts';
import { urls } from './layout.ts';

/** Renders each article file once, whichever brands and pages show it. */
export class ArticleRenderer {
  #cache = new Map<string, Promise<RenderedMarkdown>>();
  #problems: Problems;

  #embedHosts: readonly string[];

  /** `embedHosts`: the hosts `embeds.hosts` in `workspace.yaml` adds to the video players. */
  constructor(problems: Problems, embedHosts: readonly string[] = []) {
    this.#problems = problems;
    this.#embedHosts = embedHosts;
  }

  render(article: Article): Promise<RenderedMarkdown> {
    let result = this.#cache.get(article.file);
    if (!result) {
      result = renderArticle(article, {
        language: article.language,
        labels: markdownLabels(article.language),
        embedHosts: this.#embedHosts,
        urlOf: (link) => urls.article(link.targetLanguage, link.targetId),
      }).catch((error: unknown) => {
        // e.g. an MDX component that does not exist: the writer's problem, reported like any other.
        const line =
          error instanceof MarkdownError && error.line ? article.bodyLine + error.line - 1 : undefined;
        this.#problems.error(article.file, line, error instanceof Error ? error.message : String(error));
        return { html: '', images: [], headings: [], text: '' };
      });
      this.#cache.set(article.file, result);
    }
    return result;
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
