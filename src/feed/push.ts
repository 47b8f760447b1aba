import type { Feed, FeedArticle, FeedIntercomPage } from './diff.ts';
import {
  EXTERNAL_PAGE_LOCALES,
  IntercomError,
  type ContentImportSource,
  type ExternalPage,
  type ExternalPageInput,
  type IntercomClient,
} from './intercom.ts';

/**
 * `signpost feed push intercom`: makes a content import source's external pages match a brand's
 * full feed, by `external_id`. The plan is computed from what Intercom holds, so a second push of
 * the same feed sends nothing, and an interrupted push is finished by running it again.
 */

/** What to push, where, and whether to send anything. */
export interface PushOptions {
  feed: Feed;
  client: IntercomClient;
  /** `--source-id`; without it, the source whose URL is the brand's, found or (with `apply`) created. */
  sourceId?: number | undefined;
  /** Without it, nothing but GET requests is sent: the plan is printed. */
  apply: boolean;
  /** One line of the report (stdout in the CLI). */
  print: (line: string) => void;
}

/** What changed (with `apply`) or would change. */
export interface PushSummary {
  sourceId: number | undefined;
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  skipped: number;
}

/** A page to update, and why; `recreate` when a field must be cleared, which an upsert cannot do. */
interface Update {
  page: ExternalPageInput;
  id: string;
  fields: string[];
  recreate: boolean;
}

/** The fields of an external page that the feed decides; any difference means an update. */
const COMPARED = [
  'title',
  'html',
  'url',
  'locale',
  'ai_agent_availability',
  'ai_copilot_availability',
] as const;

/** Pushes (or, without `apply`, plans) a feed; an `IntercomError` is one line for the user. */
export async function pushFeed(options: PushOptions): Promise<PushSummary> {
  const { feed, client, apply, print } = options;
  const sourceId = await resolveSource(options);
  const { pages, skipped } = selectPages(feed, print);
  const prefix = `${feed.brand.id}:`;
  const held =
    sourceId === undefined ? [] : (await client.listPages()).filter((p) => p.source_id === sourceId);
  // A source may be shared with other tools: only pages this brand's pushes wrote are ours to change.
  const ours = held.filter((p) => p.external_id.startsWith(prefix));
  if (held.length > ours.length)
    print(
      `left ${count(held.length - ours.length, 'page')} of source ${sourceId} alone: their external_id does not start with "${prefix}"`,
    );

  const wanted = pages.map((page): ExternalPageInput => ({ ...page, source_id: sourceId ?? 0 }));
  const { create, update, remove, unchanged } = plan(wanted, ours);
  const summary = { sourceId, created: 0, updated: 0, deleted: 0, unchanged, skipped };
  const label = (page: { external_id: string; title: string }) =>
    `${page.external_id} ${JSON.stringify(page.title)}`;

  if (!apply) {
    for (const page of create) print(`create ${label(page)}`);
    for (const { page, fields } of update) print(`update ${label(page)} (${fields.join(', ')})`);
    for (const page of remove) print(`delete ${label(page)} (page ${page.id})`);
    print(
      `dry run: ${create.length} to create, ${update.length} to update, ${remove.length} to delete, ${unchanged} unchanged; nothing was written (add --apply to write it)`,
    );
    return summary;
  }

  const total = create.length + update.length + remove.length;
  const step = async (action: () => Promise<void>) => {
    try {
      await action();
    } catch (error) {
      const done = summary.created + summary.updated + summary.deleted;
      if (error instanceof IntercomError && done < total)
        error.message += `; stopped after ${done} of ${total} changes (run the push again to finish them)`;
      throw error;
    }
  };
  // Creates and updates before deletes: an interrupted push never leaves Fin with less to go on.
  for (const page of create)
    await step(async () => {
      const made = await client.upsertPage(page);
      summary.created++;
      print(`created ${label(page)} (page ${made.id})`);
    });
  for (const { page, id, fields, recreate } of update)
    await step(async () => {
      if (recreate) await client.deletePage(id);
      const made = await client.upsertPage(page);
      summary.updated++;
      print(`updated ${label(page)} (${fields.join(', ')}; page ${made.id})`);
    });
  for (const page of remove)
    await step(async () => {
      await client.deletePage(page.id);
      summary.deleted++;
      print(`deleted ${label(page)} (page ${page.id})`);
    });
  print(
    `content import source ${sourceId}: ${summary.created} created, ${summary.updated} updated, ${summary.deleted} deleted, ${unchanged} unchanged`,
  );
  return summary;
}

/**
 * The feed's pages Intercom may hold, each skipped article reported. Skipped: languages the API
 * does not accept; articles neither AI Agent nor Copilot may use (pushing them with both flags off
 * would hand Intercom text the writer kept from AI, to no use; a page already pushed is deleted);
 * and a second article with an `external_id` already taken (an internal article may share a
 * published one's id, as `internal/` is its own id space).
 */
function selectPages(feed: Feed, print: (line: string) => void) {
  const languages = new Map<string, number>();
  const noAi: FeedArticle[] = [];
  const taken = new Set<string>();
  const pages: FeedIntercomPage[] = [];
  let skipped = 0;
  for (const article of feed.articles) {
    const page = article.intercom;
    if (!EXTERNAL_PAGE_LOCALES.includes(page.locale)) {
      languages.set(article.language, (languages.get(article.language) ?? 0) + 1);
    } else if (!page.ai_agent_availability && !page.ai_copilot_availability) {
      noAi.push(article);
    } else if (taken.has(page.external_id)) {
      print(
        `skipped ${article.visibility} article ${article.id} (${article.language}): another article of the feed has its external_id ${page.external_id}; rename one`,
      );
      skipped++;
      continue;
    } else {
      taken.add(page.external_id);
      pages.push(page);
      continue;
    }
    skipped++;
  }
  if (languages.size) {
    const total = [...languages.values()].reduce((a, b) => a + b, 0);
    print(
      `skipped ${count(total, 'article')} in ${[...languages.keys()].sort().join(', ')}: Intercom's external pages accept only ${EXTERNAL_PAGE_LOCALES.join(', ')}`,
    );
  }
  if (noAi.length) {
    const ids = noAi.map((a) => `${a.id} (${a.language})`);
    const shown = ids.length > 5 ? [...ids.slice(0, 5), `and ${ids.length - 5} more`] : ids;
    print(
      `skipped ${count(noAi.length, 'article')} neither AI Agent nor Copilot may use (ai.agent and ai.copilot are false): ${shown.join(', ')}`,
    );
  }
  return { pages, skipped };
}

/** The source to push into: `--source-id`, else the one with the brand's URL, else a new one. */
async function resolveSource({
  feed,
  client,
  sourceId,
  apply,
  print,
}: PushOptions): Promise<number | undefined> {
  if (sourceId !== undefined) {
    const source = await client.getSource(sourceId);
    if (!source)
      throw new IntercomError(
        `Intercom has no content import source ${sourceId}; omit --source-id to find or create the brand's source`,
      );
    checkApiSource(source);
    print(`content import source ${source.id} (${source.url}), from --source-id`);
    return source.id;
  }
  // Sources have a URL, not a name: the brand's URL is how a later push finds the one it made.
  const url = feed.brand.url;
  const found = (await client.listSources())
    .filter((s) => s.sync_behavior === 'api' && sameUrl(s.url, url))
    .sort((a, b) => a.id - b.id)[0];
  if (found) {
    print(`content import source ${found.id} (${found.url}), found by the brand's URL`);
    return found.id;
  }
  if (!apply) {
    print(`would create a content import source for ${url} (none has the brand's URL)`);
    return undefined;
  }
  const made = await client.createSource(url);
  print(`created content import source ${made.id} for ${url}`);
  return made.id;
}

/** Pages of a source that Intercom syncs itself (a crawled site) cannot be written through the API. */
function checkApiSource(source: ContentImportSource): void {
  if (source.sync_behavior !== 'api')
    throw new IntercomError(
      `content import source ${source.id} syncs "${source.sync_behavior}", not through the API; pick a source with sync_behavior api, or omit --source-id`,
    );
}

/** Compares what the feed wants with what the source holds, by `external_id`. */
export function plan(wanted: ExternalPageInput[], held: ExternalPage[]) {
  const byExternalId = new Map(held.map((page) => [page.external_id, page]));
  const create: ExternalPageInput[] = [];
  const update: Update[] = [];
  let unchanged = 0;
  for (const page of wanted) {
    const current = byExternalId.get(page.external_id);
    byExternalId.delete(page.external_id);
    if (!current) {
      create.push(page);
      continue;
    }
    // Intercom may leave `url` out or null where none was sent; all three mean "no URL".
    const fields = COMPARED.filter((key) => (page[key] ?? '') !== (current[key] ?? ''));
    if (!fields.length) unchanged++;
    else update.push({ page, id: current.id, fields, recreate: !page.url && !!current.url });
  }
  return { create, update, remove: [...byExternalId.values()], unchanged };
}

function sameUrl(a: string, b: string): boolean {
  const normal = (url: string) => url.trim().replace(/\/+$/, '').toLowerCase();
  return normal(a) === normal(b);
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
