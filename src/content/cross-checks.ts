import path from 'node:path';
import { parseArticleFileName } from './files.ts';
import type { ArticleGroup, Collection, Model } from './model.ts';
import type { Problems } from './problems.ts';
import { suggest } from './validate.ts';

/** Front-matter keys that name other things: `author`, `audiences`, `related`. */
export function checkCrossReferences(model: Model, problems: Problems): void {
  const authorKeys = [...model.authors.keys()];
  const audienceKeys = [...model.audiences.keys()];
  // authors.yaml or audiences.yaml with errors of its own (not UTF-8, a bad key) is left out whole:
  // its errors are the cause, so every article naming one of its keys is not reported too.
  const broken = (name: string) => problems.errors.some((p) => p.file === path.join(model.root, name));
  const checkAuthors = !broken('authors.yaml');
  const checkAudiences = !broken('audiences.yaml');
  const scopes: Map<string, ArticleGroup>[] = [...model.helpCenters.values()].map((hc) => hc.articles);
  scopes.push(model.internal.articles);
  // An article left out for its own errors (not UTF-8, too big, …) is reported once, there; a
  // `related` naming it is not reported again as a missing article.
  const { languages, defaultLanguage } = model.workspace;
  const invalidIds = new Set<string>();
  for (const file of model.invalidFiles) {
    const parsed = parseArticleFileName(path.basename(file), languages, defaultLanguage);
    if (parsed && 'id' in parsed) invalidIds.add(parsed.id);
  }
  for (const articles of scopes)
    for (const group of articles.values())
      for (const article of group.translations.values()) {
        if (checkAuthors && article.author && !model.authors.has(article.author))
          problems.error(
            article.file,
            article.keyLines.author,
            `author: no author "${article.author}" in authors.yaml; ${suggest(article.author, authorKeys, 'add them there or fix the key')}`,
          );
        for (const audience of article.audiences)
          if (checkAudiences && !model.audiences.has(audience))
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
          else if (!target && !invalidIds.has(id))
            problems.error(
              article.file,
              line,
              `related: no article "${id}" here; ${suggest(id, [...articles.keys()], 'fix the id')}`,
            );
          else if (target && ![...target.translations.values()].some((t) => t.state === 'published'))
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
