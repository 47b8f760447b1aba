import type { PageData, SiteData } from '../routing/types.ts';

/**
 * The one crossing between the CLI and the pages Astro renders. Astro loads `astro.config.mjs`
 * and renders the pages through its own bundles of our modules, so module variables are not
 * shared with the CLI that computed the site; one `globalThis` slot, written here by the CLI and
 * read here by the integration and the pages, is the only place all of them see. Nothing else
 * travels through globals or environment variables.
 */
export interface Handoff {
  /** Absolute path of the content folder (the dev server watches it and may read from it). */
  content: string;
  /** The computed site. Dev recomputes it after a content change, so ask each time. */
  site(): Promise<SiteData>;
  /** Dev: forget the computed site; the next `site()` recomputes it from the changed content. */
  invalidate(): void;
  /**
   * Filled while pages render, by brand: the files in Astro's assets folder that its public and
   * its private pages use (optimised article images), so each deploy root gets only its own.
   */
  usedAssets: Map<string, { public: Set<string>; private: Set<string> }>;
  /** Filled while pages render, by brand: the text of every inline script its pages run (for the gate's CSP hashes). */
  inlineScripts: Map<string, Set<string>>;
  /**
   * Filled while pages render, by output file (`treeFile`): the assets and inline scripts of each
   * page, which the page cache keeps for the pages a later build copies instead of rendering.
   */
  rendered: Map<string, { assets: Set<string>; scripts: Set<string> }>;
  /**
   * Build: the pages rendered once for brands that differ only in words (`shared-renders.ts`).
   * `treeOf` names the brand whose tree such a page is rendered into; the `finisher` of its route
   * takes the HTML rendered there and has every brand's file written (Astro writes none).
   */
  shared?:
    | {
        treeOf(page: PageData): string | undefined;
        finisher(route: string): ((html: Uint8Array) => Promise<void>) | undefined;
      }
    | undefined;
  /**
   * Build: who writes the page rendered at a route (its pathname) instead of Astro, which then
   * writes nothing for it: a shared render's finisher, or the writer thread, given the page's
   * UTF-8 bytes as Astro rendered them. Undefined: Astro.
   */
  writePage?: ((route: string) => ((html: Uint8Array) => Promise<void>) | undefined) | undefined;
}

/**
 * Notes what a page of `brand` uses, as its render does (`Route.astro`): files of Astro's assets
 * folder, for its public or private tree (`privateTree`), and inline scripts, for the gate's CSP.
 * For a page this build did not render: one copied from the previous build (`page-cache.ts`), or
 * one written from a render that brands share (`shared-renders.ts`).
 */
export function notePageUses(
  handoff: Handoff,
  brand: string,
  privateTree: boolean,
  assets: Iterable<string>,
  scripts: Iterable<string>,
): void {
  let used = handoff.usedAssets.get(brand);
  if (!used) handoff.usedAssets.set(brand, (used = { public: new Set(), private: new Set() }));
  for (const name of assets) used[privateTree ? 'private' : 'public'].add(name);
  let inline = handoff.inlineScripts.get(brand);
  if (!inline) handoff.inlineScripts.set(brand, (inline = new Set()));
  for (const script of scripts) inline.add(script);
}

const KEY = Symbol.for('signpost.handoff');
type Holder = { [KEY]?: Handoff };

/** The CLI: hands the site over before it starts Astro. */
export function provideHandoff(handoff: Handoff): void {
  (globalThis as Holder)[KEY] = handoff;
}

/** The integration and the pages: what the CLI handed over. */
export function receiveHandoff(): Handoff {
  const handoff = (globalThis as Holder)[KEY];
  if (!handoff)
    throw new Error('no site to render: pages are built through `signpost build` or `signpost dev`');
  return handoff;
}

/** `astro check` and other tools load the config without the CLI: the integration then stays idle. */
export function hasHandoff(): boolean {
  return (globalThis as Holder)[KEY] !== undefined;
}
