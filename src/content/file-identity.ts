import type { BigIntStats } from 'node:fs';

/**
 * A file's identity and times as one string (device, inode, size, modification and change time,
 * in nanoseconds): what a memo may keep an answer about the file's bytes under, in place of
 * reading them. Undefined where the file changed in the last `RACY_MS`: the kernel stamps a write
 * with a clock that moves a tick (up to 10 ms) at a time, so a file written twice within one tick,
 * to the same size, would keep its identity. Once its change time is older than that, any later
 * write changes it (a change time cannot be set back, as a modification time can). Git's index has
 * the same problem with "racily clean" files, and the same answer.
 */
export function fileIdentity(stat: BigIntStats): string | undefined {
  if (BigInt(Date.now() - RACY_MS) * 1_000_000n < stat.ctimeNs) return undefined;
  return `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
}

/** How long after a change a file's identity is not trusted (`fileIdentity`). */
export const RACY_MS = 50;
