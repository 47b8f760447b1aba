import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashInputs } from '../src/cli/build-stamp.ts';
import { LoadCache } from '../src/content/load-cache.ts';
import { loadContent } from '../src/content/load.ts';
import type { Folder } from '../src/content/model.ts';
import { formatProblem } from '../src/content/problems.ts';
import { copyExample, type ExampleCopy } from './helpers/example.ts';

/**
 * The load cache, on its own: a load that takes each article's front matter and body outline from
 * the previous load reports every problem the first one did, at the same lines, and makes the same
 * articles. (`build-incremental.test.ts` shows the builds that use it are byte for byte full
 * builds.)
 */
let copy: ExampleCopy;
let dir: string;
/** The size up to which a load reads the previous file whole (undefined: the cache's own figure). */
let wholeMax: number | undefined;
beforeEach(() => {
  copy = copyExample();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-load-cache-'));
});
afterEach(() => {
  copy.remove();
  fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * A load as the build runs one: through the cache of the previous load, then saved for the next;
 * given the hash of each article file's bytes as the build stamp's check takes them (`hashes`:
 * those, or taken now).
 */
const load = async (fresh = false, hashes?: Record<string, string>) => {
  hashes ??= (await hashInputs(copy.content, {})).articleHashes;
  const cache = new LoadCache(copy.content, 'v1', fresh, {
    dir,
    articles: hashes,
    ...(wholeMax === undefined ? {} : { wholeMax }),
  });
  const { model, problems } = await loadContent(copy.content, { cache });
  cache.save();
  const articles = [...(model?.helpCenters.values() ?? [])]
    .flatMap((hc) => [...hc.articles.values()])
    .flatMap((group) => [...group.translations.values()])
    .map((a) => ({
      file: path.relative(copy.content, a.file),
      title: a.title,
      description: a.description,
      visibility: a.visibility,
      ai: a.ai,
      tags: a.tags,
      keyLines: a.keyLines,
      links: a.links,
      images: a.images,
    }))
    .sort((a, b) => a.file.localeCompare(b.file));
  const collections = [...(model?.helpCenters.values() ?? [])]
    .flatMap((hc) => [...hc.collectionsByPath.values()])
    .map((c) => ({ file: path.relative(copy.content, c.file), config: c.config }))
    .sort((a, b) => a.file.localeCompare(b.file));
  const folders: { path: string[]; config: unknown }[] = [];
  const addFolders = (list: Folder[]) => {
    for (const f of list) {
      folders.push({ path: f.path, config: f.config });
      addFolders(f.children);
    }
  };
  addFolders(model?.internal.folders ?? []);
  const lines = problems.sorted().map((p) => formatProblem(p, copy.content));
  return { articles, collections, folders, lines, hits: cache.hits };
};

/** Front matter and bodies with problems of every kind a load reports from them. */
function addProblems(): void {
  // YAML that does not parse (never kept, so reported every time).
  copy.edit('help-centers/main/billing/refunds.en.md', (t) => t.replace('order: 2', 'order: 2: 3'));
  // A nested key against the schema: its line is a deeper path's.
  copy.edit('help-centers/main/billing/payments/cards/update-card.en.md', (t) =>
    t.replace(/^title: (.*)$/m, 'title: $1\nai:\n  agent: maybe'),
  );
  // A key an object of lines cannot hold as its own (the schema knows no such key).
  copy.edit('help-centers/main/billing/download-invoices.en.md', (t) =>
    t.replace(/^title: (.*)$/m, 'title: $1\n__proto__: yes'),
  );
  // An unknown author: a top-level key's line, for a cross-check after the load.
  copy.edit('help-centers/main/getting-started/invite-teammates.en.md', (t) =>
    t.replace(/^author: .*$/m, 'author: nobody'),
  );
  // A collection's and a folder's files: a top-level key against the schema, and a nested one.
  copy.edit('help-centers/main/billing/_collection.yaml', (t) => t.replace('order: 2', 'order: second'));
  copy.edit('help-centers/main/account/_collection.yaml', (t) =>
    t.replace('en: Account & security', 'en: [Account, security]'),
  );
  copy.edit('internal/sales-handoffs/enterprise/_folder.yaml', (t) => `${t}\nemojii: x\n`);
  // A link to no article, and a script: read from the body's outline.
  copy.edit('help-centers/main/getting-started/invite-teammates.de.md', (t) =>
    t.replace(/\n---\n/, '\n---\n\nSee [the guide](no-such-article.md).\n\n<script>alert(1)</script>\n'),
  );
}

// Each case twice: with the previous file read whole (as at 1,000 × 3), and an entry at a time
// from disk (as a large site's, whose file is too large to hold).
describe.each([
  ['read whole', undefined],
  ['read an entry at a time', 0],
])('with the previous file %s', (_how, max) => {
  beforeEach(() => {
    wholeMax = max;
  });
  it('reports the same problems at the same lines, and makes the same articles, from what it kept', async () => {
    addProblems();
    const first = await load(true);
    expect(first.hits).toBe(0);
    // Each kind above is among them.
    expect(first.lines.join('\n')).toMatch(/refunds\.en\.md:\d+: /);
    expect(first.lines.join('\n')).toMatch(/update-card\.en\.md:\d+: .*agent/);
    expect(first.lines.join('\n')).toMatch(/invite-teammates\.en\.md:\d+: .*nobody/);
    expect(first.lines.join('\n')).toMatch(/download-invoices\.en\.md:3: .*__proto__/);
    expect(first.lines.join('\n')).toMatch(/invite-teammates\.de\.md:\d+: .*no-such-article/);
    expect(first.lines.join('\n')).toMatch(/invite-teammates\.de\.md:\d+: .*script/i);
    expect(first.lines.join('\n')).toMatch(/billing\/_collection\.yaml:\d+: .*order/);
    expect(first.lines.join('\n')).toMatch(/enterprise\/_folder\.yaml:\d+: .*emojii/);
    expect(first.lines.join('\n')).toMatch(/account\/_collection\.yaml:2: /);
    expect(first.folders.length).toBeGreaterThan(0);

    const second = await load();
    // Most front matters and outlines came from the cache.
    expect(second.hits).toBeGreaterThan(first.articles.length);
    expect(second.lines).toEqual(first.lines);
    expect(second.articles).toEqual(first.articles);
    expect(second.collections).toEqual(first.collections);
    expect(second.folders).toEqual(first.folders);

    // A fix is seen at once: the edited file is read again.
    copy.edit('help-centers/main/billing/refunds.en.md', (t) => t.replace('order: 2: 3', 'order: 2'));
    const third = await load();
    expect(third.lines.filter((l) => l.includes('refunds.en.md'))).toEqual([]);
    expect(third.lines.length).toBeLessThan(second.lines.length);
  });

  it('takes an article file whose bytes the build hashed from what it kept of them, without reading it', async () => {
    const file = 'help-centers/main/billing/refunds.en.md';
    const titleOf = (loaded: Awaited<ReturnType<typeof load>>) =>
      loaded.articles.find((a) => a.file === file.split('/').join(path.sep))?.title;
    const first = await load(true);
    const hashes = (await hashInputs(copy.content, {})).articleHashes;
    const second = await load(false, hashes);
    expect(second.articles).toEqual(first.articles);
    expect(second.hits).toBeGreaterThanOrEqual(first.articles.length);
    // The file changed after the build hashed it: the build makes what the hashed bytes made (the
    // stamp it writes is theirs), so it does not read the file at all.
    copy.edit(file, (t) => t.replace(/^title: .*$/m, 'title: Changed after the hashing'));
    expect(titleOf(await load(false, hashes))).toBe(titleOf(first));
    // Hashed again, the new bytes are read.
    expect(titleOf(await load())).toBe('Changed after the hashing');
  });

  it('keeps what it read of an article file only under the hash of the bytes it read', async () => {
    const file = 'help-centers/main/billing/refunds.en.md';
    const titleOf = (loaded: Awaited<ReturnType<typeof load>>) =>
      loaded.articles.find((a) => a.file === file.split('/').join(path.sep))?.title;
    const before = fs.readFileSync(copy.file(file), 'utf8');
    const hashes = (await hashInputs(copy.content, {})).articleHashes;
    // Changed between the hashing and the read: what is read is kept under no hash of other bytes.
    copy.edit(file, (t) => t.replace(/^title: .*$/m, 'title: Changed before the read'));
    expect(titleOf(await load(true, hashes))).toBe('Changed before the read');
    fs.writeFileSync(copy.file(file), before);
    const restored = titleOf(await load(false, hashes));
    expect(restored).not.toBe('Changed before the read');
    expect(before).toContain(`title: ${restored}`);
  });

  it('gives a load of other code, or a damaged file, nothing, and the load is whole', async () => {
    const first = await load(true);
    const [name] = fs.readdirSync(dir);
    const file = path.join(dir, name!);
    // Bytes changed inside the entries (their index, at the end, is whole): whatever cannot be read
    // is read from the content again, and the rest is taken as kept.
    const bytes = fs.readFileSync(file);
    for (let i = Math.floor(bytes.length / 3); i < bytes.length * (2 / 3); i += 97) bytes[i] = 0xff;
    fs.writeFileSync(file, bytes);
    const scrambled = await load();
    expect(scrambled.articles).toEqual(first.articles);
    expect(scrambled.lines).toEqual(first.lines);
    expect(scrambled.hits).toBeGreaterThan(0);
    // That load kept every entry again: the next takes more of them.
    const mended = await load();
    expect(scrambled.hits).toBeLessThan(mended.hits);

    fs.writeFileSync(file, 'not a cache');
    const damaged = await load();
    expect(damaged.hits).toBe(0);
    expect(damaged.articles).toEqual(first.articles);

    const other = new LoadCache(copy.content, 'v2', false, { dir });
    await loadContent(copy.content, { cache: other });
    expect(other.hits).toBe(0);
  });

  it('costs a cache folder that cannot be written nothing but the next load its reads', async () => {
    const notAFolder = path.join(dir, 'file');
    fs.writeFileSync(notAFolder, '');
    const cache = new LoadCache(copy.content, 'v1', false, { dir: notAFolder });
    const { model } = await loadContent(copy.content, { cache });
    expect(model).toBeDefined();
    expect(() => cache.save()).not.toThrow();
    const next = new LoadCache(copy.content, 'v1', false, { dir: notAFolder });
    await loadContent(copy.content, { cache: next });
    expect(next.hits).toBe(0);
  });
});
