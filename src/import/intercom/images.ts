import fs from 'node:fs';
import path from 'node:path';
import type { ImageRequest } from './map.ts';
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
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) return 'not an http(s) address';
  let body: Buffer;
  try {
    const response = await fetcher(url, {
      signal: AbortSignal.timeout(30_000),
      headers: { 'user-agent': 'signpost-import', accept: 'image/*' },
    });
    if (!response.ok) {
      await response.body?.cancel();
      return `download failed: ${response.status} ${response.statusText}`.trim();
    }
    if (Number(response.headers.get('content-length')) > MAX_IMAGE_BYTES) {
      await response.body?.cancel();
      return `larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB`;
    }
    body = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    return `download failed: ${networkError(error)}`;
  }
  if (body.length > MAX_IMAGE_BYTES) return `larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB`;
  const format = formatOf(body);
  const wanted = request.path.split('.').at(-1)?.toLowerCase();
  if (!format) return 'the download is not a PNG, JPEG, GIF, WebP or AVIF image';
  if (format === 'svg' && wanted !== 'svg') return 'the download is an SVG, which an article may not show';
  return body;
}

/** `no such host`, `timed out`: the useful part of a network error. */
function networkError(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return 'timed out';
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const words: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'no such host',
    ECONNRESET: 'connection reset',
    EAI_AGAIN: 'DNS lookup failed',
  };
  return (
    (cause?.code && words[cause.code]) ??
    cause?.code ??
    cause?.message ??
    (error instanceof Error ? error.message : String(error))
  );
}

/** The format the first bytes say, as sharp would tell it. */
function formatOf(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (/^GIF8[79]a/.test(bytes.toString('latin1', 0, 6))) return 'gif';
  if (bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  if (bytes.toString('latin1', 4, 8) === 'ftyp' && /^avi[fs]$/.test(bytes.toString('latin1', 8, 12)))
    return 'avif';
  if (/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/i.test(bytes.toString('utf8', 0, 1024)))
    return 'svg';
  return undefined;
}
