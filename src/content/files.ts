import fs from 'node:fs';
import path from 'node:path';
import { idProblem } from '../schemas/article.ts';
import { realPath, type Problems } from './problems.ts';

/** What an article file's name says: `refunds.de.md` → id `refunds`, language `de`, format `md`. */
export interface ArticleFileName {
  id: string;
  language: string;
  format: 'md' | 'mdx';
}

const ARTICLE_FILE = /^(.+?)(?:\.([a-z]{2,3}(?:-[a-z0-9]{2,8})*))?\.(md|mdx)$/i;

/**
 * Splits an article file name. `languages` are the workspace's tags; a suffix that looks like a
 * language but is not one of them is an error, so `faq.fr.md` in an English-only workspace is
 * reported instead of silently becoming the article `faq.fr`. The id must be able to be a URL
 * segment (see `idProblem`).
 */
export function parseArticleFileName(
  name: string,
  languages: readonly string[],
  defaultLanguage: string,
): ArticleFileName | { error: string } | undefined {
  const match = ARTICLE_FILE.exec(name);
  if (!match) return undefined;
  const [, stem = '', suffix, ext = 'md'] = match;
  const format = ext.toLowerCase() === 'mdx' ? 'mdx' : 'md';
  let id = stem;
  let language = defaultLanguage;
  if (suffix) {
    const known = languages.find((l) => l.toLowerCase() === suffix.toLowerCase());
    if (known) language = known;
    // `x.md.md` is the id `x.md` (refused below), not an article in a language "md".
    else if (isLanguageTag(suffix) && !/^mdx?$/i.test(suffix))
      return {
        error: `language "${suffix}" in the file name is not in workspace.yaml languages (${languages.join(', ')}); add it there or rename the file`,
      };
    else id = `${stem}.${suffix}`;
  }
  const problem = idProblem(id);
  if (problem)
    return {
      error: `article id ${problem}; rename the file (e.g. ${slug(id.replace(/\.mdx?$/i, ''))}.${language === defaultLanguage && !suffix ? '' : `${language}.`}${ext})`,
    };
  return { id, language, format };
}

/**
 * The form of an id or alias that hosts and CDNs which ignore case (and Unicode normalization)
 * see: two ids with one fold are one URL there.
 */
export function foldId(id: string): string {
  return id.normalize('NFC').toLowerCase();
}

function isLanguageTag(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-|-$/g, '') || 'article'
  );
}

/**
 * A control character (Unicode's `Cc`: U+0000–U+001F and U+007F–U+009F) other than tab, line feed
 * and carriage return. Spelled as ranges: `(?![\t\n\r])\p{Cc}` took four times as long on every
 * content file (~40 ms of a 3,000-file load).
 */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL = /[\0-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]/;

/** Far above any real article or YAML file (a body may hold 1 MB); past it a file is not read. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Reads a content file (an article or a YAML file) as text. Content is untrusted input: a file
 * that is not UTF-8, or holds NUL or control characters (tab, newline and CR aside), is reported
 * at the line of its first bad byte, with how to re-save it, and `undefined` is returned, so it is
 * never decoded into "Caf� cr�me" or turned into a page of binary garbage. A byte-order mark is
 * dropped. `read` is given the bytes read, before they are checked.
 */
export function readTextFile(
  file: string,
  problems: Problems,
  read?: (bytes: Buffer) => void,
): string | undefined {
  let bytes: Buffer;
  try {
    const stat = fs.statSync(file);
    // A FIFO or a device would block the read forever or never end.
    if (!stat.isFile()) {
      problems.error(file, undefined, 'not a regular file; replace it with a text file');
      return undefined;
    }
    problems.noteRead(file, stat);
    if (stat.size > MAX_FILE_BYTES) {
      problems.error(
        file,
        undefined,
        `${stat.size.toLocaleString('en-US')} bytes, over the ${MAX_FILE_BYTES / 1024 / 1024} MB a content file may hold; is this the right file?`,
      );
      return undefined;
    }
    bytes = fs.readFileSync(file);
    read?.(bytes);
  } catch {
    problems.error(file, undefined, 'cannot read this file; check that it exists and is readable');
    return undefined;
  }
  const decoded = decode(bytes);
  if ('problem' in decoded) {
    problems.error(file, decoded.line, decoded.problem);
    return undefined;
  }
  const { text } = decoded;
  const control = CONTROL.exec(text);
  if (control) {
    const line = lineAt(text, control.index);
    const code = control[0].codePointAt(0)!;
    problems.error(
      file,
      line,
      code === 0
        ? `NUL byte on line ${line}: ${BINARY}`
        : `control character U+${hex(code, 4)} on line ${line}; delete it (most editors do not show it)`,
    );
    return undefined;
  }
  // Valid UTF-8, but damaged before it got here (a wrong decode, then saved): worth a look.
  const replaced = text.indexOf('\uFFFD');
  if (replaced >= 0) {
    const line = lineAt(text, replaced);
    problems.warn(
      file,
      line,
      `"\uFFFD" on line ${line}: text lost to a wrong encoding earlier; retype the characters it replaced`,
    );
  }
  return text;
}

const BINARY = 'the file looks binary; restore it from git, or remove what is not text and save it as UTF-8';

/** Strict UTF-8 decoding; `ignoreBOM: false` (the default) drops a leading byte-order mark. */
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The text of a file's bytes, or why they are not UTF-8 text and the line where that shows. */
function decode(bytes: Uint8Array): { text: string } | { problem: string; line: number } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return {
      problem: 'the file is UTF-16 (it starts with a UTF-16 byte-order mark); re-save it as UTF-8',
      line: 1,
    };
  try {
    return { text: decoder.decode(bytes) };
  } catch {
    // Only now, on the rare bad file, find where: the decoder does not say.
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad < 0) return { problem: 'not UTF-8; re-save the file as UTF-8', line: 1 }; // not expected
  const nul = bytes.indexOf(0);
  if (nul >= 0 && nul < bad) {
    const line = lineOfByte(bytes, nul);
    return { problem: `NUL byte on line ${line}: ${BINARY}`, line };
  }
  const line = lineOfByte(bytes, bad);
  const byte = bytes[bad]!;
  if (nul >= 0) return { problem: `byte 0x${hex(byte, 2)} on line ${line}: ${BINARY}`, line };
  // Bytes 0x80–0x9F are Windows-1252's curly quotes and dashes; 0xA0–0xFF are Latin-1 letters.
  const likely = byte < 0xa0 ? 'likely Windows-1252' : 'likely Latin-1';
  let start = Math.max(bytes.lastIndexOf(0x0a, bad) + 1, bad - 24);
  while (start < bad && (bytes[start]! & 0xc0) === 0x80) start++; // not inside a character
  const before = Buffer.from(bytes.subarray(start, bad)).toString('utf8').trimStart();
  return {
    problem: `not UTF-8 (byte 0x${hex(byte, 2)} on line ${line}, ${likely}: "${before}\\x${hex(byte, 2)}"); re-save the file as UTF-8`,
    line,
  };
}

/**
 * Offset of the first byte that does not start a well-formed UTF-8 character (overlong forms,
 * surrogates and code points past U+10FFFF included, as TextDecoder refuses them), or -1.
 */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const more =
      lead >= 0xc2 && lead <= 0xdf
        ? 1
        : lead >= 0xe0 && lead <= 0xef
          ? 2
          : lead >= 0xf0 && lead <= 0xf4
            ? 3
            : 0;
    if (!more) return i;
    // The second byte's range is what rules out overlongs, surrogates and > U+10FFFF.
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= more; k++) {
      const next = bytes[i + k];
      if (next === undefined || next < (k === 1 ? low : 0x80) || next > (k === 1 ? high : 0xbf)) return i;
    }
    i += more + 1;
  }
  return -1;
}

function lineOfByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < offset; i = bytes.indexOf(0x0a, i + 1)) line++;
  return line;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function hex(code: number, width: number): string {
  return code.toString(16).toUpperCase().padStart(width, '0');
}

/** A folder entry the walk may use: a file or folder, symlinks resolved. */
export interface FolderEntry {
  name: string;
  /** `refused`: a symlink that leaves `content/`, loops or leads nowhere (reported when listed). */
  kind: 'file' | 'dir' | 'refused';
  /** For a folder, the walk to list it with; otherwise the walk it was listed in. */
  walk: Walk;
}

/** Where a folder walk is: the content folder, and the real paths from the walk's top down. */
export interface Walk {
  /** Real path of the content folder: a symlink must resolve inside it. */
  contentReal: string;
  /** Real paths of the folders from the top of the walk down to the one being listed. */
  chain: readonly string[];
}

/** A walk of `dir`, a folder inside the content folder `contentDir`. */
export function startWalk(contentDir: string, dir: string): Walk {
  return { contentReal: realPath(contentDir), chain: [realPath(dir)] };
}

/**
 * Lists a folder for a walk, hidden entries left out, sorted by name. A symlink is followed only
 * when it resolves inside the content folder, to a file or to a folder that does not hold it (that
 * would be walked forever); any other is reported and refused, not silently skipped, so a writer
 * learns why an article is missing. Sockets, FIFOs and devices are left out.
 */
export function listFolder(dir: string, walk: Walk, problems: Problems): FolderEntry[] {
  const entries: FolderEntry[] = [];
  for (const dirent of fs.readdirSync(dir, { withFileTypes: true })) {
    if (dirent.name.startsWith('.')) continue;
    const file = path.join(dir, dirent.name);
    const kind = dirent.isSymbolicLink() ? followLink(file, walk, problems) : dirent;
    if (kind === 'refused') entries.push({ name: dirent.name, kind, walk });
    else if (kind.isFile()) entries.push({ name: dirent.name, kind: 'file', walk });
    else if (kind.isDirectory())
      entries.push({
        name: dirent.name,
        kind: 'dir',
        walk: { ...walk, chain: [...walk.chain, realPath(file)] },
      });
  }
  return entries.sort((a, b) => a.name.localeCompare(b.name));
}

/** What a symlink leads to, or `refused` (and reported) when the walk must not follow it. */
function followLink(link: string, walk: Walk, problems: Problems): fs.Stats | 'refused' {
  const target = fs.readlinkSync(link);
  let real: string;
  let stat: fs.Stats;
  try {
    real = fs.realpathSync(link);
    stat = fs.statSync(real);
  } catch (error) {
    const loop = (error as NodeJS.ErrnoException).code === 'ELOOP';
    problems.error(
      link,
      undefined,
      loop
        ? `symlink to ${target} is a loop (it leads back to itself); delete it or point it at a real file`
        : `symlink to ${target} leads nowhere; fix it or delete it`,
    );
    return 'refused';
  }
  const holds = (folder: string, inner: string) => inner === folder || isInside(inner, folder);
  if (!holds(walk.contentReal, real)) {
    problems.error(
      link,
      undefined,
      `symlink to ${real} leaves the content folder; copy the ${stat.isDirectory() ? 'folder' : 'file'} in instead`,
    );
    return 'refused';
  }
  // By real paths: `loop -> ..` holds the link itself; with `a/to-b -> ../b` and `b/to-a -> ../a`,
  // b/to-a leads back to a folder already on the way down.
  const here = walk.chain.at(-1) ?? walk.contentReal;
  if (stat.isDirectory() && (holds(real, here) || walk.chain.includes(real))) {
    problems.error(
      link,
      undefined,
      `symlink to ${target} is a loop (it leads to a folder that holds it); delete it`,
    );
    return 'refused';
  }
  return stat;
}

/**
 * Is `file` strictly inside `dir` (both absolute)? By path, not by string prefix, so `/content2` is
 * not inside `/content` and a name such as `..notes` is not taken for a step up.
 */
export function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return (
    relative !== '' &&
    relative !== '..' &&
    !relative.startsWith(`..${path.sep}`) &&
    !path.isAbsolute(relative)
  );
}

/** Where a content file names another file (an image, a font), for `locateInside`. */
export interface NamedFile {
  /** The path as written. */
  written: string;
  /** The folder it is relative to. */
  from: string;
  /** The folder it must stay in, and how messages call it (`the brands folder`). */
  root: string;
  rootName: string;
  /** How messages call what it is relative to (`this brand file`). */
  relativeTo: string;
  /** The key that names it, for messages: `header.logo`. */
  key: string;
  /** How messages call the file: `file`, `font file`. */
  noun: string;
}

/**
 * Finds a file a content file names, or reports why not: its path must stay inside `root` first
 * by name, so a path out of the folder is refused without saying whether it exists, then by real
 * path, so a symlink inside cannot point outside; and it must exist. Returns its real path, the
 * path as messages show it, and its `stat`.
 */
export function locateInside(
  where: NamedFile,
  report: (message: string) => void,
): { file: string; shown: string; stat: fs.Stats } | undefined {
  const absolute = path.resolve(where.from, where.written);
  const shown = path.relative(where.from, absolute);
  const outside = `${where.key}: ${where.written} is outside ${where.rootName}; move the ${where.noun} inside it and name it relative to ${where.relativeTo}`;
  if (!isInside(absolute, path.resolve(where.root))) return void report(outside);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(absolute);
  } catch {
    return void report(
      `${where.key}: ${where.noun} ${shown} not found; fix the path (relative to ${where.relativeTo})`,
    );
  }
  const file = realPath(absolute);
  if (!isInside(file, realPath(where.root))) return void report(outside);
  return { file, shown, stat };
}
