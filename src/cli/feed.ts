import fs from 'node:fs';
import path from 'node:path';
import { diffFeeds, FeedInputError, readFeed } from '../feed/diff.ts';
import { INTERCOM_REGIONS, IntercomClient, IntercomError } from '../feed/intercom.ts';
import { pushFeed } from '../feed/push.ts';
import { dirs, rootFiles } from '../routing/layout.ts';

/** `signpost feed`'s command line, as `main.ts` parsed it. */
export interface FeedOptions {
  /** `diff OLD NEW` or `push intercom`. */
  args: string[];
  brand?: string | undefined;
  dist: string;
  sourceId?: string | undefined;
  region?: string | undefined;
  apiUrl?: string | undefined;
  apply: boolean;
  /** The environment (`INTERCOM_TOKEN`, `INTERCOM_API_URL`); the CLI passes `process.env`. */
  env: NodeJS.ProcessEnv;
}

/**
 * `signpost feed diff OLD NEW` and `signpost feed push intercom --brand ID`. A wrong command line
 * exits 2, a bad feed or a refusal from Intercom exits 1; each is one line on stderr, no stack.
 */
export async function runFeed(options: FeedOptions): Promise<number> {
  const [action, ...operands] = options.args;
  if (action === 'diff') return runDiff(operands, options);
  if (action === 'push') return runPush(operands, options);
  return usage(
    action === undefined
      ? 'say what to do: diff OLD NEW, or push intercom --brand ID'
      : `unknown action "${action}" (diff or push)`,
  );
}

function runDiff(operands: string[], options: FeedOptions): number {
  if (operands.length !== 2) return usage(`feed diff takes two feed files (OLD NEW), got ${operands.length}`);
  const pushOnly = (['brand', 'sourceId', 'region', 'apiUrl'] as const).filter(
    (key) => options[key] !== undefined,
  );
  if (pushOnly.length || options.apply)
    return usage('--brand, --source-id, --region, --api-url and --apply are options of feed push');
  try {
    const [before, after] = [readFeed(operands[0]!), readFeed(operands[1]!)];
    console.log(JSON.stringify(diffFeeds(before, after), null, 2));
    return 0;
  } catch (error) {
    if (!(error instanceof FeedInputError)) throw error;
    console.error(`signpost feed diff: ${error.message}`);
    return 1;
  }
}

async function runPush(operands: string[], options: FeedOptions): Promise<number> {
  const [target, ...extra] = operands;
  if (target !== 'intercom' || extra.length)
    return usage(
      target === undefined
        ? 'feed push needs a target: intercom'
        : `feed push: unknown target "${[target, ...extra].join(' ')}" (only intercom)`,
    );
  const { brand, region = 'us', env } = options;
  if (!brand) return usage('feed push needs --brand ID');
  if (!Object.hasOwn(INTERCOM_REGIONS, region))
    return usage(`--region ${region}: expected one of ${Object.keys(INTERCOM_REGIONS).join(' | ')}`);
  const sourceId = options.sourceId === undefined ? undefined : Number(options.sourceId);
  if (sourceId !== undefined && !(Number.isSafeInteger(sourceId) && sourceId > 0))
    return usage(`--source-id ${options.sourceId}: expected the source's number`);

  const apiUrl = options.apiUrl ?? env.INTERCOM_API_URL;
  if (apiUrl !== undefined && !URL.canParse(apiUrl))
    return usage(`--api-url ${apiUrl}: expected an origin such as http://127.0.0.1:8080`);

  const fail = (message: string) => {
    console.error(`signpost feed push: ${message}`);
    return 1;
  };
  const token = env.INTERCOM_TOKEN?.trim();
  if (!token)
    return fail('INTERCOM_TOKEN is not set; export an access token of the Intercom workspace to push to');
  const file = path.join(dirs.export(options.dist, brand), rootFiles.feed);
  if (!fs.existsSync(file)) return fail(`${file}: no such file; ${missingFeedHint(options.dist, brand)}`);
  try {
    const feed = readFeed(file);
    if (feed.brand.id !== brand)
      return fail(
        `${file} is the feed of brand ${feed.brand.id}, not ${brand}; rebuild with \`npm run build\``,
      );
    const client = new IntercomClient({
      token,
      baseUrl: apiUrl ?? INTERCOM_REGIONS[region as keyof typeof INTERCOM_REGIONS],
      onWait: (message) => console.error(`note: ${message}`),
    });
    await pushFeed({ feed, client, sourceId, apply: options.apply, print: (line) => console.log(line) });
    return 0;
  } catch (error) {
    if (!(error instanceof IntercomError || error instanceof FeedInputError)) throw error;
    return fail(error.message);
  }
}

/** Which brands the output folder has feeds for, or that it needs a build. */
function missingFeedHint(dist: string, brand: string): string {
  let brands: string[] = [];
  try {
    brands = fs
      .readdirSync(dirs.export(dist, ''))
      .filter((name) => fs.existsSync(path.join(dirs.export(dist, name), rootFiles.feed)));
  } catch {
    // No export folder at all: the site was never built here.
  }
  return brands.length && !brands.includes(brand)
    ? `--brand ${brand}: ${dist} has feeds for ${brands.sort().join(', ')}`
    : 'run `npm run build` first';
}

/** A wrong command line: one line, exit 2, as `main.ts` does for the options it checks. */
function usage(what: string): number {
  console.error(`signpost: ${what}; see signpost feed --help`);
  return 2;
}
