import type { Article } from '../content/model.ts';
import type { Problems } from '../content/problems.ts';
import { uiStrings } from '../i18n/index.ts';
import { MarkdownError } from '../markdown/errors.ts';
import { articleReferences, renderArticle, type ArticleRenderOptions } from '../markdown/article.ts';
import type { RenderedMarkdown, RenderOptions } from '../markdown/render.ts';
import type { RenderCache } from '../markdown/render-cache.ts';
import { RenderThread, type RenderJob } from '../markdown/render-thread.ts';
import { urls } from './layout.ts';

/** How one article renders: its options, its links and images as resolved, its render cache key. */
interface RenderPlan {
  options: ArticleRenderOptions;
  references: ReturnType<typeof articleReferences>;
  key: string | undefined;
  /** Its place in the render thread's jobs (`prefetch`), where it is one. */
  job?: number;
}

/**
 * Renders each article file once, whichever brands and pages show it. With a render cache
 * (`markdown/render-cache.ts`, the build's), a body whose render the previous build kept is not
 * rendered again, and every clean render is kept for the next build (`keep`). Told in advance
 * which bodies the build will ask for (`prefetch`), it renders them on two threads.
 */
export class ArticleRenderer {
  #cache = new Map<string, Promise<RenderedMarkdown>>();
  #problems: Problems;

  #embedHosts: readonly string[];
  #kept: RenderCache | undefined;
  /** By file, the plans `prefetch` made. */
  #plans = new Map<string, RenderPlan>();
  #thread: RenderThread | undefined;
  /** The render cache's key of each clean render (`keyOf`). */
  #keys = new WeakMap<RenderedMarkdown, string>();
  /** Bodies the render thread rendered (`prefetch`), for the tests. */
  renderedElsewhere = 0;

  /** `embedHosts`: the hosts `embeds.hosts` in `workspace.yaml` adds to the video players. */
  constructor(problems: Problems, embedHosts: readonly string[] = [], kept?: RenderCache) {
    this.#problems = problems;
    this.#embedHosts = embedHosts;
    this.#kept = kept;
  }

  /**
   * The articles the build will ask to render, in about the order it will ask: those the render
   * cache does not hold, when there are enough of them (`RenderThread.MIN_JOBS`), are rendered
   * from the other end of the list by a second thread meanwhile (`RenderThread`). Asking for an
   * article that is not in the list, or not asking for one that is, is only slower. An article
   * the thread rendered reports its problems only when it is asked for, as if rendered then.
   */
  prefetch(articles: Iterable<Article>): void {
    const jobs: RenderJob[] = [];
    const planned: RenderPlan[] = [];
    for (const article of articles) {
      if (this.#cache.has(article.file) || this.#plans.has(article.file)) continue;
      const plan = this.#plan(article);
      this.#plans.set(article.file, plan);
      if (plan.key !== undefined && this.#kept!.has(plan.key)) continue;
      planned.push(plan);
      jobs.push({
        body: article.body,
        format: article.format,
        language: plan.options.language,
        labels: plan.options.labels,
        embedHosts: this.#embedHosts,
        links: [...plan.references.links],
        images: [...plan.references.images],
      });
    }
    if (jobs.length < RenderThread.MIN_JOBS) return;
    planned.forEach((plan, job) => (plan.job = job));
    (this.#thread = new RenderThread()).run(jobs);
  }

  /** Settles once the render thread, if one started, has ended: for the tests. */
  async threadEnded(): Promise<void> {
    await this.#thread?.ended;
  }

  render(article: Article): Promise<RenderedMarkdown> {
    let result = this.#cache.get(article.file);
    if (!result) {
      result = this.#render(article);
      this.#cache.set(article.file, result);
    }
    return result;
  }

  #plan(article: Article): RenderPlan {
    const options: ArticleRenderOptions = {
      language: article.language,
      labels: markdownLabels(article.language),
      embedHosts: this.#embedHosts,
      urlOf: (link) => urls.article(link.targetLanguage, link.targetId),
    };
    const references = articleReferences(article, options.urlOf);
    const key = this.#kept?.key({
      format: article.format,
      language: options.language,
      labels: options.labels,
      embedHosts: this.#embedHosts,
      ...references,
      body: article.body,
    });
    return { options, references, key };
  }

  /**
   * The render cache's key of a clean render this renderer gave: a hash of everything its HTML,
   * images, headings and text are made from (`renderKey`), which stands in for them where a key of
   * what a page is made from is wanted (`page-cache.ts`). Undefined without a render cache.
   */
  keyOf(rendered: RenderedMarkdown): string | undefined {
    return this.#keys.get(rendered);
  }

  async #render(article: Article): Promise<RenderedMarkdown> {
    const plan = this.#plans.get(article.file) ?? this.#plan(article);
    this.#plans.delete(article.file);
    const { options, references, key } = plan;
    const kept = this.#kept;
    const found = key === undefined ? undefined : kept!.get(key);
    if (found) {
      article.parse.release(); // nothing will take it
      return this.#keyed(key!, found);
    }
    if (plan.job !== undefined && this.#thread && !this.#thread.take(plan.job)) {
      const answer = await this.#thread.answer(plan.job);
      // No answer: the thread ended without one, so it is rendered here after all.
      if (answer) {
        this.renderedElsewhere++;
        article.parse.release();
        if ('error' in answer) return this.#failed(article, answer.error, answer.line);
        if (key !== undefined) kept!.put(key, answer.rendered);
        return this.#keyed(key, answer.rendered);
      }
    }
    try {
      const rendered = await renderArticle(article, options, references);
      if (key !== undefined) kept!.put(key, rendered);
      return this.#keyed(key, rendered);
    } catch (error) {
      // e.g. an MDX component that does not exist: the writer's problem, reported like any other.
      return this.#failed(
        article,
        error instanceof Error ? error.message : String(error),
        error instanceof MarkdownError ? error.line : undefined,
      );
    }
  }

  /** A clean render, noted under its key (`keyOf`) when it has one. */
  #keyed(key: string | undefined, rendered: RenderedMarkdown): RenderedMarkdown {
    if (key !== undefined) this.#keys.set(rendered, key);
    return rendered;
  }

  /** Reports a render's error at its line of the article file (`line` counts from the body's first). */
  #failed(article: Article, message: string, line: number | undefined): RenderedMarkdown {
    this.#problems.error(article.file, line ? article.bodyLine + line - 1 : undefined, message);
    return { html: '', images: [], headings: [], text: '' };
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
   * their HTML, and the plain text only the feeds read becomes garbage. The render thread, if it
   * is still running, ends.
   */
  forget(): void {
    this.#thread?.end();
    this.#thread = undefined;
    this.#plans.clear();
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
