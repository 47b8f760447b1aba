import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchExport, readExport } from '../src/import/intercom/source.ts';
import type { IntercomExport } from '../src/import/intercom/types.ts';
import { INTERCOM_EXPORT, startExportServer, type ExportServer } from './helpers/intercom-export-server.ts';
import { findOperation, okSchema, TOKEN, validateSchema } from './helpers/intercom.ts';

// The two sources of `import intercom`: the API's list responses saved to disk, and the live API
// (here a loopback stand-in that serves the same saved pages and refuses what the description does not allow).

const fixture = (name: string) =>
  JSON.parse(fs.readFileSync(path.join(INTERCOM_EXPORT, name), 'utf8')) as Record<string, unknown>;
const ids = (items: { id: string }[]) => items.map((i) => i.id);

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-intercom-source-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the fixture export', () => {
  const operations: Record<string, string> = {
    help_centers: '/help_center/help_centers',
    collections: '/help_center/collections',
    articles: '/articles',
    admins: '/admins',
    redirects: '/help_center/help_centers/4101/redirects',
  };

  it('is the API description’s list responses, every object valid', () => {
    const files = fs.readdirSync(INTERCOM_EXPORT).filter((f) => f.endsWith('.json'));
    expect(files.length).toBe(9);
    for (const file of files) {
      const { operation } = findOperation('GET', operations[file.split('.')[0]!]!)!;
      expect([file, validateSchema(okSchema(operation), fixture(file))]).toEqual([file, []]);
    }
  });

  it('chains its cursor pages to the last, which has no next', () => {
    for (const [list, count] of [
      ['articles', 3],
      ['collections', 2],
    ] as const) {
      const pages = Array.from(
        { length: count },
        (_, i) => fixture(`${list}.page-${i + 1}.json`).pages as Record<string, unknown>,
      );
      expect(pages.map((p) => p.page)).toEqual(pages.map((_, i) => i + 1));
      expect(pages.every((p) => p.total_pages === count)).toBe(true);
      expect(
        pages
          .slice(0, -1)
          .every((p) => typeof (p.next as { starting_after?: unknown }).starting_after === 'string'),
      ).toBe(true);
      expect(pages.at(-1)!.next).toBeUndefined();
    }
  });
});

describe('readExport', () => {
  it('reads a folder of saved pages into one export', async () => {
    const read = await readExport(INTERCOM_EXPORT);
    expect(ids(read.helpCenters)).toEqual(['4101', '4102']);
    expect(ids(read.collections)).toEqual([
      '6871119',
      '6871120',
      '6871121',
      '6871122',
      '6871123',
      '6871124',
      '6871125',
      '6871200',
    ]);
    expect(ids(read.articles)).toEqual([
      '7001',
      '7002',
      '7003',
      '7004',
      '7005',
      '7006',
      '7007',
      '7008',
      '7009',
      '7010',
      '7011',
    ]);
    expect(ids(read.admins)).toEqual(['991267466', '991267467', '991267468']);
    expect(read.redirects.map((r) => `${r.help_center_id} ${r.target_type} ${r.target_id}`)).toEqual([
      '4101 collection 6871122',
      '4101 article 7001',
      '4102 collection 6871200',
      '4102 article 7010',
    ]);
    expect(read.articles[0]!.translated_content?.['zh-CN']).toMatchObject({
      title: '申请退款',
      state: 'published',
    });
  });

  it('reads the same from one file holding every list, pages as arrays', async () => {
    const pages = (list: string, n: number) =>
      Array.from({ length: n }, (_, i) => fixture(`${list}.page-${i + 1}.json`));
    const file = path.join(tmp, 'export.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        help_centers: fixture('help_centers.json'),
        collections: pages('collections', 2),
        articles: pages('articles', 3),
        admins: fixture('admins.json').admins,
        redirects: [fixture('redirects.4101.json'), fixture('redirects.4102.json')],
      }),
    );
    expect(await readExport(file)).toEqual(await readExport(INTERCOM_EXPORT));
  });

  it('reads a single list response, and keeps the newer copy of an item seen twice', async () => {
    const page = fixture('articles.page-1.json') as {
      data: { id: string; title: string; updated_at: number }[];
    };
    const older = { ...page.data[1]!, title: 'Old title', updated_at: 1 };
    fs.writeFileSync(path.join(tmp, 'a.json'), JSON.stringify(page));
    fs.writeFileSync(path.join(tmp, 'b.json'), JSON.stringify({ type: 'list', data: [older] }));
    const read = await readExport(tmp);
    expect(ids(read.articles)).toEqual(ids(page.data).sort());
    expect(read.articles.find((a) => a.id === older.id)!.title).toBe(page.data[1]!.title);
    expect(await readExport(path.join(tmp, 'a.json'))).toMatchObject({
      helpCenters: [],
      articles: read.articles,
    });
  });

  it('says in one line what is wrong with a file, and what to do', async () => {
    const at = (name: string, text: string) => {
      fs.writeFileSync(path.join(tmp, name), text);
      return path.join(tmp, name);
    };
    const message = (from: string) =>
      readExport(from).then(
        () => 'no error',
        (e: Error) => e.message.replaceAll(tmp, '<tmp>'),
      );
    expect(await message(path.join(tmp, 'missing.json'))).toMatchInlineSnapshot(
      `"<tmp>/missing.json: cannot read it (ENOENT), check the --from path"`,
    );
    expect(await message(at('bad.json', '{"type": "list",'))).toMatch(
      /^<tmp>\/bad\.json: not JSON \(.+\), save the API's response bodies as they came$/,
    );
    expect(
      await message(at('odd.json', '{"type": "conversation.list", "conversations": []}')),
    ).toMatchInlineSnapshot(
      `"<tmp>/odd.json: a "conversation.list" response, not a list the import reads, expected the API's list responses ("type": "list" with "data", or "admin.list" with "admins"), or an object of them under help_centers, collections, articles, admins, redirects"`,
    );
    expect(
      await message(at('mixed.json', JSON.stringify({ articles: fixture('admins.json') }))),
    ).toMatchInlineSnapshot(
      `"<tmp>/mixed.json: articles: holds admins where articles belong, put each list under its own key"`,
    );
    fs.rmSync(tmp, { recursive: true });
    fs.mkdirSync(tmp);
    expect(await message(tmp)).toMatchInlineSnapshot(
      `"<tmp>: holds no .json files, save the API's list responses there (one file per page)"`,
    );
    for (const name of ['bad.json', 'odd.json'].map((n) => at(n, '[1]')))
      expect(await message(name)).not.toContain('\n');
  });
});

describe('fetchExport', () => {
  let server: ExportServer;
  let slept: number[];
  let log: string[];
  const options = () => ({
    token: TOKEN,
    region: 'eu' as const,
    baseUrl: server.url,
    log: (line: string) => void log.push(line),
    sleep: async (ms: number) => void slept.push(ms),
    retryDelay: 1,
  });
  beforeEach(async () => {
    server = await startExportServer();
    slept = [];
    log = [];
  });
  afterEach(async () => {
    await server.close();
    expect(server.violations).toEqual([]);
    expect(log.join('\n')).not.toContain(TOKEN);
  });

  it('reads every page of every list, the same export as the saved folder, past a 429', async () => {
    const fetched: IntercomExport = await fetchExport(options());
    expect(fetched).toEqual(await readExport(INTERCOM_EXPORT));
    const asked = server.requests.map(
      (r) => `${r.status} ${r.path.replace(/starting_after=[^&]+/, 'starting_after=…')}`,
    );
    expect(asked).toEqual([
      '200 /help_center/help_centers',
      '200 /help_center/collections',
      '429 /help_center/collections?starting_after=…&per_page=5',
      '200 /help_center/collections?starting_after=…&per_page=5',
      '200 /articles',
      '200 /articles?starting_after=…&per_page=4',
      '200 /articles?starting_after=…&per_page=4',
      '200 /admins?display_avatar=true',
      '200 /help_center/help_centers/4101/redirects?page=1&per_page=250',
      '200 /help_center/help_centers/4102/redirects?page=1&per_page=250',
    ]);
    // It waited out the used-up rate limit, then the 429's Retry-After: 1.
    expect(log.some((l) => l.startsWith('rate limit used up, waiting'))).toBe(true);
    expect(slept.at(-1)).toBe(1000);
    expect(log).toContain('Intercom answered 429, retrying in 1.0s (try 2 of 5)');
  });

  it('fails at once, in one line, when Intercom refuses the token', async () => {
    const error = await fetchExport({ ...options(), token: 'not-the-token' }).catch((e: Error) => e);
    expect((error as Error).message.replace(server.url, '<api>')).toMatchInlineSnapshot(
      `"GET <api>/help_center/help_centers: Intercom refused the token (401 Access Token Invalid), check INTERCOM_TOKEN and the region (--region us|eu|au, where the workspace is hosted)"`,
    );
    expect((error as Error).message).not.toContain('not-the-token');
    expect(server.requests).toHaveLength(1);
  });

  it('retries server errors with backoff', async () => {
    const quiet = await startExportServer({ throttleAt: false });
    try {
      quiet.failNext(500, { times: 2 });
      expect(await fetchExport({ ...options(), baseUrl: quiet.url })).toEqual(
        await readExport(INTERCOM_EXPORT),
      );
      expect(quiet.requests.slice(0, 3).map((r) => `${r.status} ${r.path}`)).toEqual([
        '500 /help_center/help_centers',
        '500 /help_center/help_centers',
        '200 /help_center/help_centers',
      ]);
      // Exponential: the second wait is at least the first one's base doubled (jitter adds up to half).
      expect(slept).toHaveLength(2);
      expect(slept[0]).toBeGreaterThanOrEqual(1);
      expect(slept[0]).toBeLessThanOrEqual(1.5);
      expect(slept[1]).toBeGreaterThanOrEqual(2);
      expect(quiet.violations).toEqual([]);
    } finally {
      await quiet.close();
    }
  });

  it('gives up after five tries with one line', async () => {
    server.failNext(503, { times: 5 });
    const error = await fetchExport(options()).catch((e: Error) => e);
    expect((error as Error).message.replace(server.url, '<api>')).toMatchInlineSnapshot(
      `"GET <api>/help_center/help_centers: no answer after 5 tries (the last: 503 Service Unavailable), try again later"`,
    );
    expect(server.requests).toHaveLength(5);
  });

  it('serves the fixture’s images from cdn/ for the importer', async () => {
    const url =
      'https://downloads.intercomcdn.com/i/o/123456/abcdef0123/refund-button.png?expires=1700000000&signature=abc';
    expect(server.toLoopback(url)).toBe(
      `${server.cdnUrl}downloads.intercomcdn.com/i/o/123456/abcdef0123/refund-button.png?expires=1700000000&signature=abc`,
    );
    const response = await server.fetch(url);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(
      fs.readFileSync(
        path.join(INTERCOM_EXPORT, 'cdn/downloads.intercomcdn.com/i/o/123456/abcdef0123/refund-button.png'),
      ),
    );
    expect(() => server.fetch('https://example.com/')).toThrow(/reaches no other host/);
  });
});
