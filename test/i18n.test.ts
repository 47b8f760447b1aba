import { describe, expect, it } from 'vitest';
import {
  formatDate,
  matchUiLanguage,
  pluralKey,
  UI_LANGUAGES,
  uiStrings,
  validateTranslations,
} from '../src/i18n/index.ts';
import { languageName } from '../src/i18n/languages.ts';

describe('language files', () => {
  it('ship every language the brief promises', () => {
    expect([...UI_LANGUAGES].sort()).toEqual(['ar', 'de', 'en', 'es', 'fr', 'ja', 'pt-BR', 'zh-Hans']);
  });

  it('all have exactly the English keys and placeholders, and no empty strings', () => {
    expect(validateTranslations()).toEqual([]);
  });

  it('are really translated, not copies of English', () => {
    const english = uiStrings('en');
    for (const language of UI_LANGUAGES.filter((l) => l !== 'en')) {
      expect(uiStrings(language)('search.placeholder'), language).not.toBe(english('search.placeholder'));
      expect(uiStrings(language)('home.welcome'), language).not.toBe(english('home.welcome'));
    }
  });
});

describe('validateTranslations', () => {
  const source = { 'search.noResults': 'No results for “{query}”', 'site.home': 'Home' };

  it('reports a missing key, an unknown key, a wrong placeholder and an empty string', () => {
    const problems = validateTranslations(
      {
        de: { 'search.noResults': 'Keine Ergebnisse für „{qeury}“', 'site.hom': 'Startseite' },
        fr: { 'search.noResults': 'Aucun résultat', 'site.home': ' ' },
      },
      source,
    );
    expect(problems).toMatchInlineSnapshot(`
      [
        "de.json: search.noResults: placeholders {qeury}, expected {query} as in en.json",
        "de.json: missing key "site.home"; add it (English: "Home")",
        "de.json: unknown key "site.hom"; remove it or add it to en.json",
        "fr.json: search.noResults: placeholders none, expected {query} as in en.json",
        "fr.json: site.home: empty; translate "Home"",
      ]
    `);
  });

  it('accepts placeholders in another order or repeated', () => {
    const files = { ja: { 'search.noResults': '「{query}」…{query}', 'site.home': 'ホーム' } };
    expect(validateTranslations(files, source)).toEqual([]);
  });

  it('reports a value that is not a string', () => {
    expect(validateTranslations({ es: { 'search.noResults': 3, 'site.home': 'Inicio' } }, source)).toEqual([
      'es.json: search.noResults: expected a string, got 3',
    ]);
  });
});

describe('matchUiLanguage', () => {
  it.each([
    ['pt-BR', 'pt-BR'],
    ['pt-PT', 'pt-BR'],
    ['pt', 'pt-BR'],
    ['zh-CN', 'zh-Hans'],
    ['zh', 'zh-Hans'],
    ['zh-Hans-SG', 'zh-Hans'],
    ['de-AT', 'de'],
    ['de', 'de'],
    ['AR', 'ar'],
    ['en-GB', 'en'],
    ['ko', 'en'],
    ['not a tag', 'en'],
  ])('%s → %s', (tag, expected) => {
    expect(matchUiLanguage(tag)).toBe(expected);
  });
});

describe('uiStrings', () => {
  it('resolves regional and script tags to their file', () => {
    expect(uiStrings('pt-PT')('site.home')).toBe('Início');
    expect(uiStrings('zh-CN')('site.home')).toBe('首页');
    expect(uiStrings('de-AT')('site.home')).toBe('Startseite');
    expect(uiStrings('ko')('site.home')).toBe('Home');
  });

  it('substitutes placeholders, formatting numbers for the language', () => {
    expect(uiStrings('en')('search.resultsOther', { count: 1234, query: 'refund' })).toBe(
      '1,234 results for “refund”',
    );
    expect(uiStrings('de')('search.resultsOther', { count: 1234, query: 'Rückerstattung' })).toBe(
      '1.234 Ergebnisse für „Rückerstattung“',
    );
    expect(uiStrings('ja')('search.noResults', { query: '返金' })).toBe('「返金」に一致する結果はありません');
    expect(uiStrings('fr')('article.translationFallback', { language: 'Deutsch', fallback: 'English' })).toBe(
      "Cet article n'est pas encore disponible en Deutsch\u00a0; il est affiché en English.",
    );
  });

  it('leaves a placeholder without a value visible', () => {
    expect(uiStrings('en')('article.writtenBy')).toBe('Written by {name}');
  });
});

describe('pluralKey', () => {
  it('picks the one/other form by the language’s rules', () => {
    expect(pluralKey('collection.articles', 1, 'en')).toBe('collection.articlesOne');
    expect(pluralKey('collection.articles', 0, 'en')).toBe('collection.articlesOther');
    expect(pluralKey('collection.articles', 0, 'fr')).toBe('collection.articlesOne');
    expect(pluralKey('search.results', 1, 'ja')).toBe('search.resultsOther');
    const t = uiStrings('es');
    expect(t(pluralKey('collection.articles', 1, 'es'), { count: 1 })).toBe('1 artículo');
    expect(t(pluralKey('collection.articles', 3, 'es'), { count: 3 })).toBe('3 artículos');
  });
});

describe('languageName', () => {
  it.each([
    ['ja', '日本語'],
    ['ar', 'العربية'],
    ['pt-BR', 'Português (Brasil)'],
    ['zh-Hans', '简体中文'],
    ['de', 'Deutsch'],
    ['fr', 'Français'],
  ])('%s → %s', (tag, name) => {
    expect(languageName(tag)).toBe(name);
  });

  it('falls back to the tag when there is no name', () => {
    expect(languageName('qaa')).toBe('qaa');
    expect(languageName('not a tag')).toBe('not a tag');
  });
});

describe('formatDate', () => {
  // 23:30 UTC on 5 January is already 6 January in Berlin.
  const date = new Date('2025-01-05T23:30:00Z');

  it('writes a long date in the language and time zone', () => {
    expect(formatDate(date, 'de', 'Europe/Berlin')).toBe('6. Januar 2025');
    expect(formatDate(date, 'ja', 'Europe/Berlin')).toBe('2025年1月6日');
    expect(formatDate(date, 'ja', 'UTC')).toBe('2025年1月5日');
  });

  it('keeps a regional variant but never mixes languages', () => {
    expect(formatDate(date, 'de-AT', 'Europe/Berlin')).toBe('6. Jänner 2025');
    expect(formatDate(date, 'ko', 'Europe/Berlin')).toBe('January 6, 2025');
  });

  it('fits into the UI sentence', () => {
    expect(uiStrings('de')('article.updated', { date: formatDate(date, 'de', 'Europe/Berlin') })).toBe(
      'Aktualisiert am 6. Januar 2025',
    );
  });
});
