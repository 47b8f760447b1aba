import { LineCounter, isMap, isScalar, isSeq, parseDocument, visit, type Document, type Node } from 'yaml';
import { readTextFile } from './files.ts';
import type { KeptFrontMatter, LoadCache } from './load-cache.ts';
import { Problems } from './problems.ts';
import { YamlReader, type Explained } from './yaml-errors.ts';

/** A parsed YAML file (or front-matter block) that can tell the line of any key path. */
export interface YamlSource {
  file: string;
  /**
   * Plain data. When the YAML has syntax errors this is what could be recovered (or `undefined`),
   * so the rest of the file can still be checked; `validate` never accepts it.
   */
  data: unknown;
  /** Set when the file had syntax errors (already reported) or could not be read. */
  broken?: BrokenYaml | undefined;
  /** Line of a key path (`['footer', 'template']`), or of the nearest ancestor that exists. */
  lineOf(path: readonly PropertyKey[]): number;
}

/** Where a YAML source's syntax errors are, so schema checks do not report them a second time. */
export interface BrokenYaml {
  /** Lines (of the file) a syntax error touches, and the key lines above indented ones. */
  lines: ReadonlySet<number>;
  /** The YAML text, to tell a key the error swallowed from one never written. */
  text: string;
}

/** Syntax errors explained per file at most; past this the rest are reported without a re-parse. */
const MAX_ROUNDS = 20;

/**
 * Parses YAML text, reporting syntax errors (with their lines, in plain words) to `problems`.
 * `lineOffset` shifts lines for YAML that starts further down a file (front matter).
 *
 * One mistake is explained at a time: its lines are blanked and the text parsed again, so the next
 * one is explained without the first in the way (`title: a: b` swallows every key below it), and
 * the rest of the file can still be checked against its schema.
 */
export function parseYaml(text: string, file: string, problems: Problems, lineOffset = 0): YamlSource {
  problems.noteRead(file);
  const original = text.split('\n');
  const blank = new Set<number>();
  const broken = new Set<number>();
  for (let round = 1; ; round++) {
    const current = round === 1 ? text : original.map((line, i) => (blank.has(i + 1) ? '' : line)).join('\n');
    const { doc, counter } = parse(current);
    const reader = new YamlReader(doc, current, counter, lineOffset);
    const data = toJS(doc);
    const found = [...doc.errors, ...doc.warnings].map((error) => reader.explain(error));
    if (data === UNRESOLVED)
      // An alias (`*bold`) with no anchor: a value starting with "*" that was meant as text.
      visit(doc, { Alias: (_, alias) => void found.push(reader.startsWith(alias.range?.[0] ?? 0, '*')) });
    // An error only on lines already blanked is an echo of one reported before.
    const fresh = found.filter((f) => !f.lines.every((l) => blank.has(l))).sort((a, b) => a.start - b.start);
    if (fresh.length && round <= MAX_ROUNDS) {
      // The first in the text is the one to explain: the others may follow from it.
      const [{ lines, message }] = fresh as [Explained];
      problems.error(file, lines[0]! + lineOffset, message);
      for (const l of [...lines, ...reader.block(lines[0]!)]) {
        blank.add(l);
        broken.add(l + lineOffset);
      }
      // An indented line gone wrong leaves its parent key empty or odd: the same mistake.
      const parent = reader.parentLine(lines[0]!);
      if (parent) broken.add(parent + lineOffset);
      continue;
    }
    // Past MAX_ROUNDS, say what is left as it is, rather than not at all.
    for (const { lines, message } of fresh) problems.error(file, lines[0]! + lineOffset, message);
    return {
      file,
      data: data === UNRESOLVED ? undefined : data,
      broken: broken.size ? { lines: broken, text } : undefined,
      lineOf: (keyPath) => lineOfPath(doc, keyPath, (offset) => counter.linePos(offset).line + lineOffset),
    };
  }
}

/**
 * `parseYaml` through the load cache (`load-cache.ts`): YAML a previous build parsed cleanly comes
 * back with its data and its top-level keys' lines, not parsed again; a deeper key's line (asked
 * only to report a problem) parses it then. A clean parse is kept for the next build, and given
 * as `kept` (what a kept article file holds of it).
 */
export function parseYamlKept(
  text: string,
  file: string,
  problems: Problems,
  lineOffset: number,
  cache: LoadCache | undefined,
): YamlSource & { kept?: KeptFrontMatter } {
  const entry = cache?.frontMatter(text);
  const kept = entry?.value;
  if (kept) return Object.assign(keptYaml(text, file, problems, lineOffset, kept), { kept });
  const source = parseYaml(text, file, problems, lineOffset);
  if (!cache || source.broken || source.data === undefined) return source;
  const lines: Record<string, number> = {};
  if (source.data !== null && typeof source.data === 'object' && !Array.isArray(source.data))
    for (const key of Object.keys(source.data)) lines[key] = source.lineOf([key]) - lineOffset;
  const made = { data: source.data, lines, start: source.lineOf([]) - lineOffset };
  entry?.keep(made);
  return Object.assign(source, { kept: made });
}

/**
 * The YAML `text` (of `file`, from `lineOffset` on) as a clean parse of it was kept: its data and
 * top-level keys' lines, and a parse of the text for a deeper key's line (asked only to report a
 * problem). Its problems were none when it was kept, and are none now: the same text.
 */
export function keptYaml(
  text: string,
  file: string,
  problems: Problems,
  lineOffset: number,
  kept: KeptFrontMatter,
): YamlSource {
  problems.noteRead(file);
  let parsed: YamlSource | undefined;
  const reparse = () => (parsed ??= parseYaml(text, file, new Problems(), lineOffset));
  return {
    file,
    data: kept.data,
    // A top-level key's line, or the document's first for one it does not have (as `lineOfPath`).
    lineOf: (keyPath) => {
      if (keyPath.length > 1) return reparse().lineOf(keyPath);
      const key = keyPath.length ? String(keyPath[0]) : undefined;
      return (
        (key !== undefined && Object.hasOwn(kept.lines, key) ? kept.lines[key]! : kept.start) + lineOffset
      );
    },
  };
}

const UNRESOLVED = Symbol('unresolved alias');

function parse(text: string): { doc: Document; counter: LineCounter } {
  const counter = new LineCounter();
  // logLevel 'error': yaml would print its warnings to stderr; the ones that matter are reported.
  const doc = parseDocument(text, {
    lineCounter: counter,
    prettyErrors: false,
    uniqueKeys: true,
    logLevel: 'error',
  });
  return { doc, counter };
}

function toJS(doc: Document): unknown {
  try {
    return doc.toJS();
  } catch {
    return UNRESOLVED;
  }
}

/**
 * Reads and parses a YAML file; a missing or unreadable file, or one that is not UTF-8 text (see
 * `readTextFile`), is reported, not thrown, and comes back broken with no data. With `cache`, a
 * text a previous build parsed cleanly is not parsed again (`parseYamlKept`).
 */
export function readYaml(file: string, problems: Problems, cache?: LoadCache): YamlSource {
  const text = readTextFile(file, problems);
  if (text === undefined)
    return { file, data: undefined, broken: { lines: new Set(), text: '' }, lineOf: () => 1 };
  return parseYamlKept(text, file, problems, 0, cache);
}

function lineOfPath(
  doc: Document,
  keyPath: readonly PropertyKey[],
  lineAt: (offset: number) => number,
): number {
  let node: Node | null | undefined = doc.contents as Node | null;
  let line = node?.range ? lineAt(node.range[0]) : 1 + lineAt(0) - 1;
  for (const segment of keyPath) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) break;
      const key = pair.key as Node;
      if (key.range) line = lineAt(key.range[0]);
      node = pair.value as Node | null;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      if (item.range) line = lineAt(item.range[0]);
      node = item;
    } else break;
  }
  return line;
}
