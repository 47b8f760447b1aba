/**
 * One careful GET for the import commands (`brand import`, `import intercom`): http(s) only, a
 * few redirects, a timeout and a size cap, and failures in words for their reports.
 */

/** Why a fetch failed, in words for the report (`404 Not Found`, `larger than 2 MB`, …). */
export class FetchError extends Error {}

/** Limits of one GET. */
export interface FetchLimits {
  /** Largest body accepted, in bytes. */
  maxBytes: number;
  /** Whole request, redirects included, in milliseconds. Default: 10 000. */
  timeoutMs?: number;
  /** Follow a redirect only when this accepts its target (e.g. "same site"). Default: any http(s) URL. */
  allowRedirect?: (from: URL, to: URL) => boolean;
  /** The `Accept` header. Default: any type. */
  accept?: string;
  /** How to fetch. Default: the global `fetch` (tests pass one that reaches a loopback server). */
  fetch?: typeof fetch;
}

/** What a GET returned: the final URL (after redirects), its content type and body. */
export interface Fetched {
  url: URL;
  contentType: string;
  body: Buffer;
}

const MAX_REDIRECTS = 5;

/**
 * GETs `url`, following at most 5 redirects by hand so each target can be checked: a redirect to
 * `file:`, `data:` or any other non-http scheme is refused rather than followed.
 */
export async function fetchLimited(url: URL, limits: FetchLimits): Promise<Fetched> {
  const signal = AbortSignal.timeout(limits.timeoutMs ?? 10_000);
  let current = url;
  for (let hop = 0; ; hop++) {
    if (!isHttp(current))
      throw new FetchError(`${current.protocol} URLs are not fetched (http or https only)`);
    let response: Response;
    try {
      response = await (limits.fetch ?? fetch)(current, {
        redirect: 'manual',
        signal,
        headers: { 'user-agent': 'signpost-import', accept: limits.accept ?? '*/*' },
      });
    } catch (error) {
      throw new FetchError(describeNetworkError(error));
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      if (hop >= MAX_REDIRECTS) throw new FetchError(`more than ${MAX_REDIRECTS} redirects`);
      const next = URL.parse(location, current);
      if (!next || !isHttp(next)) throw new FetchError(`redirect to ${location} refused (not http or https)`);
      if (limits.allowRedirect && !limits.allowRedirect(current, next))
        throw new FetchError(`redirect to ${next.href} refused (another site)`);
      current = next;
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new FetchError(`${response.status} ${response.statusText}`.trim());
    }
    const body = await readCapped(response, limits.maxBytes);
    return { url: current, contentType: response.headers.get('content-type') ?? '', body };
  }
}

/** Two hosts are the same site when they differ at most by a leading `www.`. */
export function sameSite(a: URL, b: URL): boolean {
  const host = (u: URL) => u.hostname.replace(/^www\./, '');
  return host(a) === host(b);
}

export function isHttp(url: URL): boolean {
  return url.protocol === 'http:' || url.protocol === 'https:';
}

/** Reads the body, stopping as soon as it passes the cap, so a huge file is never held whole. */
async function readCapped(response: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new FetchError(`larger than ${formatBytes(maxBytes)}`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (response.body) {
    for await (const chunk of response.body) {
      total += chunk.byteLength;
      // Leaving the loop by throwing cancels the stream: the rest is never downloaded.
      if (total > maxBytes) throw new FetchError(`larger than ${formatBytes(maxBytes)}`);
      chunks.push(chunk);
    }
  }
  return Buffer.concat(chunks);
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return 'timed out';
  // undici hides the useful part (ECONNREFUSED, ENOTFOUND) in `cause`.
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const words: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'no such host',
    ECONNRESET: 'connection reset',
    EAI_AGAIN: 'DNS lookup failed',
  };
  const code = cause?.code;
  return (
    (code && words[code]) ??
    code ??
    cause?.message ??
    (error instanceof Error ? error.message : String(error))
  );
}

/** `2 MB`, `512 KB`. */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`;
}
