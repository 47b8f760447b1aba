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

/** Longest former URL path (an alias starting with `/`), in characters. */
export const MAX_ALIAS_PATH = 300;

/**
 * What a path segment may hold once percent-decoded: letters, marks and digits in any script, and
 * the punctuation of ordinary slugs. Everything else (`?`, `#`, `%`, `/`, `*`, `:`, quotes,
 * spaces) would change what the URL points at, or cannot be a file name on every host.
 */
const SEGMENT_CHAR = /[\p{L}\p{M}\p{N}._~+,=@-]/u;
/** Characters a segment keeps unencoded in the normal form, as browsers send them. */
const PLAIN_CHAR = /[A-Za-z0-9._~+,=@-]/;

/** `"…"` of a long value, so a message stays one readable line. */
function quoted(text: string, max = 80): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max - 1)}…` : text);
}

/** `control character U+0007`, `whitespace` or `"*"`: one character, as a message names it. */
function describeChar(c: string): string {
  if (/\s/u.test(c)) return 'whitespace';
  if (/\p{C}/u.test(c))
    return `control character U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return `"${c}"`;
}

function decodes(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/** The segments of a path, percent-decoded; a string (the bad escape) when one cannot be. */
function decodedSegments(path: string): string[] | { badEscape: string } {
  const segments: string[] = [];
  for (const segment of path.replace(/\/$/, '').split('/').slice(1)) {
    try {
      segments.push(decodeURIComponent(segment));
    } catch {
      // A "%" without two hex digits, else a run of escapes that is no UTF-8 (`%C3` alone).
      const stray = /%(?![0-9a-f]{2}).{0,2}/i.exec(segment)?.[0];
      const runs = segment.match(/(?:%[0-9a-f]{2})+/gi) ?? [];
      return { badEscape: stray ?? runs.find((run) => !decodes(run)) ?? '%' };
    }
  }
  return segments;
}

/**
 * Why `path` cannot be a former URL path of an article or collection, or `undefined` when it can.
 * A former URL is a path on the help center's own host, as the old help center served it:
 * `/en/articles/123456-request-a-refund`. It may be percent-encoded (`/de/articles/r%C3%BCck`) or
 * not (`/de/articles/rück`); both are one URL. Whether it is Signpost's own (`/_astro/…`) or
 * another page's is checked once the whole help center is read (content/cross-checks.ts).
 */
export function aliasPathProblem(path: string): string | undefined {
  const shown = quoted(path);
  if (path.length > MAX_ALIAS_PATH)
    return `${shown} is ${path.length} characters, over the ${MAX_ALIAS_PATH} limit; a former URL path is never that long, so check it was copied whole and alone`;
  if (path.startsWith('//'))
    return `${shown} starts with "//", which names another host; write the path on this help center's host, starting with one "/"`;
  const raw = [...path].find((c) => /\s|\p{C}/u.test(c));
  if (raw)
    return `${shown} contains ${describeChar(raw)}; a URL path has none, so write the path as the browser's address bar shows it`;
  for (const [mark, what] of [
    ['?', 'a query'],
    ['#', 'a fragment'],
  ] as const) {
    const at = path.indexOf(mark);
    if (at >= 0)
      return `${shown} contains "${mark}", the start of ${what}, which no redirect can match; write the path alone: ${quoted(path.slice(0, at) || '/')}`;
  }
  const segments = decodedSegments(path);
  if (!Array.isArray(segments))
    return `${shown} contains "${segments.badEscape}", which is not a percent-encoded UTF-8 character; write the character itself or its %XX bytes`;
  const trimmed = path.replace(/\/$/, '');
  if (trimmed.includes('//'))
    return `${shown} has an empty segment ("//"); write ${quoted(trimmed.replace(/\/{2,}/g, '/') || '/')}`;
  for (const segment of segments) {
    if (segment === '.' || segment === '..')
      return `${shown} has a "${segment}" segment, which browsers resolve away before asking; write the path it resolves to`;
    if (segment.startsWith('.'))
      return `${shown} has a segment starting with "." (${quoted(segment)}), a hidden name hosts do not serve; remove that segment`;
    const bad = [...segment.normalize('NFC')].find((c) => !SEGMENT_CHAR.test(c));
    if (bad)
      return `${shown} contains ${describeChar(bad)}${bad === '/' || bad === '%' ? ' (percent-encoded)' : ''}; a former URL path may hold only letters, digits, "/" between segments and "-", ".", "_", "~", "+", ",", "=", "@" (percent-encoded or not)`;
  }
  return undefined;
}

/**
 * The one spelling of a former URL path (call only when `aliasPathProblem` finds none): each
 * segment percent-decoded, Unicode-normalized (NFC) and encoded again as browsers send it
 * (`r%c3%bcck`, `rück` → `r%C3%BCck`), with no trailing slash (`/old/` → `/old`). Two spellings of
 * one URL are then one alias, in the redirects and in the conflict checks.
 */
export function normalizeAliasPath(path: string): string {
  const segments = decodedSegments(path);
  if (!Array.isArray(segments) || segments.length === 0) return '/';
  const encode = (segment: string) =>
    [...segment.normalize('NFC')].map((c) => (PLAIN_CHAR.test(c) ? c : encodeURIComponent(c))).join('');
  return `/${segments.map(encode).join('/')}`;
}

/** The problem of an alias that is meant as a former id, with what to write instead where it can be guessed. */
function aliasIdProblem(alias: string): string | undefined {
  if (/^https?:\/\//i.test(alias)) {
    let pathname = '';
    try {
      pathname = new URL(alias).pathname;
    } catch {
      // Not even a URL: the generic advice below.
    }
    return pathname && pathname !== '/'
      ? `${quoted(alias)} is a full URL; write its path only, starting with "/": ${quoted(pathname)}`
      : `${quoted(alias)} is a full URL; write the former id, or the former URL's path starting with "/"`;
  }
  const problem = idProblem(alias);
  if (!problem) return undefined;
  // `billing/old-refunds.en.md` or `en/articles/old-refunds`: the id is the last segment.
  const last = alias.split(/[/\\]/).filter(Boolean).at(-1) ?? '';
  const guess = last.replace(/(\.[a-z]{2,3}(-[a-z0-9]{2,8})*)?\.mdx?$/i, '');
  const fix =
    guess && guess !== alias && !idProblem(guess)
      ? `write "${guess}"`
      : 'write the former id: the old file name without .<lang>.md';
  const path = alias.includes('/') && !/\.mdx?$/i.test(alias) ? `, or the former URL path "/${alias}"` : '';
  return `${problem}; ${fix}${path}`;
}

/** A former URL path: checked, then in its one spelling (see `normalizeAliasPath`). */
export const aliasPath = z
  .string()
  .superRefine((path, ctx) => {
    const problem = path.startsWith('/')
      ? aliasPathProblem(path)
      : `${quoted(path)} is not a path; write the former URL's path, starting with "/" (e.g. "/en/collections/45-billing")`;
    if (problem) ctx.addIssue({ code: 'custom', message: problem, input: path });
  })
  .transform(normalizeAliasPath);

/** A former id, or a former URL path (starting with `/`), in its one spelling. */
const articleAlias = z
  .string()
  .superRefine((alias, ctx) => {
    const problem = alias.startsWith('/') ? aliasPathProblem(alias) : aliasIdProblem(alias);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, input: alias });
  })
  .transform((alias) => (alias.startsWith('/') ? normalizeAliasPath(alias) : alias));

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
  /**
   * Former URLs of this translation, each redirected to its page: a former id (`old-refunds`: the
   * URL `/<lang>/articles/old-refunds/`) or a former URL path on this help center's host, as the old
   * help center served it (`/en/articles/123456-request-a-refund`, percent-encoded or not). Example:
   * `[old-refunds, /en/articles/123456-request-a-refund]`.
   */
  aliases: z.array(articleAlias).optional(),
});
export type ArticleFrontMatter = z.infer<typeof articleSchema>;
