import type { Element, ElementContent, Root, RootContent } from 'hast';
import { sanitize, type Schema } from 'hast-util-sanitize';
import { SCHEMA } from './allow-list.ts';
import { htmlElement, type MdxElement } from './components.ts';
import { classList, h, stringProperty } from './hast.ts';
import { embedHost, unsafeScheme } from './urls.ts';

/**
 * Tag name of the stand-in for an MDX component while the tree is sanitized. The space makes it
 * a name that neither HTML nor JSX can spell, so a writer cannot forge one.
 */
const STAND_IN = 'signpost component ';

/** The allow-list without its ancestor rules, for judging one element out of context. */
const ONE_ELEMENT: Schema = { ...SCHEMA, ancestors: {} };

/**
 * A body's parsed tree with everything the allow-list ({@link SCHEMA}) does not allow taken out:
 * the writer's HTML and JSX, before Signpost's own markup is added (so that markup needs no
 * place in the list). MDX components survive as they are, their content sanitized like the rest;
 * iframes survive only from {@link embedHost allowed video hosts} (plus `embedHosts`); comments,
 * imports and expressions go. Returns a new tree.
 */
export function sanitizeBody(tree: Root, embedHosts: readonly string[] = []): Root {
  const components: MdxElement[] = [];
  const prepared: Root = {
    type: 'root',
    children: tree.children.flatMap((node) =>
      prepare(node, { components, hosts: embedHosts, inTask: false }),
    ),
  };
  const schema: Schema = {
    ...SCHEMA,
    tagNames: [...(SCHEMA.tagNames ?? []), ...components.map((_, i) => STAND_IN + i)],
  };
  const clean = sanitize(prepared, schema);
  if (clean.type !== 'root') throw new Error(`sanitizing returned a ${clean.type} instead of a root`);
  clean.children = clean.children.map((node) => restore(node, components) as RootContent);
  return clean;
}

/**
 * What the allow-list takes from one element written in an article, judged on its own: the whole
 * element (its content stays, except for `SCHEMA.strip` elements), or some of its attributes (by
 * property name). `check` turns this into warnings; the renderer applies the same list.
 */
export function droppedParts(element: Element): { element: boolean; properties: string[] } {
  const copy: Element = { ...element, properties: { ...element.properties }, children: [] };
  ownRules(copy);
  const clean = sanitize(copy, ONE_ELEMENT);
  if (clean.type !== 'element') return { element: true, properties: [] };
  const properties = Object.keys(element.properties).filter(
    (name) => JSON.stringify(element.properties[name]) !== JSON.stringify(clean.properties[name]),
  );
  return { element: false, properties };
}

/** What {@link prepare} carries down the tree. */
interface Preparing {
  components: MdxElement[];
  hosts: readonly string[];
  /** Inside a GFM task-list item, whose checkbox is the one `<input>` an article may hold. */
  inTask: boolean;
}

function prepare(node: RootContent, state: Preparing): RootContent[] {
  switch (node.type) {
    case 'mdxJsxFlowElement':
    case 'mdxJsxTextElement': {
      const element = htmlElement(node);
      if (element !== undefined) return prepare(element, state);
      const index = state.components.push(node) - 1;
      const children = node.children.flatMap((child) => prepare(child, state));
      return [h(STAND_IN + index, {}, children as ElementContent[])];
    }
    case 'element': {
      if (node.tagName === 'iframe' && !embedHost(stringProperty(node, 'src'), state.hosts).allowed)
        return [];
      // The schema keeps `<input>` for task lists, and would turn any other into a checkbox.
      if (node.tagName === 'input' && !state.inTask) return [];
      ownRules(node);
      const inner =
        node.tagName === 'li' ? { ...state, inTask: classList(node).includes('task-list-item') } : state;
      node.children = node.children.flatMap((child) => prepare(child, inner) as ElementContent[]);
      return [node];
    }
    default:
      return [node];
  }
}

/** What the schema cannot say, because it lists names and protocols, not values per element. */
function ownRules(element: Element): void {
  const { properties } = element;
  if (element.tagName === 'img' || element.tagName === 'iframe') {
    // `document` exposes images and frames by id and name: <img name="querySelector"> would
    // replace the method Signpost's own scripts call.
    delete properties['id'];
    delete properties['name'];
  }
  const src = stringProperty(element, 'src');
  // The schema allows `data:` sources for images; anything but an image is not one.
  if (src !== undefined && unsafeScheme(src, element.tagName === 'img' ? 'image' : 'link'))
    delete properties['src'];
}

/** Puts each component back where its stand-in is, with its sanitized content. */
function restore(node: ElementContent | RootContent, components: MdxElement[]): ElementContent | RootContent {
  if (node.type !== 'element') return node;
  const children = node.children.map((child) => restore(child, components) as ElementContent);
  if (!node.tagName.startsWith(STAND_IN)) return { ...node, children };
  const component = components[Number(node.tagName.slice(STAND_IN.length))]!;
  return { ...component, children } as MdxElement;
}
