/** Downloads image candidates and keeps the first real image that fits the brand-file key. */
import sharp from 'sharp';
import { FetchError, fetchLimited } from '../import/fetch.ts';
import type { ImageCandidate } from './page.ts';

/** The largest image file accepted, in bytes. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/** A downloaded, checked image. */
export interface FetchedImage {
  candidate: ImageCandidate;
  data: Buffer;
  format: string;
  width: number;
  height: number;
  /** `.png`, `.jpg`, …: from the detected format, never from the URL. */
  extension: string;
}

/** What the brand file accepts for a key, as `check` enforces it (src/schemas/brand.ts JSDoc). */
export interface ImageRule {
  formats: readonly string[];
  /** Width ÷ height, within 3 %. */
  ratio: number;
  maxBytes: number;
}

/** One candidate that was tried and not kept, for the report. */
export interface Rejected {
  candidate: ImageCandidate;
  reason: string;
}

/**
 * Tries `candidates` in order and returns the first that downloads, is an image sharp reads and
 * meets `rule`; every other one tried is in `rejected`, so the report can say why.
 */
export async function pickImage(
  candidates: ImageCandidate[],
  rule: ImageRule,
  cache: Map<string, Promise<FetchedImage | string>>,
): Promise<{ image?: FetchedImage; rejected: Rejected[] }> {
  const rejected: Rejected[] = [];
  for (const candidate of candidates) {
    // The same URL is often both the apple-touch-icon and a manifest icon: download it once.
    let pending = cache.get(candidate.url.href);
    if (!pending) cache.set(candidate.url.href, (pending = download(candidate)));
    const result = await pending;
    if (typeof result === 'string') {
      rejected.push({ candidate, reason: result });
      continue;
    }
    const misfit = checkRule(result, rule);
    if (misfit) rejected.push({ candidate, reason: misfit });
    else return { image: { ...result, candidate }, rejected };
  }
  return { rejected };
}

/** Orders icon candidates: largest declared size first, the apple-touch-icon winning ties. */
export function rankIcons(candidates: ImageCandidate[]): ImageCandidate[] {
  const weight = (c: ImageCandidate) => (c.size ?? 0) + (c.source === 'apple-touch-icon' ? 0.5 : 0);
  return [...candidates].sort((a, b) => weight(b) - weight(a));
}

async function download(candidate: ImageCandidate): Promise<FetchedImage | string> {
  let data: Buffer;
  try {
    ({ body: data } = await fetchLimited(candidate.url, { maxBytes: MAX_IMAGE_BYTES }));
  } catch (error) {
    if (error instanceof FetchError) return error.message;
    throw error;
  }
  try {
    const meta = await sharp(data).metadata();
    if (!meta.width || !meta.height) return 'not an image (no size)';
    const extension = meta.format === 'jpeg' ? '.jpg' : `.${meta.format}`;
    return { candidate, data, format: meta.format, width: meta.width, height: meta.height, extension };
  } catch {
    return 'not an image (sharp cannot read it)';
  }
}

function checkRule(image: FetchedImage, rule: ImageRule): string | undefined {
  if (!rule.formats.includes(image.format))
    return `${formatName(image.format)}, not ${rule.formats.map(formatName).join(' or ')}`;
  const ratio = image.width / image.height;
  if (Math.abs(ratio - rule.ratio) / rule.ratio > 0.03)
    return `${image.width}×${image.height}, not ${rule.ratio === 1 ? 'square' : `${rule.ratio}:1`}`;
  if (image.data.byteLength > rule.maxBytes)
    return `${Math.ceil(image.data.byteLength / 1024)} KB, too large`;
  return undefined;
}

/** `PNG`, `JPEG`, `SVG`. */
export function formatName(format: string): string {
  return format === 'jpeg' ? 'JPEG' : format === 'webp' ? 'WebP' : format.toUpperCase();
}
