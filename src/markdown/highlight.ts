import type { Element } from 'hast';
import type { BundledLanguage, Highlighter } from 'shiki';
import { HighlightMemo, highlightMemo } from './highlight-memo.ts';

const THEMES = { light: 'github-light', dark: 'github-dark' } as const;

/** Shiki's names for "no grammar": highlighted as plain text, themed like the rest. */
const PLAIN = new Set(['text', 'txt', 'plain', 'plaintext']);

/**
 * Shiki, loaded the first time a page has code to highlight that no previous build highlighted
 * (`highlightMemo`): most rebuilds render no new code block (they render only what changed), and
 * loading Shiki took ~90 ms of the build's start.
 */
let shiki: ReturnType<typeof importShiki> | undefined;
const importShiki = () => import('shiki');
const loadShiki = () => (shiki ??= importShiki());

/** One highlighter for the whole build: creating one loads themes and the regex engine. */
let highlighter: Promise<Highlighter> | undefined;

function getHighlighter(): Promise<Highlighter> {
  highlighter ??= loadShiki().then(({ createHighlighter }) =>
    createHighlighter({ themes: Object.values(THEMES), langs: [] }),
  );
  return highlighter;
}

/** Loads a grammar the first time a page uses it; returns the name to highlight with. */
async function loadLanguage(instance: Highlighter, language: string): Promise<string> {
  const name = language.toLowerCase();
  if (PLAIN.has(name)) return 'text';
  if (instance.getLoadedLanguages().includes(name)) return name;
  if (!Object.hasOwn((await loadShiki()).bundledLanguages, name)) return 'text';
  await instance.loadLanguage(name as BundledLanguage);
  return name;
}

/**
 * Highlighted blocks by language and code. Highlighting is most of a render's cost, and a build
 * renders the same body more than once (once per brand sharing a help center, and for the feed).
 * Bounded so a huge site cannot grow it without limit; the oldest entry goes first.
 */
const cache = new Map<string, Promise<Element | undefined>>();
const CACHE_SIZE = 2000;

/**
 * Highlights code at build time. The result is Shiki's `pre` with both themes as CSS variables
 * (`--shiki-light`, `--shiki-dark`) so the page CSS chooses; no JavaScript reaches the visitor.
 * An unknown language is highlighted as plain text; any Shiki failure returns undefined so the
 * caller keeps the plain `pre > code` rather than failing the build over colours. The element is
 * shared between calls for the same code: copy it, never change it.
 */
export function highlight(code: string, language: string): Promise<Element | undefined> {
  const key = `${language}\0${code}`;
  let result = cache.get(key);
  if (result === undefined) {
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    result = highlightUncached(code, language);
    cache.set(key, result);
  }
  return result;
}

/** A block as a previous build highlighted it (`highlightMemo`), else highlighted, and kept. */
async function highlightUncached(code: string, language: string): Promise<Element | undefined> {
  const key = HighlightMemo.key(code, language);
  const kept = highlightMemo.find(key);
  if (kept) return kept;
  try {
    const instance = await getHighlighter();
    const lang = await loadLanguage(instance, language);
    const root = instance.codeToHast(code, { lang, themes: THEMES, defaultColor: false });
    const pre = root.children[0];
    if (pre?.type !== 'element') return undefined;
    highlightMemo.keep(key, pre);
    return pre;
  } catch {
    return undefined;
  }
}
