import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { fetchImages, type ImageResults } from './images.ts';
import { planImport, type ImportPlan } from './map.ts';
import { fetchExport, IntercomSourceError, readExport } from './source.ts';
import type { IntercomExport } from './types.ts';
import { readState, saveState, StateError, writePlan, type PlannedFile, type WriteResult } from './write.ts';

/**
 * `signpost import intercom`: source → plan → images → write → report. Every step that can fail
 * on the user's input (a bad export, a refusing API, a damaged state file) says so in one line;
 * nothing is written until the whole export was read and planned.
 */

export interface ImportOptions {
  /** `--from FILE|DIR`, or the API (`--from-api`). */
  source:
    { from: string } | { api: { token: string; region: 'us' | 'eu' | 'au'; baseUrl?: string | undefined } };
  /** The content folder to write (created if needed). */
  content: string;
  /** Save images as files (default); `false` keeps their addresses. */
  downloadImages: boolean;
  /** Delete files an earlier import wrote that the export no longer has. */
  prune: boolean;
  /** Overwrite local edits. */
  force: boolean;
  /** How to reach the API and the CDN (tests pass one that reaches a loopback). Default: `fetch`. */
  fetch?: typeof fetch | undefined;
  print(line: string): void;
  printError(line: string): void;
}

/** Runs one import; the exit code (1 when the export could not be read or written). */
export async function importIntercom(options: ImportOptions): Promise<number> {
  const { content, print, printError } = options;
  let source: IntercomExport;
  try {
    source =
      'from' in options.source
        ? await readExport(options.source.from)
        : await fetchExport({
            token: options.source.api.token,
            region: options.source.api.region,
            ...(options.source.api.baseUrl ? { baseUrl: options.source.api.baseUrl } : {}),
            ...(options.fetch ? { fetch: options.fetch } : {}),
            log: (line) => print(line),
          });
  } catch (error) {
    if (!(error instanceof IntercomSourceError)) throw error;
    printError(`signpost import intercom: ${error.message}`);
    return 1;
  }
  if (!source.articles.length && !source.collections.length) {
    printError(
      'signpost import intercom: the export holds no collections and no articles; nothing to import',
    );
    return 1;
  }
  if (fs.existsSync(content) && !fs.statSync(content).isDirectory()) {
    printError(`signpost import intercom: ${content} is a file; pass --content DIR`);
    return 1;
  }
  let state;
  try {
    state = readState(content);
  } catch (error) {
    if (!(error instanceof StateError)) throw error;
    printError(`signpost import intercom: ${error.message}`);
    return 1;
  }

  const plan = planImport(source, { previous: state.ids, previousImages: state.images });
  const images = await fetchImages(plan.images, {
    content,
    state,
    download: options.downloadImages,
    fetch: options.fetch,
  });
  const files: PlannedFile[] = [
    ...plan.render(new Set(images.saved.keys())),
    ...[...images.saved].map(([file, data]) => ({ path: file, data })),
  ];
  fs.mkdirSync(content, { recursive: true });
  const result = writePlan(content, files, state, { force: options.force, prune: options.prune });
  const conflicted = new Set(result.conflicts.map((c) => c.path));
  for (const request of plan.images)
    if (images.saved.has(request.path) && !conflicted.has(request.path))
      state.images[request.path] = request.key;
    else if (!images.saved.has(request.path) && !(request.path in state.files))
      delete state.images[request.path];
  state.ids = {
    helpCenters: { ...state.ids.helpCenters, ...plan.ids.helpCenters },
    collections: { ...state.ids.collections, ...plan.ids.collections },
    articles: { ...state.ids.articles, ...plan.ids.articles },
    authors: { ...state.ids.authors, ...plan.ids.authors },
  };
  saveState(content, state);
  report(options, plan, images, result);
  return 0;
}

/** The summary table, then each warning, conflict and deletion on a line of its own. */
function report(options: ImportOptions, plan: ImportPlan, images: ImageResults, result: WriteResult): void {
  const { print, content } = options;
  const warnings = [
    ...plan.warnings,
    ...(result.kept.includes('workspace.yaml') ? missingLanguages(content, plan.languages) : []),
    ...images.linked.map(({ request, why }) =>
      // authors.yaml and _collection.yaml take files only: there the image is left out.
      request.usedBy.some((file) => /\.mdx?$/.test(file))
        ? `${request.usedBy.join(', ')}: image ${request.key} kept as its Intercom address, which expires (${why})`
        : `${request.usedBy.join(', ')}: image ${request.key} left out (${why}); save it as ${request.path} and name it there`,
    ),
  ];
  const rows: [string, string][] = [
    ['help centers', String(plan.counts.helpCenters)],
    ['collections', String(plan.counts.collections)],
    ['articles', String(plan.counts.articles)],
    ['translations', String(plan.counts.translations)],
    [
      'images',
      `${images.saved.size} saved as files (${images.downloaded} downloaded now), ${images.linked.length} kept as links`,
    ],
    ['aliases', `${plan.counts.aliases} former Intercom URLs`],
    ['warnings', String(warnings.length)],
    [
      'files',
      `${result.created.length} created, ${result.updated.length} updated, ${result.unchanged.length} unchanged, ${result.conflicts.length} conflicts`,
    ],
  ];
  print(`Imported from Intercom into ${content.replace(/\/+$/, '')}/`);
  print('');
  for (const [name, value] of rows) print(`  ${name.padEnd(14)}${value}`);
  print('');
  for (const line of warnings) print(`warning: ${line}`);
  for (const { path: file, why } of result.conflicts)
    print(`conflict: ${file}: ${why}; kept as it is (--force overwrites it with Intercom's version)`);
  for (const file of result.kept) print(`kept: ${file}: already there; left as it is`);
  for (const file of result.wouldDelete)
    print(`would delete: ${file}: no longer in Intercom (--prune deletes it)`);
  for (const file of result.deleted) print(`deleted: ${file}: no longer in Intercom`);
  print('');
  const contentFlag = path.resolve(content) === path.resolve('content') ? '' : ` -- --content ${content}`;
  print(`Next: npm run check${contentFlag}`);
}

/** A workspace.yaml the team already had: the imported languages it still has to list. */
function missingLanguages(content: string, languages: string[]): string[] {
  let listed: unknown;
  try {
    listed = (
      YAML.parse(fs.readFileSync(path.join(content, 'workspace.yaml'), 'utf8')) as { languages?: unknown }
    )?.languages;
  } catch {
    return [];
  }
  const missing = languages.filter((lang) => !(Array.isArray(listed) && listed.includes(lang)));
  return missing.length
    ? [
        `workspace.yaml: kept as it was; add ${missing.join(', ')} to its languages, which the imported articles use`,
      ]
    : [];
}
