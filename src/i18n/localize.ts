import type { LocalizedText } from '../schemas/index.ts';

/**
 * Text of a brand-file value that is a string or per language (`{ en, de }`): the page language's,
 * else the brand default language's, else the first one given.
 */
export function localize(
  text: LocalizedText | undefined,
  lang: string,
  fallback: string,
): string | undefined {
  if (text === undefined || typeof text === 'string') return text;
  return text[lang] ?? text[fallback] ?? Object.values(text)[0];
}
