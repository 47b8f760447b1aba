import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Writing an import into `content/` without ever losing a local edit. The state file remembers
 * the hash of every file the last import wrote: a file whose bytes still have that hash is the
 * importer's to update or delete; one that differs was edited since, and is left alone (a
 * conflict) unless `--force`. A planned file identical to what is on disk is not written at all,
 * so a re-import of the same export touches nothing, not even modification times.
 */

/** The state file, at the content folder's root. A dotfile: `check` and the build never read it. */
export const STATE_FILE = '.signpost-import.json';

/** What the last import wrote and how it named Intercom's objects. */
export interface ImportState {
  version: 1;
  source: 'intercom';
  /** Content-relative path (with `/`) → `sha256:` of the bytes written. */
  files: Record<string, string>;
  /** Content-relative image path → the address it was downloaded from, without its signature. */
  images: Record<string, string>;
  /** Intercom id → Signpost name, so a retitled article or collection keeps its file. */
  ids: IdMaps;
}

/** Intercom id → the name the importer gave it. */
export interface IdMaps {
  /** Help center id → folder under `help-centers/` (also the brand id). */
  helpCenters: Record<string, string>;
  /** Collection id → folder name (unique among its siblings). */
  collections: Record<string, string>;
  /** Article id → article id (unique across the import). */
  articles: Record<string, string>;
  /** Admin id → key in `authors.yaml`. */
  authors: Record<string, string>;
}

export function emptyState(): ImportState {
  return {
    version: 1,
    source: 'intercom',
    files: {},
    images: {},
    ids: { helpCenters: {}, collections: {}, articles: {}, authors: {} },
  };
}

/** A bad state file: said in one line, with what to do. */
export class StateError extends Error {}

/** Reads the state file, or an empty state when there is none yet. */
export function readState(content: string): ImportState {
  const file = path.join(content, STATE_FILE);
  if (!fs.existsSync(file)) return emptyState();
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    throw new StateError(
      `${file}: not valid JSON; restore it from git, or delete it to import afresh (every existing file is then a conflict)`,
    );
  }
  const state = parsed as Partial<ImportState> | null;
  if (state?.version !== 1 || state.source !== 'intercom' || typeof state.files !== 'object')
    throw new StateError(
      `${file}: not a state file of this importer; restore it from git, or delete it to import afresh`,
    );
  const empty = emptyState();
  return {
    ...empty,
    ...state,
    images: { ...state.images },
    ids: { ...empty.ids, ...state.ids },
  } as ImportState;
}

/** The state file's text: sorted keys, so the same import writes the same bytes. */
export function stateText(state: ImportState): string {
  const sorted = (record: Record<string, string>) =>
    Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const ids = state.ids;
  return `${JSON.stringify(
    {
      version: state.version,
      source: state.source,
      files: sorted(state.files),
      images: sorted(state.images),
      ids: {
        helpCenters: sorted(ids.helpCenters),
        collections: sorted(ids.collections),
        articles: sorted(ids.articles),
        authors: sorted(ids.authors),
      },
    },
    null,
    2,
  )}\n`;
}

/** One file the import means to have in `content/`. */
export interface PlannedFile {
  /** Relative to the content folder, with `/`. */
  path: string;
  data: string | Uint8Array;
  /** Written only when no file is there yet (a workspace.yaml the team already has is theirs). */
  onlyIfAbsent?: boolean;
}

export function hashOf(data: string | Uint8Array): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** What writing did, file by file (content-relative paths). */
export interface WriteResult {
  created: string[];
  updated: string[];
  unchanged: string[];
  /** Edited (or deleted) here since the last import: left as they are. */
  conflicts: { path: string; why: string }[];
  /** Imported before, gone from Intercom since: deleted with `--prune`, else listed. */
  wouldDelete: string[];
  deleted: string[];
  /** Already there and not the importer's (`onlyIfAbsent`): left as they are. */
  kept: string[];
}

export interface WriteOptions {
  /** Overwrite local edits (and, with `prune`, delete edited files). */
  force: boolean;
  /** Delete files imported before that the export no longer has. */
  prune: boolean;
}

/**
 * Makes `content` hold the planned files, as far as local edits allow, and records what it wrote
 * in `state` (changed in place; the caller writes the state file).
 */
export function writePlan(
  content: string,
  planned: PlannedFile[],
  state: ImportState,
  options: WriteOptions,
): WriteResult {
  const result: WriteResult = {
    created: [],
    updated: [],
    unchanged: [],
    conflicts: [],
    wouldDelete: [],
    deleted: [],
    kept: [],
  };
  const plannedPaths = new Set<string>();
  for (const file of planned) {
    plannedPaths.add(file.path);
    const target = path.join(content, ...file.path.split('/'));
    const recorded = state.files[file.path];
    const wanted = hashOf(file.data);
    const onDisk = fs.existsSync(target) ? hashOf(fs.readFileSync(target)) : undefined;
    if (onDisk === wanted) {
      result.unchanged.push(file.path);
      state.files[file.path] = wanted;
      continue;
    }
    if (onDisk !== undefined && recorded === undefined && file.onlyIfAbsent) {
      result.kept.push(file.path);
      continue;
    }
    const edited =
      recorded === undefined
        ? onDisk !== undefined && 'already there, and not written by an earlier import'
        : onDisk === undefined
          ? 'deleted here since the last import'
          : onDisk !== recorded && 'edited here since the last import';
    if (edited && !options.force) {
      result.conflicts.push({ path: file.path, why: edited });
      continue;
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.data);
    state.files[file.path] = wanted;
    (onDisk === undefined ? result.created : result.updated).push(file.path);
  }

  for (const [recordedPath, recorded] of Object.entries(state.files)) {
    if (plannedPaths.has(recordedPath)) continue;
    const target = path.join(content, ...recordedPath.split('/'));
    if (!fs.existsSync(target)) {
      delete state.files[recordedPath];
      delete state.images[recordedPath];
      continue;
    }
    const edited = hashOf(fs.readFileSync(target)) !== recorded;
    if (!options.prune || (edited && !options.force)) {
      if (edited && options.prune)
        result.conflicts.push({
          path: recordedPath,
          why: 'edited here, and gone from Intercom: not deleted',
        });
      else result.wouldDelete.push(recordedPath);
      continue;
    }
    fs.rmSync(target);
    removeEmptyFolders(path.dirname(target), content);
    delete state.files[recordedPath];
    delete state.images[recordedPath];
    result.deleted.push(recordedPath);
  }
  for (const list of Object.values(result))
    (list as (string | { path: string })[]).sort((a, b) => {
      const [x, y] = [typeof a === 'string' ? a : a.path, typeof b === 'string' ? b : b.path];
      return x < y ? -1 : x > y ? 1 : 0;
    });
  return result;
}

/** Writes the state file when its text changed (an unchanged import rewrites nothing). */
export function saveState(content: string, state: ImportState): void {
  const file = path.join(content, STATE_FILE);
  const text = stateText(state);
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) return;
  fs.mkdirSync(content, { recursive: true });
  fs.writeFileSync(file, text);
}

/** After a prune: folders left empty go too, up to (not including) the content folder. */
function removeEmptyFolders(dir: string, content: string): void {
  const root = path.resolve(content);
  for (
    let current = path.resolve(dir);
    current.startsWith(root + path.sep);
    current = path.dirname(current)
  ) {
    if (fs.readdirSync(current).length) return;
    fs.rmdirSync(current);
  }
}
