import GithubSlugger from 'github-slugger';
import type { Element, ElementContent, Root, RootContent } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { toText } from 'hast-util-to-text';
import { alertFromBlockquote } from './callouts.ts';
import { htmlElement, renderComponent } from './components.ts';
import type { ComponentContext, MdxElement } from './components.ts';
import { detach } from './detach.ts';
import { lineOf } from './errors.ts';
import { classList, h, stringProperty, textContent, tokens } from './hast.ts';
import { highlight } from './highlight.ts';
import { BodyParse } from './parse.ts';
import { sanitizeBody } from './sanitize.ts';
import { articleTarget, isRemote, UNCHECKED_TITLE } from './urls.ts';

export { MDX_COMPONENTS } from './components.ts';
export { MarkdownError } from './errors.ts';
export type { RenderedHeading, RenderedImage, RenderedMarkdown, RenderOptions } from './types.ts';
import type { RenderedImage, RenderedMarkdown, RenderOptions } from './types.ts';

/** State of one render, threaded through the tree walk. */
interface Walk {
  options: RenderOptions;
  components: ComponentContext;
  slugger: GithubSlugger;
  /** Inside the footnotes section, whose sr-only heading is not a section of the article. */
  inFootnotes: boolean;
  images: RenderedImage[];
  headings: { element: Element; depth: number; id: string; text: string }[];
  code: { pre: Element; code: string; language: string }[];
}

const EXTERNAL = /^https?:\/\//i;
const IMAGE_MARKER = (index: number): string => `sp-image:${index}`;

/**
 * Renders an article body (Markdown or MDX) to HTML: the one pipeline behind pages, the feed and
 * search, so they never disagree. GFM, GitHub alerts as callouts, heading ids and self-links,
 * rewritten article links, local images as markers for the page to optimise, code highlighted at
 * build time, scrollable tables, and the built-in MDX components rendered to plain HTML.
 *
 * @throws {MarkdownError} when the body uses an unknown MDX component or one wrongly.
 */
export async function renderMarkdown(
  body: string,
  format: 'md' | 'mdx',
  options: RenderOptions,
): Promise<RenderedMarkdown> {
  return renderTree(new BodyParse(body, format).takeHast(options.labels.footnotes), body, options);
}

/**
 * Renders a parsed body (see {@link renderMarkdown}); `body` is its source, for error lines. The
 * writer's HTML first passes the allow-list (`sanitize.ts`), whether or not `check` ran, and only
 * then does Signpost add its own markup. The tree is changed: pass one that nothing else reads.
 */
export async function renderTree(
  parsed: Root,
  body: string,
  options: RenderOptions,
): Promise<RenderedMarkdown> {
  const tree = sanitizeBody(parsed, options.embedHosts);
  let tabGroups = 0;
  const walk: Walk = {
    options,
    components: {
      calloutTitle: (type) => options.labels[type],
      lineOf: (needle) => lineOf(body, needle),
      nextId: () => ++tabGroups,
    },
    slugger: new GithubSlugger(),
    inFootnotes: false,
    images: [],
    headings: [],
    code: [],
  };
  tree.children = tree.children.flatMap((child) => visit(child, walk));

  await Promise.all(
    walk.code.map(async ({ pre, code, language }) => {
      const highlighted = await highlight(code, language);
      if (highlighted === undefined) return;
      pre.properties = { ...highlighted.properties, dataLanguage: language };
      pre.children = highlighted.children;
    }),
  );
  // Taken before the self-links are added, so the text has no stray "#" after each heading.
  const text = toText(tree).trim();
  for (const heading of walk.headings) {
    heading.element.children.push(
      h(
        'a',
        {
          className: ['anchor'],
          href: `#${heading.id}`,
          ariaLabel: `${options.labels.anchor}: ${heading.text}`,
          // The "#" is navigation, not text: keep it out of search titles and excerpts.
          dataPagefindIgnore: true,
        },
        [{ type: 'text', value: '#' }],
      ),
    );
  }

  return {
    html: toHtml(tree, { allowDangerousHtml: true }).trim(),
    images: walk.images,
    headings: walk.headings.flatMap(({ depth, id, text }) =>
      depth === 2 || depth === 3 ? [{ depth, id: detach(id), text: detach(text) }] : [],
    ),
    text,
  };
}

/** Transforms one node; returns what replaces it (nothing, itself, or new nodes). */
function visit(node: RootContent, walk: Walk): ElementContent[] {
  switch (node.type) {
    case 'element':
      return visitElement(node, walk);
    // Comments are writers' notes to themselves, as on GitHub (and must not fake image markers);
    // imports are unnecessary, the built-in components need none; expressions are never evaluated.
    case 'comment':
    case 'mdxjsEsm':
    case 'mdxFlowExpression':
    case 'mdxTextExpression':
    case 'doctype':
      return [];
    case 'mdxJsxFlowElement':
    case 'mdxJsxTextElement':
      return visitComponent(node, walk);
    default:
      return [node];
  }
}

function visitChildren(parent: Element | MdxElement, walk: Walk): void {
  parent.children = parent.children.flatMap((child) => visit(child, walk));
}

function visitComponent(node: MdxElement, walk: Walk): ElementContent[] {
  // A lowercase name is plain HTML written as JSX: links, images and tables in it get the same treatment.
  const element = htmlElement(node);
  if (element !== undefined) return visitElement(element, walk);
  visitChildren(node, walk);
  return renderComponent(node, walk.components);
}

function visitElement(element: Element, walk: Walk): ElementContent[] {
  const code = element.tagName === 'pre' ? codeBlock(element) : undefined;
  if (code !== undefined) {
    walk.code.push({ pre: element, ...code });
    return [element];
  }
  if (element.tagName === 'section' && element.properties['dataFootnotes'] !== undefined) {
    walk.inFootnotes = true;
    visitChildren(element, walk);
    walk.inFootnotes = false;
    return [element];
  }
  visitChildren(element, walk);

  switch (element.tagName) {
    case 'h1':
    case 'h2':
    case 'h3':
    case 'h4':
    case 'h5':
    case 'h6':
      if (!walk.inFootnotes) heading(element, walk);
      return [element];
    case 'blockquote':
      return [alertFromBlockquote(element, (type) => walk.options.labels[type]) ?? element];
    case 'a':
      return link(element, walk);
    case 'img':
      return image(element, walk);
    case 'li':
      labelTaskCheckbox(element);
      return [element];
    case 'table':
      // Wide tables scroll inside their own box on phones; focusable so keyboards can scroll it too.
      return [
        h(
          'div',
          {
            className: ['table-wrap'],
            role: 'region',
            tabIndex: 0,
            ariaLabel: walk.options.labels.table ?? 'Table',
          },
          [element],
        ),
      ];
    default:
      return [element];
  }
}

/** A GFM task-list checkbox is named by its item's text, so screen readers say what is done. */
function labelTaskCheckbox(item: Element): void {
  const box = item.children.find((c): c is Element => c.type === 'element' && c.tagName === 'input');
  if (!box || box.properties['type'] !== 'checkbox') return;
  box.properties['ariaLabel'] = textContent(item).trim();
}

/** `pre > code.language-xxx`: the code and its language; undefined for code without one. */
function codeBlock(pre: Element): { code: string; language: string } | undefined {
  const elements = pre.children.filter((child) => child.type === 'element');
  const code = elements[0];
  if (elements.length !== 1 || code?.tagName !== 'code') return undefined;
  const language = classList(code)
    .find((name) => name.startsWith('language-'))
    ?.slice('language-'.length);
  if (!language) return undefined;
  // The parser keeps the final line break; Shiki would render it as an empty last line.
  return { code: textContent(code).replace(/\r?\n$/, ''), language };
}

/** Gives a heading its id (GitHub's slugs, so links written for GitHub keep working). */
function heading(element: Element, walk: Walk): void {
  // The page has its own h1; a body's `#` headings sit one level below it.
  if (element.tagName === 'h1') element.tagName = 'h2';
  const text = toText(element).trim();
  if (text === '') return;
  let id = stringProperty(element, 'id');
  if (id === undefined) {
    id = walk.slugger.slug(text);
  } else {
    // Registered so a later heading with the same text gets a -1 suffix rather than a clash.
    walk.slugger.occurrences[id] ??= 0;
  }
  element.properties['id'] = id;
  walk.headings.push({ element, depth: Number(element.tagName.slice(1)), id, text });
}

function link(element: Element, walk: Walk): ElementContent[] {
  // The marker that let a link past `check` is no tooltip for visitors.
  if (stringProperty(element, 'title') === UNCHECKED_TITLE) delete element.properties['title'];
  const href = stringProperty(element, 'href');
  // No address left (the allow-list took a `javascript:` one) and no anchor name: just its text.
  if (href === undefined) return isAnchor(element) ? [element] : element.children;
  const url = walk.options.resolveLink(href);
  if (url !== undefined) {
    element.properties['href'] = url;
  } else if (articleTarget(href)) {
    // An article link that did not resolve (unchecked, or `links.broken: warn`) would lead to a
    // 404: its text stands on its own instead.
    return element.children;
  } else if (EXTERNAL.test(href)) {
    const rel = tokens(element.properties['rel']);
    if (!rel.includes('noopener')) element.properties['rel'] = [...rel, 'noopener'];
  }
  return [element];
}

/** `<a id="…">` / `<a name="…">`: a place other links lead to, kept even without an address. */
function isAnchor(element: Element): boolean {
  return element.properties['id'] !== undefined || element.properties['name'] !== undefined;
}

function image(element: Element, walk: Walk): ElementContent[] {
  const src = stringProperty(element, 'src');
  const file = src === undefined ? undefined : walk.options.resolveImage(src);
  const alt = stringProperty(element, 'alt') ?? '';
  if (file === undefined) {
    // A local file `check` refused (outside the content folder, not an image), or no source left
    // at all: an empty or dangling `src` would show a broken image, so its alt text stands in.
    if (src === undefined || src.trim() === '' || !isRemote(src))
      return alt ? [{ type: 'text', value: alt }] : [];
    element.properties['loading'] ??= 'lazy';
    element.properties['decoding'] ??= 'async';
    return [element];
  }
  const title = stringProperty(element, 'title');
  // Kept in the route data for the whole build: copies, not slices of the parse's strings.
  walk.images.push(
    title === undefined ? { file, alt: detach(alt) } : { file, alt: detach(alt), title: detach(title) },
  );
  return [{ type: 'comment', value: IMAGE_MARKER(walk.images.length - 1) }];
}
