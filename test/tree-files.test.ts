import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { treeFiles } from '../src/output/link.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-tree-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('lists every file and link at every depth of an output, and no folder', () => {
  const write = (file: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), file);
  };
  ['index.html', 'en/index.html', 'en/articles/refunds/index.html', 'en/articles/refunds.md'].forEach(write);
  fs.mkdirSync(path.join(dir, 'empty/deeper'), { recursive: true });
  // A link to a folder is listed as the link, not walked into.
  fs.symlinkSync(path.join(dir, 'en'), path.join(dir, 'alias'));
  expect(
    treeFiles(dir)
      .map((file) => path.relative(dir, file))
      .sort(),
  ).toEqual([
    'alias',
    'en/articles/refunds.md',
    'en/articles/refunds/index.html',
    'en/index.html',
    'index.html',
  ]);
});
