import { z } from 'zod';
import { aiFlags } from './common.ts';

/** Longest title, in characters. */
export const MAX_TITLE = 255;
/** Longest description, in characters. */
export const MAX_DESCRIPTION = 500;
/** Search results show about this many characters of a description: past it, a warning. */
export const SNIPPET_LENGTH = 160;
/** Largest article body, in bytes of UTF-8 (1 MB). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** `10,485,760 characters, over the 500 limit; shorten it` */
function overLimit(max: number) {
  return (issue: { input?: unknown }) =>
    `${String(issue.input).length.toLocaleString('en-US')} characters, over the ${max} limit; shorten it`;
}

// A line break in a title forged lines in the Markdown copy agents read; U+0085, U+2028 and
// U+2029 (YAML's "\N", "\L", "\P") break lines too. Other control characters are never text.
const LINE_BREAK = /[\n\r\u0085\u2028\u2029]/;
const CONTROL = /(?![\t\n\r\u0085])\p{Cc}/u;

const ID = /^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u;

/**
 * Why `id` cannot be an article id (or a former one: an alias), or `undefined` when it can. An id
 * is one URL segment (`/en/articles/<id>/`), so `.`, `..`, a `/`, `?`, `#`, `%`, whitespace or a
 * control character would change what the URL points at, and an id ending in `.md` would share a
 * URL with another article's Markdown copy (`/en/articles/<id>.md`). Phrased to follow "article id".
 */
export function idProblem(id: string): string | undefined {
  const shown = JSON.stringify(id);
  if (id === '') return 'is empty';
  if (id === '.' || id === '..') return `${shown} is a folder in a URL, not a page`;
  const ext = /\.(mdx?)$/i.exec(id)?.[0];
  if (ext)
    return `${shown} ends in "${ext}", so its URL would be the Markdown copy of "${id.slice(0, -ext.length)}"`;
  if (ID.test(id)) return undefined;
  const bad = [...id].find((c, i) => !(i === 0 ? /[\p{L}\p{N}]/u : /[\p{L}\p{N}._-]/u).test(c)) ?? '';
  const what = /\s/.test(bad)
    ? 'whitespace'
    : /\p{Cc}/u.test(bad)
      ? `control character U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`
      : `"${bad}"`;
  const where = id.startsWith(bad) && !/\s|\p{Cc}/u.test(bad) ? 'starts with' : 'contains';
  return `${shown} ${where} ${what}; ids may hold only letters, digits, ".", "-" and "_", starting with a letter or digit (an id is a URL segment)`;
}

/** An alias's problem, with what to write instead where that can be guessed. */
function aliasProblem(alias: string): string | undefined {
  const problem = idProblem(alias);
  if (!problem) return undefined;
  // `/en/articles/old-refunds/` or `billing/old-refunds.en.md`: the id is the last segment.
  const last = alias.split(/[/\\]/).filter(Boolean).at(-1) ?? '';
  const guess = last.replace(/(\.[a-z]{2,3}(-[a-z0-9]{2,8})*)?\.mdx?$/i, '');
  const fix =
    guess && guess !== alias && !idProblem(guess)
      ? `write "${guess}"`
      : 'write the former id: the old file name without .<lang>.md';
  return `${problem}; ${fix}`;
}

/** Article front matter: the YAML block between `---` lines at the top of `<id>.<lang>.md`. */
export const articleSchema = z.strictObject({
  /** The article's title. Required. Example: `Request a refund`. */
  title: z
    .string()
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(MAX_TITLE, { error: overLimit(MAX_TITLE) })
    .refine((title) => !LINE_BREAK.test(title), {
      error: 'must be one line; remove the line break (put the rest in the description or the body)',
    })
    .refine((title) => !CONTROL.test(title), { error: 'contains a control character; remove it' }),
  /**
   * Summary for listings, search results and social cards, at most 500 characters (over 160, a
   * warning: search results cut it). Default: the first paragraph, trimmed.
   */
  description: z
    .string()
    .max(MAX_DESCRIPTION, { error: overLimit(MAX_DESCRIPTION) })
    .refine((text) => !CONTROL.test(text), { error: 'contains a control character; remove it' })
    .optional(),
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
  /** Former ids of this article; each old URL redirects to the new one. Example: `[old-refunds]`. */
  aliases: z
    .array(
      z.string().superRefine((alias, ctx) => {
        const problem = aliasProblem(alias);
        if (problem) ctx.addIssue({ code: 'custom', message: problem, input: alias });
      }),
    )
    .optional(),
});
export type ArticleFrontMatter = z.infer<typeof articleSchema>;
