import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { calloutKind, convertBody, rewriteAnchors } from '../src/import/intercom/html.ts';
import type { LinkResolver } from '../src/import/intercom/types.ts';
import { renderMarkdown } from '../src/markdown/render.ts';
import { markdownLabels } from '../src/routing/render.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures/intercom-html');

/** Intercom's article and collection addresses, as the importer resolves them. */
const resolveLink: LinkResolver = (href) => {
  const article = /\/articles\/(\d+)-([\w-]+)/.exec(href);
  if (article) return { kind: 'article', id: article[2]!, ...(href.includes('/de/') ? { lang: 'de' } : {}) };
  if (/\/collections\/45-/.test(href)) return { kind: 'collection', id: '../billing/' };
  return undefined;
};

const convert = (html: string) => convertBody(html, { resolveLink, lang: 'en', imagePrefix: 'refunds' });
const markdown = (html: string) => convert(html).markdown;

const labels = markdownLabels('en');

/** Renders with Signpost's own pipeline: article links to `/articles/<id>/`, local images to files. */
function render(body: string, format: 'md' | 'mdx') {
  return renderMarkdown(body, format, {
    language: 'en',
    labels,
    resolveLink: (href) =>
      /^[\w-]+\.md(#|$)/.test(href) ? `/en/articles/${href.replace(/\.md/, '/')}` : undefined,
    resolveImage: (src) => (src.startsWith('./') ? `/content/billing/${src.slice(2)}` : undefined),
  });
}

describe('prose', () => {
  it('writes paragraphs, headings, emphasis and inline code as plain Markdown', () => {
    expect(
      markdown(
        '<h2 id="h_2f1e6b3c9a">Getting started</h2><p class="no-margin">Click <b>Save</b>, then <i>Close</i>; run <code>npm ci</code>.</p><h3>Next</h3><p>More.</p>',
      ),
    ).toBe('## Getting started\n\nClick **Save**, then *Close*; run `npm ci`.\n\n### Next\n\nMore.\n');
  });

  it('leaves no junk from empty paragraphs, &nbsp; and breaks at the ends of blocks', () => {
    expect(
      markdown(
        '<p class="no-margin">One<br></p><p class="no-margin">&nbsp;</p><p><br></p><p>&nbsp;Two&nbsp;and&nbsp;three&nbsp;</p><p><b>Bold </b>text<br>next line</p><p>a<br><br>b</p>',
      ),
    ).toBe('One\n\nTwo and three\n\n**Bold** text\\\nnext line\n\na\n\nb\n');
  });

  it('escapes only what would change meaning', () => {
    const out = markdown(
      '<p>Press [Save] &amp; wait, a_b, 1 + 1, C# #1.</p><p>*not emphasis* and &lt;b&gt; and [x](y)</p><p>1. not a list</p>',
    );
    expect(out).toBe(
      'Press [Save] & wait, a_b, 1 + 1, C# #1.\n\n\\*not emphasis\\* and \\<b> and \\[x](y)\n\n1\\. not a list\n',
    );
  });

  it('reads back as the text Intercom showed', async () => {
    const html = (
      await render(markdown('<p>*not emphasis* and &lt;b&gt; and [x](y)</p><p>1. not a list</p>'), 'md')
    ).html;
    expect(html).toBe('<p>*not emphasis* and &#x3C;b> and [x](y)</p>\n<p>1. not a list</p>');
  });

  it('writes tight lists with - and numbers, nested lists indented', () => {
    expect(
      markdown(
        '<ul><li><p class="no-margin">One</p></li><li><p class="no-margin">Two</p><ul><li><p>Two a</p></li></ul></li></ul><ol><li><p>First</p></li><li><p>Second</p></li></ol>',
      ),
    ).toBe('- One\n- Two\n  - Two a\n\n1. First\n2. Second\n');
  });

  it('writes code blocks fenced, also Intercom’s <pre> with <br> line breaks', () => {
    expect(
      markdown('<pre><code>npm ci\nnpm test</code></pre><pre>curl -X POST<br>  https://api.acme.com</pre>'),
    ).toBe('```\nnpm ci\nnpm test\n```\n\n```\ncurl -X POST\n  https://api.acme.com\n```\n');
  });

  it('unwraps unknown wrappers and drops scripts, styles and forms with a warning each', () => {
    const out = convert(
      '<div class="intercom-x"><span style="color: red">Kept</span></div><script>alert(1)</script><style>p{}</style><form><input name="q"><p>Ask</p></form>',
    );
    expect(out.markdown).toBe('Kept\n');
    expect(out.warnings).toEqual([
      expect.stringMatching(/^removed <script>; /),
      expect.stringMatching(/^removed <style>; /),
      expect.stringMatching(/^removed <form>; /),
    ]);
  });
});

describe('callouts', () => {
  const box = (color: string) =>
    `<div class="intercom-interblocks-callout" style="background-color: ${color}; border-color: #334bfa33;"><p class="no-margin">Mind the <b>fee</b>.</p></div>`;

  it('becomes a GitHub alert with the marker on its own line', () => {
    expect(markdown(box('#e3e7fa80'))).toBe('> [!NOTE]\n> Mind the **fee**.\n');
  });

  it.each([
    ['#e3e7fa80', 'NOTE'],
    ['#ede7f6', 'NOTE'],
    ['#d7efdc80', 'TIP'],
    ['#feedaf80', 'WARNING'],
    ['#fff3d480', 'WARNING'],
    ['#fdd8d880', 'CAUTION'],
    ['#ffe3e380', 'CAUTION'],
    ['#fed9db80', 'CAUTION'],
    ['rgb(215, 239, 220)', 'TIP'],
    ['#f1f1f1', 'NOTE'],
    ['transparent', 'NOTE'],
  ])('picks the alert by hue: %s → %s', (color, kind) => {
    expect(markdown(box(color))).toMatch(new RegExp(`^> \\[!${kind}\\]\n`));
  });

  it('is a NOTE without a colour, and keeps several paragraphs and lists', () => {
    expect(calloutKind('')).toBe('NOTE');
    expect(
      markdown(
        '<div class="intercom-interblocks-callout"><p>One</p><ul><li><p>Two</p></li></ul></div><div class="intercom-interblocks-callout" style="background-color: #d7efdc"><ul><li>List first</li></ul></div>',
      ),
    ).toBe('> [!NOTE]\n> One\n>\n> - Two\n\n> [!TIP]\n>\n> - List first\n');
  });
});

describe('tables', () => {
  it('keeps a table without <th> as a GFM table, its first row the header', () => {
    expect(
      markdown(
        '<div class="intercom-interblocks-table-container"><table><tbody><tr><td><p>Plan</p></td><td><p>Price</p></td></tr><tr><td><p>Pro</p></td><td><p>10 €</p></td></tr></tbody></table></div>',
      ),
    ).toBe('| Plan | Price |\n| ---- | ----- |\n| Pro  | 10 €  |\n');
  });

  it('uses <th> cells as the header, and joins a cell’s paragraphs with <br />', () => {
    expect(
      markdown(
        '<table><tbody><tr><th>Plan</th><th>Notes</th></tr><tr><td><p>Pro</p></td><td><p>Monthly</p><p>or | yearly</p><p>&nbsp;</p></td></tr></tbody></table>',
      ),
    ).toBe(
      '| Plan | Notes                     |\n| ---- | ------------------------- |\n| Pro  | Monthly<br />or \\| yearly |\n',
    );
  });
});

describe('collapsibles', () => {
  it('stays raw <details> around Markdown', () => {
    expect(
      markdown(
        '<div class="intercom-interblocks-collapsible"><details><summary>Can I <b>pause</b> &amp; resume?</summary><div><p>Yes, <b>any</b> time.</p><ul><li>Really.</li></ul></div></details></div>',
      ),
    ).toBe(
      '<details>\n<summary>Can I pause &amp; resume?</summary>\n\nYes, **any** time.\n\n- Really.\n\n</details>\n',
    );
  });
});

describe('images', () => {
  it('names each image after the prefix and its position, one name per URL', () => {
    const first = 'https://downloads.intercomcdn.com/i/o/123456/abcdef/image.png?expires=1&amp;signature=2';
    const out = convert(
      `<div class="intercom-container"><img src="${first}" alt="The billing page" width="800" height="400"></div><p><img src="https://downloads.intercomcdn.com/i/o/2/b/Photo.JPEG"></p><div class="intercom-container"><img src="${first}"></div>`,
    );
    expect(out.markdown).toBe(
      '![The billing page](./refunds-1.png)\n\n![](./refunds-2.jpeg)\n\n![](./refunds-1.png)\n',
    );
    expect(out.images).toEqual([
      {
        url: 'https://downloads.intercomcdn.com/i/o/123456/abcdef/image.png?expires=1&signature=2',
        name: 'refunds-1.png',
      },
      { url: 'https://downloads.intercomcdn.com/i/o/2/b/Photo.JPEG', name: 'refunds-2.jpeg' },
    ]);
    expect(out.mdx).toBe(false);
  });
});

describe('videos', () => {
  const video = (src: string, title = '') =>
    `<div class="intercom-h2b-video"><iframe src="${src}"${title} frameborder="0" allowfullscreen></iframe></div>`;

  it('turns YouTube and Vimeo players into <Video>, which makes the body MDX', () => {
    const out = convert(
      video('https://www.youtube.com/embed/abc123', ' title="Setting up"') +
        video('https://player.vimeo.com/video/76979871'),
    );
    expect(out.markdown).toBe(
      '<Video src="https://www.youtube.com/watch?v=abc123" title="Setting up" />\n\n<Video src="https://vimeo.com/76979871" title="Video" />\n',
    );
    expect(out.mdx).toBe(true);
  });

  it('keeps Loom and Wistia as the iframe Signpost allows, and links to anything else', () => {
    const out = convert(
      video('https://www.loom.com/embed/0123abcd', ' title="Tour"') + video('https://example.com/widget'),
    );
    expect(out.markdown).toBe(
      '<iframe src="https://www.loom.com/embed/0123abcd" title="Tour" allowfullscreen></iframe>\n\n[Video](https://example.com/widget)\n',
    );
    expect(out.mdx).toBe(false);
    expect(out.warnings).toEqual([expect.stringContaining('example.com')]);
  });

  it('escapes what MDX would read as code or tags, and the result parses as MDX', async () => {
    const out = convert(
      `<p>Use {name} in a &lt;template&gt;, and 2 &lt; 3.</p>${video('https://youtu.be/x')}${video('https://www.youtube.com/embed/abc123')}`,
    );
    expect(out.mdx).toBe(true);
    expect(out.markdown).toMatch(/^Use \\\{name\\?\} in a \\<template>, and 2 \\?< 3\.\n/);
    const rendered = await render(out.markdown, 'mdx');
    expect(rendered.html).toContain('<p>Use {name} in a &#x3C;template>, and 2 &#x3C; 3.</p>');
    expect(rendered.html).toContain('src="https://www.youtube-nocookie.com/embed/abc123"');
  });
});

describe('links', () => {
  it('links Intercom articles by id and collections as the resolver says; buttons are links', () => {
    expect(
      markdown(
        '<p>See <a href="https://intercom.help/acme/en/articles/123-refunds">refunds</a>, <a href="/en/articles/123-refunds">again</a>, <a href="https://help.acme.com/en/collections/45-billing">billing</a> and <a href="https://acme.com/pricing">pricing</a>.</p><div class="intercom-h2b-button-container"><a class="intercom-h2b-button" href="https://acme.com/signup">Go</a></div>',
      ),
    ).toBe(
      'See [refunds](refunds.md), [again](refunds.md), [billing](../billing/) and [pricing](https://acme.com/pricing).\n\n[Go](https://acme.com/signup)\n',
    );
  });

  it('points links to its own headings at the slug Signpost gives them', () => {
    const out = convert(
      '<p><a href="#h_2f1e6b3c9a">Fees</a> and <a href="#h_0000">gone</a></p><h2 id="h_aa">Fees</h2><h2 id="h_2f1e6b3c9a">Fees &amp; <i>taxes</i></h2><h3 id="h_bb">Fees</h3>',
    );
    expect(out.headingIds).toEqual({ h_aa: 'fees', h_2f1e6b3c9a: 'fees--taxes', h_bb: 'fees-1' });
    expect(out.markdown).toMatch(/^\[Fees\]\(#fees--taxes\) and \[gone\]\(#h_0000\)\n/);
    expect(out.warnings).toEqual([expect.stringContaining('#h_0000')]);
  });

  it('leaves anchors into other articles to rewriteAnchors', () => {
    const out = convert(
      '<p><a href="https://intercom.help/acme/en/articles/123-refunds#h_2f1e6b3c9a">Fees</a>, <a href="https://intercom.help/acme/en/articles/123-refunds#h_gone">gone</a>, <a href="https://intercom.help/acme/de/articles/9-other#h_1">other</a></p>',
    );
    expect(out.anchorLinks).toEqual([
      { article: 'refunds', anchor: 'h_2f1e6b3c9a' },
      { article: 'refunds', anchor: 'h_gone' },
      { article: 'other', anchor: 'h_1' },
    ]);
    expect(out.warnings).toEqual([expect.stringMatching(/\(de\) now leads to "other" in en/)]);
    const rewritten = rewriteAnchors(out.markdown, new Map([['refunds', { h_2f1e6b3c9a: 'fees' }]]));
    expect(rewritten.markdown).toBe('[Fees](refunds.md#fees), [gone](refunds.md), [other](other.md#h_1)\n');
    expect(rewritten.warnings).toEqual([expect.stringContaining('#h_gone')]);
  });
});

describe('a converted article, rendered by Signpost', () => {
  it('shows readers what Intercom showed them', async () => {
    const out = convert(fs.readFileSync(path.join(FIXTURES, 'article.html'), 'utf8'));
    expect(out.mdx).toBe(true);
    expect(out.warnings).toEqual([]);
    const rendered = await render(out.markdown, 'mdx');
    const { html } = rendered;

    // The same-article link lands on the heading it named in Intercom.
    const fees = rendered.headings.find((heading) => heading.text === 'Fees');
    expect(fees?.id).toBe(out.headingIds['h_2f1e6b3c9a']);
    expect(html).toContain(`<a href="#${fees?.id}">Fees</a>`);
    // The table, with its first row as the header and both paragraphs of a cell.
    expect(html).toMatch(/<table>\s*<thead>\s*<tr>\s*<th>Plan<\/th>\s*<th>Fee<\/th>/);
    expect(html).toMatch(/<td>None<br>\(after 30 days: 5 %\)<\/td>/);
    // The yellow callout as a warning callout.
    expect(html).toMatch(
      /<aside class="callout callout-warning"[^>]*><p class="callout-title">Warning<\/p>\s*<p>Refunds of annual plans are <strong>prorated<\/strong>\.<\/p>/,
    );
    // The collapsible, with its Markdown rendered inside.
    expect(html).toMatch(
      /<details>\s*<summary>What if my card expired\?<\/summary>\s*<p>We send the money to your new card\. Read <a href="\/en\/articles\/cards\/">Cards<\/a>\.<\/p>\s*<\/details>/,
    );
    // The video player, and the image as a local file for the page to optimise.
    expect(html).toContain(
      '<iframe src="https://www.youtube-nocookie.com/embed/abc123" title="Asking for a refund"',
    );
    expect(rendered.images).toEqual([{ file: '/content/billing/refunds-1.png', alt: 'The billing page' }]);
    expect(out.images).toEqual([
      {
        url: 'https://downloads.intercomcdn.com/i/o/123456/abcdef/billing.png?expires=1700000000&signature=0a1b',
        name: 'refunds-1.png',
      },
    ]);
    expect(html).toContain(
      '<ol>\n<li>Open <em>Billing</em>.</li>\n<li>Click <code>Refund</code>.</li>\n</ol>',
    );
    expect(html).toContain('<a href="../billing/">All billing articles</a>');
  });
});
