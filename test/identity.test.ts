import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../src/content/load.ts';
import { PROJECT, copyExample, type ExampleCopy } from './helpers/example.ts';

/**
 * Brand identity in a real build of the example: `acme` sets `styling` in its brand file, `acme-eu`
 * has no icon or favicon of its own (so it gets the neutral default) and no social image, `globex`
 * keeps its dark theme untouched and has an SVG favicon.
 */
const STYLING = `styling:
  background: '#fffdf7'
  action: '#8a1c1c'
  headerBackground: '#1d3557'
  cornerRadius: 3
  fonts:
    heading: Georgia, serif
`;

let copy: ExampleCopy;
let dist: string;

beforeAll(() => {
  copy = copyExample();
  copy.edit('brands/acme.yaml', (t) => t.replace(/^theme: default$/m, `theme: default\n${STYLING}`));
  copy.edit('brands/acme-eu.yaml', (t) => t.replace(/^icon: .*\n/m, '').replace(/^favicon: .*\n/m, ''));
  // An SVG favicon is published only as the PNGs drawn from it.
  copy.write(
    'brands/assets/globex-mark.svg',
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><rect width="16" height="16" fill="#e63946"/></svg>',
  );
  copy.edit('brands/globex.yaml', (t) => t.replace(/^favicon: .*$/m, 'favicon: ./assets/globex-mark.svg'));
  dist = path.join(copy.root, 'dist');
  execFileSync(
    path.join(PROJECT, 'node_modules/.bin/node'),
    ['src/cli/main.ts', 'build', '--content', copy.content, '--out', dist],
    { cwd: PROJECT, stdio: 'pipe' },
  );
}, 120_000);

afterAll(() => copy?.remove());

const home = (brand: string) => fs.readFileSync(path.join(dist, brand, 'en/index.html'), 'utf8');
const file = (brand: string, url: string) => path.join(dist, brand, url);
const attr = (html: string, selector: RegExp) => html.match(selector)?.[1];

describe.each(['acme', 'acme-eu', 'globex'])('favicon set of %s', (brand) => {
  it('links the favicons and the manifest from its pages', () => {
    const html = home(brand);
    expect(html).toContain('<link rel="icon" href="/favicon.ico" sizes="32x32">');
    expect(attr(html, /<link rel="icon" href="([^"]+)" type="image\/png">/)).toBe('/_brand/favicon-32.png');
    expect(attr(html, /<link rel="apple-touch-icon" href="([^"]+)">/)).toBe('/_brand/apple-touch-icon.png');
    expect(attr(html, /<link rel="manifest" href="([^"]+)">/)).toBe('/manifest.webmanifest');
  });

  it('publishes each at its size, and favicon.ico as an ICO holding a 32 px PNG', async () => {
    for (const [url, size] of [
      ['_brand/favicon-32.png', 32],
      ['_brand/apple-touch-icon.png', 180],
      ['_brand/icon-192.png', 192],
      ['_brand/icon-512.png', 512],
    ] as const) {
      const meta = await sharp(file(brand, url)).metadata();
      expect([url, meta.format, meta.width, meta.height]).toEqual([url, 'png', size, size]);
    }
    const ico = fs.readFileSync(file(brand, 'favicon.ico'));
    expect([...ico.subarray(0, 8)]).toEqual([0, 0, 1, 0, 1, 0, 32, 32]);
    expect(ico.readUInt32LE(18)).toBe(22);
    expect((await sharp(ico.subarray(22)).metadata()).width).toBe(32);
    // Apple's touch icon is opaque: iOS would fill transparency with black.
    expect((await sharp(file(brand, '_brand/apple-touch-icon.png')).stats()).isOpaque).toBe(true);
  });
});

describe('favicon sources', () => {
  const pixel = async (file: string, at: number) =>
    [...(await sharp(file).extract({ left: at, top: at, width: 1, height: 1 }).raw().toBuffer())].slice(0, 3);

  it('draws an SVG favicon into every size, and never publishes the SVG', async () => {
    expect(await pixel(file('globex', '_brand/icon-512.png'), 256)).toEqual([0xe6, 0x39, 0x46]);
    expect(await pixel(file('globex', '_brand/favicon-32.png'), 16)).toEqual([0xe6, 0x39, 0x46]);
    const published = fs.readdirSync(path.join(dist, 'globex'), { recursive: true }).map(String);
    expect(published.filter((name) => name.endsWith('.svg'))).toEqual([]);
  });

  it('gives a brand without icon or favicon the neutral default, not the Acme one', async () => {
    const [own, fallback] = await Promise.all([
      sharp(file('acme', '_brand/icon-192.png')).raw().toBuffer(),
      sharp(file('acme-eu', '_brand/icon-192.png')).raw().toBuffer(),
    ]);
    expect(fallback.equals(own)).toBe(false);
    // The default is a grey (#57606a) rounded square: its top edge, clear of the question mark.
    const top = await sharp(file('acme-eu', '_brand/icon-192.png'))
      .extract({ left: 96, top: 10, width: 1, height: 1 })
      .raw()
      .toBuffer();
    expect([...top]).toEqual([0x57, 0x60, 0x6a, 0xff]);
  });
});

describe('web manifest', () => {
  const manifest = (brand: string) =>
    JSON.parse(fs.readFileSync(file(brand, 'manifest.webmanifest'), 'utf8')) as Record<string, unknown>;

  it("carries the brand's resolved colours: header as theme_color, page as background_color", () => {
    expect(manifest('acme')).toMatchObject({
      name: 'Acme',
      theme_color: '#1d3557',
      background_color: '#fffdf7',
    });
    expect(manifest('globex')).toMatchObject({ theme_color: '#161b22', background_color: '#0d1117' });
    expect(manifest('acme-eu')).toMatchObject({ theme_color: '#0a59c9', background_color: '#ffffff' });
    expect(manifest('acme').icons).toEqual([
      { src: '/_brand/icon-192.png', sizes: '192x192', type: 'image/png' },
      { src: '/_brand/icon-512.png', sizes: '512x512', type: 'image/png' },
    ]);
  });

  it('fills the apple touch icon with the page background', async () => {
    // The Acme favicon does not fill its square: the corners show the styled #fffdf7.
    const corner = await sharp(file('acme', '_brand/apple-touch-icon.png'))
      .extract({ left: 0, top: 0, width: 1, height: 1 })
      .raw()
      .toBuffer();
    expect([...corner.subarray(0, 3)]).toEqual([0xff, 0xfd, 0xf7]);
  });
});

describe('social image', () => {
  it('is og:image and twitter:image with its size where the brand has one', () => {
    const html = home('globex');
    expect(attr(html, /<meta property="og:image" content="([^"]+)">/)).toMatch(/\/_brand\/social\.png$/);
    expect(attr(html, /<meta name="twitter:image" content="([^"]+)">/)).toMatch(/\/_brand\/social\.png$/);
    expect(attr(html, /<meta property="og:image:width" content="([^"]+)">/)).toMatch(/^\d+$/);
    expect(attr(html, /<meta property="og:image:height" content="([^"]+)">/)).toMatch(/^\d+$/);
  });

  it('has the size sharp reads from the published file', async () => {
    const html = home('acme');
    const meta = await sharp(file('acme', '_brand/social.png')).metadata();
    expect(attr(html, /<meta property="og:image:width" content="([^"]+)">/)).toBe(String(meta.width));
    expect(attr(html, /<meta property="og:image:height" content="([^"]+)">/)).toBe(String(meta.height));
  });

  it('is absent where the brand has none', () => {
    const html = home('acme-eu');
    expect(html).not.toContain('og:image');
    expect(html).not.toContain('twitter:image');
  });
});

describe('styling in the brand file', () => {
  const tokens = (brand: string) => home(brand).match(/:root\{color-scheme:[^}]*\}/)?.[0] ?? '';

  it("overrides the theme's tokens for that brand", () => {
    const css = tokens('acme');
    expect(css).toContain('--sp-bg:#fffdf7');
    expect(css).toContain('--sp-action:#8a1c1c');
    expect(css).toContain('--sp-header-bg:#1d3557');
    expect(css).toContain('--sp-radius:3px');
    expect(css).toContain('--sp-font-heading:Georgia, serif');
  });

  it('leaves another brand of the same theme as the theme says', () => {
    const css = tokens('acme-eu');
    expect(css).toContain('--sp-bg:#ffffff');
    expect(css).toContain('--sp-action:#0a59c9');
    expect(css).toContain('--sp-radius:8px');
  });

  it('warns on a colour pair below WCAG AA, naming both colours and the ratio', async () => {
    const low = copyExample();
    try {
      low.edit('brands/globex.yaml', (t) =>
        t.replace(/^theme: dark$/m, "theme: dark\nstyling:\n  action: '#1a1f26'\n"),
      );
      const { problems } = await loadContent(low.content);
      const contrast = problems.warnings.filter((p) => p.kind === 'contrast');
      expect(contrast.map((p) => [path.basename(p.file), p.message])).toEqual([
        [
          'globex.yaml',
          expect.stringMatching(
            /^styling\.action #1a1f26 on theme dark colors\.background #0d1117 has contrast 1\.\d\d:1, below WCAG AA 4\.5:1/,
          ),
        ],
        [
          'globex.yaml',
          'theme dark colors.actionText #0d1117 on styling.action #1a1f26 has contrast 1.14:1, below WCAG AA 4.5:1; darken or lighten one of them',
        ],
      ]);
      expect(contrast.map((p) => p.line)).toEqual([6, 5]);
    } finally {
      low.remove();
    }
  });
});
