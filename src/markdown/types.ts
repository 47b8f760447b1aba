/** What the Markdown pipeline is asked for, and what it gives back. */

/** How to render one article body for one page. */
export interface RenderOptions {
  /** Page language (BCP-47), for UI labels. */
  language: string;
  /** UI strings in the page language. */
  labels: {
    /** Callout titles. */
    note: string;
    tip: string;
    important: string;
    warning: string;
    caution: string;
    /** Heading of the footnotes section (read by screen readers). */
    footnotes: string;
    /** Names a heading's self-link, followed by the heading: "Link to this section: Refunds". */
    anchor: string;
    /** Names a scrollable table region. Default: "Table". */
    table?: string;
  };
  /** Maps a link href exactly as written in the Markdown to its site URL, or undefined to leave it. */
  resolveLink(href: string): string | undefined;
  /** Absolute path of a local image given its src as written, or undefined (remote/unknown). */
  resolveImage(src: string): string | undefined;
  /** Hosts an `<iframe>` may show besides the built-in video hosts (`embeds.hosts` in `workspace.yaml`). */
  embedHosts?: readonly string[] | undefined;
}

/** A local image, left for the page to render at build time (responsive sizes, modern formats). */
export interface RenderedImage {
  /** Absolute path of the image file. */
  file: string;
  alt: string;
  title?: string;
}

/** A heading for the table of contents. */
export interface RenderedHeading {
  depth: 2 | 3;
  /** The `id` the heading carries in `html`. */
  id: string;
  text: string;
}

/** One article body as HTML, with what pages, the feed and search need from it. */
export interface RenderedMarkdown {
  /** Body HTML; local image N is the marker `<!--sp-image:N-->`. */
  html: string;
  /** Local images; index N is marker number N. */
  images: RenderedImage[];
  /** Level 2 and 3 headings in document order (a body's `#` headings count as level 2). */
  headings: RenderedHeading[];
  /** Plain text of the body, for search descriptions and the feed. */
  text: string;
}
