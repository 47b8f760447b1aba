import fs from 'node:fs';
import path from 'node:path';
import { themeSchema, type Theme } from '../schemas/theme.ts';
import { readFontFile } from './fonts.ts';
import type { ThemeEntry } from './model.ts';
import { realPath, type Problems } from './problems.ts';
import { suggest, validate } from './validate.ts';
import { readYaml } from './yaml.ts';

/** Colour pairs a visitor reads: [foreground, background]. */
const CONTRAST_PAIRS: [keyof Theme['colors'], keyof Theme['colors']][] = [
  ['text', 'background'],
  ['muted', 'background'],
  ['action', 'background'],
  ['text', 'surface'],
  ['actionText', 'action'],
  ['headerText', 'headerBackground'],
  ['footerText', 'footerBackground'],
];

/**
 * The themes that validated, by name; `invalid` remembers the ones whose file has errors (already
 * reported), so a brand naming one is told it is invalid rather than missing.
 */
export class Themes extends Map<string, ThemeEntry> {
  /** Name → file of each theme that failed validation. */
  readonly invalid = new Map<string, string>();
}

/**
 * Reads every `themes/*.yaml` from the given folders; a later folder's theme of the same name wins
 * (so a content repo's `themes/` overrides the built-in ones). Warns on colour pairs below WCAG AA.
 */
export function readThemes(dirs: string[], problems: Problems): Themes {
  const themes = new Themes();
  // `<content>/../themes` is the built-in folder itself when the content lives in this repository.
  const folders = [...new Set(dirs.filter((dir) => fs.existsSync(dir)).map(realPath))];
  for (const dir of folders) {
    for (const name of fs.readdirSync(dir).sort()) {
      if (!/\.ya?ml$/.test(name)) continue;
      const id = name.replace(/\.ya?ml$/, '');
      const file = path.join(dir, name);
      const source = readYaml(file, problems);
      const theme = validate(themeSchema, source, problems);
      if (!theme) {
        // An override with errors must not fall back silently to the built-in theme it replaces.
        themes.delete(id);
        themes.invalid.set(id, file);
        continue;
      }
      themes.invalid.delete(id);
      checkFonts(theme, file, dir, source.lineOf, problems);
      warnContrast(theme.colors, id, problems, (fg) => [file, source.lineOf(['colors', fg]), `colors.${fg}`]);
      themes.set(id, { name: id, file, theme });
    }
  }
  return themes;
}

/**
 * Checks the font files a theme names (see `readFontFile`), each refusal a `check` error at its
 * key's line. From here on a file font's `src` and `bold` are the checked files' real paths (as a
 * brand's images are), so routing never sees a path it has not checked: a refused `src` leaves the
 * font's fallback stack, a refused `bold` leaves the regular file alone.
 */
function checkFonts(
  theme: Theme,
  file: string,
  dir: string,
  lineOf: (keyPath: readonly PropertyKey[]) => number,
  problems: Problems,
): void {
  for (const role of ['heading', 'body'] as const) {
    const font = theme.fonts[role];
    if (typeof font === 'string') continue;
    const check = (key: 'src' | 'bold', written: string) =>
      readFontFile(
        { written, from: dir, root: dir, rootName: 'the themes folder', key: `fonts.${role}.${key}` },
        (message) => problems.error(file, lineOf(['fonts', role, key]), message),
      )?.file;
    const src = check('src', font.src);
    const bold = font.bold && check('bold', font.bold);
    if (!src) theme.fonts[role] = font.fallback;
    else theme.fonts[role] = { ...font, src, bold: bold || undefined };
  }
}

/**
 * Warns on each colour pair a visitor reads that is below WCAG AA (4.5:1), naming both colours and
 * the ratio. Themes and brand `styling` share it, so both say the same thing. `where` gives the
 * file, line and key name a colour is reported at (the brand file names its own keys); `only`
 * picks the pairs to check.
 */
export function warnContrast(
  colors: Theme['colors'],
  tally: string,
  problems: Problems,
  where: (color: keyof Theme['colors']) => [file: string, line: number, key: string],
  only: (pair: [keyof Theme['colors'], keyof Theme['colors']]) => boolean = () => true,
): void {
  for (const [fg, bg] of CONTRAST_PAIRS) {
    const ratio = contrastRatio(colors[fg], colors[bg]);
    if (ratio >= 4.5 || !only([fg, bg])) continue;
    const [file, line, fgKey] = where(fg);
    problems.warn(
      file,
      line,
      `${fgKey} ${colors[fg]} on ${where(bg)[2]} ${colors[bg]} has contrast ${ratio.toFixed(2)}:1, below WCAG AA 4.5:1; darken or lighten one of them`,
      { kind: 'contrast', tally },
    );
  }
}

/**
 * What to tell a brand whose `theme:` names no valid theme: that the theme's file has errors (it
 * exists, so it is not "missing"), or that there is no such theme, with a "did you mean".
 */
export function unknownThemeMessage(name: string, themes: ReadonlyMap<string, ThemeEntry>): string {
  const invalid = themes instanceof Themes ? themes.invalid : new Map<string, string>();
  const file = invalid.get(name);
  if (file)
    return `theme: themes/${path.basename(file)} has errors, listed under that file; fix them to use theme "${name}"`;
  const known = [...themes.keys(), ...invalid.keys()].sort();
  return `theme: no themes/${name}.yaml; ${suggest(name, known, 'create it or name an existing one')}`;
}

/** WCAG 2 contrast ratio of two hex colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (l1 + 0.05) / (l2 + 0.05);
}

function luminance(hex: string): number {
  const h = hex.length === 4 ? [...hex.slice(1)].map((c) => c + c).join('') : hex.slice(1);
  const [r = 0, g = 0, b = 0] = [0, 2, 4].map((i) => {
    const c = parseInt(h.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
