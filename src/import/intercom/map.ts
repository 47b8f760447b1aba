import { slug as githubSlug } from 'github-slugger';
import YAML from 'yaml';
import { intercomLocaleToLanguage } from '../../i18n/intercom-locales.ts';
import { BUILTIN_ICONS } from '../../schemas/common.ts';
import { MAX_DESCRIPTION, MAX_TITLE, aliasPathProblem, normalizeAliasPath } from '../../schemas/article.ts';
import { urls } from '../../routing/layout.ts';
import { convertBody, rewriteAnchors, type Converted } from './html.ts';
import type {
  IntercomAdmin,
  IntercomArticle,
  IntercomArticleContent,
  IntercomCollection,
  IntercomExport,
  IntercomHelpCenter,
  LinkResolver,
} from './types.ts';
import type { IdMaps, PlannedFile } from './write.ts';

/**
 * Intercom's export → the files of `content/` (SPEC §2), with no I/O: every name, front-matter
 * key and former URL is decided here, so a test can check the mapping on a small object.
 * Images are the one thing known only after the network was tried: the plan lists them, and
 * `render` writes each article with the images that were saved beside it as files and the others
 * as their Intercom address.
 */

/** Most collections nest in Intercom: collection › section › sub-section, as Signpost's 3 levels. */
const MAX_DEPTH = 3;

/** One image an imported file shows, to save beside it. */
export interface ImageRequest {
  /** Where it goes, relative to the content folder. */
  path: string;
  /** The address in the export (Intercom's CDN signs it: it changes from one export to the next). */
  url: string;
  /** The address without its query: the same image in the next export. */
  key: string;
  /** The files that show it (content-relative), for the report. */
  usedBy: string[];
}

export interface ImportCounts {
  helpCenters: number;
  collections: number;
  articles: number;
  translations: number;
  aliases: number;
}

/** What an export becomes. */
export interface ImportPlan {
  /** Intercom id → Signpost name, for this import and the next. */
  ids: IdMaps;
  images: ImageRequest[];
  counts: ImportCounts;
  /** The languages `workspace.yaml` needs: every language a brand or an article uses. */
  languages: string[];
  /** What could not be kept as it was, one line each, naming the file. */
  warnings: string[];
  /** The files, given the content-relative paths of the images that are now saved as files. */
  render(saved: ReadonlySet<string>): PlannedFile[];
}

export interface PlanOptions {
  /** The last import's names, so a retitled article keeps its file. */
  previous: IdMaps;
  /** The last import's images (path → address without signature), so each keeps its name. */
  previousImages?: Readonly<Record<string, string>>;
}

/** `zh-CN` → `zh-Hans`; see `intercomLocaleToLanguage`. */
export const languageOf = intercomLocaleToLanguage;

interface PlacedCollection {
  source: IntercomCollection;
  helpCenter: PlacedHelpCenter;
  parent: PlacedCollection | undefined;
  /** The folder name. */
  name: string;
  /** Folder path inside the help center (`billing/refunds`). */
  path: string;
  depth: number;
  aliases: Set<string>;
}

interface PlacedHelpCenter {
  source: IntercomHelpCenter;
  /** Folder under `help-centers/` and brand id. */
  id: string;
  defaultLanguage: string;
  languages: string[];
  /** The help center's own address, stripped from every former URL: `/acme-developers`. */
  basePath: string;
  host: string | undefined;
}

interface Translation {
  locale: string;
  language: string;
  content: IntercomArticleContent;
}

interface PlacedArticle {
  source: IntercomArticle;
  id: string;
  helpCenter: PlacedHelpCenter;
  collection: PlacedCollection | undefined;
  translations: Translation[];
  /** Language → former paths. */
  aliases: Map<string, Set<string>>;
}

type Text = string | Record<string, string>;

/** Plans the import of one export. */
export function planImport(source: IntercomExport, options: PlanOptions): ImportPlan {
  const warnings: string[] = [];
  const warn = (line: string) => warnings.push(line);
  const previous = options.previous;
  const ids: IdMaps = { helpCenters: {}, collections: {}, articles: {}, authors: {} };

  // Help centers: one folder and one brand each.
  let helpCenterSources = source.helpCenters;
  if (!helpCenterSources.length) {
    helpCenterSources = [{ id: 'default', identifier: 'main', display_name: 'Help Center', default: true }];
    if (source.articles.length || source.collections.length)
      warn('the export has no help centers (help_centers.json): everything goes to help-centers/main');
  }
  const hcNames = new Unique(reservedNames(previous.helpCenters, source.helpCenters));
  const helpCenters = new Map<string, PlacedHelpCenter>();
  for (const hc of sortById(helpCenterSources)) {
    const id = hcNames.take(
      previous.helpCenters[hc.id],
      asciiKey(hc.identifier ?? hc.display_name ?? '') || `help-center-${hc.id}`,
      hc.id,
    );
    ids.helpCenters[hc.id] = id;
    const base = URL.parse(hc.url ?? '');
    helpCenters.set(hc.id, {
      source: hc,
      id,
      defaultLanguage: '',
      languages: (hc.locales ?? []).map(languageOf),
      basePath: base ? base.pathname.replace(/\/+$/, '') : '',
      host: base?.host,
    });
  }
  const defaultHelpCenter =
    [...helpCenters.values()].find((hc) => hc.source.default === true) ?? [...helpCenters.values()][0]!;

  // Collections: the help center is the collection's own or its parent's.
  const collectionSources = new Map(source.collections.map((c) => [String(c.id), c]));
  const helpCenterOf = (collection: IntercomCollection, seen = new Set<string>()): PlacedHelpCenter => {
    const own = collection.help_center_id;
    if (own !== null && own !== undefined && helpCenters.has(String(own)))
      return helpCenters.get(String(own))!;
    const parent = collection.parent_id ? collectionSources.get(String(collection.parent_id)) : undefined;
    if (parent && !seen.has(parent.id)) return helpCenterOf(parent, seen.add(collection.id));
    return defaultHelpCenter;
  };

  // Each help center's languages: its locales, and the default locale its content names.
  const localesSeen = new Map<PlacedHelpCenter, Map<string, number>>();
  const noteDefault = (hc: PlacedHelpCenter, locale: string | undefined) => {
    if (!locale) return;
    const counts = localesSeen.get(hc) ?? new Map<string, number>();
    counts.set(locale, (counts.get(locale) ?? 0) + 1);
    localesSeen.set(hc, counts);
  };
  for (const c of source.collections) noteDefault(helpCenterOf(c), c.default_locale);

  const collections = new Map<string, PlacedCollection>();
  const siblings = new Map<string, Unique>();
  const place = (c: IntercomCollection, stack: Set<string>): PlacedCollection | undefined => {
    const done = collections.get(String(c.id));
    if (done) return done;
    if (stack.has(String(c.id))) {
      warn(`collection ${c.id} (${c.name ?? ''}) is its own ancestor in the export; placed at the top level`);
      return undefined;
    }
    stack.add(String(c.id));
    const helpCenter = helpCenterOf(c);
    const parentSource = c.parent_id ? collectionSources.get(String(c.parent_id)) : undefined;
    if (c.parent_id && !parentSource)
      warn(
        `collection ${c.id} (${c.name ?? ''}): parent ${c.parent_id} is not in the export; placed at the top level`,
      );
    let parent = parentSource ? place(parentSource, stack) : undefined;
    if (parent && parent.helpCenter !== helpCenter) parent = undefined;
    if (parent && parent.depth >= MAX_DEPTH) {
      warn(
        `collection ${c.id} (${c.name ?? ''}) is nested deeper than ${MAX_DEPTH} levels; its articles go to ${parent.helpCenter.id}/${parent.path}`,
      );
      collections.set(String(c.id), parent);
      return parent;
    }
    const scope = `${helpCenter.id}/${parent?.path ?? ''}`;
    const names = siblings.get(scope) ?? new Unique();
    siblings.set(scope, names);
    const name = names.take(
      previous.collections[c.id],
      idSlug(defaultText(c.translated_content, c.default_locale, 'name') ?? c.name ?? ''),
      c.id,
    );
    ids.collections[c.id] = name;
    const placed: PlacedCollection = {
      source: c,
      helpCenter,
      parent,
      name,
      path: parent ? `${parent.path}/${name}` : name,
      depth: (parent?.depth ?? 0) + 1,
      aliases: new Set(),
    };
    collections.set(String(c.id), placed);
    return placed;
  };
  // Parents first, in the order Intercom lists them, so names are taken the same way each time.
  for (const c of sortById(source.collections)) place(c, new Set());

  // Articles: one copy per help center that lists it (Intercom shows one article in several).
  const articleNames = new Unique(reservedNames(previous.articles, source.articles));
  const articles: PlacedArticle[] = [];
  for (const article of sortById(source.articles)) {
    const translations = translationsOf(article);
    if (!translations.length) {
      warn(`article ${article.id} (${article.title ?? ''}) has no translation with a title; not imported`);
      continue;
    }
    const defaultLocale = article.default_locale;
    const primary = translations.find((t) => t.locale === defaultLocale) ?? translations[0]!;
    const id = articleNames.take(
      previous.articles[article.id],
      idSlug(primary.content.title ?? ''),
      article.id,
    );
    ids.articles[article.id] = id;
    const byHelpCenter = new Map<PlacedHelpCenter, PlacedCollection[]>();
    for (const parentId of article.parent_ids ?? []) {
      const collection = collections.get(String(parentId));
      if (!collection) {
        warn(`article ${article.id} (${id}): collection ${parentId} is not in the export; left out of it`);
        continue;
      }
      byHelpCenter.set(collection.helpCenter, [
        ...(byHelpCenter.get(collection.helpCenter) ?? []),
        collection,
      ]);
    }
    if (!byHelpCenter.size) byHelpCenter.set(defaultHelpCenter, []);
    for (const [helpCenter, parents] of byHelpCenter) {
      if (parents.length > 1)
        warn(
          `article ${article.id} (${id}) is in ${parents.length} collections of help center ${helpCenter.id}; Signpost keeps it in the first, ${parents[0]!.path}`,
        );
      noteDefault(helpCenter, defaultLocale);
      articles.push({
        source: article,
        id,
        helpCenter,
        collection: parents[0],
        translations,
        aliases: new Map(),
      });
    }
  }

  // Languages: each help center's locales, its default first; the workspace has them all.
  for (const hc of helpCenters.values()) {
    const seen = [...(localesSeen.get(hc) ?? new Map<string, number>())].sort((a, b) => b[1] - a[1]);
    const defaultLocale = seen[0]?.[0] ?? hc.source.locales?.[0] ?? 'en';
    hc.defaultLanguage = languageOf(defaultLocale);
    hc.languages = unique([hc.defaultLanguage, ...hc.languages]);
  }
  const workspaceDefault = defaultHelpCenter.defaultLanguage;
  const workspaceLanguages = unique([
    workspaceDefault,
    ...[...helpCenters.values()].flatMap((hc) => hc.languages),
    ...articles.flatMap((a) => a.translations.map((t) => t.language)),
  ]);
  for (const a of articles)
    for (const t of a.translations)
      if (!a.helpCenter.languages.includes(t.language))
        warn(
          `article ${a.source.id} (${a.id}) has a ${t.locale} translation, a locale help center ${a.helpCenter.id} does not publish; imported, not published by brand ${a.helpCenter.id}`,
        );

  // Former URLs: every published translation's, every collection's in every language, redirects.
  const usable = (path: string | undefined, where: string) => {
    const problem = path === undefined ? undefined : aliasPathProblem(path);
    if (problem) warn(`${where}: former URL left out: ${problem}`);
    return problem ? undefined : path;
  };
  const pathIn = (hc: PlacedHelpCenter, url: string | null | undefined) =>
    usable(formerPath(url, hc), `help center ${hc.id}`);
  for (const a of articles)
    for (const t of a.translations) {
      if ((t.content.state ?? a.source.state) !== 'published') continue;
      const former =
        pathIn(a.helpCenter, t.content.url) ??
        usable(
          `/${t.locale}/articles/${a.source.id}-${intercomSlug(t.content.title ?? '')}`,
          `article ${a.source.id}`,
        );
      if (former) addAlias(a.aliases, t.language, former);
    }
  for (const c of new Set(collections.values())) {
    const own = pathIn(c.helpCenter, c.source.url);
    if (own) c.aliases.add(own);
    for (const [locale, content] of Object.entries(c.source.translated_content ?? {})) {
      if (locale === 'type' || !content || typeof content !== 'object' || !content.name) continue;
      const path = usable(
        `/${locale}/collections/${c.source.id}-${intercomSlug(content.name)}`,
        `collection ${c.source.id}`,
      );
      if (path) c.aliases.add(path);
    }
  }
  for (const redirect of [...source.redirects].sort((a, b) => compare(String(a.id), String(b.id)))) {
    const hc = helpCenters.get(String(redirect.help_center_id)) ?? defaultHelpCenter;
    const former = pathIn(hc, redirect.from_url);
    if (!former) {
      warn(`redirect ${redirect.id} from ${redirect.from_url}: not a help-center address; left out`);
      continue;
    }
    if (redirect.target_type === 'collection') {
      const target = collections.get(String(redirect.target_id));
      if (!target)
        warn(
          `redirect ${redirect.id} from ${redirect.from_url}: collection ${redirect.target_id} is not in the export; left out`,
        );
      else target.aliases.add(former);
      continue;
    }
    const copies = articles.filter((a) => a.source.id === String(redirect.target_id));
    const target = copies.find((a) => a.helpCenter === hc) ?? copies[0];
    if (!target) {
      warn(
        `redirect ${redirect.id} from ${redirect.from_url}: article ${redirect.target_id} is not in the export; left out`,
      );
      continue;
    }
    const wanted = redirect.locale ? languageOf(redirect.locale) : undefined;
    const language =
      target.translations.find((t) => t.language === wanted)?.language ??
      target.translations.find((t) => t.locale === target.source.default_locale)?.language ??
      target.translations[0]!.language;
    addAlias(target.aliases, language, former);
  }
  // One former path leads to one place per help center: the first claim keeps it.
  for (const hc of helpCenters.values()) {
    const claimed = new Map<string, string>();
    const claim = (alias: string, owner: string, drop: () => void) => {
      const key = normalizeAliasPath(alias);
      const first = claimed.get(key);
      if (first === undefined) claimed.set(key, owner);
      else if (first !== owner) {
        warn(
          `former URL ${alias} leads both to ${first} and ${owner} in help center ${hc.id}; kept for ${first}`,
        );
        drop();
      }
    };
    for (const c of new Set(collections.values()))
      if (c.helpCenter === hc)
        for (const alias of [...c.aliases])
          claim(alias, `collection ${c.path}`, () => c.aliases.delete(alias));
    for (const a of articles)
      if (a.helpCenter === hc)
        for (const [, set] of a.aliases)
          for (const alias of [...set]) claim(alias, `article ${a.id}`, () => set.delete(alias));
  }

  // Authors: the admins who wrote what is imported.
  const admins = new Map(source.admins.map((admin) => [String(admin.id), admin]));
  const authorNames = new Unique(reservedNames(previous.authors, source.admins));
  const authors = new Map<string, { key: string; admin: IntercomAdmin; avatar?: ImageRequest | undefined }>();
  const authorOf = (authorId: unknown, file: string): string | undefined => {
    if (authorId === undefined || authorId === null || authorId === '') return undefined;
    const adminId = String(authorId);
    const known = authors.get(adminId);
    if (known) return known.key;
    const admin = admins.get(adminId);
    if (!admin) {
      warn(`${file}: author ${adminId} is not among the export's admins; no author written`);
      return undefined;
    }
    const key = authorNames.take(
      previous.authors[adminId],
      asciiKey(admin.name ?? '') || asciiKey((admin.email ?? '').split('@')[0] ?? '') || `admin-${adminId}`,
      adminId,
    );
    ids.authors[adminId] = key;
    authors.set(adminId, { key, admin });
    return key;
  };

  // Audiences: Intercom's ids, their rules left to the team (the API does not give them).
  const audienceKeys = new Set<string>();
  const audiencesOf = (t: Translation, a: PlacedArticle) => {
    const own = t.content.audience_ids ?? (a.source['audience_ids'] as number[] | null | undefined) ?? [];
    const keys = own.map((n) => `intercom-audience-${String(n)}`);
    keys.forEach((key) => audienceKeys.add(key));
    return keys;
  };

  // Article bodies, converted now so the images are known before `render`.
  const images = new Map<string, ImageRequest>();
  const want = (path: string, url: string, file: string) => {
    const key = withoutQuery(url);
    const known = images.get(path);
    if (known && known.key !== key)
      warn(`${file}: two images would be saved as ${path} (${known.url} and ${url}); the first is kept`);
    else if (known) known.usedBy.push(file);
    else images.set(path, { path, url, key, usedBy: [file] });
  };
  const articleFolder = (a: PlacedArticle) =>
    `help-centers/${a.helpCenter.id}${a.collection ? `/${a.collection.path}` : ''}`;
  const hosts = new Set(
    [...helpCenters.values()].flatMap((h) => [h.host, h.source.custom_domain ?? undefined]).filter(Boolean),
  );
  const resolverFor = (hc: PlacedHelpCenter, language: string): LinkResolver => {
    return (href) => {
      const target = intercomTarget(href, hosts);
      if (!target) return undefined;
      const lang = target.locale ? languageOf(target.locale) : undefined;
      if (target.kind === 'collection') {
        // A collection has no id to link by: its page in the linking article's language.
        const collection = collections.get(target.id);
        return collection && collection.helpCenter === hc
          ? { kind: 'collection', id: urls.collection(language, collection.path.split('/')) }
          : undefined;
      }
      const article = articles.find((a) => a.source.id === target.id && a.helpCenter === hc);
      if (!article?.translations.some((t) => (t.content.state ?? article.source.state) === 'published'))
        return undefined;
      return { kind: 'article', id: article.id, ...(lang ? { lang } : {}) };
    };
  };
  interface Body {
    article: PlacedArticle;
    translation: Translation;
    converted: Converted;
    /** The Markdown, images under their final names. */
    markdown: string;
    /** Final name → address, for each image the body shows. */
    images: Map<string, string>;
    file: string;
    author: string | undefined;
    audiences: string[];
  }
  const bodies: Body[] = [];
  const previousImages = Object.entries(options.previousImages ?? {});
  for (const a of articles) {
    const folder = articleFolder(a);
    // One name per image across the article's translations, the one it had last time if any.
    const names = new Map<string, string>();
    const taken = new Set<string>();
    for (const [file, key] of previousImages) {
      const name = file.slice(folder.length + 1);
      if (file.startsWith(`${folder}/`) && name.startsWith(`${a.id}-`) && !name.includes('/')) {
        names.set(key, name);
        taken.add(name);
      }
    }
    let next = 1;
    const nameFor = (url: string, htmlName: string) => {
      const key = withoutQuery(url);
      let name = names.get(key);
      if (name === undefined) {
        const ext = htmlName.slice(htmlName.lastIndexOf('.'));
        while (taken.has(`${a.id}-${next}${ext}`)) next++;
        name = `${a.id}-${next}${ext}`;
        names.set(key, name);
        taken.add(name);
      }
      return name;
    };
    const primaryFirst = [...a.translations].sort(
      (x, y) => Number(y.locale === a.source.default_locale) - Number(x.locale === a.source.default_locale),
    );
    for (const t of primaryFirst) {
      const converted = convertBody(t.content.body ?? '', {
        resolveLink: resolverFor(a.helpCenter, t.language),
        lang: t.language,
        imagePrefix: a.id,
      });
      const file = `${folder}/${a.id}.${t.language}.${converted.mdx ? 'mdx' : 'md'}`;
      for (const line of converted.warnings) warn(`${file}: ${line}`);
      const renamed = new Map<string, string>();
      const images = new Map<string, string>();
      for (const image of converted.images) {
        const name = nameFor(image.url, image.name);
        renamed.set(image.name, name);
        images.set(name, image.url);
        want(`${folder}/${name}`, image.url, file);
      }
      const markdown = renameImages(converted.markdown, renamed);
      const author = authorOf(t.content.author_id ?? a.source.author_id, file);
      bodies.push({
        article: a,
        translation: t,
        converted,
        markdown,
        images,
        file,
        author,
        audiences: audiencesOf(t, a),
      });
    }
  }
  // Links to a heading of another article (`#h_2f1e6b3c9a`) follow that heading's new anchor, in
  // the language the link leads to (the linking article's, else the target's default).
  const headingsIn = new Map<string, Map<string, Record<string, string>>>();
  for (const b of bodies) {
    const byId = headingsIn.get(b.translation.language) ?? new Map<string, Record<string, string>>();
    byId.set(b.article.id, b.converted.headingIds);
    headingsIn.set(b.translation.language, byId);
  }
  for (const b of bodies) {
    const headings = new Map<string, Record<string, string>>();
    for (const link of b.converted.anchorLinks) {
      const target = articles.find((a) => a.id === link.article && a.helpCenter === b.article.helpCenter);
      const fallback = target?.translations.find((t) => t.locale === target.source.default_locale)?.language;
      const found =
        headingsIn.get(b.translation.language)?.get(link.article) ??
        (fallback ? headingsIn.get(fallback)?.get(link.article) : undefined);
      if (found) headings.set(link.article, found);
    }
    if (!headings.size) continue;
    const rewritten = rewriteAnchors(b.markdown, headings);
    b.markdown = rewritten.markdown;
    for (const line of rewritten.warnings) warn(`${b.file}: ${line}`);
  }

  // Collection icons: a built-in icon for Intercom's, a file for an uploaded one.
  const iconOf = (c: PlacedCollection): { builtin: string } | ImageRequest | undefined => {
    const icon = c.source.icon;
    if (!icon || c.parent) return undefined;
    if (/^https?:\/\//i.test(icon)) {
      const ext = extensionOf(icon, ['png', 'jpg', 'jpeg', 'webp', 'svg']);
      const path = `help-centers/${c.helpCenter.id}/${c.path}/icon.${ext}`;
      want(path, icon, `help-centers/${c.helpCenter.id}/${c.path}/_collection.yaml`);
      return images.get(path);
    }
    const builtin = builtinIcon(icon);
    if (!builtin)
      warn(
        `help-centers/${c.helpCenter.id}/${c.path}/_collection.yaml: Intercom icon "${icon}" has no counterpart among the built-in icons; the default (book) is shown`,
      );
    return builtin ? { builtin } : undefined;
  };
  const icons = new Map([...new Set(collections.values())].map((c) => [c, iconOf(c)]));

  // Avatars: saved beside authors.yaml.
  for (const author of authors.values()) {
    const url = author.admin.avatar;
    if (!url) continue;
    const path = `avatars/${author.key}.${extensionOf(url, ['png', 'jpg', 'jpeg', 'gif', 'webp', 'avif'])}`;
    want(path, url, 'authors.yaml');
    author.avatar = images.get(path);
  }

  // Brands with private articles need a sign-in: a placeholder the team fills in.
  const isPrivate = (a: PlacedArticle) => {
    const audience = a.source.help_center_audience;
    return audience !== undefined && audience !== null && audience !== 'everyone';
  };
  for (const a of articles)
    if (
      isPrivate(a) &&
      a.source.help_center_audience !== 'all_users' &&
      a.source.help_center_audience !== 'restricted'
    )
      warn(
        `${articleFolder(a)}/${a.id}: Intercom shows it to ${a.source.help_center_audience}; imported as private (signed-in customers only)`,
      );

  const counts: ImportCounts = {
    helpCenters: helpCenters.size,
    collections: new Set(collections.values()).size,
    articles: new Set(articles.map((a) => a.source.id)).size,
    translations: bodies.length,
    aliases:
      [...new Set(collections.values())].reduce((n, c) => n + c.aliases.size, 0) +
      articles.reduce((n, a) => n + [...a.aliases.values()].reduce((m, s) => m + s.size, 0), 0),
  };

  // Warnings that only depend on the plan, said once here rather than on every render.
  const sortedAudiences = [...audienceKeys].sort(compare);
  for (const key of sortedAudiences)
    warn(
      `audiences.yaml: ${key} has no rules yet (Intercom's API does not expose audience rules); add them, or every signed-in customer belongs to it`,
    );
  const privateHelpCenters = new Set(articles.filter(isPrivate).map((a) => a.helpCenter));
  for (const hc of privateHelpCenters)
    warn(
      `brands/${hc.id}.yaml: privacy.loginUrl is a placeholder; set it to your app's sign-in page, and export ${envName(hc.id)} (the token secret) before npm run serve`,
    );
  for (const hc of helpCenters.values())
    if (!validHost(hc.source.custom_domain))
      warn(
        `brands/${hc.id}.yaml: no custom domain in Intercom${hc.source.url ? ` (it was ${hc.source.url})` : ''}; served at ${hc.id}.<workspace domain> until you set domain`,
      );
  const workspaceDomain =
    validHost(defaultHelpCenter.source.custom_domain) ??
    [...helpCenters.values()].map((hc) => validHost(hc.source.custom_domain)).find(Boolean);
  if (!workspaceDomain)
    warn(
      'workspace.yaml: domain help.example.com is a placeholder; set the domain your help centers live under',
    );

  const render = (saved: ReadonlySet<string>): PlannedFile[] => {
    const files: PlannedFile[] = [];
    const yamlFile = (path: string, data: unknown, header?: string) =>
      files.push({ path, data: `${header ? `# ${header}\n` : ''}${toYaml(data)}` });

    yamlFile(
      'workspace.yaml',
      {
        name: defaultHelpCenter.source.display_name || 'Help Center',
        defaultLanguage: workspaceDefault,
        languages: workspaceLanguages,
        domain: workspaceDomain ?? 'help.example.com',
      },
      'Imported from Intercom.',
    );
    files[files.length - 1]!.onlyIfAbsent = true;

    for (const hc of helpCenters.values()) {
      const brand: Record<string, unknown> = {
        name: hc.source.display_name || hc.id,
        helpCenter: hc.id,
      };
      const domain = validHost(hc.source.custom_domain);
      if (domain) brand.domain = domain;
      brand.languages = hc.languages;
      brand.defaultLanguage = hc.defaultLanguage;
      if (privateHelpCenters.has(hc))
        brand.privacy = {
          loginUrl: 'https://app.example.com/login?return_to={returnTo}',
          jwt: { secretEnv: envName(hc.id) },
        };
      yamlFile(`brands/${hc.id}.yaml`, brand, `Imported from Intercom help center ${hc.source.id}.`);
    }

    for (const c of new Set(collections.values())) {
      const hcLanguages = c.helpCenter.languages;
      const config: Record<string, unknown> = {
        name: localized(c.source, 'name', hcLanguages) ?? c.source.name ?? c.name,
      };
      const description = localized(c.source, 'description', hcLanguages);
      if (description) config.description = description;
      const icon = icons.get(c);
      if (icon && 'builtin' in icon) config.icon = icon.builtin;
      else if (icon && saved.has(icon.path)) config.icon = `./${icon.path.split('/').at(-1)!}`;
      if (typeof c.source.order === 'number') config.order = c.source.order;
      if (c.aliases.size) config.aliases = [...c.aliases].sort(compare);
      yamlFile(`help-centers/${c.helpCenter.id}/${c.path}/_collection.yaml`, config);
    }

    for (const body of bodies) {
      const { article: a, translation: t, file } = body;
      const content = t.content;
      const fm: Record<string, unknown> = {
        title: clip(content.title ?? '', MAX_TITLE, file, 'title', warn),
      };
      const description = (content.description ?? '').trim();
      if (description) fm.description = clip(description, MAX_DESCRIPTION, file, 'description', warn);
      fm.state = (content.state ?? a.source.state) === 'draft' ? 'draft' : 'published';
      if (isPrivate(a)) fm.visibility = 'private';
      if (body.author) fm.author = body.author;
      const agent = content.ai_chatbot_availability ?? a.source.ai_chatbot_availability;
      const copilot = content.ai_copilot_availability ?? a.source.ai_copilot_availability;
      if (agent !== undefined || copilot !== undefined)
        fm.ai = {
          ...(agent !== undefined ? { agent } : {}),
          ...(copilot !== undefined ? { copilot } : {}),
        };
      if (body.audiences.length) fm.audiences = body.audiences;
      const tags = (a.source.tags?.tags ?? []).map((tag) => tag.name).filter(Boolean);
      if (tags.length) fm.tags = tags;
      const updated = content.updated_at ?? a.source.updated_at;
      if (typeof updated === 'number')
        fm.updated = new Date(updated * 1000).toISOString().replace('.000Z', 'Z');
      const aliases = [...(a.aliases.get(t.language) ?? [])].sort(compare);
      if (aliases.length) fm.aliases = aliases;
      let markdown = body.markdown;
      const folder = file.slice(0, file.lastIndexOf('/'));
      for (const [name, url] of body.images)
        if (!saved.has(`${folder}/${name}`)) markdown = linkImage(markdown, name, url);
      files.push({ path: file, data: `---\n${toYaml(fm)}---\n\n${markdown.trim()}\n` });
    }

    if (authors.size) {
      const data: Record<string, unknown> = {};
      for (const { key, admin, avatar } of [...authors.values()].sort((x, y) => compare(x.key, y.key))) {
        const entry: Record<string, unknown> = { name: admin.name || admin.email || key };
        if (avatar && saved.has(avatar.path)) entry.avatar = `./${avatar.path}`;
        if (admin.job_title) entry.title = admin.job_title;
        data[key] = entry;
      }
      yamlFile('authors.yaml', data, 'Imported from Intercom: the admins who wrote the articles.');
    }
    if (sortedAudiences.length)
      yamlFile(
        'audiences.yaml',
        Object.fromEntries(
          sortedAudiences.map((key) => [
            key,
            { name: `Intercom audience ${key.slice('intercom-audience-'.length)}`, rules: [] },
          ]),
        ),
        "Imported from Intercom, whose API does not give audience rules: fill in each one's rules.",
      );
    return files.sort((x, y) => compare(x.path, y.path));
  };

  return {
    ids,
    images: [...images.values()].sort((x, y) => compare(x.path, y.path)),
    counts,
    languages: workspaceLanguages,
    warnings,
    render,
  };
}

/** The translations of an article that have a title, in the order of its locales. */
function translationsOf(article: IntercomArticle): Translation[] {
  const entries = Object.entries(article.translated_content ?? {}).filter(
    (entry): entry is [string, IntercomArticleContent] =>
      entry[0] !== 'type' && entry[1] !== null && typeof entry[1] === 'object',
  );
  if (!entries.length && article.title) {
    const { translated_content: _, ...root } = article;
    entries.push([article.default_locale ?? 'en', root as IntercomArticleContent]);
  }
  const seen = new Set<string>();
  const translations: Translation[] = [];
  for (const [locale, content] of entries) {
    if (!content.title?.trim()) continue;
    const language = languageOf(locale);
    if (seen.has(language)) continue;
    seen.add(language);
    translations.push({ locale, language, content });
  }
  return translations;
}

function defaultText(
  translated: IntercomCollection['translated_content'],
  locale: string | undefined,
  field: 'name' | 'description',
): string | undefined {
  const content = translated?.[locale ?? ''];
  return content && typeof content === 'object' ? content[field] || undefined : undefined;
}

/** A collection's name or description: one string, or per language when the help center has several. */
function localized(
  c: IntercomCollection,
  field: 'name' | 'description',
  languages: string[],
): Text | undefined {
  const byLanguage: Record<string, string> = {};
  for (const [locale, content] of Object.entries(c.translated_content ?? {})) {
    if (locale === 'type' || !content || typeof content !== 'object') continue;
    const text = content[field]?.trim();
    if (text) byLanguage[languageOf(locale)] = text;
  }
  const own = (field === 'name' ? c.name : c.description)?.trim();
  if (!Object.keys(byLanguage).length) return own || undefined;
  if (languages.length <= 1) return byLanguage[languages[0] ?? ''] ?? own ?? Object.values(byLanguage)[0];
  return byLanguage;
}

/**
 * Takes names one by one, keeping each unique: a clash gets the Intercom id as a suffix. The last
 * import's names are reserved for their owners, so a new article titled like an old one never
 * takes the old one's file.
 */
class Unique {
  private readonly taken = new Set<string>();
  private readonly reserved: Set<string>;

  constructor(reserved: Iterable<string> = []) {
    this.reserved = new Set(reserved);
  }

  /** `previous` (the last import's name) wins where it is still free. */
  take(previous: string | undefined, wanted: string, intercomId: string): string {
    const fallback = wanted || `intercom-${intercomId}`;
    const free = (name: string) => !this.taken.has(name) && (name === previous || !this.reserved.has(name));
    let name = [previous, fallback, `${fallback}-${intercomId}`].find((c): c is string => !!c && free(c));
    for (let n = 2; name === undefined; n++)
      if (free(`${fallback}-${intercomId}-${n}`)) name = `${fallback}-${intercomId}-${n}`;
    this.taken.add(name);
    return name;
  }
}

/** The last import's names of the objects this export still has. */
function reservedNames(previous: Record<string, string>, present: { id: string | number }[]): string[] {
  return present
    .map((item) => previous[String(item.id)])
    .filter((name): name is string => name !== undefined);
}

/** An id or folder name: github-slugger's slug, one dash at a time, no dots at the ends. */
function idSlug(text: string): string {
  return githubSlug(text)
    .replace(/-{2,}/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '');
}

/** A key of authors.yaml or a brand id: lower-case ASCII letters, digits and dashes. */
function asciiKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Intercom's slug of a title in its URLs, for a URL the export does not spell. */
function intercomSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * The path of a former help-center URL, as an alias: the origin, the help center's own prefix
 * (`/acme-developers` on intercom.help), query and fragment removed, percent-escapes decoded.
 */
export function formerPath(
  url: string | null | undefined,
  hc: { basePath: string; host: string | undefined; source: IntercomHelpCenter },
): string | undefined {
  if (!url) return undefined;
  const parsed = URL.parse(url, 'https://help-center.invalid');
  if (!parsed) return undefined;
  let path = decode(parsed.pathname);
  const prefixes = [
    parsed.host === hc.host ? hc.basePath : '',
    hc.source.identifier ? `/${hc.source.identifier}` : '',
  ].filter(Boolean);
  for (const prefix of prefixes)
    if (path === prefix || path.startsWith(`${prefix}/`)) {
      path = path.slice(prefix.length);
      break;
    }
  path = path.replace(/\/+$/, '');
  return path.startsWith('/') && path.length > 1 ? path : undefined;
}

/** An Intercom article or collection address: `…/<locale>/articles/<id>-<slug>`. */
function intercomTarget(
  href: string,
  hosts: Set<string | undefined>,
): { kind: 'article' | 'collection'; id: string; locale?: string } | undefined {
  const url = URL.parse(href, 'https://help-center.invalid');
  if (!url) return undefined;
  if (url.host !== 'help-center.invalid' && url.host !== 'intercom.help' && !hosts.has(url.host))
    return undefined;
  const match = /(?:\/([a-z]{2,3}(?:-[a-z0-9]{2,8})*))?\/(articles|collections)\/(\d+)(?:-[^/]*)?\/?$/i.exec(
    url.pathname,
  );
  if (!match) return undefined;
  return {
    kind: match[2] === 'articles' ? 'article' : 'collection',
    id: match[3]!,
    ...(match[1] ? { locale: match[1] } : {}),
  };
}

/** Intercom's icon names (`book-bookmark`, `credit-card`, …) → the closest built-in icon. */
const ICON_WORDS: [RegExp, (typeof BUILTIN_ICONS)[number]][] = [
  [/book|guide|manual/, 'book'],
  [/card|billing|dollar|money|payment|wallet|coin/, 'credit-card'],
  [/chat|message|conversation|speech|comment/, 'chat'],
  [/gear|cog|setting/, 'gear'],
  [/user|people|team|person|group/, 'users'],
  [/shield|security/, 'shield'],
  [/lock|padlock/, 'lock'],
  [/key/, 'key'],
  [/rocket|launch|start/, 'rocket'],
  [/bell|notif/, 'bell'],
  [/calendar|date|schedule/, 'calendar'],
  [/chart|graph|analytic|report/, 'chart'],
  [/code|api|developer|terminal/, 'code'],
  [/download/, 'download'],
  [/file|document|doc|page|paper/, 'file'],
  [/globe|world|earth|language/, 'globe'],
  [/heart|love/, 'heart'],
  [/home|house/, 'home'],
  [/bulb|idea|tip/, 'lightbulb'],
  [/mail|envelope|email|inbox/, 'mail'],
  [/phone|mobile|call/, 'phone'],
  [/question|help|faq/, 'question'],
  [/search|magnif/, 'search'],
  [/star|favou?rite/, 'star'],
  [/tag|label|price/, 'tag'],
  [/wrench|tool|fix|integration/, 'wrench'],
];

function builtinIcon(icon: string): string | undefined {
  const name = icon.toLowerCase();
  if ((BUILTIN_ICONS as readonly string[]).includes(name)) return name;
  return ICON_WORDS.find(([words]) => words.test(name))?.[1];
}

/** Where the Markdown shows `./name`, the image's address instead (it was not saved). */
export function linkImage(markdown: string, name: string, url: string): string {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return markdown.replace(new RegExp(`\\./${escaped}(?=[)\\s"'>])`, 'g'), () =>
    url.replace(/[()\s]/g, encodeURIComponent),
  );
}

/** `./old` → `./new` for each image the converter named, in one pass (names may swap). */
function renameImages(markdown: string, renamed: Map<string, string>): string {
  const changed = [...renamed].filter(([from, to]) => from !== to);
  if (!changed.length) return markdown;
  const pattern = changed.map(([from]) => from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  return markdown.replace(
    new RegExp(`\\./(${pattern})(?=[)\\s"'>])`, 'g'),
    (_, from: string) => `./${renamed.get(from)!}`,
  );
}

function addAlias(aliases: Map<string, Set<string>>, language: string, path: string): void {
  const set = aliases.get(language) ?? new Set<string>();
  set.add(path);
  aliases.set(language, set);
}

function withoutQuery(url: string): string {
  const parsed = URL.parse(url);
  return parsed ? `${parsed.origin}${parsed.pathname}` : url.split(/[?#]/)[0]!;
}

function extensionOf(url: string, allowed: string[]): string {
  const ext = /\.([a-z0-9]+)$/i.exec(URL.parse(url)?.pathname ?? '')?.[1]?.toLowerCase();
  return ext && allowed.includes(ext) ? ext : allowed[0]!;
}

function validHost(domain: string | null | undefined): string | undefined {
  return domain &&
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/i.test(domain)
    ? domain
    : undefined;
}

/** `acme-developers` → `ACME_DEVELOPERS_JWT_SECRET`. */
function envName(brand: string): string {
  return `${brand.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_JWT_SECRET`;
}

function clip(text: string, max: number, file: string, key: string, warn: (line: string) => void): string {
  const trimmed = text.replace(/\s+/g, ' ').trim();
  if ([...trimmed].length <= max) return trimmed;
  warn(`${file}: ${key} is longer than ${max} characters; shortened`);
  return `${[...trimmed].slice(0, max - 1).join('')}…`;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function toYaml(data: unknown): string {
  return YAML.stringify(data, { lineWidth: 0 });
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Intercom's numeric ids in numeric order: the same order whatever order the export came in. */
function sortById<T extends { id: string | number }>(items: T[]): T[] {
  return [...items].sort((a, b) => {
    const [x, y] = [String(a.id), String(b.id)];
    return x.length - y.length || compare(x, y);
  });
}
