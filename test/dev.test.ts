import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PROJECT, copyExample, type ExampleCopy } from './helpers/example.ts';

let example: ExampleCopy;
let server: ChildProcess;
let base = '';

beforeAll(async () => {
  example = copyExample();
  server = spawn(
    path.join(PROJECT, 'node_modules/.bin/node'),
    ['src/cli/main.ts', 'dev', '--content', example.content, '--brand', 'acme', '--port', '0'],
    {
      cwd: PROJECT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  base = await new Promise<string>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /previewing brand "acme" at (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (match) resolve(match[1]!);
    };
    server.stdout!.on('data', onData);
    server.stderr!.on('data', onData);
    server.on('exit', (code) => reject(new Error(`dev server exited with ${code}:\n${output}`)));
  });
});
afterAll(() => {
  server?.kill();
  example?.remove();
});

const get = async (url: string) => {
  const response = await fetch(base + url);
  return { status: response.status, html: await response.text() };
};

it('previews one brand at the root, drafts and private articles with a badge', async () => {
  const draft = await get('/en/articles/salesforce-integration/');
  expect(draft.status).toBe(200);
  expect(draft.html).toContain('Connect Acme to Salesforce');
  expect(draft.html).toMatch(/class="[^"]*badge[^"]*"[^>]*>\s*Draft/);
  const privateArticle = await get('/en/articles/enterprise-sso-setup/');
  expect(privateArticle.status).toBe(200);
  expect(privateArticle.html).toMatch(/class="[^"]*badge[^"]*"[^>]*>\s*Only for logged-in customers/);
});

it('shows a content edit on the next request, without a restart', async () => {
  expect((await get('/en/articles/refunds/')).html).toContain('Request a refund');
  example.edit('help-centers/main/billing/refunds.en.md', (t) =>
    t.replace('title: Request a refund', 'title: Ask for your money back'),
  );
  await expect
    .poll(async () => (await get('/en/articles/refunds/')).html, { timeout: 15_000, interval: 300 })
    .toContain('Ask for your money back');
});
