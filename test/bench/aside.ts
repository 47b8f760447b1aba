import fs from 'node:fs';

/**
 * Moves the output of an earlier timed build out of the way, by a rename, so that the next timed
 * build starts without it and no deletion runs before it; `removeSetAside` deletes them all once
 * the bench is done. This machine's disk (ext4 without a journal) skips the inodes freed in the
 * last minute one by one when it makes new files, so a build right after the removal of a
 * 10,000-file output paid for that removal: 11.6–11.9 s against 11.0–11.2 s after a 90 s pause
 * (Signpost, 1,000 × 3). The same for every tool.
 */
export function setAside(folder: string): void {
  if (!fs.existsSync(folder)) return;
  const to = `${folder}.aside-${process.pid}-${asideFolders.length}`;
  fs.renameSync(folder, to);
  asideFolders.push(to);
}

const asideFolders: string[] = [];

/** Deletes every folder `setAside` moved. */
export function removeSetAside(): void {
  for (const folder of asideFolders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
}
