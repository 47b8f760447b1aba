import fs from 'node:fs';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { Problems } from './problems.ts';

/** A parsed YAML file (or front-matter block) that can tell the line of any key path. */
export interface YamlSource {
  file: string;
  /** Plain data, `undefined` when the YAML did not parse. */
  data: unknown;
  /** Line of a key path (`['footer', 'template']`), or of the nearest ancestor that exists. */
  lineOf(path: readonly PropertyKey[]): number;
}

/**
 * Parses YAML text, reporting syntax errors (with their lines) to `problems`.
 * `lineOffset` shifts lines for YAML that starts further down a file (front matter).
 */
export function parseYaml(text: string, file: string, problems: Problems, lineOffset = 0): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line + lineOffset;
  for (const error of doc.errors) {
    const first = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? 'invalid YAML';
    problems.error(file, lineAt(error.pos[0]), `YAML syntax: ${first}; fix the indentation or quoting`);
  }
  return {
    file,
    data: doc.errors.length ? undefined : doc.toJS(),
    lineOf: (keyPath) => lineOfPath(doc, keyPath, lineAt),
  };
}

/** Reads and parses a YAML file; a missing or unreadable file is reported, not thrown. */
export function readYaml(file: string, problems: Problems): YamlSource {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    problems.error(file, undefined, 'cannot read this file; check that it exists and is readable');
    return { file, data: undefined, lineOf: () => 1 };
  }
  return parseYaml(text, file, problems);
}

function lineOfPath(doc: Document, keyPath: readonly PropertyKey[], lineAt: (offset: number) => number): number {
  let node: Node | null | undefined = doc.contents as Node | null;
  let line = node?.range ? lineAt(node.range[0]) : 1 + lineAt(0) - 1;
  for (const segment of keyPath) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
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
