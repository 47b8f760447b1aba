import { z } from 'zod';
import { aiFlags } from './common.ts';

/** Article front matter: the YAML block between `---` lines at the top of `<id>.<lang>.md`. */
export const articleSchema = z.strictObject({
  /** The article's title. Required. Example: `Request a refund`. */
  title: z.string().trim().min(1, { error: 'must not be empty' }),
  /** Summary for listings, search results and social cards. Default: the first paragraph, trimmed. */
  description: z.string().optional(),
  /** `published`, or `draft` (built only by the dev server). Default: `published`. */
  state: z.enum(['published', 'draft']).default('published'),
  /**
   * `public`; `unlisted` (reachable by its URL only: absent from listings, search, sitemap and feed,
   * `noindex`); `private` (logged-in customers only). Default: `public`.
   */
  visibility: z.enum(['public', 'unlisted', 'private']).default('public'),
  /** Key of an author in `authors.yaml`. Default: none. */
  author: z.string().optional(),
  /** Which AI agents may use the article. Default: the collection's setting, else both `true`. */
  ai: aiFlags.optional(),
  /** Keys of audiences in `audiences.yaml` the article targets. Default: everyone. */
  audiences: z.array(z.string()).optional(),
  /** Position in its collection, ascending; ties sort by title. */
  order: z.number().optional(),
  /** Ids of up to 5 related articles. Default: computed from the same collection and shared terms. */
  related: z
    .array(z.string())
    .max(5, { error: 'at most 5 related articles; keep the 5 most useful' })
    .optional(),
  /** Show a table of contents. Default: the theme's `article.toc`. */
  toc: z.boolean().optional(),
  /** Free-form tags, used by search and the feed. */
  tags: z.array(z.string()).optional(),
  /** Last-updated date (`2025-03-01`). Default: the last git commit touching the file, else its mtime. */
  updated: z.coerce.date({ error: 'expected a date such as 2025-03-01' }).optional(),
  /** Former ids of this article; each old URL redirects to the new one. */
  aliases: z
    .array(z.string().regex(/^[\w.-]+$/, { error: 'expected a former article id (letters, digits, - _ .)' }))
    .optional(),
});
export type ArticleFrontMatter = z.infer<typeof articleSchema>;
