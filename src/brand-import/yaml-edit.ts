/**
 * Edits YAML text in place: only the scalars asked for change, every other byte (comments, key
 * order, quoting, flow-collection spacing) stays as the writer left it. Re-stringifying the
 * Document would reformat the whole file (`{ en: … }` vs `{en: …}`), a diff nobody asked for.
 */
import { isMap, isScalar, parseDocument, type Pair } from 'yaml';

/** Sets each `path` (one or two keys deep) to a string scalar. */
export function setScalars(text: string, edits: [path: string[], value: string][]): string {
  for (const [path, value] of edits) text = setScalar(text, path, value);
  return text;
}

function setScalar(text: string, path: string[], value: string): string {
  const doc = parseDocument(text);
  const rendered = render(value);
  const node = doc.getIn(path, true);
  if (isScalar(node) && node.range) return splice(text, node.range[0], node.range[1], rendered);
  const [head, key] = path as [string, string | undefined];
  const parent = key === undefined ? doc.contents : doc.getIn([head], true);
  if (key !== undefined && isMap(parent) && !parent.flow && parent.items.length)
    return insertAfterLast(text, parent.items, `${key}: ${rendered}`);
  const block = key === undefined ? `${head}: ${rendered}` : `${head}:\n  ${key}: ${rendered}`;
  if (isMap(doc.contents) && doc.contents.items.length)
    return insertAfterLast(text, doc.contents.items, block);
  // Anything stranger (a flow map, an empty file): let the library write it, formatting and all.
  doc.setIn(path, value);
  return doc.toString({ lineWidth: 0 });
}

/** Inserts `line` (possibly several lines) as a new entry after the last pair of a block map. */
function insertAfterLast(text: string, items: Pair[], line: string): string {
  const last = items.at(-1)!;
  const keyStart = (last.key as { range?: [number, number, number] }).range?.[0] ?? 0;
  const indent = ' '.repeat(keyStart - (text.lastIndexOf('\n', keyStart - 1) + 1));
  const valueEnd = (last.value as { range?: [number, number, number] } | null)?.range?.[1] ?? text.length;
  // Block scalars (`|`) end after their newline; others end at the value's last character.
  const at = text[valueEnd - 1] === '\n' ? valueEnd - 1 : valueEnd;
  const lines = line.replaceAll('\n', `\n${indent}`);
  return splice(text, at, at, `\n${indent}${lines}`);
}

/** Plain when YAML reads it back as the same string; quoted otherwise (`"#0847a0"`). */
function render(value: string): string {
  return /^[\w./][\w./ -]*$/.test(value) && !/^(true|false|null|~|[\d.]+)$/i.test(value)
    ? value
    : JSON.stringify(value);
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

/**
 * Replaces the comment block that starts with `# <marker>` at the end of the file (and its
 * `#   ` continuation lines) by `lines`, or appends them; an empty `lines` only removes it.
 */
export function replaceCommentBlock(text: string, marker: string, lines: string[]): string {
  const all = text.split('\n');
  const start = all.findIndex((l) => l.startsWith(`# ${marker}`));
  if (start !== -1) {
    let end = start + 1;
    while (end < all.length && all[end]!.startsWith('#   ')) end++;
    // Drop the blank line this command put before it, too.
    const from = start > 0 && all[start - 1] === '' ? start - 1 : start;
    all.splice(from, end - from);
  }
  let result = all.join('\n');
  if (!lines.length) return result;
  if (!result.endsWith('\n')) result += '\n';
  return `${result}\n${lines.map((l) => `# ${l}`).join('\n')}\n`;
}
