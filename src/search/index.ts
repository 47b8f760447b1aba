import fs from 'node:fs/promises';
import path from 'node:path';
import * as pagefind from 'pagefind';
import { dirs, fileOf } from '../routing/layout.ts';
import type { ArticlePage, BrandSite, SiteData } from '../routing/types.ts';
import { inPrivateSearch, inPublicSearch } from '../routing/visibility.ts';

/**
 * Everything indexing needs to know of a site, as plain data: the build indexes after the process
 * that rendered the pages has exited (`cli/build.ts`), so Pagefind never runs beside it.
 */
export interface SearchPlan {
  brands: BrandSearch[];
}

export interface BrandSearch {
  id: string;
  /** Languages with searchable public pages, sorted. */
  languages: LanguageSearch[];
  /** One private index per audience set (`''` for the signed-in-only set). */
  private: { audiences: string[]; urls: string[] }[];
}

export interface LanguageSearch {
  lang: string;
  /** Its searchable public pages, as files under the public tree, in URL order. */
  files: string[];
  /** How many bundles the pages are split over (`searchIndexParts`); part 1 is the index itself. */
  parts: number;
  /** The previous build's index of this language reads these very pages: copy it. */
  keep: boolean;
}

/**
 * The plan of a computed site. `same(brand, lang)` says the previous build's public index of a
 * language read the very pages this one would (the page cache knows, `cli/page-cache.ts`).
 */
export function searchPlan(site: SiteData, same: (brand: string, lang: string) => boolean): SearchPlan {
  return {
    brands: site.brands.map((brand) => {
      const files = new Map<string, string[]>();
      for (const page of brand.pages)
        if (inPublicSearch(page)) {
          let list = files.get(page.lang);
          if (!list) files.set(page.lang, (list = []));
          list.push(fileOf(page.url));
        }
      return {
        id: brand.id,
        languages: [...files]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([lang, list]) => ({
            lang,
            files: list.sort(),
            parts: (brand.search.parts?.[lang]?.length ?? 0) + 1,
            keep: same(brand.id, lang),
          })),
        private: [...privateSets(brand)].map(([key, list]) => ({
          audiences: key ? key.split('\n') : [],
          urls: list.map((page) => page.url),
        })),
      };
    }),
  };
}

/** What indexing cost, for the build summary and the bench. */
export interface IndexStats {
  seconds: number;
  /** Bytes of every index written (public and private, all brands). */
  bytes: number;
  /** Pages in the indexes. */
  pages: number;
}

/**
 * Indexes every brand with Pagefind: its searchable public pages into the public tree's index and
 * its searchable private pages into the private tree, one index per audience set, never one inside
 * the other. A tree with nothing searchable gets an empty index rather than Pagefind's fallback of
 * indexing every page. `previous` is the output of the last build, whose indexes of unchanged
 * languages are copied.
 * Pagefind splits each index by the pages' `lang`, and reads only article title and body (the
 * pages mark them with `data-pagefind-body`); one index is held in memory at a time.
 */
export async function indexSite(outDir: string, plan: SearchPlan, previous?: string): Promise<IndexStats> {
  const started = performance.now();
  let pages = 0;
  let bytes = 0;
  try {
    for (const brand of plan.brands) {
      const counted = await indexPublicTree(brand, dirs.public(outDir, brand.id), previous);
      pages += counted.pages;
      bytes += counted.bytes;
      for (const { audiences, urls } of brand.private) {
        const written = await indexPrivateSet(brand.id, dirs.private(outDir, brand.id), audiences, urls);
        pages += written.pages;
        bytes += written.bytes;
      }
    }
  } finally {
    await pagefind.close();
  }
  return { seconds: (performance.now() - started) / 1000, bytes, pages };
}

/** Pagefind's bundle manifest: its version and each language's index. */
const ENTRY = 'pagefind-entry.json';

async function newIndex(brand: string) {
  const { index, errors } = await pagefind.createIndex({ rootSelector: 'html' });
  if (!index) throw indexError(brand, errors);
  return index;
}

function indexError(brand: string, errors: string[]): Error {
  return new Error(`search index for ${brand}: ${errors.join('; ')}`);
}

/** Writes an index and reports what it holds (`addDirectory` counts every HTML file it read). */
async function finish(brand: string, index: pagefind.PagefindIndex, output: string) {
  await writeIndex(brand, index, output);
  return { pages: await pagesIn(output), bytes: await sizeOf(output) };
}

async function writeIndex(brand: string, index: pagefind.PagefindIndex, output: string): Promise<void> {
  const written = await index.writeFiles({ outputPath: output });
  if (written.errors.length) throw indexError(brand, written.errors);
  await index.deleteIndex();
}

/**
 * The public tree's index, built one language at a time. Pagefind reads a tree in parallel and
 * holds every page it indexes in memory until it writes the index, so a 24,000-page site in one
 * pass peaked at 4.6 GB; pages of one language share nothing with another's in the index (it is
 * split by `lang` anyway), so each language gets its own pass in a fresh Pagefind process, and the
 * passes' bundles are merged. A language with more pages than a pass may hold (Japanese takes
 * ~0.9 MB a page) is split: its first part goes into the index, each further part is a bundle of
 * its own beside it, which the search client merges in the browser. Pagefind skips pages without
 * `data-pagefind-body`, but indexes every page when none has one: a tree with nothing searchable
 * gets an empty index.
 */
async function indexPublicTree(brand: BrandSearch, root: string, previousOut: string | undefined) {
  const output = dirs.searchIndex(root);
  if (brand.languages.length === 0) return finish(brand.id, await newIndex(brand.id), output);
  const previousRoot = previousOut && dirs.public(previousOut, brand.id);
  const previous = previousRoot && dirs.searchIndex(previousRoot);
  const kept = previous ? brand.languages.filter((l) => l.keep) : [];
  if (previous && kept.length === brand.languages.length) {
    // Not one page changed: the whole bundle, as it was (further parts are inside it).
    await fs.cp(previous, output, { recursive: true });
    return { pages: await publicPages(root, brand), bytes: await sizeOf(output) };
  }
  // The languages to index first: a kept language is copied into the bundle their passes wrote.
  const fresh = brand.languages.filter((l) => !kept.includes(l));
  for (const language of kept) if (!(await keepLanguage(previousRoot!, root, language))) fresh.push(language);
  for (const { lang, files, parts } of fresh) {
    const size = Math.ceil(files.length / parts);
    for (let part = 1; part <= parts; part++) {
      const index = await newIndex(brand.id);
      // Every page of a language lives under `/<lang>/` (see `urls`), and only there; a part
      // names its pages (their paths are ids and language tags: no glob syntax in them).
      const glob =
        parts === 1 ? `${lang}/**/*.html` : `{${files.slice((part - 1) * size, part * size).join(',')}}`;
      const added = await index.addDirectory({ path: root, glob });
      if (added.errors.length) throw indexError(brand.id, added.errors);
      if (part === 1) {
        // Written straight into the bundle: Pagefind names every file of a language by language
        // and content hash (the scripts and styles are the same in every pass) and leaves the
        // files it did not write, so only its entry file, which lists this pass's language alone,
        // is merged with the languages the bundle held before. Pagefind has no API that merges
        // bundles at build time (its `mergeIndex` joins them in the browser, at the cost of a
        // request per bundle), hence this.
        const before = await readEntry(output);
        await writeIndex(brand.id, index, output);
        if (before) await addLanguages(output, before);
      } else {
        const bundle = dirs.searchIndexPart(root, lang, part);
        await finish(brand.id, index, bundle);
        // The page's own Pagefind loads a merged bundle's entry, metadata, WebAssembly and index
        // files; the scripts and styles every bundle gets would only be served for nothing.
        for (const name of await fs.readdir(bundle))
          if (/\.(js|css)$/.test(name)) await fs.rm(path.join(bundle, name));
      }
      // A fresh process for the next pass: the indexer's memory goes with the old one.
      await pagefind.close();
    }
  }
  return { pages: await publicPages(root, brand), bytes: await sizeOf(output) };
}

/**
 * Copies one language's index from the previous build's public tree: its files in the index
 * (`keepLanguageFiles`) and its further parts, when the previous build split it the same way.
 * False when it did not, so the language is indexed instead.
 */
async function keepLanguage(previousRoot: string, root: string, { lang, parts }: LanguageSearch) {
  const part = (tree: string, n: number) => dirs.searchIndexPart(tree, lang, n);
  const exists = (dir: string) =>
    fs.access(path.join(dir, ENTRY)).then(
      () => true,
      () => false,
    );
  for (let n = 2; n <= parts; n++) if (!(await exists(part(previousRoot, n)))) return false;
  if (await exists(part(previousRoot, parts + 1))) return false;
  const copied = await keepLanguageFiles(dirs.searchIndex(previousRoot), dirs.searchIndex(root), lang).catch(
    () => false,
  );
  if (!copied) return false;
  for (let n = 2; n <= parts; n++) await fs.cp(part(previousRoot, n), part(root, n), { recursive: true });
  return true;
}

/**
 * Copies one language's files from a previous bundle into `output`: those named by the language
 * (`en_…` in `index/`, `fragment/` and `filter/`, the language's `pf_meta` and
 * `wasm.<lang>.pagefind`), and its entry. False when the previous bundle has no such language.
 * Pagefind's scripts come from the passes of the languages indexed afresh.
 */
async function keepLanguageFiles(previous: string, output: string, lang: string): Promise<boolean> {
  const entry = JSON.parse(await fs.readFile(path.join(previous, ENTRY), 'utf8')) as {
    languages: Record<string, { hash: string; wasm: string | null }>;
  };
  const key = Object.keys(entry.languages).find((k) => k.toLowerCase() === lang.toLowerCase());
  if (!key) return false;
  const { hash, wasm } = entry.languages[key]!;
  const files = [`pagefind.${hash}.pf_meta`, ...(wasm ? [`wasm.${wasm}.pagefind`] : [])];
  for (const folder of ['index', 'fragment', 'filter'])
    for (const name of await fs.readdir(path.join(previous, folder)).catch(() => [] as string[]))
      if (name.startsWith(`${key}_`)) files.push(path.join(folder, name));
  for (const file of files) {
    await fs.mkdir(path.dirname(path.join(output, file)), { recursive: true });
    await fs.copyFile(path.join(previous, file), path.join(output, file));
  }
  await addLanguages(output, { ...entry, languages: { [key]: entry.languages[key] } });
  return true;
}

type Entry = { languages: Record<string, unknown> } & Record<string, unknown>;

/**
 * Adds the languages of `added` (an entry of another bundle) to the entry file in `output`, or
 * writes it there. Languages in sorted order, as one pass over all of them would list them, so the
 * file is the same whichever passes made the bundle.
 */
async function addLanguages(output: string, added: Entry): Promise<void> {
  const current = (await readEntry(output)) ?? { ...added, languages: {} };
  const languages = Object.entries({ ...current.languages, ...added.languages }).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  await fs.mkdir(output, { recursive: true });
  await fs.writeFile(
    path.join(output, ENTRY),
    JSON.stringify({ ...current, languages: Object.fromEntries(languages) }),
  );
}

/** The entry file of the bundle in `output`, if there is one yet. */
function readEntry(output: string): Promise<Entry | undefined> {
  return fs.readFile(path.join(output, ENTRY), 'utf8').then(
    (text) => JSON.parse(text) as Entry,
    () => undefined,
  );
}

/** How many pages a written bundle holds, by its entry file. */
async function pagesIn(output: string): Promise<number> {
  const entry = JSON.parse(await fs.readFile(path.join(output, ENTRY), 'utf8')) as {
    languages: Record<string, { page_count: number }>;
  };
  return Object.values(entry.languages).reduce((n, l) => n + l.page_count, 0);
}

/** How many pages a public tree's index holds, further parts of split languages included. */
async function publicPages(root: string, brand: BrandSearch): Promise<number> {
  let pages = await pagesIn(dirs.searchIndex(root));
  for (const { lang, parts } of brand.languages)
    for (let n = 2; n <= parts; n++) pages += await pagesIn(dirs.searchIndexPart(root, lang, n));
  return pages;
}

/**
 * Searchable private pages grouped by their audience set: each set gets its own index, which the
 * gate serves only to visitors those audiences admit, so no index tells anyone what they may not read.
 */
function privateSets(brand: BrandSite): Map<string, ArticlePage[]> {
  const sets = new Map<string, ArticlePage[]>();
  for (const page of brand.pages)
    if (inPrivateSearch(page)) {
      const key = [...page.audiences].sort().join('\n');
      let set = sets.get(key);
      if (!set) sets.set(key, (set = []));
      set.push(page);
    }
  return sets;
}

/** One audience set's private index, from exactly its pages (private trees are small). */
async function indexPrivateSet(brand: string, root: string, audiences: string[], urls: string[]) {
  const index = await newIndex(brand);
  for (const url of urls) {
    const content = await fs.readFile(path.join(root, fileOf(url)), 'utf8');
    const added = await index.addHTMLFile({ url, content });
    if (added.errors.length) throw indexError(brand, added.errors);
  }
  return finish(brand, index, dirs.searchIndex(root, audiences));
}

async function sizeOf(dir: string): Promise<number> {
  let total = 0;
  for (const entry of (await fs.readdir(dir, { recursive: true })) as string[]) {
    const stat = await fs.stat(path.join(dir, entry));
    if (stat.isFile()) total += stat.size;
  }
  return total;
}
