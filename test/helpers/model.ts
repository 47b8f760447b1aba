import type { Article, ArticleGroup, Brand, Collection, HelpCenter, Model } from '../../src/content/model.ts';
import { BodyParse } from '../../src/markdown/parse.ts';
import { articleSchema } from '../../src/schemas/article.ts';
import { brandSchema, type BrandInput } from '../../src/schemas/brand.ts';
import { collectionSchema } from '../../src/schemas/collection.ts';
import { themeSchema } from '../../src/schemas/theme.ts';
import { workspaceSchema } from '../../src/schemas/workspace.ts';

/** One article translation of a tiny model: front matter plus where it sits. */
export interface TinyArticle {
  id: string;
  lang: string;
  /** Collection path (`billing/payments`); absent: the help-center root. */
  collection?: string;
  title?: string;
  body?: string;
  visibility?: 'public' | 'unlisted' | 'private';
  state?: 'published' | 'draft';
  aliases?: string[];
  audiences?: string[];
  related?: string[];
  /** Key of an author in `authors`. */
  author?: string;
}

/**
 * A content model built in memory, without files: one workspace, one help center, one brand, the
 * given collections and articles. For unit tests of routing that need no Astro build.
 */
export function tinyModel(options: {
  languages: string[];
  collections: string[];
  articles: TinyArticle[];
  brand?: Partial<BrandInput>;
  /** Author keys; each has an avatar file. */
  authors?: string[];
}): { model: Model; brand: Brand } {
  const { languages } = options;
  const all = (text: string) => Object.fromEntries(languages.map((l) => [l, text]));
  const hc: HelpCenter = {
    id: 'main',
    dir: '/content/help-centers/main',
    collections: [],
    collectionsByPath: new Map(),
    articles: new Map(),
    aliases: new Map(),
  };
  for (const key of options.collections) {
    const path = key.split('/');
    const parent = hc.collectionsByPath.get(path.slice(0, -1).join('/'));
    const id = path.at(-1)!;
    const collection: Collection = {
      id,
      path,
      depth: path.length,
      dir: `${hc.dir}/${key}`,
      file: `${hc.dir}/${key}/_collection.yaml`,
      config: collectionSchema.parse({ name: id }),
      name: all(id[0]!.toUpperCase() + id.slice(1)),
      description: all(''),
      icon: { builtin: 'book' },
      order: undefined,
      parent,
      children: [],
      articles: [],
    };
    hc.collectionsByPath.set(key, collection);
    (parent ? parent.children : hc.collections).push(collection);
  }
  for (const spec of options.articles) {
    let group = hc.articles.get(spec.id);
    if (!group) {
      const collection = spec.collection ? hc.collectionsByPath.get(spec.collection) : undefined;
      group = { id: spec.id, helpCenter: hc.id, collection, folder: undefined, translations: new Map() };
      hc.articles.set(spec.id, group);
      collection?.articles.push(group);
    }
    group.translations.set(spec.lang, article(spec, group, hc));
  }
  const brand: Brand = {
    id: 'acme',
    file: '/content/brands/acme.yaml',
    config: brandSchema.parse({ name: 'Acme', helpCenter: 'main', ...options.brand }),
    helpCenter: hc,
    theme: { name: 'default', file: '/themes/default.yaml', theme: themeSchema.parse({}) },
    languages,
    defaultLanguage: languages[0]!,
    domain: 'help.acme.test',
    assets: {},
  };
  const model: Model = {
    root: '/content',
    workspace: {
      file: '/content/workspace.yaml',
      ...workspaceSchema.parse({
        name: 'Acme',
        defaultLanguage: languages[0],
        languages,
        domain: 'acme.test',
      }),
    },
    authors: new Map(
      (options.authors ?? []).map((key) => [
        key,
        { key, name: key, avatarFile: `/content/avatars/${key}.png` },
      ]),
    ),
    audiences: new Map(),
    themes: new Map([[brand.theme.name, brand.theme]]),
    helpCenters: new Map([[hc.id, hc]]),
    brands: [brand],
    internal: { dir: '/content/internal', folders: [], articles: new Map() },
    invalidFiles: new Set(),
    invalidBodies: [],
  };
  return { model, brand };
}

function article(spec: TinyArticle, group: ArticleGroup, hc: HelpCenter): Article {
  const body = spec.body ?? `Text of ${spec.id} in ${spec.lang}.`;
  const frontMatter = articleSchema.parse({
    title: spec.title ?? spec.id,
    visibility: spec.visibility,
    state: spec.state,
  });
  // As the loader does: an article at the help-center root is unlisted.
  const visibility =
    !group.collection && frontMatter.visibility === 'public' ? 'unlisted' : frontMatter.visibility;
  return {
    id: spec.id,
    language: spec.lang,
    file: `${hc.dir}/${spec.collection ?? ''}/${spec.id}.${spec.lang}.md`,
    format: 'md',
    frontMatter,
    title: frontMatter.title,
    description: '',
    state: frontMatter.state,
    visibility,
    author: spec.author,
    ai: { agent: true, copilot: true },
    audiences: spec.audiences ?? [],
    order: undefined,
    related: spec.related,
    toc: undefined,
    tags: [],
    updated: new Date('2026-01-02T03:04:05Z'),
    aliases: spec.aliases ?? [],
    body,
    parse: new BodyParse(body, 'md'),
    bodyLine: 4,
    keyLines: {},
    links: [],
    images: [],
  };
}
