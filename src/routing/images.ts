import path from 'node:path';
import { getImage } from 'astro:assets';
import type { ImageMetadata } from 'astro';
import { PROJECT_ROOT } from '../paths.ts';
import type { ArticlePage } from './types.ts';

/** Widths offered in `srcset`; the browser picks by the `sizes` hint. */
const WIDTHS = [400, 800, 1200];
const SIZES = '(max-width: 720px) 100vw, 720px';

/** Glob result → images by absolute file; a new glob (dev: images added or removed) gets its own. */
const indexes = new WeakMap<Record<string, ImageMetadata>, Map<string, ImageMetadata>>();

/**
 * Replaces the `<!--sp-image:N-->` markers of an article body with optimised `<picture>`
 * elements: WebP in several widths, the original format as fallback, width and height set so the
 * page does not jump while images load.
 */
export async function resolveArticleImages(
  page: ArticlePage,
  glob: Record<string, ImageMetadata>,
): Promise<string> {
  if (!page.images.length) return page.html;
  let byFile = indexes.get(glob);
  if (!byFile)
    indexes.set(glob, (byFile = new Map(Object.entries(glob).map(([key, meta]) => [absolute(key), meta]))));
  const rendered = await Promise.all(
    page.images.map(async (image) => {
      const meta = byFile.get(image.file);
      if (!meta) return `<img src="" alt="${escape(image.alt)}">`;
      const widths = WIDTHS.filter((w) => w < meta.width).concat(meta.width > 1200 ? [] : [meta.width]);
      const [webp, fallback] = await Promise.all([
        getImage({ src: meta, widths, sizes: SIZES, format: 'webp' }),
        getImage({ src: meta, width: Math.min(meta.width, 1200), format: meta.format }),
      ]);
      const title = image.title ? ` title="${escape(image.title)}"` : '';
      return (
        `<picture><source type="image/webp" srcset="${webp.srcSet.attribute}" sizes="${SIZES}">` +
        `<img src="${fallback.src}" alt="${escape(image.alt)}"${title} width="${fallback.attributes.width ?? meta.width}" ` +
        `height="${fallback.attributes.height ?? meta.height}" loading="lazy" decoding="async"></picture>`
      );
    }),
  );
  return page.html.replace(/<!--sp-image:(\d+)-->/g, (_, n: string) => rendered[Number(n)] ?? '');
}

/** Glob keys are root-relative (`/content/…` or `../content/…`); the model speaks absolute paths. */
function absolute(key: string): string {
  return key.startsWith('/') && !key.startsWith(PROJECT_ROOT)
    ? path.join(PROJECT_ROOT, key)
    : path.resolve(PROJECT_ROOT, key);
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
