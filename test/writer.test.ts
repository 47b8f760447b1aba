import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newTokens } from '../src/output/tokens.ts';
import { searchInputHash } from '../src/search/input.ts';
import { FileWriter } from '../src/output/writer.ts';

/**
 * The writer thread (`writer.ts`) the build hands its feeds, `.md` copies and shared pages to.
 * Astro renders eight pages at once, so several pages may hand their files over at the same time,
 * each waiting while more than the budget is still to be written.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-writer-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the writer thread', () => {
  it('writes every file of writers waiting at once over its budget, then ends', async () => {
    const writer = new FileWriter();
    const megabyte = (i: number) => `${i}`.padEnd(1024 * 1024, 'x');
    const count = Math.ceil((FileWriter.BUDGET * 1.5) / (1024 * 1024));
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        writer.write([{ file: path.join(dir, `many/${i}/index.html`), text: megabyte(i) }]),
      ),
    );
    await writer.close();
    for (let i = 0; i < count; i++)
      expect(fs.readFileSync(path.join(dir, `many/${i}/index.html`), 'utf8')).toBe(megabyte(i));
  });

  it('has every file of both lanes on disk once flushed, and takes more after', async () => {
    const writer = new FileWriter();
    const files = [0, 1].map((lane) => path.join(dir, `flushed/${lane}/index.html`));
    await writer.write([{ file: files[0]!, text: 'first lane' }], 0);
    await writer.write([{ file: files[1]!, text: 'second lane' }], 1);
    await writer.flush();
    // Read while the threads are still there: the pages the search index reads before the feeds.
    expect(files.map((file) => fs.readFileSync(file, 'utf8'))).toEqual(['first lane', 'second lane']);
    const later = path.join(dir, 'flushed/later.json');
    await writer.write([{ file: later, text: '{}' }], 1);
    await writer.close();
    expect(fs.readFileSync(later, 'utf8')).toBe('{}');
  });

  it('puts pieces of a file one after another, and brand words in place of tokens', async () => {
    const writer = new FileWriter();
    const tokens = newTokens();
    const file = path.join(dir, 'feed.json');
    await writer.write([{ file, text: 'old' }]);
    await writer.write([{ file, text: '{"a":' }]);
    await writer.write([{ file, text: '1}', append: true }]);
    await writer.write([
      {
        file: path.join(dir, 'page.html'),
        text: `<b>${tokens.token(1)}</b>`,
        words: { prefix: tokens.prefix, words: ['A', 'Brand 2'] },
      },
    ]);
    await writer.close();
    expect(fs.readFileSync(file, 'utf8')).toBe('{"a":1}');
    expect(fs.readFileSync(path.join(dir, 'page.html'), 'utf8')).toBe('<b>Brand 2</b>');
  });

  it("keeps the page cache's hashes of the pages it writes, with their words in, in a thread or not", async () => {
    for (const thread of [true, false]) {
      const writer = new FileWriter({ thread });
      const tokens = newTokens();
      const file = path.join(dir, `hashed-${thread}/en/articles/x/index.html`);
      const html = `<html lang="en"><h1>${tokens.token(0)} – Ünited</h1><article data-pagefind-body>Text</article></html>`;
      const words = { prefix: tokens.prefix, words: ['Acme'] };
      await writer.write([
        { file, text: html, words, page: true },
        { file: `${file}.md`, text: 'not a page' },
      ]);
      await writer.close();
      const bytes = fs.readFileSync(file);
      expect(bytes.toString('utf8')).toContain('<h1>Acme – Ünited</h1>');
      expect([...writer.hashes.keys()]).toEqual([file]);
      expect(writer.hashes.get(file)).toEqual({
        sha: createHash('sha256').update(bytes).digest('hex'),
        search: searchInputHash(bytes.toString('utf8')),
      });
    }
  });

  it('writes a page handed over as UTF-8 bytes as they are, with its hashes, in a thread or not; the same bytes twice in a batch; bytes of part of a buffer stay usable', async () => {
    for (const thread of [true, false]) {
      const writer = new FileWriter({ thread });
      const file = path.join(dir, `bytes-${thread}/de/articles/y/index.html`);
      const html = '<html lang="de"><h1>Grüße</h1><article data-pagefind-body>Größe – 日本</article></html>';
      const whole = new TextEncoder().encode(html);
      const pooled = Buffer.from('<p>Ünited</p>'); // a view of part of Node's shared pool
      await writer.write([
        { file, text: whole, page: true },
        { file: `${file}.twin`, text: whole },
        { file: `${file}.part`, text: pooled },
      ]);
      await writer.close();
      const bytes = fs.readFileSync(file);
      expect(bytes.toString('utf8')).toBe(html);
      expect(fs.readFileSync(`${file}.twin`, 'utf8')).toBe(html);
      expect(fs.readFileSync(`${file}.part`, 'utf8')).toBe('<p>Ünited</p>');
      expect(pooled.toString('utf8')).toBe('<p>Ünited</p>');
      expect(writer.hashes.get(file)).toEqual({
        sha: createHash('sha256').update(bytes).digest('hex'),
        search: searchInputHash(html),
      });
    }
  });

  it("puts each twin's words in a page handed over once as UTF-8 bytes for all twins, in a thread or not", async () => {
    for (const thread of [true, false]) {
      const writer = new FileWriter({ thread });
      const tokens = newTokens();
      const html = `<html lang="ja"><h1>${tokens.token(0)} – 日本語</h1><a href="https://${tokens.token(1)}/">ü</a></html>`;
      const bytes = new TextEncoder().encode(html);
      const twins = [
        ['one', ['Acme', 'help.acme.test']],
        ['two', ['Acme Europe', 'hilfe.acme.test']],
      ] as const;
      const files = twins.map(([name, words]) => ({
        file: path.join(dir, `twins-${thread}/${name}/index.html`),
        text: bytes,
        words: { prefix: tokens.prefix, words },
        page: true,
      }));
      await writer.write(files);
      await writer.close();
      for (const [i, [, [name, domain]]] of twins.entries()) {
        const written = fs.readFileSync(files[i]!.file, 'utf8');
        expect(written).toBe(
          `<html lang="ja"><h1>${name} – 日本語</h1><a href="https://${domain}/">ü</a></html>`,
        );
        expect(writer.hashes.get(files[i]!.file)?.search).toBe(searchInputHash(written));
      }
    }
  });

  it('writes no page in which a template changed a token, and says so at close', async () => {
    for (const thread of [true, false]) {
      const writer = new FileWriter({ thread });
      const tokens = newTokens();
      const file = path.join(dir, `changed-${thread}/index.html`);
      const words = { prefix: tokens.prefix, words: ['Acme'] };
      // As a template that upper-cased the brand's name would leave it.
      const page = { file, text: `<h1>${tokens.token(0).toUpperCase()}</h1>`, words, page: true };
      if (thread) {
        await writer.write([page]);
        await expect(writer.close()).rejects.toThrow(/a template changed a brand's word/);
      } else await expect(writer.write([page])).rejects.toThrow(/a template changed a brand's word/);
      expect(fs.existsSync(file)).toBe(false);
    }
  });

  it('puts a file of another tree in place as a link, its folders made, in a thread or not', async () => {
    const from = path.join(dir, 'previous/en/articles/refunds/index.html');
    fs.mkdirSync(path.dirname(from), { recursive: true });
    fs.writeFileSync(from, '<p>Refunds</p>');
    for (const thread of [true, false]) {
      const file = path.join(dir, `linked-${thread}/en/articles/refunds/index.html`);
      const writer = new FileWriter({ thread });
      await writer.write([{ file, from }]);
      await writer.close();
      expect(fs.readFileSync(file, 'utf8')).toBe('<p>Refunds</p>');
      expect(fs.statSync(file).ino).toBe(fs.statSync(from).ino);
      expect(writer.hashes.size).toBe(0);
    }
  });

  it('says so when a file cannot be written, at close', async () => {
    const writer = new FileWriter();
    fs.writeFileSync(path.join(dir, 'a-file'), '');
    await writer.write([{ file: path.join(dir, 'a-file/below/index.html'), text: 'x' }]);
    await expect(writer.close()).rejects.toThrow(/ENOTDIR|EEXIST/);
  });

  it("writes two brands' files in lanes side by side, each file's pieces in order, with every page's hashes, in a thread or not", async () => {
    for (const thread of [true, false]) {
      const writer = new FileWriter({ thread });
      const root = path.join(dir, `lanes-${thread}`);
      const feed = (brand: number) => path.join(root, `brand${brand}/knowledge.json`);
      const page = (brand: number, i: number) =>
        path.join(root, `brand${brand}/en/articles/a${i}/index.html`);
      const writes: Promise<void>[] = [];
      for (const brand of [1, 2]) {
        const lane = FileWriter.laneOf(brand - 1);
        writes.push(writer.write([{ file: feed(brand), text: `{"brand":${brand},` }], lane));
        for (let i = 0; i < 50; i++) {
          const html = `<html lang="en"><article data-pagefind-body>Brand ${brand}, page ${i}</article></html>`;
          writes.push(
            writer.write([{ file: page(brand, i), text: new TextEncoder().encode(html), page: true }], lane),
          );
          writes.push(writer.write([{ file: feed(brand), text: `"a${i}":1,`, append: true }], lane));
        }
        writes.push(writer.write([{ file: feed(brand), text: '"end":1}', append: true }], lane));
      }
      await Promise.all(writes);
      await writer.close();
      for (const brand of [1, 2]) {
        const pieces = Array.from({ length: 50 }, (_, i) => `"a${i}":1,`).join('');
        expect(fs.readFileSync(feed(brand), 'utf8')).toBe(`{"brand":${brand},${pieces}"end":1}`);
        for (let i = 0; i < 50; i++) {
          const bytes = fs.readFileSync(page(brand, i));
          expect(bytes.toString('utf8')).toContain(`Brand ${brand}, page ${i}`);
          expect(writer.hashes.get(page(brand, i))?.sha).toBe(
            createHash('sha256').update(bytes).digest('hex'),
          );
        }
      }
      expect(writer.hashes.size).toBe(100);
    }
  });

  it('says so at close when a file of the second lane cannot be written', async () => {
    const writer = new FileWriter();
    fs.writeFileSync(path.join(dir, 'b-file'), '');
    await writer.write([{ file: path.join(dir, 'lane-ok/index.html'), text: 'x' }], 0);
    await writer.write([{ file: path.join(dir, 'b-file/below/index.html'), text: 'x' }], 1);
    await expect(writer.close()).rejects.toThrow(/ENOTDIR|EEXIST/);
  });
});
