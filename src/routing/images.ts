import { getImage } from 'astro:assets';
import type { GetImageResult, ImageMetadata } from 'astro';
import { escapeHtml } from '../output/escape.ts';
import type { ArticlePage } from './types.ts';

/** Widths offered in `srcset`; the browser picks by the `sizes` hint. */
const WIDTHS = [400, 800, 1200];
const SIZES = '(max-width: 720px) 100vw, 720px';

/**
 * Astro's answers for an image, asked once per image: every language and brand whose page shows
 * it asks the same (Astro makes each transform once anyway; asking again cost ~0.3 ms a page).
 * Keyed by the image's metadata object, which a changed image (in dev) replaces.
 */
const optimised = new WeakMap<ImageMetadata, Promise<[GetImageResult, GetImageResult]>>();

function optimise(meta: ImageMetadata): Promise<[GetImageResult, GetImageResult]> {
  let answers = optimised.get(meta);
  if (!answers) {
    const widths = WIDTHS.filter((w) => w < meta.width).concat(meta.width > 1200 ? [] : [meta.width]);
    answers = Promise.all([
      getImage({ src: meta, widths, sizes: SIZES, format: 'webp' }),
      getImage({ src: meta, width: Math.min(meta.width, 1200), format: meta.format }),
    ]);
    optimised.set(meta, answers);
  }
  return answers;
}

/**
 * Replaces the `<!--sp-image:N-->` markers of an article body with optimised `<picture>`
 * elements: WebP in several widths, the original format as fallback, width and height set so the
 * page does not jump while images load. Also returns every asset URL the markup uses.
 */
export async function resolveArticleImages(
  page: ArticlePage,
  images: Map<string, ImageMetadata>,
): Promise<{ html: string; assets: string[] }> {
  if (!page.images.length) return { html: page.html, assets: [] };
  const assets: string[] = [];
  const rendered = await Promise.all(
    page.images.map(async (image) => {
      const meta = images.get(image.file);
      if (!meta) return `<img src="" alt="${escapeHtml(image.alt)}">`;
      const [webp, fallback] = await optimise(meta);
      assets.push(fallback.src, ...webp.srcSet.values.map((v) => v.url));
      const title = image.title ? ` title="${escapeHtml(image.title)}"` : '';
      return (
        `<picture><source type="image/webp" srcset="${webp.srcSet.attribute}" sizes="${SIZES}">` +
        `<img src="${fallback.src}" alt="${escapeHtml(image.alt)}"${title} width="${fallback.attributes.width ?? meta.width}" ` +
        `height="${fallback.attributes.height ?? meta.height}" loading="lazy" decoding="async"></picture>`
      );
    }),
  );
  return {
    html: page.html.replace(/<!--sp-image:(\d+)-->/g, (_, n: string) => rendered[Number(n)] ?? ''),
    assets,
  };
}
