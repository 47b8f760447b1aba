import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { copyExample, PROJECT, type ExampleCopy } from './helpers/example.ts';
import { execFileSync } from 'node:child_process';

let example: ExampleCopy;
let dist: string;

// A brand whose help center holds only root articles: reachable by URL, searchable nowhere.
beforeAll(() => {
  example = copyExample();
  example.write('brands/initech.yaml', 'name: Initech\nhelpCenter: initech\nlanguages: [en]\n');
  example.write(
    'help-centers/initech/status.en.md',
    '---\ntitle: Service status\n---\n\nEvery system is up; the TPS report server is flaky.\n',
  );
  dist = path.join(example.root, 'dist');
  execFileSync(
    path.join(PROJECT, 'node_modules/.bin/node'),
    ['src/cli/main.ts', 'build', '--content', example.content, '--out', dist],
    {
      cwd: PROJECT,
      stdio: 'ignore',
    },
  );
});
afterAll(() => example?.remove());

it('a brand with nothing searchable gets an empty index, not one of every page', () => {
  const index = path.join(dist, 'initech', 'pagefind');
  const entry = JSON.parse(fs.readFileSync(path.join(index, 'pagefind-entry.json'), 'utf8')) as {
    languages: Record<string, unknown>;
  };
  expect(entry.languages).toEqual({});
  // The client still loads; it just finds nothing.
  expect(fs.existsSync(path.join(index, 'pagefind.js'))).toBe(true);
  // The unlisted page itself is built.
  expect(fs.readFileSync(path.join(dist, 'initech/en/articles/status/index.html'), 'utf8')).toContain(
    'TPS report',
  );
});

it('a brand with searchable articles still indexes them', () => {
  const entry = JSON.parse(fs.readFileSync(path.join(dist, 'acme/pagefind/pagefind-entry.json'), 'utf8')) as {
    languages: Record<string, { page_count: number }>;
  };
  expect(entry.languages.en?.page_count).toBeGreaterThan(5);
});
