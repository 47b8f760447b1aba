import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { parseManifest } from '../src/gate/manifest.ts';
import { intercomLocaleToLanguage } from '../src/i18n/intercom-locales.ts';
import { dirs, gateManifestFile, isReservedPath, reservedPathOwner } from '../src/routing/layout.ts';
import { formerUrlLanguage } from '../src/routing/pages/collections.ts';
import { aliasPathProblem, normalizeAliasPath } from '../src/schemas/article.ts';
import { filesUnder, read } from './helpers/dist.ts';
import { PROJECT, copyExample, errorLines, type ExampleCopy } from './helpers/example.ts';
import { JWT, request, startServe, type Answer, type Served } from './helpers/gate.ts';

// Former URLs (`aliases`) of articles and collections: an id or, for a help center moved from
// Intercom, any path the old one served (`/en/articles/4821937-connect-slack`, `/de/collections/45-billing`).

const REFUNDS = 'help-centers/main/billing/refunds.en.md';
/** The last front-matter line of refunds.en.md (line 8): `aliases:` goes below it, on line 9. */
const RELATED = 'related: [plans-and-pricing, download-invoices, update-card, failed-payments]\n';
/** A front-matter list, one alias a line: the first item is on the line after `aliases:`. */
const list = (key: string, items: string[]) => `${key}:\n${items.map((item) => `  - ${item}\n`).join('')}`;
/** The example's own former URLs (see content/help-centers/main). */
const SLACK_ALIAS = '/en/articles/4821937-connect-slack';
const ACCOUNT_ALIAS = '/de/collections/2750581-konto-und-sicherheit';

describe('check: former URL paths', () => {
  let example: ExampleCopy;
  beforeEach(() => {
    example = copyExample();
  });
  afterEach(() => example.remove());
  const errors = () => errorLines(example.content, example.root);
  const at = (file: string, line: number, message: string) =>
    `error: content/help-centers/main/${file}:${line}: ${message}`;
  const refunds = (line: number, message: string) => at('billing/refunds.en.md', line, message);
  /** Lines of a file of the copy that ends in a line break: what is appended starts on the next. */
  const linesOf = (relative: string) =>
    fs.readFileSync(example.file(relative), 'utf8').split('\n').length - 1;

  it('names what is wrong with each path shape, at its line', async () => {
    // refunds.en.md: `aliases:` is line 9, its items lines 10 on.
    example.edit(REFUNDS, (t) =>
      t.replace(
        RELATED,
        RELATED +
          list('aliases', [
            '/en/articles/123456-request-a-refund',
            '/en/articles/../secret',
            '/en/articles/1-x?utm=mail',
            '/en/articles/1-x#fees',
            '"/en/articles/old refunds"',
            '"/en/articles/old\\arefunds"',
            `/${'x'.repeat(300)}`,
            '//evil.example/en/articles/1-x',
            'https://help.acme.test/en/articles/1-x',
            '/en/articles/r%zzck',
            '/en//articles/1-x',
            '/.well-known/1-x',
            '/en/articles/1*x',
            '/en/articles/a%2Fb',
            'en/articles/1-x',
          ]),
      ),
    );
    const allowed =
      'a former URL path may hold only letters, digits, "/" between segments and "-", ".", "_", "~", "+", ",", "=", "@" (percent-encoded or not)';
    const addressBar = "a URL path has none, so write the path as the browser's address bar shows it";
    expect(await errors()).toEqual([
      refunds(
        11,
        'aliases[1]: "/en/articles/../secret" has a ".." segment, which browsers resolve away before asking; write the path it resolves to',
      ),
      refunds(
        12,
        'aliases[2]: "/en/articles/1-x?utm=mail" contains "?", the start of a query, which no redirect can match; write the path alone: "/en/articles/1-x"',
      ),
      refunds(
        13,
        'aliases[3]: "/en/articles/1-x#fees" contains "#", the start of a fragment, which no redirect can match; write the path alone: "/en/articles/1-x"',
      ),
      refunds(14, `aliases[4]: "/en/articles/old refunds" contains whitespace; ${addressBar}`),
      refunds(
        15,
        `aliases[5]: "/en/articles/old\\u0007refunds" contains control character U+0007; ${addressBar}`,
      ),
      refunds(
        16,
        `aliases[6]: "/${'x'.repeat(78)}…" is 301 characters, over the 300 limit; a former URL path is never that long, so check it was copied whole and alone`,
      ),
      refunds(
        17,
        'aliases[7]: "//evil.example/en/articles/1-x" starts with "//", which names another host; write the path on this help center\'s host, starting with one "/"',
      ),
      refunds(
        18,
        'aliases[8]: "https://help.acme.test/en/articles/1-x" is a full URL; write its path only, starting with "/": "/en/articles/1-x"',
      ),
      refunds(
        19,
        'aliases[9]: "/en/articles/r%zzck" contains "%zz", which is not a percent-encoded UTF-8 character; write the character itself or its %XX bytes',
      ),
      refunds(20, 'aliases[10]: "/en//articles/1-x" has an empty segment ("//"); write "/en/articles/1-x"'),
      refunds(
        21,
        'aliases[11]: "/.well-known/1-x" has a segment starting with "." (".well-known"), a hidden name hosts do not serve; remove that segment',
      ),
      refunds(22, `aliases[12]: "/en/articles/1*x" contains "*"; ${allowed}`),
      refunds(23, `aliases[13]: "/en/articles/a%2Fb" contains "/" (percent-encoded); ${allowed}`),
      refunds(
        24,
        'aliases[14]: "en/articles/1-x" contains "/"; ids may hold only letters, digits, ".", "-" and "_", starting with a letter or digit (an id is a URL segment); write "1-x", or the former URL path "/en/articles/1-x"',
      ),
    ]);
  });

  it("refuses Signpost's own paths, as layout.ts names them", async () => {
    example.edit(REFUNDS, (t) =>
      t.replace(
        RELATED,
        RELATED +
          list('aliases', ['/_astro/1-x', '/Pagefind/x', '/robots.txt', '/CNAME/old', '/_private/en/x', '/']),
      ),
    );
    const own = (reserved: string) =>
      `${reserved}, which Signpost's output uses, so it cannot redirect; remove it`;
    expect(await errors()).toEqual([
      refunds(10, `aliases[0]: "/_astro/1-x" is under ${own('/_astro/')}`),
      refunds(11, `aliases[1]: "/Pagefind/x" is under ${own('/pagefind/')}`),
      refunds(12, `aliases[2]: "/robots.txt" is ${own('/robots.txt')}`),
      refunds(13, `aliases[3]: "/CNAME/old" is ${own('/CNAME')}`),
      refunds(14, `aliases[4]: "/_private/en/x" is under ${own('/_private/')}`),
      refunds(15, `aliases[5]: "/" is the site's root, which sends visitors to their language; remove it`),
    ]);
  });

  it("refuses a page's URL and another former URL, naming the other file", async () => {
    example.edit(REFUNDS, (t) =>
      t.replace(
        RELATED,
        RELATED +
          list('aliases', [
            '/en/articles/123456-request-a-refund',
            '/en/articles/refunds/',
            '/de/articles/plans-and-pricing',
            '/en/articles/plans-and-pricing.md',
            '/ja/collections/billing',
            '/de',
            '/en/articles/add-team-members',
            '/EN/Articles/Add-Team-Members',
            '/old/refunds',
            '/old/refunds/',
          ]),
      ),
    );
    // The same path in another translation of the article: two targets for one URL.
    example.edit('help-centers/main/billing/refunds.de.md', (t) =>
      t.replace(
        '\ntitle:',
        '\naliases: [/de/articles/rueckerstattung, /en/articles/123456-request-a-refund]\ntitle:',
      ),
    );
    // A collection's former URL that an article (or a page) already has.
    // account/_collection.yaml ends in its `aliases:` line: the list replaces it there.
    const accountLine = linesOf('help-centers/main/account/_collection.yaml');
    example.edit('help-centers/main/account/_collection.yaml', (t) =>
      t.replace(
        `aliases: [${ACCOUNT_ALIAS}]\n`,
        list('aliases', ['/de/articles/rueckerstattung', '/en/collections/billing', '/old/account']),
      ),
    );
    const refundsDe = 'article "refunds" (billing/refunds.de.md)';
    expect(await errors()).toEqual([
      at(
        'account/_collection.yaml',
        accountLine + 1,
        `aliases[0]: "/de/articles/rueckerstattung" is a former URL of ${refundsDe}; keep it in one file only`,
      ),
      at(
        'account/_collection.yaml',
        accountLine + 2,
        'aliases[1]: "/en/collections/billing" is the en URL of collection "billing" (billing/_collection.yaml), so it cannot redirect here; remove it',
      ),
      refunds(
        10,
        `aliases[0]: "/en/articles/123456-request-a-refund" is a former URL of ${refundsDe}; keep it in one file only`,
      ),
      refunds(11, `aliases[1]: "/en/articles/refunds" is this article's own URL; remove it`),
      refunds(
        12,
        'aliases[2]: "/de/articles/plans-and-pricing" is the URL of article "plans-and-pricing" (billing/plans-and-pricing.de.md), so it cannot redirect here; remove it',
      ),
      refunds(
        13,
        `aliases[3]: "/en/articles/plans-and-pricing.md" is the Markdown copy's URL of article "plans-and-pricing" (billing/plans-and-pricing.en.md), so it cannot redirect here; remove it`,
      ),
      refunds(
        14,
        'aliases[4]: "/ja/collections/billing" is the ja URL of collection "billing" (billing/_collection.yaml), so it cannot redirect here; remove it',
      ),
      refunds(15, 'aliases[5]: "/de" is the de home page, so it cannot redirect here; remove it'),
      refunds(
        16,
        'aliases[6]: "/en/articles/add-team-members" is the URL of former id "add-team-members" of article "invite-teammates" (getting-started/invite-teammates.en.md); keep it in one file only',
      ),
      refunds(
        17,
        'aliases[7]: "/EN/Articles/Add-Team-Members" differs only in case from "/en/articles/add-team-members/", the URL of former id "add-team-members" of article "invite-teammates" (getting-started/invite-teammates.en.md), and hosts that ignore case serve both at one URL; keep it in one file only',
      ),
      // `/old/refunds/` is `/old/refunds`: one URL, listed twice.
      refunds(19, 'aliases[9]: "/old/refunds" is listed twice; remove one'),
    ]);
  });

  it('a path another article lists too is reported while loading, with that article', async () => {
    example.edit('help-centers/main/billing/plans-and-pricing.en.md', (t) =>
      t.replace('\ntitle:', `\naliases: [${SLACK_ALIAS}]\ntitle:`),
    );
    expect(await errors()).toEqual([
      at(
        'integrations/slack-integration.en.md',
        10,
        `aliases: "${SLACK_ALIAS}" is already an alias of "plans-and-pricing"; keep it on one article only`,
      ),
    ]);
  });

  it("checks a collection's former URLs like an article's: paths only", async () => {
    const line = linesOf('help-centers/main/account/_collection.yaml');
    example.edit('help-centers/main/account/_collection.yaml', (t) =>
      t.replace(
        `aliases: [${ACCOUNT_ALIAS}]\n`,
        list('aliases', ['account', '/de/collections/7-account?x=1']),
      ),
    );
    expect(await errors()).toEqual([
      at(
        'account/_collection.yaml',
        line + 1,
        'aliases[0]: "account" is not a path; write the former URL\'s path, starting with "/" (e.g. "/en/collections/45-billing")',
      ),
      at(
        'account/_collection.yaml',
        line + 2,
        'aliases[1]: "/de/collections/7-account?x=1" contains "?", the start of a query, which no redirect can match; write the path alone: "/de/collections/7-account"',
      ),
    ]);
  });
});

describe('the spelling and the language of a former URL', () => {
  it('is one spelling whether percent-encoded or not, without a trailing slash', () => {
    expect(normalizeAliasPath('/de/articles/rück/')).toBe('/de/articles/r%C3%BCck');
    expect(normalizeAliasPath('/de/articles/r%c3%bcck')).toBe('/de/articles/r%C3%BCck');
    // NFD (u + combining diaeresis, as some file systems and editors write it) is the same URL.
    expect(normalizeAliasPath('/de/articles/ru\u0308ck')).toBe('/de/articles/r%C3%BCck');
    expect(normalizeAliasPath('/en/articles/%31%32-refunds')).toBe('/en/articles/12-refunds');
    expect(aliasPathProblem('/zh-CN/articles/123456-退款')).toBeUndefined();
  });

  it("maps Intercom's locale codes to Signpost's languages", () => {
    expect(intercomLocaleToLanguage('zh-CN')).toBe('zh-Hans');
    expect(intercomLocaleToLanguage('zh-TW')).toBe('zh-Hant');
    expect(intercomLocaleToLanguage('pt-BR')).toBe('pt-BR');
    expect(intercomLocaleToLanguage('pt-br')).toBe('pt-BR');
    expect(intercomLocaleToLanguage('de')).toBe('de');
  });

  it("leads a collection's former URL to the language its path starts with, else the default", () => {
    const languages = ['en', 'de', 'zh-Hans', 'pt-BR'];
    expect(formerUrlLanguage('/de/collections/45-billing', languages, 'en')).toBe('de');
    expect(formerUrlLanguage('/DE/collections/45-billing', languages, 'en')).toBe('de');
    expect(formerUrlLanguage('/zh-CN/collections/45-billing', languages, 'en')).toBe('zh-Hans');
    expect(formerUrlLanguage('/pt-BR/collections/45-billing', languages, 'en')).toBe('pt-BR');
    expect(formerUrlLanguage('/fr/collections/45-billing', languages, 'de')).toBe('de');
    expect(formerUrlLanguage('/lovelyhelpcenter/old-page', languages, 'en')).toBe('en');
  });

  it("knows Signpost's own paths", () => {
    expect(isReservedPath('/_gate/acme.json')).toBe(true);
    expect(isReservedPath('/pagefind-admins/x')).toBe(true);
    expect(reservedPathOwner('/Sitemap.XML')).toBe('/sitemap.xml');
    expect(isReservedPath('/en/articles/refunds')).toBe(false);
    expect(isReservedPath('/pagefinder/x')).toBe(false);
  });
});

describe('the example build: former ids, article paths and collection paths', () => {
  const dist = inject('exampleDist');

  it('writes a _redirects line and a redirect page for each', () => {
    const redirects = read(dist, 'acme/_redirects').split('\n');
    expect(redirects).toEqual(
      expect.arrayContaining([
        '/en/articles/add-team-members/ /en/articles/invite-teammates/ 301',
        `${SLACK_ALIAS} /en/articles/slack-integration/ 301`,
        `${SLACK_ALIAS}/ /en/articles/slack-integration/ 301`,
        `${ACCOUNT_ALIAS} /de/collections/account/ 301`,
        `${ACCOUNT_ALIAS}/ /de/collections/account/ 301`,
      ]),
    );
    for (const [file, to] of [
      ['acme/en/articles/add-team-members/index.html', '/en/articles/invite-teammates/'],
      [`acme${SLACK_ALIAS}/index.html`, '/en/articles/slack-integration/'],
      [`acme${ACCOUNT_ALIAS}/index.html`, '/de/collections/account/'],
    ] as const) {
      const html = read(dist, file);
      expect(html, file).toContain(`<meta http-equiv="refresh" content="0; url=${to}">`);
      expect(html, file).toContain(`<link rel="canonical" href="https://help.acme.test${to}">`);
      expect(html, file).toMatch(/<meta name="robots" content="noindex/);
    }
    expect(read(dist, 'acme/sitemap.xml')).not.toContain('4821937-connect-slack');
  });
});

describe('a build with former URLs of every kind', () => {
  let example: ExampleCopy;
  let out: string;
  let gate: Served;
  const SECRET_ALIAS = '777-sso-secret-setup';

  beforeAll(async () => {
    example = copyExample();
    out = path.join(example.root, 'dist');
    example.edit('help-centers/main/billing/refunds.de.md', (t) =>
      t.replace('\ntitle:', '\naliases: [/de/articles/rückerstattung]\ntitle:'),
    );
    example.edit(
      'help-centers/main/billing/_collection.yaml',
      (t) =>
        `${t}aliases: [/de/collections/45-billing, /lovelyhelpcenter/old-billing, /ZH-cn/collections/45-billing]\n`,
    );
    example.edit(
      'help-centers/main/integrations/legacy/_collection.yaml',
      (t) => `${t}aliases: [/de/collections/3-legacy]\n`,
    );
    example.edit('help-centers/main/account/enterprise-sso-setup.en.md', (t) =>
      t.replace('\ntitle:', `\naliases: [/en/articles/${SECRET_ALIAS}, old-sso-secret]\ntitle:`),
    );
    execFileSync(
      path.join(PROJECT, 'node_modules/.bin/node'),
      ['src/cli/main.ts', 'build', '--content', example.content, '--out', out],
      { cwd: PROJECT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const manifests = fs
      .readdirSync(dirs.gate(out))
      .map((name) => path.basename(name, '.json'))
      .map((brand) => parseManifest(read(out, gateManifestFile(brand)), brand, brand));
    const secrets = Object.fromEntries(
      manifests.flatMap((m) => (m.privacy?.jwt.secretEnv ? [[m.privacy.jwt.secretEnv, JWT.secret]] : [])),
    );
    gate = await startServe(['--dist', out], secrets);
  });
  afterAll(async () => {
    await gate?.stop();
    example?.remove();
  });

  it('spells a non-ASCII path as browsers send it, and writes its page under the decoded name', () => {
    expect(read(out, 'acme/_redirects')).toContain(
      '/de/articles/r%C3%BCckerstattung /de/articles/refunds/ 301\n',
    );
    expect(read(out, 'acme/de/articles/rückerstattung/index.html')).toContain('url=/de/articles/refunds/');
  });

  it("leads a collection's former URL to the language it starts with, else the brand's default", () => {
    const acme = read(out, 'acme/_redirects');
    const acmeEu = read(out, 'acme-eu/_redirects');
    // acme publishes de; acme-eu too.
    expect(acme).toContain('/de/collections/45-billing /de/collections/billing/ 301\n');
    expect(acmeEu).toContain('/de/collections/45-billing /de/collections/billing/ 301\n');
    // No language segment: the default (acme: en, acme-eu: de); zh-CN is zh-Hans, which neither publishes.
    expect(acme).toContain('/lovelyhelpcenter/old-billing /en/collections/billing/ 301\n');
    expect(acmeEu).toContain('/lovelyhelpcenter/old-billing /de/collections/billing/ 301\n');
    expect(acme).toContain('/ZH-cn/collections/45-billing /en/collections/billing/ 301\n');
    // legacy has no de page (nothing listed in de): the default language's page instead.
    expect(acme).toContain('/de/collections/3-legacy /en/collections/integrations/legacy/ 301\n');
    expect(read(out, 'acme/lovelyhelpcenter/old-billing/index.html')).toContain(
      '<link rel="canonical" href="https://help.acme.test/en/collections/billing/">',
    );
  });

  it("leaves a private article's former URLs out of the public tree", () => {
    for (const brand of ['acme', 'acme-eu', 'globex']) {
      const files = filesUnder(path.join(out, brand));
      expect(files.length).toBeGreaterThan(10);
      for (const file of files) {
        expect(file).not.toMatch(/777-sso-secret-setup|old-sso-secret/);
        if (/\.(html|xml|txt|md|json|js|css)$|_redirects$/.test(file)) {
          const text = read(out, `${brand}/${file}`);
          expect(text.includes(SECRET_ALIAS), `${brand}/${file}`).toBe(false);
          expect(text.includes('old-sso-secret'), `${brand}/${file}`).toBe(false);
        }
      }
    }
  });

  /** Follows the gate's redirects and the pages' meta refresh, as a browser would. */
  async function visit(url: string, host = 'help.acme.test'): Promise<{ hops: string[]; last: Answer }> {
    const hops = [url];
    for (;;) {
      const answer = await request(gate.port, hops.at(-1)!, { headers: { host } });
      const next =
        answer.status === 301 || answer.status === 302
          ? answer.headers.location
          : /<meta http-equiv="refresh" content="0; url=([^"]+)">/.exec(answer.text)?.[1];
      if (!next || hops.length > 5) return { hops, last: answer };
      hops.push(next);
    }
  }

  it('the gate answers each former URL, slash or not, with the new page', async () => {
    const slack = await visit(SLACK_ALIAS);
    expect(slack.hops).toEqual([SLACK_ALIAS, `${SLACK_ALIAS}/`, '/en/articles/slack-integration/']);
    expect(slack.last.status).toBe(200);
    expect(slack.last.text).toMatch(/<h1[^>]*>Connect Acme to Slack<\/h1>/);

    const rueck = await visit('/de/articles/r%C3%BCckerstattung');
    expect([rueck.hops.at(-1), rueck.last.status]).toEqual(['/de/articles/refunds/', 200]);
    const billing = await visit('/lovelyhelpcenter/old-billing/');
    expect([billing.hops.at(-1), billing.last.status]).toEqual(['/en/collections/billing/', 200]);
    const billingEu = await visit('/lovelyhelpcenter/old-billing', 'acme-eu.help.example.com');
    expect([billingEu.hops.at(-1), billingEu.last.status]).toEqual(['/de/collections/billing/', 200]);
  });

  it("the gate knows no private article's former URL", async () => {
    const secret = await visit(`/en/articles/${SECRET_ALIAS}`);
    expect([secret.hops, secret.last.status]).toEqual([[`/en/articles/${SECRET_ALIAS}`], 404]);
    expect((await visit('/en/articles/old-sso-secret/')).last.status).toBe(404);
  });
});
