import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dirs } from '../src/routing/layout.ts';
import { runCli } from './helpers/cli.ts';
import { filesUnder } from './helpers/dist.ts';
import { copyExample, type ExampleCopy } from './helpers/example.ts';

/**
 * A build whose inputs are those of the build already in `--out` has nothing to do; any change
 * of an input builds again. One copy of the example, built once, then asked again after each change.
 */
let copy: ExampleCopy;
let out: string;
/** How many language indexes the first build copied: into an empty folder, only between brands. */
let firstCopied: string | undefined;
const copiedOf = (stdout: string) =>
  /search index: [^;]*\((\d+) language indexes(?: and \d+ private index(?:es)?)? copied\)/.exec(stdout)?.[1];
const build = (...flags: string[]) =>
  runCli(['build', '--content', copy.content, '--out', out, ...flags], {}, 180_000);

/** Every output file with its modification time: a build that did nothing leaves them all. */
function times(): string[] {
  return filesUnder(out).map((file) => `${file} ${fs.statSync(path.join(out, file)).mtimeMs}`);
}

beforeAll(async () => {
  copy = copyExample();
  out = path.join(copy.root, 'dist');
  const first = await build();
  expect(first.stdout).toMatch(/✓ built \d+ pages/);
  firstCopied = copiedOf(first.stdout);
}, 180_000);
afterAll(() => copy?.remove());

describe('a build with nothing to do', () => {
  it('keeps the output as it is, file for file, and says so', async () => {
    const before = times();
    const again = await build();
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(
      /^✓ nothing to build: content, themes and Signpost are as they were for the \d+ pages in /m,
    );
    expect(times()).toEqual(before);
  });

  it.each([
    [
      'an article edited',
      () => copy.edit('help-centers/main/billing/refunds.en.md', (t) => `${t}\nOne more line.\n`),
    ],
    [
      'a brand file edited',
      () => copy.edit('brands/globex.yaml', (t) => t.replace('name: Globex', 'name: Globex Inc')),
    ],
    ['a theme edited', () => fs.appendFileSync(path.join(copy.root, 'themes/dark.yaml'), '\n# a comment\n')],
    [
      'a new file in the content',
      () => copy.write('help-centers/main/billing/new-article.en.md', '---\ntitle: New\n---\nNew.\n'),
    ],
    [
      'a file only touched (its date may date an article)',
      () => fs.utimesSync(copy.file('authors.yaml'), new Date(), new Date(2020, 0, 1)),
    ],
    ['the output changed by hand', () => fs.rmSync(path.join(out, 'acme', 'robots.txt'))],
  ])('builds again after %s', async (_change, change) => {
    change();
    const again = await build();
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/✓ built \d+ pages/);
    // …and the next one, with nothing changed since, has nothing to do again.
    expect((await build()).stdout).toMatch(/nothing to build/);
  });

  it('builds again after an article is rewritten to the same size and its modification time set back', async () => {
    const file = copy.file('help-centers/main/billing/refunds.en.md');
    const then = new Date(2020, 0, 1);
    fs.utimesSync(file, then, then);
    // Older than a tick of the kernel's clock: the check keeps the file's digest from here on.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await build()).stdout).toMatch(/✓ built \d+ pages/);
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.replace('title: Request a refund', 'title: Request a REFUND'));
    fs.utimesSync(file, then, then);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await build();
    expect(again.stdout).toMatch(/✓ built \d+ pages/);
    const page = fs.readFileSync(path.join(out, 'acme', 'en', 'articles', 'refunds', 'index.html'), 'utf8');
    expect(page).toContain('Request a REFUND');
  });

  it('builds anyway with --no-cache, taking no page and no search index from the output it replaces', async () => {
    const again = await build('--no-cache');
    expect(again.stdout).toMatch(/✓ built \d+ pages for/);
    expect(again.stdout).not.toMatch(/unchanged since the last build/);
    expect(again.stdout).not.toMatch(/article bodies not rendered again/);
    // The language indexes it copies, brands that share a help center copy from each other, as the first build did.
    expect(firstCopied).toBeDefined();
    expect(copiedOf(again.stdout)).toBe(firstCopied);
  });

  it('writes its stamp, page manifest and search keys outside every deploy root', () => {
    const files = [dirs.buildStamp(out), dirs.pageManifest(out), dirs.searchKeys(out)];
    for (const file of files) expect(path.dirname(file)).toBe(out);
    expect(
      fs
        .readdirSync(out)
        .filter((name) => name.startsWith('.'))
        .sort(),
    ).toEqual(files.map((file) => path.basename(file)).sort());
  });
});
