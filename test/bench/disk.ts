import fs from 'node:fs';
import path from 'node:path';

/** What one file costs the disk, in milliseconds: made new (a folder and a page in it), or linked. */
export interface DiskProbe {
  create_ms: number;
  link_ms: number;
}

/**
 * Times what every build does thousands of times, in a folder of `dir`: a folder made and a
 * 30 KB page written into it (an article page of 1,000 × 3), and a hard link to a page (how a
 * rebuild takes an unchanged one). Every tool the bench runs writes on the same disk, so this
 * is no part of any figure; it says how fast that disk was around them. On the machine of the
 * README's figures, making a file cost 0.3–1.3 ms from one hour to the next, and linking one
 * ~0.03 ms: a full build of 1,000 × 3 makes ~9,000 files and ~3,000 folders.
 */
export function probeDisk(dir: string, files = 1000): DiskProbe {
  const root = fs.mkdtempSync(path.join(dir, 'disk-probe-'));
  try {
    const page = Buffer.alloc(30 * 1024, 'a');
    let started = performance.now();
    for (let i = 0; i < files; i++) {
      fs.mkdirSync(path.join(root, `p${i}`));
      fs.writeFileSync(path.join(root, `p${i}`, 'index.html'), page);
    }
    const created = performance.now() - started;
    fs.mkdirSync(path.join(root, 'links'));
    started = performance.now();
    for (let i = 0; i < files; i++)
      fs.linkSync(path.join(root, `p${i}`, 'index.html'), path.join(root, 'links', `p${i}.html`));
    const linked = performance.now() - started;
    return {
      create_ms: Number((created / files).toFixed(3)),
      link_ms: Number((linked / files).toFixed(3)),
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
