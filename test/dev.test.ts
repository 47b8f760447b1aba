import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PROJECT, copyExample, type ExampleCopy } from './helpers/example.ts';

let example: ExampleCopy;
let server: ChildProcess;
let base = '';
let output = '';

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

beforeAll(async () => {
  example = copyExample();
  const port = String(await freePort());
  server = spawn(
    path.join(PROJECT, 'node_modules/.bin/node'),
    ['src/cli/main.ts', 'dev', '--content', example.content, '--brand', 'acme', '--port', port],
    {
      cwd: PROJECT,
      stdio: ['ignore', 'pipe', 'pipe'],
      // As a writer's shell starts it: none of the variables vitest sets for its own Vite (MODE, SSR, …).
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    },
  );
  base = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /previewing brand "acme" at (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (match) resolve(match[1]!);
    };
    server.stdout!.on('data', onData);
    server.stderr!.on('data', onData);
    server.on('exit', (code) => reject(new Error(`dev server exited with ${code}:\n${output}`)));
  });
  // Vite may still be optimising dependencies for a moment after it reports ready.
  for (let tries = 0; tries < 120; tries++) {
    if ((await fetch(`${base}/en/`).catch(() => undefined))?.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
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
  expect(
    draft.status,
    output
      .split('\n')
      .filter((l) => !l.includes('warning:'))
      .join('\n'),
  ).toBe(200);
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

it('shows a content error over the page, and prints only what the edit changed', async () => {
  const before = output.length;
  example.edit(
    'help-centers/main/billing/refunds.en.md',
    (t) => `${t}\n\nSee [the missing guide](no-such-guide.md).\n`,
  );
  await expect
    .poll(async () => (await get('/en/articles/refunds/')).html, { timeout: 15_000, interval: 300 })
    .toContain('data-sp-dev-problems');
  const page = (await get('/en/articles/refunds/')).html;
  expect(page).toMatch(
    /refunds\.en\.md:\d+: link to &quot;no-such-guide\.md&quot;: no article &quot;no-such-guide&quot;/,
  );
  await expect
    .poll(() => output.slice(before), { timeout: 5_000 })
    .toMatch(/^error: .*refunds\.en\.md:\d+: link to "no-such-guide\.md"/m);
  // Only the new error: the example's missing-translation warnings are not printed again.
  expect(output.slice(before)).not.toContain('missing translation');

  example.edit('help-centers/main/billing/refunds.en.md', (t) =>
    t.replace('[the missing guide](no-such-guide.md)', 'the guide'),
  );
  await expect
    .poll(async () => (await get('/en/articles/refunds/')).html, { timeout: 15_000, interval: 300 })
    .not.toContain('data-sp-dev-problems');
  await expect
    .poll(() => output.slice(before), { timeout: 5_000 })
    .toMatch(/^fixed: error: .*no-such-guide/m);
});

it('serves no file from outside the project, the content folder and its themes', async () => {
  // Beside the content folder: the dev server once allowed its whole parent.
  fs.writeFileSync(path.join(example.root, 'secret.txt'), 'the payroll password');
  const beside = await fetch(`${base}/@fs${path.join(example.root, 'secret.txt')}`);
  expect(beside.status).toBe(403);
  expect(await beside.text()).not.toContain('payroll');
  const system = await fetch(`${base}/@fs/etc/passwd`);
  expect(await system.text()).not.toContain('root:');
});
