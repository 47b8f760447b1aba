import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import YAML from 'yaml';
import { dirs, rootFiles } from '../../src/routing/layout.ts';
import { PROJECT } from './example.ts';

/** Intercom's API description; CI has `shared/` beside the clone. */
export const OPENAPI = path.resolve(PROJECT, '../shared/intercom/openapi-2.16-help-center.yaml');
export const TOKEN = 'test-token-of-the-acme-workspace';

type Json = Record<string, unknown>;
const doc = YAML.parse(fs.readFileSync(OPENAPI, 'utf8')) as { paths: Record<string, Json>; components: Json };

/**
 * The description as a validator sees it: unknown request fields are errors (the description
 * leaves `additionalProperties` open, but a field Intercom does not know is a bug of ours), and
 * OpenAPI 3.0's `nullable` becomes JSON Schema's `null` type.
 */
function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Json = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, strict(v)]));
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  if (out.nullable !== true) return out;
  delete out.nullable;
  return { anyOf: [{ type: 'null' }, out] };
}
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ $id: 'intercom', components: strict(doc.components) });
const compiled = new Map<string, ValidateFunction>();
function validate(schema: Json, value: unknown): string[] {
  const ref = (schema.$ref as string | undefined) ?? JSON.stringify(schema);
  let check = compiled.get(ref);
  if (!check) compiled.set(ref, (check = ajv.compile(schema.$ref ? { $ref: `intercom${ref}` } : schema)));
  return check(value)
    ? []
    : (check.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}

/** Every path template of the description, as a pattern capturing its parameters. */
const routes = Object.keys(doc.paths).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '([^/]+)')}$`),
}));

/** The description, parsed (read-only). */
export const apiDescription: { readonly paths: Readonly<Record<string, Json>>; readonly components: Json } =
  doc;

/**
 * What is wrong with `value` against a schema of the description (`{ $ref: '#/components/schemas/…' }`
 * or an inline schema), one line each, under the same strict rules as the stand-in's checks.
 */
export function validateSchema(schema: Json, value: unknown): string[] {
  return validate(schema, value);
}

/** The operation of the description that `METHOD /path` calls, with its path parameters' values. */
export function findOperation(
  method: string,
  pathname: string,
): { template: string; operation: Json; params: string[] } | undefined {
  const route = routes.find((r) => r.pattern.test(pathname));
  const operation = route && (doc.paths[route.template]?.[method.toLowerCase()] as Json | undefined);
  if (!route || !operation) return undefined;
  const params = route.pattern.exec(pathname)!.slice(1).map(decodeURIComponent);
  return { template: route.template, operation, params };
}

/** The JSON schema of an operation's `200` answer. */
export function okSchema(operation: Json): Json {
  const ok = (operation.responses as Json)['200'] as { content: { 'application/json': { schema: Json } } };
  return ok.content['application/json'].schema;
}

const SOURCE = { type: 'content_import_source', status: 'active', audience_ids: [] };
const FLAGS_OFF = { ai_agent_availability: false, ai_copilot_availability: false };

interface Logged {
  method: string;
  path: string;
  body: unknown;
  at: number;
}

/** The stand-in for Intercom's API: what it holds, what it was sent, and what it found wrong. */
export interface FakeIntercom {
  url: string;
  pages: Map<string, Json>;
  sources: Map<number, Json>;
  requests: Logged[];
  /** Requests that broke the description; a test's `afterEach` expects none. */
  violations: string[];
  /** The next request (that passes the description) gets this answer instead. */
  failOnce(status: number, headers?: Record<string, string>): void;
  /** The next answer says the rate limit is used up until the next second. */
  exhaustRateLimitOnce(): void;
  /** Requests other than GET, as `METHOD /path`. */
  writes(): string[];
  /** Puts a source (`sync_behavior: api`) or a page there, as if another tool had made it. */
  seed(source: { id: number; url: string }, page?: { id: string; external_id: string }): void;
  close(): Promise<void>;
}

/** Starts the stand-in on a loopback port; `perPage` is small so lists paginate. */
export async function startFakeIntercom({ perPage = 2 } = {}): Promise<FakeIntercom> {
  const pages = new Map<string, Json>();
  const sources = new Map<number, Json>();
  const requests: Logged[] = [];
  const violations: string[] = [];
  const failures: { status: number; headers: Record<string, string> }[] = [];
  const issued = new Set<string>();
  let nextId = 100;
  let exhausted = false;
  const now = () => Math.floor(Date.now() / 1000);

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const raw = Buffer.concat(chunks).toString();
      const entry: Logged = {
        method: req.method ?? '',
        path: url.pathname + url.search,
        body: undefined,
        at: Date.now(),
      };
      requests.push(entry);
      const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
        const reset = now() + (exhausted ? 1 : 10);
        res.writeHead(status, {
          'Content-Type': 'application/json',
          'X-RateLimit-Limit': '1000',
          'X-RateLimit-Remaining': exhausted ? '0' : '999',
          'X-RateLimit-Reset': String(reset),
          ...headers,
        });
        exhausted = false;
        res.end(body === undefined ? '' : JSON.stringify(body));
      };
      const error = (status: number, code: string, message: string) =>
        send(status, { type: 'error.list', request_id: null, errors: [{ code, message }] });

      const route = routes.find((r) => r.pattern.test(url.pathname));
      const operation =
        route && (doc.paths[route.template]?.[(req.method ?? '').toLowerCase()] as Json | undefined);
      const problems: string[] = [];
      if (!operation) problems.push('no such operation in the API description');
      else {
        problems.push(...checkRequest(req, operation, route!.template, url, raw, issued));
        entry.body = parseOrRaw(raw);
      }
      if (problems.length) {
        violations.push(...problems.map((p) => `${req.method} ${entry.path}: ${p}`));
        return error(400, 'parameter_invalid', problems.join('; '));
      }
      const failure = failures.shift();
      if (failure) return send(failure.status, errorList(failure.status), failure.headers);
      if (req.headers.authorization !== `Bearer ${TOKEN}`)
        return error(401, 'unauthorized', 'Access Token Invalid');

      const [, param] = route!.pattern.exec(url.pathname)!;
      const answer = serve(req.method!, route!.template, param, entry.body as Json, url);
      if (answer.status !== 200) return error(answer.status, 'not_found', String(answer.body));
      const schema = (operation!.responses as Json)['200'] as {
        content: { 'application/json': { schema: Json } };
      };
      for (const p of validate(schema.content['application/json'].schema, answer.body))
        violations.push(`the fake's own answer to ${req.method} ${entry.path}: ${p}`);
      send(200, answer.body);
    });
  });

  /** The API's behaviour, for the operations `feed push` uses. */
  function serve(method: string, template: string, param: string | undefined, body: Json, url: URL) {
    const stamp = { created_at: now(), updated_at: now() };
    const list = (items: Json[]) => {
      const page = Number(url.searchParams.get('page') ?? 1);
      const total = Math.max(1, Math.ceil(items.length / perPage));
      const next = page < total ? `${origin}${url.pathname}?page=${page + 1}` : null;
      if (next) issued.add(next.slice(origin.length));
      const data = items.slice((page - 1) * perPage, page * perPage);
      const links = { type: 'pages', page, per_page: perPage, total_pages: total, ...(next ? { next } : {}) };
      return { type: 'list', data, pages: links, total_count: items.length };
    };
    const ok = (value: unknown) => ({ status: 200, body: value });
    switch (`${method} ${template}`) {
      case 'GET /ai/content_import_sources':
        return ok(list([...sources.values()]));
      case 'POST /ai/content_import_sources': {
        const source = { ...SOURCE, id: nextId++, ...body, ...stamp, last_synced_at: now() };
        sources.set(source.id, source);
        return ok(source);
      }
      case 'GET /ai/content_import_sources/{source_id}':
        return sources.has(Number(param))
          ? ok(sources.get(Number(param)))
          : { status: 404, body: 'Content import source not found' };
      case 'GET /ai/external_pages':
        return ok(list([...pages.values()]));
      case 'POST /ai/external_pages': {
        if (!sources.has(body.source_id as number))
          return { status: 404, body: 'Content import source not found' };
        const held = [...pages.values()].find(
          (p) => p.source_id === body.source_id && p.external_id === body.external_id,
        );
        // As the API says: flags default to false on create, and are left alone on update.
        const page: Json = held
          ? { ...held, ...body, updated_at: now() }
          : { id: String(nextId++), type: 'external_page', ...FLAGS_OFF, ...body, ...stamp };
        page.last_ingested_at = now();
        pages.set(page.id as string, page);
        return ok(page);
      }
      case 'DELETE /ai/external_pages/{page_id}': {
        const page = pages.get(param!);
        pages.delete(param!);
        return page ? ok(page) : { status: 404, body: 'External page not found' };
      }
      default:
        return { status: 404, body: `the fake does not serve ${method} ${template}` };
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url: origin,
    pages,
    sources,
    requests,
    violations,
    failOnce: (status, headers = {}) => void failures.push({ status, headers }),
    exhaustRateLimitOnce: () => void (exhausted = true),
    writes: () => requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`),
    seed(source, page) {
      const stamp = { created_at: 1, updated_at: 1 };
      sources.set(source.id, { ...SOURCE, sync_behavior: 'api', ...source, ...stamp, last_synced_at: 1 });
      if (page)
        pages.set(page.id, {
          ...{ type: 'external_page', title: 'T', html: '<p>T</p>', locale: 'en', ...FLAGS_OFF },
          ...{ ...page, source_id: source.id, ...stamp, last_ingested_at: 1 },
        });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** What a request must be, per the description: auth, headers, parameters, body. */
function checkRequest(
  req: http.IncomingMessage,
  operation: Json,
  template: string,
  url: URL,
  raw: string,
  issued: Set<string>,
): string[] {
  const problems: string[] = [];
  // bearerAuth is the description's only security scheme.
  if (!/^Bearer \S+$/.test(req.headers.authorization ?? '')) problems.push('no Authorization: Bearer header');
  const params = [
    ...((doc.paths[template]?.parameters as Json[]) ?? []),
    ...((operation.parameters as Json[]) ?? []),
  ];
  const version = req.headers['intercom-version'];
  if (version === undefined) problems.push('no Intercom-Version header');
  for (const p of params.filter((p) => p.in === 'header')) {
    const value = req.headers[String(p.name).toLowerCase()];
    if (value !== undefined)
      problems.push(...validate(p.schema as Json, value).map((e) => `header ${p.name}: ${e}`));
  }
  const pathParams = params.filter((p) => p.in === 'path');
  const values = new RegExp(`^${template.replace(/\{[^}]+\}/g, '([^/]+)')}$`).exec(url.pathname)!.slice(1);
  pathParams.forEach((p, i) =>
    problems.push(
      ...validate(p.schema as Json, decodeURIComponent(values[i] ?? '')).map((e) => `path ${p.name}: ${e}`),
    ),
  );
  // The description declares no query parameters; only links the server itself handed out carry one.
  if (url.search && !issued.has(url.pathname + url.search))
    problems.push(`query ${url.search} is not in the description`);
  const body = operation.requestBody as { content: Record<string, { schema: Json }> } | undefined;
  if (!body) {
    if (raw) problems.push('a body, where the operation takes none');
    return problems;
  }
  if (!String(req.headers['content-type']).startsWith('application/json'))
    problems.push('Content-Type is not application/json');
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return [...problems, 'the body is not JSON'];
  }
  const schema = body.content['application/json']!.schema;
  return [...problems, ...validate(schema, value).map((e) => `body${e}`)];
}

function parseOrRaw(raw: string): unknown {
  try {
    return raw ? JSON.parse(raw) : undefined;
  } catch {
    return raw;
  }
}

function errorList(status: number) {
  const code = status === 401 ? 'unauthorized' : status === 429 ? 'rate_limit_exceeded' : 'server_error';
  return { type: 'error.list', request_id: null, errors: [{ code, message: `status ${status}` }] };
}

export { runCli } from './cli.ts';

/** One feed article per the feed contract, its derived fields computed as the build would. */
export function article(
  id: string,
  language: string,
  {
    title = `${id} (${language})`,
    markdown = `About ${id}.`,
    visibility = 'public',
    agent = true,
    copilot = true,
  } = {},
) {
  const url = visibility === 'internal' ? null : `https://help.acme.test/${language}/articles/${id}/`;
  const html = `<p>${markdown}</p>`;
  return {
    id,
    language,
    title,
    description: markdown,
    url,
    collection: url ? { path: ['billing'], names: ['Billing'] } : null,
    folder: url ? null : { path: ['playbooks'], names: [{ name: 'Playbooks' }] },
    visibility,
    state: 'published',
    ai: { agent, copilot },
    audiences: [],
    author: null,
    updatedAt: '2025-01-02T03:04:05.000Z',
    tags: [],
    translations: {},
    body: { markdown, text: markdown, html },
    contentHash: `sha256:${createHash('sha256').update(markdown).digest('hex')}`,
    intercom: {
      external_id: `acme:${id}:${language}`,
      title,
      html,
      locale: language,
      ...(url ? { url } : {}),
      ai_agent_availability: agent,
      ai_copilot_availability: copilot,
    },
  };
}

/** A full feed of brand `acme` holding `articles`. */
export function feed(
  articles: ReturnType<typeof article>[],
  { brand = 'acme', generatedAt = '2025-01-02T03:04:05.000Z' } = {},
) {
  return {
    version: 1,
    generatedAt,
    scope: 'full',
    workspace: { name: 'Acme Inc.' },
    brand: {
      id: brand,
      name: 'Acme',
      url: 'https://help.acme.test',
      defaultLanguage: 'en',
      languages: ['en', 'de', 'ja'],
    },
    audiences: [],
    collections: [{ path: ['billing'], names: { en: 'Billing' } }],
    articles,
  };
}

/** Writes a brand's full feed where `feed push` reads it in `dist`. */
export function writeFeed(dist: string, value: ReturnType<typeof feed>): void {
  const dir = dirs.export(dist, value.brand.id);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, rootFiles.feed), JSON.stringify(value, null, 2));
}
