import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

/**
 * A file of another output tree (the previous build's, or another brand's in this one) in the new
 * output: a hard link, since output files are written once and never changed in place and both
 * trees are on one disk; else (another disk, a file system without links) a copy.
 */
export function linkOrCopy(from: string, to: string): void {
  try {
    fs.linkSync(from, to);
  } catch {
    fs.copyFileSync(from, to);
  }
}

/** `linkOrCopy` through libuv's threads, so the process goes on meanwhile. */
export async function linkOrCopyAsync(from: string, to: string): Promise<void> {
  await fsp.link(from, to).catch(() => fsp.copyFile(from, to));
}

/**
 * Every file (or symbolic link) under `dir`, as `dir` joined with its path, in readdir's order.
 * Listed with the entries' types: without them, Node stats every entry to tell folders from
 * files. Throws when `dir` cannot be read.
 */
export function treeFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile() || entry.isSymbolicLink()) files.push(path.join(entry.parentPath, entry.name));
  return files;
}

/** `linkOrCopy` of every file under `from` to the same place under `to` (`fs.cp` copies, slowly). */
export function linkTree(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const item of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, item.name);
    const target = path.join(to, item.name);
    if (item.isDirectory()) linkTree(source, target);
    else linkOrCopy(source, target);
  }
}
