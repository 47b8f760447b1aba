import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../src/content/load.ts';
import type { FeedArticle, KnowledgeFeed } from '../src/feed/schema.ts';
import { writeFeeds } from '../src/output/feed-files.ts';
import { computeSite } from '../src/routing/site.ts';
import { copyExample, type ExampleCopy } from './helpers/example.ts';

/**
 * The feed writer in process, without Astro, on the example plus what it lacks: a private article
 * and an internal note that show images, and an internal note linking to another note and to a
 * help-center article.
 */
describe('images and links the example does not have', () => {
  let example: ExampleCopy;
  let out: string;
  const feed = (file: string): KnowledgeFeed => JSON.parse(fs.readFileSync(path.join(out, file), 'utf8'));
  const find = (f: KnowledgeFeed, id: string): FeedArticle => f.articles.find((a) => a.id === id)!;

  beforeAll(async () => {
    example = copyExample();
    out = path.join(example.root, 'dist');
    const png = (r: number) =>
      sharp({ create: { width: 4, height: 4, channels: 3, background: { r, g: 0, b: 0 } } })
        .png()
        .toBuffer();
    example.write('help-centers/main/account/secret-screen.png', await png(200));
    example.write(
      'help-centers/main/account/private-shot.en.md',
      '---\ntitle: Private shot\nvisibility: private\n---\n\n![The secret screen](./secret-screen.png)\n',
    );
    example.write('internal/support-playbooks/diagram.png', await png(100));
    example.write(
      'internal/support-playbooks/with-image.en.md',
      '---\ntitle: With image\n---\n\nSee [the escalation note](escalation.md#approve-it-yourself) and ' +
        '[refunds](refunds.md).\n\n![A diagram](./diagram.png)\n',
    );
    const { model, problems } = await loadContent(example.content);
    expect(problems.errors).toEqual([]);
    const { site, renderer } = await computeSite(model!, { mode: 'build' });
    await writeFeeds(out, model!, site, renderer);
  });
  afterAll(() => example.remove());

  it("a private article's image is published in the private tree only", () => {
    const shot = find(feed('_export/acme/knowledge.json'), 'private-shot');
    const src =
      /<img src="https:\/\/help\.acme\.test(\/_astro\/[0-9a-f]{16}\.png)" alt="The secret screen">/.exec(
        shot.body.html,
      )?.[1];
    expect(src).toBeDefined();
    expect(shot.body.markdown).toBe(`![The secret screen](https://help.acme.test${src})`);
    expect(fs.existsSync(path.join(out, '_private/acme', src!))).toBe(true);
    expect(fs.existsSync(path.join(out, 'acme', src!))).toBe(false);
    expect(find(feed('acme/knowledge.json'), 'private-shot')).toBeUndefined();
  });

  it("an internal note's image is nowhere on the domain: its alt text stands in", () => {
    const note = find(feed('_export/acme/knowledge.json'), 'with-image');
    expect(note.body.html).not.toContain('<img');
    expect(note.body.html).toContain('A diagram');
    expect(note.body.markdown).toContain('![A diagram](./diagram.png)');
    const diagram = fs.readFileSync(example.file('internal/support-playbooks/diagram.png'));
    const published = (fs.readdirSync(out, { recursive: true }) as string[]).filter((f) =>
      f.endsWith('.png'),
    );
    expect(published.length).toBeGreaterThan(0);
    for (const file of published)
      expect(fs.readFileSync(path.join(out, file)).equals(diagram), file).toBe(false);
  });

  it("an internal note links notes by id and articles on the brand's domain", () => {
    for (const [brand, domain] of [
      ['acme', 'help.acme.test'],
      ['acme-eu', 'acme-eu.help.example.com'],
      // Globex does not publish the main help center: the first brand that does.
      ['globex', 'help.acme.test'],
    ]) {
      const note = find(feed(`_export/${brand}/knowledge.json`), 'with-image');
      expect(note.body.markdown, brand).toContain(
        `[the escalation note](escalation.md#approve-it-yourself) and [refunds](https://${domain}/en/articles/refunds/)`,
      );
      expect(note.body.html, brand).toContain('href="escalation.md#approve-it-yourself"');
      expect(note.body.html, brand).toContain(`href="https://${domain}/en/articles/refunds/"`);
    }
  });
});
