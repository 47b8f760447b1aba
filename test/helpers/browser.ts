import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import sirv from 'sirv';
import { afterAll, beforeAll, inject } from 'vitest';

/** Debian's Chromium (installed by .ci/run); playwright-core never downloads a browser. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless Chromium with the flags this closed-network machine needs. */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (CI does this in .ci/run)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A static server for one brand's folder, as a CDN would serve it (404.html for misses). */
export async function serveStatic(root: string): Promise<{ url: string; close: () => Promise<void> }> {
  const files = sirv(root, { dev: true, extensions: ['html'] });
  const notFound = path.join(root, '404.html');
  const server = http.createServer((req, res) =>
    files(req, res, () => {
      res.statusCode = 404;
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(fs.existsSync(notFound) ? fs.readFileSync(notFound) : 'not found');
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * For a test file: Chromium and a static server for one brand of the example build, started
 * before the file's tests and stopped after them.
 */
export function useBrowserOn(brand: string): { readonly browser: Browser; readonly url: string } {
  let browser: Browser | undefined;
  let server: Awaited<ReturnType<typeof serveStatic>> | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
    server = await serveStatic(path.join(inject('exampleDist'), brand));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get browser() {
      if (!browser) throw new Error('browser not started yet');
      return browser;
    },
    get url() {
      if (!server) throw new Error('server not started yet');
      return server.url;
    },
  };
}

/** A layout shift the browser recorded, with what moved, from where to where. */
export interface LayoutShift {
  value: number;
  moved: string[];
}

/**
 * Records every layout shift of `page` from its next navigation's first paint on; the returned
 * function reads them so far. Call before `goto`.
 */
export async function recordLayoutShifts(page: Page): Promise<() => Promise<LayoutShift[]>> {
  await page.addInitScript(() => {
    const shifts: LayoutShift[] = [];
    (window as unknown as { shifts: LayoutShift[] }).shifts = shifts;
    type Source = { node?: Element; previousRect: DOMRectReadOnly; currentRect: DOMRectReadOnly };
    const rect = (r: DOMRectReadOnly) => `${r.x},${r.y} ${r.width}×${r.height}`;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const { value, sources } = entry as unknown as { value: number; sources: Source[] };
        const moved = sources.map(
          (source) =>
            `${source.node?.nodeName ?? '?'}.${source.node?.className ?? ''} ${rect(source.previousRect)} → ${rect(source.currentRect)}`,
        );
        shifts.push({ value, moved });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  return () => page.evaluate(() => (window as unknown as { shifts: LayoutShift[] }).shifts);
}

/** The sum of `shifts` (the page's cumulative layout shift), and a message that names each one. */
export function totalShift(shifts: LayoutShift[]): [number, string] {
  return [shifts.reduce((sum, { value }) => sum + value, 0), `layout shifts: ${JSON.stringify(shifts)}`];
}
