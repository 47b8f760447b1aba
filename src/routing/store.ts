import type { SiteData } from './types.ts';

/**
 * Hands the computed site from the CLI to the Astro pages. Astro prerenders in this same process
 * but loads our modules again through Vite, so a module variable would not be shared: the one
 * place both see is `globalThis`.
 */
const KEY = Symbol.for('signpost.site');

type Holder = { [KEY]?: SiteData | (() => Promise<SiteData>) };

const RELOAD = Symbol.for('signpost.reload');
type Reloadable = { [RELOAD]?: () => void };

/** Dev: drop the cached site so the next request recomputes it from the changed content. */
export function invalidateSiteData(): void {
  (globalThis as Reloadable)[RELOAD]?.();
}

/** Dev: what `invalidateSiteData` calls. */
export function onInvalidate(callback: () => void): void {
  (globalThis as Reloadable)[RELOAD] = callback;
}

export function setSiteData(data: SiteData | (() => Promise<SiteData>)): void {
  (globalThis as Holder)[KEY] = data;
}

export async function getSiteData(): Promise<SiteData> {
  const value = (globalThis as Holder)[KEY];
  if (!value)
    throw new Error('site data not set: pages are built through `signpost build` or `signpost dev`');
  return typeof value === 'function' ? value() : value;
}
