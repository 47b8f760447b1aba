#!/usr/bin/env node
/**
 * The `signpost` command line: `check`, `build`, `dev`, `serve`, `import`, `docs`.
 * npm scripts call it (`npm run check -- --content dir`).
 */
import { parseArgs } from 'node:util';
import { runBuild } from './build.ts';
import { runCheck } from './check.ts';
import { runDev } from './dev.ts';
import { runDocs } from './docs.ts';

const USAGE = `usage: signpost <command> [options]

commands:
  check   validate content/ and print every problem (--content DIR)
  build   check, then build every brand's site (--content DIR --out DIR)
  dev     live preview of one brand, drafts and private articles shown (--brand ID --port N)
  docs    regenerate the configuration reference in README.md (--check: fail when stale)`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      content: { type: 'string', default: 'content' },
      out: { type: 'string', default: 'dist' },
      dist: { type: 'string', default: 'dist' },
      brand: { type: 'string' },
      port: { type: 'string' },
      check: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  switch (command) {
    case 'check':
      return runCheck({ content: values.content });
    case 'build':
      return (await runBuild({ content: values.content, out: values.out })).code;
    case 'dev':
      return runDev({ content: values.content, brand: values.brand, port: values.port });
    case 'docs':
      return runDocs({ check: values.check });
    default:
      console.error(command ? `unknown command "${command}"\n\n${USAGE}` : USAGE);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Content problems never get here (they are reported as file:line lines); this is a bug or a
    // wrong flag, so say so in one line unless asked for the stack.
    const message = error instanceof Error ? error.message : String(error);
    console.error(`signpost: ${message}`);
    if (process.env.SIGNPOST_DEBUG) console.error(error);
    else console.error('(set SIGNPOST_DEBUG=1 to see the stack trace)');
    process.exitCode = 2;
  },
);
