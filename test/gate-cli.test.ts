import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { gateManifestFile } from '../src/routing/layout.ts';
import { JWT, serveFails, writeFixtureDist } from './helpers/gate.ts';

// What an operator sees when the gate cannot start: one line on stderr, exit 1, nothing listening.
const fixture = writeFixtureDist();
const env = { ACME_JWT_SECRET: JWT.secret };
afterAll(() => fs.rmSync(fixture.root, { recursive: true, force: true }));

describe('signpost serve: operator errors', () => {
  it('refuses to start without the JWT secret: one line, exit 1', async () => {
    const { code, stdout, stderr } = await serveFails(['--dist', fixture.dist], {});
    expect(code).toBe(1);
    expect(stderr).toBe(
      'signpost serve: brand acme: privacy.jwt.secretEnv names ACME_JWT_SECRET, which is not set; export it before starting the gate\n',
    );
    expect(stdout).not.toContain('serving');
  });

  it('refuses a missing dist, a broken manifest and an unknown brand in one line each', async () => {
    const missing = await serveFails(['--dist', `${fixture.root}/nope`], env);
    expect([missing.code, missing.stderr]).toEqual([
      1,
      `signpost serve: --dist ${fixture.root}/nope: no such folder; run \`npm run build\` first\n`,
    ]);
    const broken = `${fixture.root}/broken`;
    fs.cpSync(fixture.dist, broken, { recursive: true });
    fs.writeFileSync(`${broken}/${gateManifestFile('acme')}`, '{"version": 1,');
    expect((await serveFails(['--dist', broken], env)).stderr).toBe(
      'signpost serve: _gate/acme.json: not valid JSON; rebuild with `npm run build`\n',
    );
    const brand = await serveFails(['--dist', fixture.dist, '--brand', 'initech'], env);
    expect(brand.stderr).toMatch(
      /^signpost serve: --brand initech: .* has no such brand \(it has acme, globex\)\n$/,
    );
  });
});
