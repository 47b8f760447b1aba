import fs from 'node:fs';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { linkOrCopy } from './link.ts';
import type { FileToWrite } from './writer.ts';

/**
 * `FileWriter`'s thread: each batch's files written in order, each folder made once. A file whose
 * `previous` (the same file in the previous output) holds its very bytes is linked from there:
 * reading and comparing is a fraction of writing on a slow disk, and a one-article rebuild
 * changes one of thousands. Answers each batch with `{}`, or `{ error }` for the first failure.
 */
const made = new Set<string>();
parentPort!.on('message', (files: FileToWrite[]) => {
  try {
    for (const { file, text, previous } of files) {
      const dir = path.dirname(file);
      if (!made.has(dir)) fs.mkdirSync(dir, { recursive: true });
      made.add(dir);
      if (previous !== undefined && sameBytes(previous, text)) linkOrCopy(previous, file);
      else fs.writeFileSync(file, text);
    }
    parentPort!.postMessage({});
  } catch (error) {
    parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});

/** Whether `file` exists and holds `text` as UTF-8. */
function sameBytes(file: string, text: string): boolean {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return false;
  }
  return bytes.length === Buffer.byteLength(text, 'utf8') && bytes.toString('utf8') === text;
}
