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
 * Every file (or symbolic link) under `dir`, as `dir` joined with its path, in no set order.
 * Listed with the entries' types: without them, Node stats every entry to tell folders from
 * files. Folder by folder: Node's `recursive` listing took 1.5–2 times as long for an output of
 * 9,000 files in 3,000 folders (no-change builds at 1,000 × 3 by turns: median 449 ms against
 * 521 ms). Throws when `dir` cannot be read.
 */
export function treeFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const file = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile() || entry.isSymbolicLink()) files.push(file);
    }
  };
  walk(dir);
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
