import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { ImageRequest } from './map.ts';
import { FetchError, fetchLimited, isHttp } from '../fetch.ts';
import { hashOf, type ImportState } from './write.ts';

/**
 * Intercom serves article images, avatars and uploaded icons from signed CDN addresses that
 * expire, so an import saves each one as a file beside what shows it. An image saved by the last
 * import from the same address (its signature aside) and not touched since is not downloaded
 * again: re-importing an unchanged export asks the network for nothing.
 */

/** Largest image accepted, in bytes. */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/** Downloads at a time. */
const PARALLEL = 4;

export interface ImageOptions {
  content: string;
  state: ImportState;
  /** `false` (`--no-download-images`): keep every address, download nothing. */
  download: boolean;
  /** How to fetch (tests pass one that reaches a loopback CDN). Default: the global `fetch`. */
  fetch?: typeof fetch | undefined;
}

export interface ImageResults {
  /** Content-relative path → bytes, for every image that is (or stays) a file. */
  saved: Map<string, Uint8Array>;
  /** How many of `saved` came over the network this time. */
  downloaded: number;
  /** Images kept as their address, with why. */
  linked: { request: ImageRequest; why: string }[];
}

/** Downloads what needs downloading; never throws for one image (it is kept as a link). */
export async function fetchImages(requests: ImageRequest[], options: ImageOptions): Promise<ImageResults> {
  const results: ImageResults = { saved: new Map(), downloaded: 0, linked: [] };
  const queue = [...requests];
  const work = async () => {
    for (let request = queue.shift(); request; request = queue.shift()) {
      const kept = unchanged(request, options);
      if (kept) {
        results.saved.set(request.path, kept);
        continue;
      }
      if (!options.download) {
        results.linked.push({ request, why: 'not downloaded (--no-download-images)' });
        continue;
      }
      const got = await download(request, options.fetch ?? globalThis.fetch);
      if (typeof got === 'string') results.linked.push({ request, why: got });
      else {
        results.saved.set(request.path, got);
        results.downloaded++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, requests.length) }, work));
  results.linked.sort((a, b) => (a.request.path < b.request.path ? -1 : 1));
  return results;
}

/** The file the last import saved from this address, as it was written, else undefined. */
function unchanged(request: ImageRequest, { content, state }: ImageOptions): Uint8Array | undefined {
  if (state.images[request.path] !== request.key) return undefined;
  const file = path.join(content, ...request.path.split('/'));
  if (!fs.existsSync(file)) return undefined;
  const bytes = fs.readFileSync(file);
  return hashOf(bytes) === state.files[request.path] ? bytes : undefined;
}

/** The image's bytes, or why it could not be saved. */
async function download(request: ImageRequest, fetcher: typeof fetch): Promise<Uint8Array | string> {
  const url = URL.parse(request.url);
  if (!url || !isHttp(url)) return 'not an http(s) address';
  let body: Buffer;
  try {
    ({ body } = await fetchLimited(url, {
      maxBytes: MAX_IMAGE_BYTES,
      timeoutMs: 30_000,
      accept: 'image/*',
      fetch: fetcher,
    }));
  } catch (error) {
    if (error instanceof FetchError) return `download failed: ${error.message}`;
    throw error;
  }
  const format = await formatOf(body);
  const wanted = request.path.split('.').at(-1)?.toLowerCase();
  if (!format || !['png', 'jpeg', 'gif', 'webp', 'heif', 'svg'].includes(format))
    return 'the download is not a PNG, JPEG, GIF, WebP or AVIF image';
  if (format === 'svg' && wanted !== 'svg') return 'the download is an SVG, which an article may not show';
  return body;
}

/** The image format sharp reads in the bytes (`png`, `jpeg`, `gif`, `webp`, `heif` for AVIF, `svg`). */
async function formatOf(bytes: Buffer): Promise<string | undefined> {
  try {
    return (await sharp(bytes).metadata()).format;
  } catch {
    return undefined;
  }
}
