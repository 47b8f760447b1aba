import fs from 'node:fs';
import path from 'node:path';
import { themeSchema, type Theme } from '../schemas/theme.ts';
import type { ThemeEntry } from './model.ts';
import type { Problems } from './problems.ts';
import { validate } from './validate.ts';
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
 * Reads every `themes/*.yaml` from the given folders; a later folder's theme of the same name wins
 * (so a content repo's `themes/` overrides the built-in ones). Warns on colour pairs below WCAG AA.
 */
export function readThemes(dirs: string[], problems: Problems): Map<string, ThemeEntry> {
  const themes = new Map<string, ThemeEntry>();
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      if (!/\.ya?ml$/.test(name)) continue;
      const file = path.join(dir, name);
      const source = readYaml(file, problems);
      const theme = validate(themeSchema, source, problems);
      if (!theme) continue;
      for (const [fg, bg] of CONTRAST_PAIRS) {
        const ratio = contrastRatio(theme.colors[fg], theme.colors[bg]);
        if (ratio < 4.5)
          problems.warn(
            file,
            source.lineOf(['colors', fg]),
            `colors.${fg} ${theme.colors[fg]} on colors.${bg} ${theme.colors[bg]} has contrast ${ratio.toFixed(2)}:1, below WCAG AA 4.5:1; darken or lighten one of them`,
          );
      }
      themes.set(name.replace(/\.ya?ml$/, ''), { name: name.replace(/\.ya?ml$/, ''), file, theme });
    }
  }
  return themes;
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
