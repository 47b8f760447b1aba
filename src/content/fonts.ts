import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { fontace as parseFont } from 'fontace';
import { writeCacheFile } from '../cache/files.ts';
import { PROJECT_ROOT } from '../paths.ts';
import { locateInside } from './files.ts';

/** Largest font file a theme may name: a whole Latin + Cyrillic + Greek family is a few hundred KB. */
export const FONT_MAX_BYTES = 2 * 1024 * 1024;

/** A theme's font file that passed its checks: what subsetting and `@font-face` need of it. */
export interface CheckedFont {
  /** Its real path (symlinks followed), inside the themes folder. */
  file: string;
  /** SHA-256 of its bytes: the key of every subset made from it. */
  hash: string;
  /** `font-weight` and `font-style` as the file declares them (`400`, `100 900` for a variable font). */
  weight: string;
  style: string;
  /** Every code point the file has a glyph for, ascending. */
  codePoints: readonly number[];
}

const require = createRequire(import.meta.url);

/** Parsed files by real path, size and time: a theme's fonts are read once per build (or dev reload). */
const parsed = new Map<string, CheckedFont>();

/**
 * Checks one font file a theme names, as `readImage` checks a brand image, and reports why it
 * cannot be published: its path (by name, then by real path, so a symlink cannot lead out) must
 * stay inside `root`; it must exist and be at most `FONT_MAX_BYTES`; and fontace must read it as
 * a font with a character map, whatever its name says.
 */
export function readFontFile(
  where: { written: string; from: string; root: string; rootName: string; key: string },
  report: (message: string) => void,
): CheckedFont | undefined {
  const { key } = where;
  const found = locateInside({ ...where, relativeTo: 'this theme file', noun: 'font file' }, report);
  if (!found) return undefined;
  const { file, shown, stat } = found;
  const notFont = `${key}: ${shown} is not a font file (it cannot be read as WOFF2, WOFF or TrueType); use a .woff2 file`;
  if (!stat.isFile()) return void report(notFont);
  if (stat.size > FONT_MAX_BYTES)
    return void report(
      `${key}: ${shown} is ${(stat.size / 1024 / 1024).toFixed(1)} MB, over the 2 MB limit; subset it to the scripts you publish or use a system font stack`,
    );
  try {
    return loadFont(file);
  } catch (error) {
    return void report(
      error instanceof EmptyFont ? `${key}: ${shown} has no characters; use another font file` : notFont,
    );
  }
}

class EmptyFont extends Error {}

/**
 * A font file read with fontace: its hash, weight, style and characters. Parsed once per build
 * (or dev reload) however many themes, brands and languages use it; throws when it is not a font.
 * Routing asks it again for the files `readFontFile` passed.
 *
 * What a parse found is kept between builds too, by the hash of the file's bytes (`FontParses`):
 * fontace unpacks a WOFF2 file (Brotli) to read it, 15–20 ms a file, which every build of a theme
 * with two font files paid before it could check anything else.
 */
export function loadFont(file: string, kept = FONT_PARSES): CheckedFont {
  const stat = fs.statSync(file);
  const cacheKey = `${file}\0${stat.size}\0${stat.mtimeMs}`;
  const known = parsed.get(cacheKey);
  if (known) return known;
  const bytes = fs.readFileSync(file);
  const hash = createHash('sha256').update(bytes).digest('hex');
  let found = kept.get(hash);
  if (!found) {
    fontace ??= (require('fontace') as { fontace: typeof parseFont }).fontace;
    const meta = fontace(bytes);
    const codePoints = parseUnicodeRange(meta.unicodeRangeArray).filter((c) => c !== 0xffff);
    if (!codePoints.length) throw new EmptyFont(file);
    found = {
      weight: meta.weight === 'auto' ? '400' : meta.weight,
      style: meta.style === 'auto' ? 'normal' : meta.style,
      codePoints,
    };
    kept.set(hash, found);
  }
  const font = { file, hash, ...found };
  parsed.set(cacheKey, font);
  return font;
}

/** fontace, loaded the first time a font file is not among the kept parses: ~35 ms of a build's start. */
let fontace: typeof parseFont | undefined;

/** What a parse finds of a font file, apart from where the file is. */
type FontParse = Pick<CheckedFont, 'weight' | 'style' | 'codePoints'>;

/**
 * Font parses kept between builds: a small JSON file per font file's bytes (a few KB), named by
 * their hash and by the parser (fontace's version and this code's way of reading it), in
 * Signpost's cache folder (`.astro/cache/fonts/`). Only a clean parse is kept, so a file that is
 * not a font is reported every time; a file this code cannot read back is parsed again. A file
 * that cannot be written costs the next build a parse, nothing more.
 */
export class FontParses {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  get(hash: string): FontParse | undefined {
    try {
      const kept = JSON.parse(fs.readFileSync(this.#file(hash), 'utf8')) as Partial<FontParse>;
      const { weight, style, codePoints } = kept;
      if (
        typeof weight === 'string' &&
        typeof style === 'string' &&
        Array.isArray(codePoints) &&
        codePoints.length > 0 &&
        codePoints.every((c) => Number.isInteger(c))
      )
        return { weight, style, codePoints };
    } catch {
      // not kept yet, or not readable: parsed again
    }
    return undefined;
  }

  set(hash: string, font: FontParse): void {
    writeCacheFile(this.#file(hash), JSON.stringify(font));
  }

  #file(hash: string): string {
    return path.join(this.#dir, `${hash.slice(0, 32)}-${PARSER}.json`);
  }
}

/** fontace's version and this code's way of reading what it gives: another parser parses again. */
const PARSER = createHash('sha256')
  // fontace exports no `package.json`: its own, beside the folder of its entry.
  .update(fs.readFileSync(path.join(require.resolve('fontace'), '..', '..', 'package.json')))
  .update('\0parse 1')
  .digest('hex')
  .slice(0, 8);

/** Where builds keep their font parses: Signpost's cache folder, which a CI runner keeps. */
export const FONT_PARSES = new FontParses(path.join(PROJECT_ROOT, '.astro', 'cache', 'fonts'));

/**
 * Where the language allows, a font is cut into the unicode ranges Google Fonts uses, one file
 * each, and the `@font-face` rules name each file's `unicode-range`: the browser downloads only
 * the files whose characters a page shows, so an English page never pays for Cyrillic.
 *
 * Which ranges a brand publishes follows from the script of each of its languages:
 * - every language: `latin` (digits, punctuation, brand and product names appear in all of them);
 * - Latin-script languages: `latin-ext` too (Polish, Czech, Turkish letters, names in English text);
 *   Vietnamese (`vi`) adds `vietnamese`;
 * - Cyrillic (`ru`, `uk`, `bg`, `sr`, …): `cyrillic` and `cyrillic-ext`; Greek (`el`): `greek` and
 *   `greek-ext`;
 * - any other script (Japanese, Chinese, Korean, Arabic, Hebrew, Thai, …): not cut by script. What
 *   the font has outside the ranges above is published whole as one `rest` file. For a Latin font
 *   that is a handful of symbols (downloaded only by a page that shows one); for a font made for
 *   that script it is the script itself (the 2 MB limit keeps it sane; big CJK fonts, which Google
 *   slices by frequency, do not fit in it, so CJK text falls back to the stack, as it does for any
 *   character the font lacks).
 *
 * A range is published only where the font has a glyph of its own in it (not just the combining
 * accents several ranges share).
 */
const RANGES = {
  latin:
    'U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+0304, U+0308, U+0329, U+2000-206F, U+20AC, U+2122, U+2191, U+2193, U+2212, U+2215, U+FEFF, U+FFFD',
  'latin-ext':
    'U+0100-02BA, U+02BD-02C5, U+02C7-02CC, U+02CE-02D7, U+02DD-02FF, U+0304, U+0308, U+0329, U+1D00-1DBF, U+1E00-1E9F, U+1EF2-1EFF, U+2020, U+20A0-20AB, U+20AD-20C0, U+2113, U+2C60-2C7F, U+A720-A7FF',
  vietnamese:
    'U+0102-0103, U+0110-0111, U+0128-0129, U+0168-0169, U+01A0-01A1, U+01AF-01B0, U+0300-0301, U+0303-0304, U+0308-0309, U+0323, U+0329, U+1EA0-1EF9, U+20AB',
  cyrillic: 'U+0301, U+0400-045F, U+0490-0491, U+04B0-04B1, U+2116',
  'cyrillic-ext': 'U+0460-052F, U+1C80-1C8A, U+20B4, U+2DE0-2DFF, U+A640-A69F, U+FE2E-FE2F',
  greek: 'U+0370-0377, U+037A-037F, U+0384-038A, U+038C, U+038E-03A1, U+03A3-03FF',
  'greek-ext': 'U+1F00-1FFF',
} as const;

/** A named range, or `rest`: what the font has outside all of them. */
export type FontRange = keyof typeof RANGES | 'rest';

const RANGE_POINTS = Object.fromEntries(
  Object.entries(RANGES).map(([name, css]) => [name, new Set(parseUnicodeRange(css.split(', ')))]),
) as Record<keyof typeof RANGES, Set<number>>;

/** The ranges a language's pages need; the first is its main script's (what a page preloads). */
export function rangesOf(lang: string): FontRange[] {
  let script: string | undefined;
  try {
    script = new Intl.Locale(lang).maximize().script;
  } catch {
    script = undefined;
  }
  if (script === 'Latn')
    return new Intl.Locale(lang).language === 'vi'
      ? ['latin', 'vietnamese', 'latin-ext']
      : ['latin', 'latin-ext'];
  if (script === 'Cyrl') return ['cyrillic', 'latin', 'cyrillic-ext'];
  if (script === 'Grek') return ['greek', 'latin', 'greek-ext'];
  return ['latin', 'rest'];
}

/**
 * The ranges a main script's text is set in: `latin` for its digits and punctuation, plus the
 * script's own range. Those are the files a page preloads, at most two.
 */
export function preloadRangesOf(lang: string): FontRange[] {
  const [main] = rangesOf(lang);
  return main === 'latin' ? ['latin'] : [main!, 'latin'];
}

/**
 * The code points of `font` that a subset for `range` holds, or none when the font has no glyph
 * of its own in the range (only characters other ranges share, like combining accents).
 */
export function subsetPoints(font: CheckedFont, range: FontRange): number[] {
  if (range === 'rest')
    return font.codePoints.filter((c) => !Object.values(RANGE_POINTS).some((points) => points.has(c)));
  const points = RANGE_POINTS[range];
  const inRange = font.codePoints.filter((c) => points.has(c));
  const others = Object.entries(RANGE_POINTS).filter(([name]) => name !== range);
  const own = inRange.some((c) => !others.some(([, set]) => set.has(c)));
  return own ? inRange : [];
}

/** The `unicode-range` of a subset: the named range as Google Fonts writes it, or the rest's own. */
export function unicodeRangeOf(range: FontRange, points: readonly number[]): string {
  return range === 'rest' ? toUnicodeRange(points) : RANGES[range].replaceAll(', ', ',');
}

type SubsetFont = (font: Buffer, text: string, options: { targetFormat: 'woff2' }) => Promise<Buffer>;
/**
 * subset-font (CommonJS without types), loaded on the first subset: it sets up harfbuzz and two
 * WOFF2 WebAssembly instances of ~17 MB each, which a help center without font files never uses.
 */
let subsetFont: SubsetFont | undefined;
const SUBSETTER = (require('subset-font/package.json') as { version: string }).version;

/**
 * The content-hashed name of one subset, known before it is made (a hash of the font's bytes,
 * the range and the subsetter's version), so pages can link it before the build writes it, and a
 * CDN may cache it forever: other bytes or another range get another name.
 */
export function subsetName(font: CheckedFont, range: FontRange): string {
  return createHash('sha256').update(`${font.hash}\0${range}\0${SUBSETTER}`).digest('hex').slice(0, 16);
}

/** Subsets made this build (or dev session), by name: each (file, range) once, whatever the brands. */
const subsets = new Map<string, Promise<Uint8Array>>();

/**
 * Makes (once) the WOFF2 subset of `font` holding `points`, with harfbuzz (subset-font). Called only
 * when the build writes the site, so `check` makes none.
 */
export function makeSubset(
  font: CheckedFont,
  range: FontRange,
  points: readonly number[],
): Promise<Uint8Array> {
  const name = subsetName(font, range);
  let made = subsets.get(name);
  if (!made) {
    subsetFont ??= require('subset-font') as SubsetFont;
    made = subsetFont(fs.readFileSync(font.file), points.map((c) => String.fromCodePoint(c)).join(''), {
      targetFormat: 'woff2',
    }).then((woff2) => new Uint8Array(woff2));
    subsets.set(name, made);
    // A failure is reported by the build; the next build tries again.
    made.catch(() => subsets.delete(name));
  }
  return made;
}

/** `U+20-7E` and friends → the code points they name, ascending. */
function parseUnicodeRange(parts: readonly string[]): number[] {
  const points: number[] = [];
  for (const part of parts) {
    const match = /^U\+([0-9a-f]+)(?:-([0-9a-f]+))?$/i.exec(part.trim());
    if (!match) continue;
    const from = parseInt(match[1]!, 16);
    const to = match[2] ? parseInt(match[2], 16) : from;
    for (let c = from; c <= to; c++) points.push(c);
  }
  return points.sort((a, b) => a - b);
}

/** Ascending code points → `U+41-5A, U+61` (the CSS `unicode-range` syntax). */
function toUnicodeRange(points: readonly number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < points.length;) {
    let j = i;
    while (j + 1 < points.length && points[j + 1] === points[j]! + 1) j++;
    const hex = (c: number) => c.toString(16).toUpperCase();
    ranges.push(i === j ? `U+${hex(points[i]!)}` : `U+${hex(points[i]!)}-${hex(points[j]!)}`);
    i = j + 1;
  }
  return ranges.join(',');
}
