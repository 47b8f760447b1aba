import { setTimeout as delay } from 'node:timers/promises';

/**
 * A small client for the part of Intercom's AI Content API that `feed push` uses (API 2.16:
 * content import sources and external pages; shapes in `shared/intercom/`). It retries what is
 * worth retrying (429, 5xx, a dropped connection) with bounded exponential backoff, honours
 * `Retry-After` and the `X-RateLimit-*` headers, and stops at once on a refused token.
 */

/** Intercom's API host per data region (the OpenAPI description's `servers`). */
export const INTERCOM_REGIONS = {
  us: 'https://api.intercom.io',
  eu: 'https://api.eu.intercom.io',
  au: 'https://api.au.intercom.io',
} as const;

/** The API version we speak, sent as `Intercom-Version` on every request. */
export const INTERCOM_VERSION = '2.16';

/**
 * The locales an external page may have: the `locale` enum of `create_external_page_request` in
 * API 2.16. TODO: widen when Intercom's description enumerates more than `en`.
 */
export const EXTERNAL_PAGE_LOCALES: readonly string[] = ['en'];

/** An external page as Intercom holds it (the fields `push` compares). */
export interface ExternalPage {
  id: string;
  external_id: string;
  source_id: number;
  title: string;
  html: string;
  url?: string | null;
  locale: string;
  ai_agent_availability: boolean;
  ai_copilot_availability: boolean;
}

/** The body of `POST /ai/external_pages`, which creates a page or updates it by `external_id`. */
export interface ExternalPageInput {
  external_id: string;
  source_id: number;
  title: string;
  html: string;
  url?: string;
  locale: string;
  ai_agent_availability: boolean;
  ai_copilot_availability: boolean;
}

/** A content import source: the "place" external pages come from; it has a URL, not a name. */
export interface ContentImportSource {
  id: number;
  url: string;
  sync_behavior: string;
  status: string;
}

/** Intercom refused a request, or could not be reached; the message is one line for the user. */
export class IntercomError extends Error {
  override name = 'IntercomError';
  /** The HTTP status, when Intercom answered. */
  status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

/** How the client talks to Intercom; tests shorten the waits. */
export interface IntercomClientOptions {
  token: string;
  /** `INTERCOM_REGIONS[region]`, or a stand-in server's origin. */
  baseUrl: string;
  /** Attempts per request before giving up (default 5). */
  tries?: number;
  /** The first backoff after a 5xx or a dropped connection, doubled each time (default 500 ms). */
  backoffMs?: number;
  /** The longest single wait, whatever `Retry-After` or the rate limit asks (default 60 s). */
  maxWaitMs?: number;
  /** Called before each wait, so the user knows why the push paused. */
  onWait?: (message: string) => void;
}

/** The requests `feed push` makes, one method each. */
export class IntercomClient {
  readonly #options: Required<IntercomClientOptions>;
  /** From the last answer's `X-RateLimit-*` headers: when to pause before the next request. */
  #rateLimit: { remaining: number; resetAt: number } | undefined;

  constructor(options: IntercomClientOptions) {
    this.#options = { tries: 5, backoffMs: 500, maxWaitMs: 60_000, onWait: () => {}, ...options };
  }

  /** Every content import source of the workspace. */
  listSources(): Promise<ContentImportSource[]> {
    return this.#list('/ai/content_import_sources') as Promise<ContentImportSource[]>;
  }

  /** One source, or undefined when Intercom has none with this id. */
  async getSource(id: number): Promise<ContentImportSource | undefined> {
    return (await this.#request('GET', `/ai/content_import_sources/${id}`, undefined, { missing: true })) as
      ContentImportSource | undefined;
  }

  /** Creates a source whose pages are written through the API (`sync_behavior: api`). */
  async createSource(url: string): Promise<ContentImportSource> {
    // Not retried after a 5xx: the source may have been created, and a second would be a duplicate.
    const body = { sync_behavior: 'api', url, status: 'active' };
    return (await this.#request('POST', '/ai/content_import_sources', body, {
      idempotent: false,
    })) as ContentImportSource;
  }

  /** Every external page of the workspace (the API lists them all; callers filter by source). */
  async listPages(): Promise<ExternalPage[]> {
    const pages = (await this.#list('/ai/external_pages')) as ExternalPage[];
    // The list's example has string ids, the create answer's too; be lenient about numbers.
    return pages.map((page) => ({ ...page, id: String(page.id), source_id: Number(page.source_id) }));
  }

  /**
   * Creates a page, or updates the one with the same `source_id` and `external_id`. Updates go
   * this way too: `PUT /ai/external_pages/{id}` takes neither availability flag (only the
   * deprecated `fin_availability`) and requires a URL, which internal articles do not have.
   */
  async upsertPage(page: ExternalPageInput): Promise<ExternalPage> {
    return (await this.#request('POST', '/ai/external_pages', page)) as ExternalPage;
  }

  /** Removes a page from Fin's content library; one already gone is no error (a retried push). */
  async deletePage(id: string): Promise<void> {
    await this.#request('DELETE', `/ai/external_pages/${encodeURIComponent(id)}`, undefined, {
      missing: true,
    });
  }

  /** Follows a list's `pages.next` links to the end. */
  async #list(path: string): Promise<unknown[]> {
    const items: unknown[] = [];
    const seen = new Set<string>();
    let next: string | undefined = path;
    while (next) {
      seen.add(next);
      const answer = (await this.#request('GET', next)) as { data?: unknown; pages?: { next?: unknown } };
      if (!Array.isArray(answer?.data))
        throw new IntercomError(`Intercom's answer to GET ${path} has no list`);
      items.push(...answer.data);
      const link = answer.pages?.next;
      if (link !== undefined && link !== null && typeof link !== 'string')
        throw new IntercomError(
          `Intercom's answer to GET ${path} has a pagination link this client cannot follow`,
        );
      next = link || undefined;
      // A server that hands out the same page twice would keep us here forever.
      if (next && seen.has(next)) throw new IntercomError(`Intercom's pages of GET ${path} loop back`);
    }
    return items;
  }

  /** One request, with retries; resolves to the parsed JSON answer (undefined for none or a 404 when `missing`). */
  async #request(
    method: string,
    target: string,
    body?: unknown,
    { idempotent = true, missing = false } = {},
  ): Promise<unknown> {
    const { token, baseUrl, tries, backoffMs } = this.#options;
    const url = new URL(target, baseUrl);
    // A `next` link elsewhere would carry the token to another host: refuse rather than follow.
    if (url.origin !== new URL(baseUrl).origin)
      throw new IntercomError(`Intercom sent a link to another host (${url.origin}); stopped`);
    const what = `${method} ${url.pathname}`;
    for (let attempt = 1; ; attempt++) {
      await this.#waitForRateLimit();
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: {
            Authorization: `Bearer ${token}`,
            'Intercom-Version': INTERCOM_VERSION,
            Accept: 'application/json',
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (error) {
        const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
        if (attempt >= tries || !idempotent)
          throw new IntercomError(`could not reach ${url.origin} (${reason}) after ${attempt} tries`);
        await this.#wait(backoffMs * 2 ** (attempt - 1), `could not reach Intercom (${reason})`);
        continue;
      }
      this.#noteRateLimit(response.headers);
      const { status } = response;
      if (status === 401 || status === 403)
        throw new IntercomError(
          `INTERCOM_TOKEN was refused (${status}); check the token and its workspace`,
          status,
        );
      if (response.ok) {
        const text = await response.text();
        return text ? JSON.parse(text) : undefined;
      }
      const detail = await errorMessage(response);
      if (status === 404 && missing) return undefined;
      const retryable = status === 429 || (status >= 500 && idempotent);
      if (!retryable) throw new IntercomError(`Intercom refused ${what} (${status})${detail}`, status);
      if (attempt >= tries)
        throw new IntercomError(
          `Intercom answered ${status} to ${what} ${attempt} times${detail}; try again later`,
          status,
        );
      const asked = status === 429 ? retryAfter(response.headers) : undefined;
      // Waiting out a long lock-out in a terminal helps nobody; say when to come back instead.
      if (asked !== undefined && asked > this.#options.maxWaitMs)
        throw new IntercomError(
          `Intercom answered 429 to ${what} and asks to wait ${formatMs(asked)}; run the push again then`,
          status,
        );
      await this.#wait(asked ?? backoffMs * 2 ** (attempt - 1), `Intercom answered ${status} to ${what}`);
    }
  }

  #noteRateLimit(headers: Headers): void {
    const remaining = Number(headers.get('x-ratelimit-remaining') ?? NaN);
    const reset = Number(headers.get('x-ratelimit-reset') ?? NaN);
    // Intercom's reset is a Unix time in seconds.
    this.#rateLimit =
      Number.isFinite(remaining) && Number.isFinite(reset) ? { remaining, resetAt: reset * 1000 } : undefined;
  }

  async #waitForRateLimit(): Promise<void> {
    const limit = this.#rateLimit;
    if (!limit || limit.remaining > 0) return;
    this.#rateLimit = undefined;
    const ms = limit.resetAt - Date.now();
    if (ms > 0) await this.#wait(ms, 'Intercom rate limit reached');
  }

  async #wait(ms: number, why: string): Promise<void> {
    const wait = Math.max(0, Math.min(ms, this.#options.maxWaitMs));
    this.#options.onWait(`${why}; waiting ${formatMs(wait)} before trying again`);
    await delay(wait);
  }
}

/** `Retry-After` in milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
function retryAfter(headers: Headers): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** `: <message>` from Intercom's error list, or nothing when the body has none. */
async function errorMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { errors?: { message?: string | null; code?: string }[] };
    const first = body.errors?.[0];
    const message = first?.message ?? first?.code;
    return message ? `: ${message}` : '';
  } catch {
    return '';
  }
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms)} ms`;
}
