import type { Nodes, Root } from 'mdast';
import { detach } from './detach.ts';
import { htmlHazards, jsxHazards, schemeProblem, type Hazard } from './hazards.ts';

/** Where something sits in the body: `[start, end)` in UTF-16 code units, as `body.slice` takes them. */
export interface Span {
  start: number;
  end: number;
}

/** A link or image target found in an article's Markdown, with its line in the body. */
export type Ref =
  | {
      kind: 'link' | 'image';
      /** The URL as the parser read it (escapes and entities decoded). */
      url: string;
      /** 1-based line within the body. */
      line: number;
      /**
       * Where the URL is written in the body, so it can be rewritten in place (the `.md` copy);
       * absent when it cannot be placed exactly, and then it is left as written.
       */
      span?: Span | undefined;
      /** The link's title (`[a](b.md "title")`), which may mark it as unchecked on purpose. */
      title?: string | undefined;
    }
  /** An MDX component used (`<Callout>`), so `check` can name unknown ones before a build. */
  | { kind: 'component'; name: string; line: number };

/** What the content model reads from a body's parse: references, hazards, comments, first paragraph. */
export interface Outline {
  refs: Ref[];
  /** What the build would refuse to ship, or quietly leave out, in document order. */
  hazards: Hazard[];
  /** Where each HTML comment is written (`<!-- … -->`), so copies of the source can leave it out. */
  comments: Span[];
  /** Plain text of the first prose paragraph, whitespace collapsed; `''` when there is none. */
  firstParagraph: string;
}

/** An HTML comment, or an unclosed one running to the end (as CommonMark reads `<!--` without `-->`). */
const COMMENT = /<!--(?:-?>|[\s\S]*?(?:-->|$))/g;
const HTML_REF = /<(a|img)\b[^>]*?\s(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;
const JSX_URL = /\s(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
/**
 * Top-level paragraphs that are not prose: a bare `#tag`, a table-looking line, inline HTML or an
 * image first, a directive, `import`/`export` in plain Markdown, a footnote reference. The rules
 * `description` has always followed, now applied to the parsed paragraph instead of a text block.
 */
const NOT_PROSE = /^\s*(#|>|[-*+] |\d+[.)] |\||<|!\[|```|~~~|import |export |:::|\[\^)/;

/**
 * Every link and image URL in a parsed body (inline, reference definitions, raw HTML `<a href>` /
 * `<img src>`, JSX `href`/`src`), every MDX component, every hazard (`hazards.ts`), every comment,
 * and the first paragraph's text: one walk over the one parse. `source` is the text the tree was
 * parsed from; positions index into it.
 */
export function outline(tree: Root, source: string): Outline {
  const found: Outline = { refs: [], hazards: [], comments: [], firstParagraph: '' };
  walk(tree, (node) => collect(node, source, found));
  found.firstParagraph = detach(firstParagraph(tree, source));
  return found;
}

function collect(node: Nodes, source: string, { refs, hazards, comments }: Outline): void {
  const line = node.position?.start.line ?? 1;
  switch (node.type) {
    case 'link':
    case 'definition': {
      refs.push({
        kind: 'link',
        url: detach(node.url),
        line,
        span: destination(node, source),
        title: node.title == null ? undefined : detach(node.title),
      });
      const problem = schemeProblem(node.url, 'link');
      if (problem) hazards.push({ kind: 'error', line, message: problem });
      break;
    }
    case 'image': {
      refs.push({ kind: 'image', url: detach(node.url), line, span: destination(node, source) });
      const problem = schemeProblem(node.url, 'image');
      if (problem) hazards.push({ kind: 'error', line, message: problem });
      break;
    }
    case 'html': {
      // Commented-out HTML is no link and no hazard: blanked, so offsets stay where they were.
      const value = node.value.replace(COMMENT, (comment) => comment.replace(/[^\n]/g, ' '));
      htmlHazards(value, line, hazards);
      comments.push(...commentSpans(node, source));
      // The value drops container prefixes (`> `); spans are only exact when it is the source itself.
      const start = node.position?.start.offset;
      const exact = start !== undefined && source.startsWith(node.value, start);
      for (const match of value.matchAll(HTML_REF)) {
        const url = detach(match[3] ?? match[4] ?? '');
        const at = match.index + match[0].length - url.length - 1;
        refs.push({
          kind: match[1]?.toLowerCase() === 'img' ? 'image' : 'link',
          url,
          line: line + countLines(value, 0, match.index),
          span: exact ? { start: start + at, end: start + at + url.length } : undefined,
        });
      }
      break;
    }
    case 'mdxJsxFlowElement':
    case 'mdxJsxTextElement': {
      if (node.name && /^[A-Z]/.test(node.name))
        refs.push({ kind: 'component', name: detach(node.name), line });
      jsxHazards(node, openingTag(node, source), line, hazards);
      const spans = jsxAttributeSpans(node, source);
      for (const attribute of node.attributes) {
        if (attribute.type !== 'mdxJsxAttribute' || typeof attribute.value !== 'string') continue;
        const url = detach(attribute.value);
        const span = spans.get(attribute.name);
        const at = span && source.slice(span.start, span.end) === url ? span : undefined;
        if (attribute.name === 'src' && (node.name === 'img' || node.name === 'Image'))
          refs.push({ kind: 'image', url, line, span: at });
        if (attribute.name === 'href') refs.push({ kind: 'link', url, line, span: at });
      }
      break;
    }
  }
}

/**
 * The span of a link's, image's or definition's destination as written: after `](` for inline
 * ones, after `]:` for definitions. Found by reading the CommonMark destination syntax from the
 * node's own source range, and kept only when it reads back as the parsed URL.
 */
function destination(node: Nodes & { url: string }, source: string): Span | undefined {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined) return undefined;
  let i: number;
  if (node.type === 'definition') {
    i = labelEnd(source, start, end);
    if (source[i] !== ']' || source[i + 1] !== ':') return undefined;
    i += 2;
  } else if (node.type === 'image') {
    i = labelEnd(source, start + 1, end);
    if (source[i] !== ']' || source[i + 1] !== '(') return undefined;
    i += 2;
  } else {
    // A link's text ends where its last child does (it may hold code or HTML with brackets in it).
    const last = 'children' in node ? node.children.at(-1) : undefined;
    i = last ? (last.position?.end.offset ?? end) : start + 1;
    if (source[i] !== ']' || source[i + 1] !== '(') return undefined;
    i += 2;
  }
  i = skipSpace(source, i, end);
  const span = source[i] === '<' ? angleDestination(source, i, end) : rawDestination(source, i, end);
  if (!span) return undefined;
  const written = source.slice(span.start, span.end);
  // Escapes and entities make the written form differ from the URL; trust the syntax there.
  return written === node.url || /[\\&]/.test(written) ? span : undefined;
}

/** The `]` closing the label whose `[` is at `from`; brackets inside must balance. */
function labelEnd(source: string, from: number, end: number): number {
  let depth = 0;
  for (let i = from + 1; i < end; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') depth++;
    else if (c === ']' && depth-- === 0) return i;
  }
  return end;
}

/** Spaces, tabs and at most one line ending, as CommonMark allows around a destination. */
function skipSpace(source: string, i: number, end: number): number {
  let newline = false;
  while (i < end) {
    const c = source[i];
    if (c === ' ' || c === '\t') i++;
    else if ((c === '\n' || c === '\r') && !newline) {
      newline = true;
      i += c === '\r' && source[i + 1] === '\n' ? 2 : 1;
    } else break;
  }
  return i;
}

/** `<…>`: everything up to the first unescaped `>`, without the brackets. */
function angleDestination(source: string, i: number, end: number): Span | undefined {
  for (let j = i + 1; j < end; j++) {
    if (source[j] === '\\') j++;
    else if (source[j] === '>') return { start: i + 1, end: j };
    else if (source[j] === '<' || source[j] === '\n') return undefined;
  }
  return undefined;
}

/** A bare destination: up to whitespace or the `)` that balances, escapes skipped. */
function rawDestination(source: string, i: number, end: number): Span | undefined {
  let depth = 0;
  let j = i;
  for (; j < end; j++) {
    const c = source[j]!;
    if (c === '\\') j++;
    else if (c === '(') depth++;
    else if (c === ')' && depth-- === 0) break;
    else if (c <= ' ') break;
  }
  return j > i ? { start: i, end: Math.min(j, end) } : undefined;
}

/** A JSX element's opening tag as written (up to its first child), `''` without positions. */
function openingTag(node: Nodes, source: string): string {
  const start = node.position?.start.offset;
  if (start === undefined) return '';
  const children = 'children' in node ? node.children : [];
  return source.slice(start, children[0]?.position?.start.offset ?? node.position?.end.offset ?? start);
}

/**
 * Where each comment in an `html` node is written. Read from the node's own source range, since
 * its value drops container prefixes (`> `); a comment spanning quoted lines goes with them.
 */
function commentSpans(node: Nodes, source: string): Span[] {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined) return [];
  const spans: Span[] = [];
  for (const match of source.slice(start, end).matchAll(COMMENT))
    spans.push({ start: start + match.index, end: start + match.index + match[0].length });
  return spans;
}

/**
 * Where each string attribute's value is written in a JSX element's opening tag. The parser
 * gives attributes no positions, so the tag's source is read; a name written twice keeps the last.
 */
function jsxAttributeSpans(node: Nodes, source: string): Map<string, Span> {
  const spans = new Map<string, Span>();
  const start = node.position?.start.offset;
  if (start === undefined) return spans;
  const tag = openingTag(node, source);
  for (const match of tag.matchAll(JSX_URL)) {
    const value = match[2] ?? match[3] ?? '';
    const at = start + match.index + match[0].length - value.length - 1;
    spans.set(match[1]!, { start: at, end: at + value.length });
  }
  return spans;
}

/** The first top-level paragraph that reads as prose, as plain text (images by their alt text). */
function firstParagraph(tree: Root, source: string): string {
  for (const node of tree.children) {
    if (node.type !== 'paragraph') continue;
    const start = node.position?.start.offset;
    if (start !== undefined && NOT_PROSE.test(source.slice(start, start + 20))) continue;
    return toText(node).replace(/\s+/g, ' ').trim();
  }
  return '';
}

/**
 * Like `mdast-util-to-string`: values and image alt text. Raw HTML tags and comments are left out
 * (the text between tags is its own node and stays): a description is read as plain text, in
 * search results and link previews, where `<span …>` or a writer's note has no place.
 */
function toText(node: Nodes): string {
  if (node.type === 'html') return '';
  if ('value' in node) return node.value;
  if ('alt' in node && node.alt) return node.alt;
  if ('children' in node) return node.children.map(toText).join('');
  return '';
}

function countLines(text: string, from: number, to: number): number {
  let lines = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

/** Depth-first walk; a plain loop, because unist-util-visit's generality costs more than the parse here. */
function walk(node: Nodes, visitor: (node: Nodes) => void): void {
  visitor(node);
  if ('children' in node) for (const child of node.children) walk(child, visitor);
}
