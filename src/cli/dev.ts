import path from 'node:path';
import { loadContent } from '../content/load.ts';
import { formatProblem } from '../content/problems.ts';
import { provideHandoff } from '../integration/handoff.ts';
import { PROJECT_ROOT } from '../paths.ts';
import { computeSite } from '../routing/site.ts';
import type { SiteData } from '../routing/types.ts';

/**
 * `signpost dev`: a live preview of one brand at http://localhost:<port>/, drafts and private
 * articles shown with a badge. Content and theme edits reload the open page.
 */
export async function runDev(options: {
  content: string;
  brand?: string | undefined;
  port?: string | undefined;
}): Promise<number> {
  const content = path.resolve(options.content);
  let cached: Promise<SiteData> | undefined;
  const compute = async (): Promise<SiteData> => {
    const loaded = await loadContent(content);
    for (const problem of loaded.problems.sorted()) console.log(formatProblem(problem));
    if (!loaded.model) throw new Error('the content could not be read; fix the problems above');
    const brand = options.brand ?? loaded.model.brands[0]?.id;
    const { site, problems } = await computeSite(loaded.model, { mode: 'dev', brand });
    for (const problem of problems.sorted()) console.log(formatProblem(problem));
    return site;
  };
  provideHandoff({
    content,
    site: () => (cached ??= compute()),
    invalidate: () => {
      cached = undefined;
    },
    usedAssets: new Map(),
  });
  const site = await (cached ??= compute());
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  const { dev } = await import('astro');
  const server = await dev({
    root: PROJECT_ROOT,
    server: { port: Number(options.port ?? 4321), host: '127.0.0.1' },
  });
  console.log(
    `previewing brand "${site.brands[0]?.id}" at http://127.0.0.1:${server.address.port}/ (drafts and private articles shown)`,
  );
  await new Promise(() => {}); // until Ctrl-C
  return 0;
}
