import { uiStrings } from '../../i18n/index.ts';
import { localize } from '../../i18n/localize.ts';
import { renderMarkdown } from '../../markdown/render.ts';
import type { BrandContext } from '../context.ts';
import { urls } from '../layout.ts';
import { markdownLabels } from '../render.ts';
import type { HomePage, HomeSectionData, SearchPage } from '../types.ts';
import { inSitemap, isListed } from '../visibility.ts';

/** A brand's home page in one language: the hero, then the brand's sections in order. */
export async function homePage(ctx: BrandContext, lang: string): Promise<HomePage> {
  const { brand } = ctx;
  const t = uiStrings(lang);
  const text = (value: Parameters<typeof localize>[0]) => localize(value, lang, brand.defaultLanguage);
  const sections: HomeSectionData[] = [];
  for (const section of brand.config.home.sections) {
    const title = text(section.title);
    if (section.type === 'collections') {
      const collections = brand.helpCenter.collections
        .filter((c) => ctx.listedCount(c, lang) > 0)
        .map((c) => ctx.card(c, lang));
      sections.push({ type: 'collections', title: title ?? t('home.collections'), collections });
    } else if (section.type === 'articles') {
      const articles = section.ids.flatMap((id) => {
        const group = brand.helpCenter.articles.get(id);
        const article = group?.translations.get(lang);
        return group && isListed(group, article, ctx.mode) ? [ctx.summary(article)] : [];
      });
      if (articles.length) sections.push({ type: 'articles', title: title ?? t('home.featured'), articles });
    } else if (section.type === 'content') {
      const rendered = await renderMarkdown(text(section.markdown) ?? '', 'md', {
        language: lang,
        labels: markdownLabels(lang),
        resolveLink: () => undefined,
        resolveImage: () => undefined,
      });
      sections.push({ type: 'content', title, html: rendered.html });
    } else sections.push({ type: 'tickets', title: title ?? t('home.tickets'), url: section.url });
  }
  const welcome = text(brand.config.hero.welcome) ?? t('home.welcome');
  const title = text(brand.config.header.title) ?? brand.config.name;
  const languages = ctx.languageOptions(lang, (l) => urls.home(l));
  const base = ctx.base(lang, urls.home(lang), title, welcome, [], languages);
  return { ...base, sitemap: inSitemap(ctx.scope), kind: 'home', welcome, sections };
}

/** `/<lang>/search/`: the full results page, where search forms go without JavaScript. */
export function searchPage(ctx: BrandContext, lang: string): SearchPage {
  const t = uiStrings(lang);
  const crumbs = [{ label: t('site.home'), href: urls.home(lang) }];
  const languages = ctx.languageOptions(lang, (l) => urls.search(l));
  return {
    ...ctx.base(lang, urls.search(lang), t('search.pageTitle'), '', crumbs, languages),
    noindex: true,
    kind: 'search',
  };
}
