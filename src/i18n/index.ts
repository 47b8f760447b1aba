/**
 * UI strings: the words a visitor sees around the articles (search, navigation, badges, footer).
 * `en.json` is the source; every other file has exactly its keys, checked by `validateTranslations`.
 * Each page asks `uiStrings(page language)` for a translator; a key a file lacks falls back to English.
 */
import ar from './ar.json' with { type: 'json' };
import de from './de.json' with { type: 'json' };
import en from './en.json' with { type: 'json' };
import es from './es.json' with { type: 'json' };
import fr from './fr.json' with { type: 'json' };
import ja from './ja.json' with { type: 'json' };
import ptBR from './pt-BR.json' with { type: 'json' };
import zhHans from './zh-Hans.json' with { type: 'json' };

export { languageName } from './languages.ts';

/** A UI string's key, e.g. `search.placeholder`. */
export type UiKey = keyof typeof en;

/** Looks up a UI string and fills its `{placeholders}` from `vars`. */
export type Translate = (key: UiKey, vars?: Readonly<Record<string, string | number>>) => string;

/** Keys that come as a `…One` / `…Other` pair, e.g. `collection.articles`. */
export type PluralUiKey = {
  [K in UiKey]: K extends `${infer Base}One` ? (`${Base}Other` extends UiKey ? Base : never) : never;
}[UiKey];

/** One language file: flat dotted keys to strings (anything else is reported by the validator). */
type UiFile = Readonly<Record<string, unknown>>;

const FILES = { en, de, fr, es, 'pt-BR': ptBR, ja, 'zh-Hans': zhHans, ar };

/** A language tag that has its own UI strings file. */
export type UiLanguage = keyof typeof FILES;

/** The language tags that have a UI strings file (`en`, `de`, `pt-BR`, `zh-Hans`, …). */
export const UI_LANGUAGES = Object.freeze(Object.keys(FILES)) as readonly UiLanguage[];

const PLACEHOLDER = /\{(\w+)\}/g;

// Maximized once (`zh-Hans` → `zh-Hans-CN`) so matching compares like with like.
const OFFERED = UI_LANGUAGES.map((tag) => ({ tag, locale: new Intl.Locale(tag).maximize() }));

/**
 * The UI strings file that best fits a BCP-47 tag: same language required, then same script, then
 * same region. `pt-PT` gets `pt-BR`, `zh`/`zh-CN` get `zh-Hans`, `de-AT` gets `de`; a language with
 * no file (or a malformed tag) gets `en`. Traditional Chinese also gets `zh-Hans`, which CLDR's
 * language matching rates closer for a reader than English.
 */
export function matchUiLanguage(tag: string): UiLanguage {
  return memo(matches, tag, () => bestUiLanguage(tag));
}

/**
 * Every page of a build asks for the same few languages thousands of times; these answers never
 * change within a process, and building Intl objects each time was a measurable share of a build.
 */
function memo<K, V>(cache: Map<K, V>, key: K, make: () => V): V {
  let value = cache.get(key);
  if (value === undefined) cache.set(key, (value = make()));
  return value;
}
const matches = new Map<string, UiLanguage>();
const translators = new Map<string, Translate>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const pluralRules = new Map<UiLanguage, Intl.PluralRules>();

function bestUiLanguage(tag: string): UiLanguage {
  let wanted: Intl.Locale;
  try {
    wanted = new Intl.Locale(tag).maximize();
  } catch {
    return 'en';
  }
  let best: UiLanguage = 'en';
  let bestScore = 0;
  for (const { tag: offered, locale } of OFFERED) {
    if (locale.language !== wanted.language) continue;
    const score = 1 + (locale.script === wanted.script ? 2 : 0) + (locale.region === wanted.region ? 1 : 0);
    if (score > bestScore) [best, bestScore] = [offered, score];
  }
  return best;
}

/**
 * The locale for numbers and dates inside UI strings: the page's own tag when its language has a
 * file (so `de-AT` writes "Jänner"), otherwise the file's tag so a date never switches language
 * mid-sentence.
 */
function formatLocale(language: string): string {
  const ui = matchUiLanguage(language);
  try {
    const [canonical] = Intl.getCanonicalLocales(language);
    return canonical && new Intl.Locale(canonical).language === new Intl.Locale(ui).language ? canonical : ui;
  } catch {
    return ui;
  }
}

/**
 * A translator for a page in `language`. Picks the best file (see `matchUiLanguage`), falls back to
 * English per key, and replaces `{name}` with `vars.name`; numbers are formatted for the language.
 * A placeholder without a value is left as written, so a missing variable shows instead of vanishing.
 *
 * @example uiStrings('de')('article.updated', { date: '6. Januar 2025' }) // "Aktualisiert am 6. Januar 2025"
 */
export function uiStrings(language: string): Translate {
  return memo(translators, language, () => makeTranslator(language));
}

function makeTranslator(language: string): Translate {
  const strings: Readonly<Record<string, string>> = FILES[matchUiLanguage(language)];
  const numbers = new Intl.NumberFormat(formatLocale(language));
  return (key, vars = {}) =>
    (strings[key] || en[key]).replace(PLACEHOLDER, (placeholder, name: string) => {
      const value = vars[name];
      if (value === undefined) return placeholder;
      return typeof value === 'number' ? numbers.format(value) : value;
    });
}

/**
 * Which of a `…One` / `…Other` pair to use for `count` in `language` (French says "0 article",
 * Japanese has no singular). Simple forms only: languages with more plural forms phrase both
 * strings so they read right for any number.
 *
 * @example t(pluralKey('collection.articles', n, lang), { count: n })
 */
export function pluralKey(base: PluralUiKey, count: number, language: string): UiKey {
  const ui = matchUiLanguage(language);
  return memo(pluralRules, ui, () => new Intl.PluralRules(ui)).select(count) === 'one'
    ? `${base}One`
    : `${base}Other`;
}

/** A date as a page in `language` shows it ("6. Januar 2025", "2025年1月6日"), in the workspace's time zone. */
export function formatDate(date: Date, language: string, timeZone: string): string {
  const format = memo(
    dateFormats,
    `${language} ${timeZone}`,
    () => new Intl.DateTimeFormat(formatLocale(language), { dateStyle: 'long', timeZone }),
  );
  return format.format(date);
}

/** The placeholder names in a string, e.g. `{count}` and `{query}` → `count`, `query`. */
function placeholdersOf(value: unknown): Set<string> {
  return new Set(typeof value === 'string' ? [...value.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '') : []);
}

function listNames(names: Set<string>): string {
  return names.size === 0
    ? 'none'
    : [...names]
        .sort()
        .map((name) => `{${name}}`)
        .join(' ');
}

/**
 * Problems in the UI strings files, one line each (`de.json: search.close: …`): a key missing or
 * not in `en.json`, a value that is not a non-empty string, or a `{placeholder}` set that differs
 * from English (a translation that drops `{query}` would silently lose the visitor's search).
 * An empty list means every file is complete.
 *
 * @param files language tag → parsed file; defaults to the shipped files. Tests pass their own.
 * @param source the file every other is checked against; defaults to `en.json`.
 */
export function validateTranslations(
  files: Readonly<Record<string, UiFile>> = FILES,
  source: UiFile = en,
): string[] {
  const problems: string[] = [];
  for (const [tag, file] of Object.entries(files)) {
    const where = `${tag}.json`;
    for (const [key, english] of Object.entries(source)) {
      if (!Object.hasOwn(file, key)) {
        problems.push(`${where}: missing key "${key}"; add it (English: ${JSON.stringify(english)})`);
        continue;
      }
      const value = file[key];
      if (typeof value !== 'string') {
        problems.push(`${where}: ${key}: expected a string, got ${JSON.stringify(value)}`);
      } else if (value.trim() === '') {
        problems.push(`${where}: ${key}: empty; translate ${JSON.stringify(english)}`);
      } else {
        const got = placeholdersOf(value);
        const want = placeholdersOf(english);
        if (got.size !== want.size || [...got].some((name) => !want.has(name)))
          problems.push(
            `${where}: ${key}: placeholders ${listNames(got)}, expected ${listNames(want)} as in en.json`,
          );
      }
    }
    for (const key of Object.keys(file)) {
      if (!Object.hasOwn(source, key))
        problems.push(`${where}: unknown key "${key}"; remove it or add it to en.json`);
    }
  }
  return problems;
}
