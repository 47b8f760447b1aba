import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseManifest, type GateManifest } from '../src/gate/manifest.ts';
import { dirs, gateManifestFile } from '../src/routing/layout.ts';
import { JWT, request, startServe, type Served } from './helpers/gate.ts';

// One smoke run of `signpost serve` over the example content's real build: the manifests the
// build writes are ones the gate accepts, and a visitor gets pages, the 404 page and sign-in.
const dist = inject('exampleDist');
let manifests: GateManifest[];
let gate: Served;

beforeAll(async () => {
  manifests = fs
    .readdirSync(dirs.gate(dist))
    .map((name) => path.basename(name, '.json'))
    .map((brand) =>
      parseManifest(fs.readFileSync(path.join(dist, gateManifestFile(brand)), 'utf8'), brand, brand),
    );
  // Every brand's JWT secret variable, as an operator would export them.
  const secrets = Object.fromEntries(
    manifests.flatMap((m) => (m.privacy?.jwt.secretEnv ? [[m.privacy.jwt.secretEnv, JWT.secret]] : [])),
  );
  gate = await startServe(['--dist', dist], secrets);
});
afterAll(() => gate?.stop());

describe('signpost serve over the example build', () => {
  it('serves every brand by its domain, with its CSP and its 404 page', async () => {
    for (const manifest of manifests) {
      const headers = { host: manifest.domain };
      const home = await request(gate.port, '/', { headers });
      expect([home.status, home.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
      const csp = String(home.headers['content-security-policy']);
      for (const hash of manifest.csp.scriptHashes) expect(csp).toContain(`'${hash}'`);
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect((await request(gate.port, '/no/such/page/', { headers })).status).toBe(404);
    }
  });

  it('sends an anonymous visitor of each private article to the brand sign-in', async () => {
    const withPrivate = manifests.filter((m) => m.privacy && Object.keys(m.private).length);
    expect(withPrivate.length).toBeGreaterThan(0);
    for (const manifest of withPrivate) {
      const login = manifest.privacy!.loginUrl.split('{returnTo}')[0]!;
      for (const url of Object.keys(manifest.private)) {
        const answer = await request(gate.port, url, { headers: { host: manifest.domain } });
        expect([answer.status, answer.headers.location?.startsWith(login), answer.body.length]).toEqual([
          302,
          true,
          0,
        ]);
      }
      for (const index of manifest.searchIndexes)
        expect(
          (
            await request(gate.port, `${index.url}pagefind-entry.json`, {
              headers: { host: manifest.domain },
            })
          ).status,
        ).toBe(401);
    }
  });
});
