import path from 'node:path';
import { reservedPathOwner, urls } from '../routing/layout.ts';
import { foldId, parseArticleFileName, readTextFile } from './files.ts';
import type { Article, ArticleGroup, Collection, HelpCenter, Model } from './model.ts';
import { Problems } from './problems.ts';
import { formatPath, suggest } from './validate.ts';
import { parseYaml } from './yaml.ts';

/**
 * Front-matter keys that name other things: `author`, `audiences`, `related`; and every former URL
 * (`aliases`) against the pages and the other former URLs of its help center.
 */
export function checkCrossReferences(model: Model, problems: Problems): void {
  for (const hc of model.helpCenters.values()) checkAliasUrls(hc, model.workspace.languages, problems);
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

/** A URL some page or former URL of a help center already answers, and what to call it in a message. */
interface Claim {
  /** The URL as claimed, for "differs only in case from …". */
  url: string;
  /** `the URL of article "refunds" (billing/refunds.en.md)` */
  what: string;
  /** The file that claims it: the same file listing a path twice is told so. */
  file: string;
  /** An alias (not a page): the advice is then to keep it in one place. */
  alias: boolean;
}

/**
 * Former URLs are URLs of the help center's sites: each must be free. A former URL path (an alias
 * starting with `/`, in an article's front matter or a `_collection.yaml`) may not be Signpost's own
 * (`/_astro/…`, `/robots.txt`: layout.ts says which), a page's (an article, its Markdown copy, a
 * collection, a home or search page, in any workspace language), or another former URL (a former
 * id's URL or another path), also not one that differs only in case, which hosts that ignore case
 * serve at one URL. Each refused path is reported at its line and dropped, so no build writes its
 * redirect. Former ids are checked while loading (load.ts) and are taken as they are here.
 */
export function checkAliasUrls(hc: HelpCenter, languages: readonly string[], problems: Problems): void {
  const claims = new Map<string, Claim>();
  const key = (url: string) => {
    const trimmed = url.length > 1 ? url.replace(/\/$/, '') : url;
    try {
      return foldId(decodeURIComponent(trimmed));
    } catch {
      return foldId(trimmed);
    }
  };
  const claim = (url: string, what: string, file: string, alias = false) => {
    if (!claims.has(key(url))) claims.set(key(url), { url, what, file, alias });
  };
  const shown = (file: string) => path.relative(hc.dir, file).split(path.sep).join('/');
  const groups = [...hc.articles.values()];
  const collections = [...hc.collectionsByPath.values()];

  for (const lang of languages) {
    claim(urls.home(lang), `the ${lang} home page`, '');
    claim(urls.search(lang), `the ${lang} search page`, '');
    claim(urls.notAvailable(lang), `the ${lang} page for articles an account may not read`, '');
    for (const collection of collections)
      claim(
        urls.collection(lang, collection.path),
        `the ${lang} URL of collection "${collection.path.join('/')}" (${shown(collection.file)})`,
        collection.file,
      );
  }
  for (const group of groups)
    for (const article of group.translations.values()) {
      const what = `article "${group.id}" (${shown(article.file)})`;
      claim(urls.article(article.language, group.id), `the URL of ${what}`, article.file);
      claim(
        urls.articleMarkdown(article.language, group.id),
        `the Markdown copy's URL of ${what}`,
        article.file,
      );
    }
  for (const group of groups)
    for (const article of group.translations.values())
      for (const alias of article.aliases)
        if (!alias.startsWith('/'))
          claim(
            urls.article(article.language, alias),
            `the URL of former id "${alias}" of article "${group.id}" (${shown(article.file)})`,
            article.file,
            true,
          );

  /** The aliases of one file that pass, claimed in turn; the others reported at their lines. */
  const admit = (
    aliases: readonly string[],
    written: readonly string[],
    file: string,
    what: string,
    lineOf: (index: number) => number,
    kind: 'article' | 'collection',
  ): string[] => {
    // `aliases` keeps the order of what was written (load.ts only drops entries): each alias is
    // the next entry equal to it, so a path listed twice is reported at its second line.
    let next = 0;
    return aliases.filter((alias) => {
      const found = written.indexOf(alias, next);
      const index = found < 0 ? 0 : found;
      next = index + 1;
      if (!alias.startsWith('/')) return true;
      const problem = aliasUrlProblem(alias, claims.get(key(alias)), file, kind);
      if (problem) {
        problems.error(
          file,
          lineOf(index),
          `${formatPath(['aliases', index])}: ${JSON.stringify(alias)} ${problem}`,
        );
        return false;
      }
      claim(alias, `a former URL of ${what}`, file, true);
      return true;
    });
  };

  for (const group of groups)
    for (const article of group.translations.values()) {
      if (!article.aliases.some((alias) => alias.startsWith('/'))) continue;
      article.aliases = admit(
        article.aliases,
        article.frontMatter.aliases ?? [],
        article.file,
        `article "${group.id}" (${shown(article.file)})`,
        (index) => frontMatterLine(article, index),
        'article',
      );
    }
  for (const collection of collections) {
    const { aliases } = collection.config;
    if (!aliases?.length) continue;
    collection.config.aliases = admit(
      aliases,
      [...aliases],
      collection.file,
      `collection "${collection.path.join('/')}" (${shown(collection.file)})`,
      (index) => yamlLine(collection.file, index),
      'collection',
    );
  }
}

/** Why a former URL path cannot be claimed, given who (if anyone) holds its URL already. */
function aliasUrlProblem(
  alias: string,
  taken: Claim | undefined,
  file: string,
  kind: 'article' | 'collection',
): string | undefined {
  const reserved = reservedPathOwner(alias);
  if (reserved === '/') return "is the site's root, which sends visitors to their language; remove it";
  if (reserved)
    return `${reserved.endsWith('/') ? 'is under' : 'is'} ${reserved}, which Signpost's output uses, so it cannot redirect; remove it`;
  if (!taken) return undefined;
  if (taken.file === file && taken.alias) return 'is listed twice; remove one';
  const own = taken.file === file && !taken.alias;
  const what = own ? `this ${kind}'s own URL` : taken.what;
  const clash =
    taken.url.replace(/\/$/, '') === alias
      ? `is ${what}`
      : `differs only in case from ${JSON.stringify(taken.url)}, ${what}, and hosts that ignore case serve both at one URL`;
  const fix = own
    ? 'remove it'
    : taken.alias
      ? 'keep it in one file only'
      : 'so it cannot redirect here; remove it';
  return `${clash}${own || taken.alias ? '; ' : ', '}${fix}`;
}

/**
 * The line of `aliases[index]` in an article's front matter: read again only for a message (the
 * model keeps the line of each key, not of each list item), else the `aliases` key's own line.
 */
function frontMatterLine(article: Article, index: number): number {
  const fallback = article.keyLines.aliases ?? 1;
  const text = readTextFile(article.file, new Problems());
  const lines = text?.split(/\r?\n/) ?? [];
  const end = lines.findIndex((line, i) => i > 0 && (line.trim() === '---' || line.trim() === '...'));
  if (end < 0) return fallback;
  const yaml = parseYaml(lines.slice(1, end).join('\n'), article.file, new Problems(), 1);
  return yaml.lineOf(['aliases', index]);
}

/** The line of `aliases[index]` in a YAML file, read again only for a message. */
function yamlLine(file: string, index: number): number {
  const text = readTextFile(file, new Problems());
  return text === undefined ? 1 : parseYaml(text, file, new Problems()).lineOf(['aliases', index]);
}
