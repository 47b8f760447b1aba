import { z } from 'zod';
import { aliasPath } from './article.ts';
import { BUILTIN_ICONS, aiFlags, localizedText, relativePath } from './common.ts';

/** `<collection>/_collection.yaml`: a collection's name, description, icon and order. */
export const collectionSchema = z.strictObject({
  /** Name, a string (default language) or per language. Example: `{ en: Billing, de: Abrechnung }`. */
  name: localizedText,
  /** One-line description under the name, a string or per language. */
  description: localizedText.optional(),
  /**
   * A built-in icon (`book`, `credit-card`, `gear`, `users`, `chat`, `shield`, …) or a relative path to
   * a PNG, JPEG, WebP or SVG file inside the content folder (top-level collections only). An SVG is
   * published as a PNG. Default: `book`.
   */
  icon: z
    .union([
      z.enum(BUILTIN_ICONS),
      relativePath.regex(/\.(png|jpe?g|webp|svg)$/i, {
        error: 'expected a built-in icon name or a relative path to a .png, .jpg, .webp or .svg file',
      }),
    ])
    .optional(),
  /** Position among its siblings, ascending; ties sort by name. Default: after those with an order. */
  order: z.number().optional(),
  /** Default AI availability for every article inside, at any depth; an article's own `ai` wins. */
  ai: aiFlags.optional(),
  /**
   * Former URL paths of this collection on this help center's host, each redirected to the
   * collection page in the language the path starts with (Intercom's `zh-CN` is `zh-Hans`), else in
   * the brand's default language. Example: `[/de/collections/45-billing]`.
   */
  aliases: z.array(aliasPath).optional(),
});
export type CollectionConfig = z.infer<typeof collectionSchema>;

/** `internal/<folder>/_folder.yaml`: a folder of Copilot-only knowledge. Optional. */
export const folderSchema = z.strictObject({
  /** Name shown to teammates. Default: the folder's name. */
  name: z.string().min(1),
  /** An emoji shown beside the name. Example: `📁`. */
  emoji: z.string().max(16).optional(),
  /** Default AI availability for every article inside, at any depth; an article's own `ai` wins. */
  ai: aiFlags.optional(),
});
export type FolderConfig = z.infer<typeof folderSchema>;
