import fs from 'node:fs';
import { isHttp } from '../import/fetch.ts';
import { importBrand } from '../brand-import/import.ts';

/** `signpost brand`'s command line, as `main.ts` parsed it. */
export interface BrandOptions {
  /** `import <url>`. */
  args: string[];
  brand?: string | undefined;
  content: string;
}

/**
 * `signpost brand import <url> --brand ID`: one report line per thing found or not found on stdout.
 * Exits 0 when something was imported, 1 when the page could not be read, 2 for a wrong command line.
 */
export async function runBrand(options: BrandOptions): Promise<number> {
  const [action, target, ...extra] = options.args;
  if (action !== 'import')
    return usage(
      action === undefined
        ? 'say what to do: import <url> --brand ID'
        : `unknown action "${action}" (import)`,
    );
  if (target === undefined || extra.length) return usage('brand import takes one homepage URL');
  const url = URL.parse(target);
  if (!url || !isHttp(url)) return usage(`${target}: expected an http(s) URL such as https://acme.com`);
  const { brand, content } = options;
  if (!brand) return usage('brand import needs --brand ID');
  // The id becomes a file name: keep it to the ids brand files already use.
  if (!/^[a-z0-9][a-z0-9-]*$/.test(brand))
    return usage(`--brand ${brand}: expected an id such as acme or acme-eu`);
  if (!fs.existsSync(content)) {
    console.error(`signpost brand import: ${content}: no such folder; pass --content DIR`);
    return 1;
  }
  return importBrand({
    url,
    brand,
    content,
    print: (line) => console.log(line),
    printError: (line) => console.error(line),
  });
}

/** A wrong command line: one line, exit 2, as `main.ts` does for the options it checks. */
function usage(what: string): number {
  console.error(`signpost: ${what}; see signpost brand --help`);
  return 2;
}
