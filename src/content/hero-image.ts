import fs from 'node:fs';
import type { Sharp } from 'sharp';
import type { CheckedImage } from './brand-images.ts';
import { loadSharp, imageMemo } from './image-memo.ts';

/** Where a hero picture's subject is, in percent of its width and height from the top left. */
export interface FocalPoint {
  x: number;
  y: number;
}

/**
 * The two pictures a hero background is published as, both WebP: `wide` for desktops (the whole
 * picture, at most 1920 px wide) and `narrow` for phones, 800 × 600 cut around the focal point so
 * the subject survives a tall, thin hero. CSS places either with `background-position` at the
 * focal point too, so `cover` crops around it at every size in between.
 */
export const HERO_SIZES = { wide: 1920, narrow: { width: 800, height: 600 } } as const;

/** WebP at this quality is visually lossless for photos behind text and about a tenth of a PNG. */
const QUALITY = 75;

const made = new Map<string, { wide: Promise<Uint8Array>; narrow: Promise<Uint8Array> }>();

/**
 * Makers of the hero's two pictures, run when the build writes the site. The work is done once
 * per source file and focal point however many brands or languages show it.
 */
export function heroPictures(
  image: CheckedImage,
  focus: FocalPoint,
): { wide: () => Promise<Uint8Array>; narrow: () => Promise<Uint8Array> } {
  // The file's size and time in the key: the dev server rebuilds in one process after an edit.
  const { size, mtimeMs } = fs.statSync(image.file);
  const key = [image.file, size, mtimeMs, focus.x, focus.y].join('\0');
  const once = () => {
    let pictures = made.get(key);
    if (!pictures) {
      // Read (or drawn) only where a picture is not the last build's (`imageMemo`).
      let read: Promise<Uint8Array> | undefined;
      const source = () => (read ??= image.draw ? image.draw() : fs.promises.readFile(image.file));
      pictures = {
        wide: imageMemo.made(`hero of ${image.source}`, async () =>
          webp(
            (await loadSharp())(await source()).resize({ width: HERO_SIZES.wide, withoutEnlargement: true }),
          ),
        ),
        narrow: imageMemo.made(`narrow hero of ${image.source} at ${focus.x}% ${focus.y}%`, async () =>
          narrow(await source(), focus),
        ),
      };
      made.set(key, pictures);
    }
    return pictures;
  };
  return { wide: () => once().wide, narrow: () => once().narrow };
}

/** The CSS `background-position` that keeps the focal point in view. */
export function focusPosition(focus: FocalPoint): string {
  return `${focus.x}% ${focus.y}%`;
}

/** Cuts the largest 4:3 box centred on the focal point (moved inside the picture), then scales it. */
async function narrow(bytes: Uint8Array, focus: FocalPoint): Promise<Uint8Array> {
  const sharp = await loadSharp();
  const { width = 0, height = 0 } = await sharp(bytes).metadata();
  const { width: w, height: h } = HERO_SIZES.narrow;
  const box =
    width / height > w / h
      ? { width: Math.round((height * w) / h), height }
      : { width, height: Math.round((width * h) / w) };
  const place = (centre: number, size: number, whole: number) =>
    Math.min(Math.max(Math.round(centre - size / 2), 0), whole - size);
  return webp(
    sharp(bytes)
      .extract({
        left: place((focus.x / 100) * width, box.width, width),
        top: place((focus.y / 100) * height, box.height, height),
        ...box,
      })
      .resize({ width: w, height: h, fit: 'cover', withoutEnlargement: true }),
  );
}

async function webp(pipeline: Sharp): Promise<Uint8Array> {
  return new Uint8Array(await pipeline.webp({ quality: QUALITY }).toBuffer());
}
