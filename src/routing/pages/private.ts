import { uiStrings } from '../../i18n/index.ts';
import type { BrandContext } from '../context.ts';
import { urls } from '../layout.ts';
import type { NotAvailablePage, SignInPage } from '../types.ts';

/**
 * The public tree's stand-in at a private article's URL: on a static host without the gate, a
 * visitor who follows a link gets "sign in to read this" instead of a 404. It carries nothing of
 * the article (no title, description, breadcrumbs or language links) and stays out of search.
 */
export function signInPage(ctx: BrandContext, lang: string, url: string): SignInPage {
  const t = uiStrings(lang);
  const loginUrl = ctx.brand.config.privacy?.loginUrl.replace('{returnTo}', encodeURIComponent(url));
  return {
    ...ctx.base(
      lang,
      url,
      t('signIn.title'),
      '',
      [],
      ctx.languageOptions(lang, () => undefined),
    ),
    alternates: [],
    noindex: true,
    kind: 'sign-in',
    loginUrl,
    home: urls.home(lang),
  };
}

/**
 * The gate's answer to a signed-in visitor whose account may not read an article: one page per
 * language in the private tree, naming nothing of any article.
 */
export function notAvailablePages(ctx: BrandContext): NotAvailablePage[] {
  return ctx.brand.languages.map((lang) => {
    const t = uiStrings(lang);
    return {
      ...ctx.base(
        lang,
        urls.notAvailable(lang),
        t('notAvailable.title'),
        '',
        [],
        ctx.languageOptions(lang, () => undefined),
      ),
      private: true,
      alternates: [],
      noindex: true,
      kind: 'not-available',
      home: urls.home(lang),
    };
  });
}
