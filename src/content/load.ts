import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { localize } from '../i18n/localize.ts';
import { PROJECT_ROOT } from '../paths.ts';
import type { LocalizedText } from '../schemas/index.ts';
import { audiencesSchema } from '../schemas/audiences.ts';
import { authorsSchema } from '../schemas/authors.ts';
import { workspaceSchema, type Workspace } from '../schemas/workspace.ts';
import { BodyParse } from '../markdown/parse.ts';
import { excerpt } from './article-file.ts';
import { readBrands } from './brands.ts';
import { checkCoverage, checkCrossReferences } from './cross-checks.ts';
import { foldId } from './files.ts';
import { lastCommitDates } from './git-dates.ts';
import { checkArticleImages } from './article-images.ts';
import { resolveReferences } from './links.ts';
import type { Article, Collection, HelpCenter, Localized, Model } from './model.ts';
import { Problems } from './problems.ts';
import { readThemes } from './themes.ts';
import type { LoadCache } from './load-cache.ts';
import { readHelpCenter, readInternal, type RawArticle, type ReadContext } from './tree.ts';
import { validate } from './validate.ts';
import { readYaml, type YamlSource } from './yaml.ts';

export interface LoadResult {
  /** The model; `undefined` only when the workspace itself could not be read. */
  model: Model | undefined;
  problems: Problems;
  /** How many content files were read (YAML files and articles, each once), for the summary line. */
  files: number;
}

/**
 * Reads a content folder into one validated model, collecting every problem instead of stopping
 * at the first. Nothing here renders or writes: `check`, `build` and `dev` all start from this.
 */
export async function loadContent(
  contentDir: string,
  { cache }: { cache?: LoadCache | undefined } = {},
): Promise<LoadResult> {
  const problems = new Problems();
  const root = path.resolve(contentDir);
  const workspaceFile = path.join(root, 'workspace.yaml');
  if (!fs.existsSync(workspaceFile)) {
    problems.error(
      workspaceFile,
      undefined,
      `no workspace.yaml in ${root}; point --content at your content folder`,
    );
    return { model: undefined, problems, files: 0 };
  }
  const workspace = readWorkspace(readYaml(workspaceFile, problems), problems);
  if (!workspace) return { model: undefined, problems, files: problems.filesRead };

  const authors = readOptional(path.join(root, 'authors.yaml'), authorsSchema, problems);
  const audiences = readOptional(path.join(root, 'audiences.yaml'), audiencesSchema, problems);
  const themes = readThemes([path.join(PROJECT_ROOT, 'themes'), path.join(root, '..', 'themes')], problems);
  const dates = lastCommitDates(root);
  const invalidFiles = new Set<string>();
  const invalidBodies: Model['invalidBodies'] = [];
  const ctx: ReadContext = {
    languages: workspace.languages,
    defaultLanguage: workspace.defaultLanguage,
    problems,
    invalidFiles,
    invalidBodies,
    makeArticle: (raw) => makeArticle(raw, dates, cache),
    cache,
  };

  const helpCenters = new Map<string, HelpCenter>();
  const helpCentersDir = path.join(root, 'help-centers');
  for (const entry of listDirs(helpCentersDir))
    helpCenters.set(entry, readHelpCenter(entry, path.join(helpCentersDir, entry), ctx));

  const model: Model = {
    root,
    workspace: { ...workspace, file: workspaceFile },
    authors: new Map(
      Object.entries(authors.data ?? {}).map(([key, a]) => [
        key,
        { ...a, key, avatarFile: a.avatar ? path.resolve(root, a.avatar) : undefined },
      ]),
    ),
    audiences: new Map(Object.entries(audiences.data ?? {}).map(([key, a]) => [key, { ...a, key }])),
    themes,
    helpCenters,
    brands: [],
    internal: readInternal(path.join(root, 'internal'), ctx),
    invalidFiles,
    invalidBodies,
  };
  for (const [key, author] of model.authors)
    if (author.avatarFile && !fs.existsSync(author.avatarFile))
      problems.error(
        authors.file,
        authors.lineOf([key, 'avatar']),
        `${key}.avatar: file ${author.avatar} not found; fix the path (relative to authors.yaml)`,
      );
  for (const hc of helpCenters.values()) finishHelpCenter(hc, model.workspace, problems);
  model.brands = await readBrands(root, model, problems);
  checkCrossReferences(model, problems);
  resolveReferences(model, problems);
  await checkArticleImages(model, problems);
  checkCoverage(model, problems);
  return { model, problems, files: problems.filesRead };
}

function listDirs(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}

function readWorkspace(source: YamlSource, problems: Problems): Workspace | undefined {
  const workspace = validate(workspaceSchema, source, problems);
  if (!workspace) return undefined;
  const canonical = (tag: string) => Intl.getCanonicalLocales(tag)[0] ?? tag;
  workspace.languages = workspace.languages.map(canonical);
  workspace.defaultLanguage = canonical(workspace.defaultLanguage);
  workspace.languages.forEach((lang, i) => {
    if (workspace.languages.indexOf(lang) !== i)
      problems.error(
        source.file,
        source.lineOf(['languages', i]),
        `languages: "${lang}" is listed twice; remove one`,
      );
  });
  if (!workspace.languages.includes(workspace.defaultLanguage)) {
    problems.error(
      source.file,
      source.lineOf(['defaultLanguage']),
      `defaultLanguage: "${workspace.defaultLanguage}" is not in languages (${workspace.languages.join(', ')}); add it there`,
    );
    return undefined;
  }
  return workspace;
}

function readOptional<S extends z.ZodType>(file: string, schema: S, problems: Problems) {
  if (!fs.existsSync(file)) return { data: undefined, file, lineOf: () => 1 };
  const source = readYaml(file, problems);
  const data = source.data === undefined ? undefined : validate(schema, source, problems, source.data ?? {});
  return { data, file, lineOf: source.lineOf };
}

/** Applies front-matter defaults: visibility rules, inherited AI flags, dates, description. */
function makeArticle(raw: RawArticle, dates: Map<string, Date>, cache: LoadCache | undefined): Article {
  const fm = raw.source.frontMatter;
  const visibility =
    raw.forcedVisibility === 'internal'
      ? 'internal'
      : raw.forcedVisibility === 'unlisted' && fm.visibility === 'public'
        ? 'unlisted'
        : fm.visibility;
  const keyLines: Record<string, number> = {};
  for (const key of Object.keys(fm)) keyLines[key] = raw.source.lineOf(key);
  const parse = new BodyParse(raw.source.body, raw.format, cache);
  return {
    id: raw.id,
    language: raw.language,
    file: raw.file,
    format: raw.format,
    frontMatter: fm,
    title: fm.title,
    description: fm.description ?? excerpt(parse.firstParagraph()),
    state: fm.state,
    visibility,
    author: fm.author,
    ai: {
      agent: fm.ai?.agent ?? raw.inheritedAi.agent ?? true,
      copilot: fm.ai?.copilot ?? raw.inheritedAi.copilot ?? true,
    },
    audiences: fm.audiences ?? [],
    order: fm.order,
    related: fm.related,
    toc: fm.toc,
    tags: fm.tags ?? [],
    updated: fm.updated ?? dates.get(raw.file) ?? fs.statSync(raw.file).mtime,
    aliases: fm.aliases ?? [],
    body: raw.source.body,
    parse,
    bodyLine: raw.source.bodyLine,
    keyLines,
    links: [],
    images: [],
  };
}

/** Resolves collection names per language, icons and sort order; indexes aliases. */
function finishHelpCenter(hc: HelpCenter, workspace: Model['workspace'], problems: Problems): void {
  // Every workspace language gets a value: its own, else the default language's, else the first.
  const localizeAll = (text: LocalizedText | undefined): Localized =>
    text === undefined
      ? {}
      : Object.fromEntries(
          workspace.languages.map((l) => [l, localize(text, l, workspace.defaultLanguage) ?? '']),
        );
  const titleOf = (translations: Map<string, Article>) =>
    (translations.get(workspace.defaultLanguage) ?? [...translations.values()][0])?.title ?? '';
  const byOrder =
    <T>(order: (x: T) => number | undefined, name: (x: T) => string) =>
    (a: T, b: T) =>
      (order(a) ?? Infinity) - (order(b) ?? Infinity) || name(a).localeCompare(name(b));

  const finish = (collection: Collection) => {
    collection.name = localizeAll(collection.config.name);
    collection.description = localizeAll(collection.config.description);
    const icon = collection.config.icon;
    // A custom icon file is read with sharp, which is asynchronous: readCollectionIcons
    // (brand-images.ts) checks it and sets it; until then, and if it is refused, the default shows.
    if (icon && !/\.(png|jpe?g|webp|svg)$/i.test(icon)) collection.icon = { builtin: icon };
    collection.articles.sort(
      byOrder(
        (g) => [...g.translations.values()][0]?.order,
        (g) => titleOf(g.translations),
      ),
    );
    collection.children.forEach(finish);
    collection.children.sort(
      byOrder(
        (c) => c.order,
        (c) => c.name[workspace.defaultLanguage] ?? c.id,
      ),
    );
  };
  hc.collections.forEach(finish);
  hc.collections.sort(
    byOrder(
      (c) => c.order,
      (c) => c.name[workspace.defaultLanguage] ?? c.id,
    ),
  );

  // An alias is a URL: it must not be another page's, even one that differs only in case, which
  // hosts and CDNs that ignore case serve at the same URL (a redirect loop or a page shadowed).
  // A refused alias is dropped from the article too, so no build writes its redirect.
  const idsByFold = new Map([...hc.articles.keys()].map((id) => [foldId(id), id]));
  const aliasesByFold = new Map<string, string>();
  for (const group of hc.articles.values())
    for (const article of group.translations.values()) {
      const line = article.keyLines.aliases;
      article.aliases = article.aliases.filter((alias) => {
        const id = idsByFold.get(foldId(alias));
        const other = aliasesByFold.get(foldId(alias));
        const owner = other === undefined ? undefined : hc.aliases.get(other);
        let problem: string | undefined;
        if (hc.articles.has(alias))
          problem = `"${alias}" is the id of an existing article, so it cannot redirect here; remove it`;
        else if (id !== undefined)
          problem = `"${alias}" differs only in case from the id of article "${id}", and hosts that ignore case serve both at one URL; remove it`;
        else if (other !== undefined && owner !== group.id)
          problem =
            other === alias
              ? `"${alias}" is already an alias of "${owner}"; keep it on one article only`
              : `"${alias}" differs only in case from "${other}", an alias of "${owner}", and hosts that ignore case serve both at one URL; keep one, on one article`;
        if (problem) problems.error(article.file, line, `aliases: ${problem}`);
        else {
          hc.aliases.set(alias, group.id);
          aliasesByFold.set(foldId(alias), alias);
        }
        return !problem;
      });
    }
}
