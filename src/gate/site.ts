import { treeFile, urls } from '../routing/layout.ts';
import type { Auth } from './auth/index.ts';
import { contentSecurityPolicy } from './headers.ts';
import type { GateManifest } from './manifest.ts';
import { decodePath, encodePath, plain } from './request.ts';
import { rememberSessions } from './sessions.ts';
import type { ServeOptions, StaticFiles } from './static.ts';

/**
 * One brand as the gate answers it: its manifest compiled once into lookups by decoded path, and
 * the few helpers every handler shares (which file a path is, serve it if it exists, the 404).
 */

/** One brand the gate serves: its manifest and, when it has a `privacy` block, its sign-in. */
export interface GateBrand {
  manifest: GateManifest;
  auth: Auth | undefined;
}

/** A brand, compiled for lookups by decoded path. */
export interface Site {
  manifest: GateManifest;
  auth: Auth | undefined;
  files: StaticFiles;
  csp: string;
  /** Private page (decoded URL) → audiences that may read it. */
  private: Map<string, string[]>;
  /** Private search indexes, longest URL first so the most specific prefix wins. */
  indexes: { url: string; dir: string; audiences: string[] }[];
  notAvailable: Map<string, string>;
  languages: Set<string>;
  authContext: { searchIndexes: { url: string; audiences: string[] }[] };
}

/** Cache-Control values, by what is answered. */
export const CACHE = {
  /** Pages and other unhashed files: kept, but revalidated (cheaply, by ETag) on every use. */
  revalidate: 'public, max-age=0, must-revalidate',
  /** Hashed assets: their name changes with their content. */
  immutable: 'public, max-age=31536000, immutable',
  /** A private page or anything per visitor: no cache keeps it. */
  private: 'private, no-store',
  /** A private tree's hashed asset: the browser's own copy only, never a shared cache's. */
  privateImmutable: 'private, max-age=31536000, immutable',
  /** Error answers: a fixed page later must not be hidden behind a cached miss. */
  none: 'no-store',
} as const;

/** Pagefind names its index chunks and fragments by content hash. */
export const HASHED_SEARCH_FILE = /\.pf_[a-z]+$/;

/** Compiles a brand for the gate. */
export function compileSite({ manifest, auth }: GateBrand, files: StaticFiles): Site {
  return {
    manifest,
    auth: auth && rememberSessions(auth),
    files,
    csp: contentSecurityPolicy(manifest.csp),
    private: new Map(
      Object.entries(manifest.private).map(([url, { audiences }]) => [decodePath(url), audiences]),
    ),
    indexes: manifest.searchIndexes
      .map((index) => ({ ...index, url: decodePath(index.url) }))
      .sort((a, b) => b.url.length - a.url.length),
    notAvailable: new Map(
      Object.entries(manifest.notAvailable).map(([lang, url]) => [lang, decodePath(url)]),
    ),
    languages: new Set(manifest.languages),
    authContext: { searchIndexes: manifest.searchIndexes.map(({ url, audiences }) => ({ url, audiences })) },
  };
}

/** The file of a decoded path in the brand's public or private tree. */
export function fileIn(site: Site, privateTree: boolean, decoded: string): string {
  return treeFile(site.manifest.brand, privateTree, encodePath(decoded));
}

/** The file's response, or undefined when dist has no such file. */
export async function serveIf(
  site: Site,
  request: Request,
  file: string,
  options: ServeOptions,
): Promise<Response | undefined> {
  const stat = await site.files.stat(file);
  return stat && site.files.serve(request, file, stat, options);
}

/** The brand's own 404 page, with status 404. */
export async function notFound(request: Request, site: Site): Promise<Response> {
  const answer = await serveIf(site, request, fileIn(site, false, urls.notFound()), {
    status: 404,
    cacheControl: CACHE.none,
  });
  return answer ?? plain(404, 'Not found.');
}
