import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { linkOrCopy, linkTree, treeFiles } from '../output/link.ts';
import { dirs, fileOf } from '../routing/layout.ts';
import type { ArticlePage, BrandSite, PageData, SiteData } from '../routing/types.ts';
import { inPrivateSearch, inPublicSearch } from '../routing/visibility.ts';
import { searchInputHash } from './input.ts';
import { PassPool } from './pass.ts';
import { marksWords } from './words.ts';

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
  /**
   * One private index per audience set (`''` for the signed-in-only set): its pages' URLs, and the
   * `searchInputHash` of those the site build wrote, by URL (any other page is read to get it).
   */
  private: { audiences: string[]; urls: string[]; inputs: Record<string, string> }[];
}

export interface LanguageSearch {
  lang: string;
  /** Its searchable public pages, as files under the public tree, in URL order. */
  files: string[];
  /** How many bundles the pages are split over (`searchIndexParts`); part 1 is the index itself. */
  parts: number;
  /**
   * `searchInputHash` of the pages of the language the site build wrote, by file under the public
   * tree (the page cache had their bytes at hand); any other page is read to get it.
   */
  inputs: Record<string, string>;
}

/**
 * The plan of a computed site; `inputHash(brand, page)` is the `searchInputHash` of a page as
 * written, where known.
 */
export function searchPlan(
  site: SiteData,
  inputHash: (brand: BrandSite, page: PageData) => string | undefined,
): SearchPlan {
  return {
    brands: site.brands.map((brand) => {
      const inputs = new Map<string, Record<string, string>>();
      for (const page of brand.pages) {
        const hash = page.private ? undefined : inputHash(brand, page);
        if (hash === undefined) continue;
        let list = inputs.get(page.lang);
        if (!list) inputs.set(page.lang, (list = {}));
        list[fileOf(page.url)] = hash;
      }
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
            inputs: inputs.get(lang) ?? {},
          })),
        private: [...privateSets(brand)].map(([key, list]) => ({
          audiences: key ? key.split('\n') : [],
          urls: list.map((page) => page.url),
          inputs: Object.fromEntries(
            list.flatMap((page) => {
              const hash = inputHash(brand, page);
              return hash === undefined ? [] : [[page.url, hash]];
            }),
          ),
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
  /** Public language indexes copied (from another brand, or the previous build) rather than made. */
  copied: number;
  /** Private indexes (one per audience set) copied so. */
  privateCopied: number;
}

/**
 * Indexes every brand with Pagefind: its searchable public pages into the public tree's index and
 * its searchable private pages into the private tree, one index per audience set, never one inside
 * the other. A tree with nothing searchable gets an empty index rather than Pagefind's fallback of
 * indexing every page.
 * Pagefind splits each index by the pages' `lang`, and reads only the article (`ROOT`); passes run
 * side by side only as far as their memory allows (`PassPool`). A language whose pages give
 * Pagefind the very bytes another brand's did in this build, or its own in the previous build
 * (`previous`, the output the new one replaces), has that index copied: brands that share a help
 * center differ only around the article.
 * So has a private index whose pages give Pagefind the bytes of another's, at the same URLs.
 * `code` is Signpost's version (`codeVersion`): another Signpost may index the same bytes otherwise.
 */
export async function indexSite(
  outDir: string,
  plan: SearchPlan,
  code: string,
  previous?: string,
  passes: { atOnce?: number | undefined; pagesPerPass?: number | undefined; signal?: AbortSignal } = {},
): Promise<IndexStats> {
  const started = performance.now();
  const stats = { pages: 0, bytes: 0, copied: 0, privateCopied: 0 };
  const { sources, privateSources } = await previousSources(previous);
  const keys: SearchKeys = { version: KEYS_VERSION, brands: {}, private: {} };
  const pool = new PassPool(passes.atOnce ?? DEFAULT_PASSES, passes.pagesPerPass, passes.signal);
  // Brand by brand: a brand's indexes may be copied from those of a brand before it.
  for (const brand of plan.brands) {
    const root = dirs.public(outDir, brand.id);
    const privateRoot = dirs.private(outDir, brand.id);
    const [counted, ...sets] = await settled([
      indexPublicTree(brand, root, code, sources, pool),
      ...brand.private.map((set) => indexPrivateSet(brand.id, privateRoot, set, code, privateSources, pool)),
    ] as const);
    keys.brands[brand.id] = counted.keys;
    stats.pages += counted.pages;
    stats.bytes += counted.bytes;
    stats.copied += counted.copied;
    keys.private[brand.id] = brand.private.map((set, i) => ({ audiences: set.audiences, key: sets[i]!.key }));
    for (const written of sets) {
      stats.pages += written.pages;
      stats.bytes += written.bytes;
      if (written.copied) stats.privateCopied++;
    }
  }
  await fs.writeFile(dirs.searchKeys(outDir), JSON.stringify(keys));
  return { seconds: (performance.now() - started) / 1000, ...stats };
}

/**
 * Pagefind passes at once at most (`SIGNPOST_SEARCH_PASSES`), their memory allowing (`PassPool`).
 * At 1,000 × 3 that is every pass (three languages and the private index): 2.3 s of indexing,
 * against 2.8 s two at a time and 2.9–3.1 s one at a time, on two cores.
 */
export const DEFAULT_PASSES = 4;

/**
 * `Promise.all`, but it settles only when every promise has: a failed pass must not leave others
 * writing into a folder the build is about to remove.
 */
async function settled<T extends readonly unknown[]>(promises: {
  [K in keyof T]: Promise<T[K]>;
}): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** Pagefind's bundle manifest: its version and each language's index. */
const ENTRY = 'pagefind-entry.json';

/**
 * What each brand's language indexes were made from (`languageKey`), and its private indexes
 * (the key `indexPrivateSet` makes), kept beside the output.
 */
interface SearchKeys {
  version: number;
  brands: Record<string, Record<string, string>>;
  private: Record<string, { audiences: string[]; key: string }[]>;
}

const KEYS_VERSION = 3;

/**
 * Indexes to copy from: the public trees of the previous output by the key of each language index
 * they hold (`sources`), and its private indexes by their key (`privateSources`).
 */
async function previousSources(previous: string | undefined) {
  const found = { sources: new Map<string, string>(), privateSources: new Map<string, string>() };
  let keys: SearchKeys;
  try {
    if (!previous) return found;
    keys = JSON.parse(await fs.readFile(dirs.searchKeys(previous), 'utf8')) as SearchKeys;
  } catch {
    return found; // no previous build, or one from before keys were kept
  }
  if (keys.version !== KEYS_VERSION) return found;
  for (const [brand, languages] of Object.entries(keys.brands))
    for (const key of Object.values(languages)) found.sources.set(key, dirs.public(previous, brand));
  for (const [brand, sets] of Object.entries(keys.private))
    for (const { audiences, key } of sets)
      found.privateSources.set(key, dirs.searchIndex(dirs.private(previous, brand), audiences));
  return found;
}

/**
 * What a language's index is made from, as one hash: Signpost's version, how the language is split
 * into parts, and for every page Pagefind reads in its passes, the page's file and what Pagefind
 * reads of it (`searchInputHash`). Pagefind makes the same index of the same input, so two indexes
 * of one key are the same, byte for byte.
 */
function languageKey(root: string, { lang, files, parts, inputs }: LanguageSearch, code: string): string {
  const hash = createHash('sha256').update(`${code}\0${parts}\0`);
  // What the passes read (see `indexPublicTree`): every page under the language's folder, or the
  // pages each part names. A page the plan has no hash of (none, so far) is read, one by one:
  // nothing else runs meanwhile, and a promise per page took four times as long. Listed with
  // `treeFiles`, which stats nothing: a stat per page beside the first passes took ~0.1 s of this
  // thread at 1,000 × 3.
  const read =
    parts === 1
      ? treeFiles(path.join(root, lang))
          .filter((file) => file.endsWith('.html'))
          .map((file) => path.relative(root, file).split(path.sep).join('/'))
          .sort()
      : files;
  for (const file of read) {
    const input = inputs[file] ?? searchInputHash(readFileSync(path.join(root, file)));
    hash.update(`${file}\0${input}\0`);
  }
  return hash.digest('hex');
}

/**
 * Throws unless the entry a part 1 wrote lists its language, and only it: the bundle takes that
 * language's files alone, wherever the pass wrote them.
 */
function checkPass(brand: string, lang: string, entry: Entry | undefined): void {
  const languages = Object.keys(entry?.languages ?? {});
  if (languages.length !== 1 || languages[0]!.toLowerCase() !== lang.toLowerCase())
    throw new Error(
      `search index for ${brand}: the pass of ${lang} indexed ${languages.length ? languages.join(', ') : 'no language'}, not ${lang} alone (a bug in Signpost: please report it)`,
    );
}

/**
 * The public tree's index, a language (or part of one) per pass. Pagefind reads a tree in
 * parallel and holds every page it indexes in memory until it writes the index, so a 24,000-page
 * site in one pass peaked at 4.6 GB; pages of one language share nothing with another's in the
 * index (it is split by `lang` anyway), so each language gets its own pass in a fresh Pagefind
 * process (several side by side where their memory allows: `PassPool`), and the passes' bundles
 * are merged. A language with more pages than a pass may hold (`searchIndexParts`) is
 * split: its first part goes into the index, each further part is a bundle of its own beside it,
 * which the search client merges in the browser. Pagefind skips pages without
 * `data-pagefind-body`, but indexes every page when none has one: a tree with nothing searchable
 * gets an empty index. A language whose key (`languageKey`) is in `sources` is copied from that
 * tree instead; the languages this tree indexes join `sources`.
 */
async function indexPublicTree(
  brand: BrandSearch,
  root: string,
  code: string,
  sources: Map<string, string>,
  pool: PassPool,
) {
  const output = dirs.searchIndex(root);
  const keys: Record<string, string> = {};
  const done = async (copied: number) => {
    for (const key of Object.values(keys)) sources.set(key, root);
    return { keys, copied, pages: await publicPages(root, brand), bytes: sizeOf(output) };
  };
  if (brand.languages.length === 0) {
    await pool.run(brand.id, 0, (index) => index({ root, output }));
    return done(0);
  }
  const from = new Map<LanguageSearch, string>();
  // With no index to copy from (a first build, `--no-cache`), the keys are only written down for
  // the next build: they are worked out while the passes run (~0.1 s at 1,000 × 3).
  const copying = sources.size > 0;
  if (copying)
    for (const language of brand.languages) {
      const key = (keys[language.lang] = languageKey(root, language, code));
      const source = sources.get(key);
      if (source) from.set(language, source);
    }
  // Every language from one tree whose index holds just these languages: that whole bundle.
  const whole = new Set(from.values());
  if (from.size === brand.languages.length && whole.size === 1) {
    const [source] = whole as Set<string>;
    const entry = await readEntry(dirs.searchIndex(source!));
    const languages = Object.keys(entry?.languages ?? {}).map((l) => l.toLowerCase());
    if (languages.sort().join() === brand.languages.map((l) => l.lang.toLowerCase()).join()) {
      linkTree(dirs.searchIndex(source!), output);
      return done(brand.languages.length);
    }
  }
  // The copied languages first: the passes of the others write into the bundle they are in.
  const fresh = brand.languages.filter((l) => !from.has(l));
  let copied = 0;
  for (const [language, source] of from)
    if (await keepLanguage(source, root, language)) copied++;
    else fresh.push(language);
  // Pagefind's scripts and styles come with every pass; with none, from a tree copied from.
  if (fresh.length === 0) await copyScripts(dirs.searchIndex([...from.values()][0]!), output);
  // A part 1 is written straight into the bundle while no other is: Pagefind names every file of
  // a language by language and content hash (the scripts and styles are the same in every pass)
  // and leaves the files it did not write, so only its entry file, which lists this pass's
  // language alone, is merged with the languages the bundle held before. A part 1 that runs beside
  // it is written into a folder of its own, whose language joins the bundle once every pass is
  // done. Pagefind has no API that merges bundles at build time (its `mergeIndex` joins them in
  // the browser, at the cost of a request per bundle), hence this.
  let writingBundle = false;
  const beside: { lang: string; folder: string }[] = [];
  const passes: Promise<void>[] = [];
  for (const { lang, files, parts } of fresh) {
    const size = Math.ceil(files.length / parts);
    for (let part = 1; part <= parts; part++) {
      const pages = files.slice((part - 1) * size, part * size);
      // Japanese is read from copies of its pages with their words marked (`marksWords`). Every
      // other page of a language lives under `/<lang>/` (see `urls`), and only there; a part names
      // its pages (their paths are ids and language tags: no glob syntax in them).
      const read = marksWords(lang)
        ? { copies: pages }
        : { glob: parts === 1 ? `${lang}/**/*.html` : `{${pages.join(',')}}` };
      const weight = pool.weight(lang, pages.length);
      if (part === 1)
        passes.push(
          pool.run(brand.id, weight, async (index) => {
            if (writingBundle) {
              const folder = `${output}.${lang}`;
              beside.push({ lang, folder });
              await index({ root, output: folder, ...read });
              return checkPass(brand.id, lang, await readEntry(folder));
            }
            writingBundle = true;
            try {
              const before = await readEntry(output);
              await index({ root, output, ...read });
              checkPass(brand.id, lang, await readEntry(output));
              if (before) await addLanguages(output, before);
            } finally {
              writingBundle = false;
            }
          }),
        );
      else
        passes.push(
          pool.run(brand.id, weight, async (index) => {
            const bundle = dirs.searchIndexPart(root, lang, part);
            await index({ root, output: bundle, ...read });
            // The page's own Pagefind loads a merged bundle's entry, metadata, WebAssembly and
            // index files; the scripts and styles every bundle gets would only be served for nothing.
            for (const name of await fs.readdir(bundle))
              if (/\.(js|css)$/.test(name)) await fs.rm(path.join(bundle, name));
          }),
        );
    }
  }
  // A language at a time, so that this thread also hands Pagefind the passes' requests meanwhile.
  if (!copying)
    passes.push(
      (async () => {
        for (const language of brand.languages) {
          await new Promise((next) => setImmediate(next));
          keys[language.lang] = languageKey(root, language, code);
        }
      })(),
    );
  try {
    await settled(passes);
    // In any order: the entry lists its languages sorted (`addLanguages`).
    for (const { lang, folder } of beside) await keepLanguageFiles(folder, output, lang);
  } finally {
    for (const { folder } of beside) await fs.rm(folder, { recursive: true, force: true });
  }
  return done(copied);
}

/**
 * Copies one language's index from another public tree (another brand's in this build, or the
 * previous build's): its files in the index (`keepLanguageFiles`) and its further parts, when that
 * tree split it the same way. False when it did not, so the language is indexed instead.
 */
async function keepLanguage(sourceRoot: string, root: string, { lang, parts }: LanguageSearch) {
  const part = (tree: string, n: number) => dirs.searchIndexPart(tree, lang, n);
  const exists = (dir: string) =>
    fs.access(path.join(dir, ENTRY)).then(
      () => true,
      () => false,
    );
  for (let n = 2; n <= parts; n++) if (!(await exists(part(sourceRoot, n)))) return false;
  if (await exists(part(sourceRoot, parts + 1))) return false;
  const copied = await keepLanguageFiles(dirs.searchIndex(sourceRoot), dirs.searchIndex(root), lang).catch(
    () => false,
  );
  if (!copied) return false;
  for (let n = 2; n <= parts; n++) linkTree(part(sourceRoot, n), part(root, n));
  return true;
}

/**
 * Copies one language's files from another bundle into `output`: those named by the language
 * (`en_…` in `index/`, `fragment/` and `filter/`, the language's `pf_meta` and
 * `wasm.<lang>.pagefind`), and its entry. False when that bundle has no such language.
 * Pagefind's scripts come from the passes of the languages indexed afresh (or `copyScripts`).
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
  for (const folder of new Set(files.map((file) => path.dirname(path.join(output, file)))))
    mkdirSync(folder, { recursive: true });
  for (const file of files) linkOrCopy(path.join(previous, file), path.join(output, file));
  await addLanguages(output, { ...entry, languages: { [key]: entry.languages[key] } });
  return true;
}

/**
 * Copies what every Pagefind pass writes whatever its language (the scripts, styles and the
 * WebAssembly for text in no known language) from another bundle into `output`.
 */
async function copyScripts(source: string, output: string): Promise<void> {
  const entry = (await readEntry(source)) as
    { languages: Record<string, { wasm: string | null }> } | undefined;
  const wasm = new Set(Object.values(entry?.languages ?? {}).map((l) => `wasm.${l.wasm}.pagefind`));
  const perLanguage = (name: string) => name === ENTRY || name.endsWith('.pf_meta') || wasm.has(name);
  await fs.mkdir(output, { recursive: true });
  for (const item of await fs.readdir(source, { withFileTypes: true }))
    if (item.isFile() && !perLanguage(item.name))
      linkOrCopy(path.join(source, item.name), path.join(output, item.name));
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
  // A new file in its place: the entry may be a link to another bundle's (`linkTree`).
  const temporary = path.join(output, `${ENTRY}.${process.pid}`);
  await fs.writeFile(temporary, JSON.stringify({ ...current, languages: Object.fromEntries(languages) }));
  await fs.rename(temporary, path.join(output, ENTRY));
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

/**
 * One audience set's private index, from exactly its pages (private trees are small); copied
 * instead from `sources` (private indexes of other brands, or of the previous build, by key) when
 * one was made from the same input, which it then joins.
 */
async function indexPrivateSet(
  brand: string,
  root: string,
  { audiences, urls, inputs }: BrandSearch['private'][number],
  code: string,
  sources: Map<string, string>,
  pool: PassPool,
) {
  const output = dirs.searchIndex(root, audiences);
  const read = (url: string) => fs.readFile(path.join(root, fileOf(url)));
  // Pagefind is given each page's URL and HTML, and reads of the HTML what `searchInputHash` hashes.
  const hash = createHash('sha256').update(`${code}\0${audiences.join('\n')}\0`);
  for (const url of urls) hash.update(`${url}\0${inputs[url] ?? searchInputHash(await read(url))}\0`);
  const key = hash.digest('hex');
  const source = sources.get(key);
  if (source && (await readEntry(source))) {
    linkTree(source, output);
    return { key, copied: true, pages: await pagesIn(output), bytes: sizeOf(output) };
  }
  // Every page's URL starts with its language (see `urls`).
  const weight = urls.reduce((sum, url) => sum + pool.weight(url.split('/')[1] ?? '', 1), 0);
  const pages = urls.map((url) => ({ url, file: fileOf(url) }));
  await pool.run(brand, weight, (index) => index({ root, output, pages }));
  sources.set(key, output);
  return { key, copied: false, pages: await pagesIn(output), bytes: sizeOf(output) };
}

/**
 * Bytes of the files under `dir`. Synchronous: a `stat` awaited after another, each a round trip
 * through libuv's threads, took ~0.2 s for a bundle of 3,000 files, while the build waited.
 */
function sizeOf(dir: string): number {
  let total = 0;
  for (const file of treeFiles(dir)) total += statSync(file).size;
  return total;
}
