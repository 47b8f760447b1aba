import { markdownToMdast, mdxToMdast, type MdastNode } from 'satteri';

/** A link or image target found in an article's Markdown, with its line in the body. */
export type Ref =
  | {
      kind: 'link' | 'image';
      url: string;
      /** 1-based line within the parsed text. */
      line: number;
    }
  /** An MDX component used (`<Callout>`), so `check` can name unknown ones before a build. */
  | { kind: 'component'; name: string; line: number };

// Sätteri is Astro 7's own Markdown parser (native): the same mdast as remark, 20× faster, so
// `check` reads what the build renders and stays quick on large help centers.
const FEATURES = { frontmatter: false, rawHtml: true } as const;

const HTML_REF = /<(a|img)\b[^>]*?\s(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;

/**
 * Every link and image URL in a Markdown (or MDX) body: inline, reference-style, raw HTML
 * `<a href>` / `<img src>` and MDX `<img src>` elements. Throws on MDX syntax errors, with the
 * line in `error.line`.
 */
export function findRefs(markdown: string, format: 'md' | 'mdx'): Ref[] {
  // Most of a large corpus links nowhere; skip the parse when nothing could be a link or image.
  // MDX files are always parsed, so their syntax errors are reported.
  if (format === 'md' && !/\]\(|\]:|\]\[|<(a|img)\b/i.test(markdown)) return [];
  let tree: MdastNode;
  try {
    tree = format === 'mdx' ? mdxToMdast(markdown, { features: FEATURES }) : markdownToMdast(markdown, { features: FEATURES });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const [, line, reason] = /^(\d+):\d+: (.*?)(?: \(\d+:\d+\))?(?: \([\w:-]+\))?$/.exec(message) ?? [];
    throw Object.assign(new Error(reason ?? message), { line: line ? Number(line) : undefined, reason: reason ?? message });
  }
  const refs: Ref[] = [];
  walk(tree, (node) => {
    const line = node.position?.start.line ?? 1;
    switch (node.type) {
      case 'link':
      case 'definition':
        refs.push({ kind: 'link', url: (node as { url: string }).url, line });
        break;
      case 'image':
        refs.push({ kind: 'image', url: (node as { url: string }).url, line });
        break;
      case 'html': {
        const value = (node as { value: string }).value;
        for (const match of value.matchAll(HTML_REF)) {
          const before = value.slice(0, match.index);
          refs.push({
            kind: match[1]?.toLowerCase() === 'img' ? 'image' : 'link',
            url: match[3] ?? match[4] ?? '',
            line: line + (before.match(/\n/g)?.length ?? 0),
          });
        }
        break;
      }
      case 'mdxJsxFlowElement':
      case 'mdxJsxTextElement': {
        const element = node as { name: string | null; attributes: { type: string; name?: string; value?: unknown }[] };
        if (element.name && /^[A-Z]/.test(element.name)) refs.push({ kind: 'component', name: element.name, line });
        for (const attribute of element.attributes) {
          if (attribute.type !== 'mdxJsxAttribute' || typeof attribute.value !== 'string') continue;
          if (attribute.name === 'src' && (element.name === 'img' || element.name === 'Image'))
            refs.push({ kind: 'image', url: attribute.value, line });
          if (attribute.name === 'href') refs.push({ kind: 'link', url: attribute.value, line });
        }
        break;
      }
    }
  });
  return refs;
}

/** Depth-first walk; a plain loop, because unist-util-visit's generality costs more than the parse here. */
function walk(node: MdastNode, visitor: (node: MdastNode) => void): void {
  visitor(node);
  const children = (node as { children?: MdastNode[] }).children;
  if (children) for (const child of children) walk(child, visitor);
}

/** True for URLs that leave the site or stay on the page: `https:`, `mailto:`, `//cdn`, `#top`, `/abs`. */
export function isExternal(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//') || url.startsWith('#') || url.startsWith('/') || url === '';
}
