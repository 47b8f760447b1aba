import type { Element, ElementContent, Nodes, Properties } from 'hast';

/** Builds a hast element; a tiny stand-in for `hastscript` so we need no extra dependency. */
export function h(tagName: string, properties: Properties = {}, children: ElementContent[] = []): Element {
  return { type: 'element', tagName, properties, children };
}

/** Whether `node` is an element, optionally with the given tag name. */
export function isElement(node: Nodes | undefined, tagName?: string): node is Element {
  return node?.type === 'element' && (tagName === undefined || node.tagName === tagName);
}

/** The element's class names (hast keeps them as `className: string[]`). */
export function classList(element: Element): string[] {
  return tokens(element.properties['className']);
}

/** A space-separated property (`className`, `rel`) as a list, however the parser stored it. */
export function tokens(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  return Array.isArray(value) ? value.map(String) : [];
}

/** Adds a class name, keeping the ones already there. */
export function addClass(element: Element, name: string): void {
  const names = classList(element);
  if (!names.includes(name)) element.properties['className'] = [...names, name];
}

/** A string property, or undefined when absent or not a string. */
export function stringProperty(element: Element, name: string): string | undefined {
  const value = element.properties[name];
  return typeof value === 'string' ? value : undefined;
}

/** Concatenated text of every descendant, like the DOM's `textContent` (whitespace kept as is). */
export function textContent(node: Nodes): string {
  if (node.type === 'text') return node.value;
  if ('children' in node) return node.children.map((child) => textContent(child)).join('');
  return '';
}

/** Whether a node is a text node holding only whitespace (the line breaks between blocks). */
export function isWhitespace(node: Nodes | undefined): boolean {
  return node?.type === 'text' && node.value.trim() === '';
}

/** Elements that start a block; content with none of them is phrasing and belongs in a paragraph. */
const BLOCK_TAGS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'details',
  'div',
  'dl',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'ul',
  'video',
]);

/**
 * Wraps phrasing-only content in a `p`, so `<Callout>One line</Callout>` renders like a
 * multi-line callout; content that already has blocks is returned unchanged.
 */
export function asBlocks(children: ElementContent[]): ElementContent[] {
  const hasBlock = children.some((child) => child.type === 'element' && BLOCK_TAGS.has(child.tagName));
  if (hasBlock || children.every((child) => isWhitespace(child))) return children;
  return [h('p', {}, children)];
}
