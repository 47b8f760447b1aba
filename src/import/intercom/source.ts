/**
 * The two sources of an Intercom import, both giving one `IntercomExport`: `readExport` reads the
 * REST API's JSON list responses saved to disk, `fetchExport` asks the live API (Intercom-Version
 * 2.16, `shared/intercom/openapi-2.16-help-center.yaml`) and follows every page. Items are merged,
 * de-duplicated by id and sorted by id, so both sources give the same value for the same workspace.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type {
  IntercomAdmin,
  IntercomArticle,
  IntercomCollection,
  IntercomExport,
  IntercomHelpCenter,
  IntercomRedirect,
} from './types.ts';

/** A source problem, as one line the CLI prints: `where: what is wrong, what to do`. */
export class IntercomSourceError extends Error {
  override name = 'IntercomSourceError';
}

type Kind = keyof IntercomExport;
type Item = Record<string, unknown>;

/** The keys of a combined export file, and the API object type each list holds. */
const KEYS: Record<string, Kind> = {
  help_centers: 'helpCenters',
  helpCenters: 'helpCenters',
  collections: 'collections',
  articles: 'articles',
  admins: 'admins',
  redirects: 'redirects',
};
const TYPES: Record<string, Kind> = {
  help_center: 'helpCenters',
  collection: 'collections',
  article: 'articles',
  admin: 'admins',
  help_center_redirect: 'redirects',
};

const fail = (where: string, what: string): never => {
  throw new IntercomSourceError(`${where}: ${what.replace(/\s+/g, ' ').trim()}`);
};
const isObject = (value: unknown): value is Item =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Collects items from any number of pages; the last copy of an id wins, unless it is older. */
class Gathered {
  private readonly byKind = new Map<Kind, Map<string, Item>>(
    (['helpCenters', 'collections', 'articles', 'admins', 'redirects'] as const).map((k) => [k, new Map()]),
  );

  add(kind: Kind, items: unknown[], where: string): void {
    const held = this.byKind.get(kind)!;
    items.forEach((item, i) => {
      if (!isObject(item))
        return fail(where, `item ${i} of the list is not an object, save the API's answers as they came`);
      if (typeof item.id !== 'string' && typeof item.id !== 'number')
        return fail(where, `item ${i} of the list has no id, save the API's answers as they came`);
      const id = String(item.id);
      const before = held.get(id);
      // A list sorted by `updated_at` can show an item twice when it changes while being paged.
      if (before && Number(before.updated_at ?? 0) > Number(item.updated_at ?? 0)) return;
      held.set(id, { ...item, id });
    });
  }

  result(): IntercomExport {
    const sorted = (kind: Kind) =>
      [...this.byKind.get(kind)!.values()].sort((a, b) =>
        String(a.id).localeCompare(String(b.id), 'en', { numeric: true }),
      );
    return {
      helpCenters: sorted('helpCenters') as IntercomHelpCenter[],
      collections: sorted('collections') as IntercomCollection[],
      articles: sorted('articles') as IntercomArticle[],
      admins: sorted('admins') as IntercomAdmin[],
      redirects: sorted('redirects') as IntercomRedirect[],
    };
  }
}

/** The kind of one API object: its `type`, else (help centers and collections carry none) its fields. */
function kindOfItem(item: unknown): Kind | undefined {
  if (!isObject(item)) return undefined;
  if (typeof item.type === 'string' && TYPES[item.type]) return TYPES[item.type];
  if ('from_url' in item && 'target_type' in item) return 'redirects';
  if ('parent_ids' in item) return 'articles';
  if ('parent_id' in item || 'icon' in item || 'order' in item) return 'collections';
  if ('identifier' in item || 'locales' in item || 'website_turned_on' in item) return 'helpCenters';
  if ('email' in item) return 'admins';
  return undefined;
}

/** The items of one list response (`list` with `data`, or `admin.list` with `admins`), or undefined. */
function listItems(value: unknown): unknown[] | undefined {
  if (!isObject(value)) return undefined;
  if (value.type === 'admin.list' && Array.isArray(value.admins)) return value.admins;
  if ((value.type === 'list' || value.type === undefined) && Array.isArray(value.data)) return value.data;
  return undefined;
}

const SHAPES =
  'expected the API\'s list responses ("type": "list" with "data", or "admin.list" with "admins"), or an object of them under help_centers, collections, articles, admins, redirects';

/** Adds one list response, or a bare array of items, whose kind `expected` may already say. */
function addList(into: Gathered, value: unknown, where: string, expected?: Kind): void {
  const items = Array.isArray(value) ? value : listItems(value);
  if (!items) return fail(where, `not an Intercom list response, ${SHAPES}`);
  const kinds = new Set(items.map(kindOfItem));
  if (kinds.has(undefined))
    return fail(
      where,
      `an item of the list is no help center, collection, article, admin or redirect, ${SHAPES}`,
    );
  if (kinds.size > 1)
    return fail(where, `the list mixes ${[...kinds].join(' and ')}, save each list response on its own`);
  const [kind] = kinds as Set<Kind>;
  if (expected && kind && kind !== expected)
    return fail(where, `holds ${kind} where ${expected} belong, put each list under its own key`);
  if (kind ?? expected) into.add((kind ?? expected)!, items, where);
}

/** Adds what one JSON file holds: a list response, or a combined export object. */
function addFile(into: Gathered, value: unknown, where: string): void {
  if (Array.isArray(value) || listItems(value)) return addList(into, value, where);
  if (!isObject(value)) return fail(where, `not an Intercom export, ${SHAPES}`);
  if (typeof value.type === 'string')
    return fail(where, `a "${value.type}" response, not a list the import reads, ${SHAPES}`);
  const unknown = Object.keys(value).filter((k) => !KEYS[k]);
  if (unknown.length || !Object.keys(value).length)
    return fail(
      where,
      `not an Intercom export${unknown.length ? ` (unknown key "${unknown[0]}")` : ''}, ${SHAPES}`,
    );
  for (const [key, lists] of Object.entries(value)) {
    const kind = KEYS[key]!;
    const at = `${where}: ${key}`;
    // One list response, an array of them (its pages), or an array of items.
    const pages =
      Array.isArray(lists) && lists.length > 0 && lists.every((l) => listItems(l)) ? lists : [lists];
    pages.forEach((page, i) => addList(into, page, pages.length > 1 ? `${at}[${i}]` : at, kind));
  }
}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    return fail(
      file,
      `cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)}), check the --from path`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    return fail(file, `not JSON (${(error as Error).message}), save the API's response bodies as they came`);
  }
}

/**
 * Reads a saved export: a FILE (one list response, or `{ help_centers, collections, articles,
 * admins, redirects }` of list responses, arrays of them, or arrays of items) or a DIR (every
 * `*.json` inside, each one list response, classified by what it holds).
 */
export async function readExport(from: string): Promise<IntercomExport> {
  let stat;
  try {
    stat = await fs.stat(from);
  } catch (error) {
    return fail(
      from,
      `cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)}), check the --from path`,
    );
  }
  const into = new Gathered();
  if (!stat.isDirectory()) {
    addFile(into, await readJson(from), from);
    return into.result();
  }
  const names = (await fs.readdir(from))
    .filter((name) => name.endsWith('.json'))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (!names.length)
    return fail(from, "holds no .json files, save the API's list responses there (one file per page)");
  for (const name of names) {
    const file = path.join(from, name);
    addFile(into, await readJson(file), file);
  }
  return into.result();
}

/** The API's host per region (where the workspace's data is hosted). */
export const INTERCOM_API = {
  us: 'https://api.intercom.io',
  eu: 'https://api.eu.intercom.io',
  au: 'https://api.au.intercom.io',
} as const;

/** The description's largest `per_page` for redirects; the other lists take no page size. */
const REDIRECTS_PER_PAGE = 250;
const TRIES = 5;
/** Longest wait for a rate-limit reset or `Retry-After`, so a bad header cannot hang the import. */
const LONGEST_WAIT = 5 * 60_000;

export interface FetchExportOptions {
  /** An access token of the workspace (the CLI takes it from `INTERCOM_TOKEN`); never printed. */
  token: string;
  region: 'us' | 'eu' | 'au';
  /** Instead of the region's host; tests point it at a loopback server. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Progress, one line each. */
  log?: (line: string) => void;
  /** How to wait; tests pass one that does not. */
  sleep?: (ms: number) => Promise<void>;
  /** The first retry's delay before jitter, in ms (default 1000); it doubles each try. */
  retryDelay?: number;
}

/**
 * Reads a workspace's help centers, collections, articles, admins and each help center's redirects
 * from the REST API, following every page as the description says: `pages.next.starting_after`
 * cursors for collections and articles, `page`/`per_page` for redirects. Waits out a used-up rate
 * limit; retries 429, 5xx and network errors with backoff (at most five tries).
 */
export async function fetchExport(options: FetchExportOptions): Promise<IntercomExport> {
  if (!options.token.trim())
    fail('Intercom API', 'no access token, set INTERCOM_TOKEN to a token of the workspace');
  const api = new Api(options);
  const into = new Gathered();
  const helpCenters = await api.list('/help_center/help_centers', 'helpCenters');
  into.add('helpCenters', helpCenters, 'GET /help_center/help_centers');
  into.add(
    'collections',
    await api.list('/help_center/collections', 'collections'),
    'GET /help_center/collections',
  );
  into.add('articles', await api.list('/articles', 'articles'), 'GET /articles');
  into.add('admins', await api.list('/admins?display_avatar=true', 'admins'), 'GET /admins');
  for (const { id } of helpCenters as Item[]) {
    const where = `/help_center/help_centers/${encodeURIComponent(String(id))}/redirects`;
    const redirects = (await api.pages(where)).map((r) =>
      isObject(r) ? { help_center_id: String(id), ...r } : r,
    );
    into.add('redirects', redirects, `GET ${where}`);
  }
  return into.result();
}

class Api {
  private readonly base: string;
  private readonly fetch: typeof fetch;
  private readonly log: (line: string) => void;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly retryDelay: number;
  /** When the rate limit was last seen used up: wait until this time (ms) before asking again. */
  private resetAt = 0;

  private readonly options: FetchExportOptions;

  constructor(options: FetchExportOptions) {
    this.options = options;
    this.base = (options.baseUrl ?? INTERCOM_API[options.region]).replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch;
    this.log = options.log ?? (() => {});
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.retryDelay = options.retryDelay ?? 1000;
  }

  /** Every item of a list the API pages with cursors (or not at all). */
  async list(first: string, kind: Kind): Promise<unknown[]> {
    const items: unknown[] = [];
    const seen = new Set<string>();
    let target: string | undefined = first;
    for (let page = 1; target; page++) {
      const body = await this.get(target, page);
      const data = listItems(body);
      if (!data)
        return fail(
          `GET ${this.base}${target}`,
          `the answer is not a ${kind} list, check the region and that the token may read the Help Center`,
        );
      items.push(...data);
      target = this.nextCursor(first, (body as Item).pages, data.length);
      if (target && seen.has(target))
        return fail(
          `GET ${this.base}${target}`,
          'the API handed out the same cursor twice, try the import again',
        );
      if (target) seen.add(target);
    }
    return items;
  }

  /** Every item of a list the API pages by `page` and `per_page` (redirects). */
  async pages(pathname: string): Promise<unknown[]> {
    const items: unknown[] = [];
    for (let page = 1; ; page++) {
      const target = `${pathname}?page=${page}&per_page=${REDIRECTS_PER_PAGE}`;
      const body = await this.get(target, page);
      const data = listItems(body);
      if (!data)
        return fail(
          `GET ${this.base}${target}`,
          'the answer is not a list of redirects, check the region and the token',
        );
      items.push(...data);
      const total = Number((body as { pages?: { total_pages?: unknown } }).pages?.total_pages ?? page);
      if (page >= total || !data.length) return items;
    }
  }

  /** The next page to ask for: the cursor of `pages.next` (or its URL, in the older link style). */
  private nextCursor(first: string, pages: unknown, got: number): string | undefined {
    if (!isObject(pages) || !got) return undefined;
    const next = pages.next;
    if (typeof next === 'string' && next) {
      const url = new URL(next, this.base);
      // The token goes to the API's own host only.
      if (url.origin !== new URL(this.base).origin)
        return fail(
          `GET ${this.base}${first}`,
          `pages.next points to another host (${url.origin}), report this to Intercom`,
        );
      return url.pathname + url.search;
    }
    if (!isObject(next) || typeof next.starting_after !== 'string' || !next.starting_after) return undefined;
    const query = new URLSearchParams({ starting_after: next.starting_after });
    if (typeof next.per_page === 'number') query.set('per_page', String(next.per_page));
    return `${first.split('?')[0]}?${query}`;
  }

  /** One GET, with rate-limit waits and retries; the parsed JSON body. */
  private async get(target: string, page: number): Promise<unknown> {
    const url = `${this.base}${target}`;
    const where = `GET ${url}`;
    for (let attempt = 1; ; attempt++) {
      await this.waitForRateLimit();
      this.log(
        `GET ${target.split('?')[0]}${page > 1 ? ` (page ${page})` : ''}${attempt > 1 ? ` (try ${attempt} of ${TRIES})` : ''}`,
      );
      let response: Response;
      try {
        response = await this.fetch(url, {
          headers: {
            Authorization: `Bearer ${this.options.token}`,
            'Intercom-Version': '2.16',
            Accept: 'application/json',
          },
        });
      } catch (error) {
        if (attempt >= TRIES)
          return fail(
            where,
            `could not reach Intercom ${TRIES} times (${(error as Error).message}), check the network and try again`,
          );
        await this.backoff(attempt, undefined, `could not reach Intercom (${(error as Error).message})`);
        continue;
      }
      this.noteRateLimit(response.headers);
      if (response.ok) {
        try {
          return await response.json();
        } catch {
          return fail(where, 'the answer is not JSON, try again later');
        }
      }
      const message = await errorMessage(response);
      if (response.status === 401 || response.status === 403)
        return fail(
          where,
          `Intercom refused the token (${response.status}${message ? ` ${message}` : ''}), check INTERCOM_TOKEN and the region (--region us|eu|au, where the workspace is hosted)`,
        );
      if (response.status !== 429 && response.status < 500)
        return fail(
          where,
          `Intercom answered ${response.status}${message ? ` (${message})` : ''}, check the region and the token's permissions`,
        );
      if (attempt >= TRIES)
        return fail(
          where,
          `no answer after ${TRIES} tries (the last: ${response.status}${message ? ` ${message}` : ''}), try again later`,
        );
      await this.backoff(attempt, response, `Intercom answered ${response.status}`);
    }
  }

  private noteRateLimit(headers: Headers): void {
    const reset = Number(headers.get('x-ratelimit-reset'));
    if (headers.get('x-ratelimit-remaining') === '0' && Number.isFinite(reset) && reset > 0)
      this.resetAt = Math.max(this.resetAt, reset * 1000);
  }

  private async waitForRateLimit(): Promise<void> {
    const wait = Math.min(this.resetAt - Date.now(), LONGEST_WAIT);
    this.resetAt = 0;
    if (wait <= 0) return;
    this.log(`rate limit used up, waiting ${seconds(wait)} until it resets`);
    await this.sleep(wait);
  }

  /** Waits before try `attempt + 1`: `Retry-After`, else the rate-limit reset, else exponential backoff with jitter. */
  private async backoff(attempt: number, response: Response | undefined, why: string): Promise<void> {
    const retryAfter = response?.headers.get('retry-after');
    let wait: number;
    if (retryAfter && /^\d+$/.test(retryAfter.trim())) wait = Number(retryAfter) * 1000;
    else if (retryAfter && Number.isFinite(Date.parse(retryAfter)))
      wait = Date.parse(retryAfter) - Date.now();
    else if (this.resetAt > Date.now()) wait = this.resetAt - Date.now();
    else {
      const base = this.retryDelay * 2 ** (attempt - 1);
      wait = base + Math.random() * (base / 2);
    }
    wait = Math.max(0, Math.min(wait, LONGEST_WAIT));
    this.resetAt = 0;
    this.log(`${why}, retrying in ${seconds(wait)} (try ${attempt + 1} of ${TRIES})`);
    await this.sleep(wait);
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** The first message of Intercom's `error.list`, if the answer is one. */
async function errorMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { errors?: { code?: string; message?: string }[] };
    const first = body.errors?.[0];
    return (first?.message ?? first?.code ?? '').replace(/\s+/g, ' ').slice(0, 200);
  } catch {
    return '';
  }
}
