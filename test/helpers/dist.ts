import fs from 'node:fs';
import path from 'node:path';

/** Every file under `dir`, as paths relative to it (`en/articles/refunds/index.html`). */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

/** Reads a built file as text. */
export function read(dist: string, file: string): string {
  return fs.readFileSync(path.join(dist, file), 'utf8');
}
