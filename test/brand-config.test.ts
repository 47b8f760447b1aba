import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadContent } from '../src/content/load.ts';
import { formatProblem } from '../src/content/problems.ts';
import { buildUnchecked, copyExample, type ExampleCopy } from './helpers/example.ts';

/**
 * Brand and collection files are content, not code. One copy of the example is made hostile in
 * every way these tests need, checked once and built once past `check`:
 * - acme-eu: a `.html` header logo, `../../secret.txt` as footer logo, `javascript:` as footer link
 *   and social profile, and a misspelt theme: five errors in one file, each to be reported;
 * - globex: `javascript:` as header link and ticket portal (nothing else a schema refused before);
 *   a logo and a link group its simple footer would not show;
 * - acme (still valid, so built): markup in its header title, a footer group label, a collection
 *   name and an article's title and description; a JPEG named `acme-logo.png`; an SVG collection
 *   icon with a script; a collection icon outside the content folder; no Japanese welcome.
 */
let example: ExampleCopy;
let out: string;
let lines: string[];
const SECRET = 'TOP-SECRET-DO-NOT-PUBLISH';
const MARKUP = (n: number) => `<img src=x onerror=alert(${n})>`;

beforeAll(async () => {
  example = copyExample();
  out = path.join(example.root, 'dist');
  fs.writeFileSync(path.join(example.root, 'secret.txt'), SECRET);
  fs.writeFileSync(path.join(example.root, 'secret.png'), SECRET);
  example.write('brands/logo.html', `<!doctype html><p>${SECRET}</p><script>alert('logo')</script>`);
  example.edit('brands/acme-eu.yaml', (t) =>
    t
      .replace('theme: default', 'theme: defualt')
      .replace('header:\n', 'header:\n  logo: ./logo.html\n')
      .replace('url: https://acme.test/de/privacy', 'url: "javascript:alert(document.cookie)"')
      .replace(
        'template: classic\n',
        'template: classic\n  logo: ../../secret.txt\n  social:\n    - { network: x, url: "javascript:alert(3)" }\n',
      ),
  );
  example.edit('brands/globex.yaml', (t) =>
    t
      .replace('template: simple\n', 'template: simple\n  logo: ./assets/globex-logo.png\n')
      .replace('url: https://globex.test/app', 'url: "javascript:alert(2)"')
      .replace(
        '      url: mailto:sales@globex.test\n',
        '      url: mailto:sales@globex.test\n    - label: More\n      links:\n        - { label: Blog, url: https://globex.test/blog }\n',
      )
      .replace(
        'ids: [quick-start, connect-your-data, sync-errors]\n',
        'ids: [quick-start, connect-your-data, sync-errors]\n    - type: tickets\n      url: "javascript:alert(4)"\n',
      ),
  );
  example.edit('brands/acme.yaml', (t) =>
    t
      .replace('    ja: どのようなことでお困りですか？\n', '')
      .replace('    en: Acme Help Center\n', `    en: "${MARKUP(1)} Acme Help Center"\n`)
      .replace('{ en: Product,', `{ en: "${MARKUP(2)} Product",`),
  );
  const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#0847a0' } })
    .jpeg()
    .toBuffer();
  example.write('brands/assets/acme-logo.png', jpeg);
  example.edit('help-centers/main/billing/_collection.yaml', (t) =>
    t.replace('en: Billing', `en: "${MARKUP(3)} Billing"`),
  );
  example.edit('help-centers/main/billing/refunds.en.md', (t) =>
    t
      .replace('title: Request a refund', `title: "${MARKUP(4)} Request a refund"`)
      .replace(/^description: .*$/m, `description: "${MARKUP(5)} Who can get a refund"`),
  );
  example.write(
    'help-centers/main/integrations/icon.svg',
    '<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" onload="alert(6)">' +
      '<script>alert(7)</script><rect width="48" height="48" fill="#0a59c9"/></svg>',
  );
  example.edit('help-centers/main/getting-started/_collection.yaml', (t) =>
    t.replace('icon: rocket', 'icon: ../../../../secret.png'),
  );
  const { problems } = await loadContent(example.content);
  lines = problems.sorted().map((p) => formatProblem(p, example.root));
  buildUnchecked(example.content, out);
});
afterAll(() => example.remove());

/** The lines `check` prints about one file. */
const about = (file: string) => lines.filter((l) => l.includes(`content/${file}:`));

/** Every file the build wrote, with its path relative to `dist/`. */
function published(): { name: string; bytes: Buffer }[] {
  return fs
    .readdirSync(out, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .map((file) => ({ name: path.relative(out, file), bytes: fs.readFileSync(file) }));
}
const page = (relative: string) => fs.readFileSync(path.join(out, relative), 'utf8');

describe('brand and collection images', () => {
  it('one brand file reports every mistake, not just its first schema error', () => {
    expect(about('brands/acme-eu.yaml')).toMatchInlineSnapshot(`
      [
        "error: content/brands/acme-eu.yaml:5: theme: no themes/defualt.yaml; did you mean "default"?",
        "error: content/brands/acme-eu.yaml:21: header.logo: logo.html is not an image (sharp cannot read it); use a PNG, JPEG, WebP or SVG file",
        "error: content/brands/acme-eu.yaml:39: footer.logo: ../../secret.txt is outside the brands folder; move the file inside it and name it relative to this brand file",
        "error: content/brands/acme-eu.yaml:41: footer.social[0].url: expected an http(s) URL, a mailto: or tel: link, or a path on this site such as /contact, got "javascript:alert(3)"",
        "error: content/brands/acme-eu.yaml:44: footer.links[0].url: expected an http(s) URL, a mailto: or tel: link, or a path on this site such as /contact, got "javascript:alert(document.cookie)"",
      ]
    `);
  });

  it('publishes neither a .html "logo" nor a file outside the brands folder', () => {
    const leaks = published().filter(
      ({ name, bytes }) => bytes.includes(SECRET) || (name.includes('_brand') && bytes.includes('<script')),
    );
    expect(leaks.map((f) => f.name)).toEqual([]);
  });

  it('publishes a JPEG named .png as .jpg, with no error', async () => {
    expect(about('brands/acme.yaml').filter((l) => l.startsWith('error'))).toEqual([]);
    expect(page('acme/en/index.html')).toContain('src="/_brand/logo.jpg"');
    const meta = await sharp(path.join(out, 'acme/_brand/logo.jpg')).metadata();
    expect(meta.format).toBe('jpeg');
  });

  it('publishes an SVG collection icon as a PNG of it, so its script never reaches a visitor', async () => {
    expect(about('help-centers/main/integrations/_collection.yaml')).toEqual([]);
    const src = /<img class="icon[^"]*" src="(\/_brand\/icons\/main-integrations\.[a-z]+)"/.exec(
      page('acme/en/index.html'),
    )?.[1];
    expect(src).toBe('/_brand/icons/main-integrations.png');
    const icon = fs.readFileSync(path.join(out, 'acme', src!));
    expect((await sharp(icon).metadata()).format).toBe('png');
    expect(published().filter(({ bytes }) => bytes.includes('alert(7)'))).toEqual([]);
  });

  it('refuses a collection icon outside the content folder and shows the default icon', () => {
    expect(about('help-centers/main/getting-started/_collection.yaml')).toMatchInlineSnapshot(`
      [
        "error: content/help-centers/main/getting-started/_collection.yaml:11: icon: ../../../../secret.png is outside the content folder; move the file inside it and name it relative to _collection.yaml",
      ]
    `);
    expect(page('acme/en/index.html')).not.toContain('/_brand/icons/main-getting-started');
  });
});

describe('links in brand files', () => {
  it('refuses javascript: as ticket portal, header, footer and social link, naming the key', () => {
    expect(lines.filter((l) => l.includes('javascript:'))).toMatchInlineSnapshot(`
      [
        "error: content/brands/acme-eu.yaml:41: footer.social[0].url: expected an http(s) URL, a mailto: or tel: link, or a path on this site such as /contact, got "javascript:alert(3)"",
        "error: content/brands/acme-eu.yaml:44: footer.links[0].url: expected an http(s) URL, a mailto: or tel: link, or a path on this site such as /contact, got "javascript:alert(document.cookie)"",
        "error: content/brands/globex.yaml:16: header.links[0].url: expected an http(s) URL, a mailto: or tel: link, or a path on this site such as /contact, got "javascript:alert(2)"",
        "error: content/brands/globex.yaml:30: home.sections[2].url: expected an http(s) URL, a mailto: or tel: link, or a path on this site such as /contact, got "javascript:alert(4)"",
      ]
    `);
  });

  it('no built page links to javascript:', () => {
    const pages = published().filter(({ name }) => name.endsWith('.html'));
    expect(pages.length).toBeGreaterThan(10);
    expect(pages.filter(({ bytes }) => /href="\s*javascript:/i.test(bytes.toString()))).toEqual([]);
  });
});

describe('the footer shows what the brand file sets', () => {
  it('refuses a logo in the simple footer and a link group outside multi-level', () => {
    expect(about('brands/globex.yaml').filter((l) => !l.includes('javascript:'))).toMatchInlineSnapshot(`
      [
        "error: content/brands/globex.yaml:34: footer.logo: the simple footer shows no logo; remove footer.logo, or set template: classic to show it",
        "error: content/brands/globex.yaml:38: footer.links[1]: a group of links needs template: multi-level (the simple footer shows one row of links); list its links directly, or set template: multi-level",
      ]
    `);
  });

  it('shows the simple footer’s links and the multi-level footer’s logo (the example site)', () => {
    const dist = inject('exampleDist');
    const footer = (file: string) =>
      /<footer[\s\S]*<\/footer>/.exec(fs.readFileSync(path.join(dist, file), 'utf8'))?.[0] ?? '';
    expect(footer('globex/en/index.html')).toContain('href="mailto:sales@globex.test"');
    expect(footer('acme/en/index.html')).toMatch(/<img class="footer-logo" src="\/_brand\/footer-logo\.png"/);
  });
});

describe('brand-file text', () => {
  it('warns of text given per language without a language the brand publishes', () => {
    expect(about('brands/acme.yaml')).toMatchInlineSnapshot(`
      [
        "warning: content/brands/acme.yaml:46: hero.welcome: no ja text (brand acme publishes ja); add it, or visitors see the en text",
      ]
    `);
  });

  it('shows markup in titles, descriptions, names and brand labels as text, never as an element', () => {
    const home = page('acme/en/index.html');
    const article = page('acme/en/articles/refunds/index.html');
    const collection = page('acme/en/collections/billing/index.html');
    // What a visitor reads: the text as written, in the header, footer, cards and the article.
    for (const n of [1, 2, 3]) expect(home).toContain(`&lt;img src=x onerror=alert(${n})&gt;`);
    for (const n of [1, 2, 4, 5]) expect(article).toContain(`&lt;img src=x onerror=alert(${n})&gt;`);
    expect(collection).toContain('&lt;img src=x onerror=alert(3)&gt;');
    // …and no element that carries the handler (in a quoted attribute value, as in og:title, it is text).
    const tags = (html: string) => html.replace(/="[^"]*"/g, '=""').match(/<[a-z][^<>]*>/gi) ?? [];
    for (const html of [home, article, collection])
      expect(tags(html).filter((tag) => /onerror/i.test(tag))).toEqual([]);
  });
});
