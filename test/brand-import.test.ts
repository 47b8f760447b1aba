import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { replaceCommentBlock, setScalars } from '../src/brand-import/yaml-edit.ts';
import { runCli } from './helpers/cli.ts';
import { copyExample, type ExampleCopy } from './helpers/example.ts';

// `brand import` against a homepage served on loopback: real PNG/JPEG files made with sharp, plus
// the things a real site gets wrong (a 404 icon, an "icon" that is an HTML page).
const png = (size: number, width = size) =>
  sharp({ create: { width, height: size, channels: 3, background: '#0847a0' } })
    .png()
    .toBuffer();

const HOME = `<!doctype html><html><head>
<title>Acme — Home</title>
<meta property="og:site_name" content="Acme Corp">
<meta name="theme-color" content="#0847A0">
<link rel="icon" href="/favicon-32.png" sizes="32x32">
<link rel="icon" href="/missing.png" sizes="512x512">
<link rel="icon" href="/fake-icon.png" sizes="256x256">
<link rel="apple-touch-icon" href="/apple-touch-icon.png">
<link rel="manifest" href="/site.webmanifest">
<meta property="og:image" content="/og/social.png">
</head><body><h1>Acme</h1></body></html>`;

let server: http.Server;
let origin: string;
let files: Record<string, { type: string; body: Buffer | string }>;
beforeAll(async () => {
  files = {
    '/': { type: 'text/html', body: HOME },
    '/huge': { type: 'text/html', body: `<title>x</title>${' '.repeat(3 * 1024 * 1024)}` },
    '/favicon-32.png': { type: 'image/png', body: await png(32) },
    '/apple-touch-icon.png': { type: 'image/png', body: await png(180) },
    '/icon-192.png': { type: 'image/png', body: await png(192) },
    '/fake-icon.png': { type: 'image/png', body: '<!doctype html><p>Not found, but 200</p>' },
    // Named .png, really a JPEG: the saved file gets the detected format's extension.
    '/og/social.png': {
      type: 'image/png',
      body: await sharp({ create: { width: 1200, height: 628, channels: 3, background: '#fff' } })
        .jpeg()
        .toBuffer(),
    },
    '/site.webmanifest': {
      type: 'application/manifest+json',
      body: JSON.stringify({
        theme_color: '#123456',
        background_color: '#F5F5F5',
        icons: [{ src: '/icon-192.png', sizes: '192x192', type: 'image/png' }],
      }),
    },
  };
  server = http.createServer((req, res) => {
    if (req.url === '/to-file') return res.writeHead(302, { location: 'file:///etc/passwd' }).end();
    if (req.url === '/elsewhere') return res.writeHead(302, { location: 'http://example.invalid/' }).end();
    const file = files[req.url ?? ''];
    if (!file) return res.writeHead(404).end('not found');
    return res.writeHead(200, { 'content-type': file.type }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

let copy: ExampleCopy;
beforeEach(() => {
  copy = copyExample();
});
afterEach(() => copy.remove());

const importBrand = async (brand: string, url = `${origin}/`, content = copy.content) => {
  const result = await runCli(['brand', 'import', url, '--brand', brand, '--content', content]);
  const site = (text: string) => text.replaceAll(origin, 'http://site');
  return { ...result, stdout: site(result.stdout), stderr: site(result.stderr) };
};

describe('brand import', () => {
  it('saves the best icon and the social image, and writes the colours, keeping the brand file', async () => {
    const before = fs.readFileSync(copy.file('brands/acme.yaml'), 'utf8');
    const { code, stdout, stderr } = await importBrand('acme');
    expect(stderr).toBe('');
    expect(stdout).toMatchInlineSnapshot(`
      "skipped: http://site/missing.png (icon): 404 Not Found
      skipped: http://site/fake-icon.png (icon): not an image (sharp cannot read it)
      icon: http://site/icon-192.png (192×192 PNG) → brands/assets/acme-icon.png
      socialImage: http://site/og/social.png (1200×628 JPEG) → brands/assets/acme-social.jpg
      colours: styling.headerBackground #0847a0, styling.action #0847a0, styling.background #f5f5f5 → brands/acme.yaml
      updated: brands/acme.yaml
      "
    `);
    expect(code).toBe(0);

    const icon = await sharp(copy.file('brands/assets/acme-icon.png')).metadata();
    expect([icon.format, icon.width, icon.height]).toEqual(['png', 192, 192]);
    const social = await sharp(copy.file('brands/assets/acme-social.jpg')).metadata();
    expect([social.format, social.width, social.height]).toEqual(['jpeg', 1200, 628]);

    // Only socialImage changed (icon already had this path); every comment and key kept in place.
    const after = fs.readFileSync(copy.file('brands/acme.yaml'), 'utf8');
    const expected = before.replace(
      'socialImage: ./assets/acme-social.png',
      'socialImage: ./assets/acme-social.jpg',
    );
    expect(after.startsWith(expected)).toBe(true);
    expect(after.slice(expected.length)).toMatchInlineSnapshot(`
      "styling:
        headerBackground: "#0847a0"
        action: "#0847a0"
        background: "#f5f5f5"
      "
    `);

    // Importing again finds the same things: the file does not change (no keys appended twice).
    await importBrand('acme');
    expect(fs.readFileSync(copy.file('brands/acme.yaml'), 'utf8')).toBe(after);

    const check = await runCli(['check', '--content', copy.content]);
    expect(check.stdout + check.stderr).not.toMatch(/error:/);
    expect(check.code).toBe(0);
  });

  it('creates a brand file for a new brand, with a TODO when the help center is ambiguous', async () => {
    const { code, stdout } = await importBrand('initech');
    expect(code).toBe(0);
    expect(stdout.split('\n').slice(-3)).toMatchInlineSnapshot(`
      [
        "created: brands/initech.yaml (name "Acme Corp")",
        "todo: brands/initech.yaml: set helpCenter to one of globex, main",
        "",
      ]
    `);
    expect(fs.readFileSync(copy.file('brands/initech.yaml'), 'utf8')).toMatchInlineSnapshot(`
      "# TODO (brand import): set helpCenter to one of globex, main.
      # Acme Corp: created by \`signpost brand import\`; the README lists every key.
      name: "Acme Corp"
      icon: ./assets/initech-icon.png
      socialImage: ./assets/initech-social.jpg
      styling:
        headerBackground: "#0847a0"
        action: "#0847a0"
        background: "#f5f5f5"
      "
    `);
    const check = await runCli(['check', '--content', copy.content]);
    const errors = (check.stdout + check.stderr).split('\n').filter((l) => l.startsWith('error:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('initech.yaml');
    expect(errors[0]).toContain('helpCenter');
  });

  it('picks the only help center for a new brand file', async () => {
    const content = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-brand-'));
    try {
      fs.mkdirSync(path.join(content, 'help-centers/main'), { recursive: true });
      expect((await importBrand('initech', `${origin}/`, content)).code).toBe(0);
      expect(fs.readFileSync(path.join(content, 'brands/initech.yaml'), 'utf8')).toContain(
        'helpCenter: main\n',
      );
    } finally {
      fs.rmSync(content, { recursive: true, force: true });
    }
  });

  it('exits 1 with one line when the page cannot be read: 404, non-http or cross-site redirect, over 2 MB', async () => {
    const before = fs.readFileSync(copy.file('brands/acme.yaml'), 'utf8');
    const results = [];
    for (const page of ['/nope', '/to-file', '/elsewhere', '/huge']) {
      const { code, stdout, stderr } = await importBrand('acme', `${origin}${page}`);
      results.push({ code, stdout, stderr });
    }
    expect(results).toMatchInlineSnapshot(`
      [
        {
          "code": 1,
          "stderr": "signpost brand import: http://site/nope: 404 Not Found
      ",
          "stdout": "",
        },
        {
          "code": 1,
          "stderr": "signpost brand import: http://site/to-file: redirect to file:///etc/passwd refused (not http or https)
      ",
          "stdout": "",
        },
        {
          "code": 1,
          "stderr": "signpost brand import: http://site/elsewhere: redirect to http://example.invalid/ refused (another site)
      ",
          "stdout": "",
        },
        {
          "code": 1,
          "stderr": "signpost brand import: http://site/huge: larger than 2 MB
      ",
          "stdout": "",
        },
      ]
    `);
    expect(fs.readFileSync(copy.file('brands/acme.yaml'), 'utf8')).toBe(before);
  });

  it('exits 2 for a wrong command line', async () => {
    for (const args of [
      ['brand', 'import', 'ftp://acme.test/'],
      ['brand', 'import', `${origin}/`],
      ['brand', 'import', `${origin}/`, '--brand', '../evil'],
      ['brand', 'export'],
    ]) {
      const { code, stderr } = await runCli(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });

  it('edits YAML in place: values replaced, keys added to an existing map, its own comment replaced', () => {
    const text = `name: Acme # shown in the header
styling:
  action: "#000000" # brand red, from the style guide
  cornerRadius: 4
languages: [en, de]
`;
    const edited = setScalars(text, [
      [['styling', 'action'], '#b4231f'],
      [['styling', 'headerBackground'], '#0847a0'],
      [['icon'], './assets/acme-icon.png'],
    ]);
    expect(edited).toMatchInlineSnapshot(`
      "name: Acme # shown in the header
      styling:
        action: "#b4231f" # brand red, from the style guide
        cornerRadius: 4
        headerBackground: "#0847a0"
      languages: [en, de]
      icon: ./assets/acme-icon.png
      "
    `);
    const once = replaceCommentBlock(edited, 'brand import:', [
      'brand import: colours',
      '  theme-color #fff',
    ]);
    const twice = replaceCommentBlock(once, 'brand import:', ['brand import: colours', '  theme-color #000']);
    expect(twice).toBe(once.replace('#fff', '#000'));
    expect(replaceCommentBlock(twice, 'brand import:', [])).toBe(edited);
  });
});
