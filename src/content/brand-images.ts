import fs from 'node:fs';
import path from 'node:path';
import sharp, { type Metadata } from 'sharp';
import type { Problems } from './problems.ts';

/** The rules SPEC §3 sets for each brand image. */
export const BRAND_IMAGE_RULES = {
  icon: { formats: ['png', 'jpeg'], maxBytes: 1024 * 1024, ratio: 1, label: 'square (72×72 ideal)' },
  favicon: { formats: ['png', 'jpeg', 'svg'], maxBytes: 150 * 1024, ratio: 1, label: '1:1' },
  socialImage: {
    formats: ['png', 'jpeg'],
    maxBytes: 2 * 1024 * 1024,
    ratio: 1.91,
    label: '1.91:1 (1200×628 ideal)',
  },
} as const;

export type BrandImageKind = keyof typeof BRAND_IMAGE_RULES;

/**
 * Checks a brand image's format, byte size and aspect ratio (read with sharp), reporting each
 * broken rule at the key's line of the brand file.
 */
export async function checkBrandImage(
  kind: BrandImageKind,
  file: string,
  brandFile: string,
  line: number,
  problems: Problems,
): Promise<void> {
  const rule = BRAND_IMAGE_RULES[kind];
  const shown = path.relative(path.dirname(brandFile), file);
  let bytes: number;
  try {
    bytes = fs.statSync(file).size;
  } catch {
    problems.error(
      brandFile,
      line,
      `${kind}: file ${shown} not found; fix the path (relative to this brand file)`,
    );
    return;
  }
  let meta: Metadata;
  try {
    meta = await sharp(file).metadata();
  } catch {
    problems.error(
      brandFile,
      line,
      `${kind}: ${shown} is not a readable image; use a ${formatList(rule.formats)} file`,
    );
    return;
  }
  if (!(rule.formats as readonly string[]).includes(meta.format ?? ''))
    problems.error(
      brandFile,
      line,
      `${kind}: ${shown} is ${meta.format?.toUpperCase() ?? 'an unknown format'}; use a ${formatList(rule.formats)} file`,
    );
  if (bytes > rule.maxBytes)
    problems.error(
      brandFile,
      line,
      `${kind}: ${shown} is ${size(bytes)}, over the ${size(rule.maxBytes)} limit; compress or shrink it`,
    );
  if (meta.width && meta.height) {
    const ratio = meta.width / meta.height;
    if (Math.abs(ratio - rule.ratio) / rule.ratio > 0.03)
      problems.error(
        brandFile,
        line,
        `${kind}: ${shown} is ${meta.width}×${meta.height}; it must be ${rule.label}, so crop it`,
      );
  }
}

function formatList(formats: readonly string[]): string {
  return formats
    .map((f) => (f === 'jpeg' ? 'JPEG' : f.toUpperCase()))
    .join(', ')
    .replace(/, ([^,]*)$/, ' or $1');
}

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}
