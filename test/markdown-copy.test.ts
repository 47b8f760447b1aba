import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../src/content/load.ts';
import type { Article, ArticleLink } from '../src/content/model.ts';
import { parse } from 'yaml';
import { markdownCopy } from '../src/feed/markdown-copy.ts';
import { markdownCopyBody } from '../src/markdown/article.ts';
import { copyExample, type ExampleCopy } from './helpers/example.ts';

const ORIGIN = 'https://help.acme.test';
const absoluteUrlOf = (link: ArticleLink) => `${ORIGIN}/${link.targetLanguage}/articles/${link.targetId}/`;

/** Written next to `refunds` and `plans-and-pricing`, which its links resolve to. */
const BODY = `
See [Request a refund](refunds.md) first; [refunds.md](refunds.md) again, and the fees in
[the fee section](refunds.md#fees "Fees").

Prices are on the [plans page][plans], and [again][plans].

Written as code, a link stays as it is: \`[refunds](refunds.md)\` and

\`\`\`md
Read [Request a refund](refunds.md).
\`\`\`

日本語のあとで 😀 [返金](<refunds.md>) and <a href="plans-and-pricing.md">as HTML</a>.

[plans]: plans-and-pricing.md
`;

describe('the Markdown copy agents read', () => {
  let example: ExampleCopy;
  let article: Article;
  beforeAll(async () => {
    example = copyExample();
    example.write('help-centers/main/billing/copy-check.en.md', `---\ntitle: Copy check\n---\n${BODY}`);
    const { model, problems } = await loadContent(example.content);
    expect(problems.errors).toEqual([]);
    article = model!.helpCenters.get('main')!.articles.get('copy-check')!.translations.get('en')!;
  });
  afterAll(() => example.remove());

  it('points every article link at its absolute URL, at the place it is written, and nothing else', () => {
    expect(markdownCopyBody(article, absoluteUrlOf)).toBe(
      `
See [Request a refund](${ORIGIN}/en/articles/refunds/) first; [refunds.md](${ORIGIN}/en/articles/refunds/) again, and the fees in
[the fee section](${ORIGIN}/en/articles/refunds/#fees "Fees").

Prices are on the [plans page][plans], and [again][plans].

Written as code, a link stays as it is: \`[refunds](refunds.md)\` and

\`\`\`md
Read [Request a refund](refunds.md).
\`\`\`

日本語のあとで 😀 [返金](<${ORIGIN}/en/articles/refunds/>) and <a href="${ORIGIN}/en/articles/plans-and-pricing/">as HTML</a>.

[plans]: ${ORIGIN}/en/articles/plans-and-pricing/
`.trim(),
    );
  });

  it('leaves a body without article links as written, trimmed', () => {
    expect(markdownCopyBody({ ...article, links: [] }, absoluteUrlOf)).toBe(BODY.trim());
  });

  it('takes the default description from the first prose paragraph of the same parse', async () => {
    example.write(
      'help-centers/main/billing/no-description.en.md',
      `---\ntitle: No description\n---\n\n# Heading\n\n> [!NOTE]\n> A callout.\n\n- A list\n\n![A screenshot](./invoice-screen.png)\n\nThe **first** paragraph, with a [link](refunds.md) and ~~struck~~ text.\n\nThe second.\n`,
    );
    const { model } = await loadContent(example.content);
    const loaded = model!.helpCenters.get('main')!.articles.get('no-description')!.translations.get('en')!;
    expect(loaded.description).toBe('The first paragraph, with a link and struck text.');
  });
});

describe("the Markdown copy's front matter", () => {
  let example: ExampleCopy;
  let article: Article;
  beforeAll(async () => {
    example = copyExample();
    const { model } = await loadContent(example.content);
    article = model!.helpCenters.get('main')!.articles.get('refunds')!.translations.get('en')!;
  });
  afterAll(() => example.remove());

  it.each([
    'No',
    '2024-01-01',
    'null',
    '---',
    '... and more',
    '# not a comment',
    'key: value',
    'Say "refund", not \\refund\\',
    "It's 50% off & [more] {here} *now* | ok",
    'Tab\there',
    'Line\u2028separated\u2029and\u0085next',
    '日本語のタイトル 😀',
    'عنوان عربي',
  ])('reads back as the very title in YAML 1.2 and 1.1: %j', (title) => {
    const copy = markdownCopy({ ...article, title }, ORIGIN);
    const [, block] = /^---\n([\s\S]*?\n)---\n# /.exec(copy) ?? [];
    expect(block).toBeDefined();
    for (const version of ['1.2', '1.1'] as const) {
      const fields: unknown = parse(block!, { version });
      expect(fields).toEqual({
        url: `${ORIGIN}/en/articles/refunds/`,
        title,
        language: 'en',
        updated: article.updated.toISOString(),
      });
    }
  });
});
