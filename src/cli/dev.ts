import path from 'node:path';
import { loadContent } from '../content/load.ts';
import { formatProblem, Problems, type Problem } from '../content/problems.ts';
import { provideHandoff } from '../integration/handoff.ts';
import { PROJECT_ROOT } from '../paths.ts';
import { computeSite } from '../routing/site.ts';
import type { SiteData } from '../routing/types.ts';
import { report } from './check.ts';

/**
 * `signpost dev`: a live preview of one brand at http://localhost:<port>/, drafts and private
 * articles shown with a badge. Content and theme edits reload the open page; content errors show
 * over the page, and the terminal says what each edit changed.
 */
export async function runDev(options: {
  content: string;
  brand?: string | undefined;
  port?: string | undefined;
}): Promise<number> {
  const content = path.resolve(options.content);
  const changes = new ChangeReporter();
  let cached: Promise<SiteData> | undefined;
  const compute = async (): Promise<SiteData> => {
    const started = performance.now();
    const loaded = await loadContent(content);
    if (!loaded.model) {
      changes.print(loaded.problems.sorted(), () => report(loaded, 0));
      // Astro shows this over the page; there is no site to preview until the workspace reads.
      throw new Error(`the content could not be read:\n${lines(loaded.problems.errors).join('\n')}`);
    }
    const brand = options.brand ?? loaded.model.brands[0]?.id;
    const { site, problems } = await computeSite(loaded.model, { mode: 'dev', brand });
    const all = [...loaded.problems.sorted(), ...problems.sorted()];
    changes.print(all, () =>
      report({ ...loaded, problems: merged(all) }, (performance.now() - started) / 1000),
    );
    site.problems = lines(all.filter((p) => p.severity === 'error'));
    return site;
  };
  provideHandoff({
    content,
    site: () => (cached ??= compute()),
    invalidate: () => {
      cached = undefined;
    },
    usedAssets: new Map(),
    inlineScripts: new Map(),
    rendered: new Map(),
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

/**
 * Prints the whole report once, then after each edit only what changed: new problems, and the
 * ones the edit fixed. A writer fixing one typo should not scroll past fifty unchanged warnings.
 */
class ChangeReporter {
  #shown: Set<string> | undefined;

  print(problems: Problem[], full: () => void): void {
    const now = new Set(problems.map((p) => formatProblem(p)));
    if (!this.#shown) full();
    else {
      for (const line of now) if (!this.#shown.has(line)) console.log(line);
      for (const line of this.#shown) if (!now.has(line)) console.log(`fixed: ${line}`);
      if (
        problems.every((p) => p.severity !== 'error') &&
        [...this.#shown].some((l) => l.startsWith('error'))
      )
        console.log('✓ no errors left');
    }
    this.#shown = now;
  }
}

function lines(problems: Problem[]): string[] {
  return problems.map((p) => formatProblem(p));
}

/** The load's and routing's problems as one collection, for the first full report. */
function merged(list: Problem[]): Problems {
  const problems = new Problems();
  problems.list.push(...list);
  return problems;
}
