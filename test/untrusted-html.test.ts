import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../src/content/load.ts';
import { formatProblem } from '../src/content/problems.ts';
import { PROJECT, buildUnchecked, errorLines } from './helpers/example.ts';

/** A help center whose every article tries something a shared domain must not run. */
const FIXTURE = path.join(PROJECT, 'test/fixtures/untrusted-html');
const GUIDES = path.join(FIXTURE, 'help-centers/main/guides');

let out: string;
let errors: string[];
let warnings: string[];

beforeAll(async () => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-untrusted-'));
  // As if `check` had been skipped: the build alone must keep all of it off the pages.
  buildUnchecked(FIXTURE, out);
  errors = await errorLines(FIXTURE, FIXTURE);
  const { problems } = await loadContent(FIXTURE);
  warnings = problems.warnings.map((p) => formatProblem(p, FIXTURE));
}, 120_000);

afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

/** `check`'s lines about one article of the fixture. */
const errorsOf = (id: string) => errors.filter((line) => line.includes(`/guides/${id}.en.md`));

/** The built page of an article, as a visitor's browser receives it. */
const page = (id: string) => fs.readFileSync(path.join(out, `hostile/en/articles/${id}/index.html`), 'utf8');

/** The article body on its page: everything Signpost renders from the writer's file. */
function prose(id: string): string {
  // The body ends where search's reading of the page does (`SEARCH_BODY_END`), before the article's foot.
  const match = /<div class="prose"[^>]*>([\s\S]*?)<\/div>\s*<!--\/search-->/.exec(page(id));
  if (!match) throw new Error(`no .prose on the page of ${id}`);
  return match[1]!;
}

/**
 * Nothing in the body that Chromium would run: no script element, no event handler, no
 * script URL, and no `alert(` left anywhere in the text for a later trick to pick up.
 */
function expectInert(id: string): string {
  const body = prose(id);
  expect(body).not.toMatch(/<script/i);
  expect(body).not.toMatch(/\son[a-z]+\s*=/i);
  expect(body).not.toMatch(/(java|vb)script:/i);
  expect(body).not.toContain('alert(');
  // Signpost's own scripts (JSON-LD, the search loader) are the only ones on the page.
  expect(page(id).match(/<script\b[^>]*>/g)).toEqual([
    '<script type="application/ld+json">',
    '<script type="module" data-sp-search-loader>',
  ]);
  return body;
}

describe('what would run script is a check error at its line, and never built', () => {
  it('<script>', () => {
    expect(errorsOf('script')).toMatchInlineSnapshot(`
      [
        "error: help-centers/main/guides/script.en.md:7: <script> is not allowed in articles: it would run on the help center's domain; remove it (embed videos with <Video>)",
      ]
    `);
    const body = expectInert('script');
    expect(body).toContain('<p>Before the script.</p>');
    expect(body).toContain('<p>After the script.</p>');
  });

  it('event-handler attributes', () => {
    expect(errorsOf('event-handlers')).toMatchInlineSnapshot(`
      [
        "error: help-centers/main/guides/event-handlers.en.md:5: onerror= is not allowed in articles: event handlers run script on the help center's domain; remove it",
        "error: help-centers/main/guides/event-handlers.en.md:7: onmouseover= is not allowed in articles: event handlers run script on the help center's domain; remove it",
      ]
    `);
    const body = expectInert('event-handlers');
    expect(body).toContain('<img src="https://cdn.hostile.test/logo.png" alt="Logo" loading="lazy"');
    expect(body).toContain('<p>Hover <span>here</span>.</p>');
  });

  it('javascript: and vbscript: in Markdown links, images, definitions and HTML links', () => {
    expect(errorsOf('script-urls')).toMatchInlineSnapshot(`
      [
        "error: help-centers/main/guides/script-urls.en.md:5: javascript: link is not allowed in articles: it would run script on the help center's domain; link to an https:// address or an article (other-article.md)",
        "error: help-centers/main/guides/script-urls.en.md:5: vbscript: link is not allowed in articles: it would run script on the help center's domain; link to an https:// address or an article (other-article.md)",
        "error: help-centers/main/guides/script-urls.en.md:7: javascript: address in href= is not allowed in articles: it would run script on the help center's domain; link to an https:// address or an article (other-article.md)",
        "error: help-centers/main/guides/script-urls.en.md:9: javascript: image is not allowed in articles: it would run script on the help center's domain; put the image file next to the article (./screen.png)",
        "error: help-centers/main/guides/script-urls.en.md:11: javascript: link is not allowed in articles: it would run script on the help center's domain; link to an https:// address or an article (other-article.md)",
      ]
    `);
    // The links are plain text now, and the image its alt text.
    expect(expectInert('script-urls')).toMatchInlineSnapshot(`
      "<p>A Markdown link and a VBScript one.</p>
      <p>An HTML link.</p>
      <p>An image</p>"
    `);
  });

  it('data: links and data: "images" that are not images; real data: images stay', () => {
    expect(errorsOf('data-urls')).toMatchInlineSnapshot(`
      [
        "error: help-centers/main/guides/data-urls.en.md:5: data: link is not allowed in articles: it can carry a page with script of its own; link to an https:// address or an article (other-article.md)",
        "error: help-centers/main/guides/data-urls.en.md:7: data: address in src= is not allowed in articles: only data:image/… addresses hold an image; put the image file next to the article (./screen.png)",
      ]
    `);
    const body = expectInert('data-urls');
    expect(body).not.toMatch(/data:text/);
    expect(body).toContain('<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="Dot"');
  });

  it('<style>', () => {
    expect(errorsOf('style')).toMatchInlineSnapshot(`
      [
        "error: help-centers/main/guides/style.en.md:7: <style> is not allowed in articles: it would restyle the whole help center; remove it (a brand's custom CSS file styles articles)",
      ]
    `);
    const body = expectInert('style');
    expect(body).not.toMatch(/<style|display: none/);
  });

  it('<form>, and input, button, select and textarea outside task lists', () => {
    expect(errorsOf('forms')).toMatchInlineSnapshot(`
      [
        "error: help-centers/main/guides/forms.en.md:7: <form> is not allowed in articles: it could send visitors' input anywhere; link to the form instead",
        "error: help-centers/main/guides/forms.en.md:12: <select> is not allowed in articles: form controls could collect visitors' input on the help center's domain; link to the page instead",
        "error: help-centers/main/guides/forms.en.md:12: <textarea> is not allowed in articles: form controls could collect visitors' input on the help center's domain; show the text in a code block instead",
      ]
    `);
    const body = expectInert('forms');
    expect(body).not.toMatch(/<(form|button|select|option|textarea)\b|password|evil\.hostile/);
    // The one input left is the task list's own checkbox.
    expect(body.match(/<input[^>]*>/g)).toEqual([
      '<input type="checkbox" checked disabled aria-label="A task list checkbox is fine">',
    ]);
  });

  it('<object> and <embed>', () => {
    expect(errorsOf('plugins')).toMatchInlineSnapshot(`
      [
        "error: help-centers/main/guides/plugins.en.md:5: <object> is not allowed in articles: it would load a plugin or another page into the help center's domain; link to the file instead (embed videos with <Video>)",
        "error: help-centers/main/guides/plugins.en.md:7: <embed> is not allowed in articles: it would load a plugin or another page into the help center's domain; link to the file instead (embed videos with <Video>)",
      ]
    `);
    expect(expectInert('plugins')).not.toMatch(/<object|<embed|\.swf/);
  });

  it('<base>, <meta> and <link>', () => {
    expect(errorsOf('head-elements')).toMatchInlineSnapshot(`
      [
        "error: help-centers/main/guides/head-elements.en.md:5: <base> is not allowed in articles: it would send every link on the page elsewhere; remove it",
        "error: help-centers/main/guides/head-elements.en.md:7: <meta> is not allowed in articles: it could redirect or reconfigure the page; remove it (front matter sets the description)",
        "error: help-centers/main/guides/head-elements.en.md:9: <link> is not allowed in articles: it would load styles or script into the page; remove it (for a link, write [text](https://…))",
      ]
    `);
    expectInert('head-elements');
    expect(page('head-elements')).not.toMatch(/<base\b|http-equiv|evil\.hostile\.test/);
  });

  it('a foreign <iframe> and srcdoc; YouTube and a host workspace.yaml adds are framed', () => {
    expect(errorsOf('iframes')).toMatchInlineSnapshot(`
      [
        "error: help-centers/main/guides/iframes.en.md:5: <iframe> from evil.hostile.test is not allowed in articles: only video players may be framed (YouTube, Vimeo, Loom, Wistia); link to it instead, or add the host to embeds.hosts in workspace.yaml if you trust it",
        "error: help-centers/main/guides/iframes.en.md:11: srcdoc= is not allowed in articles: it would run script on the help center's domain; frame a video player with src= instead",
      ]
    `);
    expect(expectInert('iframes')).toMatchInlineSnapshot(`
      "<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" title="Demo video"></iframe>
      <iframe src="https://video.hostile.test/embed/42" title="Our own player"></iframe>
      <iframe src="https://player.vimeo.com/video/1" title="Vimeo"></iframe>"
    `);
  });

  it('data-sp-* and data-pagefind-*, which steer Signpost’s scripts and search', () => {
    // The security review's finding: a body that turns itself into the search page's form, with
    // a client script address of its choosing.
    expect(errorsOf('steering')).toMatchInlineSnapshot(`
      [
        "error: help-centers/main/guides/steering.en.md:5: <form> is not allowed in articles: it could send visitors' input anywhere; link to the form instead",
        "error: help-centers/main/guides/steering.en.md:7: data-sp-results= is not allowed in articles: data-sp-* attributes steer Signpost's own scripts; remove it",
        "error: help-centers/main/guides/steering.en.md:9: data-pagefind-body= is not allowed in articles: data-pagefind-* attributes steer the search index; remove it",
        "error: help-centers/main/guides/steering.en.md:9: data-pagefind-meta= is not allowed in articles: data-pagefind-* attributes steer the search index; remove it",
      ]
    `);
    const body = expectInert('steering');
    expect(body).not.toMatch(/<form|data-sp-|data-pagefind-/);
    expect(page('steering')).not.toMatch(
      /data-sp-search="page"|data-sp-client|data-pagefind-meta="title:Hijacked"/,
    );
  });

  it('the same written as JSX in MDX', () => {
    expect(errors.filter((line) => line.includes('/guides/hostile.en.mdx'))).toMatchInlineSnapshot(`
      [
        "error: help-centers/main/guides/hostile.en.mdx:5: <script> is not allowed in articles: it would run on the help center's domain; remove it (embed videos with <Video>)",
        "error: help-centers/main/guides/hostile.en.mdx:7: onclick= is not allowed in articles: event handlers run script on the help center's domain; remove it",
        "error: help-centers/main/guides/hostile.en.mdx:11: javascript: address in href= is not allowed in articles: it would run script on the help center's domain; link to an https:// address or an article (other-article.md)",
        "error: help-centers/main/guides/hostile.en.mdx:13: javascript: address in src= is not allowed in articles: it would run script on the help center's domain; link to an https:// address or an article (other-article.md)",
        "error: help-centers/main/guides/hostile.en.mdx:15: data-sp-search= is not allowed in articles: data-sp-* attributes steer Signpost's own scripts; remove it",
      ]
    `);
    const body = expectInert('hostile');
    expect(body).toContain('<div class="note"><p>Click me</p></div>');
    expect(body).not.toMatch(/<video|data-sp-|href=/);
  });
});

describe('the allow-list', () => {
  it('leaves out other HTML quietly on the page, and check says so as a warning', () => {
    expect(errorsOf('left-out')).toEqual([]);
    expect(warnings.filter((line) => line.includes('/guides/left-out.en.md'))).toMatchInlineSnapshot(`
      [
        "warning: help-centers/main/guides/left-out.en.md:5: style= on <div> is left out: it is not among the attributes articles keep",
        "warning: help-centers/main/guides/left-out.en.md:7: <marquee> is left out (its content kept): it is not among the HTML elements articles keep; to show the tag as text, write it in backticks",
      ]
    `);
    expect(prose('left-out')).toMatchInlineSnapshot(`
      "<div>A fake sign-in overlay</div>
      <p>Sale!</p>"
    `);
  });
});

describe('HTML comments never leave the source', () => {
  it('not in the page, its description, or the Markdown copy agents read', () => {
    const secrets = /legal:|SPRING50|TODO\(writer\)/;
    expect(prose('comments')).not.toMatch(secrets);
    expect(page('comments')).toContain(
      '<meta name="description" content="Refunds take five days. Ask us if it takes longer.">',
    );
    const copy = fs.readFileSync(path.join(out, 'hostile/en/articles/comments.md'), 'utf8');
    expect(copy).not.toMatch(secrets);
    // A comment in code is code, shown as written.
    expect(copy).toContain('See `<!-- in code, kept -->` too.');
  });
});

describe('images resolve inside the content folder to real image files', () => {
  it('a path out of the folder, or a file that is no image, is an error; no page shows src=""', () => {
    expect(errorsOf('images')).toMatchInlineSnapshot(`
      [
        "error: help-centers/main/guides/images.en.md:7: image "../../../../../../../../etc/passwd" is outside the content folder, where the build may not read; put the image next to the article and write its relative path (./screen.png)",
        "error: help-centers/main/guides/images.en.md:9: image "/etc/hosts" is outside the content folder, where the build may not read; put the image next to the article and write its relative path (./screen.png)",
        "error: help-centers/main/guides/images.en.md:11: image "../../../workspace.yaml" is not an image file (expected PNG, JPEG, GIF, WebP or AVIF); export it as one, or fix the path",
        "error: help-centers/main/guides/images.en.md:13: image "./fake.png" is not an image file (expected PNG, JPEG, GIF, WebP or AVIF); export it as one, or fix the path",
        "error: help-centers/main/guides/images.en.md:15: image "./fake.png" is not an image file (expected PNG, JPEG, GIF, WebP or AVIF); export it as one, or fix the path",
        "error: help-centers/main/guides/images.en.md:17: image "./diagram.svg" is an SVG, which can hold script that runs on the help center's domain when the image is opened; export it as PNG or WebP",
      ]
    `);
    const html = page('images');
    expect(html).not.toContain('src=""');
    expect(html).not.toMatch(/etc\/(passwd|hosts)|workspace\.yaml|fake\.png|diagram/);
    // Nor is the SVG published anywhere, where opening it would run its script.
    const files = fs.readdirSync(out, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    expect(
      files.filter((f) => fs.readFileSync(path.join(f.parentPath, f.name)).includes("alert('svg')")),
    ).toEqual([]);
    // The real one is optimised as usual; the refused ones leave their alt text.
    expect(prose('images')).toMatch(/^<p><picture><source type="image\/webp"/);
    expect(prose('images')).toContain('<p>Password file</p>');
  });

  it('judges files the way sharp does', async () => {
    await expect(sharp(path.join(GUIDES, 'screen.png')).metadata()).resolves.toMatchObject({ format: 'png' });
    await expect(sharp(path.join(GUIDES, 'fake.png')).metadata()).rejects.toThrow();
  });
});

describe('broken links', () => {
  it('are errors by default, but a link titled "unchecked" is let through; pages show their text', () => {
    expect(errorsOf('links')).toMatchInlineSnapshot(`
      [
        "error: help-centers/main/guides/links.en.md:5: link to "no-such-guide.md": no article "no-such-guide" in help center "main"; fix the id or create the article",
      ]
    `);
    expect(prose('links')).toMatchInlineSnapshot(`
      "<p>See the missing guide and the roadmap.</p>
      <p>A <a href="/en/articles/script/">working link</a> keeps its target.</p>"
    `);
  });

  it('are warnings with links.broken: warn, and check passes', async () => {
    const content = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-links-'));
    try {
      fs.cpSync(FIXTURE, content, { recursive: true });
      const guides = path.join(content, 'help-centers/main/guides');
      for (const name of fs.readdirSync(guides))
        if (/\.mdx?$/.test(name) && !['links.en.md', 'script.en.md'].includes(name))
          fs.rmSync(path.join(guides, name));
      // Without its script, so that only the links are left to report.
      fs.writeFileSync(path.join(guides, 'script.en.md'), '---\ntitle: Script\n---\n\nNo script here.\n');
      const workspace = path.join(content, 'workspace.yaml');
      fs.appendFileSync(workspace, 'links:\n  broken: warn\n');
      const { problems } = await loadContent(content);
      expect(problems.errors).toEqual([]);
      expect(problems.warnings.map((p) => formatProblem(p, content))).toMatchInlineSnapshot(`
        [
          "warning: help-centers/main/guides/links.en.md:5: link to "no-such-guide.md": no article "no-such-guide" in help center "main"; fix the id or create the article (shown as plain text until then)",
        ]
      `);
    } finally {
      fs.rmSync(content, { recursive: true, force: true });
    }
  });
});
