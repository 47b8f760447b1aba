import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importIntercom, type ImportOptions } from '../src/import/intercom/import.ts';
import { planImport } from '../src/import/intercom/map.ts';
import type { IntercomExport } from '../src/import/intercom/types.ts';
import { normalizeAliasPath } from '../src/schemas/article.ts';
import { runCli } from './helpers/cli.ts';
import { read } from './helpers/dist.ts';
import { PROJECT } from './helpers/example.ts';
import { INTERCOM_EXPORT, startExportServer, type ExportServer } from './helpers/intercom-export-server.ts';
import { TOKEN } from './helpers/intercom.ts';

const NO_IDS = { helpCenters: {}, collections: {}, articles: {}, authors: {} };

/** A small export, in memory, for the mapping rules. */
function smallExport(): IntercomExport {
  const article = (id: string, fields: Record<string, unknown>) => ({
    id,
    default_locale: 'en',
    help_center_audience: 'everyone' as const,
    ...fields,
  });
  return {
    helpCenters: [
      { id: '1', identifier: 'acme', display_name: 'Acme', locales: ['en', 'zh-CN', 'pt-BR'], default: true },
    ],
    collections: [
      {
        id: '10',
        name: 'Billing',
        icon: 'credit-card',
        order: 2,
        parent_id: null,
        help_center_id: 1,
        default_locale: 'en',
        url: 'https://intercom.help/acme/en/collections/10-billing',
        translated_content: { en: { name: 'Billing' }, 'zh-CN': { name: '账单' } },
      },
    ],
    articles: [
      article('100', {
        parent_ids: [10],
        tags: { tags: [{ name: 'money' }] },
        translated_content: {
          type: 'article_translated_content',
          en: {
            title: 'Refunds: the rules',
            body: '<p>Hi</p>',
            state: 'published',
            updated_at: 1_700_000_000,
            ai_chatbot_availability: false,
            ai_copilot_availability: true,
            url: 'https://intercom.help/acme/en/articles/100-refunds-the-rules',
          },
          'zh-CN': { title: '退款', body: '<p>嗨</p>', state: 'draft' },
          'pt-BR': { title: 'Reembolsos', body: '<p>Oi</p>', state: 'published' },
        },
      }),
      article('101', {
        parent_ids: [],
        translated_content: { en: { title: 'Status page', body: '<p>Up</p>', state: 'published' } },
      }),
      article('102', {
        parent_ids: [10],
        help_center_audience: 'all_users',
        translated_content: { en: { title: 'Invoices', body: '', state: 'published', audience_ids: [7] } },
      }),
    ],
    admins: [],
    redirects: [
      {
        id: '5',
        from_url: 'https://intercom.help/acme/old-refund-page',
        locale: 'pt-BR',
        help_center_id: '1',
        target_type: 'article',
        target_id: '100',
      },
    ],
  };
}

function filesOf(plan: ReturnType<typeof planImport>): Map<string, string> {
  return new Map(plan.render(new Set()).map((f) => [f.path, String(f.data)]));
}

describe('mapping an Intercom export', () => {
  it('maps locales, states, audiences, collections and former URLs', () => {
    const plan = planImport(smallExport(), { previous: NO_IDS });
    const files = filesOf(plan);
    expect([...files.keys()]).toEqual([
      'audiences.yaml',
      'brands/acme.yaml',
      'help-centers/acme/billing/_collection.yaml',
      'help-centers/acme/billing/invoices.en.md',
      'help-centers/acme/billing/refunds-the-rules.en.md',
      'help-centers/acme/billing/refunds-the-rules.pt-BR.md',
      'help-centers/acme/billing/refunds-the-rules.zh-Hans.md',
      'help-centers/acme/status-page.en.md',
      'workspace.yaml',
    ]);
    expect(files.get('help-centers/acme/billing/refunds-the-rules.en.md')).toMatchInlineSnapshot(`
      "---
      title: "Refunds: the rules"
      state: published
      ai:
        agent: false
        copilot: true
      tags:
        - money
      updated: 2023-11-14T22:13:20Z
      aliases:
        - /en/articles/100-refunds-the-rules
      ---

      Hi
      "
    `);
    // Drafts stay drafts, and have no former URL (Intercom never served them).
    expect(files.get('help-centers/acme/billing/refunds-the-rules.zh-Hans.md')).toContain('state: draft');
    expect(files.get('help-centers/acme/billing/refunds-the-rules.zh-Hans.md')).not.toContain('aliases');
    // The redirect's path goes to the translation in its locale.
    expect(files.get('help-centers/acme/billing/refunds-the-rules.pt-BR.md')).toContain('- /old-refund-page');
    expect(files.get('help-centers/acme/billing/invoices.en.md')).toContain(
      'visibility: private\naudiences:\n  - intercom-audience-7\n',
    );
    expect(files.get('help-centers/acme/status-page.en.md')).not.toContain('visibility');
    expect(files.get('help-centers/acme/billing/_collection.yaml')).toMatchInlineSnapshot(`
      "name:
        en: Billing
        zh-Hans: 账单
      icon: credit-card
      order: 2
      aliases:
        - /en/collections/10-billing
        - /zh-CN/collections/10-账单
      "
    `);
    expect(files.get('brands/acme.yaml')).toContain(
      'languages:\n  - en\n  - zh-Hans\n  - pt-BR\ndefaultLanguage: en\n',
    );
    expect(files.get('brands/acme.yaml')).toContain('secretEnv: ACME_JWT_SECRET');
    expect(plan.warnings).toContain(
      "audiences.yaml: intercom-audience-7 has no rules yet (Intercom's API does not expose audience rules); add them, or every signed-in customer belongs to it",
    );
  });

  it('keeps an article id across a retitle, and gives clashing titles the Intercom id', () => {
    const first = planImport(smallExport(), { previous: NO_IDS });
    const retitled = smallExport();
    const content = retitled.articles[0]!.translated_content!.en as { title: string };
    content.title = 'Invoices';
    const second = planImport(retitled, { previous: first.ids });
    expect(second.ids.articles['100']).toBe('refunds-the-rules');
    expect(second.ids.articles['102']).toBe('invoices');
    const fresh = planImport(retitled, { previous: NO_IDS });
    expect(fresh.ids.articles).toMatchObject({ '100': 'invoices', '102': 'invoices-102' });
  });
});

/** A scratch folder with a `themes/` copy beside the content folder, as a project has. */
function scratch(): { root: string; content: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-import-'));
  fs.cpSync(path.join(PROJECT, 'themes'), path.join(root, 'themes'), { recursive: true });
  return { root, content: path.join(root, 'content') };
}

/** Every file of a tree (bytes and mtime), the state file included. */
function snapshot(dir: string): Map<string, { bytes: string; mtime: number }> {
  return new Map(
    (fs.readdirSync(dir, { recursive: true }) as string[])
      .filter((f) => fs.statSync(path.join(dir, f)).isFile())
      .sort()
      .map((f) => {
        const file = path.join(dir, f);
        return [f, { bytes: fs.readFileSync(file).toString('base64'), mtime: fs.statSync(file).mtimeMs }];
      }),
  );
}

describe('npm run import -- intercom', () => {
  let server: ExportServer;
  const roots: string[] = [];
  const make = () => {
    const made = scratch();
    roots.push(made.root);
    return made;
  };
  /** Runs one import in this process (its fetch reaches the loopback CDN); the printed lines. */
  const run = async (options: Partial<ImportOptions> & Pick<ImportOptions, 'content'>) => {
    const lines: string[] = [];
    const code = await importIntercom({
      source: { from: INTERCOM_EXPORT },
      downloadImages: true,
      prune: false,
      force: false,
      fetch: server.fetch,
      print: (line) => lines.push(line),
      printError: (line) => lines.push(`stderr: ${line}`),
      ...options,
    });
    return { code, out: lines.join('\n') };
  };

  beforeAll(async () => {
    server = await startExportServer();
  });
  afterAll(async () => {
    await server.close();
    for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
  });

  describe('the fixture export, imported, checked and built', () => {
    let content: string;
    let dist: string;
    let report: string;

    beforeAll(async () => {
      const made = make();
      content = made.content;
      dist = path.join(made.root, 'dist');
      const result = await run({ content });
      expect(result.code).toBe(0);
      report = result.out;
      execFileSync(
        path.join(PROJECT, 'node_modules/.bin/node'),
        ['src/cli/main.ts', 'build', '--content', content, '--out', dist],
        { cwd: PROJECT, stdio: ['ignore', 'pipe', 'pipe'] },
      );
    }, 240_000);

    it('reports a summary table, then the next step', () => {
      expect(report).toContain('  help centers  2\n');
      expect(report).toContain('  collections   8\n');
      expect(report).toContain('  articles      11\n');
      expect(report).toContain('  translations  25\n');
      expect(report).toMatch(/ {2}images {8}5 saved as files \(5 downloaded now\), 0 kept as links\n/);
      expect(report).toMatch(/\n {2}aliases {7}\d+ former Intercom URLs\n/);
      expect(report.trimEnd().split('\n').at(-1)).toBe(`Next: npm run check -- --content ${content}`);
    });

    it('passes npm run check', async () => {
      const { code, stdout, stderr } = await runCli(['check', '--content', content]);
      expect(stderr).toBe('');
      expect(stdout).toMatch(/✓ 0 errors/);
      expect(code).toBe(0);
    }, 60_000);

    it('saves images beside their articles and avatars beside authors.yaml', () => {
      const folder = path.join(content, 'help-centers/acme/billing-and-payments/refunds');
      expect(fs.readFileSync(path.join(folder, 'request-a-refund-1.png'))).toEqual(
        fs.readFileSync(
          path.join(INTERCOM_EXPORT, 'cdn/downloads.intercomcdn.com/i/o/123456/abcdef0123/refund-button.png'),
        ),
      );
      for (const lang of ['en', 'de', 'zh-Hans'])
        expect(fs.readFileSync(path.join(folder, `request-a-refund.${lang}.md`), 'utf8')).toContain(
          '![](./request-a-refund-1.png)',
        );
      expect(fs.readFileSync(path.join(content, 'authors.yaml'), 'utf8')).toContain(
        'avatar: ./avatars/ada-quinn.jpg',
      );
      expect(fs.existsSync(path.join(content, 'avatars/ada-quinn.jpg'))).toBe(true);
    });

    const published = [
      ['acme', 'billing-and-payments/refunds/request-a-refund', ['en', 'de', 'zh-Hans']],
      ['acme', 'billing-and-payments/update-your-card', ['en', 'de']],
      ['acme', 'getting-started/set-up-your-account/create-your-acme-account', ['en', 'de', 'zh-Hans']],
      ['acme', 'getting-started/set-up-your-account/invite-your-team/invite-teammates', ['en', 'de']],
      ['acme', 'security/enable-two-factor-authentication', ['en', 'de', 'zh-Hans']],
      ['acme', 'billing-and-payments/refunds/refund-rules-by-region/refund-rules-in-the-eu', ['en', 'de']],
      ['acme', 'acme-status-page', ['en', 'de', 'zh-Hans']],
      ['acme', 'billing-and-payments/cancel-your-subscription', ['en', 'zh-Hans']],
      ['acme-developers', 'api-reference/authenticate-api-requests', ['en']],
    ] as const;

    it('builds a page for every published translation, and none for drafts', () => {
      for (const [brand, file, langs] of published)
        for (const lang of langs) {
          const id = file.split('/').at(-1)!;
          expect(
            fs.existsSync(path.join(dist, brand, lang, 'articles', id, 'index.html')),
            `${brand} ${lang} ${id}`,
          ).toBe(true);
        }
      expect(fs.existsSync(path.join(dist, 'acme/en/articles/handling-chargebacks'))).toBe(false);
      expect(fs.existsSync(path.join(dist, 'acme/de/articles/cancel-your-subscription'))).toBe(false);
    });

    it('keeps the users-only article private and the one outside any collection unlisted', () => {
      const publicPage = read(dist, 'acme/en/articles/export-your-invoices/index.html');
      expect(publicPage).not.toContain('Download every invoice');
      expect(read(dist, '_private/acme/en/articles/export-your-invoices/index.html')).toContain(
        'Download every invoice',
      );
      expect(read(dist, 'acme/en/articles/acme-status-page/index.html')).toMatch(
        /<meta name="robots" content="noindex/,
      );
      expect(read(dist, 'acme/sitemap.xml')).not.toContain('acme-status-page');
      expect(read(dist, 'acme/sitemap.xml')).toContain('/en/articles/request-a-refund/');
    });

    it('redirects every former Intercom URL, and each redirect, to its page', () => {
      const lines = (brand: string) => new Set(read(dist, `${brand}/_redirects`).trim().split('\n'));
      const expectRedirect = (brand: string, from: string, to: string) => {
        const normalized = normalizeAliasPath(from);
        expect(lines(brand), `${brand} ${from}`).toContain(`${normalized} ${to} 301`);
        expect(read(dist, `${brand}${decodeURIComponent(normalized)}/index.html`)).toContain(to);
      };
      const exported = ['articles.page-1.json', 'articles.page-2.json', 'articles.page-3.json'].flatMap(
        (name) =>
          (
            JSON.parse(fs.readFileSync(path.join(INTERCOM_EXPORT, name), 'utf8')) as {
              data: IntercomExport['articles'];
            }
          ).data,
      );
      const state = JSON.parse(fs.readFileSync(path.join(content, '.signpost-import.json'), 'utf8')) as {
        ids: { articles: Record<string, string> };
      };
      let checked = 0;
      for (const article of exported) {
        // A private article's former URLs stay out of the public tree.
        if (article.help_center_audience !== 'everyone') continue;
        for (const [locale, t] of Object.entries(article.translated_content ?? {})) {
          if (locale === 'type' || typeof t !== 'object' || !t || t.state !== 'published') continue;
          const url = new URL(t.url!);
          const brand = url.host === 'help.acme.test' ? 'acme' : 'acme-developers';
          const from = url.pathname.replace(/^\/acme-developers/, '');
          const lang = locale === 'zh-CN' ? 'zh-Hans' : locale;
          expectRedirect(brand, from, `/${lang}/articles/${state.ids.articles[article.id]!}/`);
          checked++;
        }
      }
      expect(checked).toBe(21);
      // Collections, in every language, and the redirects endpoint's paths.
      expectRedirect(
        'acme',
        '/en/collections/6871122-billing-and-payments',
        '/en/collections/billing-and-payments/',
      );
      expectRedirect(
        'acme',
        '/de/collections/6871122-abrechnung-und-zahlungen',
        '/de/collections/billing-and-payments/',
      );
      expectRedirect('acme', '/en/collections/99-billing-faq', '/en/collections/billing-and-payments/');
      expectRedirect('acme', '/en/articles/123-how-do-i-get-a-refund', '/en/articles/request-a-refund/');
      expectRedirect(
        'acme-developers',
        '/en/articles/55-api-keys',
        '/en/articles/authenticate-api-requests/',
      );
      expectRedirect('acme-developers', '/en/collections/77-developers', '/en/collections/api-reference/');
      expectRedirect(
        'acme',
        '/en/collections/6871121-invite-your-team',
        '/en/collections/getting-started/set-up-your-account/invite-your-team/',
      );
    });

    it('changes nothing when the same export is imported again', async () => {
      const before = snapshot(content);
      const again = await run({ content });
      expect(again.code).toBe(0);
      expect(again.out).toContain(`0 created, 0 updated, ${before.size - 1} unchanged, 0 conflicts`);
      expect(again.out).toContain('5 saved as files (0 downloaded now)');
      expect(snapshot(content)).toEqual(before);
    });
  });

  it('keeps image addresses with --no-download-images, naming each one', async () => {
    const { content } = make();
    const { code, stdout } = await runCli([
      'import',
      'intercom',
      '--from',
      INTERCOM_EXPORT,
      '--content',
      content,
      '--no-download-images',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('0 saved as files (0 downloaded now), 5 kept as links');
    expect(stdout).toContain(
      'warning: help-centers/acme/billing-and-payments/refunds/request-a-refund.en.md, help-centers/acme/billing-and-payments/refunds/request-a-refund.de.md, help-centers/acme/billing-and-payments/refunds/request-a-refund.zh-Hans.md: image https://downloads.intercomcdn.com/i/o/123456/abcdef0123/refund-button.png kept as its Intercom address, which expires (not downloaded (--no-download-images))',
    );
    expect(
      fs.readFileSync(
        path.join(content, 'help-centers/acme/billing-and-payments/refunds/request-a-refund.en.md'),
        'utf8',
      ),
    ).toContain(
      '![](https://downloads.intercomcdn.com/i/o/123456/abcdef0123/refund-button.png?expires=1700000000&signature=abc)',
    );
    expect(
      fs.existsSync(
        path.join(content, 'help-centers/acme/billing-and-payments/refunds/request-a-refund-1.png'),
      ),
    ).toBe(false);
    expect(fs.readFileSync(path.join(content, 'authors.yaml'), 'utf8')).not.toContain('avatar');
  }, 60_000);

  it('gives the same tree from the API (through a 429) as from the saved export', async () => {
    const [fromDir, fromApi] = [make().content, make().content];
    expect((await run({ content: fromDir })).code).toBe(0);
    const before = server.requests.length;
    const api = await run({
      content: fromApi,
      source: { api: { token: TOKEN, region: 'us', baseUrl: server.url } },
    });
    expect(api.code).toBe(0);
    expect(server.requests.slice(before).some((r) => r.status === 429)).toBe(true);
    expect(server.violations).toEqual([]);
    const bytes = (dir: string) => new Map([...snapshot(dir)].map(([f, { bytes }]) => [f, bytes]));
    expect(bytes(fromApi)).toEqual(bytes(fromDir));
  }, 60_000);

  it('reports a local edit as a conflict, and overwrites it only with --force', async () => {
    const { content } = make();
    await run({ content });
    const file = path.join(content, 'help-centers/acme/billing-and-payments/update-your-card.en.md');
    const edited = fs.readFileSync(file, 'utf8').replace('Keep a valid card', 'Keep a working card');
    fs.writeFileSync(file, edited);
    const again = await run({ content });
    expect(again.code).toBe(0);
    expect(again.out).toContain(
      "conflict: help-centers/acme/billing-and-payments/update-your-card.en.md: edited here since the last import; kept as it is (--force overwrites it with Intercom's version)",
    );
    expect(fs.readFileSync(file, 'utf8')).toBe(edited);
    // Still a conflict the next time: the state keeps what the import last wrote.
    expect((await run({ content })).out).toContain(
      'conflict: help-centers/acme/billing-and-payments/update-your-card.en.md',
    );
    const forced = await run({ content, force: true });
    expect(forced.out).toContain('0 created, 1 updated');
    expect(fs.readFileSync(file, 'utf8')).toContain('Keep a valid card');
  });

  it('updates from a newer export, and deletes what is gone only with --prune', async () => {
    const { root, content } = make();
    await run({ content });
    // The newer export: 7002 retitled, 7004 deleted in Intercom.
    const newer = path.join(root, 'newer-export');
    fs.cpSync(INTERCOM_EXPORT, newer, { recursive: true });
    const edit = (name: string, change: (page: { data: Record<string, unknown>[] }) => void) => {
      const page = JSON.parse(fs.readFileSync(path.join(newer, name), 'utf8')) as {
        data: Record<string, unknown>[];
      };
      change(page);
      fs.writeFileSync(path.join(newer, name), JSON.stringify(page, null, 2));
    };
    edit('articles.page-1.json', (page) => {
      const card = page.data.find((a) => a.id === '7002')!;
      (card.translated_content as { en: { title: string } }).en.title = 'Change your payment card';
      page.data = page.data.filter((a) => a.id !== '7004');
    });
    const removed = [
      'help-centers/acme/getting-started/set-up-your-account/invite-your-team/invite-teammates.en.md',
      'help-centers/acme/getting-started/set-up-your-account/invite-your-team/invite-teammates.de.md',
      'help-centers/acme/getting-started/set-up-your-account/invite-your-team/invite-teammates-1.png',
    ];
    const card = path.join(content, 'help-centers/acme/billing-and-payments/update-your-card.en.md');
    const untouched = path.join(content, 'help-centers/acme/security/enable-two-factor-authentication.en.md');
    const untouchedMtime = fs.statSync(untouched).mtimeMs;

    const update = await run({ content, source: { from: newer } });
    expect(update.out).toContain('0 created, 1 updated');
    expect(fs.readFileSync(card, 'utf8')).toContain('title: Change your payment card');
    expect(fs.statSync(untouched).mtimeMs).toBe(untouchedMtime);
    for (const file of removed) {
      expect(update.out).toContain(`would delete: ${file}: no longer in Intercom (--prune deletes it)`);
      expect(fs.existsSync(path.join(content, file))).toBe(true);
    }

    const pruned = await run({ content, source: { from: newer }, prune: true });
    for (const file of removed) {
      expect(pruned.out).toContain(`deleted: ${file}`);
      expect(fs.existsSync(path.join(content, file))).toBe(false);
    }
    const { code, stdout } = await runCli(['check', '--content', content]);
    expect(stdout).toMatch(/✓ 0 errors/);
    expect(code).toBe(0);
  }, 60_000);

  it('says what is wrong with the command line or the export in one line', async () => {
    const { content } = make();
    const missing = await runCli(['import', 'intercom', '--content', content]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      'signpost: import intercom needs --from FILE|DIR or --from-api; see signpost import --help\n',
    );
    const noToken = await runCli(['import', 'intercom', '--from-api', '--content', content]);
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toMatch(/^signpost import intercom: INTERCOM_TOKEN is not set; .*\n$/);
    const nowhere = await runCli([
      'import',
      'intercom',
      '--from',
      path.join(content, 'nope'),
      '--content',
      content,
    ]);
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr.trim().split('\n')).toHaveLength(1);
    expect(nowhere.stderr).toContain('nope');
  }, 60_000);
});
