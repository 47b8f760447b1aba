import { z } from 'zod';
import { hexColor, relativePath } from './common.ts';

/** A WOFF2 or WOFF font file named relative to the theme file. */
const fontFile = relativePath.regex(/\.woff2?$/i, { error: 'expected a .woff2 or .woff file' });

/**
 * A font: a CSS font stack (system fonts), or font files in the repo with their family name. Files
 * must sit inside the themes folder (at most 2 MB each); the build subsets them to the scripts of
 * each brand's languages and publishes them on the brand's own domain, never a font host.
 */
const fontSchema = z.union([
  z.string().min(1),
  z.strictObject({
    /** Family name used in CSS. Example: `Inter`. */
    family: z.string().min(1),
    /** The regular font file (WOFF2 or WOFF), relative to the theme file; its weight and style are read from the file (a variable font covers its whole weight range). Example: `./fonts/inter.woff2`. */
    src: fontFile,
    /** Optional bold file of the same family, for headings and bold text; without it browsers embolden `src`. Example: `./fonts/inter-700.woff2`. */
    bold: fontFile.optional(),
    /** Fallback stack after the family, for characters the files lack (e.g. Japanese). Default: `system-ui, sans-serif`. */
    fallback: z.string().default('system-ui, sans-serif'),
  }),
]);

/** `themes/<theme>.yaml`: the look of every brand that names it in `theme:`. */
export const themeSchema = z.strictObject({
  /** Colours, as hex. Pairs that fail WCAG AA contrast are a `check` warning. */
  colors: z
    .strictObject({
      /** Page background. Default: `#ffffff`. */
      background: hexColor.default('#ffffff'),
      /** Surface of cards and panels. Default: `#f6f8fa`. */
      surface: hexColor.default('#f6f8fa'),
      /** Body text. Default: `#1f2328`. */
      text: hexColor.default('#1f2328'),
      /** Secondary text (descriptions, dates). Default: `#57606a`. */
      muted: hexColor.default('#57606a'),
      /** Links, buttons and focus rings. Default: `#0a59c9`. */
      action: hexColor.default('#0a59c9'),
      /** Text on `action`-coloured buttons. Default: `#ffffff`. */
      actionText: hexColor.default('#ffffff'),
      /** Borders and rules. Default: `#d0d7de`. */
      border: hexColor.default('#d0d7de'),
      /** Header background. Default: `#0a59c9`. */
      headerBackground: hexColor.default('#0a59c9'),
      /** Header text. Default: `#ffffff`. */
      headerText: hexColor.default('#ffffff'),
      /** Footer background. Default: `#f6f8fa`. */
      footerBackground: hexColor.default('#f6f8fa'),
      /** Footer text. Default: `#1f2328`. */
      footerText: hexColor.default('#1f2328'),
    })
    .prefault({}),
  /** Corner radius of cards, buttons and inputs, in pixels. Default: `8`. */
  cornerRadius: z.number().min(0).max(32).default(8),
  /** Typefaces. Default: the system UI stack for both. */
  fonts: z
    .strictObject({
      /** Headings: a CSS font stack, or (in a theme) a font file. Example: `Georgia, serif`. */
      heading: fontSchema.default('system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'),
      /** Body text: a CSS font stack, or (in a theme) a font file. Example: `"Helvetica Neue", Arial, sans-serif`. */
      body: fontSchema.default('system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'),
    })
    .prefault({}),
  /** Show the author and their avatar on articles. Default: `true`. */
  showAuthors: z.boolean().default(true),
  /** Style of the collection cards on the home page: `classic`, `visual` (large icons) or `compact`. Default: `classic`. */
  collectionCards: z.enum(['classic', 'visual', 'compact']).default('classic'),
  /** Show collection and article descriptions in listings. Default: `true`. */
  showDescriptions: z.boolean().default(true),
  /** Article page settings. */
  article: z
    .strictObject({
      /** Show a table of contents (an article's `toc` wins). Default: `true`. */
      toc: z.boolean().default(true),
      /** How many related articles to show, 0–5. Default: `3`. */
      relatedArticles: z.number().int().min(0).max(5).default(3),
    })
    .prefault({}),
  /** Colour scheme hint for browsers (form controls, scrollbars). Default: `light`. */
  colorScheme: z.enum(['light', 'dark']).default('light'),
});
export type Theme = z.infer<typeof themeSchema>;
