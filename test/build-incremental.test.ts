import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderOf } from '../src/cli/kept-bundle.ts';
import { LOAD_CACHE_DIR } from '../src/content/load-cache.ts';
import { setAsideAt } from '../src/cache/files.ts';
import { RENDER_CACHE_DIR, renderPackOf } from '../src/markdown/render-cache.ts';
import { runCli } from './helpers/cli.ts';
import { filesUnder, fingerprint, foldersUnder } from './helpers/dist.ts';
import { copyExample, type ExampleCopy } from './helpers/example.ts';

/**
 * Incremental builds: a build into an output that holds a previous build copies the pages whose
 * inputs did not change instead of rendering them, and keeps the search index of every language
 * whose pages did not change. The proof that it is right: after edits of every kind, the
 * incremental build and a full one (`--no-cache`, into an empty folder) are the same, byte for byte.
 */
let copy: ExampleCopy;
let incremental: string;
let full: string;
const build = (out: string, ...flags: string[]) =>
  runCli(['build', '--content', copy.content, '--out', out, ...flags], {}, 180_000);

const copiedOf = (stdout: string) =>
  Number(/\((\d+) unchanged since the last build, copied[;)]/.exec(stdout)?.[1] ?? 0);
/** Article bodies the build took from the render cache, and all it rendered or took. */
const bodiesOf = (stdout: string) => {
  const [, kept, all] = /(\d+) of (\d+) article bodies not rendered again/.exec(stdout) ?? [];
  return { kept: Number(kept ?? 0), all: Number(all ?? 0) };
};
const pagesOf = (stdout: string) => Number(/✓ built (\d+) pages/.exec(stdout)?.[1] ?? 0);
/** Feed articles (all brands), and of those the ones copied from the previous build's feeds. */
const feedsOf = (stdout: string) => {
  const [, articles, kept] =
    /feeds: (\d+) articles(?: \((\d+) copied from the last build's\))?/.exec(stdout) ?? [];
  return { articles: Number(articles ?? 0), kept: Number(kept ?? 0) };
};
/** Private search indexes the build copied (from another brand, or the previous build) rather than made. */
const privateCopiedOf = (stdout: string) =>
  Number(/(\d+) private index(?:es)? copied\)/.exec(stdout)?.[1] ?? 0);

/**
 * A hard link to every file of the output in `out`, in a folder of their own, and their
 * fingerprint now: the build that replaces that output must never write into one of its files
 * (it links many of them into the new output).
 */
function servedFiles(out: string): { links: string; before: string[] } {
  const links = path.join(copy.root, 'served');
  fs.rmSync(links, { recursive: true, force: true });
  for (const file of filesUnder(out)) {
    fs.mkdirSync(path.dirname(path.join(links, file)), { recursive: true });
    fs.linkSync(path.join(out, file), path.join(links, file));
  }
  return { links, before: fingerprint(links) };
}

beforeAll(async () => {
  copy = copyExample();
  incremental = path.join(copy.root, 'incremental');
  full = path.join(copy.root, 'full');
  const first = await build(incremental);
  expect(first.code, first.stdout + first.stderr).toBe(0);
  expect(copiedOf(first.stdout)).toBe(0);
  expect(first.stdout).not.toMatch(/not rendered again/);
}, 180_000);
afterAll(() => copy?.remove());

/**
 * A change, then which pages and which article bodies the incremental build renders again, and
 * whether it leaves every private page as it was (so every private index is the previous build's).
 */
type Change = [
  name: string,
  change: () => void,
  pages?: 'some' | 'none',
  bodies?: 'none' | 'one' | 'some',
  privateUnchanged?: boolean,
];

describe('an incremental build', () => {
  it.each<Change>([
    [
      'one article body edited',
      () => copy.edit('help-centers/main/billing/refunds.en.md', (t) => `${t}\nOne more paragraph.\n`),
      'some',
      'one',
      true,
    ],
    [
      'one title changed (the article, its collection, related lists and featured articles show it)',
      () =>
        copy.edit('help-centers/main/billing/payments/cards/update-card.en.md', (t) =>
          t.replace(/^title: .*$/m, 'title: Change your card'),
        ),
    ],
    [
      'an article image replaced',
      () => fs.copyFileSync(copy.file('brands/assets/acme-social.png'), imageOf('download-invoices')),
    ],
    [
      'a brand setting changed (every page of that brand shows it)',
      () => copy.edit('brands/globex.yaml', (t) => t.replace('searchBar: short', 'searchBar: long')),
    ],
    [
      'an optimised image deleted from the previous output by hand',
      () => {
        const assets = path.join(incremental, 'acme', '_astro');
        const image = fs.readdirSync(assets).find((name) => name.endsWith('.webp'));
        if (!image) throw new Error('the example shows no optimised image any more?');
        fs.rmSync(path.join(assets, image));
      },
    ],
    [
      'a page of the previous output changed by hand (its bytes are not those recorded)',
      () =>
        fs.appendFileSync(
          path.join(incremental, 'acme', 'en', 'articles', 'refunds', 'index.html'),
          '<!-- x -->',
        ),
      'some',
      'none',
      true,
    ],
    [
      "an author renamed (the feeds name each article's author)",
      () => copy.edit('authors.yaml', (t) => t.replace('name: Omar Haddad', 'name: Omar H. Haddad')),
    ],
    [
      "a collection renamed (the feeds name each article's collections)",
      () =>
        copy.edit('help-centers/main/billing/_collection.yaml', (t) =>
          t.replace(/^(\s*en: ).*$/m, '$1Money'),
        ),
    ],
    [
      'a feed of the previous output changed in place by hand (and an article edited)',
      () => {
        // The same size: were its bytes copied, the incremental build's full feed would not be
        // the full build's.
        const feed = path.join(incremental, '_export', 'acme', 'knowledge.json');
        const text = fs.readFileSync(feed, 'utf8');
        const at = text.lastIndexOf('a');
        fs.writeFileSync(feed, `${text.slice(0, at)}b${text.slice(at + 1)}`);
        copy.edit('help-centers/main/billing/refunds.en.md', (t) => `${t}\nAnd one more.\n`);
      },
      'some',
      'one',
      true,
    ],
    [
      'an unlisted article deleted (no other page shows it)',
      () => fs.rmSync(copy.file('help-centers/main/integrations/webhooks-beta.en.md')),
      'none',
    ],
    [
      'a translation deleted (the bodies that link to it in that language are unchanged; their links now go to the default language)',
      () => fs.rmSync(copy.file('help-centers/main/getting-started/invite-teammates.ja.md')),
      'some',
      'some',
    ],
  ])(
    'after %s is the full build, byte for byte, and renders only what changed',
    async (_change, change, renders = 'some', bodies = 'none', privateUnchanged = false) => {
      change();
      // What a host still serving the previous output reads: each of its files, by the very file
      // (a hard link to it), as it was.
      const served = servedFiles(incremental);
      const inc = await build(incremental);
      expect(inc.code, inc.stdout + inc.stderr).toBe(0);
      fs.rmSync(full, { recursive: true, force: true });
      const whole = await build(full, '--no-cache');
      expect(whole.code, whole.stdout + whole.stderr).toBe(0);
      expect(fingerprint(incremental)).toEqual(fingerprint(full));
      // No folder left empty by a page that is gone (the pages are put in before they are planned).
      expect(foldersUnder(incremental)).toEqual(foldersUnder(full));
      expect(fingerprint(served.links)).toEqual(served.before);
      // It copied most pages, and rendered those that show what changed.
      expect(copiedOf(inc.stdout)).toBeGreaterThan(pagesOf(inc.stdout) / 2);
      if (renders === 'some') expect(copiedOf(inc.stdout)).toBeLessThan(pagesOf(inc.stdout));
      else expect(copiedOf(inc.stdout)).toBe(pagesOf(inc.stdout));
      // Of the article bodies, it rendered again only those whose render changed.
      const { kept, all } = bodiesOf(inc.stdout);
      expect(kept).toBeGreaterThan(all / 2);
      const rendered = { none: 0, one: 1, some: -1 }[bodies];
      if (rendered >= 0) expect(all - kept).toBe(rendered);
      else expect(all - kept).toBeGreaterThan(0);
      // Private indexes: the full build copies between brands only; this one from its previous output too.
      const privateIndexes = fs
        .readdirSync(path.join(full, '_private'), { recursive: true, encoding: 'utf8' })
        .filter((name) => name.endsWith('pagefind-entry.json')).length;
      expect(privateCopiedOf(whole.stdout)).toBeLessThan(privateIndexes);
      if (privateUnchanged) expect(privateCopiedOf(inc.stdout)).toBe(privateIndexes);
      else expect(privateCopiedOf(inc.stdout)).toBeGreaterThanOrEqual(privateCopiedOf(whole.stdout));
    },
  );

  it('removes the render pack it replaced, in the background', async () => {
    copy.edit('help-centers/main/billing/refunds.en.md', (t) => `${t}\nA line for the pack.\n`);
    const inc = await build(incremental);
    expect(inc.code, inc.stdout + inc.stderr).toBe(0);
    const pack = path.basename(renderPackOf(incremental));
    const setAside = () =>
      fs
        .readdirSync(RENDER_CACHE_DIR)
        .filter((name) => name.startsWith(`${pack}.`) && setAsideAt(name) !== undefined);
    for (let waited = 0; setAside().length > 0 && waited < 20_000; waited += 100)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(setAside()).toEqual([]);
    expect(fs.existsSync(path.join(RENDER_CACHE_DIR, pack))).toBe(true);
  });

  it("copies each feed article that did not change from the previous build's feeds", async () => {
    copy.edit('help-centers/main/billing/refunds.en.md', (t) => `${t}\nOne line more.\n`);
    const inc = await build(incremental);
    expect(inc.code, inc.stdout + inc.stderr).toBe(0);
    const { articles, kept } = feedsOf(inc.stdout);
    expect(articles).toBeGreaterThan(20);
    // All but the edited article, which two brands publish (acme and acme-eu, in English).
    expect(articles - kept).toBe(2);
  });

  it("renders with the last build's Astro bundle (an edit's pages, or every page into an empty folder), unless a page shows an image it does not hold or it meets a question its build did not answer", async () => {
    const kept = "rendered with the last build's Astro bundle";
    const sameAsFull = async () => {
      fs.rmSync(full, { recursive: true, force: true });
      const whole = await build(full, '--no-cache');
      expect(whole.code, whole.stdout + whole.stderr).toBe(0);
      expect(fingerprint(incremental)).toEqual(fingerprint(full));
    };
    const edit = (line: string) =>
      copy.edit('help-centers/main/billing/download-invoices.en.md', (t) => `${t}\n${line}\n`);
    // The bundle the last Astro build kept holds the images of the pages it rendered, which need
    // not include this article's: after one build of the edited article, it does.
    edit('A line more.');
    const first = await build(incremental);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    edit('Another line more.');
    const second = await build(incremental);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toContain(kept);
    await sameAsFull();
    // A question about an image its build did not answer (here: none answered) stops the kept
    // render, and Astro builds the pages.
    const record = path.join(folderOf(incremental), 'record.json');
    fs.writeFileSync(record, JSON.stringify({ ...JSON.parse(fs.readFileSync(record, 'utf8')), answers: {} }));
    edit('A third line more.');
    const missed = await build(incremental);
    expect(missed.code, missed.stdout + missed.stderr).toBe(0);
    expect(missed.stdout).not.toContain(kept);
    await sameAsFull();
    // The article's image replaced: the bundle holds what Astro read of its old bytes.
    fs.copyFileSync(copy.file('brands/assets/globex-social.png'), imageOf('download-invoices'));
    const third = await build(incremental);
    expect(third.code, third.stdout + third.stderr).toBe(0);
    expect(third.stdout).not.toContain(kept);
    await sameAsFull();
    // An empty output folder (a CI run that kept only `.astro/cache/`): once an Astro build has
    // rendered every page, and kept its bundle with the files it made, the next renders them all
    // with it.
    const intoEmpty = async () => {
      fs.rmSync(incremental, { recursive: true });
      const fresh = await build(incremental);
      expect(fresh.code, fresh.stdout + fresh.stderr).toBe(0);
      expect(copiedOf(fresh.stdout)).toBe(0);
      return fresh.stdout;
    };
    await intoEmpty();
    expect(await intoEmpty()).toContain(kept);
    await sameAsFull();
  });
});

describe('an incremental build of a large site', () => {
  // Built as a site of 8,000 article files or more is (no render thread, no writer thread): it
  // still keeps what it loaded, takes unchanged bodies from the render cache and unchanged feed
  // articles from the feed cache, and is byte for byte what a full build of a small site's kind writes.
  const large = { SIGNPOST_LARGE_SITE_ARTICLES: '1' };
  it('renders only the edited body and copies every other feed article, and is the full build, byte for byte', async () => {
    const out = path.join(copy.root, 'large');
    // The load cache's file of this content folder (its first line names the folder).
    const loadFiles = () =>
      fs
        .readdirSync(LOAD_CACHE_DIR)
        .filter((name) => name.endsWith('.bin'))
        .filter((name) =>
          fs
            .readFileSync(path.join(LOAD_CACHE_DIR, name), 'utf8')
            .startsWith(`${JSON.stringify(path.resolve(copy.content))}\n`),
        );
    for (const name of loadFiles()) fs.rmSync(path.join(LOAD_CACHE_DIR, name));
    const first = await runCli(['build', '--content', copy.content, '--out', out], large, 180_000);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(loadFiles()).toHaveLength(1);
    copy.edit('help-centers/main/billing/refunds.en.md', (t) => `${t}\nA line for a large site.\n`);
    const inc = await runCli(['build', '--content', copy.content, '--out', out], large, 180_000);
    expect(inc.code, inc.stdout + inc.stderr).toBe(0);
    const { kept, all } = bodiesOf(inc.stdout);
    expect(all).toBeGreaterThan(20);
    expect(all - kept).toBe(1);
    const feeds = feedsOf(inc.stdout);
    // All but the edited article, which two brands publish (acme and acme-eu, in English).
    expect(feeds.articles - feeds.kept).toBe(2);
    fs.rmSync(full, { recursive: true, force: true });
    const whole = await build(full, '--no-cache');
    expect(whole.code, whole.stdout + whole.stderr).toBe(0);
    expect(fingerprint(out)).toEqual(fingerprint(full));
  });
});

/** The image file an example article shows. */
function imageOf(article: string): string {
  const dir = copy.file('help-centers/main/billing');
  const markdown = fs.readFileSync(path.join(dir, `${article}.en.md`), 'utf8');
  const image = /!\[[^\]]*\]\(\.\/([^)\s]+)\)/.exec(markdown)?.[1];
  if (!image) throw new Error(`${article} shows no image; the example content moved?`);
  return path.join(dir, image);
}
