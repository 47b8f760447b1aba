/**
 * `npm run bench -- --lighthouse`: Lighthouse (the npm package) in the Debian Chromium against the
 * built site served by the gate (`signpost serve`, so the real headers and compression are in
 * place), on a home, a collection and an article page, with the mobile and the desktop preset.
 */
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { startServe } from '../helpers/gate.ts';
import { median } from './median.ts';

const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;

export interface LighthouseRow {
  page: string;
  url: string;
  preset: 'mobile' | 'desktop';
  /** 0–100 per category: the median of the audits. */
  scores: Record<(typeof CATEGORIES)[number], number | null>;
  /** Medians of the audits. */
  lcpMs: number | null;
  tbtMs: number | null;
  transferBytes: number | null;
  /** Each audit's LCP, in the order they ran: Lighthouse's simulation moves with the machine. */
  lcpRunsMs: (number | null)[];
}

/**
 * Serves `dist` for `brand` and audits `pages` (name → path on the site) `runs` times with each
 * preset, and gives the medians; the brands' JWT secrets are set to throwaway values, as the gate
 * wants one per brand that has private articles.
 */
export async function audit(
  dist: string,
  brand: string,
  pages: Record<string, string>,
  brandSecrets: string[],
  runs = 1,
): Promise<LighthouseRow[]> {
  const env: Record<string, string> = {
    SIGNPOST_SESSION_SECRET: 'bench-session-secret-of-at-least-thirty-two-bytes',
  };
  for (const name of brandSecrets) env[name] = 'bench-jwt-secret-of-at-least-thirty-two-bytes!!';
  const gate = await startServe(['--dist', dist, '--brand', brand], env);
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM,
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  const rows: LighthouseRow[] = [];
  try {
    for (const [page, pathname] of Object.entries(pages))
      for (const preset of ['mobile', 'desktop'] as const) {
        const url = `${gate.origin}${pathname}`;
        const run = () =>
          lighthouse(
            url,
            { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES] },
            preset === 'desktop' ? desktopConfig : undefined,
          );
        const audits: Omit<LighthouseRow, 'page' | 'url' | 'preset' | 'lcpRunsMs'>[] = [];
        for (let n = 0; n < runs; n++) {
          let result = await run();
          // A trace Lighthouse could not read (seen now and then on the first audit of a page)
          // scores nothing; one more run, and the error in the output if it fails again.
          if (result && result.lhr.categories.performance?.score == null) {
            console.error(
              `lighthouse: ${url} (${preset}): ${result.lhr.runtimeError?.message ?? 'no score'}; running again`,
            );
            result = await run();
          }
          if (!result) throw new Error(`lighthouse returned nothing for ${url}`);
          const { categories, audits: found } = result.lhr;
          const numeric = (id: string) => {
            const value = found[id]?.numericValue;
            return value === undefined ? null : Math.round(value);
          };
          audits.push({
            scores: Object.fromEntries(
              CATEGORIES.map((c) => {
                const score = categories[c]?.score;
                return [c, score === null || score === undefined ? null : Math.round(score * 100)];
              }),
            ) as LighthouseRow['scores'],
            lcpMs: numeric('largest-contentful-paint'),
            tbtMs: numeric('total-blocking-time'),
            transferBytes: numeric('total-byte-weight'),
          });
        }
        rows.push({
          page,
          url: pathname,
          preset,
          scores: Object.fromEntries(
            CATEGORIES.map((c) => [c, medianOf(audits.map((a) => a.scores[c]))]),
          ) as LighthouseRow['scores'],
          lcpMs: medianOf(audits.map((a) => a.lcpMs)),
          tbtMs: medianOf(audits.map((a) => a.tbtMs)),
          transferBytes: medianOf(audits.map((a) => a.transferBytes)),
          lcpRunsMs: audits.map((a) => a.lcpMs),
        });
      }
  } finally {
    chrome.kill();
    await gate.stop();
  }
  return rows;
}

/** The median of the figures Lighthouse gave, rounded (null when it gave none). */
function medianOf(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? Math.round(median(known)) : null;
}
