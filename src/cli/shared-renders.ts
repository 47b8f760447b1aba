import path from 'node:path';
import { notePageUses, type Handoff } from '../integration/handoff.ts';
import { detokenize, newTokens, plain, type Tokens, type Words } from '../output/tokens.ts';
import { FileWriter, type FileToWrite } from '../output/writer.ts';
import { routeOf, treeFile } from '../routing/layout.ts';
import type { BrandSite, PageData, SiteData } from '../routing/types.ts';

/**
 * Brands that share a help center share the rendering of their pages when they differ only in
 * words: their name, domain, GA4 id, header title, sign-in settings (`MAY_DIFFER`). Such brands
 * ("twins") are rendered once, as one prototype brand whose differing words are tokens, and each
 * twin's pages are the prototype's with the tokens replaced by its own words.
 *
 * Why this is the same as rendering each twin: the templates only escape, join and compare the
 * words they are given, and a token (`tokens.ts`) is letters and digits, which no escaping changes
 * and no content holds. So where a template writes a brand's word, the prototype holds the token,
 * and where it writes anything else, it is what every twin's page holds. Three things keep it so:
 * - a word is shared only when escaping leaves it as it is (`plain`: no `& < > " ' \` or control
 *   characters), so the raw word is right in text, attributes, JSON and scripts alike;
 * - only fields whose templates write them as they are may differ (`MAY_DIFFER`); a twin whose
 *   theme, languages, links or anything else differs is rendered on its own;
 * - a page is shared only when each twin's route data is the prototype's with the tokens replaced
 *   (an article that names a brand in its text, say, is not: that name is not the twin's there).
 * A test builds twins together and one alone and compares their pages byte for byte.
 *
 * Written by hand: it is a property of our templates, which no library knows.
 */

/** Paths into `BrandSite` (`*` for any key) whose strings may differ between twins. */
const MAY_DIFFER = [
  'id',
  'name',
  'domain',
  'origin',
  'ga4',
  'privacy.*',
  'privacy.*.*',
  'privacy.*.*.*',
  'chrome.*.header.title',
  'chrome.*.header.logoAlt',
  'chrome.*.analytics.ga4',
].map((pattern) => pattern.split('.'));

/** Fields of `BrandSite` no page shows: what the build writes, and brand files by their source. */
const NOT_SHOWN = new Set<string>(['pages', 'redirects', 'markdownCopies', 'generated', 'files']);

/** A twin: its brand, its word for each token, and its pages by `pageKey`. */
interface Twin {
  brand: BrandSite;
  words: Words;
  pages: Map<string, PageData>;
}

/** Brands rendered as one prototype. */
interface Group {
  prototype: string;
  twins: Twin[];
  /** The prototype's pages, and for each the twins that take it (by brand id). */
  pages: { page: PageData; twins: Twin[] }[];
}

export interface SharedRenders {
  /** What Astro renders: each brand's pages of its own, and each group's prototype pages. */
  render: SiteData;
  /** Twins' pages that come from a prototype rather than their own render. */
  shared: number;
  /** What the pages and the prerenderer ask while Astro renders into `temp` (see `Handoff.shared`); undefined with no twins. */
  handoff(temp: string, handoff: Handoff, writer: FileWriter): Handoff['shared'];
}

/**
 * Splits what is to be rendered (`render`, the pages the page cache could not give) between the
 * brands' own renders and prototypes of twins. `site` has every page of every brand: a twin's
 * page is shared even where the brand the prototype is made from kept its own from the last build.
 *
 * A prototype page is rendered at the route of the first twin that takes it, and `finish` hands it
 * to the writer thread, which writes every twin's file with the twin's words in place of the
 * tokens; Astro writes nothing for it. No prototype is written, read back or removed, and the
 * build's thread, which renders, neither puts the words in nor writes: at two brands that was
 * ~0.8 s of it.
 */
export function shareRenders(site: SiteData, render: SiteData): SharedRenders {
  // Each brand joins the first group whose first brand it differs from only in words (`paths`).
  const groups: { leader: BrandSite; members: BrandSite[]; paths: Set<string> }[] = [];
  for (const brand of site.mode === 'build' ? site.brands : []) {
    const group = groups.find((g) => {
      const differing = differingPaths(shown(g.leader), shown(brand), []);
      for (const p of differing ?? []) g.paths.add(p);
      return differing !== undefined;
    });
    if (group) group.members.push(brand);
    else groups.push({ leader: brand, members: [brand], paths: new Set() });
  }
  // No twins (one brand, say): nothing to set up, and nothing held while Astro renders.
  if (!groups.some((g) => g.members.length > 1)) return { render, shared: 0, handoff: () => undefined };
  const toRender = new Map(render.brands.map((b) => [b.id, new Set(b.pages.map(pageKey))]));
  const tokens = newTokens();
  const made: Group[] = [];
  const prototypes: BrandSite[] = [];
  let shared = 0;
  for (const { leader, members, paths } of groups) {
    const words = members.length > 1 ? groupWords(leader, members, paths, tokens) : undefined;
    if (!words) continue;
    const twins: Twin[] = members.map((brand, i) => ({
      brand,
      words: { prefix: tokens.prefix, words: words.twins[i]! },
      pages: new Map(brand.pages.map((p) => [pageKey(p), p])),
    }));
    const pages: Group['pages'] = [];
    for (const page of leader.pages) {
      const key = pageKey(page);
      const wanting = twins.filter((t) => toRender.get(t.brand.id)?.has(key));
      if (wanting.length < 2) continue; // one twin alone gains nothing from a prototype
      // An article's body, rendered once for every brand, is most of its route data: where it
      // holds none of the words, it is compared as the same string and left out of the JSON that
      // is tokenized, compared and parsed (two brands of 1,000 × 3: ~0.2 s less of the build's
      // thread). The prototype takes it as it is.
      const body = page.kind === 'article' && !words.holdsAny(page.html) ? page.html : undefined;
      const data = (p: PageData | undefined) =>
        body === undefined
          ? JSON.stringify(p)
          : p?.kind === 'article' && p.html === body
            ? JSON.stringify({ ...p, html: '' })
            : undefined;
      const json = data(page)!;
      // Each other twin's route data for the page, as JSON once (the first brand's is `json`).
      const theirs = new Map(
        wanting.filter((t) => t.brand !== leader).map((t) => [t, data(t.pages.get(key))]),
      );
      // The first brand takes its prototype by construction: its words became the tokens, and no
      // text holds a token of this build (`tokens.ts`).
      const takes = (prototype: string) => (t: Twin) =>
        t.brand === leader || theirs.get(t) === detokenize(prototype, t.words);
      // The URL words alone first: an article that names the brand in its text is still the same
      // article. Not where a string of the page is another word whole: a template may compare
      // the two (a page titled as the brand is not suffixed with its name, `HeadMeta`).
      let prototype = words.holdsWord(json) ? '' : words.tokenizeUrls(json);
      let taking = prototype ? wanting.filter(takes(prototype)) : [];
      if (taking.length < 2) {
        prototype = words.tokenize(json);
        taking = wanting.filter(takes(prototype));
      }
      const parsed = taking.length < 2 ? undefined : (parseOr(prototype) as PageData | undefined);
      if (!parsed) continue;
      pages.push({
        page: parsed.kind === 'article' && body !== undefined ? { ...parsed, html: body } : parsed,
        twins: taking,
      });
      for (const t of taking) toRender.get(t.brand.id)!.delete(key);
      shared += taking.length;
    }
    if (pages.length === 0) continue;
    const prototype: BrandSite = {
      ...words.prototype,
      pages: pages.map((p) => p.page),
      redirects: [],
      markdownCopies: [],
      generated: {},
      files: {},
    };
    prototypes.push(prototype);
    made.push({ prototype: prototype.id, twins, pages });
  }
  const brands = render.brands.map((b) => ({
    ...b,
    pages: b.pages.filter((p) => toRender.get(b.id)!.has(pageKey(p))),
  }));
  const routed = new Map<PageData, Twin>();
  const byRoute = new Map<string, { group: Group; entry: Group['pages'][number] }>();
  for (const group of made)
    for (const entry of group.pages) {
      const first = entry.twins[0]!;
      routed.set(entry.page, first);
      byRoute.set(routeKey(routeOf('build', first.brand.id, entry.page).param ?? ''), { group, entry });
    }
  return {
    render: { ...render, brands: [...brands, ...prototypes] },
    shared,
    handoff: (temp, handoff, writer) => ({
      treeOf: (page) => routed.get(page)?.brand.id,
      finisher: (route) => {
        const found = byRoute.get(routeKey(route));
        return found && ((html) => finish(temp, handoff, writer, found.group, found.entry, html));
      },
    }),
  };
}

/** A route as the prerenderer's request names it, or as `routeOf` gives it: decoded, no slashes or `.html` at the ends. */
function routeKey(route: string): string {
  let decoded = route;
  try {
    decoded = decodeURIComponent(route);
  } catch {
    // not encoded
  }
  return decoded.replace(/^\/+|\/+$/g, '').replace(/\.html$/, '');
}

/**
 * A prototype page rendered (`html`, its UTF-8 bytes as Astro rendered them): hands every twin's
 * file to the writer's threads (which put in the twin's words, and fail if any part of a token is
 * left: see `writeFiles`), and notes what each uses as if it had been rendered. The bytes move to
 * each thread once for all its twins, not decoded here: as text, the page was copied to the thread
 * once per twin (~0.5 s of the build's thread for 3,071 pages of two brands).
 */
async function finish(
  temp: string,
  handoff: Handoff,
  writer: FileWriter,
  group: Group,
  entry: Group['pages'][number],
  html: Uint8Array,
): Promise<void> {
  const { page, twins } = entry;
  const from = treeFile(group.prototype, page.private, page.url);
  const made = handoff.rendered.get(from);
  handoff.rendered.delete(from);
  // Twins by turns in the writer's lanes, each lane with bytes of its own: they move to its thread.
  const lanes = Math.min(twins.length, FileWriter.LANES);
  const bytes = Array.from({ length: lanes }, (_, lane) => (lane === 0 ? html : html.slice()));
  const files: FileToWrite[][] = bytes.map(() => []);
  for (const [i, twin] of twins.entries()) {
    const file = treeFile(twin.brand.id, page.private, page.url);
    const lane = FileWriter.laneOf(i);
    files[lane]!.push({ file: path.join(temp, file), text: bytes[lane]!, words: twin.words, page: true });
    const scripts = new Set([...(made?.scripts ?? [])].map((s) => detokenize(s, twin.words)));
    const assets = new Set(made?.assets ?? []);
    handoff.rendered.set(file, { assets, scripts });
    notePageUses(handoff, twin.brand.id, page.private, assets, scripts);
  }
  await Promise.all(files.map((batch, lane) => writer.write(batch, lane)));
}

/** A page's place in its brand's output, the same for every brand. */
function pageKey(page: PageData): string {
  return `${page.private ? 'private' : 'public'}:${page.url}`;
}

function shown(brand: BrandSite): Record<string, unknown> {
  return Object.fromEntries(Object.entries(brand).filter(([field]) => !NOT_SHOWN.has(field)));
}

/**
 * The paths (joined by `.`, `*` for array items) where `b`'s strings differ from `a`'s, when they
 * are plain words in fields that may differ; undefined when `b` differs from `a` in anything else.
 */
function differingPaths(
  a: unknown,
  b: unknown,
  at: string[],
  paths = new Set<string>(),
): Set<string> | undefined {
  if (typeof a === 'string' && typeof b === 'string') {
    if (a === b) return paths;
    return mayDiffer(at) && plain(a) && plain(b) ? paths.add(at.join('.')) : undefined;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return undefined;
    for (let i = 0; i < a.length; i++)
      if (!differingPaths(a[i], b[i], [...at, String(i)], paths)) return undefined;
    return paths;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = definedKeys(a);
    if (keys.join('\n') !== definedKeys(b).join('\n')) return undefined;
    for (const key of keys)
      if (
        !differingPaths(
          (a as Record<string, unknown>)[key],
          (b as Record<string, unknown>)[key],
          [...at, key],
          paths,
        )
      )
        return undefined;
    return paths;
  }
  return a === b ? paths : undefined;
}

/** The string at `at` (a path of `differingPaths`) in `value`. */
function stringAt(value: unknown, at: string): string {
  return at.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown>)[key], value) as string;
}

/** `value` with the strings at `paths` replaced by what `replace` makes of them. */
function replaceAt(
  value: unknown,
  paths: Set<string>,
  replace: (word: string) => string,
  at: string[] = [],
): unknown {
  if (typeof value === 'string') return paths.has(at.join('.')) ? replace(value) : value;
  if (Array.isArray(value)) return value.map((v, i) => replaceAt(v, paths, replace, [...at, String(i)]));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, replaceAt(v, paths, replace, [...at, k])]),
    );
  return value;
}

function definedKeys(value: object): string[] {
  return Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort();
}

function mayDiffer(at: string[]): boolean {
  return MAY_DIFFER.some(
    (pattern) => pattern.length === at.length && pattern.every((part, i) => part === '*' || part === at[i]),
  );
}

/** What a group of twins is rendered from. */
interface GroupWords {
  /** The first brand's fields, with a token in place of each word another twin says otherwise. */
  prototype: Omit<BrandSite, 'pages' | 'redirects' | 'markdownCopies' | 'generated' | 'files'>;
  /** Each twin's word for each token. */
  twins: string[][];
  /** Route data with every word of the first brand as a token (the longest first: a domain inside an origin is not cut). */
  tokenize: (json: string) => string;
  /** The same with the words of the brand's URLs only (origin and domain). */
  tokenizeUrls: (json: string) => string;
  /** Whether route data holds a word but the URL words as a whole string. */
  holdsWord: (json: string) => boolean;
  /** Whether a text holds any of the words, anywhere. */
  holdsAny: (text: string) => boolean;
}

/**
 * The group's words (at `paths`, where some member's strings differ from the first brand's), or
 * undefined when the twins cannot be one prototype.
 */
function groupWords(
  leader: BrandSite,
  members: BrandSite[],
  paths: Set<string>,
  { prefix, token }: Tokens,
): GroupWords | undefined {
  const fields = shown(leader);
  const words = [...new Set([...paths].map((p) => stringAt(fields, p)))].sort((x, y) => y.length - x.length);
  if (words.length === 0 || words.length > 9999) return undefined;
  const index = new Map(words.map((w, i) => [w, i]));
  const prototype = replaceAt(fields, paths, (word) => token(index.get(word)!)) as GroupWords['prototype'];
  const twins = members.map((m) => {
    const mine = shown(m);
    const byWord = new Map<string, string>();
    for (const p of paths) {
      const [from, to] = [stringAt(fields, p), stringAt(mine, p)];
      if ((byWord.get(from) ?? to) !== to) return undefined; // one word of the first, two of this one
      byWord.set(from, to);
    }
    return words.map((w) => byWord.get(w)!);
  });
  if (twins.some((t) => !t)) return undefined;
  // Each twin is the prototype with its own words, field for field.
  const prototypeJson = JSON.stringify(prototype);
  if (
    members.some(
      (m, i) => detokenize(prototypeJson, { prefix, words: twins[i]! }) !== JSON.stringify(shown(m)),
    )
  )
    return undefined;
  const tokenizer = (list: string[]) => {
    if (list.length === 0) return (json: string) => json;
    const pattern = new RegExp(list.map(escapeRegExp).join('|'), 'g');
    return (json: string) => json.replace(pattern, (word) => token(index.get(word)!));
  };
  const urlWords = new Set(['origin', 'domain'].filter((p) => paths.has(p)).map((p) => stringAt(fields, p)));
  const others = words.filter((w) => !urlWords.has(w));
  const anywhere = new RegExp(words.map(escapeRegExp).join('|'));
  const whole = others.length ? new RegExp(`"(?:${others.map(escapeRegExp).join('|')})"`) : undefined;
  return {
    prototype,
    twins: twins as string[][],
    tokenize: tokenizer(words),
    tokenizeUrls: tokenizer(words.filter((w) => urlWords.has(w))),
    holdsWord: (json) => whole?.test(json) ?? false,
    holdsAny: (text) => anywhere.test(text),
  };
}

function parseOr(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return undefined; // a word inside an escape sequence (`\u00e9` holds `u00e9`): not shared
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
