/**
 * `node test/helpers/build-unchecked.ts <content> <out>`: builds a content folder the way
 * `signpost build` does, but on past the errors `check` reports, so tests can show that hostile or
 * broken content never reaches the output even when `check` is skipped.
 */
import { runBuild } from '../../src/cli/build.ts';

const [content, out] = process.argv.slice(2);
if (!content || !out) throw new Error('usage: build-unchecked.ts <content> <out>');
const result = await runBuild({ content, out, quiet: true, unchecked: true });
process.exitCode = result.code;
