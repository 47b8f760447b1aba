import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect, inject, it } from 'vitest';
import { PROJECT, copyExample, type ExampleCopy } from './helpers/example.ts';
import { filesUnder } from './helpers/dist.ts';

const run = promisify(execFile);
let example: ExampleCopy | undefined;
afterEach(() => example?.remove());

/** A fingerprint of a folder: every file with a hash of its bytes. */
function fingerprint(dir: string): string[] {
  return filesUnder(dir).map(
    (f) =>
      `${f} ${crypto
        .createHash('sha1')
        .update(fs.readFileSync(path.join(dir, f)))
        .digest('hex')}`,
  );
}

it.each([
  [
    'malformed YAML in a brand file',
    (e: ExampleCopy) => e.edit('brands/acme.yaml', (t) => t.replace('name: Acme', 'name: [Acme')),
  ],
  [
    'an MDX component that does not exist',
    (e: ExampleCopy) =>
      e.edit('help-centers/main/getting-started/install-chat-widget.en.mdx', (t) => `${t}\n<Carousel />\n`),
  ],
])('%s: exits non-zero and leaves the previous dist/ untouched', async (_, corrupt) => {
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
  expect(result.stdout).toMatch(/(brands\/acme\.yaml:\d+|install-chat-widget\.en\.mdx(:\d+)?): \S/);
  expect(result.stdout).not.toMatch(/\n\s+at /); // no stack trace
  expect(fingerprint(out)).toEqual(before);
  expect(fs.readdirSync(example.root).filter((f) => f.startsWith('dist.'))).toEqual([]);
});
