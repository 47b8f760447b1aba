#!/usr/bin/env node
/**
 * The `signpost` command line: `check`, `build`, `dev`, `serve`, `docs`, `feed`, `brand`, `import`.
 * npm scripts call it through `signpost.mjs` (`npm run check -- --content dir`).
 */
import './compile-cache.mjs';
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import type { suggest } from '../content/validate.ts';

type Values = Record<string, string | boolean | undefined>;

interface Command {
  /** One line for `signpost --help`. */
  summary: string;
  /** `signpost <command> --help`. */
  usage: string;
  options: ParseArgsOptionsConfig;
  /** Takes operands after the command (`feed diff OLD NEW`); others refuse any. */
  positionals?: boolean;
  run(values: Values, positionals: string[]): Promise<number>;
}

const content = { type: 'string', default: 'content' } as const;
const text = (value: string | boolean | undefined) => (typeof value === 'string' ? value : undefined);

// Each command loads its own modules when it runs: `serve` in a container needs neither Astro's
// build nor `docs`'s TypeScript compiler (a dev dependency).
const COMMANDS: Record<string, Command> = {
  check: {
    summary: 'validate content/ and print every problem',
    usage: `usage: signpost check [--content DIR] [--verbose]

Reads every content file and prints every problem, one line each:
  error: <file>:<line>: what is wrong; what to do
Exits 1 when there is an error; warnings (e.g. missing translations) do not fail it.

options:
  --content DIR   the content folder (default: content)
  --verbose       list every warning; otherwise more than 3 of one kind are folded into a count
  -h, --help      show this help`,
    options: { content, verbose: { type: 'boolean', default: false } },
    run: async (v) =>
      (await import('./check.ts')).runCheck({
        content: text(v.content) ?? 'content',
        verbose: v.verbose === true,
      }),
  },
  build: {
    summary: "check, then build every brand's site",
    usage: `usage: signpost build [--content DIR] [--out DIR] [--no-cache]

Checks the content, then builds every brand's site, search index and exports. The output folder
is replaced only when everything succeeded. When the content, the themes and Signpost are exactly
as they were for the build already in the output folder, there is nothing to build.

options:
  --content DIR   the content folder (default: content)
  --out DIR       where the sites go (default: dist)
  --no-cache      build even when nothing changed since the build in --out
  -h, --help      show this help`,
    options: {
      content,
      out: { type: 'string', default: 'dist' },
      'no-cache': { type: 'boolean', default: false },
    },
    run: async (v) => {
      const options = {
        content: text(v.content) ?? 'content',
        out: text(v.out) ?? 'dist',
        noCache: v['no-cache'] === true,
      };
      // The build's stamp check says whether anything changed; the site build's process starts as
      // soon as something certainly did, and loads its modules while the check ends (`runBuild`).
      return (await import('./build.ts')).runBuild(options).then((built) => built.code);
    },
  },
  dev: {
    summary: 'live preview of one brand, drafts and private articles shown',
    usage: `usage: signpost dev [--content DIR] [--brand ID] [--port N]

A live-reloading preview of one brand, drafts and private articles shown with a badge.

options:
  --content DIR   the content folder (default: content)
  --brand ID      the brand to preview (default: the first)
  --port N        the port to serve on (default: 4321)
  -h, --help      show this help`,
    options: { content, brand: { type: 'string' }, port: { type: 'string' } },
    run: async (v) =>
      (await import('./dev.ts')).runDev({
        content: text(v.content) ?? 'content',
        brand: text(v.brand),
        port: text(v.port),
      }),
  },
  serve: {
    summary: 'serve dist/ with the private-article gate',
    usage: `usage: signpost serve [--dist DIR] [--port N] [--host H] [--brand ID] [--trust-proxy]

Serves the built sites, answering private articles only to signed-in customers. The brand is
chosen by the request's Host (the brand's domain); with one brand, or --brand, every Host is it.
Secrets come from the environment: each brand's privacy.jwt.secretEnv, and
SIGNPOST_SESSION_SECRET (unset: a random one, so sessions end when the gate restarts).

options:
  --dist DIR      the built output (default: dist)
  --port N        the port to listen on (default: 8080; 0 picks a free one)
  --host H        the address to listen on (default: 127.0.0.1; 0.0.0.0 in a container)
  --brand ID      serve only this brand, whatever the Host
  --trust-proxy   believe X-Forwarded-Proto (only behind a proxy that sets it)
  -h, --help      show this help`,
    options: {
      dist: { type: 'string', default: 'dist' },
      port: { type: 'string' },
      host: { type: 'string' },
      brand: { type: 'string' },
      'trust-proxy': { type: 'boolean', default: false },
    },
    run: async (v) =>
      (await import('./serve.ts')).runServe({
        dist: text(v.dist) ?? 'dist',
        port: text(v.port),
        host: text(v.host),
        brand: text(v.brand),
        trustProxy: v['trust-proxy'] === true,
      }),
  },
  docs: {
    summary: 'regenerate the configuration reference in README.md',
    usage: `usage: signpost docs [--check]

Regenerates the configuration reference in README.md from the schemas.

options:
  --check         write nothing; exit 1 when the README is stale
  -h, --help      show this help`,
    options: { check: { type: 'boolean', default: false } },
    run: async (v) => (await import('./docs.ts')).runDocs({ check: v.check === true }),
  },
  feed: {
    summary: "compare two knowledge feeds; push a brand's feed to Intercom Fin",
    usage: `usage: signpost feed diff OLD.json NEW.json
       signpost feed push intercom --brand ID [--dist DIR] [--source-id N] [--region us|eu|au] [--apply]

diff prints, as JSON, the articles added, changed and removed between two feeds of one brand
(by id and language; changed = body, title, description, URL, visibility, AI flags or audiences).

push intercom makes the external pages of an Intercom content import source match the brand's
full feed (the knowledge.json the build exports beside the sites), by external_id. Without
--apply it only reads from Intercom and prints what it would create, update and delete.
Articles in languages Intercom's external pages do not accept, and articles whose ai.agent and
ai.copilot are both false, are reported and skipped. The token comes from INTERCOM_TOKEN.

options (push):
  --brand ID        the brand whose feed to push
  --dist DIR        the built output (default: dist)
  --source-id N     the content import source; default: the one whose URL is the brand's URL,
                    created (with --apply) when there is none
  --region R        the workspace's data region: us, eu or au (default: us)
  --api-url URL     another API origin (or INTERCOM_API_URL), e.g. a test server
  --apply           send the changes; without it, nothing is written
  -h, --help        show this help`,
    options: {
      brand: { type: 'string' },
      dist: { type: 'string', default: 'dist' },
      'source-id': { type: 'string' },
      region: { type: 'string' },
      'api-url': { type: 'string' },
      apply: { type: 'boolean', default: false },
    },
    positionals: true,
    run: async (v, positionals) =>
      (await import('./feed.ts')).runFeed({
        args: positionals,
        brand: text(v.brand),
        dist: text(v.dist) ?? 'dist',
        sourceId: text(v['source-id']),
        region: text(v.region),
        apiUrl: text(v['api-url']),
        apply: v.apply === true,
        env: process.env,
      }),
  },
  brand: {
    summary: "import a brand's logo, icons and colours from its homepage",
    usage: `usage: signpost brand import URL --brand ID [--content DIR]

Reads the homepage at URL (one GET, same-site redirects only, up to 2 MB), its icons, Open Graph
image, theme-color and web manifest; saves the best icon and social image (checked with sharp, up
to 5 MB each) as content/brands/assets/<ID>-icon.<ext> and <ID>-social.<ext>, and writes them and
the colours into content/brands/<ID>.yaml, creating it if needed and keeping its comments.
Prints one line per thing found or not found. Exits 0 when something was imported, 1 when the
page could not be read or had nothing to import.

options:
  --brand ID      the brand file to create or update
  --content DIR   the content folder (default: content)
  -h, --help      show this help`,
    options: { brand: { type: 'string' }, content },
    positionals: true,
    run: async (v, positionals) =>
      (await import('./brand.ts')).runBrand({
        args: positionals,
        brand: text(v.brand),
        content: text(v.content) ?? 'content',
      }),
  },
  import: {
    summary: 'turn an Intercom Help Center into content/',
    usage: `usage: signpost import intercom --from FILE|DIR [options]
       signpost import intercom --from-api [--region us|eu|au] [options]

Writes content/ from an Intercom Help Center: a brand file and a folder per help center,
collections (names, descriptions, order, icons), every article translation as <id>.<lang>.md
(state, author, tags, AI flags, audiences, updated), authors.yaml, audiences.yaml, and every
former Intercom URL and redirect as an alias. Images are saved beside their articles.
--from reads the API's JSON list responses saved to a file or folder; --from-api reads the live
API with the token in INTERCOM_TOKEN.

Importing again changes only what changed in Intercom. A file edited here since the last import
is a conflict: reported and kept, unless --force. A file gone from Intercom is listed, and deleted
only with --prune. What the last import wrote is in <content>/.signpost-import.json.

options:
  --from PATH             an export: one JSON file, or a folder of them
  --from-api              read the live API instead (token from INTERCOM_TOKEN)
  --region R              the workspace's data region: us, eu or au (default: us)
  --api-url URL           another API origin (or INTERCOM_API_URL), e.g. a test server
  --content DIR           the content folder to write (default: content)
  --download-images       save images as files (the default)
  --no-download-images    keep images at their Intercom addresses (a warning names each)
  --prune                 delete files gone from Intercom
  --force                 overwrite files edited here since the last import
  -h, --help              show this help`,
    options: {
      from: { type: 'string' },
      'from-api': { type: 'boolean', default: false },
      region: { type: 'string' },
      'api-url': { type: 'string' },
      content,
      'download-images': { type: 'boolean', default: false },
      'no-download-images': { type: 'boolean', default: false },
      prune: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
    },
    positionals: true,
    run: async (v, positionals) =>
      (await import('./import.ts')).runImport({
        args: positionals,
        from: text(v.from),
        fromApi: v['from-api'] === true,
        region: text(v.region),
        apiUrl: text(v['api-url']),
        content: text(v.content) ?? 'content',
        downloadImages: v['download-images'] === true,
        noDownloadImages: v['no-download-images'] === true,
        prune: v.prune === true,
        force: v.force === true,
        env: process.env,
      }),
  },
};

const USAGE = `usage: signpost <command> [options]

commands:
${Object.entries(COMMANDS)
  .map(([name, command]) => `  ${name.padEnd(7)} ${command.summary}`)
  .join('\n')}

signpost <command> --help lists a command's options.`;

const HELP = { type: 'boolean', short: 'h', default: false } as const;

/** Runs one command line; returns the exit code (2 for a wrong command line). */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    console.error(USAGE);
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (name.startsWith('-')) return wrongUsage(`unknown option ${name}`, 'signpost --help');
  const command = COMMANDS[name];
  if (!command) {
    const { suggest } = await import('../content/validate.ts');
    const hint = suggest(name, Object.keys(COMMANDS), '');
    return wrongUsage(`unknown command "${name}"${hint ? ` (${hint})` : ''}`, 'signpost --help');
  }
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      options: { ...command.options, help: HELP },
      strict: true,
      allowPositionals: command.positionals === true,
    }));
  } catch (error) {
    const { suggest } = await import('../content/validate.ts');
    return wrongUsage(
      describeArgsError(error, Object.keys(command.options), suggest),
      `signpost ${name} --help`,
    );
  }
  if (values.help) {
    console.log(command.usage);
    return 0;
  }
  return command.run(values, positionals);
}

type Suggest = typeof suggest;

/** One line on stderr, no stack: a wrong command line is the writer's to fix, not a bug. */
function wrongUsage(what: string, help: string): number {
  console.error(`signpost: ${what}; see ${help}`);
  return 2;
}

/** parseArgs' errors, in the words of this CLI. */
function describeArgsError(error: unknown, known: string[], suggest: Suggest): string {
  const { code, message } = error as { code?: string; message?: string };
  const option = /'(-[^' ]+)/.exec(message ?? '')?.[1] ?? '';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const hint = suggest(option, [...known.map((k) => `--${k}`), '--help'], '');
      return `unknown option ${option}${hint ? ` (${hint})` : ''}`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return message?.includes('does not take') ? `${option} takes no value` : `${option} needs a value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument "${/'([^']*)'/.exec(message ?? '')?.[1] ?? ''}"`;
    default:
      return message ?? String(error);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Content problems and wrong command lines never get here (they are reported as lines); this
    // is a bug, so say so in one line unless asked for the stack.
    const message = error instanceof Error ? error.message : String(error);
    console.error(`signpost: ${message}`);
    if (process.env.SIGNPOST_DEBUG) console.error(error);
    else console.error('(set SIGNPOST_DEBUG=1 to see the stack trace)');
    process.exitCode = 2;
  },
);
