import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, serveStatic } from './helpers/browser.ts';
import { PROJECT, copyExample, type ExampleCopy } from './helpers/example.ts';

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser;
let darkCopy: ExampleCopy;
const servers: Awaited<ReturnType<typeof serveStatic>>[] = [];
const sites: Record<'default' | 'dark', string> = { default: '', dark: '' };

beforeAll(async () => {
  // The dark theme is one line in the brand file; build the example once more with it.
  darkCopy = copyExample();
  darkCopy.edit('brands/acme.yaml', (t) => t.replace(/^theme: default$/m, 'theme: dark'));
  const dark = path.join(darkCopy.root, 'dist');
  execFileSync(
    path.join(PROJECT, 'node_modules/.bin/node'),
    ['src/cli/main.ts', 'build', '--content', darkCopy.content, '--out', dark],
    {
      cwd: PROJECT,
      stdio: 'ignore',
    },
  );
  browser = await launchBrowser();
  for (const [theme, dist] of [
    ['default', inject('exampleDist')],
    ['dark', dark],
  ] as const) {
    const server = await serveStatic(path.join(dist, 'acme'));
    servers.push(server);
    sites[theme] = server.url;
  }
});
afterAll(async () => {
  await browser?.close();
  for (const server of servers) await server.close();
  darkCopy?.remove();
});

const pageKinds = (lang: string) => [
  ['home', `/${lang}/`],
  ['collection', `/${lang}/collections/billing/`],
  ['article', `/${lang}/articles/refunds/`],
  ['article with code, table and image', `/en/articles/download-invoices/`],
  ['not found', '/404.html'],
];

describe.each(['default', 'dark'] as const)(
  'axe finds no serious or critical violation: %s theme',
  (theme) => {
    it.each(['en', 'ar'].flatMap((lang) => pageKinds(lang).map(([kind, url]) => [lang, kind, url])))(
      '%s %s (%s)',
      async (_lang, _kind, url) => {
        const page = await browser.newPage();
        await page.goto(sites[theme] + url!);
        await page.addScriptTag({ content: axeSource });
        const violations = await page.evaluate(async () => {
          const axe = (
            window as unknown as {
              axe: {
                run(): Promise<{
                  violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
                }>;
              };
            }
          ).axe;
          const result = await axe.run();
          return result.violations
            .filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map(
              (v) =>
                `${v.impact} ${v.id}: ${v.nodes
                  .map((n) => n.target.join(' '))
                  .slice(0, 3)
                  .join(', ')}`,
            );
        });
        await page.close();
        expect(violations).toEqual([]);
      },
    );
  },
);
