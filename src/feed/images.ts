import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { imageMemo } from '../content/image-memo.ts';

/**
 * Article images as the feed publishes them: the original file, under a name made of its content
 * hash and the extension of its real format (`3f2a…9c.png`). The page's optimised images get
 * their names from Astro while it renders, too late and too many for the feed; the original is
 * one file an agent can fetch, the same bytes give the same name in every build (so feeds stay
 * byte-identical and the file can be cached forever), and translations sharing a screenshot
 * share one file.
 *
 * Each file is read once per build, however many articles, languages and brands show it, and
 * read at once: the feeds are made one article after another, and a read through libuv's threads
 * left the build's thread waiting for each new image (1,000 × 3, 198 images of 0.35 MB in all,
 * by turns: 22–140 ms of the feeds' 0.6–1.0 s idle, against none). A build takes the last one's
 * name of a file it has not written to since (`imageMemo`).
 */
export class ImageNames {
  readonly #names = new Map<string, string>();

  /** The published name of an image file (absolute path). */
  name(file: string): string {
    let name = this.#names.get(file);
    if (name === undefined) {
      name = imageMemo.nameOf(file, () => {
        const bytes = fs.readFileSync(file);
        return `${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.${formatOf(bytes)}`;
      });
      this.#names.set(file, name);
    }
    return name;
  }
}

/**
 * The extension of an image's format, read from its first bytes as `check` does: a JPEG named
 * `.png` is served as a JPEG. `check` lets nothing else through; `bin` is the safe answer if
 * something did (served as bytes, never run).
 */
function formatOf(bytes: Buffer): string {
  const ascii = (from: number, to: number) => bytes.toString('latin1', from, to);
  if (bytes[0] === 0x89 && ascii(1, 4) === 'PNG') return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpg';
  if (/^GIF8[79]a$/.test(ascii(0, 6))) return 'gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (ascii(4, 8) === 'ftyp' && /^avi[fs]$/.test(ascii(8, 12))) return 'avif';
  return 'bin';
}
