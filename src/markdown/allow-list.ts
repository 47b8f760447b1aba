import { defaultSchema, type Schema } from 'hast-util-sanitize';

type Definition = NonNullable<Schema['attributes']>[string][number];

/** A table cell's alignment as GFM writes it (`| ---: |` → `style="text-align: right"`). */
const TEXT_ALIGN = /^text-align: ?(left|right|center)$/;

const nameOf = (definition: Definition): string =>
  typeof definition === 'string' ? definition : definition[0];

/**
 * The HTML an article may contain: GitHub's allow-list (hast-util-sanitize's `defaultSchema`,
 * which also covers what GFM itself emits: footnotes, task-list checkboxes, `language-*` code
 * classes), with these differences, each for a reason:
 *
 * - `class` on any element: brands style their articles with a custom CSS file, and classes are
 *   how a writer reaches it. Classes run nothing.
 * - `style="text-align: …"` on table cells only: GFM writes column alignment that way.
 * - `<iframe>`, with the attributes a video player needs; whether its host may be framed is
 *   decided before this list applies (see `sanitize.ts`), since a schema cannot look at hosts.
 * - `tel:` links, which help centers use for phone support.
 * - `data:` image sources; `sanitize.ts` keeps only `data:image/…` ones.
 * - ids and names stay as written (no `user-content-` prefix): writers link to their own
 *   anchors (`#fees`) with no script to rewrite them, and GFM footnote ids already carry the
 *   prefix. Images and frames keep neither (see `sanitize.ts`), so nothing clobbers `document`.
 * - The contents of `<style>`, `<noscript>`, `<textarea>`, `<svg>` and the like are dropped with
 *   the element, rather than shown as stray text.
 *
 * Signpost's own markup (callouts, tabs, steps, videos, heading anchors, highlighted code) is
 * added after this list has applied, so it needs no place in it.
 */
export const SCHEMA: Schema = {
  ...defaultSchema,
  attributes: {
    ...Object.fromEntries(
      Object.entries(defaultSchema.attributes ?? {}).map(([tag, list]) => [
        tag,
        tag === '*' ? [...list, 'className'] : list.filter((d) => nameOf(d) !== 'className'),
      ]),
    ),
    iframe: [
      'src',
      'title',
      'width',
      'height',
      'allow',
      'allowFullScreen',
      'loading',
      'referrerPolicy',
      'frameBorder',
      'sandbox',
    ],
    td: [['style', TEXT_ALIGN]],
    th: [['style', TEXT_ALIGN]],
  },
  clobber: [],
  protocols: {
    ...defaultSchema.protocols,
    href: [...(defaultSchema.protocols?.['href'] ?? []), 'tel'],
    src: [...(defaultSchema.protocols?.['src'] ?? []), 'data'],
  },
  tagNames: [...(defaultSchema.tagNames ?? []), 'iframe'],
  strip: [
    'script',
    'style',
    'template',
    'noscript',
    'noembed',
    'noframes',
    'xmp',
    'textarea',
    'select',
    'title',
    'iframe',
    'object',
    'embed',
    'applet',
    'svg',
    'math',
  ],
};

/** Every property name the allow-list knows, by its lower-case spelling (`colspan` → `colSpan`). */
const KNOWN = new Map(
  [
    ...Object.values(SCHEMA.attributes ?? {})
      .flat()
      .map(nameOf),
    'htmlFor',
  ].map((name) => [name.toLowerCase(), name]),
);

/**
 * The hast property name for an attribute written in JSX or HTML (`class` → `className`,
 * `data-sp-search` → `dataSpSearch`, `colspan` → `colSpan`), so HTML written as JSX meets the
 * same allow-list as raw HTML. Names the list does not know are returned as written.
 */
export function propertyName(attribute: string): string {
  if (attribute === 'class') return 'className';
  if (attribute === 'for') return 'htmlFor';
  if (/^(data|aria)-/i.test(attribute))
    return attribute.toLowerCase().replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return KNOWN.get(attribute.toLowerCase()) ?? attribute;
}

/** The attribute as a writer types it, for messages (`dataSpSearch` → `data-sp-search`, `onError` → `onerror`). */
export function attributeName(property: string): string {
  if (property === 'className') return 'class';
  if (property === 'htmlFor') return 'for';
  if (property === 'xLinkHref') return 'xlink:href';
  if (/^(data|aria)[A-Z0-9]/.test(property))
    return property.replace(/[A-Z0-9]/g, (c) => `-${c.toLowerCase()}`);
  return property.toLowerCase();
}
