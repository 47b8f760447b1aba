/**
 * Intercom's locale codes, as its Help Center URLs (`/zh-CN/articles/…`) and API
 * (`translated_content`, `default_locale`) spell them, mapped to the BCP-47 tags Signpost uses.
 * The import and the redirects of former Intercom URLs share this one mapping.
 */

/**
 * Intercom names Chinese by region; Signpost, like the browser's language list, by script
 * (`zh-Hans` is written in mainland China and Singapore, `zh-Hant` in Taiwan and Hong Kong).
 */
const BY_SCRIPT: Record<string, string> = {
  'zh-cn': 'zh-Hans',
  'zh-sg': 'zh-Hans',
  'zh-tw': 'zh-Hant',
  'zh-hk': 'zh-Hant',
};

/**
 * The Signpost language of an Intercom locale code: `zh-CN` → `zh-Hans`, `zh-TW` → `zh-Hant`;
 * every other code in its canonical BCP-47 spelling (`pt-br` → `pt-BR`, `de` → `de`). A code that
 * is no language tag at all comes back as given.
 */
export function intercomLocaleToLanguage(locale: string): string {
  const byScript = BY_SCRIPT[locale.toLowerCase()];
  if (byScript) return byScript;
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? locale;
  } catch {
    return locale;
  }
}
