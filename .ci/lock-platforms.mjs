#!/usr/bin/env node
// Repairs package-lock.json entries of optional platform binaries (`@scope/pkg-<os>-<cpu>`) that
// the registry this project installs from does not carry at the exact version their parent pins.
// npm then records a wrong version (or none) and `npm ci` refuses the lock as out of sync. Each
// such entry is written at the pinned version, next to the parent that needs it, without
// integrity: on this platform it is skipped (os/cpu do not match) and never fetched; on another
// platform npm fetches the pinned version like any other package. Run after `npm install`:
//   node .ci/lock-platforms.mjs
import fs from 'node:fs';
import path from 'node:path';

const file = path.resolve('package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const packages = lock.packages;

/** Where npm looks for `name` from the package at `where`: its own node_modules, then upwards. */
function resolve(where, name) {
  let dir = where;
  for (;;) {
    const key = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (packages[key]) return key;
    if (!dir) return undefined;
    const up = dir.lastIndexOf('/node_modules/');
    dir = up < 0 ? '' : dir.slice(0, up);
  }
}

/** The node_modules folder that holds the package at `where` (`a/node_modules/b` → `a/node_modules`). */
const folderOf = (where) => where.slice(0, where.lastIndexOf('node_modules/') + 'node_modules'.length);
const isExact = (spec) => /^\d+\.\d+\.\d+(-[\w.]+)?$/.test(spec);
const installsHere = (entry) =>
  (!entry.os || entry.os.includes(process.platform)) && (!entry.cpu || entry.cpu.includes(process.arch));

/** One pass: the entries still out of step. Fixing a hoisted entry can expose a nested need. */
function pass() {
  const wanted = [];
  for (const [where, entry] of Object.entries(packages))
    for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
      const key = resolve(where, name);
      if (!isExact(spec) || (key && packages[key].version === spec)) continue;
      const template = packages[key ?? `node_modules/${name}`] ?? {};
      if (key && installsHere(template)) continue; // never touch what this machine installs
      wanted.push({ key: `${folderOf(where)}/${name}`, name, spec, template });
    }
  for (const { key, spec, template } of wanted) {
    const { integrity: _i, resolved: _r, ...rest } = template;
    packages[key] = { ...rest, version: spec, optional: true };
  }
  return wanted;
}

const repaired = [];
for (let round = 0; round < 5; round++) {
  const wanted = pass();
  if (!wanted.length) break;
  repaired.push(...wanted);
}
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(repaired.length ? `repaired ${repaired.length} lock entries` : 'nothing to repair');
