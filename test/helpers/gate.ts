import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import { gateManifestFile, treeFile } from '../../src/routing/layout.ts';
import type { GateManifest } from '../../src/gate/manifest.ts';
import { runCli } from './cli.ts';
import { PROJECT } from './example.ts';

/** Text planted in files a visitor must never receive; a test fails if any answer contains one. */
export const MARKERS = {
  sso: 'SECRET-SSO-ARTICLE-TEXT',
  admin: 'SECRET-ADMIN-ARTICLE-TEXT',
  privateIndex: 'PRIVATE-INDEX-MARKER',
  adminIndex: 'ADMIN-INDEX-MARKER',
  exported: 'EXPORT-FEED-MARKER',
  manifest: 'GATE-MANIFEST-MARKER',
  outside: 'OUTSIDE-DIST-MARKER',
} as const;

export const JWT = {
  secret: 'a-shared-secret-of-at-least-thirty-two-bytes!',
  issuer: 'https://app.acme.test',
  audience: 'help.acme.test',
};
export const SCRIPT_HASH = 'sha256-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/abcde=';

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><title>${title}</title></head><body><h1>${title}</h1><p>${body}</p></body></html>`;

/** Two brands: acme (sign-in, private pages for everyone and for admins) and globex (public, GA4). */
export function writeFixtureDist(): { root: string; dist: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-gate-'));
  const dist = path.join(root, 'dist');
  const write = (file: string, data: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(dist, file)), { recursive: true });
    fs.writeFileSync(path.join(dist, file), data);
  };
  const pub = (url: string, data: string | Buffer, brand = 'acme') =>
    write(treeFile(brand, false, url), data);
  const priv = (url: string, data: string | Buffer) => write(treeFile('acme', true, url), data);

  const long = 'Refunds take five working days. '.repeat(100);
  pub('/', page('Acme help', 'Choose your language'));
  pub('/en/', page('Acme help', 'Welcome'));
  pub('/en/articles/refunds/', page('Refunds', long));
  pub('/en/articles/refunds.md', `# Refunds\n\n${long}\n`);
  pub('/en/collections/billing/', page('Billing', 'Billing articles'));
  pub('/en/articles/sso/', page('Sign in to read this article', 'This article is for signed-in customers.'));
  pub(
    '/en/articles/admin-keys/',
    page('Sign in to read this article', 'This article is for signed-in customers.'),
  );
  pub('/404.html', page('Page not found', 'ACME-404-PAGE'));
  pub('/_astro/app.Ab12Cd.css', `body{color:red}${' '.repeat(2000)}`);
  pub('/_astro/client.Ef34Gh.js', `console.log(1);${' '.repeat(2000)}`);
  pub('/pagefind/pagefind-entry.json', '{"version":"1.4.0","languages":{}}');
  pub('/pagefind/fragment/en_1a2b3c.pf_fragment', Buffer.from([0x1f, 0x8b, 1, 2, 3]));
  pub('/pagefind/wasm.en.pagefind', Buffer.from([0, 0x61, 0x73, 0x6d]));
  pub('/sitemap.xml', '<?xml version="1.0"?><urlset></urlset>');
  pub('/robots.txt', 'User-agent: *\n');
  pub('/_brand/logo.svg', '<svg xmlns="http://www.w3.org/2000/svg"></svg>');
  for (const ext of ['png', 'jpg', 'webp', 'avif', 'woff2', 'wasm'])
    pub(`/_brand/sample.${ext}`, Buffer.from([1, 2, 3, 4]));
  pub('/ranged.txt', '0123456789');

  priv('/en/articles/sso/', page('Single sign-on', MARKERS.sso));
  priv('/en/articles/admin-keys/', page('Admin API keys', MARKERS.admin));
  priv('/de/articles/admin-keys/', page('Admin-API-Schlüssel', MARKERS.admin));
  priv('/en/not-available/', page('Not available for your account', 'Ask your administrator.'));
  priv('/de/not-available/', page('Für Ihr Konto nicht verfügbar', 'Fragen Sie Ihren Administrator.'));
  priv('/_astro/secret.Zz99.webp', Buffer.from(MARKERS.sso));
  priv('/pagefind/pagefind-entry.json', `{"marker":"${MARKERS.privateIndex}"}`);
  priv('/pagefind-admins/pagefind-entry.json', `{"marker":"${MARKERS.adminIndex}"}`);
  write('_export/acme/knowledge.json', `{"marker":"${MARKERS.exported}"}`);
  fs.writeFileSync(path.join(root, 'outside.txt'), MARKERS.outside);

  pub('/', page('Globex help', 'Globex'), 'globex');
  pub('/404.html', page('Not found', 'GLOBEX-404-PAGE'), 'globex');

  const acme: GateManifest & { marker: string } = {
    version: 1,
    brand: 'acme',
    domain: 'help.acme.test',
    defaultLanguage: 'en',
    languages: ['en', 'de'],
    private: {
      '/en/articles/sso/': { audiences: [] },
      '/en/articles/admin-keys/': { audiences: ['admins'] },
      '/de/articles/admin-keys/': { audiences: ['admins'] },
    },
    audiences: { admins: { rules: [{ attribute: 'role', operator: 'eq', value: 'admin' }] } },
    searchIndexes: [
      { url: '/_private/pagefind/', dir: 'pagefind', audiences: [] },
      { url: '/_private/pagefind-admins/', dir: 'pagefind-admins', audiences: ['admins'] },
    ],
    notAvailable: { en: '/en/not-available/', de: '/de/not-available/' },
    privacy: {
      loginUrl: 'https://app.acme.test/login?next={returnTo}',
      jwt: { secretEnv: 'ACME_JWT_SECRET', issuer: JWT.issuer, audience: JWT.audience },
      session: { maxAge: 3600 },
    },
    csp: { scriptHashes: [SCRIPT_HASH], ga4: false },
    marker: MARKERS.manifest,
  };
  const globex: GateManifest = {
    ...acme,
    brand: 'globex',
    domain: 'help.globex.test',
    languages: ['en'],
    private: {},
    audiences: {},
    searchIndexes: [],
    notAvailable: {},
    privacy: null,
    csp: { scriptHashes: [], ga4: true, ga4Id: 'G-TEST' },
  };
  write(gateManifestFile('acme'), JSON.stringify(acme));
  write(gateManifestFile('globex'), JSON.stringify(globex));
  return { root, dist };
}

/** A running `signpost serve` child process. */
export interface Served {
  origin: string;
  port: number;
  stdout: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

const NODE = path.join(PROJECT, 'node_modules/.bin/node');

/** Runs `signpost serve` until it prints its brands; rejects with its output if it exits first. */
export function startServe(args: string[], env: Record<string, string | undefined>): Promise<Served> {
  const child = spawn(NODE, ['src/cli/main.ts', 'serve', '--port', '0', ...args], {
    cwd: PROJECT,
    env: { PATH: process.env.PATH, ...env },
  });
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      // serve prints its notices and brand lines in one write, once it listens.
      const port = /serving brand .* at http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout)?.[1];
      if (port && stdout.endsWith('\n'))
        resolve({
          origin: `http://127.0.0.1:${port}`,
          port: Number(port),
          get stdout() {
            return stdout;
          },
          child,
          stop: () =>
            new Promise((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}:\n${stdout}${stderr}`)));
  });
}

/** Runs `signpost serve` expecting it to refuse to start: its exit code and output. */
export function serveFails(args: string[], env: Record<string, string | undefined>) {
  return runCli(['serve', '--port', '0', ...args], env, 15_000);
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

/**
 * One raw HTTP request: the path goes on the wire exactly as given (fetch would resolve `..`
 * before sending, which is the opposite of what a traversal test needs).
 */
export function request(
  port: number,
  rawPath: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: rawPath,
        method: options.method ?? 'GET',
        headers: { host: 'help.acme.test', ...options.headers },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A token as the customer's app would sign it. */
export function token(claims: Record<string, unknown>, sub = 'user-42'): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuer(JWT.issuer)
    .setAudience(JWT.audience)
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(JWT.secret));
}

/** Signs in through `/_auth/callback` with a form POST; returns the `Cookie` header to send. */
export async function signIn(port: number, claims: Record<string, unknown>, returnTo: string) {
  const form = new URLSearchParams({ token: await token(claims), returnTo }).toString();
  const answer = await request(port, '/_auth/callback', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(form.length) },
    body: form,
  });
  const cookies = (answer.headers['set-cookie'] ?? []).map((cookie) => cookie.split(';')[0]).join('; ');
  return { answer, cookie: cookies };
}
