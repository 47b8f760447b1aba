/**
 * Intercom article HTML → Signpost Markdown. The maintained pipeline does the reading and writing
 * (rehype-parse → rehype-remark → remark-gfm + remark-stringify); what is Intercom's own is here:
 * a pass over the HTML before it becomes Markdown (what to drop, tables, cells), handlers for
 * Intercom's blocks (callouts, collapsibles, videos, images, links), a pass over the Markdown tree
 * (whitespace, line breaks, heading slugs, anchors), and a last pass that removes the escapes the
 * writer adds where the parser Signpost uses reads the text the same without them.
 */
import GithubSlugger from 'github-slugger';
import type { Element, ElementContent, Root as HastRoot, RootContent as HastContent } from 'hast';
import { toText } from 'hast-util-to-text';
import type {
  Heading,
  Html,
  Image,
  Link,
  Nodes,
  Paragraph,
  PhrasingContent,
  Root as MdastRoot,
  RootContent,
} from 'mdast';
import rehypeParse from 'rehype-parse';
import rehypeRemark from 'rehype-remark';
import type { Options as ToMdastOptions } from 'rehype-remark';
import remarkGfm from 'remark-gfm';
import remarkStringify from 'remark-stringify';
import type { Options as StringifyOptions } from 'remark-stringify';
import { markdownToMdast, mdxToMdast } from 'satteri';
import { unified } from 'unified';
import { embedUrl } from '../../markdown/components.ts';
import { classList, isElement, stringProperty as property } from '../../markdown/hast.ts';
import { embedHost } from '../../markdown/urls.ts';
import type { ConvertedBody, LinkResolver } from './types.ts';

/** How to convert one article translation's body. */
export interface ConvertOptions {
  /** Where Intercom links point (articles and collections), see {@link LinkResolver}. */
  resolveLink: LinkResolver;
  /** The article translation's language, BCP-47. */
  lang: string;
  /** Base for image file names, e.g. the article id: `refunds` → `refunds-1.png`. */
  imagePrefix: string;
}

/** A link to a heading in another article, which {@link rewriteAnchors} settles once all are converted. */
export interface AnchorLink {
  /** The Signpost id of the article linked to. */
  article: string;
  /** Intercom's heading id in that article (`h_2f1e6b3c9a`). */
  anchor: string;
}

/** {@link ConvertedBody}, with what linking between articles needs. */
export interface Converted extends ConvertedBody {
  /** Intercom's heading ids (`h_2f1e6b3c9a`) → the slug Signpost gives that heading (`refund-policy`). */
  headingIds: Record<string, string>;
  /** Links to headings in other articles, still written `#h_…` until {@link rewriteAnchors}. */
  anchorLinks: AnchorLink[];
}

type Handle = NonNullable<NonNullable<ToMdastOptions['handlers']>[string]>;
type State = Parameters<Handle>[0];

/** What one conversion gathers while it walks the body. */
interface Context {
  options: ConvertOptions;
  warnings: string[];
  images: { url: string; name: string }[];
  imageNames: Map<string, string>;
  anchorLinks: AnchorLink[];
  /** Intercom's id of each heading written, by its Markdown node. */
  headingIds: Map<Heading, string>;
  mdx: boolean;
}

/** Intercom's heading ids: `h_` and hex digits. */
const HEADING_ID = /^h_[0-9a-z]+$/i;

/**
 * Elements dropped with what they held, and why (a warning each: `removed <x>; why, what to do`).
 * Everything else Intercom writes either has a Markdown form or unwraps to its content.
 */
const DROPPED: Record<string, string> = {
  script:
    'articles cannot run script; embed videos with <Video>, and rebuild anything else it did in Markdown',
  style: "articles cannot restyle the page; style articles with the brand's custom CSS file",
  link: "articles cannot load styles; style articles with the brand's custom CSS file",
  meta: 'it has no place in an article body; nothing to do',
  base: 'it has no place in an article body; nothing to do',
  template: 'its content is never shown; nothing to do',
  noscript: 'its content is never shown; nothing to do',
  form: 'articles cannot hold forms; link to the form instead',
  input: 'articles cannot hold form fields; link to the form instead',
  button: 'articles cannot hold form fields; write a link instead',
  select: 'articles cannot hold form fields; link to the form instead',
  textarea: 'articles cannot hold form fields; show its text in a code block instead',
  object: 'articles cannot embed plugins; link to the file instead',
  embed: 'articles cannot embed plugins; link to the file instead',
  applet: 'articles cannot embed plugins; link to the file instead',
  svg: 'inline SVG can run script; export it as a PNG image and add it back',
  math: 'articles do not render MathML; write the formula as text or an image',
};

/** What starts a new line when a table cell's blocks are joined (a GFM cell holds one line). */
const CELL_BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'figure',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'li',
  'ol',
  'p',
  'section',
  'summary',
  'ul',
]);

/** The Sätteri features Signpost reads article bodies with (`markdown/parse.ts`). */
const FEATURES = { frontmatter: false };

/**
 * Turns one Intercom article translation's HTML body into Signpost Markdown: GFM with GitHub
 * alerts for callouts, raw `<details>` for collapsibles, `<Video>` for YouTube and Vimeo (then
 * `mdx` is true), local image names, and article links by id (`refunds.md#refund-policy`).
 * Links into another article's headings keep Intercom's `#h_…` until {@link rewriteAnchors}.
 */
export function convertBody(html: string, options: ConvertOptions): Converted {
  const context: Context = {
    options,
    warnings: [],
    images: [],
    imageNames: new Map(),
    anchorLinks: [],
    headingIds: new Map(),
    mdx: false,
  };
  const hast = unified().use(rehypeParse, { fragment: true }).parse(html);
  prepare(hast, context, false);
  const mdast = unified()
    .use(rehypeRemark, { handlers: handlers(context), nodeHandlers: { comment: () => undefined } })
    .runSync(hast) as MdastRoot;
  mdast.children = cleanBlocks(mdast.children);
  const headingIds = slugHeadings(mdast, context);
  linkOwnHeadings(mdast, headingIds, context);

  const written = unified()
    .use(remarkGfm)
    .use(remarkStringify, stringifyOptions(context.mdx))
    .stringify(mdast);
  const markdown = unescapeNeedless(written.trim(), context);
  return {
    markdown: markdown === '' ? '' : `${markdown}\n`,
    mdx: context.mdx,
    images: context.images,
    warnings: context.warnings,
    headingIds: Object.fromEntries(headingIds),
    anchorLinks: context.anchorLinks,
  };
}

/**
 * Replaces Intercom's heading ids in links to other articles (`refunds.md#h_2f1e6b3c9a`) with the
 * slug that article gives the heading (`refunds.md#refund-policy`), once every article is
 * converted: `headingIdsByArticleId` holds each one's {@link Converted.headingIds}. A heading the
 * target does not have loses the `#…` (the link still leads to the article), with a warning;
 * links to articles not in the map are left as they are.
 */
export function rewriteAnchors(
  markdown: string,
  headingIdsByArticleId:
    | ReadonlyMap<string, Readonly<Record<string, string>>>
    | Readonly<Record<string, Readonly<Record<string, string>>>>,
): { markdown: string; warnings: string[] } {
  const warnings: string[] = [];
  const headingsOf = (id: string): Readonly<Record<string, string>> | undefined =>
    headingIdsByArticleId instanceof Map
      ? headingIdsByArticleId.get(id)
      : Object.hasOwn(headingIdsByArticleId, id)
        ? (headingIdsByArticleId as Readonly<Record<string, Readonly<Record<string, string>>>>)[id]
        : undefined;
  // The destinations convertBody writes: `](id.md#h_…)`, or `](<id.md#h_…>` when it needs brackets.
  const rewritten = markdown.replace(
    /\]\((<?)([^\s()<>#]+)\.md#(h_[0-9a-z]+)(?=[>\s)])/gi,
    (whole, bracket: string, id: string, anchor: string) => {
      const headings = headingsOf(id);
      if (headings === undefined) return whole;
      const slug = Object.hasOwn(headings, anchor) ? headings[anchor] : undefined;
      if (slug !== undefined) return `](${bracket}${id}.md#${slug}`;
      warnings.push(
        `link to a heading (#${anchor}) that "${id}" does not have, now to the article itself; link to one of its headings if it matters`,
      );
      return `](${bracket}${id}.md`;
    },
  );
  return { markdown: rewritten, warnings };
}

// ---------------------------------------------------------------------------------------------
// Before Markdown: the HTML as Intercom wrote it.

/** Drops what articles cannot hold, turns no-break spaces into spaces, and readies tables. */
function prepare(parent: HastRoot | Element, context: Context, inCode: boolean): void {
  parent.children = parent.children.flatMap((child): HastContent[] => {
    if (child.type === 'comment') return [];
    if (child.type === 'text') {
      // Intercom's editor scatters `&nbsp;` through prose (and fills empty paragraphs with it);
      // as spaces, they collapse like any other and leave no invisible characters behind.
      return inCode ? [child] : [{ ...child, value: child.value.replace(/\u00a0/g, ' ') }];
    }
    if (child.type !== 'element') return [child];
    const why = DROPPED[child.tagName];
    if (why !== undefined) {
      context.warnings.push(`removed <${child.tagName}>; ${why}`);
      return [];
    }
    prepare(child, context, inCode || child.tagName === 'pre' || child.tagName === 'code');
    if (child.tagName === 'table') headerRow(child);
    if (child.tagName === 'td' || child.tagName === 'th') oneLineCell(child, context);
    return [child];
  });
}

/**
 * Makes the first row the header row of a table that has none. Intercom's tables are often only
 * `<td>`s, but a GFM table needs a header row: without this, hast-util-to-mdast would add an
 * empty one, and the Markdown would open every table with a row of blanks.
 */
function headerRow(table: Element): void {
  const rows: Element[] = [];
  for (const child of table.children) {
    if (child.type !== 'element') continue;
    if (child.tagName === 'thead') return;
    if (child.tagName === 'tr') rows.push(child);
    if (child.tagName === 'tbody' || child.tagName === 'tfoot')
      rows.push(...child.children.filter((row): row is Element => isElement(row, 'tr')));
  }
  const first = rows[0];
  if (first === undefined || first.children.some((cell) => isElement(cell, 'th'))) return;
  for (const cell of first.children) if (isElement(cell, 'td')) cell.tagName = 'th';
}

/**
 * A GFM cell is one line: each paragraph (or list item, or other block) in an Intercom cell
 * becomes a line of its own, joined with `<br />`, which every Markdown renderer shows as a break.
 */
function oneLineCell(cell: Element, context: Context): void {
  const lines: ElementContent[][] = [[]];
  const collect = (nodes: ElementContent[]): void => {
    for (const node of nodes) {
      if (node.type !== 'element') {
        lines.at(-1)!.push(node);
      } else if (node.tagName === 'br') {
        lines.push([]);
      } else if (node.tagName === 'pre') {
        lines.push(
          [
            code(
              toText(node)
                .replace(/\s*\n\s*/g, ' ')
                .trim(),
            ),
          ],
          [],
        );
      } else if (node.tagName === 'table') {
        context.warnings.push('flattened a table inside a table cell to text; GFM cells hold no tables');
        lines.push([{ type: 'text', value: toText(node) }], []);
      } else if (CELL_BLOCKS.has(node.tagName)) {
        lines.push(node.tagName === 'li' ? [{ type: 'text', value: '• ' }] : []);
        collect(node.children);
        lines.push([]);
      } else {
        lines.at(-1)!.push(node);
      }
    }
  };
  collect(cell.children);
  const kept = lines.filter((line) => line.some((node) => !isBlank(node)));
  cell.children = kept.flatMap((line, index) =>
    index === 0 ? line : [{ type: 'element', tagName: 'br', properties: {}, children: [] }, ...line],
  );
}

function code(value: string): Element {
  return { type: 'element', tagName: 'code', properties: {}, children: [{ type: 'text', value }] };
}

function isBlank(node: ElementContent): boolean {
  return node.type === 'comment' || (node.type === 'text' && node.value.trim() === '');
}

// ---------------------------------------------------------------------------------------------
// HTML → Markdown: handlers for what Intercom writes its own way.

function handlers(context: Context): Record<string, Handle> {
  return {
    a: (state, node) => link(state, node, context),
    br: (state, node) => {
      // A GFM cell cannot hold a hard break; HTML's break is what keeps its lines apart.
      if (state.inTable) return { type: 'html', value: '<br />' };
      const result: Nodes = { type: 'break' };
      state.patch(node, result);
      return result;
    },
    details: (state, node) => details(state, node),
    div: (state, node) =>
      classList(node).includes('intercom-interblocks-callout')
        ? callout(state, node)
        : state.toFlow(state.all(node)),
    h1: (state, node) => heading(state, node, context),
    h2: (state, node) => heading(state, node, context),
    h3: (state, node) => heading(state, node, context),
    h4: (state, node) => heading(state, node, context),
    h5: (state, node) => heading(state, node, context),
    h6: (state, node) => heading(state, node, context),
    iframe: (state, node) => frame(state, node, context),
    // Raw HTML GitHub's allow-list keeps: as text, `m<sup>2</sup>` would read "m2".
    sub: (state, node) => inlineHtml(state, node),
    sup: (state, node) => inlineHtml(state, node),
    img: (state, node) => image(state, node, context),
  };
}

function inlineHtml(state: State, node: Element): PhrasingContent[] {
  const children = state.all(node) as PhrasingContent[];
  if (children.length === 0) return [];
  return [
    { type: 'html', value: `<${node.tagName}>` },
    ...children,
    { type: 'html', value: `</${node.tagName}>` },
  ];
}

function heading(state: State, node: Element, context: Context): Heading {
  const result: Heading = {
    type: 'heading',
    depth: Number(node.tagName.charAt(1)) as Heading['depth'],
    children: state.all(node) as PhrasingContent[],
  };
  state.patch(node, result);
  const id = property(node, 'id');
  if (id !== undefined && HEADING_ID.test(id)) context.headingIds.set(result, id);
  return result;
}

/** Links to Intercom articles become links by Signpost id; everything else stays as written. */
function link(state: State, node: Element, context: Context): Link | PhrasingContent[] {
  const children = state.all(node) as PhrasingContent[];
  const href = property(node, 'href')?.trim();
  if (!href) return children;
  const result: Link = {
    type: 'link',
    url: target(href, context),
    title: property(node, 'title') ?? null,
    children,
  };
  state.patch(node, result);
  return result;
}

function target(href: string, context: Context): string {
  // `#h_…` in this article waits for the slugs (linkOwnHeadings); the resolver knows no anchors.
  if (href.startsWith('#')) return href;
  const found = context.options.resolveLink(href);
  if (found === undefined) return href;
  // A collection's id is a path the importer chose: the link target as it is.
  if (found.kind === 'collection') return found.id;
  if (found.lang !== undefined && found.lang !== context.options.lang) {
    context.warnings.push(
      `link to ${href} (${found.lang}) now leads to "${found.id}" in ${context.options.lang}, as links by id do; check it still makes sense`,
    );
  }
  const at = href.indexOf('#');
  const hash = at < 0 ? '' : href.slice(at + 1);
  if (HEADING_ID.test(hash)) context.anchorLinks.push({ article: found.id, anchor: hash });
  return `${found.id}.md${hash === '' ? '' : `#${hash}`}`;
}

/**
 * An Intercom callout as a GitHub alert (`> [!TIP]`). The marker goes in as raw text ahead of the
 * first paragraph, so it is written on a line of its own, unescaped, with the text under it.
 */
function callout(state: State, node: Element): RootContent[] {
  const children = state.toFlow(state.all(node)) as RootContent[];
  if (children.length === 0) return [];
  const marker: Html = { type: 'html', value: `[!${calloutKind(property(node, 'style') ?? '')}]` };
  const first = children[0];
  if (first?.type === 'paragraph') first.children.unshift({ ...marker, value: `${marker.value}\n` });
  else children.unshift({ type: 'paragraph', children: [marker] });
  const result = { type: 'blockquote', children } as RootContent;
  state.patch(node, result);
  return [result];
}

/**
 * Which GitHub alert an Intercom callout becomes, by the hue of its background colour (Intercom's
 * editor offers a handful of tints, which themes may vary, so ranges rather than exact values):
 *
 * | hue (°)           | colours                     | e.g.                   | alert       |
 * | ----------------- | --------------------------- | ---------------------- | ----------- |
 * | 170–290           | cyan, blue, purple          | `#e3e7fa80`            | `[!NOTE]`   |
 * | 70–170            | green                       | `#d7efdc80`            | `[!TIP]`    |
 * | 20–70             | orange, yellow              | `#feedaf80`, `#fff3d4` | `[!WARNING]`|
 * | 0–20 and 290–360  | red, pink, magenta          | `#fdd8d880`, `#ffe3e3` | `[!CAUTION]`|
 *
 * A grey, a missing or an unreadable colour is a NOTE, the neutral kind. The border colour is
 * read when there is no background.
 */
export function calloutKind(style: string): 'NOTE' | 'TIP' | 'WARNING' | 'CAUTION' {
  const declared =
    /(?:^|;)\s*background(?:-color)?\s*:\s*([^;]+)/i.exec(style)?.[1] ??
    /(?:^|;)\s*border(?:-left)?-color\s*:\s*([^;]+)/i.exec(style)?.[1];
  const rgb = declared === undefined ? undefined : parseColor(declared.trim());
  if (rgb === undefined) return 'NOTE';
  const [r, g, b] = rgb;
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  if (max - min < 12) return 'NOTE';
  const hue =
    max === r
      ? (60 * ((g - b) / (max - min)) + 360) % 360
      : max === g
        ? 60 * ((b - r) / (max - min)) + 120
        : 60 * ((r - g) / (max - min)) + 240;
  if (hue < 20 || hue >= 290) return 'CAUTION';
  if (hue < 70) return 'WARNING';
  if (hue < 170) return 'TIP';
  return 'NOTE';
}

/** `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, `rgb(…)` or `rgba(…)` as 0–255 channels; alpha ignored. */
function parseColor(value: string): [number, number, number] | undefined {
  const hex = /^#([0-9a-f]{3,8})$/i.exec(value)?.[1];
  if (hex !== undefined) {
    const digits = hex.length <= 4 ? [...hex].map((digit) => digit + digit) : hex.match(/../g);
    if (digits === null || ![3, 4, 6, 8].includes(hex.length)) return undefined;
    const [r, g, b] = digits.map((pair) => Number.parseInt(pair, 16));
    return r === undefined || g === undefined || b === undefined ? undefined : [r, g, b];
  }
  const channels = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/i.exec(value);
  return channels ? [Number(channels[1]), Number(channels[2]), Number(channels[3])] : undefined;
}

/**
 * A collapsible as raw `<details>` (which Signpost allows in `.md`) around Markdown: the summary
 * is HTML, so its text is written with character references, which HTML and MDX both read.
 */
function details(state: State, node: Element): RootContent[] {
  const summary = node.children.find((child): child is Element => isElement(child, 'summary'));
  const body = state.toFlow(
    state.all({ ...node, children: node.children.filter((child) => child !== summary) }),
  ) as RootContent[];
  const label = summary === undefined ? '' : toText(summary).replace(/\s+/g, ' ').trim();
  // Each tag in a paragraph of its own, so nothing around the collapsible is drawn into its lines.
  const raw = (value: string): Paragraph => ({ type: 'paragraph', children: [{ type: 'html', value }] });
  return [
    raw(label === '' ? '<details>' : `<details>\n<summary>${characterReferences(label)}</summary>`),
    ...body,
    raw('</details>'),
  ];
}

/**
 * An Intercom video: YouTube and Vimeo as Signpost's `<Video>` (which makes the body MDX); Loom
 * and Wistia, which `<Video>` cannot show, as the raw `<iframe>` Signpost allows for those hosts;
 * anything else as a link to it.
 */
function frame(state: State, node: Element, context: Context): PhrasingContent {
  const src = property(node, 'src')?.trim() ?? '';
  const title = property(node, 'title')?.replace(/\s+/g, ' ').trim() || 'Video';
  const page = videoPage(src);
  let result: PhrasingContent;
  if (page !== undefined) {
    context.mdx = true;
    result = { type: 'html', value: `<Video src=${attribute(page)} title=${attribute(title)} />` };
  } else if (embedHost(src).allowed) {
    result = {
      type: 'html',
      value: `<iframe src=${attribute(src)} title=${attribute(title)} allowfullscreen></iframe>`,
    };
  } else {
    context.warnings.push(
      `replaced an <iframe> from ${embedHost(src).host ?? src} with a link to it; only video players may be framed in articles`,
    );
    result = { type: 'link', url: src, title: null, children: [{ type: 'text', value: title }] };
  }
  state.patch(node, result);
  return result;
}

/** The page address `<Video>` takes for a YouTube or Vimeo player's address, else undefined. */
function videoPage(src: string): string | undefined {
  let url: URL;
  try {
    url = new URL(src);
  } catch {
    return undefined;
  }
  const host = url.hostname.replace(/^www\./, '');
  const [kind, id] = url.pathname.split('/').filter(Boolean);
  let page: string | undefined;
  if ((host === 'youtube.com' || host === 'youtube-nocookie.com') && kind === 'embed' && id !== undefined)
    page = `https://www.youtube.com/watch?v=${id}`;
  if (host === 'player.vimeo.com' && kind === 'video' && id !== undefined) page = `https://vimeo.com/${id}`;
  // Only what <Video> itself would embed: otherwise it would show a file player that plays nothing.
  return page !== undefined && embedUrl(page) !== undefined ? page : undefined;
}

/** Images get local names the importer saves them under: `<prefix>-<n>.<ext>`, one per URL. */
function image(state: State, node: Element, context: Context): Image | undefined {
  const src = property(node, 'src')?.trim();
  if (!src) return undefined;
  let name = context.imageNames.get(src);
  if (name === undefined) {
    name = `${context.options.imagePrefix}-${context.images.length + 1}.${extension(src, context)}`;
    context.imageNames.set(src, name);
    context.images.push({ url: src, name });
  }
  const result: Image = {
    type: 'image',
    url: `./${name}`,
    alt: property(node, 'alt')?.trim() ?? '',
    title: null,
  };
  state.patch(node, result);
  return result;
}

/** The image's extension from its URL's path (`…/image.PNG?expires=…` → `png`). */
function extension(src: string, context: Context): string {
  const data = /^data:image\/([a-z]+)/i.exec(src)?.[1];
  if (data !== undefined) return data.toLowerCase() === 'jpeg' ? 'jpg' : data.toLowerCase();
  let path = src;
  try {
    path = new URL(src, 'https://intercom.invalid/').pathname;
  } catch {
    // Not a URL: read the text as written.
  }
  const found = /\.([a-z0-9]{1,5})$/i.exec(path)?.[1];
  if (found !== undefined) return found.toLowerCase();
  context.warnings.push(`image ${src} has no file extension; named .png, check the downloaded file's type`);
  return 'png';
}

// ---------------------------------------------------------------------------------------------
// The Markdown tree: tidy whitespace and breaks, then slug headings and link them.

type Block = RootContent;

/**
 * Drops empty paragraphs, headings, list items and callouts; splits paragraphs at blank lines
 * made of two breaks; trims breaks and spaces at the ends of every block, so no `\` ends a line
 * for nothing; and keeps lists tight unless an item holds more than one paragraph.
 */
function cleanBlocks(blocks: Block[]): Block[] {
  return blocks.flatMap((node): Block[] => {
    switch (node.type) {
      case 'paragraph':
        return splitParagraph(node);
      case 'heading':
        node.children = trimEdges(cleanPhrasing(node.children));
        return node.children.length > 0 ? [node] : [];
      case 'blockquote':
        node.children = cleanBlocks(node.children) as typeof node.children;
        return node.children.length > 0 ? [node] : [];
      case 'list': {
        for (const item of node.children) item.children = cleanBlocks(item.children) as typeof item.children;
        node.children = node.children.filter((item) => item.children.length > 0);
        for (const item of node.children)
          item.spread = item.children.filter((c) => c.type !== 'list').length > 1;
        node.spread = node.children.some((item) => item.spread);
        return node.children.length > 0 ? [node] : [];
      }
      case 'table':
        for (const row of node.children)
          for (const cell of row.children) cell.children = trimEdges(cleanPhrasing(cell.children));
        return [node];
      default:
        return [node];
    }
  });
}

/** A paragraph, split where two breaks in a row made a blank line; empty ones are dropped. */
function splitParagraph(paragraph: Paragraph): Paragraph[] {
  const parts: PhrasingContent[][] = [[]];
  const children = cleanPhrasing(paragraph.children);
  children.forEach((child, index) => {
    const next = children.slice(index + 1).find((node) => !isSpace(node));
    const previous = parts.at(-1)!.at(-1);
    if (child.type === 'break' && next?.type === 'break') parts.push([]);
    else if (!(child.type === 'break' && previous === undefined)) parts.at(-1)!.push(child);
  });
  return parts
    .map((part) => trimEdges(part))
    .filter((part) => part.length > 0)
    .map((part) => ({ ...paragraph, children: part }));
}

const ATTENTION = new Set(['strong', 'emphasis', 'delete', 'link']);

/**
 * Emphasis, strong and links with nothing in them go; spaces at their edges move outside
 * (`**Note: **then` is no emphasis in Markdown, and the writer would encode the space).
 */
function cleanPhrasing(nodes: PhrasingContent[]): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  for (const node of nodes) {
    if (!ATTENTION.has(node.type) || !('children' in node)) {
      out.push(node);
      continue;
    }
    node.children = cleanPhrasing(node.children) as typeof node.children;
    if (!node.children.some((child) => !isSpace(child))) {
      if (node.type !== 'link' && node.children.length > 0) out.push({ type: 'text', value: ' ' });
      continue;
    }
    const before = stripEdge(node.children, 'start');
    const after = stripEdge(node.children, 'end');
    if (before) out.push({ type: 'text', value: ' ' });
    out.push(node);
    if (after) out.push({ type: 'text', value: ' ' });
  }
  return mergeText(out);
}

/** Removes the spaces at one edge of some phrasing (into nested emphasis); true if there were any. */
function stripEdge(nodes: PhrasingContent[], edge: 'start' | 'end'): boolean {
  const index = edge === 'start' ? 0 : nodes.length - 1;
  const node = nodes[index];
  if (node === undefined) return false;
  if (node.type === 'text') {
    const value = edge === 'start' ? node.value.replace(/^\s+/, '') : node.value.replace(/\s+$/, '');
    if (value === node.value) return false;
    if (value === '') nodes.splice(index, 1);
    else node.value = value;
    return true;
  }
  return ATTENTION.has(node.type) && 'children' in node && stripEdge(node.children, edge);
}

/** Drops breaks and spaces at both ends of a block's phrasing, looking inside emphasis and links. */
function trimEdges(nodes: PhrasingContent[]): PhrasingContent[] {
  for (const edge of ['start', 'end'] as const) {
    for (;;) {
      const index = edge === 'start' ? 0 : nodes.length - 1;
      const node = nodes[index];
      if (node === undefined) break;
      if (node.type === 'break' || (node.type === 'text' && node.value.trim() === '')) {
        nodes.splice(index, 1);
        continue;
      }
      if (node.type === 'text') {
        node.value = edge === 'start' ? node.value.trimStart() : node.value.trimEnd();
      } else if (ATTENTION.has(node.type) && 'children' in node) {
        node.children = trimEdges(node.children) as typeof node.children;
        if (node.children.length === 0) {
          nodes.splice(index, 1);
          continue;
        }
      }
      break;
    }
  }
  return nodes;
}

function mergeText(nodes: PhrasingContent[]): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  for (const node of nodes) {
    const last = out.at(-1);
    if (node.type === 'text' && last?.type === 'text') {
      out[out.length - 1] = { ...last, value: (last.value + node.value).replace(/ {2,}/g, ' ') };
    } else {
      out.push(node);
    }
  }
  return out;
}

function isSpace(node: Nodes): boolean {
  return node.type === 'text' && node.value.trim() === '';
}

/**
 * The slug Signpost's renderer gives each heading (`markdown/render.ts`: github-slugger over each
 * heading's text, every heading in document order, empty ones skipped), for Intercom's heading ids.
 */
function slugHeadings(tree: MdastRoot, context: Context): Map<string, string> {
  const slugger = new GithubSlugger();
  const slugs = new Map<string, string>();
  walk(tree, (node) => {
    if (node.type !== 'heading') return;
    const text = plainText(node).replace(/\s+/g, ' ').trim();
    if (text === '') return;
    const slug = slugger.slug(text);
    const id = context.headingIds.get(node);
    if (id !== undefined && !slugs.has(id)) slugs.set(id, slug);
  });
  return slugs;
}

/** `#h_…` links within the article, to the heading's slug. */
function linkOwnHeadings(tree: MdastRoot, slugs: Map<string, string>, context: Context): void {
  walk(tree, (node) => {
    if (node.type !== 'link' || !node.url.startsWith('#')) return;
    const id = node.url.slice(1);
    const slug = slugs.get(id);
    if (slug !== undefined) node.url = `#${slug}`;
    else if (HEADING_ID.test(id))
      context.warnings.push(`link to a heading (#${id}) this article does not have; fix or remove the link`);
  });
}

/** Text as the renderer reads a heading (`hast-util-to-text`): no image alt, breaks as spaces. */
function plainText(node: Nodes): string {
  if (node.type === 'text' || node.type === 'inlineCode') return node.value;
  if (node.type === 'break') return ' ';
  return 'children' in node ? node.children.map((child) => plainText(child)).join('') : '';
}

function walk(node: Nodes, visitor: (node: Nodes) => void): void {
  visitor(node);
  if ('children' in node) for (const child of node.children) walk(child, visitor);
}

// ---------------------------------------------------------------------------------------------
// Writing: remark-stringify's choices, then only the escapes that matter.

/** Punctuation that MDX reads as code (`{…}`) or a tag (`<`) wherever it is in text. */
const MDX_UNSAFE: NonNullable<StringifyOptions['unsafe']> = ['{', '}', '<'].map((character) => ({
  character,
  inConstruct: 'phrasing',
  // Where remark-stringify's own phrasing rules stop: link destinations and titles, references.
  notInConstruct: [
    'autolink',
    'destinationLiteral',
    'destinationRaw',
    'reference',
    'titleQuote',
    'titleApostrophe',
  ],
}));

function stringifyOptions(mdx: boolean): StringifyOptions {
  return {
    bullet: '-',
    emphasis: '*',
    strong: '*',
    fence: '`',
    fences: true,
    rule: '-',
    listItemIndent: 'one',
    // MDX has no autolinks (`<https://…>` would be a tag): links are written out in full there.
    resourceLink: mdx,
    unsafe: mdx ? MDX_UNSAFE : [],
  };
}

/** A backslash escape as remark-stringify writes them (ASCII punctuation), pairs read left to right. */
const ESCAPE = /\\[!-/:-@[-`{-~]/g;

/** How much Markdown (characters, all parses together) one body may parse to find needless escapes. */
const UNESCAPE_BUDGET = 500_000;

/**
 * remark-stringify escapes wherever a character might matter (`\[Save]`, `\_`, `1\.`), which
 * makes imported articles hard to read and edit. This keeps only the escapes that change what
 * Signpost's own parser (Sätteri, as `markdown/parse.ts` reads a body) makes of the text: all
 * are dropped at once when the tree stays the same, else line by line, then one by one, each
 * step checked against the tree of the fully escaped Markdown.
 */
function unescapeNeedless(markdown: string, context: Context): string {
  const read = (source: string): string | undefined => {
    try {
      const tree = (context.mdx ? mdxToMdast : markdownToMdast)(source, {
        features: FEATURES,
        position: false,
      });
      return fingerprint(tree);
    } catch {
      return undefined;
    }
  };
  const reference = read(markdown);
  if (reference === undefined) {
    context.warnings.push(
      'the converted body does not parse as MDX; check it by hand (signpost check names the line)',
    );
    return markdown;
  }
  const escapes = [...markdown.matchAll(ESCAPE)].map((match) => match.index);
  if (escapes.length === 0) return markdown;
  const without = (dropped: ReadonlySet<number>): string => {
    let out = '';
    let at = 0;
    for (const index of [...dropped].sort((a, b) => a - b)) {
      out += markdown.slice(at, index);
      at = index + 1;
    }
    return out + markdown.slice(at);
  };
  // Parsing is quick (Sätteri is native), but a long body full of escapes could take many.
  let budget = UNESCAPE_BUDGET;
  const dropped = new Set<number>();
  const tryDropping = (group: number[]): boolean => {
    if (group.length === 0 || budget <= 0) return false;
    budget -= markdown.length;
    const next = new Set([...dropped, ...group]);
    if (read(without(next)) !== reference) return false;
    for (const index of group) dropped.add(index);
    return true;
  };
  if (tryDropping(escapes)) return without(dropped);
  // Then by character (every `\[` in prose usually goes, every `\*` usually stays), then line by
  // line, then one by one.
  const byCharacter = groupBy(escapes, (index) => markdown.charAt(index + 1));
  // What closes or follows a construct goes first, so the escape kept is the one that opens it:
  // `\[x](y)`, not `[x]\(y)`.
  const order = (character: string) => (')](:'.includes(character) ? 0 : 1);
  for (const [character, group] of [...byCharacter].sort(([a], [b]) => order(a) - order(b))) {
    if (tryDropping(group)) continue;
    const byLine = groupBy(group, (index) => markdown.lastIndexOf('\n', index));
    for (const line of byLine.values()) {
      if (tryDropping(line) || line.length === 1) continue;
      // Delimiters stay escaped in pairs: `*star\*` reads as `\*star\*` does, but no one writes it.
      if (/[*_~`]/.test(character)) continue;
      // Last first, for the same reason.
      for (const index of line.toReversed()) tryDropping([index]);
    }
  }
  return without(dropped);
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/**
 * A parsed tree as a string to compare: no positions, and neighbouring text nodes as one (where
 * an escape was, the parser may split the text). Written by hand: this runs once per parse.
 */
function fingerprint(node: unknown): string {
  if (Array.isArray(node)) {
    let out = '[';
    let text: string | undefined;
    for (const child of node as unknown[]) {
      const { type, value } = (child ?? {}) as { type?: unknown; value?: unknown };
      if (type === 'text' && typeof value === 'string') {
        text = (text ?? '') + value;
        continue;
      }
      if (text !== undefined) out += `text:${JSON.stringify(text)},`;
      text = undefined;
      out += `${fingerprint(child)},`;
    }
    if (text !== undefined) out += `text:${JSON.stringify(text)}`;
    return `${out}]`;
  }
  if (node === null || typeof node !== 'object') return JSON.stringify(node) ?? 'undefined';
  let out = '{';
  for (const [key, value] of Object.entries(node))
    if (key !== 'position') out += `${key}:${fingerprint(value)},`;
  return `${out}}`;
}

// ---------------------------------------------------------------------------------------------
// Small helpers.

/** A quoted attribute value that HTML and JSX read alike: no character references, quotes that fit. */
function attribute(value: string): string {
  if (!value.includes('"')) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  return `"${value.replace(/"/g, "'")}"`;
}

const REFERENCES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '{': '&#123;',
  '}': '&#125;',
};

/** Text for raw HTML in Markdown or MDX: what either would read as markup, as character references. */
function characterReferences(text: string): string {
  return text.replace(/[&<>{}"]/g, (character) => REFERENCES[character] ?? character);
}
