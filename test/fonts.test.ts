import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  FontParses,
  loadFont,
  makeSubset,
  rangesOf,
  subsetName,
  subsetPoints,
  type CheckedFont,
} from '../src/content/fonts.ts';
import { useBrowserOn } from './helpers/browser.ts';
import { filesUnder, read } from './helpers/dist.ts';
import { PROJECT, copyExample, errorLines, type ExampleCopy } from './helpers/example.ts';

/**
 * Theme fonts kept in the repository: the example's `dark` theme (Globex, in English and Japanese)
 * sets Open Sans, regular and bold; `default` (Acme) uses system fonts only.
 */
const dist = inject('exampleDist');
const REGULAR = path.join(PROJECT, 'themes/fonts/open-sans-regular.woff2');
const BOLD = path.join(PROJECT, 'themes/fonts/open-sans-700.woff2');

interface Face {
  family: string;
  url: string;
  weight: string;
  display: string;
  unicodeRange: string;
}

function faces(html: string): Face[] {
  return [...html.matchAll(/@font-face\{([^}]*)\}/g)].map(([, body = '']) => {
    const get = (name: string) => new RegExp(`${name}:([^;]*)`).exec(body)?.[1] ?? '';
    return {
      family: get('font-family'),
      url: /src:url\(([^)]*)\) format\("woff2"\)/.exec(body)?.[1] ?? '',
      weight: get('font-weight'),
      display: get('font-display'),
      unicodeRange: get('unicode-range'),
    };
  });
}

const preloads = (html: string) =>
  [...html.matchAll(/<link rel="preload" as="font" type="font\/woff2" href="([^"]+)" crossorigin>/g)].map(
    (m) => m[1]!,
  );

/** Characters a page shows a reader: its text without markup, scripts and styles. */
function visibleText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z#0-9]+;/gi, ' ');
}

describe('a theme with font files (Globex)', () => {
  const home = () => read(dist, 'globex/en/index.html');

  it('declares each subset with font-display: swap and its unicode-range, and sets the family first', () => {
    const html = home();
    const list = faces(html);
    // Regular and bold, each in `latin`, `latin-ext` and the few symbols outside those (`rest`).
    expect(list.length).toBe(6);
    for (const face of list) {
      expect(face.family).toBe('"Open Sans"');
      expect(face.display).toBe('swap');
      expect(face.unicodeRange).toMatch(/^U\+[0-9A-F]+(-[0-9A-F]+)?(,U\+[0-9A-F]+(-[0-9A-F]+)?)*$/);
      expect(face.url).toMatch(/^\/_brand\/fonts\/[0-9a-f]{16}\.woff2$/);
    }
    expect(new Set(list.map((f) => f.weight))).toEqual(new Set(['400', '700']));
    expect(list.find((f) => f.weight === '400')?.unicodeRange).toMatch(/^U\+0000-00FF,/);
    expect(html).toContain('--sp-font-body:"Open Sans", system-ui,');
    expect(html).toContain('--sp-font-heading:"Open Sans", system-ui,');
  });

  it('preloads the regular latin subset on every page, in English and Japanese', () => {
    const latin = faces(home()).find((f) => f.weight === '400' && f.unicodeRange.startsWith('U+0000-00FF'));
    for (const page of ['en/index.html', 'ja/index.html', 'en/search/index.html', '404.html'])
      expect(preloads(read(dist, `globex/${page}`)), page).toEqual([latin?.url]);
    const article = filesUnder(path.join(dist, 'globex')).find((f) =>
      /^en\/articles\/[^/]+\/index\.html$/.test(f),
    );
    expect(preloads(read(dist, `globex/${article}`))).toEqual([latin?.url]);
  });

  it('publishes valid WOFF2 subsets, smaller than the source, holding the page language’s text', () => {
    const html = home();
    const source = loadFont(REGULAR);
    let published = 0;
    for (const face of faces(html)) {
      const file = path.join(dist, 'globex', face.url);
      const bytes = fs.readFileSync(file);
      expect(bytes.subarray(0, 4).toString('latin1'), face.url).toBe('wOF2');
      expect(bytes.length).toBeLessThan(fs.statSync(face.weight === '700' ? BOLD : REGULAR).size);
      expect(loadFont(file).codePoints.length).toBeGreaterThan(0);
      published += bytes.length;
    }
    expect(published).toBeGreaterThan(0);
    // Every Latin character of the English home and an article that Open Sans has is in the subset.
    const latin = faces(html).find((f) => f.weight === '400' && f.unicodeRange.startsWith('U+0000-00FF'))!;
    const subset = new Set(loadFont(path.join(dist, 'globex', latin.url)).codePoints);
    const article = filesUnder(path.join(dist, 'globex')).find((f) =>
      /^en\/articles\/[^/]+\/index\.html$/.test(f),
    );
    const text = visibleText(html + read(dist, `globex/${article}`));
    const has = new Set(source.codePoints);
    const needed = [...new Set([...text].map((c) => c.codePointAt(0)!))].filter(
      (c) => c > 0x20 && c <= 0xff && has.has(c),
    );
    expect(needed.length).toBeGreaterThan(40);
    expect(needed.filter((c) => !subset.has(c))).toEqual([]);
    // Nothing of a script the page does not use: no Cyrillic or Greek in the Latin file.
    expect([...subset].filter((c) => c >= 0x370 && c <= 0x52f)).toEqual([]);
  });

  it('publishes nothing for a brand whose theme names no font file (Acme)', () => {
    const html = read(dist, 'acme/en/index.html');
    expect(faces(html)).toEqual([]);
    expect(preloads(html)).toEqual([]);
    expect(html).not.toContain('Open Sans');
    expect(fs.existsSync(path.join(dist, 'acme/_brand/fonts'))).toBe(false);
  });

  it('asks no third-party font host for anything, on any page of any brand', () => {
    const files = filesUnder(dist).filter((f) => /\.(html|css)$/.test(f));
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) {
      const text = read(dist, file);
      expect(text, file).not.toMatch(/fonts\.(googleapis|gstatic)\.com|use\.typekit\.net|fonts\.bunny\.net/);
      for (const face of faces(text)) expect(face.url, file).toMatch(/^\/[^/]/);
      for (const href of preloads(text)) expect(href, file).toMatch(/^\/[^/]/);
      expect(text, file).not.toMatch(/@import\s+url\(\s*["']?(https?:)?\/\//);
    }
  });
});

describe('subsetting by script', () => {
  let regular: CheckedFont;
  beforeAll(() => {
    regular = loadFont(REGULAR);
  });

  it('picks ranges from the language: Latin, Cyrillic, Greek, Vietnamese; other scripts are not cut', () => {
    expect(rangesOf('en')).toEqual(['latin', 'latin-ext']);
    expect(rangesOf('de')).toEqual(['latin', 'latin-ext']);
    expect(rangesOf('vi')).toEqual(['latin', 'vietnamese', 'latin-ext']);
    expect(rangesOf('ru')).toEqual(['cyrillic', 'latin', 'cyrillic-ext']);
    expect(rangesOf('el')).toEqual(['greek', 'latin', 'greek-ext']);
    expect(rangesOf('sr-Latn')).toEqual(['latin', 'latin-ext']);
    for (const lang of ['ja', 'zh-TW', 'ko', 'ar']) expect(rangesOf(lang)).toEqual(['latin', 'rest']);
  });

  it('keeps only ranges the font has glyphs of its own in', () => {
    expect(subsetPoints(regular, 'cyrillic').length).toBeGreaterThan(60);
    expect(subsetPoints(regular, 'greek').length).toBeGreaterThan(60);
    // Of polytonic Greek, Open Sans has one letter; of CJK nothing: its rest is a few symbols.
    expect(subsetPoints(regular, 'greek-ext')).toEqual([0x1f4d]);
    // A combining accent that Google's Cyrillic range shares with Vietnamese is no reason to publish it.
    const latinOnly = { ...regular, codePoints: [0x41, 0x42, 0x43, 0x301] };
    expect(subsetPoints(latinOnly, 'cyrillic')).toEqual([]);
    expect(subsetPoints(latinOnly, 'latin')).toEqual([0x41, 0x42, 0x43]);
    expect(subsetPoints(regular, 'rest').filter((c) => c >= 0x3000)).toEqual([
      0xfb00, 0xfb01, 0xfb02, 0xfb03, 0xfb04, 0xfffc,
    ]);
  });

  it('makes a Cyrillic subset with the Russian alphabet, once per file and range', async () => {
    const points = subsetPoints(regular, 'cyrillic');
    const first = makeSubset(regular, 'cyrillic', points);
    expect(makeSubset(regular, 'cyrillic', points)).toBe(first);
    const bytes = await first;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-fonts-'));
    try {
      const file = path.join(dir, `${subsetName(regular, 'cyrillic')}.woff2`);
      fs.writeFileSync(file, bytes);
      const got = new Set(loadFont(file).codePoints);
      expect([...'Справочный центр'].filter((c) => c !== ' ' && !got.has(c.codePointAt(0)!))).toEqual([]);
      expect(got.has(0x41)).toBe(false);
      expect(bytes.length).toBeLessThan(fs.statSync(REGULAR).size / 2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('font parses kept between builds', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-font-parses-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  /** The font's bytes at a path of their own: a path this process has not read yet. */
  const copyOf = (font: string, name: string) => {
    const file = path.join(dir, name);
    fs.copyFileSync(font, file);
    return file;
  };

  it('answers the next build from the kept parse of the same bytes, wherever the file is, and parses again what it cannot read back', () => {
    const kept = new FontParses(path.join(dir, 'kept'));
    const parsed = loadFont(copyOf(BOLD, 'a.woff2'), kept);
    expect(parsed.weight).toBe('700');
    const [entry, ...more] = fs.readdirSync(path.join(dir, 'kept'));
    expect(more).toEqual([]);
    const file = path.join(dir, 'kept', entry!);
    // Another build (another path, so not this process's memo) takes the kept parse as it is:
    // here, one changed by hand, so that it shows.
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), weight: '650' }));
    expect(loadFont(copyOf(BOLD, 'b.woff2'), kept)).toMatchObject({ weight: '650', hash: parsed.hash });
    // A kept parse it cannot use is not taken: the file is parsed, and its parse kept again.
    for (const damaged of ['{"weight":"700","style":"normal","codePoints":[]}', 'not JSON']) {
      fs.writeFileSync(file, damaged);
      const again = loadFont(copyOf(BOLD, `c${damaged.length}.woff2`), kept);
      expect(again).toMatchObject({ weight: '700', style: 'normal', hash: parsed.hash });
      expect(again.codePoints).toEqual(parsed.codePoints);
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ weight: '700' });
    }
    // Other bytes, another entry.
    expect(loadFont(copyOf(REGULAR, 'd.woff2'), kept).weight).toBe('400');
    expect(fs.readdirSync(path.join(dir, 'kept'))).toHaveLength(2);
  });
});

describe('check refuses font files it cannot publish', () => {
  let copy: ExampleCopy;
  beforeAll(() => {
    copy = copyExample();
  });
  afterAll(() => copy?.remove());

  /** Sets the dark theme's fonts and returns the line of each `<role>.<key>:` in it. */
  function setFonts(fonts: string): (role: string, key: string) => number {
    copy.edit('../themes/dark.yaml', (t) => t.replace(/^fonts:\n(?: {2,}.*\n)+/m, fonts));
    const lines = fs.readFileSync(copy.file('../themes/dark.yaml'), 'utf8').split('\n');
    return (role, key) => {
      const start = lines.findIndex((l) => l === `  ${role}:`);
      return start + 1 + lines.slice(start).findIndex((l) => l.startsWith(`    ${key}:`));
    };
  }

  it('reports a non-font, a path out of the themes folder, a symlink out of it and a huge file at their lines', async () => {
    copy.write('../themes/fonts/not-a-font.woff2', '<!doctype html><title>not a font</title>');
    copy.write('../themes/fonts/huge.woff2', Buffer.alloc(3 * 1024 * 1024));
    fs.symlinkSync(REGULAR, copy.file('../themes/fonts/linked.woff2'));
    const line = setFonts(
      [
        'fonts:',
        '  heading:',
        '    family: Open Sans',
        '    src: ../content/brands/assets/secret.woff2',
        '    bold: ./fonts/huge.woff2',
        '  body:',
        '    family: Open Sans',
        '    src: ./fonts/not-a-font.woff2',
        '    bold: ./fonts/linked.woff2',
        '',
      ].join('\n'),
    );
    const errors = (await errorLines(copy.content, copy.root)).filter((l) => l.includes('themes/dark.yaml'));
    expect(errors).toEqual([
      `error: themes/dark.yaml:${line('heading', 'src')}: fonts.heading.src: ../content/brands/assets/secret.woff2 is outside the themes folder; move the font file inside it and name it relative to this theme file`,
      `error: themes/dark.yaml:${line('heading', 'bold')}: fonts.heading.bold: fonts/huge.woff2 is 3.0 MB, over the 2 MB limit; subset it to the scripts you publish or use a system font stack`,
      `error: themes/dark.yaml:${line('body', 'src')}: fonts.body.src: fonts/not-a-font.woff2 is not a font file (it cannot be read as WOFF2, WOFF or TrueType); use a .woff2 file`,
      `error: themes/dark.yaml:${line('body', 'bold')}: fonts.body.bold: ./fonts/linked.woff2 is outside the themes folder; move the font file inside it and name it relative to this theme file`,
    ]);
  });
});

describe('in a browser', () => {
  const site = useBrowserOn('globex');

  it('renders Globex pages in Open Sans, loaded from the site itself', async () => {
    const page = await site.browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${site.url}/en/`);
    const state = await page.evaluate(async () => {
      await document.fonts.ready;
      return {
        check: document.fonts.check('16px "Open Sans"'),
        loaded: [...document.fonts]
          .filter((f) => f.status === 'loaded')
          .map((f) => `${f.family} ${f.weight}`),
        body: getComputedStyle(document.body).fontFamily,
      };
    });
    expect(state.check).toBe(true);
    expect(state.loaded.map((f) => f.replace(/"/g, ''))).toContain('Open Sans 400');
    expect(state.body).toMatch(/^"Open Sans"/);
    expect(
      requests.filter((u) => u.endsWith('.woff2')).every((u) => u.startsWith(`${site.url}/_brand/fonts/`)),
    ).toBe(true);
    expect(requests.some((u) => u.endsWith('.woff2'))).toBe(true);
    await page.close();
  });
});
