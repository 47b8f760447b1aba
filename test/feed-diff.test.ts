import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { knowledgeFeedSchema } from '../src/feed/schema.ts';
import { article, feed, runCli } from './helpers/intercom.ts';

// `feed diff OLD NEW`, as an ingestion pipeline runs it between two builds.
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-diff-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Writes a file under the temporary folder and returns its path. */
function write(name: string, value: unknown): string {
  const file = path.join(root, name);
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

const before = feed([
  article('refunds', 'en', { title: 'Refunds' }),
  article('refunds', 'de', { title: 'Rückerstattungen' }),
  article('invoices', 'en', { title: 'Invoices' }),
  article('legacy', 'en', { title: 'Legacy plans' }),
  article('refunds', 'en', { title: 'Refund playbook', visibility: 'internal' }),
]);
const after = feed(
  [
    article('refunds', 'en', { title: 'Refunds', markdown: 'Refunds now take 3 days.' }),
    article('refunds', 'de', { title: 'Rückerstattungen' }),
    article('invoices', 'en', { title: 'Your invoices' }),
    article('sso', 'en', { title: 'Single sign-on' }),
    article('refunds', 'en', { title: 'Refund playbook', visibility: 'internal', agent: false }),
  ],
  { generatedAt: '2025-02-01T00:00:00.000Z' },
);

describe('signpost feed diff', () => {
  it('uses fixtures that match the feed contract', () => {
    expect(() => knowledgeFeedSchema.parse(before)).not.toThrow();
    expect(() => knowledgeFeedSchema.parse(after)).not.toThrow();
  });

  it('lists the added, changed and removed articles by id and language', async () => {
    const { code, stdout, stderr } = await runCli([
      'feed',
      'diff',
      write('old.json', before),
      write('new.json', after),
    ]);
    expect([code, stderr]).toEqual([0, '']);
    // The German translation and a new build time alone are no change.
    expect(JSON.parse(stdout)).toMatchInlineSnapshot(`
      {
        "added": [
          {
            "id": "sso",
            "language": "en",
            "url": "https://help.acme.test/en/articles/sso/",
          },
        ],
        "changed": [
          {
            "changes": [
              "content",
              "description",
            ],
            "id": "refunds",
            "language": "en",
            "url": "https://help.acme.test/en/articles/refunds/",
          },
          {
            "changes": [
              "title",
            ],
            "id": "invoices",
            "language": "en",
            "url": "https://help.acme.test/en/articles/invoices/",
          },
          {
            "changes": [
              "ai",
            ],
            "id": "refunds",
            "language": "en",
            "url": null,
          },
        ],
        "removed": [
          {
            "id": "legacy",
            "language": "en",
            "url": "https://help.acme.test/en/articles/legacy/",
          },
        ],
      }
    `);
  });

  it('reports nothing between two builds of the same content', async () => {
    const again = { ...before, generatedAt: '2030-01-01T00:00:00.000Z' };
    const { stdout } = await runCli(['feed', 'diff', write('a.json', before), write('b.json', again)]);
    expect(JSON.parse(stdout)).toEqual({ added: [], changed: [], removed: [] });
  });

  it('refuses bad input in one line, no stack trace', async () => {
    const good = write('good.json', before);
    const lines = async (...args: string[]) => {
      const { code, stdout, stderr } = await runCli(['feed', 'diff', ...args]);
      return [code, stdout, stderr.replaceAll(root, 'TMP')];
    };
    expect(await lines(good, path.join(root, 'missing.json'))).toMatchInlineSnapshot(`
      [
        1,
        "",
        "signpost feed diff: TMP/missing.json: no such file
      ",
      ]
    `);
    expect(await lines(good, write('broken.json', '{"version": 1,'))).toMatchInlineSnapshot(`
      [
        1,
        "",
        "signpost feed diff: TMP/broken.json: not valid JSON; expected a knowledge.json written by \`npm run build\`
      ",
      ]
    `);
    expect(await lines(good, write('other.json', { hello: 'world' }))).toMatchInlineSnapshot(`
      [
        1,
        "",
        "signpost feed diff: TMP/other.json: not a knowledge feed (no version); expected a knowledge.json written by \`npm run build\`
      ",
      ]
    `);
    const noHash = structuredClone(before) as { articles: Record<string, unknown>[] };
    delete noHash.articles[2]!.contentHash;
    expect(await lines(good, write('nohash.json', noHash))).toMatchInlineSnapshot(`
      [
        1,
        "",
        "signpost feed diff: TMP/nohash.json: not a knowledge feed (articles[2].contentHash: expected a string, got nothing)
      ",
      ]
    `);
    expect(await lines(good, write('v2.json', { ...before, version: 2 }))).toMatchInlineSnapshot(`
      [
        1,
        "",
        "signpost feed diff: TMP/v2.json: not a knowledge feed (version: expected 1, got 2; rebuild it with this signpost)
      ",
      ]
    `);
    expect(await lines(good, write('globex.json', feed([], { brand: 'globex' })))).toMatchInlineSnapshot(`
      [
        1,
        "",
        "signpost feed diff: the feeds are of different brands (acme, globex); compare two builds of one brand
      ",
      ]
    `);
    expect(await lines(good, write('public.json', { ...before, scope: 'public' }))).toMatchInlineSnapshot(`
      [
        1,
        "",
        "signpost feed diff: the feeds have different scopes (full, public); compare two public feeds or two full feeds
      ",
      ]
    `);
    expect(await lines(good)).toMatchInlineSnapshot(`
      [
        2,
        "",
        "signpost: feed diff takes two feed files (OLD NEW), got 1; see signpost feed --help
      ",
      ]
    `);
    expect(await lines(good, good, '--apply')).toMatchInlineSnapshot(`
      [
        2,
        "",
        "signpost: --brand, --source-id, --region, --api-url and --apply are options of feed push; see signpost feed --help
      ",
      ]
    `);
  });
});
