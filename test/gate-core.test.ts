import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { createGate } from '../src/gate/app.ts';
import type { Auth } from '../src/gate/auth/index.ts';
import { parseManifest } from '../src/gate/manifest.ts';
import { rememberSessions } from '../src/gate/sessions.ts';
import type { DistReader } from '../src/gate/static.ts';
import { gateManifestFile } from '../src/routing/layout.ts';
import { PROJECT } from './helpers/example.ts';
import { MARKERS, writeFixtureDist } from './helpers/gate.ts';

// The gate's core as an edge runtime would run it: no Node adapter normalising the request first,
// a reader that joins paths naively, and the Compression Streams compressor. Whatever keeps a
// visitor out of `_private` must hold here on its own.
const fixture = writeFixtureDist();
afterAll(() => fs.rmSync(fixture.root, { recursive: true, force: true }));

const naive: DistReader = {
  stat: async (file) => {
    const stat = fs.statSync(path.join(fixture.dist, file), { throwIfNoEntry: false });
    return stat?.isFile() ? { size: stat.size, mtimeMs: stat.mtimeMs } : undefined;
  },
  read: async (file) => new Uint8Array(fs.readFileSync(path.join(fixture.dist, file))),
};
const manifest = (brand: string) =>
  parseManifest(fs.readFileSync(path.join(fixture.dist, gateManifestFile(brand)), 'utf8'), brand);
// No sign-in here: every private URL must then stay closed, whatever its spelling.
const gate = createGate({ brands: [{ manifest: manifest('acme'), auth: undefined }], reader: naive });
const fetchPath = (rawPath: string, init: RequestInit = {}) =>
  gate.fetch(new Request(`http://help.acme.test${rawPath}`, init));

describe('the gate core, without the Node shell', () => {
  it('refuses encoded climbs even with a reader that would follow them', async () => {
    const leaks: string[] = [];
    for (const climb of ['..%2f', '%2e%2e%2f', '..%5c', '%252e%252e%252f', '%c0%ae%c0%ae%2f', '..%2f..%2f'])
      for (const target of [
        '_private/acme/en/articles/sso/index.html',
        '_export/acme/knowledge.json',
        'outside.txt',
      ]) {
        const answer = await fetchPath(`/${climb}${target.replaceAll('/', '%2f')}`);
        const text = await answer.text();
        if (answer.status === 200 || Object.values(MARKERS).some((m) => text.includes(m)))
          leaks.push(`${climb}${target} → ${answer.status}`);
      }
    expect(leaks).toEqual([]);
  });

  it('keeps private pages and indexes closed when the brand has no sign-in', async () => {
    for (const url of ['/en/articles/sso/', '/_private/pagefind/pagefind-entry.json', '/_auth/callback']) {
      const answer = await fetchPath(url);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(await answer.text()).not.toContain('SECRET');
    }
    expect(await (await fetchPath('/_auth/session')).json()).toEqual({ signedIn: false, indexes: [] });
  });

  it('compresses with the Compression Streams API, and answers HEAD without a body', async () => {
    const answer = await fetchPath('/en/articles/refunds/', { headers: { 'accept-encoding': 'br' } });
    expect(answer.headers.get('content-encoding')).toBe('br');
    const text = zlib.brotliDecompressSync(Buffer.from(await answer.arrayBuffer())).toString();
    expect(text).toContain('Refunds take five working days');
    const head = await fetchPath('/en/articles/refunds/', { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length'), await head.text()]).toEqual([
      200,
      String(fs.statSync(path.join(fixture.dist, 'acme/en/articles/refunds/index.html')).size),
      '',
    ]);
  });

  it('names the manifest file and the field when a manifest is not what the gate understands', () => {
    const text = JSON.stringify({ ...JSON.parse(JSON.stringify(manifest('acme'))), private: { x: {} } });
    expect(() => parseManifest(text, '_gate/acme.json')).toThrow(
      '_gate/acme.json: private.x: expected a site path such as /en/articles/sso/; rebuild with `npm run build` from the same Signpost version',
    );
  });

  it('remembers a verified session only until it expires, and never a refused cookie', async () => {
    let clock = 1_000;
    const seen: string[] = [];
    const inner = {
      session: async (request: Request) => {
        seen.push(request.headers.get('cookie') ?? '');
        return request.headers.get('cookie') === 'good'
          ? { sub: 'u', claims: {}, expires: 2_000 }
          : undefined;
      },
    } as unknown as Auth;
    const auth = rememberSessions(inner, () => clock);
    const asking = (cookie: string) => new Request('http://x/', { headers: { cookie } });
    expect(await auth.session(asking('good'))).toMatchObject({ sub: 'u' });
    expect(await auth.session(asking('good'))).toMatchObject({ sub: 'u' });
    expect(await auth.session(asking('forged'))).toBeUndefined();
    expect(await auth.session(asking('forged'))).toBeUndefined();
    clock = 2_000;
    await auth.session(asking('good'));
    // Verified once while valid; the expired one went back to the real check (which still says valid here).
    expect(seen).toEqual(['good', 'forged', 'forged', 'good']);
  });

  it('imports nothing of Node, directly or through the modules it uses', () => {
    // The core must run at the edge: walk its relative imports and look for node: ones.
    const seen = new Set<string>();
    const offenders: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const code = fs.readFileSync(file, 'utf8');
      for (const [, spec = ''] of code.matchAll(/^import\s(?!type\b)[^;]*?from '([^']+)'/gm)) {
        if (spec.startsWith('node:')) offenders.push(`${path.relative(PROJECT, file)}: ${spec}`);
        else if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec));
      }
    };
    visit(path.join(PROJECT, 'src/gate/app.ts'));
    expect(seen.size).toBeGreaterThan(5);
    expect(offenders).toEqual([]);
  });
});
