import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { pruneCache, readAt, replaceKept } from './files.ts';

/**
 * A pack: the one file in which a cache keeps its entries for one folder (the render cache for an
 * output folder, the load cache for a content folder), each entry some bytes under a key (a
 * SHA-256 in hex). A build reads the previous build's pack (`PackReader`) and writes its own
 * (`PackWriter`): each entry appended as it is kept or found, under a temporary name renamed over
 * the previous pack at the end, so a build killed part-way, or two builds at once, leave a whole
 * pack or none, and nothing is held for the pack but its index.
 *
 * The file: the folder's path (JSON) on the first line, the format on the second, then each
 * entry's bytes, then the index: a row per entry of its key (64 hex digits), its offset (6 bytes),
 * its length and the CRC-32 of its bytes (4 bytes each; little-endian), then `<index offset>
 * <entries> <CRC-32 of the index>`, padded to `TAIL` bytes. An entry whose bytes changed on disk
 * is not given (a changed byte of a string would still decode), nor any entry of a pack whose
 * index changed. Pruning reads the first line (`pruneCache`): a pack of a folder that is gone is
 * removed.
 *
 * Written by hand: an append-only file with its index at the end is all these caches need (each
 * entry is written once, in order, and read by its key); a database would add writes, and a
 * dependency, for nothing.
 */
export class PackReader {
  /** The pack's bytes where it was read whole, else undefined (read an entry at a time). */
  readonly #bytes: Buffer | undefined;
  #fd: number | undefined;
  readonly #index: Map<string, EntryAt>;

  private constructor(bytes: Buffer | undefined, fd: number | undefined, index: Map<string, EntryAt>) {
    this.#bytes = bytes;
    this.#fd = fd;
    this.#index = index;
  }

  /**
   * The pack `file` of the format `format`, or undefined where there is none or it cannot be read
   * (cut short, of another format, its index damaged). One up to `wholeMax` bytes is read whole and
   * closed; a larger one stays open, an entry read as it is asked for, until `close`.
   */
  static open(file: string, format: string, wholeMax = 0): PackReader | undefined {
    let fd: number | undefined;
    try {
      fd = fs.openSync(file, 'r');
      const size = fs.fstatSync(fd).size;
      if (size <= wholeMax) {
        const bytes = readAt(fd, 0, size);
        fs.closeSync(fd);
        fd = undefined;
        const index = readIndex((at, length) => bytes.subarray(at, at + length), size, format);
        return new PackReader(bytes, undefined, index);
      }
      const from = fd;
      return new PackReader(
        undefined,
        fd,
        readIndex((at, length) => readAt(from, at, length), size, format),
      );
    } catch {
      if (fd !== undefined) fs.closeSync(fd);
      return undefined;
    }
  }

  has(key: string): boolean {
    return this.#index.has(key);
  }

  /** The entry under `key`: undefined where there is none, or its bytes changed on disk. */
  get(key: string): PackEntry | undefined {
    const at = this.#index.get(key);
    if (at === undefined) return undefined;
    const [offset, length, check] = at;
    try {
      const bytes =
        this.#bytes?.subarray(offset, offset + length) ??
        (this.#fd === undefined ? undefined : readAt(this.#fd, offset, length));
      return bytes && crc32(bytes) === check ? { bytes, check } : undefined;
    } catch {
      return undefined; // cut short since it was opened
    }
  }

  close(): void {
    if (this.#fd !== undefined) fs.closeSync(this.#fd);
    this.#fd = undefined;
  }
}

/**
 * This build's pack for the folder `folder`, written as `file` once `finish` is called. It is
 * started (its folder made, its temporary file opened) at the first entry, or by `finish` where
 * there is none: a pack of no entries. Writing it never fails the build: a pack that cannot be
 * written (a full disk, a read-only folder) is given up, which costs the next build its entries,
 * nothing more.
 */
export class PackWriter {
  readonly #file: string;
  readonly #temp: string;
  readonly #folder: string;
  readonly #format: string;
  /** The file as it is written; undefined until the first entry, null once it was given up. */
  #new: NewPack | undefined | null;

  constructor(file: string, folder: string, format: string) {
    this.#file = file;
    this.#temp = `${file}.${process.pid}.tmp`;
    this.#folder = folder;
    this.#format = format;
  }

  has(key: string): boolean {
    return this.#new?.index.has(key) ?? false;
  }

  /**
   * Appends an entry made of `parts` (a string as UTF-8), unless one is under `key` already.
   * Pending bytes are written a batch (`FLUSH_AT`) at a time.
   */
  add(key: string, parts: readonly (string | Uint8Array)[]): void {
    if (!this.#start() || this.has(key)) return;
    let check = 0;
    for (const part of parts) check = crc32(part, check);
    this.#append(key, parts, check);
  }

  /**
   * Appends an entry read from a pack (`get`) as it is: its CRC-32 was checked as it was read, and
   * is not computed again.
   */
  keep(key: string, { bytes, check }: PackEntry): void {
    if (!this.#start() || this.has(key)) return;
    this.#append(key, [bytes], check);
  }

  /**
   * The bytes of an entry this build added, read back; undefined where there is none, or they
   * changed on disk (then it is taken out of the index, so it can be added again).
   */
  get(key: string): PackEntry | undefined {
    const pack = this.#new;
    const at = pack?.index.get(key);
    if (!pack || at === undefined) return undefined;
    try {
      flush(pack);
      const bytes = readAt(pack.fd, at[0], at[1]);
      if (crc32(bytes) === at[2]) return { bytes, check: at[2] };
    } catch {
      // cut short: as damaged
    }
    pack.index.delete(key);
    return undefined;
  }

  /**
   * Ends the pack (its index, then its place, over the previous one, which goes into `retired` for
   * the build to remove in the background: `replaceKept`), and removes packs of this cache folder
   * that no build will read (`pruneCache`).
   */
  finish(retired: string[]): void {
    const pack = this.#start();
    if (!pack) return;
    try {
      const index = Buffer.alloc(pack.index.size * ROW);
      let row = 0;
      for (const [key, [offset, length, check]] of pack.index) {
        index.write(key, row, 'latin1');
        index.writeUIntLE(offset, row + KEY_LENGTH, 6);
        index.writeUInt32LE(length, row + KEY_LENGTH + 6);
        index.writeUInt32LE(check, row + KEY_LENGTH + 10);
        row += ROW;
      }
      pack.pending.push(index, `${pack.offset} ${pack.index.size} ${crc32(index)}`.padEnd(TAIL));
      flush(pack);
      fs.closeSync(pack.fd);
      this.#new = null;
      replaceKept(this.#temp, this.#file, retired);
      pruneCache(path.dirname(this.#file), this.#file);
    } catch {
      this.drop();
      fs.rmSync(this.#temp, { force: true }); // closed already, where it could not be put in place
    }
  }

  /** Gives the pack up: closes and removes its temporary file. Nothing is written after. */
  drop(): void {
    const pack = this.#new;
    this.#new = null;
    if (!pack) return;
    try {
      fs.closeSync(pack.fd);
    } catch {
      // closed already
    }
    fs.rmSync(this.#temp, { force: true });
  }

  /** Appends `parts`, whose CRC-32 is `check`, to the pack this build started; on a failure, gives it up. */
  #append(key: string, parts: readonly (string | Uint8Array)[], check: number): void {
    const pack = this.#new!;
    try {
      let length = 0;
      for (const part of parts) {
        length += typeof part === 'string' ? Buffer.byteLength(part, 'utf8') : part.length;
        pack.pending.push(part);
      }
      pack.index.set(key, [pack.offset, length, check]);
      pack.offset += length;
      pack.pendingBytes += length;
      if (pack.pendingBytes >= FLUSH_AT) flush(pack);
    } catch {
      this.drop();
    }
  }

  #start(): NewPack | null {
    if (this.#new !== undefined) return this.#new;
    try {
      fs.mkdirSync(path.dirname(this.#file), { recursive: true });
      const head = `${JSON.stringify(this.#folder)}\n${this.#format}\n`;
      const fd = fs.openSync(this.#temp, 'w+');
      const length = Buffer.byteLength(head, 'utf8');
      this.#new = { fd, index: new Map(), offset: length, pending: [head], pendingBytes: length };
    } catch {
      this.#new = null;
    }
    return this.#new;
  }
}

/** An entry's bytes, as read from a pack, and their CRC-32. */
export interface PackEntry {
  bytes: Buffer;
  check: number;
}

/** Where an entry is in a pack: its offset, its length and the CRC-32 of its bytes. */
type EntryAt = [offset: number, length: number, check: number];

/** A pack as it is written: its index so far, and the parts not yet written. */
interface NewPack {
  fd: number;
  index: Map<string, EntryAt>;
  /** Bytes of the pack so far, written or pending. */
  offset: number;
  pending: (string | Uint8Array)[];
  pendingBytes: number;
}

/** The index of a pack of `size` bytes, read through `read`; throws where it is not one of `format`. */
function readIndex(
  read: (offset: number, length: number) => Buffer,
  size: number,
  format: string,
): Map<string, EntryAt> {
  if (size < TAIL) throw new Error('cut short');
  const head = read(0, Math.min(size, 4096));
  const start = head.indexOf(0x0a) + 1;
  if (start === 0 || head.toString('latin1', start, start + format.length + 1) !== `${format}\n`)
    throw new Error('a pack of another format');
  const tail = read(size - TAIL, TAIL).toString('latin1');
  const [, offset, count, check] = /^(\d+) (\d+) (\d+) *$/.exec(tail) ?? [];
  if (offset === undefined) throw new Error('cut short');
  const rows = read(Number(offset), Number(count) * ROW);
  if (Number(offset) + rows.length + TAIL !== size || crc32(rows) !== Number(check))
    throw new Error('cut short');
  const index = new Map<string, EntryAt>();
  for (let row = 0; row < rows.length; row += ROW) {
    const at = rows.readUIntLE(row + KEY_LENGTH, 6);
    const length = rows.readUInt32LE(row + KEY_LENGTH + 6);
    if (at + length > Number(offset)) throw new Error('an entry outside the pack');
    index.set(rows.toString('latin1', row, row + KEY_LENGTH), [
      at,
      length,
      rows.readUInt32LE(row + KEY_LENGTH + 10),
    ]);
  }
  return index;
}

/**
 * Writes the pack's pending parts: runs of bytes as many buffers a call as systems take
 * (IOV_MAX), each string on its own (`writev` takes no strings, and a string is not copied into
 * a buffer first).
 */
function flush(pack: NewPack): void {
  const parts = pack.pending;
  pack.pending = [];
  pack.pendingBytes = 0;
  let run: Uint8Array[] = [];
  for (const part of parts) {
    if (typeof part !== 'string') {
      run.push(part);
      if (run.length === 1024) run = writeRun(pack.fd, run);
      continue;
    }
    run = writeRun(pack.fd, run);
    const length = Buffer.byteLength(part, 'utf8');
    if (fs.writeSync(pack.fd, part) !== length) throw new Error('a write cut short');
  }
  writeRun(pack.fd, run);
}

/** Writes `run` whole where the file is; returns an empty run. */
function writeRun(fd: number, run: Uint8Array[]): Uint8Array[] {
  if (run.length === 0) return run;
  // A call may write less than it was given.
  let written = fs.writevSync(fd, run);
  for (const part of run) {
    if (written >= part.length) {
      written -= part.length;
      continue;
    }
    for (let done = written; done < part.length;) done += fs.writeSync(fd, part, done);
    written = 0;
  }
  return [];
}

/** Bytes of entries a pack writes at a time. */
const FLUSH_AT = 1024 * 1024;

/** An index row: key, offset (6 bytes), length, CRC-32. */
const ROW = 64 + 6 + 4 + 4;

/** Bytes at the end of a pack that say where its index is. */
const TAIL = 40;

/** An entry's key: a SHA-256 in hex. */
const KEY_LENGTH = 64;
