/** `signpost docs`: keeps the configuration reference in README.md in step with the schemas. */
import { readFile, writeFile } from 'node:fs/promises';
import { configReference } from '../schemas/reference.ts';

const START = '<!-- config-reference:start -->';
const END = '<!-- config-reference:end -->';

/** Where the README lives: the project root, the folder above src/. */
export const README_URL = new URL('../../README.md', import.meta.url);

/** `readme` with the text between the config-reference markers replaced by `reference`. */
export function replaceReference(readme: string, reference: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END, start);
  if (start < 0 || end < 0) throw new Error(`README.md: missing the ${START} … ${END} markers`);
  return `${readme.slice(0, start + START.length)}\n\n${reference}\n\n${readme.slice(end)}`;
}

/**
 * Regenerates the reference in README.md; with `check`, writes nothing and returns 1 when the
 * README is stale. Returns the exit code.
 */
export async function runDocs(options: { check: boolean }): Promise<number> {
  const readme = await readFile(README_URL, 'utf8');
  const updated = replaceReference(readme, configReference());
  if (updated === readme) {
    console.log('README.md: configuration reference is up to date');
    return 0;
  }
  if (options.check) {
    console.error('README.md: configuration reference is stale; run npm run docs');
    return 1;
  }
  await writeFile(README_URL, updated);
  console.log('README.md: configuration reference updated');
  return 0;
}
