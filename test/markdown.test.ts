import { describe, expect, it } from 'vitest';
import { MarkdownError, MDX_COMPONENTS, renderMarkdown } from '../src/markdown/render.ts';
import type { RenderOptions } from '../src/markdown/render.ts';

const english: RenderOptions['labels'] = {
  note: 'Note',
  tip: 'Tip',
  important: 'Important',
  warning: 'Warning',
  caution: 'Caution',
  footnotes: 'Footnotes',
  anchor: 'Link to this section',
};

const german: RenderOptions['labels'] = {
  note: 'Hinweis',
  tip: 'Tipp',
  important: 'Wichtig',
  warning: 'Warnung',
  caution: 'Vorsicht',
  footnotes: 'Fußnoten',
  anchor: 'Link zu diesem Abschnitt',
};

/** Article links as the content model resolves them: `refunds.md` is an article, the rest is not. */
function resolveLink(href: string): string | undefined {
  const [path, hash] = href.split('#');
  if (path === 'refunds.md' || path === '../billing/refunds.de.md') {
    return `/de/articles/refunds/${hash === undefined ? '' : `#${hash}`}`;
  }
  return undefined;
}

/** Images next to the article resolve to files; anything remote does not. */
function resolveImage(src: string): string | undefined {
  return src.startsWith('./') ? `/content/help/billing/${src.slice(2)}` : undefined;
}

function render(body: string, format: 'md' | 'mdx' = 'md', labels = english) {
  return renderMarkdown(body, format, { language: 'en', labels, resolveLink, resolveImage });
}

async function html(body: string, format: 'md' | 'mdx' = 'md', labels = english): Promise<string> {
  return (await render(body, format, labels)).html;
}

describe('GitHub-flavoured Markdown', () => {
  it('wraps tables in a scrollable, keyboard-reachable region', async () => {
    expect(await html('| Plan | Price |\n| --- | ---: |\n| Pro | 10 € |\n')).toMatchInlineSnapshot(`
      "<div class="table-wrap" role="region" tabindex="0" aria-label="Table"><table>
      <thead>
      <tr>
      <th>Plan</th>
      <th style="text-align: right">Price</th>
      </tr>
      </thead>
      <tbody>
      <tr>
      <td>Pro</td>
      <td style="text-align: right">10 €</td>
      </tr>
      </tbody>
      </table></div>"
    `);
  });

  it('renders task lists as disabled checkboxes named by their item', async () => {
    const out = await html('- [x] Export the data\n- [ ] Cancel the plan\n');
    expect(out).toContain('<ul class="contains-task-list">');
    expect(out).toContain(
      '<li class="task-list-item"><input type="checkbox" checked disabled aria-label="Export the data"> Export the data</li>',
    );
    expect(out).toContain(
      '<li class="task-list-item"><input type="checkbox" disabled aria-label="Cancel the plan"> Cancel the plan</li>',
    );
  });

  it('renders strikethrough and autolinks', async () => {
    expect(await html('~~Old price~~ see https://example.com/pricing')).toMatchInlineSnapshot(
      `"<p><del>Old price</del> see <a href="https://example.com/pricing" rel="noopener">https://example.com/pricing</a></p>"`,
    );
  });

  it('labels the footnotes section in the page language', async () => {
    const out = await html('Refunds take five days.[^1]\n\n[^1]: Working days.\n', 'md', german);
    expect(out).toContain('<h2 class="sr-only" id="footnote-label">Fußnoten</h2>');
    expect(out).toContain('<a href="#user-content-fn-1" id="user-content-fnref-1"');
    expect(out).toContain('<li id="user-content-fn-1">');
  });
});

describe('GitHub alerts', () => {
  it('turns all five kinds into callouts titled in the page language', async () => {
    const kinds = ['NOTE', 'TIP', 'IMPORTANT', 'WARNING', 'CAUTION'];
    const out = await html(
      kinds.map((kind) => `> [!${kind}]\n> Text of ${kind}.\n`).join('\n'),
      'md',
      german,
    );
    const titles = [...out.matchAll(/<aside class="callout callout-(\w+)" role="note" aria-label="(\w+)">/g)];
    expect(titles.map(([, kind, label]) => `${kind}: ${label}`)).toEqual([
      'note: Hinweis',
      'tip: Tipp',
      'important: Wichtig',
      'warning: Warnung',
      'caution: Vorsicht',
    ]);
    expect(out).not.toContain('[!');
  });

  it('strips the marker, keeps the text and formatting, and accepts any case', async () => {
    expect(await html('> [!tip]\n> **Save** before you leave.\n>\n> Second paragraph.\n'))
      .toMatchInlineSnapshot(`
      "<aside class="callout callout-tip" role="note" aria-label="Tip"><p class="callout-title">Tip</p>
      <p><strong>Save</strong> before you leave.</p>
      <p>Second paragraph.</p>
      </aside>"
    `);
  });

  it('drops the paragraph that held only the marker', async () => {
    const out = await html('> [!WARNING]\n>\n> Deleting is final.\n');
    expect(out).toContain('<p class="callout-title">Warning</p>\n<p>Deleting is final.</p>');
    expect(out).not.toContain('<p></p>');
  });

  it('leaves ordinary quotes, and a marker with text on its line, as quotes (as GitHub does)', async () => {
    expect(await html('> Just a quote.\n')).toBe('<blockquote>\n<p>Just a quote.</p>\n</blockquote>');
    expect(await html('> [!NOTE] inline text\n')).toContain('<blockquote>');
  });
});

describe('headings', () => {
  it('get GitHub slugs, a self-link after the text, and feed the table of contents', async () => {
    const result = await render(
      '# Getting started\n\n## Setup\n\n### Setup\n\n## 設定方法\n\n#### Details\n',
    );
    expect(result.html).toMatchInlineSnapshot(`
      "<h2 id="getting-started">Getting started<a class="anchor" href="#getting-started" aria-label="Link to this section: Getting started" data-pagefind-ignore>#</a></h2>
      <h2 id="setup">Setup<a class="anchor" href="#setup" aria-label="Link to this section: Setup" data-pagefind-ignore>#</a></h2>
      <h3 id="setup-1">Setup<a class="anchor" href="#setup-1" aria-label="Link to this section: Setup" data-pagefind-ignore>#</a></h3>
      <h2 id="設定方法">設定方法<a class="anchor" href="#設定方法" aria-label="Link to this section: 設定方法" data-pagefind-ignore>#</a></h2>
      <h4 id="details">Details<a class="anchor" href="#details" aria-label="Link to this section: Details" data-pagefind-ignore>#</a></h4>"
    `);
    expect(result.headings).toEqual([
      { depth: 2, id: 'getting-started', text: 'Getting started' },
      { depth: 2, id: 'setup', text: 'Setup' },
      { depth: 3, id: 'setup-1', text: 'Setup' },
      { depth: 2, id: '設定方法', text: '設定方法' },
    ]);
  });

  it('work for right-to-left text and keep an id the writer set', async () => {
    const result = await render('## كيفية الاسترداد\n\n<h2 id="fees">Fees</h2>\n\n## Fees\n');
    expect(result.headings).toEqual([
      { depth: 2, id: 'كيفية-الاسترداد', text: 'كيفية الاسترداد' },
      { depth: 2, id: 'fees', text: 'Fees' },
      { depth: 2, id: 'fees-1', text: 'Fees' },
    ]);
  });

  it('slug each document on its own', async () => {
    await render('## Setup\n');
    expect((await render('## Setup\n')).headings[0]?.id).toBe('setup');
  });
});

describe('links', () => {
  it('rewrites article links to the target page, keeping the fragment', async () => {
    const out = await html('[Refunds](refunds.md#fees) and [Auf Deutsch](../billing/refunds.de.md).');
    expect(out).toMatchInlineSnapshot(
      `"<p><a href="/de/articles/refunds/#fees">Refunds</a> and <a href="/de/articles/refunds/">Auf Deutsch</a>.</p>"`,
    );
  });

  it('marks external links noopener without opening new tabs, and leaves others alone', async () => {
    const out = await html(
      '[Status](https://status.example.com) [Mail](mailto:help@example.com) [Top](#top)',
    );
    expect(out).toContain('<a href="https://status.example.com" rel="noopener">Status</a>');
    expect(out).toContain('<a href="mailto:help@example.com">Mail</a>');
    expect(out).toContain('<a href="#top">Top</a>');
    expect(out).not.toContain('target=');
  });
});

describe('images', () => {
  it('leaves a numbered marker for each local image and lists the files', async () => {
    const result = await render(
      '![Billing page](./billing.png "Where to click")\n\nText ![](./icon.svg) inline.\n',
    );
    expect(result.html).toMatchInlineSnapshot(`
      "<p><!--sp-image:0--></p>
      <p>Text <!--sp-image:1--> inline.</p>"
    `);
    expect(result.images).toEqual([
      { file: '/content/help/billing/billing.png', alt: 'Billing page', title: 'Where to click' },
      { file: '/content/help/billing/icon.svg', alt: '' },
    ]);
  });

  it('keeps remote images, loaded lazily', async () => {
    expect(await html('![Logo](https://cdn.example.com/logo.png)')).toMatchInlineSnapshot(
      `"<p><img src="https://cdn.example.com/logo.png" alt="Logo" loading="lazy" decoding="async"></p>"`,
    );
  });

  it('cannot be faked by a comment in the Markdown, and writers’ comments never ship', async () => {
    const result = await render('Hello <!-- sp-image:0 --> <!-- internal: ask legal -->world\n');
    expect(result.html).toBe('<p>Hello  world</p>');
    expect(result.images).toEqual([]);
  });
});

describe('code', () => {
  it('is highlighted at build time with both themes as CSS variables', async () => {
    const out = await html('```ts\nconst total: number = 1;\n```\n');
    expect(out).toMatch(
      /^<pre class="shiki shiki-themes github-light github-dark" style="[^"]+" tabindex="0"/,
    );
    expect(out).toContain('data-language="ts"');
    expect(out).toContain('--shiki-light:');
    expect(out).toContain('--shiki-dark:');
    expect(out).toContain('>const</span>');
    expect(out).not.toContain('<script');
    // No empty last line from the fence's trailing line break.
    expect(out).toContain(
      '1</span><span style="--shiki-light:#24292E;--shiki-dark:#E1E4E8">;</span></span></code>',
    );
  });

  it('renders an unknown language as plain text instead of failing', async () => {
    const out = await html('```klingon\nqapla\n```\n');
    expect(out).toContain('data-language="klingon"');
    expect(out).toContain('<span>qapla</span>');
  });

  it('leaves code without a language as plain pre and code, escaped', async () => {
    expect(await html('```\n<b>not bold</b>\n```\n')).toBe(
      '<pre><code>&#x3C;b>not bold&#x3C;/b>\n</code></pre>',
    );
  });
});

describe('raw HTML in .md files', () => {
  it('keeps inline elements and details with Markdown inside', async () => {
    const out = await html(
      'Press <kbd>Ctrl</kbd>+<kbd>S</kbd>.\n\n<details>\n<summary>Why?</summary>\n\nIt **saves**.\n\n</details>\n',
    );
    expect(out).toMatchInlineSnapshot(`
      "<p>Press <kbd>Ctrl</kbd>+<kbd>S</kbd>.</p>
      <details>
      <summary>Why?</summary>
      <p>It <strong>saves</strong>.</p>
      </details>"
    `);
  });
});

describe('plain text', () => {
  it('reads like the page, without heading self-links or markup', async () => {
    const result = await render('## Refunds\n\nWe refund **within 5 days**.\n\n> [!NOTE]\n> Fees stay.\n');
    expect(result.text).toBe('Refunds\n\nWe refund within 5 days.\n\nNote\n\nFees stay.');
  });
});

describe('MDX components', () => {
  it('renders Callout like an alert, with an optional title and note by default', async () => {
    const out = await html(
      '<Callout type="warning" title="Before you start">\nExport your **data**.\n</Callout>\n\n<Callout>One line.</Callout>\n',
      'mdx',
    );
    expect(out).toMatchInlineSnapshot(`
      "<aside class="callout callout-warning" role="note" aria-label="Before you start"><p class="callout-title">Before you start</p><p>Export your <strong>data</strong>.</p></aside>
      <aside class="callout callout-note" role="note" aria-label="Note"><p class="callout-title">Note</p><p>One line.</p></aside>"
    `);
  });

  it('rejects a Callout type it does not know, naming the line', async () => {
    const error = await render('Intro\n\n<Callout type="danger">x</Callout>\n', 'mdx').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MarkdownError);
    expect(error).toMatchObject({
      message: 'Callout type "danger" is not one of note, tip, important, warning, caution',
      line: 3,
    });
  });

  it('renders Steps as a styled numbered list', async () => {
    expect(await html('<Steps>\n1. Open **Billing**\n2. Click Cancel\n</Steps>\n', 'mdx'))
      .toMatchInlineSnapshot(`
      "<div class="steps"><ol class="steps-list">
      <li>Open <strong>Billing</strong></li>
      <li>Click Cancel</li>
      </ol></div>"
    `);
  });

  it('renders Tabs as details that work without JavaScript, the first one open', async () => {
    const out = await html(
      '<Tabs>\n  <Tab label="macOS">\n  Press **Cmd**.\n  </Tab>\n  <Tab label="Windows">Press Ctrl.</Tab>\n</Tabs>\n',
      'mdx',
    );
    expect(out).toMatchInlineSnapshot(
      `"<div class="tabs"><details class="tab" name="tabs-1" open><summary>macOS</summary><p>Press <strong>Cmd</strong>.</p></details><details class="tab" name="tabs-1"><summary>Windows</summary><p>Press Ctrl.</p></details></div>"`,
    );
  });

  it('embeds YouTube without tracking cookies, Vimeo, and plain video files', async () => {
    const out = await html(
      [
        '<Video src="https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10" title="Setting up" />',
        '<Video src="https://youtu.be/dQw4w9WgXcQ" title="Short link" />',
        '<Video src="https://vimeo.com/76979871" title="On Vimeo" />',
        '<Video src="https://cdn.example.com/tour.mp4" title="Tour" />',
      ].join('\n\n'),
      'mdx',
    );
    expect(out.split('\n')).toEqual([
      '<div class="video"><iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" title="Setting up" loading="lazy" allow="accelerometer; encrypted-media; picture-in-picture" allowfullscreen></iframe></div>',
      '<div class="video"><iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" title="Short link" loading="lazy" allow="accelerometer; encrypted-media; picture-in-picture" allowfullscreen></iframe></div>',
      '<div class="video"><iframe src="https://player.vimeo.com/video/76979871" title="On Vimeo" loading="lazy" allow="accelerometer; encrypted-media; picture-in-picture" allowfullscreen></iframe></div>',
      '<video controls preload="none" src="https://cdn.example.com/tour.mp4" title="Tour"></video>',
    ]);
  });

  it('requires a Video title, which names the frame for screen readers', async () => {
    await expect(render('<Video src="https://youtu.be/abc" />\n', 'mdx')).rejects.toThrow(
      /Video needs a title/,
    );
  });

  it('throws for an unknown component, listing the ones there are', async () => {
    expect(MDX_COMPONENTS).toEqual(['Callout', 'Steps', 'Tabs', 'Tab', 'Video']);
    const error = await render('# Hi\n\n<Accordion>x</Accordion>\n', 'mdx').catch((e: unknown) => e);
    expect(error).toMatchObject({
      message: 'unknown component <Accordion>; use Callout, Steps, Tabs, Tab or Video',
      line: 3,
    });
  });

  it('drops imports and expressions instead of running them', async () => {
    const out = await html(
      "import { Callout } from '../components';\nexport const meta = {};\n\nTotal: {1 + 1}\n\n{/* note */}\n",
      'mdx',
    );
    expect(out).toBe('<p>Total: </p>');
  });

  it('applies the Markdown rules inside components and to HTML written as JSX', async () => {
    const result = await render(
      '<Callout type="tip">\n## Fees\n\nSee [refunds](refunds.md) ![Chart](./chart.png)\n</Callout>\n\n<kbd className="key">Esc</kbd>\n',
      'mdx',
    );
    expect(result.headings).toEqual([{ depth: 2, id: 'fees', text: 'Fees' }]);
    expect(result.html).toContain('<a href="/de/articles/refunds/">refunds</a> <!--sp-image:0-->');
    expect(result.html).toContain('<kbd class="key">Esc</kbd>');
  });
});
