import type { Article, ArticleLink } from '../content/model.ts';
import type { Span } from './outline.ts';
import { renderTree, type RenderedMarkdown, type RenderOptions } from './render.ts';

/** How to render an article: {@link RenderOptions}, with its links and images already resolved. */
export type ArticleRenderOptions = Omit<RenderOptions, 'resolveLink' | 'resolveImage'> & {
  /** The page URL of a resolved article link; its `#hash` is appended here. */
  urlOf(link: ArticleLink): string;
};

/**
 * Renders an article from its one parse: the one loading made for its links or description, or,
 * for a body loading had no need to parse, one made now. Article links (`article.links`) point at
 * `urlOf(link)` plus their `#hash`; local images (`article.images`) become markers for the page to
 * optimise.
 *
 * Rendering takes the parse and frees its memory: render an article once per build (a second
 * render parses the body again).
 *
 * `references`: `articleReferences` of the same article and `urlOf`, where the caller made them
 * already (the build hashes them into the render cache's key).
 *
 * @throws {MarkdownError} when the body uses an unknown MDX component or one wrongly.
 */
export async function renderArticle(
  article: Article,
  options: ArticleRenderOptions,
  references = articleReferences(article, options.urlOf),
): Promise<RenderedMarkdown> {
  const { urlOf: _, ...rest } = options;
  const { links, images } = references;
  return renderTree(article.parse.takeHast(options.labels.footnotes), article.body, {
    ...rest,
    resolveLink: (href) => links.get(href),
    resolveImage: (src) => images.get(src),
  });
}

/**
 * What an article's links and images render as: each link's URL as parsed → `urlOf(link)` plus its
 * `#hash`, each local image's `src` → its file. Keyed by the URL as parsed, which is what the
 * tree's `href`/`src` hold: a link written twice resolves the same way both times, since
 * resolution depends on nothing else.
 */
export function articleReferences(
  article: Article,
  urlOf: ArticleRenderOptions['urlOf'],
): { links: Map<string, string>; images: Map<string, string> } {
  return {
    links: new Map(article.links.map((link) => [link.href, urlOf(link) + link.hash])),
    images: new Map(article.images.map((image) => [image.src, image.file])),
  };
}

/**
 * The article body as written, trimmed, with each resolved article link's destination replaced
 * by `absoluteUrlOf(link)` plus its `#hash`, and without HTML comments: the Markdown copy AI
 * agents read, who have no content tree to resolve `refunds.md` against, and no business reading
 * the notes writers leave each other. Edited at the places the parse found, so a link's text,
 * the same URL or `<!--` in a code block, and everything else stay exactly as written.
 */
export function markdownCopyBody(article: Article, absoluteUrlOf: (link: ArticleLink) => string): string {
  const edits = [
    ...article.links.flatMap((link) =>
      link.span ? [{ ...link.span, text: absoluteUrlOf(link) + link.hash }] : [],
    ),
    ...article.parse.comments().map((span) => ({ ...wholeLine(article.body, span), text: '' })),
  ].sort((a, b) => a.start - b.start);
  let body = '';
  let at = 0;
  for (const edit of edits) {
    if (edit.start < at) continue; // one parse never places two links in one spot; never write text twice
    body += article.body.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return (body + article.body.slice(at)).trim();
}

/** A comment alone on its lines takes those lines with it, so no blank line is left in its place. */
function wholeLine(body: string, span: Span): Span {
  const lineStart = body.lastIndexOf('\n', span.start - 1) + 1;
  const lineEnd = body.indexOf('\n', span.end);
  const end = lineEnd === -1 ? body.length : lineEnd;
  if (body.slice(lineStart, span.start).trim() !== '' || body.slice(span.end, end).trim() !== '') return span;
  return { start: lineStart, end: lineEnd === -1 ? end : end + 1 };
}
