import { uiStrings } from '../../i18n/index.ts';
import { languageName } from '../../i18n/languages.ts';
import type { BrandContext } from '../context.ts';
import { urls } from '../layout.ts';
import type { NotFoundPage, RootPage } from '../types.ts';

/** `/`: sends visitors to their language (the browser's, else the brand's default). */
export function rootPage(ctx: BrandContext): RootPage {
  const { brand } = ctx;
  const languages = ctx.languageOptions(brand.defaultLanguage, (l) => urls.home(l));
  return {
    ...ctx.base(brand.defaultLanguage, urls.root(), brand.config.name, '', [], languages),
    kind: 'root',
    targets: brand.languages.map((lang) => ({ lang, name: languageName(lang), href: urls.home(lang) })),
  };
}

/** `/404.html`, in the brand's default language: what any static host serves for a missing page. */
export function notFoundPage(ctx: BrandContext): NotFoundPage {
  const lang = ctx.brand.defaultLanguage;
  const t = uiStrings(lang);
  const languages = ctx.languageOptions(lang, (l) => urls.home(l));
  return {
    ...ctx.base(lang, urls.notFound(), t('notFound.title'), '', [], languages),
    alternates: [],
    noindex: true,
    kind: 'not-found',
    home: urls.home(lang),
  };
}
