import type { BrandConfig } from '../schemas/brand.ts';
import type { Theme } from '../schemas/theme.ts';
import type { ThemeEntry } from './model.ts';
import type { Problems } from './problems.ts';
import { warnContrast } from './themes.ts';

type Styling = NonNullable<BrandConfig['styling']>;

/** Brand `styling` keys that override a theme colour of the same name. */
const COLOR_KEYS = ['background', 'action', 'headerBackground', 'headerText'] as const;

/**
 * The brand's theme with its `styling` applied: a new theme entry, never a change to the shared one
 * (several brands name the same theme). Without `styling` it is the theme entry itself.
 */
export function styledTheme(entry: ThemeEntry, styling: Styling | undefined): ThemeEntry {
  if (!styling) return entry;
  const { theme } = entry;
  const colors = { ...theme.colors };
  for (const key of COLOR_KEYS) {
    const value = styling[key];
    if (value) colors[key] = value;
  }
  const styled: Theme = {
    ...theme,
    colors,
    cornerRadius: styling.cornerRadius ?? theme.cornerRadius,
    collectionCards: styling.collectionCards ?? theme.collectionCards,
    showDescriptions: styling.showDescriptions ?? theme.showDescriptions,
    fonts: {
      heading: styling.fonts?.heading ?? theme.fonts.heading,
      body: styling.fonts?.body ?? theme.fonts.body,
    },
  };
  return { ...entry, theme: styled };
}

/**
 * Warns on the colour pairs of a styled brand that fail WCAG AA, at the brand file's `styling`
 * line. Only brands that set `styling` are checked here: the theme's own pairs are already reported
 * once at the theme file, and repeating them per brand would bury the message.
 */
export function checkStyling(
  styled: ThemeEntry,
  styling: Styling | undefined,
  brandId: string,
  brandFile: string,
  lineOf: (keyPath: readonly PropertyKey[]) => number,
  problems: Problems,
): void {
  if (!styling) return;
  const own = new Set<string>(COLOR_KEYS.filter((key) => styling[key]));
  warnContrast(
    styled.theme.colors,
    brandId,
    problems,
    (color) =>
      own.has(color)
        ? [brandFile, lineOf(['styling', color]), `styling.${color}`]
        : [brandFile, lineOf(['styling']), `theme ${styled.name} colors.${color}`],
    ([fg, bg]) => own.has(fg) || own.has(bg),
  );
}
