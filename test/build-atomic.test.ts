import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { PROJECT, copyExample, type ExampleCopy } from './helpers/example.ts';
import { fingerprint } from './helpers/dist.ts';

const run = promisify(execFile);
let example: ExampleCopy | undefined;
afterEach(() => example?.remove());

it.each([
  [
    'malformed YAML in a brand file',
    (e: ExampleCopy) => e.edit('brands/acme.yaml', (t) => t.replace('name: Acme', 'name: [Acme')),
    /brands\/acme\.yaml:\d+: \S/,
  ],
  [
    'an MDX component that does not exist',
    (e: ExampleCopy) =>
      e.edit('help-centers/main/getting-started/install-chat-widget.en.mdx', (t) => `${t}\n<Carousel />\n`),
    /install-chat-widget\.en\.mdx(:\d+)?: \S/,
  ],
  [
    // Found only when the feeds render the article (it has no page), after the pages are written
    // and while their search index is made (`pagesFirst` in `build-site.ts`): a public article's
    // edit has one language's index made again meanwhile.
    'a misused component in an internal article',
    (e: ExampleCopy) => {
      e.edit('help-centers/main/billing/refunds.en.md', (t) => `${t}\nOne more paragraph.\n`);
      const playbook = e.file('internal/support-playbooks/outages/major-incident.en.md');
      fs.writeFileSync(
        playbook.replace(/\.md$/, '.mdx'),
        `${fs.readFileSync(playbook, 'utf8')}\n<Steps>\nNot a numbered list.\n</Steps>\n`,
      );
      fs.rmSync(playbook);
    },
    /major-incident\.en\.mdx:\d+: Steps must wrap a numbered list/,
  ],
])('%s: exits non-zero and leaves the previous dist/ untouched', async (_, corrupt, problem) => {
  example = copyExample();
  const out = path.join(example.root, 'dist');
  fs.cpSync(inject('exampleDist'), out, { recursive: true });
  const before = fingerprint(out);
  corrupt(example);
  const result = await run(
    path.join(PROJECT, 'node_modules/.bin/node'),
    ['src/cli/main.ts', 'build', '--content', example.content, '--out', out],
    {
      cwd: PROJECT,
    },
  ).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
  expect(result.code).not.toBe(0);
  // The problem is named by file (and line), as `check` names it.
  expect(result.stdout).toMatch(problem);
  expect(result.stdout).not.toMatch(/\n\s+at /); // no stack trace
  expect(fingerprint(out)).toEqual(before);
  expect(fs.readdirSync(example.root).filter((f) => f.startsWith('dist.'))).toEqual([]);
});

describe('a build after builds that were killed or replaced a large dist/', () => {
  let root: string;
  let out: string;
  const live = `dist.partial-${process.pid}`; // this test's own process: alive throughout
  let dead: string;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-leftovers-'));
    out = path.join(root, 'dist');
    fs.cpSync(inject('exampleDist'), out, { recursive: true });
    fs.writeFileSync(path.join(out, 'from-the-previous-build.txt'), 'old');
    // A process that has ended: its id names a partial folder nobody is writing any more.
    const ended = await run(process.execPath, ['-e', 'console.log(process.pid)']);
    dead = `dist.partial-${ended.stdout.trim()}`;
    for (const name of [dead, live, 'dist.old-1-1700000000000'])
      fs.mkdirSync(path.join(root, name, 'en'), { recursive: true });
    await run(
      path.join(PROJECT, 'node_modules/.bin/node'),
      ['src/cli/main.ts', 'build', '--content', path.join(PROJECT, 'content'), '--out', out],
      { cwd: PROJECT },
    );
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  const siblings = () =>
    fs
      .readdirSync(root)
      .filter((f) => f.startsWith('dist.'))
      .sort();

  it('replaces dist/ with the new site', () => {
    expect(fs.existsSync(path.join(out, 'from-the-previous-build.txt'))).toBe(false);
    expect(fs.existsSync(path.join(out, 'acme', 'en', 'index.html'))).toBe(true);
  });

  it("removes a killed build's partial folder and old trees, and the tree it replaced, soon after exit", async () => {
    // Removal runs in a process of its own after the build has exited: poll for it.
    await expect.poll(siblings, { timeout: 60_000, interval: 200 }).toEqual([live]);
    expect(siblings()).not.toContain(dead);
  });

  it('leaves alone the partial folder of a build that is still running', () => {
    expect(fs.existsSync(path.join(root, live, 'en'))).toBe(true);
  });
});
