import { randomBytes } from 'node:crypto';

/**
 * Tokens stand for the words in which brands that share a help center differ (their domain, name,
 * id…): what is made once for all of them holds tokens, and each brand's copy is that text with
 * its own words put in (`shared-renders.ts` for the pages, `feed-files.ts` for the feeds).
 *
 * A token is letters and digits, which no escaping (HTML, JSON, Markdown, URLs) changes. Its
 * prefix is new in every build, so no content can hold one: content written beforehand cannot
 * guess it, and text that merely looks like a token is left as it is.
 */
export interface Tokens {
  /** What every token of this build starts with. */
  prefix: string;
  /** The token of the `i`-th word. */
  token(i: number): string;
}

export function newTokens(): Tokens {
  const prefix = `zq${randomBytes(6).toString('hex')}t`;
  return { prefix, token: (i) => `${prefix}${String(i).padStart(4, '0')}z` };
}

/**
 * A word that may stand in a token's place: one escaping leaves as it is, in HTML text and
 * attributes, JSON and scripts, so the raw word is right wherever the token was.
 */
export function plain(word: string): boolean {
  // eslint-disable-next-line no-control-regex
  return word.length > 0 && !/[&<>"'\\\u0000-\u001f\u2028\u2029]/.test(word);
}

/** One text's words, by token number, and the prefix of its tokens. */
export interface Words {
  prefix: string;
  words: readonly string[];
}

/** The rest of a token, after its prefix. */
const TOKEN_END = /^\d{4}z/;

/**
 * `text` with each token replaced by its word. (Splitting at the tokens' prefix took half the time
 * of a regular expression's replace.)
 */
export function detokenize(text: string, { prefix, words }: Words): string {
  const parts = text.split(prefix);
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i]!;
    const word = TOKEN_END.test(part) ? words[Number(part.slice(0, 4))] : undefined;
    // Anything else after the prefix is left as it was, for `leftover` to find.
    out += word === undefined ? prefix + part : word + part.slice(5);
  }
  return out;
}

/**
 * `detokenize` of UTF-8 bytes, giving UTF-8 bytes: the same as decoding them, replacing and
 * encoding again, which took a page's writer longer than writing it. The prefix, the digits and
 * the `z` are ASCII, so the bytes are split where the text would be, and each part is the bytes
 * of the text's.
 */
export function detokenizeBytes(text: Uint8Array, { prefix, words }: Words): Buffer {
  const bytes = Buffer.from(text.buffer, text.byteOffset, text.byteLength);
  // Where `split` would cut: each prefix found after the end of the one before.
  const at: number[] = [];
  for (
    let i = bytes.indexOf(prefix, 0, 'latin1');
    i >= 0;
    i = bytes.indexOf(prefix, i + prefix.length, 'latin1')
  )
    at.push(i);
  if (at.length === 0) return bytes;
  const pieces: Uint8Array[] = [bytes.subarray(0, at[0])];
  for (let k = 0; k < at.length; k++) {
    const part = bytes.subarray(at[k]! + prefix.length, at[k + 1] ?? bytes.length);
    const word = tokenEnd(part) ? words[Number(part.toString('latin1', 0, 4))] : undefined;
    if (word === undefined) pieces.push(bytes.subarray(at[k], at[k + 1] ?? bytes.length));
    else pieces.push(Buffer.from(word, 'utf8'), part.subarray(5));
  }
  return Buffer.concat(pieces);
}

/** Whether `part` starts as the rest of a token does (`TOKEN_END`: four ASCII digits and `z`). */
function tokenEnd(part: Uint8Array): boolean {
  if (part.length < 5 || part[4] !== 0x7a) return false;
  for (let i = 0; i < 4; i++) if (part[i]! < 0x30 || part[i]! > 0x39) return false;
  return true;
}

/**
 * Whether `text` still holds part of a token (after `detokenize`): code of ours changed one
 * (upper-cased it, say), so the text is not what the brand's own would be. A bug to report, not a
 * content problem. UTF-8 bytes are read as Latin-1: the prefix is ASCII, which no byte of a
 * character beyond ASCII matches (see `searchInputHash`).
 */
export function leftover(text: string | Uint8Array, prefix: string): boolean {
  let pattern = leftovers.get(prefix);
  if (!pattern) leftovers.set(prefix, (pattern = new RegExp(prefix, 'i')));
  if (typeof text === 'string') return pattern.test(text);
  return pattern.test(Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('latin1'));
}

/** By prefix (one a build): a lower-cased copy of each page took 20 times as long. */
const leftovers = new Map<string, RegExp>();
