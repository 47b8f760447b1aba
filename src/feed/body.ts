import type { Article, ArticleLink } from '../content/model.ts';
import { markdownCopyBody } from '../markdown/article.ts';
import type { Ref, Span } from '../markdown/outline.ts';
import type { RenderedMarkdown } from '../markdown/render.ts';
import { escapeHtml } from '../output/escape.ts';
import { urls } from '../routing/layout.ts';
import type { FeedArticle } from './schema.ts';

/** Where a feed body's links and images point. */
export interface BodyUrls {
  /** An article link's absolute URL, or undefined to leave the link as written. */
  link(link: ArticleLink): string | undefined;
  /** A local image's absolute URL, or undefined when nothing may serve it (internal articles). */
  image(file: string): string | undefined;
}

/**
 * An article's body in the three forms the feed carries, everything absolute: an agent reading
 * the feed has neither the content tree nor the site to resolve `refunds.md`, `/en/…` or
 * `./screen.png` against.
 *
 * - `markdown`: as written, without comments (the `.md` copy's edits), local images pointing at
 *   `to.image` (one nothing serves keeps its path as written).
 * - `html`: the page's own render (the same `ArticleRenderer` result) without the headings'
 *   `#` self-links, root-relative URLs on `origin`, and each image marker a plain `<img>` (the
 *   page's `<picture>` sizes are Astro's to make; an agent wants one file). An image nothing
 *   serves leaves its alt text.
 * - `text`: the render's plain text.
 *
 * The feed cache knows a body by what this reads (`draftFeedArticle`'s `bodyInputs`): what it
 * comes to read besides must join those.
 */
export function feedBody(
  article: Article,
  rendered: RenderedMarkdown,
  origin: string,
  to: BodyUrls,
): FeedArticle['body'] {
  return {
    markdown: feedMarkdown(article, to),
    text: rendered.text,
    html: feedHtml(article, rendered, origin, to),
  };
}

/**
 * The `.md` copy's body with images made absolute too. `markdownCopyBody` is the one editor of a
 * body at the places its parse found (and the one that drops writers' comments); each local
 * image's destination rides along as one more such edit, so the body is edited in one pass and
 * the two copies cannot disagree about links.
 */
function feedMarkdown(article: Article, to: BodyUrls): string {
  const written = new Map(article.images.map((image) => [image.src, to.image(image.file)]));
  const imageEdits = new Map<ArticleLink, string>();
  for (const ref of imageRefs(article)) {
    const url = ref.span ? written.get(ref.url) : undefined;
    if (url)
      imageEdits.set(
        { href: ref.url, line: ref.line, targetId: '', targetLanguage: '', hash: '', span: ref.span },
        url,
      );
  }
  return markdownCopyBody(
    { ...article, links: [...article.links, ...imageEdits.keys()] },
    (link) => imageEdits.get(link) ?? to.link(link) ?? withoutHash(link),
  );
}

/** The article's image references; none when its body does not parse (a build with `check` skipped). */
function imageRefs(article: Article): { url: string; line: number; span?: Span | undefined }[] {
  let refs: Ref[];
  try {
    refs = article.parse.refs();
  } catch {
    return [];
  }
  return refs.flatMap((ref) => (ref.kind === 'image' ? [ref] : []));
}

/** A link's destination as written, without its `#hash` (the editor appends the hash again). */
function withoutHash(link: ArticleLink): string {
  return link.hash && link.href.endsWith(link.hash) ? link.href.slice(0, -link.hash.length) : link.href;
}

/**
 * An opening tag as `hast-util-to-html` writes it: attribute values are always quoted there, and
 * text never holds a raw `<`, so this finds tags and nothing in the text or inside attributes.
 */
const TAG = /<[a-zA-Z][\w:-]*(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*\/?>/g;
/** A root-relative `href` or `src` (`/en/…`, not the protocol-relative `//host/…`). */
const ROOT_RELATIVE = /(\s(?:href|src)=")(\/(?!\/)[^"]*)"/g;
const IMAGE_MARKER = /<!--sp-image:(\d+)-->/g;
/** A heading's self-link (`#`): page navigation, which the render already keeps out of `text`. */
const HEADING_ANCHOR = /<a class="anchor" href="#[^"]*"[^>]*>#<\/a>/g;

function feedHtml(article: Article, rendered: RenderedMarkdown, origin: string, to: BodyUrls): string {
  // The renderer wrote each article link as its root-relative page URL, as the pages want it;
  // here each goes where the Markdown's goes (another brand's domain, or as written for an
  // internal note). Any other root-relative URL (a writer's `/en/…` link) is on this brand's.
  const links = new Map<string, string>();
  for (const link of article.links)
    links.set(
      urls.article(link.targetLanguage, link.targetId) + link.hash,
      escapeHtml((to.link(link) ?? withoutHash(link)) + link.hash),
    );
  const html = rendered.html.replace(HEADING_ANCHOR, '').replace(TAG, (tag) =>
    tag.replace(
      ROOT_RELATIVE,
      // `url` is attribute text, already escaped: only the origin (a bare host) is put before it.
      (_, attribute: string, url: string) => `${attribute}${links.get(url) ?? origin + url}"`,
    ),
  );
  return html.replace(IMAGE_MARKER, (_, n: string) => {
    const image = rendered.images[Number(n)];
    if (!image) return '';
    const src = to.image(image.file);
    if (!src) return escapeHtml(image.alt);
    const title = image.title ? ` title="${escapeHtml(image.title)}"` : '';
    return `<img src="${escapeHtml(src)}" alt="${escapeHtml(image.alt)}"${title}>`;
  });
}
