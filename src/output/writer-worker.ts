import fs from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { pageHashes, type PageHashes } from '../search/input.ts';
import { detokenize, detokenizeBytes, leftover } from './tokens.ts';
import { linkOrCopy } from './link.ts';
import type { FileRange } from './feed-cache.ts';
import type { FileToLink, FileToWrite } from './writer.ts';

/**
 * Writes a batch of files in order, each folder made once (`made` remembers them), a prototype's
 * text with its tokens replaced by the file's words (`tokens.ts`); a page with any part of a token
 * left is not written, and the batch fails. A file whose `previous` (the same file in the
 * previous output) holds its very bytes (its text, or its pieces) is linked from there: reading
 * and comparing is a fraction of writing on a slow disk, and a one-article rebuild changes one of
 * thousands; a `FileToLink` is linked from its `from` without a look. Returns the page cache's
 * hashes of each `page` written, by file.
 */
export function writeFiles(files: (FileToWrite | FileToLink)[], made: Set<string>): [string, PageHashes][] {
  const hashes: [string, PageHashes][] = [];
  for (const entry of files) {
    const dir = path.dirname(entry.file);
    if (!made.has(dir)) fs.mkdirSync(dir, { recursive: true });
    made.add(dir);
    if ('from' in entry) {
      linkOrCopy(entry.from, entry.file);
      continue;
    }
    const { file, previous, words, append, page, ...given } = entry;
    if (Array.isArray(given.text) && given.text.some((part) => typeof part !== 'string')) {
      // Bytes of another file are written as they are: nothing to replace or hash.
      if (words || page || (append && previous !== undefined))
        throw new Error(
          `${file}: bytes of another file with words, a page, or appended with a previous file (a bug in Signpost: please report it)`,
        );
      if (previous !== undefined && samePieces(previous, given.text)) linkOrCopy(previous, file);
      else writePieces(file, given.text, append === true);
      continue;
    }
    let text = Array.isArray(given.text) ? (given.text as string[]).join('') : given.text;
    if (words) {
      // Bytes (a page as Astro rendered it) stay bytes: hashed and written without decoding.
      text = typeof text === 'string' ? detokenize(text, words) : detokenizeBytes(text, words);
      // A template that changed a token (upper-cased it, say) would leave part of it in a page.
      if (page && leftover(text, words.prefix))
        throw new Error(
          `${file}: a template changed a brand's word, so its page cannot be shared between brands (a bug in Signpost: please report it)`,
        );
    }
    if (previous !== undefined && sameBytes(previous, text)) linkOrCopy(previous, file);
    else fs.writeFileSync(file, text, append ? { flag: 'a' } : undefined);
    if (page) hashes.push([file, pageHashes(text)]);
  }
  return hashes;
}

const copyBuffer = Buffer.allocUnsafe(1 << 16);

/**
 * Writes `pieces` into `file` one after another (after what it holds, with `append`): each
 * string as UTF-8, each `FileRange` as the bytes of its file there, which must all be there.
 */
function writePieces(file: string, pieces: (string | FileRange)[], append: boolean): void {
  const fd = fs.openSync(file, append ? 'a' : 'w');
  try {
    for (const piece of pieces) {
      // Given a descriptor, `writeFileSync` writes all it is given where the file is.
      if (typeof piece === 'string') {
        fs.writeFileSync(fd, piece);
        continue;
      }
      // Through one buffer: a buffer per piece was ~15 MB more of this thread's memory by the
      // time Astro renders, at 1,000 × 3.
      for (let copied = 0; copied < piece.length;) {
        const length = Math.min(copyBuffer.length, piece.length - copied);
        const n = fs.readSync(piece.fd, copyBuffer, 0, length, piece.offset + copied);
        if (n === 0)
          throw new Error(
            `${piece.from}: cut short while the build copied a feed article from it (something removed it meanwhile); run the build again`,
          );
        fs.writeFileSync(fd, copyBuffer.subarray(0, n));
        copied += n;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Whether `file` exists and holds the bytes of `pieces` (`writePieces`), one after another: a
 * `.md` copy the feed cache kept (a few kilobytes), read whole.
 */
function samePieces(file: string, pieces: (string | FileRange)[]): boolean {
  const parts = pieces.map((piece) => {
    if (typeof piece === 'string') return Buffer.from(piece, 'utf8');
    const bytes = Buffer.allocUnsafe(piece.length);
    for (let read = 0; read < piece.length;) {
      const n = fs.readSync(piece.fd, bytes, read, piece.length - read, piece.offset + read);
      if (n === 0) return undefined; // cut short: `writePieces` says so
      read += n;
    }
    return bytes;
  });
  if (parts.some((part) => part === undefined)) return false;
  return sameBytes(file, Buffer.concat(parts as Buffer[]));
}

/** Whether `file` exists and holds `text` (as UTF-8, when a string). */
function sameBytes(file: string, text: string | Uint8Array): boolean {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return false;
  }
  if (typeof text !== 'string') return bytes.equals(text);
  return bytes.length === Buffer.byteLength(text, 'utf8') && bytes.toString('utf8') === text;
}

/** What `FileWriter` starts its thread with, so the thread knows it is one (see below). */
export const WRITER_THREAD = { signpostWriter: true };

// `FileWriter`'s thread (not any thread that imports `writeFiles`): answers each batch with the
// hashes of its pages (`{ hashes }`), or `{ error }` for the first failure.
if (parentPort && (workerData as typeof WRITER_THREAD | undefined)?.signpostWriter) {
  const port = parentPort;
  const made = new Set<string>();
  port.on('message', (files: (FileToWrite | FileToLink)[]) => {
    try {
      port.postMessage({ hashes: writeFiles(files, made) });
    } catch (error) {
      port.postMessage({ error: error instanceof Error ? error.message : String(error) });
    }
  });
}
