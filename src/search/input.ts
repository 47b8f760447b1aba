import { createHash } from 'node:crypto';
import { SEARCH_BODY_END } from '../routing/layout.ts';

/**
 * The element of a page Pagefind reads: the article, which `Article.astro` marks with
 * `data-pagefind-body` (Pagefind reads nothing else of the page but the `lang` of its `<html>` tag).
 * The rest is the brand's chrome: headers, footers, scripts, styles.
 */
export const ROOT = 'article[data-pagefind-body]';

/**
 * What Pagefind reads of a page, or more: nothing when no element carries `data-pagefind-body`
 * (no `ROOT`, so Pagefind leaves the page out); else the `<html>` tag (its `lang`) and the page from
 * the first `<article` (where `ROOT` starts, at the latest) to the last `SEARCH_BODY_END` after it,
 * or to the end. `Article.astro` writes that marker inside `ROOT`, followed only by the article's
 * foot, which carries `data-pagefind-ignore="all"`: Pagefind reads nothing of it (no text, filter,
 * metadata, heading or image), so the reactions a brand shows there do not count.
 */
export function pageSearchInput(html: string): string {
  const read = searchSpans(html);
  if (read === 'nothing') return '';
  if (read === 'all') return html;
  return `${read.tag ? html.slice(...read.tag) : ''}\0${html.slice(...read.body)}`;
}

/**
 * A page cut down to what Pagefind reads of it (as `pageSearchInput`), as a document Pagefind reads
 * alike: the `<html>` tag and the article; or the whole page, where Pagefind reads all of it or
 * none of it (a page without `data-pagefind-body`, which it leaves out).
 */
export function searchDocument(html: string): string {
  const read = searchSpans(html);
  if (read === 'nothing' || read === 'all') return html;
  return `<!doctype html>${read.tag ? html.slice(...read.tag) : '<html>'}<body>${html.slice(...read.body)}</body></html>`;
}

/**
 * Where `pageSearchInput` takes its pieces from in `html`: `nothing`, `all`, or the `<html>` tag
 * (if any) and the article, as [start, end) offsets.
 */
function searchSpans(html: string): 'nothing' | 'all' | { tag?: Span; body: Span } {
  if (!/data-pagefind-body/i.test(html)) return 'nothing';
  const start = html.search(/<article/i);
  if (start < 0) return 'all';
  const end = html.lastIndexOf(SEARCH_BODY_END);
  const tag = /<html\b[^>]*>/i.exec(html);
  const body: Span = [start, end > start ? end : html.length];
  return tag ? { tag: [tag.index, tag.index + tag[0].length], body } : { body };
}

type Span = [start: number, end: number];

/**
 * A hash of `pageSearchInput`: what decides, page by page, whether two search indexes are alike.
 * Of a page's text, or of its UTF-8 bytes (the same hash, without decoding them).
 */
export function searchInputHash(html: string | Uint8Array): string {
  if (typeof html === 'string') return createHash('sha256').update(pageSearchInput(html)).digest('hex');
  // `searchSpans` of the bytes: its patterns are ASCII, so in the bytes read as Latin-1 (one
  // character a byte, without decoding) each match is where it is in the text, at its byte
  // offset, and no byte of a character beyond ASCII matches, with or without `i` (a regular
  // expression without `u` never folds such a character to an ASCII one). So the pieces hashed
  // are the UTF-8 bytes of the text's pieces. Decoding a 30 KB page took longer than hashing it.
  const bytes = Buffer.from(html.buffer, html.byteOffset, html.byteLength);
  const read = searchSpans(bytes.toString('latin1'));
  const hash = createHash('sha256');
  if (read === 'nothing') return hash.digest('hex');
  if (read === 'all') return hash.update(bytes).digest('hex');
  if (read.tag) hash.update(bytes.subarray(...read.tag));
  return hash
    .update('\0')
    .update(bytes.subarray(...read.body))
    .digest('hex');
}

/**
 * What the page cache keeps of a page as written (`page-cache.ts`): its bytes' SHA-256 and its
 * `searchInputHash`.
 */
export interface PageHashes {
  sha: string;
  search: string;
}

/** `PageHashes` of a page's HTML as written (UTF-8), from its text or its bytes. */
export function pageHashes(html: string | Uint8Array): PageHashes {
  return { sha: createHash('sha256').update(html).digest('hex'), search: searchInputHash(html) };
}
