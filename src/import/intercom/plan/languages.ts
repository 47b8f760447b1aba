import { intercomLocaleToLanguage } from '../../../i18n/intercom-locales.ts';
import { unique } from './order.ts';
import type { HelpCenters, LocaleUse, PlacedArticle, PlacedHelpCenter, Planning } from './types.ts';

/**
 * The languages each brand publishes and the workspace lists. Intercom's locales become Signpost's
 * language codes; a help center's default language is the default locale its content names most
 * (Intercom does not say it), its languages are its locales, the default first; the workspace has
 * every language a brand or an article uses.
 */

/** `zh-CN` → `zh-Hans`; see `intercomLocaleToLanguage`. */
export const languageOf = intercomLocaleToLanguage;

/** Each help center's languages: its locales, and the default locale its content names. */
export function settleLanguages(helpCenters: HelpCenters, uses: LocaleUse[]): void {
  const localesSeen = new Map<PlacedHelpCenter, Map<string, number>>();
  for (const { helpCenter, locale } of uses) {
    if (!locale) continue;
    const counts = localesSeen.get(helpCenter) ?? new Map<string, number>();
    counts.set(locale, (counts.get(locale) ?? 0) + 1);
    localesSeen.set(helpCenter, counts);
  }
  for (const hc of helpCenters.byId.values()) {
    const seen = [...(localesSeen.get(hc) ?? new Map<string, number>())].sort((a, b) => b[1] - a[1]);
    const defaultLocale = seen[0]?.[0] ?? hc.source.locales?.[0] ?? 'en';
    hc.defaultLanguage = languageOf(defaultLocale);
    hc.languages = unique([hc.defaultLanguage, ...hc.languages]);
  }
}

/** The languages `workspace.yaml` needs, the default help center's first. */
export function workspaceLanguages(helpCenters: HelpCenters, articles: PlacedArticle[]): string[] {
  return unique([
    helpCenters.default.defaultLanguage,
    ...[...helpCenters.byId.values()].flatMap((hc) => hc.languages),
    ...articles.flatMap((a) => a.translations.map((t) => t.language)),
  ]);
}

/** A translation in a language its help center does not publish is imported, and said. */
export function warnUnpublishedTranslations(articles: PlacedArticle[], planning: Planning): void {
  for (const a of articles)
    for (const t of a.translations)
      if (!a.helpCenter.languages.includes(t.language))
        planning.warn(
          `article ${a.source.id} (${a.id}) has a ${t.locale} translation, a locale help center ${a.helpCenter.id} does not publish; imported, not published by brand ${a.helpCenter.id}`,
        );
}
