/**
 * Serving one file of `dist/` over HTTP: content type, validators (ETag, 304), HEAD, byte ranges
 * and compression. Runtime-neutral: files come through a `DistReader`, compression through a
 * `Compressor` (Node's zlib in node.ts, `CompressionStream` elsewhere).
 */

import { mimeType } from '../output/mime.ts';

/** Read access to `dist/`, by posix paths relative to it (`acme/en/index.html`). */
export interface DistReader {
  /** The file's bytes, or undefined when there is no such regular file. */
  read(path: string): Promise<Bytes | undefined>;
  /** The file's size and modification time, or undefined when there is no such regular file. */
  stat(path: string): Promise<FileStat | undefined>;
}

/** Bytes over a plain ArrayBuffer: what a `Response` body accepts. */
export type Bytes = Uint8Array<ArrayBuffer>;

/** What the gate needs to know of a file before reading it: its validators come from these. */
export interface FileStat {
  size: number;
  mtimeMs: number;
}

/** A content coding the gate can produce, best first. */
export type Encoding = 'br' | 'gzip';
const ENCODINGS: readonly Encoding[] = ['br', 'gzip'];

/** Compresses a body; node.ts passes zlib, other runtimes get `CompressionStream`. */
export type Compressor = (body: Bytes, encoding: Encoding) => Promise<Bytes>;

/** The content type of a file by its name; Pagefind's `.pf_*` files and unknown names are bytes. */
export function contentType(file: string): string {
  return mimeType(file) ?? 'application/octet-stream';
}

/** Text-like types shrink well; images, fonts and Pagefind's files are compressed already. */
function compressible(type: string): boolean {
  return /^(text\/|application\/(json|xml|wasm|manifest\+json)|image\/svg\+xml)/.test(type);
}

/** Below this, compressing costs more than the bytes it saves. */
const MIN_COMPRESS = 1024;

/**
 * Recently served bodies, raw and compressed, keyed by file and ETag: a help center's hot pages
 * fit easily, and compressing a page once per change rather than once per request is what keeps
 * br affordable. Least recently used entries go first once the byte budget is spent.
 */
class BodyCache {
  readonly #entries = new Map<string, CacheEntry>();
  #bytes = 0;
  readonly #budget: number;

  constructor(budget: number) {
    this.#budget = budget;
  }

  /** The cached body for this key and ETag, or `load()`'s, shared by concurrent requests. */
  get(key: string, etag: string, size: number, load: () => Promise<Bytes | undefined>) {
    const hit = this.#entries.get(key);
    if (hit?.etag === etag) {
      // Re-inserting moves the entry to the end of the Map's order: most recently used.
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit.body;
    }
    if (hit) this.#drop(key, hit);
    const body = load();
    // A file larger than an eighth of the budget would evict everything else: serve it uncached.
    if (size > this.#budget / 8) return body;
    const entry: CacheEntry = { etag, body, size };
    this.#entries.set(key, entry);
    this.#bytes += size;
    // A failed or vanished read must not stay cached.
    body.then(
      (bytes) => bytes === undefined && this.#drop(key, entry),
      () => this.#drop(key, entry),
    );
    for (const [oldest, old] of this.#entries) {
      if (this.#bytes <= this.#budget) break;
      this.#drop(oldest, old);
    }
    return body;
  }

  #drop(key: string, entry: CacheEntry): void {
    if (this.#entries.get(key) !== entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.size;
  }
}

/** A cached body; `size` is the file's (a compressed body is smaller, so the budget errs safe). */
interface CacheEntry {
  etag: string;
  body: Promise<Bytes | undefined>;
  size: number;
}

/** How one file is to be answered. */
export interface ServeOptions {
  /** 200 unless the file is an error page (the brand's 404, the not-available page). */
  status?: number;
  cacheControl: string;
  /** Request headers the answer depends on besides `Accept-Encoding` (e.g. `Accept`, `Cookie`). */
  vary?: string[];
}

/** Serves files of `dist/` as HTTP responses, with a shared body cache. */
export class StaticFiles {
  readonly #reader: DistReader;
  readonly #compress: Compressor;
  readonly #cache: BodyCache;

  constructor(reader: DistReader, compress: Compressor = streamCompressor, cacheBytes = 64 * 1024 * 1024) {
    this.#reader = reader;
    this.#compress = compress;
    this.#cache = new BodyCache(cacheBytes);
  }

  /** The file's size and time, or undefined when dist has no such file. */
  stat(file: string): Promise<FileStat | undefined> {
    return this.#reader.stat(file);
  }

  /**
   * The response for one file (statted by the caller, who needed to know it exists), or undefined
   * if it vanished meanwhile (a rebuild replacing dist). Conditional requests and ranges apply only
   * to 200 answers: an error page is never "not modified".
   */
  async serve(
    request: Request,
    file: string,
    stat: FileStat,
    options: ServeOptions,
  ): Promise<Response | undefined> {
    const status = options.status ?? 200;
    const type = contentType(file);
    const base = `"${stat.size.toString(36)}-${Math.trunc(stat.mtimeMs).toString(36)}"`;
    const range = status === 200 ? request.headers.get('range') : null;
    const squeezable = compressible(type) && stat.size >= MIN_COMPRESS;
    const encoding =
      squeezable && range === null ? negotiate(request.headers.get('accept-encoding')) : undefined;
    // Each representation has its own validator, so a cache never answers br bytes to a gzip client.
    const etag = encoding ? `${base.slice(0, -1)}-${encoding}"` : base;
    const headers = new Headers({ 'Content-Type': type, 'Cache-Control': options.cacheControl });
    const vary = [...(squeezable ? ['Accept-Encoding'] : []), ...(options.vary ?? [])];
    if (vary.length) headers.set('Vary', vary.join(', '));
    if (status === 200) {
      headers.set('ETag', etag);
      headers.set('Last-Modified', new Date(stat.mtimeMs).toUTCString());
      if (!encoding) headers.set('Accept-Ranges', 'bytes');
      if (notModified(request, etag, stat.mtimeMs)) return new Response(null, { status: 304, headers });
    }
    const head = request.method === 'HEAD';
    if (!encoding && head) {
      headers.set('Content-Length', String(stat.size));
      return new Response(null, { status, headers });
    }
    const raw = await this.#cache.get(file, base, stat.size, () => this.#reader.read(file));
    if (raw === undefined) return undefined;
    let body = raw;
    if (encoding) {
      body = (await this.#cache.get(`${file}\0${encoding}`, base, stat.size, () =>
        this.#compress(raw, encoding),
      ))!;
      headers.set('Content-Encoding', encoding);
    } else if (range !== null && rangeApplies(request, base)) {
      const span = parseRange(range, raw.byteLength);
      if (span === 'unsatisfiable') {
        headers.set('Content-Range', `bytes */${raw.byteLength}`);
        headers.delete('ETag');
        return new Response(null, { status: 416, headers });
      }
      if (span) {
        headers.set('Content-Range', `bytes ${span.start}-${span.end}/${raw.byteLength}`);
        headers.set('Content-Length', String(span.end - span.start + 1));
        return new Response(head ? null : raw.subarray(span.start, span.end + 1), { status: 206, headers });
      }
    }
    headers.set('Content-Length', String(body.byteLength));
    return new Response(head ? null : body, { status, headers });
  }
}

/** The best coding the client accepts (`q=0` refuses one), or undefined for identity. */
export function negotiate(accept: string | null): Encoding | undefined {
  if (!accept) return undefined;
  const q = new Map<string, number>();
  for (const part of accept.toLowerCase().split(',')) {
    const [name = '', ...params] = part.trim().split(';');
    const weight = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
    q.set(name.trim(), weight === undefined ? 1 : Number(weight));
  }
  const star = q.get('*') ?? 0;
  return ENCODINGS.find((e) => (q.get(e) ?? star) > 0);
}

/** `If-None-Match` (weak comparison, as RFC 9110 asks for it), else `If-Modified-Since`. */
function notModified(request: Request, etag: string, mtimeMs: number): boolean {
  const match = request.headers.get('if-none-match');
  if (match !== null)
    return match
      .split(',')
      .map((tag) => tag.trim().replace(/^W\//, ''))
      .some((tag) => tag === '*' || tag === etag);
  const since = Date.parse(request.headers.get('if-modified-since') ?? '');
  return !Number.isNaN(since) && Math.trunc(mtimeMs / 1000) * 1000 <= since;
}

/** `If-Range` with another validator means the client's partial copy is stale: send it all. */
function rangeApplies(request: Request, etag: string): boolean {
  const ifRange = request.headers.get('if-range');
  return ifRange === null || ifRange.trim() === etag;
}

/**
 * One `bytes=` range as inclusive offsets; undefined to ignore the header (another unit, several
 * ranges, or nonsense, which RFC 9110 lets a server answer with the whole file).
 */
export function parseRange(
  header: string,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const [, from = '', to = ''] = match;
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (start >= size) return 'unsatisfiable';
  return end < start ? undefined : { start, end };
}

/** The runtime-neutral compressor: the Compression Streams API (Node, Deno, Workers, browsers). */
export async function streamCompressor(body: Bytes, encoding: Encoding): Promise<Bytes> {
  const format = (encoding === 'br' ? 'brotli' : 'gzip') as CompressionFormat;
  const stream = new Blob([body]).stream().pipeThrough(new CompressionStream(format));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
