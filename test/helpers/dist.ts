import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Every file under `dir`, as paths relative to it (`en/articles/refunds/index.html`). */
export function filesUnder(dir: string): string[] {
  return pathsUnder(dir, (stat) => stat.isFile());
}

/** Every folder under `dir`, as paths relative to it (`en/articles/refunds`). */
export function foldersUnder(dir: string): string[] {
  return pathsUnder(dir, (stat) => stat.isDirectory());
}

function pathsUnder(dir: string, kind: (stat: fs.Stats) => boolean): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => kind(fs.statSync(path.join(dir, f))))
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

/**
 * A fingerprint of a folder: every file under it with a hash of its bytes, for telling whether two
 * trees (or one tree before and after) are the same, byte for byte.
 */
export function fingerprint(dir: string): string[] {
  return filesUnder(dir).map(
    (file) =>
      `${file} ${crypto
        .createHash('sha256')
        .update(fs.readFileSync(path.join(dir, file)))
        .digest('hex')}`,
  );
}

/** Reads a built file as text. */
export function read(dist: string, file: string): string {
  return fs.readFileSync(path.join(dist, file), 'utf8');
}
