import path from 'node:path';
import * as satteri from 'satteri';
import { describe, expect, it, vi } from 'vitest';
import { loadContent } from '../src/content/load.ts';
import type { Article } from '../src/content/model.ts';
import { markdownCopyBody, renderArticle } from '../src/markdown/article.ts';
import { markdownLabels } from '../src/routing/render.ts';
import { PROJECT } from './helpers/example.ts';

// Every way Sätteri can parse Markdown, counted; the modules under test import the same spies.
vi.mock('satteri', async (importOriginal) => {
  const real = await importOriginal<typeof satteri>();
  const parsers = [
    'createMdastHandle',
    'createMdxMdastHandle',
    'createHastHandle',
    'createMdxHastHandle',
    'markdownToMdast',
    'mdxToMdast',
    'markdownToHast',
    'mdxToHast',
    'markdownToHtml',
  ] as const;
  return { ...real, ...Object.fromEntries(parsers.map((name) => [name, vi.fn(real[name])])) };
});

const labels = markdownLabels('en');

/** Parses per function name, and in total. */
function parses(): { total: number; byName: Record<string, number> } {
  const byName: Record<string, number> = {};
  for (const [name, value] of Object.entries(satteri))
    if (vi.isMockFunction(value) && value.mock.calls.length) byName[name] = value.mock.calls.length;
  return { total: Object.values(byName).reduce((a, b) => a + b, 0), byName };
}

describe('each article body is parsed once', () => {
  it('for its links, its description, its page and its Markdown copy together', async () => {
    vi.clearAllMocks();
    const { model } = await loadContent(path.join(PROJECT, 'content'));
    const groups = [...model!.helpCenters.values()].flatMap((hc) => [...hc.articles.values()]);
    const articles: Article[] = [...groups, ...model!.internal.articles.values()].flatMap((group) => [
      ...group.translations.values(),
    ]);
    // The example must exercise both paths: parsed while loading (links), and only when rendered.
    const loadedParses = parses().total;
    expect(loadedParses).toBeGreaterThan(5);
    expect(loadedParses).toBeLessThan(articles.length);

    for (const article of articles) {
      await renderArticle(article, { language: article.language, labels, urlOf: () => '/x/' });
      markdownCopyBody(article, () => 'https://help.acme.test/x/');
    }
    const { total, byName } = parses();
    expect(total).toBe(articles.length);
    expect(Object.keys(byName).sort()).toEqual(['createMdastHandle', 'createMdxMdastHandle']);
  });

  it('again, on purpose, when an article is rendered a second time', async () => {
    const { model } = await loadContent(path.join(PROJECT, 'content'));
    const article = model!.helpCenters.get('main')!.articles.get('refunds')!.translations.get('en')!;
    const options = { language: 'en', labels, urlOf: () => '/x/' };
    const first = await renderArticle(article, options);
    vi.clearAllMocks();
    expect((await renderArticle(article, options)).html).toBe(first.html);
    expect(parses().total).toBe(1);
  });
});
