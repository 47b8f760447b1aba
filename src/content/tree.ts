import fs from 'node:fs';
import path from 'node:path';
import { collectionSchema, folderSchema } from '../schemas/collection.ts';
import { readArticleFile } from './article-file.ts';
import type { LoadCache } from './load-cache.ts';
import { foldId, listFolder, parseArticleFileName, startWalk, type FolderEntry } from './files.ts';
import type { Article, ArticleGroup, Collection, Folder, HelpCenter, InternalTree, Model } from './model.ts';
import type { Problems } from './problems.ts';
import { validate } from './validate.ts';
import { readYaml } from './yaml.ts';

export const MAX_COLLECTION_DEPTH = 3;
export const MAX_FOLDER_DEPTH = 10;

/** What reading a file needs to know about the workspace. */
export interface ReadContext {
  languages: string[];
  defaultLanguage: string;
  problems: Problems;
  /** Article files that were reported and left out. */
  invalidFiles: Set<string>;
  /** Bodies of article files left out for their front matter, still to be checked. */
  invalidBodies: Model['invalidBodies'];
  /** Builds the model's Article from a parsed file (defaults, dates, description). */
  makeArticle(input: RawArticle): Article;
  /** What a previous build read from the same texts (`load-cache.ts`), for an incremental build. */
  cache?: LoadCache | undefined;
}

export interface RawArticle {
  id: string;
  language: string;
  format: 'md' | 'mdx';
  file: string;
  source: NonNullable<ReturnType<typeof readArticleFile>>;
  /** `internal`, or `unlisted` for an article at a help center's root. */
  forcedVisibility: 'internal' | 'unlisted' | undefined;
  inheritedAi: { agent?: boolean | undefined; copilot?: boolean | undefined };
}

/** One id space: a help center, or `internal/`. */
interface IdSpace {
  /** id → translations */
  groups: Map<string, ArticleGroup>;
  /** id → the first file seen with it, to name both sides of a clash */
  firstFile: Map<string, string>;
  /** `foldId(id)` → the first id with that fold and its file: ids differing only in case clash */
  folded: Map<string, { id: string; file: string }>;
  /** `in help center "main"`, for messages */
  scope: string;
}

/** One folder's worth of articles and what they inherit from it. */
interface ArticleFolder {
  dir: string;
  entries: FolderEntry[];
  owner: { helpCenter: string | undefined; collection: Collection | undefined; folder: Folder | undefined };
  forcedVisibility: RawArticle['forcedVisibility'];
  inheritedAi: RawArticle['inheritedAi'];
}

/** Reads the article files directly in a folder into its id space (id → translations). */
function readArticles(
  ctx: ReadContext,
  { groups, firstFile, folded, scope }: IdSpace,
  { dir, entries, owner, forcedVisibility, inheritedAi }: ArticleFolder,
): ArticleGroup[] {
  const local: ArticleGroup[] = [];
  /** Ids already reported as clashing with another folder's or by case (one call = one folder). */
  const clashes = new Set<string>();
  for (const entry of entries) {
    if (entry.kind !== 'file') continue;
    const file = path.join(dir, entry.name);
    const parsed = parseArticleFileName(entry.name, ctx.languages, ctx.defaultLanguage);
    if (!parsed) continue;
    if ('error' in parsed) {
      ctx.problems.error(file, undefined, parsed.error);
      ctx.invalidFiles.add(file);
      continue;
    }
    // `Refunds` and `refunds` are one URL on hosts and CDNs that ignore case (and one file on
    // macOS and Windows checkouts). Both stay in the model, so links to either are not reported too.
    const sameFold = folded.get(foldId(parsed.id));
    if (sameFold && sameFold.id !== parsed.id && !clashes.has(parsed.id))
      ctx.problems.error(
        file,
        undefined,
        `article id "${parsed.id}" differs only in case from "${sameFold.id}" (${path.relative(dir, sameFold.file)}); hosts that ignore case serve both at one URL, so rename one of them`,
      );
    if (sameFold && sameFold.id !== parsed.id) clashes.add(parsed.id);
    if (!sameFold) folded.set(foldId(parsed.id), { id: parsed.id, file });
    let group = groups.get(parsed.id);
    const first = firstFile.get(parsed.id);
    if (group && first && path.dirname(first) !== dir) {
      // One message per clash, naming both places, not one per translation.
      if (!clashes.has(parsed.id))
        ctx.problems.error(
          file,
          undefined,
          `article id "${parsed.id}" is also used by ${path.relative(path.dirname(file), first)}; ids must be unique ${scope}, so rename one of them`,
        );
      clashes.add(parsed.id);
      ctx.invalidFiles.add(file);
      continue;
    }
    if (group?.translations.has(parsed.language)) {
      const other = group.translations.get(parsed.language)!;
      ctx.invalidFiles.add(file);
      ctx.problems.error(
        file,
        undefined,
        `two files for article "${parsed.id}" in ${parsed.language}: ${path.basename(other.file)} and ${entry.name} (a file without a language suffix is ${ctx.defaultLanguage}); delete or rename one`,
      );
      continue;
    }
    const source = readArticleFile(
      file,
      ctx.problems,
      ctx.cache,
      (body, bodyLine) => ctx.invalidBodies.push({ file, format: parsed.format, body, bodyLine }),
      parsed.format,
    );
    if (!source) {
      ctx.invalidFiles.add(file);
      continue;
    }
    if (!group) {
      group = { id: parsed.id, ...owner, translations: new Map() };
      groups.set(parsed.id, group);
      firstFile.set(parsed.id, file);
      local.push(group);
    }
    group.translations.set(
      parsed.language,
      ctx.makeArticle({ ...parsed, file, source, forcedVisibility, inheritedAi }),
    );
  }
  return local;
}

/** Reads `help-centers/<id>/`: collections (at most 3 levels) and their articles. */
export function readHelpCenter(id: string, dir: string, ctx: ReadContext): HelpCenter {
  const helpCenter: HelpCenter = {
    id,
    dir,
    collections: [],
    collectionsByPath: new Map(),
    articles: new Map(),
    aliases: new Map(),
  };
  const scope = `in help center "${id}"`;
  const owner = { helpCenter: id, collection: undefined, folder: undefined };
  // `dir` is <content>/help-centers/<id>: symlinks must stay inside <content>.
  const rootEntries = listFolder(dir, startWalk(path.resolve(dir, '../..'), dir), ctx.problems);
  const space: IdSpace = { groups: helpCenter.articles, firstFile: new Map(), folded: new Map(), scope };
  readArticles(ctx, space, {
    dir,
    entries: rootEntries,
    owner,
    forcedVisibility: 'unlisted',
    inheritedAi: {},
  });

  const walk = (parent: Collection | undefined, parentDir: string, entries: FolderEntry[]): Collection[] => {
    const collections: Collection[] = [];
    /** Sibling folder names by `foldId`: a collection's path is its URL. */
    const siblings = new Map<string, string>();
    for (const entry of entries) {
      if (entry.kind !== 'dir') continue;
      const collectionDir = path.join(parentDir, entry.name);
      const depth = (parent?.depth ?? 0) + 1;
      const file = path.join(collectionDir, '_collection.yaml');
      const children = listFolder(collectionDir, entry.walk, ctx.problems);
      const config = readCollectionConfig(file, entry.name, children, ctx);
      const collection: Collection = {
        id: entry.name,
        path: [...(parent?.path ?? []), entry.name],
        depth,
        dir: collectionDir,
        file,
        config,
        name: {},
        description: {},
        icon: { builtin: 'book' },
        order: config.order,
        parent,
        children: [],
        articles: [],
      };
      if (depth > MAX_COLLECTION_DEPTH) {
        ctx.problems.error(
          fs.existsSync(file) ? file : collectionDir,
          fs.existsSync(file) ? 1 : undefined,
          `collection "${collection.path.join('/')}" is nested ${depth} levels deep; collections nest at most ${MAX_COLLECTION_DEPTH} levels, so move this folder up a level`,
        );
      }
      if (!/^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u.test(entry.name))
        ctx.problems.error(
          collectionDir,
          undefined,
          `collection folder "${entry.name}" may hold only letters, digits, ".", "-" and "_" (it becomes a URL); rename it`,
        );
      const sibling = siblings.get(foldId(entry.name));
      if (sibling)
        ctx.problems.error(
          collectionDir,
          undefined,
          `collection folder "${entry.name}" differs only in case from "${sibling}"; hosts that ignore case serve both at one URL, so rename or merge them`,
        );
      else siblings.set(foldId(entry.name), entry.name);
      helpCenter.collectionsByPath.set(collection.path.join('/'), collection);
      collection.articles = readArticles(ctx, space, {
        dir: collectionDir,
        entries: children,
        owner: { helpCenter: id, collection, folder: undefined },
        forcedVisibility: undefined,
        inheritedAi: aiDefaults(collection),
      });
      collection.children = walk(collection, collectionDir, children);
      collections.push(collection);
    }
    return collections;
  };
  helpCenter.collections = walk(undefined, dir, rootEntries);
  return helpCenter;
}

interface AiOwner {
  config: { ai?: RawArticle['inheritedAi'] | undefined };
  parent: AiOwner | undefined;
}

/** AI defaults from `_collection.yaml` / `_folder.yaml` up the tree; the nearest setting wins. */
function aiDefaults(owner: AiOwner): RawArticle['inheritedAi'] {
  const ai: RawArticle['inheritedAi'] = {};
  for (let o: AiOwner | undefined = owner; o; o = o.parent) {
    ai.agent ??= o.config.ai?.agent;
    ai.copilot ??= o.config.ai?.copilot;
  }
  return ai;
}

function readCollectionConfig(file: string, folderName: string, entries: FolderEntry[], ctx: ReadContext) {
  const entry = entries.find((e) => e.name === path.basename(file));
  // A refused symlink is reported already; reading it would follow it out of content/.
  if (entry?.kind === 'refused') return { name: folderName };
  if (!entry) {
    ctx.problems.error(
      path.dirname(file),
      undefined,
      `collection folder "${folderName}" has no _collection.yaml; add one with at least "name: …"`,
    );
    return { name: folderName };
  }
  return (
    validate(collectionSchema, readYaml(file, ctx.problems, ctx.cache), ctx.problems) ?? { name: folderName }
  );
}

/** Reads `internal/`: Copilot-only articles in folders nested at most 10 levels. */
export function readInternal(dir: string, ctx: ReadContext): InternalTree {
  const tree: InternalTree = { dir, folders: [], articles: new Map() };
  if (!fs.existsSync(dir)) return tree;
  const scope = 'in internal/';
  const rootEntries = listFolder(dir, startWalk(path.dirname(dir), dir), ctx.problems);
  const space: IdSpace = { groups: tree.articles, firstFile: new Map(), folded: new Map(), scope };
  const noOwner = { helpCenter: undefined, collection: undefined, folder: undefined };
  readArticles(ctx, space, {
    dir,
    entries: rootEntries,
    owner: noOwner,
    forcedVisibility: 'internal',
    inheritedAi: {},
  });
  const walk = (parent: Folder | undefined, parentDir: string, entries: FolderEntry[]): Folder[] => {
    const folders: Folder[] = [];
    for (const entry of entries) {
      if (entry.kind !== 'dir') continue;
      const folderDir = path.join(parentDir, entry.name);
      const file = path.join(folderDir, '_folder.yaml');
      const children = listFolder(folderDir, entry.walk, ctx.problems);
      // A refused symlink is reported already; reading it would follow it out of content/.
      const hasFile = children.some((e) => e.name === '_folder.yaml' && e.kind !== 'refused');
      const config = (hasFile
        ? validate(folderSchema, readYaml(file, ctx.problems, ctx.cache), ctx.problems)
        : undefined) ?? { name: entry.name };
      const folder: Folder = {
        id: entry.name,
        path: [...(parent?.path ?? []), entry.name],
        depth: (parent?.depth ?? 0) + 1,
        dir: folderDir,
        file: hasFile ? file : undefined,
        config,
        parent,
        children: [],
      };
      if (folder.depth > MAX_FOLDER_DEPTH)
        ctx.problems.error(
          hasFile ? file : folderDir,
          hasFile ? 1 : undefined,
          `internal folder "${folder.path.join('/')}" is nested ${folder.depth} levels deep; folders nest at most ${MAX_FOLDER_DEPTH} levels, so move it up`,
        );
      readArticles(ctx, space, {
        dir: folderDir,
        entries: children,
        owner: { ...noOwner, folder },
        forcedVisibility: 'internal',
        inheritedAi: aiDefaults(folder),
      });
      folder.children = walk(folder, folderDir, children);
      folders.push(folder);
    }
    return folders;
  };
  tree.folders = walk(undefined, dir, rootEntries);
  return tree;
}
