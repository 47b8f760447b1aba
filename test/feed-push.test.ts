import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { IntercomClient } from '../src/feed/intercom.ts';
import { dirs, rootFiles } from '../src/routing/layout.ts';
import {
  article,
  feed,
  runCli,
  startFakeIntercom,
  TOKEN,
  writeFeed,
  type FakeIntercom,
} from './helpers/intercom.ts';

// `feed push intercom` against a loopback stand-in that refuses (and records) any request the
// OpenAPI description does not allow, so a test fails on a wrong field, header or path.
let fake: FakeIntercom;
let dist: string;
beforeEach(async () => {
  fake = await startFakeIntercom();
  dist = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-push-'));
});
afterEach(async () => {
  await fake.close();
  fs.rmSync(dist, { recursive: true, force: true });
  expect(fake.violations).toEqual([]);
});

/** A brand's feed: four English articles Intercom takes, and three it must not get. */
const articles = () => [
  article('refunds', 'en', { title: 'Refunds' }),
  article('refunds', 'de', { title: 'Rückerstattungen' }),
  article('invoices', 'en', { title: 'Invoices' }),
  article('invoices', 'ja', { title: '請求書' }),
  article('sso', 'en', { title: 'Single sign-on', visibility: 'private', agent: false }),
  article('legacy', 'en', { title: 'Legacy plans', agent: false, copilot: false }),
  article('escalation', 'en', { title: 'Escalating a refund', visibility: 'internal', agent: false }),
];

const push = (args: string[] = [], env: Record<string, string> = {}) =>
  runCli(['feed', 'push', 'intercom', '--brand', 'acme', '--dist', dist, '--api-url', fake.url, ...args], {
    INTERCOM_TOKEN: TOKEN,
    ...env,
  });
/** What Intercom holds, by external_id, without its own ids and times. */
const held = () =>
  Object.fromEntries(
    [...fake.pages.values()].map((p) => [
      p.external_id,
      [
        p.title,
        p.url,
        p.locale,
        `agent ${p.ai_agent_availability}`,
        `copilot ${p.ai_copilot_availability}`,
        p.html,
      ].join(' | '),
    ]),
  );

describe('signpost feed push intercom', () => {
  it('plans without writing: a dry run sends only GET requests', async () => {
    writeFeed(dist, feed(articles()));
    const { code, stdout, stderr } = await push();
    expect([code, stderr]).toEqual([0, '']);
    expect(stdout).toMatchInlineSnapshot(`
      "would create a content import source for https://help.acme.test (none has the brand's URL)
      skipped 2 articles in de, ja: Intercom's external pages accept only en
      skipped 1 article neither AI Agent nor Copilot may use (ai.agent and ai.copilot are false): legacy (en)
      create acme:refunds:en "Refunds"
      create acme:invoices:en "Invoices"
      create acme:sso:en "Single sign-on"
      create acme:escalation:en "Escalating a refund"
      dry run: 4 to create, 0 to update, 0 to delete, 0 unchanged; nothing was written (add --apply to write it)
      "
    `);
    expect(fake.writes()).toEqual([]);
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /ai/content_import_sources']);
  });

  it('creates the source and every page on the first push, and sends nothing on the second', async () => {
    writeFeed(dist, feed(articles()));
    const first = await push(['--apply']);
    expect([first.code, first.stderr]).toEqual([0, '']);
    expect(first.stdout).toMatchInlineSnapshot(`
      "created content import source 100 for https://help.acme.test
      skipped 2 articles in de, ja: Intercom's external pages accept only en
      skipped 1 article neither AI Agent nor Copilot may use (ai.agent and ai.copilot are false): legacy (en)
      created acme:refunds:en "Refunds" (page 101)
      created acme:invoices:en "Invoices" (page 102)
      created acme:sso:en "Single sign-on" (page 103)
      created acme:escalation:en "Escalating a refund" (page 104)
      content import source 100: 4 created, 0 updated, 0 deleted, 0 unchanged
      "
    `);
    expect(fake.writes()).toEqual([
      'POST /ai/content_import_sources',
      ...Array(4).fill('POST /ai/external_pages'),
    ]);
    const [source] = fake.sources.values();
    expect(source).toMatchObject({ url: 'https://help.acme.test', sync_behavior: 'api' });
    // Both flags on every page, false included (Intercom would default a missing one to false).
    expect(held()).toMatchInlineSnapshot(`
      {
        "acme:escalation:en": "Escalating a refund |  | en | agent false | copilot true | <p>About escalation.</p>",
        "acme:invoices:en": "Invoices | https://help.acme.test/en/articles/invoices/ | en | agent true | copilot true | <p>About invoices.</p>",
        "acme:refunds:en": "Refunds | https://help.acme.test/en/articles/refunds/ | en | agent true | copilot true | <p>About refunds.</p>",
        "acme:sso:en": "Single sign-on | https://help.acme.test/en/articles/sso/ | en | agent false | copilot true | <p>About sso.</p>",
      }
    `);

    const before = fake.requests.length;
    const second = await push(['--apply']);
    expect([second.code, second.stderr]).toEqual([0, '']);
    expect(second.stdout.split('\n').at(-2)).toBe(
      `content import source ${source!.id}: 0 created, 0 updated, 0 deleted, 4 unchanged`,
    );
    // Four pages at two per page: the push followed the `next` link, or it would recreate two.
    expect(fake.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /ai/content_import_sources',
      'GET /ai/external_pages',
      'GET /ai/external_pages?page=2',
    ]);
  });

  it('updates an edited article and deletes a removed one, and only those', async () => {
    writeFeed(dist, feed(articles()));
    expect((await push(['--apply'])).code).toBe(0);
    const invoices = [...fake.pages.values()].find((p) => p.external_id === 'acme:invoices:en')!;
    const refunds = [...fake.pages.values()].find((p) => p.external_id === 'acme:refunds:en')!;
    const edited = articles()
      .filter((a) => a.id !== 'invoices')
      .map((a) =>
        a.id === 'refunds'
          ? article('refunds', a.language, { title: 'Refunds', markdown: 'Now 3 days.' })
          : a,
      );
    writeFeed(dist, feed(edited));

    const plan = await push();
    expect(plan.stdout).toContain(
      `update acme:refunds:en "Refunds" (html)\ndelete acme:invoices:en "Invoices" (page ${invoices.id})\n`,
    );
    const writes = fake.writes().length;
    const { code, stdout } = await push(['--apply']);
    expect(code).toBe(0);
    expect(stdout).toContain('0 created, 1 updated, 1 deleted, 2 unchanged');
    // The update is the API's upsert by external_id: PUT takes neither availability flag.
    expect(fake.writes().slice(writes)).toEqual([
      'POST /ai/external_pages',
      `DELETE /ai/external_pages/${invoices.id}`,
    ]);
    expect(fake.pages.get(refunds.id as string)).toMatchObject({
      html: '<p>Now 3 days.</p>',
      title: 'Refunds',
    });
    expect(fake.pages.has(invoices.id as string)).toBe(false);
  });

  it('deletes a pushed page once neither AI Agent nor Copilot may use its article', async () => {
    writeFeed(dist, feed(articles()));
    await push(['--apply']);
    writeFeed(
      dist,
      feed(
        articles().map((a) =>
          a.id === 'invoices'
            ? article('invoices', a.language, { title: 'Invoices', agent: false, copilot: false })
            : a,
        ),
      ),
    );
    const { stdout } = await push(['--apply']);
    expect(stdout).toContain(
      'skipped 2 articles neither AI Agent nor Copilot may use (ai.agent and ai.copilot are false): invoices (en), legacy (en)\n',
    );
    expect(Object.keys(held()).sort()).toEqual(['acme:escalation:en', 'acme:refunds:en', 'acme:sso:en']);
  });

  it('recreates a page whose URL went away (an upsert cannot clear one)', async () => {
    writeFeed(dist, feed(articles()));
    await push(['--apply']);
    const sso = [...fake.pages.values()].find((p) => p.external_id === 'acme:sso:en')!;
    const internal = article('sso', 'en', { title: 'Single sign-on', visibility: 'internal', agent: false });
    writeFeed(dist, feed(articles().map((a) => (a.id === 'sso' ? internal : a))));
    const writes = fake.writes().length;
    const { stdout } = await push(['--apply']);
    expect(stdout).toContain('updated acme:sso:en "Single sign-on" (url; page ');
    expect(fake.writes().slice(writes)).toEqual([
      `DELETE /ai/external_pages/${sso.id}`,
      'POST /ai/external_pages',
    ]);
    expect(held()['acme:sso:en']).toContain('Single sign-on |  | en | agent false');
    expect((await push()).stdout).toContain('0 to update');
  });

  it('reports and skips languages external pages do not accept', async () => {
    writeFeed(dist, feed(articles()));
    const { stdout } = await push(['--apply']);
    expect(stdout).toContain("skipped 2 articles in de, ja: Intercom's external pages accept only en\n");
    expect(fake.requests.filter((r) => JSON.stringify(r.body ?? '').match(/:(de|ja)"/))).toEqual([]);
    expect(new Set([...fake.pages.values()].map((p) => p.locale))).toEqual(new Set(['en']));
  });

  it('waits as long as a 429 says (Retry-After), then goes on', async () => {
    writeFeed(dist, feed(articles()));
    fake.failOnce(429, { 'Retry-After': '1' });
    const { code, stderr } = await push();
    expect(code).toBe(0);
    expect(stderr).toMatchInlineSnapshot(`
      "note: Intercom answered 429 to GET /ai/content_import_sources; waiting 1 s before trying again
      "
    `);
    const [refused, retried] = fake.requests;
    expect([refused?.path, retried?.path]).toEqual([
      '/ai/content_import_sources',
      '/ai/content_import_sources',
    ]);
    expect(retried!.at - refused!.at).toBeGreaterThanOrEqual(950);
  });

  it('stops at a refused token: one line, exit 1, nothing written', async () => {
    writeFeed(dist, feed(articles()));
    const { code, stdout, stderr } = await push(['--apply'], { INTERCOM_TOKEN: 'not-the-token' });
    expect([code, stdout]).toEqual([1, '']);
    expect(stderr).toMatchInlineSnapshot(`
      "signpost feed push: INTERCOM_TOKEN was refused (401); check the token and its workspace
      "
    `);
    expect(fake.requests).toHaveLength(1);
  });

  it('uses --source-id, and leaves other sources and pages it did not write alone', async () => {
    writeFeed(dist, feed(articles()));
    fake.seed({ id: 7, url: 'https://www.acme.test' }, { id: '1', external_id: 'hand-made' });
    fake.seed({ id: 8, url: 'https://help.acme.test' }, { id: '2', external_id: 'acme:gone:en' });
    const { code, stdout } = await push(['--apply', '--source-id', '7']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^content import source 7 \(https:\/\/www\.acme\.test\), from --source-id\n/);
    expect(stdout).toContain(
      'left 1 page of source 7 alone: their external_id does not start with "acme:"\n',
    );
    expect(fake.pages.get('1')).toMatchObject({ external_id: 'hand-made' });
    expect(fake.pages.get('2')).toMatchObject({ external_id: 'acme:gone:en' });

    const missing = await push(['--source-id', '9']);
    expect([missing.code, missing.stderr]).toMatchInlineSnapshot(`
      [
        1,
        "signpost feed push: Intercom has no content import source 9; omit --source-id to find or create the brand's source
      ",
      ]
    `);
  });

  it('explains a wrong setup in one line each', async () => {
    const bare = await runCli(['feed', 'push', 'intercom', '--brand', 'acme', '--dist', dist]);
    expect([bare.code, bare.stderr]).toMatchInlineSnapshot(`
      [
        1,
        "signpost feed push: INTERCOM_TOKEN is not set; export an access token of the Intercom workspace to push to
      ",
      ]
    `);
    const noFeed = await push();
    expect([noFeed.code, noFeed.stderr.replaceAll(dist, 'DIST')]).toMatchInlineSnapshot(`
      [
        1,
        "signpost feed push: DIST/_export/acme/knowledge.json: no such file; run \`npm run build\` first
      ",
      ]
    `);
    writeFeed(dist, feed(articles(), { brand: 'globex' }));
    const otherBrand = await push();
    expect([otherBrand.code, otherBrand.stderr.replaceAll(dist, 'DIST')]).toMatchInlineSnapshot(`
      [
        1,
        "signpost feed push: DIST/_export/acme/knowledge.json: no such file; --brand acme: DIST has feeds for globex
      ",
      ]
    `);
    const region = await push(['--region', 'mars']);
    expect([region.code, region.stderr]).toMatchInlineSnapshot(`
      [
        2,
        "signpost: --region mars: expected one of us | eu | au; see signpost feed --help
      ",
      ]
    `);
    const noBrand = await runCli(['feed', 'push', 'intercom'], { INTERCOM_TOKEN: TOKEN });
    expect([noBrand.code, noBrand.stderr]).toMatchInlineSnapshot(`
      [
        2,
        "signpost: feed push needs --brand ID; see signpost feed --help
      ",
      ]
    `);
    expect(fake.requests).toEqual([]);
  });
});

describe('the Intercom client', () => {
  const client = () => new IntercomClient({ token: TOKEN, baseUrl: fake.url, backoffMs: 20 });

  it('retries a 5xx with backoff, and gives up after five tries', async () => {
    fake.failOnce(503);
    await expect(client().listSources()).resolves.toEqual([]);
    for (let i = 0; i < 5; i++) fake.failOnce(502);
    const start = fake.requests.length;
    await expect(client().listSources()).rejects.toThrowErrorMatchingInlineSnapshot(
      `[IntercomError: Intercom answered 502 to GET /ai/content_import_sources 5 times: status 502; try again later]`,
    );
    expect(fake.requests).toHaveLength(7);
    // Each wait doubles the one before: 20, 40, 80, 160 ms.
    const times = fake.requests.slice(start).map((r) => r.at);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(20 * 2 ** i - 2));
    expect(gaps.at(-1)).toBeLessThan(1000);
  });

  it('gives up at once when a 429 asks for a longer wait than it allows', async () => {
    fake.failOnce(429, { 'Retry-After': '3600' });
    await expect(client().listSources()).rejects.toThrowErrorMatchingInlineSnapshot(
      `[IntercomError: Intercom answered 429 to GET /ai/content_import_sources and asks to wait 3600 s; run the push again then]`,
    );
    expect(fake.requests).toHaveLength(1);
  });

  it('waits for the rate limit to reset when none remains', async () => {
    fake.exhaustRateLimitOnce();
    const intercom = client();
    await intercom.listSources();
    await intercom.listSources();
    const [first, second] = fake.requests;
    // The first answer said "none left until the next second": the second request waited for it.
    expect(second!.at).toBeGreaterThanOrEqual((Math.floor(first!.at / 1000) + 1) * 1000);
  });
});

describe("the example site's feed", () => {
  it('pushes every English article an assistant may use, and skips the rest', async () => {
    const exampleDist = inject('exampleDist');
    const real = JSON.parse(
      fs.readFileSync(path.join(dirs.export(exampleDist, 'acme'), rootFiles.feed), 'utf8'),
    ) as {
      articles: {
        language: string;
        intercom: { locale: string; ai_agent_availability: boolean; ai_copilot_availability: boolean };
      }[];
    };
    const pushable = real.articles.filter(
      (a) =>
        a.intercom.locale === 'en' &&
        (a.intercom.ai_agent_availability || a.intercom.ai_copilot_availability),
    );
    const others = [
      ...new Set(real.articles.filter((a) => a.intercom.locale !== 'en').map((a) => a.language)),
    ].sort();
    expect(pushable.length).toBeGreaterThan(5);
    const args = ['feed', 'push', 'intercom', '--brand', 'acme', '--dist', exampleDist];
    const env = { INTERCOM_TOKEN: TOKEN, INTERCOM_API_URL: fake.url };

    const dry = await runCli(args, env);
    expect([dry.code, dry.stderr]).toEqual([0, '']);
    expect(dry.stdout).toContain(` in ${others.join(', ')}: Intercom's external pages accept only en\n`);
    expect(dry.stdout.trimEnd().split('\n').at(-1)).toBe(
      `dry run: ${pushable.length} to create, 0 to update, 0 to delete, 0 unchanged; nothing was written (add --apply to write it)`,
    );
    expect(fake.writes()).toEqual([]);
    // For real too: the stand-in checks every page the real build produces against the description.
    expect((await runCli([...args, '--apply'], env)).code).toBe(0);
    expect(fake.pages.size).toBe(pushable.length);
  });
});
