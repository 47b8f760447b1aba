import { aliasPathProblem, normalizeAliasPath } from '../../../schemas/article.ts';
import type { IntercomHelpCenter, IntercomRedirect } from '../types.ts';
import { languageOf } from './languages.ts';
import { compare } from './order.ts';
import type { PlacedHelpCenter, Places, Planning } from './types.ts';

/**
 * Former Intercom URLs, kept as aliases so that old links still arrive: every published
 * translation's address, every collection's in each of its languages, and each help center's
 * redirects. An alias is a path on the brand's domain, so the help center's own prefix is
 * stripped; one path leads to one place per help center.
 */

/** Former URLs: every published translation's, every collection's in every language, redirects. */
export function collectAliases(redirects: IntercomRedirect[], places: Places, planning: Planning): void {
  articleAliases(places, planning);
  collectionAliases(places, planning);
  redirectAliases(redirects, places, planning);
  claimAliases(places, planning);
}

/** How many former URLs the plan keeps. */
export function countAliases({ collections, articles }: Places): number {
  return (
    collections.all.reduce((n, c) => n + c.aliases.size, 0) +
    articles.reduce((n, a) => n + [...a.aliases.values()].reduce((m, s) => m + s.size, 0), 0)
  );
}

function articleAliases({ articles }: Places, planning: Planning): void {
  for (const a of articles)
    for (const t of a.translations) {
      if ((t.content.state ?? a.source.state) !== 'published') continue;
      const former =
        pathIn(a.helpCenter, t.content.url, planning) ??
        usable(
          `/${t.locale}/articles/${a.source.id}-${intercomSlug(t.content.title ?? '')}`,
          `article ${a.source.id}`,
          planning,
        );
      if (former) addAlias(a.aliases, t.language, former);
    }
}

function collectionAliases({ collections }: Places, planning: Planning): void {
  for (const c of collections.all) {
    const own = pathIn(c.helpCenter, c.source.url, planning);
    if (own) c.aliases.add(own);
    for (const [locale, content] of Object.entries(c.source.translated_content ?? {})) {
      if (locale === 'type' || !content || typeof content !== 'object' || !content.name) continue;
      const path = usable(
        `/${locale}/collections/${c.source.id}-${intercomSlug(content.name)}`,
        `collection ${c.source.id}`,
        planning,
      );
      if (path) c.aliases.add(path);
    }
  }
}

/** A redirect to an article is an alias of its translation in the redirect's locale, else its default's. */
function redirectAliases(redirects: IntercomRedirect[], places: Places, planning: Planning): void {
  const { helpCenters, collections, articles } = places;
  const { warn } = planning;
  for (const redirect of [...redirects].sort((a, b) => compare(String(a.id), String(b.id)))) {
    const hc = helpCenters.byId.get(String(redirect.help_center_id)) ?? helpCenters.default;
    const former = pathIn(hc, redirect.from_url, planning);
    if (!former) {
      warn(`redirect ${redirect.id} from ${redirect.from_url}: not a help-center address; left out`);
      continue;
    }
    if (redirect.target_type === 'collection') {
      const target = collections.byId.get(String(redirect.target_id));
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
}

/** One former path leads to one place per help center: the first claim keeps it. */
function claimAliases({ helpCenters, collections, articles }: Places, planning: Planning): void {
  for (const hc of helpCenters.byId.values()) {
    const claimed = new Map<string, string>();
    const claim = (alias: string, owner: string, drop: () => void) => {
      const key = normalizeAliasPath(alias);
      const first = claimed.get(key);
      if (first === undefined) claimed.set(key, owner);
      else if (first !== owner) {
        planning.warn(
          `former URL ${alias} leads both to ${first} and ${owner} in help center ${hc.id}; kept for ${first}`,
        );
        drop();
      }
    };
    for (const c of collections.all)
      if (c.helpCenter === hc)
        for (const alias of [...c.aliases])
          claim(alias, `collection ${c.path}`, () => c.aliases.delete(alias));
    for (const a of articles)
      if (a.helpCenter === hc)
        for (const [, set] of a.aliases)
          for (const alias of [...set]) claim(alias, `article ${a.id}`, () => set.delete(alias));
  }
}

/** The path, unless the schema would refuse it as an alias (said, naming `where`). */
function usable(path: string | undefined, where: string, planning: Planning): string | undefined {
  const problem = path === undefined ? undefined : aliasPathProblem(path);
  if (problem) planning.warn(`${where}: former URL left out: ${problem}`);
  return problem ? undefined : path;
}

/** A help-center address as an alias of `hc`, if it is one. */
function pathIn(
  hc: PlacedHelpCenter,
  url: string | null | undefined,
  planning: Planning,
): string | undefined {
  return usable(formerPath(url, hc), `help center ${hc.id}`, planning);
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

/** Intercom's slug of a title in its URLs, for a URL the export does not spell. */
function intercomSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

function addAlias(aliases: Map<string, Set<string>>, language: string, path: string): void {
  const set = aliases.get(language) ?? new Set<string>();
  set.add(path);
  aliases.set(language, set);
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
