import type { Element, ElementContent, Properties } from 'hast';
import { htmlToHast } from 'satteri';
import { attributeName, propertyName, SCHEMA } from './allow-list.ts';
import { droppedParts } from './sanitize.ts';
import { embedHost, unsafeScheme } from './urls.ts';

/**
 * Something in an article body that the build would refuse to ship (an error for `check`), or
 * that the allow-list quietly leaves out (a warning), at a 1-based body line. Iframes are judged
 * later, against the hosts `workspace.yaml` adds (see {@link iframeProblem}).
 */
export type Hazard =
  | { kind: 'error'; line: number; message: string }
  | { kind: 'warning'; line: number; message: string }
  | { kind: 'iframe'; line: number; src: string | undefined };

const RUNS_SCRIPT = "it would run script on the help center's domain";
const FORM_CONTROL = "form controls could collect visitors' input on the help center's domain";
const PLUGIN = "it would load a plugin or another page into the help center's domain";
const READ_DIFFERENTLY = 'browsers read its content differently from Signpost, which can hide script';

/** Elements that are errors, with why and what to write instead. */
const FORBIDDEN: Record<string, string> = {
  script: "it would run on the help center's domain; remove it (embed videos with <Video>)",
  style: "it would restyle the whole help center; remove it (a brand's custom CSS file styles articles)",
  link: 'it would load styles or script into the page; remove it (for a link, write [text](https://…))',
  base: 'it would send every link on the page elsewhere; remove it',
  meta: 'it could redirect or reconfigure the page; remove it (front matter sets the description)',
  form: "it could send visitors' input anywhere; link to the form instead",
  input: `${FORM_CONTROL}; for a checklist write "- [ ] step"`,
  button: `${FORM_CONTROL}; link to the page instead`,
  select: `${FORM_CONTROL}; link to the page instead`,
  textarea: `${FORM_CONTROL}; show the text in a code block instead`,
  object: `${PLUGIN}; link to the file instead (embed videos with <Video>)`,
  embed: `${PLUGIN}; link to the file instead (embed videos with <Video>)`,
  applet: `${PLUGIN}; remove it`,
  frame: `${PLUGIN}; link to the page instead`,
  frameset: `${PLUGIN}; link to the page instead`,
  noscript: `${READ_DIFFERENTLY}; remove it`,
  noembed: `${READ_DIFFERENTLY}; remove it`,
  noframes: `${READ_DIFFERENTLY}; remove it`,
  xmp: `${READ_DIFFERENTLY}; write a code block instead`,
};

/** Attributes whose value is an address (as hast names them, lower-cased). */
const URL_PROPERTIES = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'poster',
  'cite',
  'background',
  'xlinkhref',
  'data',
  'codebase',
  'longdesc',
  'ping',
  'manifest',
  'lowsrc',
  'dynsrc',
]);

/**
 * The message for a link or image address that would run script or carry a page of its own
 * (`javascript:`, `vbscript:`, a `data:` link), or undefined for a safe one. `attribute` names
 * the HTML attribute it was written in, if any.
 */
export function schemeProblem(url: string, use: 'link' | 'image', attribute?: string): string | undefined {
  const scheme = unsafeScheme(url, use);
  if (scheme === undefined) return undefined;
  const what = attribute ? `address in ${attribute}=` : use;
  const why =
    scheme !== 'data'
      ? RUNS_SCRIPT
      : use === 'image'
        ? 'only data:image/… addresses hold an image'
        : 'it can carry a page with script of its own';
  const instead =
    use === 'image'
      ? 'put the image file next to the article (./screen.png)'
      : 'link to an https:// address or an article (other-article.md)';
  return `${scheme}: ${what} is not allowed in articles: ${why}; ${instead}`;
}

/**
 * The message for an `<iframe>` whose address is not on an allowed video host, or undefined
 * when it may be framed. `extraHosts` are the ones `embeds.hosts` in `workspace.yaml` adds.
 */
export function iframeProblem(src: string | undefined, extraHosts: readonly string[]): string | undefined {
  const { allowed, host } = embedHost(src, extraHosts);
  if (allowed) return undefined;
  const from = host ? `from ${host}` : 'without an https:// address';
  return (
    `<iframe> ${from} is not allowed in articles: only video players may be framed ` +
    `(YouTube, Vimeo, Loom, Wistia); link to it instead, or add the host to embeds.hosts in ` +
    `workspace.yaml if you trust it`
  );
}

/**
 * Hazards in raw HTML written in Markdown (an mdast `html` node's `value`, starting at body line
 * `line`). The HTML gets a parse of its own, as a browser would read it; lines are found by
 * reading the source for each element and attribute in turn.
 */
export function htmlHazards(value: string, line: number, out: Hazard[]): void {
  // A comment hides nothing and is dropped; most `html` nodes in prose are one tag or a comment.
  if (!/<[a-z]/i.test(value.replace(/<!--[\s\S]*?(-->|$)/g, ''))) return;
  const locate = locator(value, line);
  const walk = (nodes: ElementContent[]): void => {
    for (const node of nodes) {
      if (node.type !== 'element') continue;
      const at = locate.element(node.tagName);
      elementHazards(node, at, (attribute) => locate.attribute(at, attribute), out);
      // Removing a forbidden element removes what it holds: one message says it all.
      if (FORBIDDEN[node.tagName] === undefined) walk(node.children);
    }
  };
  const root = htmlToHast(value, { fragment: true });
  if ('children' in root) walk(root.children as ElementContent[]);
}

/** A JSX element as the Markdown parse gives it: a name and attributes, `{…}` values unevaluated. */
export interface JsxNode {
  name: string | null;
  attributes: ({ type: 'mdxJsxAttribute'; name: string; value?: unknown } | { type: string })[];
}

/**
 * Hazards of a JSX element in an `.mdx` body, whose opening tag is `tag` (its source) at body
 * line `line`. A lowercase name is HTML, judged as raw HTML is; a component's addresses (`<Video
 * src>`) are checked for schemes that run script.
 */
export function jsxHazards(node: JsxNode, tag: string, line: number, out: Hazard[]): void {
  if (!node.name) return;
  const locate = locator(tag, line);
  const at = locate.element(node.name);
  const lineOf = (attribute: string) => locate.attribute(at, attribute);
  const attributes = node.attributes.flatMap((a) =>
    a.type === 'mdxJsxAttribute' && 'name' in a ? [{ name: a.name, value: a.value }] : [],
  );
  if (/^[A-Z]/.test(node.name)) {
    for (const { name, value } of attributes) {
      const problem =
        (name === 'src' || name === 'href') && typeof value === 'string'
          ? schemeProblem(value, 'link', name)
          : undefined;
      if (problem) out.push({ kind: 'error', line: lineOf(name), message: problem });
    }
    return;
  }
  const properties: Properties = {};
  for (const { name, value } of attributes) {
    const property = propertyName(name);
    // `{expressions}` are never evaluated; they are kept here so an `onClick={…}` is still named.
    properties[property] =
      typeof value === 'string'
        ? property === 'className'
          ? value.split(/\s+/).filter(Boolean)
          : value
        : value === null || value === undefined
          ? true
          : '';
  }
  elementHazards({ type: 'element', tagName: node.name, properties, children: [] }, at, lineOf, out);
}

/**
 * Hazards of one element written in an article (raw HTML, or HTML written as JSX with hast
 * property names): forbidden elements and attributes are errors; what the allow-list would
 * quietly leave out is a warning. `lineOf` finds the line of an attribute as written.
 */
export function elementHazards(
  element: Element,
  at: { line: number },
  lineOf: (attribute: string) => number,
  out: Hazard[],
): void {
  const tag = element.tagName;
  const forbidden = FORBIDDEN[tag];
  if (forbidden !== undefined) {
    out.push({ kind: 'error', line: at.line, message: `<${tag}> is not allowed in articles: ${forbidden}` });
    return;
  }
  const errors = new Set<string>();
  for (const [property, value] of Object.entries(element.properties)) {
    const attribute = attributeName(property);
    const message = attributeProblem(tag, attribute, property, value);
    if (message === undefined) continue;
    errors.add(property);
    out.push({ kind: 'error', line: lineOf(attribute), message });
  }
  if (tag === 'iframe') {
    const src = element.properties['src'];
    out.push({ kind: 'iframe', line: at.line, src: typeof src === 'string' ? src : undefined });
  }
  const dropped = droppedParts(element);
  if (dropped.element) {
    const content = SCHEMA.strip?.includes(tag) ? 'with its content' : 'its content kept';
    out.push({
      kind: 'warning',
      line: at.line,
      message: `<${tag}> is left out (${content}): it is not among the HTML elements articles keep; to show the tag as text, write it in backticks`,
    });
    return;
  }
  for (const property of dropped.properties) {
    if (errors.has(property)) continue;
    const attribute = attributeName(property);
    out.push({
      kind: 'warning',
      line: lineOf(attribute),
      message: `${attribute}= on <${tag}> is left out: it is not among the attributes articles keep`,
    });
  }
}

function attributeProblem(
  tag: string,
  attribute: string,
  property: string,
  value: Properties[string],
): string | undefined {
  if (attribute.startsWith('on') && attribute !== 'open')
    return `${attribute}= is not allowed in articles: event handlers run script on the help center's domain; remove it`;
  if (attribute === 'srcdoc')
    return `srcdoc= is not allowed in articles: ${RUNS_SCRIPT}; frame a video player with src= instead`;
  const steering = /^data-(sp|pagefind)(-|$)/.exec(attribute)?.[1];
  if (steering) {
    const steers = steering === 'sp' ? "Signpost's own scripts" : 'the search index';
    return `${attribute}= is not allowed in articles: data-${steering}-* attributes steer ${steers}; remove it`;
  }
  if (typeof value === 'string' && URL_PROPERTIES.has(property.toLowerCase()))
    return schemeProblem(value, tag === 'img' && property === 'src' ? 'image' : 'link', attribute);
  return undefined;
}

/**
 * Finds the lines of elements and attributes in an HTML source, in document order: each element
 * is looked for after the previous one. An element the parser made up (`<tbody>` in a table
 * written without one) is not in the source, and keeps the line of the one before.
 */
function locator(source: string, line: number) {
  let cursor = 0;
  let last = { offset: 0, line };
  const lineAt = (offset: number): number => {
    let n = line;
    for (let i = source.indexOf('\n'); i !== -1 && i < offset; i = source.indexOf('\n', i + 1)) n++;
    return n;
  };
  return {
    element(tag: string): { offset: number; line: number } {
      const pattern = new RegExp(`<${tag.replace(/[^\w-]/g, '')}(?=[\\s/>]|$)`, 'gi');
      pattern.lastIndex = cursor;
      const match = pattern.exec(source);
      if (match === null) return last;
      cursor = match.index + 1;
      last = { offset: match.index, line: lineAt(match.index) };
      return last;
    },
    attribute(at: { offset: number; line: number }, attribute: string): number {
      const name = attribute.replace(/[^\w:-]/g, '');
      const pattern = new RegExp(`[\\s/"']${name}(?=[\\s=/>]|$)`, 'gi');
      pattern.lastIndex = at.offset;
      const match = pattern.exec(source);
      return match === null || match.index > tagEnd(source, at.offset) ? at.line : lineAt(match.index + 1);
    },
  };
}

/** Where the tag opened at `offset` ends: its first `>` outside a quoted value. */
function tagEnd(source: string, offset: number): number {
  let quote = '';
  for (let i = offset; i < source.length; i++) {
    const c = source[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i;
  }
  return source.length;
}
