import { getRequestListener } from '@hono/node-server';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { dirs, gateManifestFile } from '../routing/layout.ts';
import { createGate, malformedRequest, type GateBrand } from './app.ts';
import { createAuth, OperatorError } from './auth/index.ts';
import { parseManifest, type GateManifest } from './manifest.ts';
import type { Compressor, DistReader } from './static.ts';

/**
 * The gate's Node shell: reads `dist/` from disk, compresses with zlib, and listens with
 * `@hono/node-server`. Everything that decides what to answer lives in app.ts.
 */

/**
 * A problem the operator must fix before the gate can start (no dist, a bad manifest, an unknown
 * `--brand`, a port in use). Like the auth module's OperatorError, the shell prints it as one line.
 */
export class StartError extends Error {
  override name = 'StartError';
}

/** Is this an error to print as one line and exit 1, rather than a bug? */
export function isOperatorError(error: unknown): error is Error {
  return error instanceof StartError || error instanceof OperatorError;
}

/**
 * Reads files under `root` (realpath'd by the caller). Paths are posix and relative; anything
 * that would resolve outside `root`, and anything that is not a regular file (a folder, a symlink
 * planted to point elsewhere), reads as absent.
 */
export function fsReader(root: string): DistReader {
  const inside = (relative: string): string | undefined => {
    if (relative.includes('\0') || relative.includes('\\')) return undefined;
    const full = path.resolve(root, relative);
    return full.startsWith(root + path.sep) ? full : undefined;
  };
  return {
    async stat(relative) {
      const full = inside(relative);
      const stat = full && (await fs.lstat(full).catch(() => undefined));
      return stat && stat.isFile() ? { size: stat.size, mtimeMs: stat.mtimeMs } : undefined;
    },
    async read(relative) {
      const full = inside(relative);
      if (!full || !(await fs.lstat(full).catch(() => undefined))?.isFile()) return undefined;
      return fs.readFile(full).catch(() => undefined);
    },
  };
}

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** zlib, in the threadpool. Brotli at quality 5: each body is compressed once per change and cached. */
export const nodeCompressor: Compressor = async (body, encoding) =>
  encoding === 'br'
    ? brotli(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } })
    : gzip(body, { level: 6 });

/** Loads every brand's gate manifest from `dist`, or only `--brand`'s. */
export async function loadManifests(dist: string, brand?: string): Promise<GateManifest[]> {
  const folder = dirs.gate(dist);
  const names = await fs.readdir(folder).catch(() => undefined);
  if (!names)
    throw new StartError(
      `${dist} has no gate manifests (${folder}); run \`npm run build\` first or pass --dist`,
    );
  const brands = names
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .sort();
  if (brands.length === 0) throw new StartError(`${folder} holds no brand manifests; run \`npm run build\``);
  if (brand !== undefined && !brands.includes(brand))
    throw new StartError(`--brand ${brand}: ${dist} has no such brand (it has ${brands.join(', ')})`);
  const wanted = brand === undefined ? brands : [brand];
  return Promise.all(
    wanted.map(async (id) => {
      const file = gateManifestFile(id);
      const text = await fs.readFile(path.join(dist, file), 'utf8');
      let manifest: GateManifest;
      try {
        manifest = parseManifest(text, file, id);
      } catch (error) {
        throw new StartError((error as Error).message);
      }
      // A manifest without its tree is a half-copied dist: better refused than served as all-404.
      if (!(await fs.stat(dirs.public(dist, id)).catch(() => undefined))?.isDirectory())
        throw new StartError(
          `${dirs.public(dist, id)}: missing, though ${file} names it; copy the whole dist`,
        );
      return manifest;
    }),
  );
}

/** `signpost serve`'s flags, and the environment the secrets come from. */
export interface GateServerOptions {
  dist: string;
  port: number;
  host: string;
  brand?: string | undefined;
  trustProxy?: boolean | undefined;
  env: Record<string, string | undefined>;
}

/** A listening gate. */
export interface GateServer {
  /** `http://host:port`. */
  origin: string;
  brands: GateManifest[];
  /** Start-up notices from the brands' sign-in (e.g. a random session secret). */
  notices: string[];
  close(): Promise<void>;
}

/**
 * Loads dist, creates every brand's sign-in (where a secret or key is wrong this throws before
 * anything listens: never a half-started server), then listens.
 */
export async function startGate(options: GateServerOptions): Promise<GateServer> {
  const dist = await fs.realpath(options.dist).catch(() => {
    throw new StartError(`--dist ${options.dist}: no such folder; run \`npm run build\` first`);
  });
  const manifests = await loadManifests(dist, options.brand);
  const brands: GateBrand[] = [];
  for (const manifest of manifests) {
    const auth = manifest.privacy
      ? await createAuth(
          { brand: manifest.brand, privacy: manifest.privacy, audiences: manifest.audiences },
          options.env,
        )
      : undefined;
    brands.push({ manifest, auth });
  }
  const app = createGate({
    brands,
    reader: fsReader(dist),
    brand: options.brand,
    trustProxy: options.trustProxy,
    compress: nodeCompressor,
  });
  const server = await listen(app.fetch, options.port, options.host);
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    origin: `http://${host}:${port}`,
    brands: manifests,
    notices: brands.flatMap((brand) => brand.auth?.notices ?? []),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Listens, turning "port in use" and similar into a StartError instead of a crash later. */
function listen(fetch: (request: Request) => Response | Promise<Response>, port: number, hostname: string) {
  // The adapter refuses some requests before a `Request` exists (a backslash in the path); they
  // still get our 400 with security headers rather than a bare one.
  const server = http.createServer(getRequestListener(fetch, { errorHandler: () => malformedRequest() }));
  return new Promise<http.Server>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'EADDRINUSE' ? 'is in use; pass another --port' : `cannot be used: ${error.message}`;
      reject(new StartError(`${hostname}:${port} ${why}`));
    });
    server.listen(port, hostname, () => resolve(server));
  });
}
