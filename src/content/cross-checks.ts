import type { ArticleGroup, Collection, Model } from './model.ts';
import type { Problems } from './problems.ts';
import { suggest } from './validate.ts';

/** Front-matter keys that name other things: `author`, `audiences`, `related`. */
export function checkCrossReferences(model: Model, problems: Problems): void {
  const authorKeys = [...model.authors.keys()];
  const audienceKeys = [...model.audiences.keys()];
  const scopes: Map<string, ArticleGroup>[] = [...model.helpCenters.values()].map((hc) => hc.articles);
  scopes.push(model.internal.articles);
  for (const articles of scopes)
    for (const group of articles.values())
      for (const article of group.translations.values()) {
        if (article.author && !model.authors.has(article.author))
          problems.error(
            article.file,
            article.keyLines.author,
            `author: no author "${article.author}" in authors.yaml; ${suggest(article.author, authorKeys, 'add them there or fix the key')}`,
          );
        for (const audience of article.audiences)
          if (!model.audiences.has(audience))
            problems.error(
              article.file,
              article.keyLines.audiences,
              `audiences: no audience "${audience}" in audiences.yaml; ${suggest(audience, audienceKeys, 'add it there or fix the key')}`,
            );
        for (const id of article.related ?? []) {
          const target = articles.get(id);
          const line = article.keyLines.related;
          if (id === group.id)
            problems.error(article.file, line, `related: "${id}" is this article itself; remove it`);
          else if (!target)
            problems.error(
              article.file,
              line,
              `related: no article "${id}" here; ${suggest(id, [...articles.keys()], 'fix the id')}`,
            );
          else if (![...target.translations.values()].some((t) => t.state === 'published'))
            problems.error(
              article.file,
              line,
              `related: "${id}" is a draft; publish it or remove it from related`,
            );
        }
      }
}

/**
 * Warnings for every article and collection missing a language one of its brands publishes.
 * One warning per missing translation, naming the brands that publish that language.
 */
export function checkCoverage(model: Model, problems: Problems): void {
  for (const hc of model.helpCenters.values()) {
    const brandsByLanguage = new Map<string, string[]>();
    for (const brand of model.brands)
      if (brand.helpCenter === hc)
        for (const lang of brand.languages)
          brandsByLanguage.set(lang, [...(brandsByLanguage.get(lang) ?? []), brand.id]);
    const published = (lang: string) =>
      `brand${brandsByLanguage.get(lang)!.length > 1 ? 's' : ''} ${brandsByLanguage.get(lang)!.join(', ')}`;

    for (const group of hc.articles.values()) {
      const translations = [...group.translations.values()];
      if (translations.every((t) => t.state === 'draft')) continue;
      const primary = group.translations.get(model.workspace.defaultLanguage) ?? translations[0]!;
      const ext = primary.format;
      for (const lang of brandsByLanguage.keys())
        if (!group.translations.has(lang))
          problems.warn(
            primary.file,
            undefined,
            `no ${lang} translation (${published(lang)} publish${brandsByLanguage.get(lang)!.length > 1 ? '' : 'es'} ${lang}); add ${group.id}.${lang}.${ext}`,
            {
              kind: 'missing-translation',
              tally: lang,
            },
          );
    }
    const visit = (collection: Collection) => {
      const names = collection.config.name;
      if (typeof names === 'object')
        for (const lang of brandsByLanguage.keys())
          if (!(lang in names))
            problems.warn(
              collection.file,
              1,
              `name has no ${lang} text (${published(lang)} publish${brandsByLanguage.get(lang)!.length > 1 ? '' : 'es'} ${lang}); add "${lang}: …" under name`,
              {
                kind: 'missing-translation',
                tally: lang,
              },
            );
      collection.children.forEach(visit);
    };
    hc.collections.forEach(visit);
  }
}
