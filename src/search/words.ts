import { searchDocument } from './input.ts';

/**
 * Japanese, handed to Pagefind with its word breaks marked.
 *
 * Pagefind's own segmenter (in the extended binary the npm package runs) leaves a run of katakana
 * words as one word, and indexes every suffix of a word it cannot split, so that a search for a
 * word inside it still matches: a 40-character run becomes 40 words. Written the way a generated
 * help center (and a terse real one: UI labels, product names) writes Japanese, 765 pages held
 * 129,825 distinct words; their pass took 10.1 s and 838 MB, most of it spent writing the index.
 *
 * Pagefind's search in the browser splits a query into words with `Intl.Segmenter` (its
 * `needsWordSegmentation` languages, Japanese among them). So the index is handed the same words:
 * a copy of each page whose text has a zero-width space (U+200B, which Pagefind itself puts between
 * the words of a CJK excerpt) at every boundary `Intl.Segmenter` finds between two Japanese words.
 * Pagefind still splits each of those words itself and indexes its suffixes, so a search for part
 * of a word still finds it. The same 765 pages then held a third of the index bytes, and their
 * pass took 5.0 s and 343 MB. Only text between tags is marked: attributes (the collection filter,
 * the metadata) stay as the page has them.
 *
 * No library does this: Pagefind has no option for it, and `Intl.Segmenter` is the segmenter that
 * its search uses.
 */
export function marksWords(lang: string): boolean {
  return /^ja\b/i.test(lang);
}

/** A word that starts in Japanese script (kanji, hiragana, katakana, the prolonged sound mark, iteration marks). */
const JAPANESE = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー々〆]/u;
/** Text between two tags that holds a character of those scripts. */
const TEXT = />([^<]*[\u3040-\u30ff\u3400-\u9fff][^<]*)</g;

let segmenter: Intl.Segmenter | undefined;

/**
 * `text` with U+200B between each two of its Japanese words. The whole text is split at once:
 * each run of Japanese apart took a third longer (the calls, not the splitting).
 */
export function markWords(text: string): string {
  segmenter ??= new Intl.Segmenter('ja', { granularity: 'word' });
  let marked = '';
  let after = false;
  for (const { segment } of segmenter.segment(text)) {
    const japanese = JAPANESE.test(segment);
    marked += japanese && after ? `\u200b${segment}` : segment;
    after = japanese;
  }
  return marked;
}

/**
 * What Pagefind is given of a page in a language whose words it is told (`marksWords`): the part
 * it reads (`searchDocument`), with the words of its text marked.
 */
export function wordsCopy(html: string): string {
  return searchDocument(html).replace(TEXT, (_, text: string) => `>${markWords(text)}<`);
}
