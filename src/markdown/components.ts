import type { Element, ElementContent, Properties } from 'hast';
import type { MdxJsxFlowElementHast, MdxJsxTextElementHast } from 'satteri';
import { CALLOUT_TYPES, callout, isCalloutType } from './callouts.ts';
import type { CalloutType } from './callouts.ts';
import { MarkdownError } from './errors.ts';
import { addClass, asBlocks, classList, h, isElement, isWhitespace } from './hast.ts';
import { propertyName } from './allow-list.ts';
import { unsafeScheme } from './urls.ts';

/** The components an `.mdx` article may use, without importing them. */
export const MDX_COMPONENTS = ['Callout', 'Steps', 'Tabs', 'Tab', 'Video'] as const;

export type MdxElement = MdxJsxFlowElementHast | MdxJsxTextElementHast;

/** The message for a component that does not exist, or undefined for a built-in one. */
export function unknownComponent(name: string): string | undefined {
  if ((MDX_COMPONENTS as readonly string[]).includes(name)) return undefined;
  return `unknown component <${name}>; use ${MDX_COMPONENTS.slice(0, -1).join(', ')} or ${MDX_COMPONENTS.at(-1)}`;
}

/** What components need from the document being rendered. */
export interface ComponentContext {
  /** Localized callout titles. */
  calloutTitle(type: CalloutType): string;
  /** The body line where `needle` first appears, for error messages. */
  lineOf(needle: string): number | undefined;
  /** A number unique within the document (names each tab group). */
  nextId(): number;
}

/**
 * Renders one MDX element, whose children are already rendered, to plain HTML at build time: no
 * component code runs and no JavaScript reaches the page; `<>…</>` is a fragment. Throws a
 * {@link MarkdownError} for anything a writer must fix.
 */
export function renderComponent(node: MdxElement, context: ComponentContext): ElementContent[] {
  const { name } = node;
  if (name === null) return node.children;
  const attributes = stringAttributes(node);
  const fail = (message: string, needle = `<${name}`): never => {
    throw new MarkdownError(message, context.lineOf(needle));
  };

  switch (name) {
    case 'Callout': {
      const type = attributes.get('type') ?? 'note';
      if (!isCalloutType(type)) {
        return fail(`Callout type "${type}" is not one of ${CALLOUT_TYPES.join(', ')}`, `"${type}"`);
      }
      return [callout(type, attributes.get('title') ?? context.calloutTitle(type), asBlocks(node.children))];
    }
    case 'Steps': {
      const lists = node.children.filter((child) => isElement(child, 'ol'));
      if (lists.length === 0) return fail('Steps must wrap a numbered list (1. …, 2. …)');
      for (const list of lists) addClass(list, 'steps-list');
      return [h('div', { className: ['steps'] }, node.children)];
    }
    case 'Tabs': {
      const tabs = node.children.filter((child) => !isWhitespace(child));
      if (tabs.some((tab) => !isElement(tab, 'details') || !classList(tab).includes('tab'))) {
        return fail('Tabs may only contain Tab elements: <Tab label="…">…</Tab>');
      }
      // Sharing a `name` makes the group exclusive (opening one closes the others) without JS.
      const group = `tabs-${context.nextId()}`;
      tabs.forEach((tab, index) => {
        const properties = (tab as Element).properties;
        properties['name'] = group;
        if (index === 0) properties['open'] = true;
      });
      return [h('div', { className: ['tabs'] }, node.children)];
    }
    case 'Tab': {
      const label = attributes.get('label');
      if (!label) return fail('Tab needs a label: <Tab label="macOS">…</Tab>');
      return [
        h('details', { className: ['tab'] }, [
          h('summary', {}, [{ type: 'text', value: label }]),
          ...asBlocks(node.children),
        ]),
      ];
    }
    case 'Video': {
      const src = attributes.get('src');
      const title = attributes.get('title');
      if (!src) return fail('Video needs a src: <Video src="https://youtu.be/…" title="…" />');
      // `check` reports it; a build that skipped check leaves the video out rather than ship it.
      if (unsafeScheme(src, 'link')) return [];
      if (!title)
        return fail('Video needs a title, which names it for screen readers: <Video src="…" title="…" />');
      return [video(src, title, node.type === 'mdxJsxTextElement')];
    }
    default:
      return fail(unknownComponent(name) ?? `unknown component <${name}>`);
  }
}

/** Attributes written as strings (`type="tip"`, or a bare `open` as ""); `{expressions}` are ignored. */
function stringAttributes(node: MdxElement): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const attribute of node.attributes) {
    if (attribute.type !== 'mdxJsxAttribute') continue;
    const { value } = attribute;
    if (typeof value === 'string') attributes.set(attribute.name, value);
    else if (value === null || value === undefined) attributes.set(attribute.name, '');
  }
  return attributes;
}

/**
 * An HTML element written as JSX (a lowercase name such as `<kbd>`) as a plain hast element, or
 * undefined for a component. Attributes get hast's property names (`class` and `className` both
 * work, `data-x` is `dataX`), so the allow-list judges JSX exactly as it judges raw HTML.
 */
export function htmlElement(node: MdxElement): Element | undefined {
  if (node.name === null || !/^[a-z]/.test(node.name)) return undefined;
  const properties: Properties = {};
  for (const [name, value] of stringAttributes(node)) {
    const property = propertyName(name);
    if (property === 'className') properties[property] = value.split(/\s+/).filter(Boolean);
    else properties[property] = value === '' ? true : value;
  }
  return h(node.name, properties, node.children);
}

/** The embed address for YouTube and Vimeo links, or undefined for a video file. */
export function embedUrl(src: string): string | undefined {
  let url: URL;
  try {
    url = new URL(src);
  } catch {
    return undefined;
  }
  const host = url.hostname.replace(/^(www|m)\./, '');
  const segments = url.pathname.split('/').filter(Boolean);
  const youTube = youTubeId(host, segments, url.searchParams);
  if (youTube !== undefined && /^[\w-]+$/.test(youTube))
    return `https://www.youtube-nocookie.com/embed/${youTube}`;
  const vimeo = host === 'vimeo.com' ? segments[0] : host === 'player.vimeo.com' ? segments[1] : undefined;
  if (vimeo !== undefined && /^\d+$/.test(vimeo)) return `https://player.vimeo.com/video/${vimeo}`;
  return undefined;
}

/** The video id in `youtube.com/watch?v=ID`, `youtu.be/ID`, `/embed/ID`, `/shorts/ID` or `/live/ID`. */
function youTubeId(host: string, segments: string[], query: URLSearchParams): string | undefined {
  if (host === 'youtu.be') return segments[0];
  if (host !== 'youtube.com' && host !== 'youtube-nocookie.com') return undefined;
  if (segments[0] === 'watch') return query.get('v') ?? undefined;
  return ['embed', 'shorts', 'live'].includes(segments[0] ?? '') ? segments[1] : undefined;
}

/** A YouTube/Vimeo iframe in a sizing wrapper, or a native player for a video file. */
function video(src: string, title: string, inline: boolean): Element {
  const embed = embedUrl(src);
  if (embed === undefined) return h('video', { controls: true, preload: 'none', src, title });
  const iframe = h('iframe', {
    src: embed,
    title,
    loading: 'lazy',
    allow: 'accelerometer; encrypted-media; picture-in-picture',
    allowFullScreen: true,
  });
  // Inside a paragraph a `div` would be invalid HTML; a `span` styled as a block is not.
  return h(inline ? 'span' : 'div', { className: ['video'] }, [iframe]);
}
