import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * Code blocks Shiki highlighted, kept from one build for the next: a rebuild takes a block only
 * where its language and code are the very ones highlighted, and renders the same HTML as Shiki.
 * Each build is a process of its own, as builds are (`fixtures/highlight/build.ts`).
 */
let root: string;
let memo: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'highlight-memo-'));
  memo = path.join(root, 'highlights.json');
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const script = path.join(import.meta.dirname, 'fixtures', 'highlight', 'build.ts');

/** One build of `body`, through the memo in `file`, by Signpost's version `code`. */
function build(body: string, code = 'code-1', file = memo): { html: string; hits: number } {
  return JSON.parse(execFileSync(process.execPath, [script, file, code, body], { encoding: 'utf8' })) as {
    html: string;
    hits: number;
  };
}

const block = (language: string, code: string) => `\`\`\`${language}\n${code}\n\`\`\`\n`;
const body = (code: string) =>
  `Some prose.\n\n${block('ts', code)}\n${block('bash', 'curl -s https://example.com | jq .')}`;

describe('the highlight memo', () => {
  it('takes the blocks the last build highlighted, and renders the HTML Shiki does', () => {
    const first = build(body('const answer: number = 42;'));
    expect(first.hits).toBe(0);
    expect(first.html).toContain('--shiki-dark');
    // The prose edited: the same blocks, as Shiki highlights them in a build that kept none.
    const edited = `More prose.\n\n${body('const answer: number = 42;')}`;
    const again = build(edited);
    expect(again.hits).toBe(2);
    expect(again.html).toBe(build(edited, 'code-1', path.join(root, 'fresh.json')).html);
  });

  it('highlights a block whose code changed, and keeps what it made', () => {
    build(body('const answer: number = 42;'));
    const changed = build(body('const answer: string = "42";'));
    expect(changed.hits).toBe(1);
    expect(changed.html).toBe(
      build(body('const answer: string = "42";'), 'code-1', path.join(root, 'fresh.json')).html,
    );
    expect(build(body('const answer: string = "42";')).hits).toBe(2);
    // The block of the build before stays, though this build did not render it.
    expect(build(body('const answer: number = 42;')).hits).toBe(2);
  });

  it('takes nothing kept by another version of Signpost, or from a damaged file', () => {
    build(body('let x = 1;'));
    expect(build(body('let x = 1;'), 'code-2').hits).toBe(0);
    fs.writeFileSync(memo, '{"version": 1, "code": "code-2", "blocks": ');
    const damaged = build(body('let x = 1;'), 'code-2');
    expect(damaged.hits).toBe(0);
    expect(damaged.html).toContain('--shiki-dark');
  });
});
