import fs from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadContent } from '../src/content/load.ts';
import type { Article } from '../src/content/model.ts';
import { Problems } from '../src/content/problems.ts';
import { RenderThread } from '../src/markdown/render-thread.ts';
import { ArticleRenderer } from '../src/routing/render.ts';
import { copyExample, type ExampleCopy } from './helpers/example.ts';

/**
 * A build with many bodies to render renders them on two threads (`RenderThread`): what the second
 * thread renders must be what the build's own would have, byte for byte, and a problem only a
 * render finds must be reported at the same line, whichever thread found it.
 */
let copy: ExampleCopy;
/** The line of the misused component in the article only a render finds wrong. */
const STEPS_LINE = 8;

beforeAll(() => {
  copy = copyExample();
  // More bodies than the thread is started for, each with what a render has work in: code to
  // highlight, a table, a callout, a heading with an id, a link to another article.
  for (let i = 0; i < RenderThread.MIN_JOBS + 20; i++)
    fs.writeFileSync(
      copy.file(`help-centers/main/billing/generated-${i}.en.md`),
      [
        '---',
        `title: Generated article ${i}`,
        `description: A body for the render thread, number ${i}.`,
        '---',
        '',
        `## Step ${i} of the setup`,
        '',
        `Read [refunds](refunds.en.md) first. Then run this, ${i} times:`,
        '',
        '```js',
        `const answer = ${i} * 2; // ${i % 7}`,
        '```',
        '',
        '| Plan | Seats |',
        '| --- | --- |',
        `| Pro | ${i} |`,
        '',
        '> [!NOTE]',
        `> Note ${i % 5}.`,
        '',
      ].join('\n'),
    );
  fs.writeFileSync(
    copy.file('help-centers/main/billing/generated-steps.en.mdx'),
    [
      '---',
      'title: Steps that are not steps',
      'description: A component that only a render finds misused.',
      '---',
      '',
      'Before the steps.',
      '',
      '<Steps>',
      'Not a numbered list.',
      '</Steps>',
      '',
    ].join('\n'),
  );
});
afterAll(() => copy?.remove());

it('renders on a second thread what the build renders on its own, and reports a problem at the same line', async () => {
  const { model } = await loadContent(copy.content);
  const all: Article[] = [];
  for (const hc of model!.helpCenters.values())
    for (const group of hc.articles.values())
      for (const article of group.translations.values()) if (article.state === 'published') all.push(article);
  // Last, so the thread (which starts from the end) is the one that renders it.
  const steps = all.findIndex((a) => a.file.endsWith('generated-steps.en.mdx'));
  const articles = [...all.slice(0, steps), ...all.slice(steps + 1), all[steps]!];

  const twoProblems = new Problems();
  const two = new ArticleRenderer(twoProblems);
  two.prefetch(articles);
  // The first few at once, on this thread (the other is still loading); the rest once the other
  // has rendered all it could claim.
  const onTwo = [];
  for (const article of articles.slice(0, 5)) onTwo.push(await two.render(article));
  await two.threadEnded();
  for (const article of articles.slice(5)) onTwo.push(await two.render(article));

  const oneProblems = new Problems();
  const one = new ArticleRenderer(oneProblems);
  const onOne = [];
  for (const article of articles) onOne.push(await one.render(article));

  expect(two.renderedElsewhere).toBe(articles.length - 5);
  expect(onTwo).toEqual(onOne);
  expect(onTwo.some((r) => r.html.includes('--shiki-light'))).toBe(true);
  const stepsFile = articles.at(-1)!.file;
  const expected = {
    file: stepsFile,
    line: STEPS_LINE,
    severity: 'error',
    message: expect.stringMatching(/Steps/),
  };
  expect(oneProblems.errors).toEqual([expect.objectContaining(expected)]);
  expect(twoProblems.errors).toEqual(oneProblems.errors);
});
