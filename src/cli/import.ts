import { importIntercom } from '../import/intercom/import.ts';

/** `signpost import`'s command line, as `main.ts` parsed it. */
export interface ImportCliOptions {
  /** `intercom`. */
  args: string[];
  from?: string | undefined;
  fromApi: boolean;
  region?: string | undefined;
  apiUrl?: string | undefined;
  content: string;
  downloadImages: boolean;
  noDownloadImages: boolean;
  prune: boolean;
  force: boolean;
  /** The environment (`INTERCOM_TOKEN`, `INTERCOM_API_URL`); the CLI passes `process.env`. */
  env: NodeJS.ProcessEnv;
}

const REGIONS = ['us', 'eu', 'au'] as const;

/**
 * `signpost import intercom --from FILE|DIR | --from-api`: writes `content/` from an Intercom Help
 * Center. Exits 0 when the import ran (conflicts and warnings are reported, not failures), 1 when
 * the export could not be read, 2 for a wrong command line.
 */
export async function runImport(options: ImportCliOptions): Promise<number> {
  const [target, ...extra] = options.args;
  if (target !== 'intercom' || extra.length)
    return usage(
      target === undefined
        ? 'say what to import from: import intercom --from DIR, or --from-api'
        : `unknown source "${[target, ...extra].join(' ')}" (only intercom)`,
    );
  const { from, fromApi, region = 'us', env } = options;
  if (from !== undefined && fromApi) return usage('--from and --from-api exclude each other; pick one');
  if (from === undefined && !fromApi) return usage('import intercom needs --from FILE|DIR or --from-api');
  if (options.downloadImages && options.noDownloadImages)
    return usage('--download-images and --no-download-images exclude each other');
  if (!(REGIONS as readonly string[]).includes(region))
    return usage(`--region ${region}: expected one of ${REGIONS.join(' | ')}`);
  if (!fromApi && (options.region !== undefined || options.apiUrl !== undefined))
    return usage('--region and --api-url go with --from-api');
  const apiUrl = options.apiUrl ?? env.INTERCOM_API_URL;
  if (fromApi && apiUrl !== undefined && !URL.canParse(apiUrl))
    return usage(`--api-url ${apiUrl}: expected an origin such as http://127.0.0.1:8080`);

  let source: Parameters<typeof importIntercom>[0]['source'];
  if (from !== undefined) source = { from };
  else {
    const token = env.INTERCOM_TOKEN?.trim();
    if (!token) {
      console.error(
        'signpost import intercom: INTERCOM_TOKEN is not set; export an access token of the workspace (Settings → Integrations → Developer Hub)',
      );
      return 1;
    }
    source = {
      api: { token, region: region as (typeof REGIONS)[number], baseUrl: fromApi ? apiUrl : undefined },
    };
  }
  return importIntercom({
    source,
    content: options.content,
    downloadImages: !options.noDownloadImages,
    prune: options.prune,
    force: options.force,
    print: (line) => console.log(line),
    printError: (line) => console.error(line),
  });
}

/** A wrong command line: one line, exit 2, as `main.ts` does for the options it checks. */
function usage(what: string): number {
  console.error(`signpost: ${what}; see signpost import --help`);
  return 2;
}
