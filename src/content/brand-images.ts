import { hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BrandConfig } from '../schemas/brand.ts';
import { BUILTIN_ICONS } from '../schemas/common.ts';
import type { Brand, Model } from './model.ts';
import type { Problems } from './problems.ts';
import { locateInside } from './files.ts';
import { loadSharp, imageMemo, type ImageFacts } from './image-memo.ts';

type Format = 'png' | 'jpeg' | 'webp' | 'svg';

/** What an image named in a content file must be. */
export interface ImageRule {
  /** The key that names it, for messages: `header.logo`. */
  key: string;
  formats: readonly Format[];
  maxBytes?: number;
  /** Width ÷ height, within 3 %, and how to say it. */
  ratio?: { value: number; label: string };
  /** Longest side, in pixels, of the PNG an SVG is published as (where SVG is allowed). */
  raster?: number;
}

/**
 * An image checked with sharp, ready to publish: the file to copy and its format's extension, or
 * for an SVG, `draw` (see `rasterize`).
 */
export interface CheckedImage {
  /** The file as named (for an SVG, never copied: `draw` makes what is published). */
  file: string;
  /** `.png`, `.jpg` or `.webp`, from the format sharp detected, never from the file name. */
  extension: string;
  /** Its size in pixels, as sharp read it (of a raster image only). */
  width?: number | undefined;
  height?: number | undefined;
  /** Width ÷ height as shown (an SVG's too, from its size or view box), where sharp could tell. */
  ratio?: number | undefined;
  /** An SVG's PNG, drawn when the build writes the site (once, however many times it is asked). */
  draw?: (() => Promise<Uint8Array>) | undefined;
  /**
   * What is published from it is made from: the SHA-256 of its bytes, and for an SVG the size it
   * is drawn at. What the build makes of it is kept under this (`imageMemo.made`).
   */
  source: string;
}

const PICTURE: readonly Format[] = ['png', 'jpeg', 'webp', 'svg'];

/** The rules SPEC §3 sets for each brand image; the logos and the hero image may be any picture. */
export const BRAND_IMAGE_RULES = {
  icon: {
    key: 'icon',
    formats: ['png', 'jpeg'],
    maxBytes: 1024 * 1024,
    ratio: { value: 1, label: 'square (72×72 ideal)' },
  },
  favicon: {
    key: 'favicon',
    formats: ['png', 'jpeg', 'svg'],
    maxBytes: 150 * 1024,
    ratio: { value: 1, label: '1:1' },
    // The favicon set's largest size, the manifest's 512 px icon.
    raster: 512,
  },
  socialImage: {
    key: 'socialImage',
    formats: ['png', 'jpeg'],
    maxBytes: 2 * 1024 * 1024,
    ratio: { value: 1.91, label: '1.91:1 (1200×628 ideal)' },
  },
  headerLogo: { key: 'header.logo', formats: PICTURE, raster: 512 },
  footerLogo: { key: 'footer.logo', formats: PICTURE, raster: 512 },
  heroImage: { key: 'hero.background.image', formats: PICTURE, maxBytes: 10 * 1024 * 1024, raster: 2400 },
} as const satisfies Record<keyof Brand['assets'], ImageRule>;

/**
 * Reads the images a brand file names (its own values; keys that failed the schema are absent) and
 * checks each with sharp: inside the brands folder, a real image of an allowed format, size and
 * shape. Returns those fit to publish; the rest are reported at their key's line and left out.
 */
export async function readBrandImages(
  config: Partial<BrandConfig>,
  brandFile: string,
  lineOf: (keyPath: readonly PropertyKey[]) => number,
  problems: Problems,
): Promise<Brand['assets']> {
  const written: Record<keyof Brand['assets'], string | undefined> = {
    icon: config.icon,
    favicon: config.favicon,
    socialImage: config.socialImage,
    headerLogo: config.header?.logo,
    footerLogo: config.footer?.logo,
    heroImage: config.hero?.background?.image,
  };
  const dir = path.dirname(brandFile);
  const where = { from: dir, root: dir, rootName: 'the brands folder', relativeTo: 'this brand file' };
  const read = await Promise.all(
    Object.entries(written).map(async ([kind, relative]) => {
      if (!relative) return [];
      const rule: ImageRule = BRAND_IMAGE_RULES[kind as keyof Brand['assets']];
      const line = lineOf(rule.key.split('.'));
      const image = await readImage({ ...where, written: relative }, rule, (message) =>
        problems.error(brandFile, line, message),
      );
      return image ? [[kind, image] as const] : [];
    }),
  );
  return Object.fromEntries(read.flat());
}

/**
 * Checks every collection's custom icon file like a brand image (inside the content folder, a
 * picture sharp can read) and sets `collection.icon` to it; a refused icon leaves the built-in
 * default, so nothing of it is published. `readBrands` calls it, the first asynchronous step
 * after the help centers are read: finishing collections (`load.ts`) is synchronous, sharp is not.
 */
export async function readCollectionIcons(model: Model, problems: Problems): Promise<void> {
  const rule: ImageRule = { key: 'icon', formats: PICTURE, raster: 192 };
  const checks: Promise<void>[] = [];
  for (const hc of model.helpCenters.values())
    for (const collection of hc.collectionsByPath.values()) {
      const icon = collection.config.icon;
      if (!icon || (BUILTIN_ICONS as readonly string[]).includes(icon)) continue;
      const line = lineOfKey(collection.file, 'icon');
      if (collection.depth > 1) {
        problems.error(
          collection.file,
          line,
          'icon: custom icon files are for top-level collections only; use a built-in icon name here',
        );
        continue;
      }
      const where = {
        written: icon,
        from: collection.dir,
        root: model.root,
        rootName: 'the content folder',
        relativeTo: '_collection.yaml',
      };
      checks.push(
        readImage(where, rule, (message) => problems.error(collection.file, line, message)).then((image) => {
          if (image) collection.icon = image;
        }),
      );
    }
  await Promise.all(checks);
}

/**
 * Checks one image named in a content file and returns what to publish, or reports why not:
 * its real path (symlinks followed) must stay inside `root`, so `../../secret.txt` is never
 * copied into a site; sharp must read it from its bytes, so a `.html` "logo" is refused whatever
 * its name; its detected format gives the published extension, so a JPEG named `.png` becomes
 * `.jpg`; and an SVG is published as a PNG (see `rasterize`).
 */
export async function readImage(
  where: { written: string; from: string; root: string; rootName: string; relativeTo: string },
  rule: ImageRule,
  report: (message: string) => void,
): Promise<CheckedImage | undefined> {
  const { key } = rule;
  const found = locateInside({ ...where, key, noun: 'file' }, report);
  if (!found) return undefined;
  const { file, shown, stat } = found;
  const unreadable = `${key}: ${shown} is not an image (sharp cannot read it); use a ${formatList(rule.formats)} file`;
  if (!stat.isFile()) return void report(unreadable);
  // From the bytes, not the path: an SVG rendered without a base path cannot pull in other files.
  const bytes = fs.readFileSync(file);
  const digest = hash('sha256', bytes);
  let meta: ImageFacts;
  try {
    meta = await imageMemo.facts(bytes, digest);
  } catch {
    return void report(unreadable);
  }
  const problems: string[] = [];
  if (!(rule.formats as readonly string[]).includes(meta.format))
    problems.push(`${shown} is ${formatName(meta.format)}; use a ${formatList(rule.formats)} file`);
  if (rule.maxBytes && stat.size > rule.maxBytes)
    problems.push(
      `${shown} is ${size(stat.size)}, over the ${size(rule.maxBytes)} limit; compress or shrink it`,
    );
  if (rule.ratio && meta.width && meta.height) {
    const ratio = meta.width / meta.height;
    if (Math.abs(ratio - rule.ratio.value) / rule.ratio.value > 0.03)
      problems.push(`${shown} is ${meta.width}×${meta.height}; it must be ${rule.ratio.label}, so crop it`);
  }
  problems.forEach((message) => report(`${key}: ${message}`));
  if (problems.length) return undefined;
  const ratio = meta.width && meta.height ? meta.width / meta.height : undefined;
  if (meta.format === 'svg') {
    const longSide = rule.raster ?? 512;
    const source = `${digest} drawn at ${longSide}`;
    return { file, extension: '.png', ratio, source, draw: rasterize(bytes, meta, longSide, source) };
  }
  const extension = meta.format === 'jpeg' ? '.jpg' : `.${meta.format}`;
  return { file, extension, width: meta.width, height: meta.height, ratio, source: digest };
}

/**
 * An SVG is a document, not a picture: it can hold `<script>`, event handlers, `<foreignObject>`
 * HTML and links to other files, and they run on the help center's own domain when a visitor
 * opens its URL. Cleaning SVG by hand is a moving target (entities, animated `href`s, CSS `url()`),
 * while a PNG of it carries none of that and looks the same at the sizes a logo or icon is shown.
 * So a site publishes a PNG of every SVG, drawn with sharp from the SVG's bytes.
 *
 * It is drawn only when the build writes the site (`BrandSite.generated`), so `check` draws
 * nothing, and at most once per build: the favicon set draws six sizes from one favicon. A
 * rebuild takes the last build's PNG (`imageMemo`).
 */
function rasterize(
  svg: Buffer,
  meta: ImageFacts,
  longSide: number,
  source: string,
): () => Promise<Uint8Array> {
  let drawn: Promise<Uint8Array> | undefined;
  // 72 dpi draws the SVG at its own size; scale that so its longest side becomes `longSide`.
  const intrinsic = Math.max(meta.width ?? 0, meta.height ?? 0) || longSide;
  const density = Math.min(Math.max((72 * longSide) / intrinsic, 1), 100_000);
  return () =>
    (drawn ??= imageMemo.made(
      `png of ${source}`,
      async () => new Uint8Array(await (await loadSharp())(svg, { density }).png().toBuffer()),
    ));
}

/** Line of a top-level key in a small YAML file, for messages about its value; 1 if not found. */
function lineOfKey(file: string, key: string): number {
  try {
    const index = fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((line) => new RegExp(`^["']?${key}["']?\\s*:`).test(line));
    return index + 1 || 1;
  } catch {
    return 1;
  }
}

function formatName(format: string): string {
  return { jpeg: 'JPEG', webp: 'WebP', svg: 'SVG' }[format] ?? format.toUpperCase();
}

function formatList(formats: readonly string[]): string {
  return formats
    .map(formatName)
    .join(', ')
    .replace(/, ([^,]*)$/, ' or $1');
}

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}
