import type { CheckedImage } from './brand-images.ts';
import { loadSharp, imageMemo } from './image-memo.ts';

/**
 * The neutral favicon of a brand that has neither `favicon` nor `icon`: a grey rounded square with
 * a question mark, so every site answers `/favicon.ico` and browsers log no 404. Inline rather than
 * a file, so it travels with the code whichever bundle runs it.
 */
const DEFAULT_FAVICON = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#57606a"/>' +
    '<path d="M24 24a8 8 0 1 1 11 7.4c-2 .9-3 2.4-3 4.6v2" fill="none" stroke="#fff" stroke-width="6" stroke-linecap="round"/>' +
    '<circle cx="32" cy="47" r="3.5" fill="#fff"/></svg>',
);

/**
 * One square PNG of the brand's favicon (or icon, or the neutral default), `size` pixels wide.
 * `background` makes it opaque (Apple's touch icon: iOS fills transparency with black). A rebuild
 * takes the last build's where it is made from the same (`imageMemo`).
 */
export function faviconPng(
  source: CheckedImage | undefined,
  size: number,
  background?: string,
): Promise<Uint8Array> {
  const from = source ? source.source : 'the default favicon';
  return imageMemo.made(`favicon of ${from} at ${size} px on ${background ?? 'nothing'}`, async () => {
    const sharp = await loadSharp();
    // An SVG favicon is drawn at 512 px (its rule's `raster`); the default is drawn large enough here.
    let image = !source
      ? sharp(DEFAULT_FAVICON, { density: 72 * 8 })
      : source.draw
        ? sharp(await source.draw())
        : sharp(source.file);
    image = image.resize(size, size, { fit: 'contain', background: { r: 0, g: 0, b: 0, alpha: 0 } });
    if (background) image = image.flatten({ background });
    return new Uint8Array(await image.png().toBuffer());
  });
}

/**
 * `favicon.ico` holding one PNG. Every browser since IE 11 (and Windows Vista's icon loader) reads a
 * PNG inside an ICO, and sharp cannot write ICO, so the container is written here: a 6-byte header
 * (reserved 0, type 1 = icon, 1 image) and one 16-byte directory entry (width, height, colours,
 * reserved, planes, bits per pixel, byte size, offset 22), then the PNG itself.
 */
export function icoOf(png: Uint8Array, size: number): Uint8Array {
  const head = Buffer.alloc(22);
  head.writeUInt16LE(0, 0);
  head.writeUInt16LE(1, 2);
  head.writeUInt16LE(1, 4);
  // 0 means 256 in a directory entry; our sizes are smaller.
  head.writeUInt8(size % 256, 6);
  head.writeUInt8(size % 256, 7);
  head.writeUInt8(0, 8);
  head.writeUInt8(0, 9);
  head.writeUInt16LE(1, 10);
  head.writeUInt16LE(32, 12);
  head.writeUInt32LE(png.byteLength, 14);
  head.writeUInt32LE(22, 18);
  return new Uint8Array(Buffer.concat([head, png]));
}
