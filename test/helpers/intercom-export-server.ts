import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { PROJECT } from './example.ts';
import { findOperation, okSchema, TOKEN, validateSchema } from './intercom.ts';

/** The saved Acme export (`README.md` there says what it holds). */
export const INTERCOM_EXPORT = path.join(PROJECT, 'test/fixtures/intercom-export');

/** The hosts whose files `cdn/<host>/<path>` holds. */
export const CDN_HOSTS = ['downloads.intercomcdn.com', 'static.intercomassets.com'];

type Json = Record<string, unknown>;

export interface ExportServer {
  /** The API's base URL, for `fetchExport({ baseUrl })`. */
  url: string;
  /** Where `cdn/` is served: `<cdnUrl><host>/<path>`. */
  cdnUrl: string;
  /** Every request, in order: `METHOD /path?query` and the status it got. */
  requests: { method: string; path: string; status: number }[];
  /** Requests that broke the API description (or sent the token to the CDN); tests expect none. */
  violations: string[];
  /** The next `times` API requests (that pass the description) get `status` instead. */
  failNext(status: number, options?: { times?: number; headers?: Record<string, string> }): void;
  /** A fixture URL on a CDN host, rewritten to the loopback (query kept); any other URL unchanged. */
  toLoopback(url: string): string;
  /** `fetch` that sends the CDN hosts to the loopback, the loopback to itself, and throws for anything else. */
  fetch: typeof fetch;
  close(): Promise<void>;
}

export interface ExportServerOptions {
  /** The export folder it serves (default: the Acme fixture). */
  dir?: string;
  /** The token it accepts (default `TOKEN`); any other bearer token gets 401. */
  token?: string;
  /**
   * The API request (1-based) answered once with 429 and `Retry-After: 1` (default 3), `false` for
   * none; and the answer before it says the rate limit is used up (`X-RateLimit-Remaining: 0`).
   */
  throttleAt?: number | false;
}

/**
 * A loopback Intercom that serves a saved export page by page, as the API would: the saved pages
 * of a list in order, the next one for the `starting_after` cursor the previous one handed out;
 * redirects by `page`/`per_page`; admins' avatars only with `display_avatar=true`. Every request is
 * checked against the OpenAPI description (operation, `Intercom-Version: 2.16`, bearer token,
 * `Accept`, query parameters) and every answer against its schema.
 */
export async function startExportServer({
  dir = INTERCOM_EXPORT,
  token = TOKEN,
  throttleAt = 3,
}: ExportServerOptions = {}): Promise<ExportServer> {
  const saved = loadPages(dir);
  const requests: ExportServer['requests'] = [];
  const violations: string[] = [];
  const failures: { status: number; headers: Record<string, string> }[] = [];
  let apiRequests = 0;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://loopback');
    const entry = { method: req.method ?? '', path: url.pathname + url.search, status: 0 };
    requests.push(entry);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      const buffer = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(buffer);
    };
    const error = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
      send(status, { type: 'error.list', request_id: null, errors: [{ code, message }] }, headers);

    if (url.pathname.startsWith('/cdn/')) {
      if (req.headers.authorization)
        violations.push(`${req.method} ${entry.path}: sent an Authorization header to the CDN`);
      const file = path.join(dir, decodeURIComponent(url.pathname.slice(1)));
      if (req.method !== 'GET' || !file.startsWith(path.join(dir, 'cdn') + path.sep) || !fs.existsSync(file))
        return send(404, Buffer.from('Not Found'), { 'Content-Type': 'text/plain' });
      const type = file.endsWith('.png')
        ? 'image/png'
        : file.endsWith('.jpg')
          ? 'image/jpeg'
          : 'application/octet-stream';
      return send(200, fs.readFileSync(file), { 'Content-Type': type });
    }

    apiRequests++;
    const found = findOperation(req.method ?? '', url.pathname);
    const problems = found
      ? checkRequest(req, found.operation, url, saved.cursors)
      : ['no such operation in the API description'];
    if (problems.length) {
      violations.push(...problems.map((p) => `${req.method} ${entry.path}: ${p}`));
      return error(400, 'parameter_invalid', problems.join('; '));
    }
    const now = Math.floor(Date.now() / 1000);
    const limit = (remaining: number, reset: number) => ({
      'X-RateLimit-Limit': '10000',
      'X-RateLimit-Remaining': String(remaining),
      'X-RateLimit-Reset': String(reset),
    });
    if (throttleAt !== false && apiRequests === throttleAt)
      return error(429, 'rate_limit_exceeded', 'Rate Limit Exceeded', {
        'Retry-After': '1',
        ...limit(0, now + 1),
      });
    const failure = failures.shift();
    if (failure)
      return error(
        failure.status,
        failure.status >= 500 ? 'server_error' : 'error',
        http.STATUS_CODES[failure.status] ?? 'Error',
        failure.headers,
      );
    if (req.headers.authorization !== `Bearer ${token}`)
      return error(401, 'unauthorized', 'Access Token Invalid');

    const answer = serve(saved, found!.template, found!.params, url);
    if (!answer) return error(404, 'not_found', 'Resource not found');
    for (const p of validateSchema(okSchema(found!.operation), answer))
      violations.push(`the server's own answer to ${req.method} ${entry.path}: ${p}`);
    // The answer before the 429 says the limit is used up, so a client that honours it waits.
    const exhausted = throttleAt !== false && apiRequests === throttleAt - 1;
    send(200, answer, exhausted ? limit(0, now + 2) : limit(9999, now + 10));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const cdnUrl = `${origin}/cdn/`;
  const toLoopback = (raw: string) => {
    const url = new URL(raw);
    return CDN_HOSTS.includes(url.host) ? `${cdnUrl}${url.host}${url.pathname}${url.search}` : raw;
  };
  const loopbackFetch: typeof fetch = (input, init) => {
    const raw = input instanceof Request ? input.url : String(input);
    const target = toLoopback(raw);
    if (!target.startsWith(`${origin}/`))
      throw new TypeError(`the test's fetch reaches no other host: ${raw}`);
    return globalThis.fetch(target, init);
  };
  return {
    url: origin,
    cdnUrl,
    requests,
    violations,
    failNext: (status, { times = 1, headers = {} } = {}) => {
      for (let i = 0; i < times; i++) failures.push({ status, headers });
    },
    toLoopback,
    fetch: loopbackFetch,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The saved answers: each list's pages in order, and which page each handed-out cursor leads to. */
interface Saved {
  single: Map<string, Json>;
  paged: Map<string, Json[]>;
  redirects: Map<string, Json>;
  /** cursor → `list/index` of the page it leads to, and the `per_page` the cursor came with. */
  cursors: Map<string, { list: string; index: number; perPage: unknown }>;
}

function loadPages(dir: string): Saved {
  const saved: Saved = { single: new Map(), paged: new Map(), redirects: new Map(), cursors: new Map() };
  const read = (name: string) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as Json;
  for (const name of fs.readdirSync(dir).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))) {
    let match;
    if ((match = /^(help_centers|admins)\.json$/.exec(name))) saved.single.set(match[1]!, read(name));
    else if ((match = /^(collections|articles)\.page-\d+\.json$/.exec(name))) {
      const pages = saved.paged.get(match[1]!) ?? [];
      pages.push(read(name));
      saved.paged.set(match[1]!, pages);
    } else if ((match = /^redirects\.(.+)\.json$/.exec(name))) saved.redirects.set(match[1]!, read(name));
  }
  for (const [list, pages] of saved.paged)
    pages.forEach((page, index) => {
      const next = (page.pages as { next?: { starting_after?: string; per_page?: number } } | undefined)
        ?.next;
      if (next?.starting_after)
        saved.cursors.set(next.starting_after, { list, index: index + 1, perPage: next.per_page });
    });
  return saved;
}

/** The saved answer to a request that passed the checks, or undefined for 404. */
function serve(saved: Saved, template: string, params: string[], url: URL): Json | undefined {
  const query = url.searchParams;
  switch (template) {
    case '/help_center/help_centers':
      return saved.single.get('help_centers');
    case '/admins': {
      const list = saved.single.get('admins');
      if (!list || query.get('display_avatar') === 'true') return list;
      // As the description says: no avatar unless asked for.
      const admins = (list.admins as Json[]).map(({ avatar: _avatar, ...admin }) => admin);
      return { ...list, admins };
    }
    case '/help_center/collections':
    case '/articles': {
      const list = template === '/articles' ? 'articles' : 'collections';
      const cursor = query.get('starting_after');
      const index = cursor ? saved.cursors.get(cursor)!.index : 0;
      return saved.paged.get(list)?.[index];
    }
    case '/help_center/help_centers/{help_center_id}/redirects': {
      const held = saved.redirects.get(params[0]!);
      if (!held) return undefined;
      const page = Number(query.get('page') ?? 1);
      const perPage = Number(query.get('per_page') ?? 50);
      const all = held.data as Json[];
      const data = all.slice((page - 1) * perPage, page * perPage);
      const total = Math.max(1, Math.ceil(all.length / perPage));
      return { ...held, data, pages: { type: 'pages', page, per_page: perPage, total_pages: total } };
    }
    default:
      return undefined;
  }
}

/** What a list request must be, per the description. */
function checkRequest(
  req: http.IncomingMessage,
  operation: Json,
  url: URL,
  cursors: Saved['cursors'],
): string[] {
  const problems: string[] = [];
  if (req.method !== 'GET') problems.push('the export only reads');
  // bearerAuth is the description's only security scheme.
  if (!/^Bearer \S+$/.test(req.headers.authorization ?? '')) problems.push('no Authorization: Bearer header');
  if (req.headers['intercom-version'] !== '2.16')
    problems.push(`Intercom-Version is ${req.headers['intercom-version'] ?? 'missing'}, not 2.16`);
  if (!String(req.headers.accept ?? '').includes('application/json'))
    problems.push('Accept does not take application/json');
  const declared = new Map(
    ((operation.parameters as Json[] | undefined) ?? [])
      .filter((p) => p.in === 'query')
      .map((p) => [p.name as string, p]),
  );
  const cursor = url.searchParams.get('starting_after');
  const handed = cursor === null ? undefined : cursors.get(cursor);
  const issued = handed && url.pathname.endsWith(`/${handed.list}`) ? handed : undefined;
  for (const [name, value] of url.searchParams) {
    if (url.searchParams.getAll(name).length > 1) problems.push(`query ${name} given twice`);
    const param = declared.get(name);
    if (param) {
      const schema = param.schema as Json;
      const typed =
        schema.type === 'integer'
          ? Number(value)
          : schema.type === 'boolean'
            ? value === 'true'
              ? true
              : value === 'false'
                ? false
                : value
            : value;
      problems.push(...validateSchema(schema, typed).map((e) => `query ${name}: ${e}`));
      if (name === 'per_page' && /maximum 250/.test(String(param.description)) && Number(value) > 250)
        problems.push('query per_page: above the maximum of 250');
      continue;
    }
    // Cursor lists declare no query parameters: a client may only echo the `pages.next` it was handed.
    if (name === 'starting_after' && issued) continue;
    if (name === 'per_page' && issued && String(issued.perPage) === value) continue;
    problems.push(
      `query ${name}=${value} is not in the description${name === 'starting_after' ? ' (and no page handed out that cursor)' : ''}`,
    );
  }
  return problems;
}
