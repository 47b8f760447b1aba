import {
  isMap,
  isNode,
  isScalar,
  isSeq,
  visit,
  type Document,
  type LineCounter,
  type Node,
  type YAMLError,
} from 'yaml';
import { formatPath } from './validate.ts';

/** A key of the document: its path and where its text starts and ends. */
interface KeyAt {
  path: PropertyKey[];
  start: number;
  end: number;
}

/** What a syntax error means to a writer: the lines it touches (the first is reported) and a message. */
export interface Explained {
  /** Line where yaml found the error. */
  start: number;
  lines: number[];
  message: string;
}

/** Turns the `yaml` package's errors into what to do, naming the key where it can be found. */
export class YamlReader {
  readonly #keys: KeyAt[] = [];
  readonly #lines: string[];
  private readonly doc: Document;
  private readonly text: string;
  private readonly counter: LineCounter;
  /** Added to lines named inside messages (front matter starts below line 1). */
  private readonly lineOffset: number;

  constructor(doc: Document, text: string, counter: LineCounter, lineOffset: number) {
    this.doc = doc;
    this.text = text;
    this.counter = counter;
    this.lineOffset = lineOffset;
    this.#lines = text.split('\n');
    const walk = (node: unknown, path: PropertyKey[]) => {
      if (isMap(node))
        for (const pair of node.items) {
          const key = pair.key as Node | null;
          const name =
            isScalar(key) && key.value !== null && key.value !== '' ? String(key.value) : undefined;
          if (name === undefined || !key?.range) continue;
          this.#keys.push({ path: [...path, name], start: key.range[0], end: key.range[1] });
          walk(pair.value, [...path, name]);
        }
      else if (isSeq(node)) node.items.forEach((item, i) => walk(item, [...path, i]));
    };
    walk(doc.contents, []);
  }

  /** 1-based line of an offset, counted in the YAML text (not the file). */
  lineNo(offset: number): number {
    return this.counter.linePos(offset).line;
  }

  explain(error: YAMLError): Explained {
    const line = this.lineNo(error.pos[0]);
    const last = this.lineNo(Math.max(error.pos[0], error.pos[1] - 1));
    // The reported line first, then every other line between it, the error's start and its end.
    const at = (message: string, from = line): Explained => ({
      start: line,
      lines: [from, ...range(Math.min(from, line), Math.max(from, last)).filter((l) => l !== from)],
      message,
    });
    const { name, value } = this.keyOnLine(line);
    const label = name ? `${name}: ` : '';
    const first = error.message.split('\n')[0] ?? '';
    switch (error.code) {
      case 'BLOCK_AS_IMPLICIT_KEY':
        if (/:\s/.test(value)) return at(`put the ${name ?? 'value'} in "quotes": it contains ": "`);
        if (value.endsWith(':')) return at(`put the ${name ?? 'value'} in "quotes": it ends with ":"`);
        // `order: 2` followed by an indented `stray: key`: the mistake is on the second line.
        if (this.underValue(line + 1)) return at(this.underValue(line + 1)!, line + 1);
        return at(this.notKeyValue(line));
      case 'TAB_AS_INDENT':
        return at(`${label}indented with a tab; YAML allows only spaces, so indent with spaces`);
      case 'DUPLICATE_KEY': {
        const dup = this.#keys.find((k) => k.start === error.pos[0]);
        const earlier =
          dup && this.#keys.find((k) => k.start < dup.start && formatPath(k.path) === formatPath(dup.path));
        const where = earlier ? ` (also on line ${this.lineNo(earlier.start) + this.lineOffset})` : '';
        return at(
          `${dup ? formatPath(dup.path) : (name ?? 'a key')}: written twice${where}; keep one of them`,
        );
      }
      case 'MISSING_CHAR': {
        const quote = /Missing closing ("|')quote/.exec(first)?.[1];
        if (quote) {
          const type = quote === '"' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE';
          const from = this.lineNo(
            this.lastOpened(error.pos[0], (n) => isScalar(n) && n.type === type) ?? error.pos[0],
          );
          const key = this.keyOnLine(from).name;
          return at(
            `${key ? `${key}: ` : ''}the ${quote} quote is never closed; add ${quote} at the end of the value`,
            from,
          );
        }
        return at(this.notKeyValue(line));
      }
      case 'MULTILINE_IMPLICIT_KEY':
        return at(this.notKeyValue(line));
      case 'BAD_INDENT': {
        const bracket = /Flow (sequence|map) in block collection/.exec(first);
        if (bracket) {
          const [open, close] = bracket[1] === 'map' ? ['{', '}'] : ['[', ']'];
          const from = this.lineNo(
            this.lastOpened(error.pos[0], (n) => (isMap(n) || isSeq(n)) && !!n.flow) ?? error.pos[0],
          );
          const key = this.keyOnLine(from).name ?? 'value';
          return at(
            `${key}: "${open}" is never closed; add "${close}" at the end of that line, or put the ${key} in "quotes" if it is text`,
            from,
          );
        }
        if (/same column/.test(first))
          return at(
            `${label}not lined up with the keys above it; indent it with as many spaces as the other keys at its level`,
          );
        return at(
          `${label}the indentation does not match the lines above; indent with spaces, two more per level`,
        );
      }
      case 'BAD_DQ_ESCAPE': {
        const escape = /escape sequence (\\.)/.exec(first)?.[1] ?? '\\';
        return at(
          `${label}${escape} is not allowed inside "double quotes"; use 'single quotes' instead, or write \\\\ for a backslash`,
        );
      }
      case 'MULTIPLE_DOCS':
        return at(`a "---" line starts a second YAML document here; a file holds one, so remove it`);
      case 'BAD_SCALAR_START':
      case 'UNEXPECTED_TOKEN':
      case 'BAD_ALIAS':
      case 'TAG_RESOLVE_FAILED':
      case 'BLOCK_IN_FLOW':
        if (value) return at(this.valueHint(name ?? 'value', value) ?? this.generic(label, first));
        return at(this.generic(label, first));
      default:
        return at(this.generic(label, first));
    }
  }

  /** The message for a value that starts with one of YAML's special characters. */
  startsWith(offset: number, char: string): Explained {
    const line = this.lineNo(offset);
    return {
      start: line,
      lines: [line],
      message: `put the ${this.keyOnLine(line).name ?? 'value'} in "quotes": it starts with "${char}"`,
    };
  }

  /** The lines indented below `line`: what it holds, when it is a key. */
  block(line: number): number[] {
    const own = indent(this.#lines[line - 1] ?? '');
    const lines: number[] = [];
    for (let l = line + 1; l <= this.#lines.length; l++) {
      const text = this.#lines[l - 1] ?? '';
      if (text.trim() && indent(text) <= own) break;
      lines.push(l);
    }
    return lines;
  }

  /** The line of the key an indented line sits under, if the line is indented. */
  parentLine(line: number): number | undefined {
    const own = indent(this.#lines[line - 1] ?? '');
    if (!own) return undefined;
    for (let l = line - 1; l >= 1; l--) {
      const text = this.#lines[l - 1] ?? '';
      if (text.trim() && !text.trim().startsWith('#') && indent(text) < own) return l;
    }
    return undefined;
  }

  private keyOnLine(line: number): { name: string | undefined; value: string } {
    const key = this.#keys.filter((k) => this.lineNo(k.start) === line).sort((a, b) => a.start - b.start)[0];
    const lineText = this.#lines[line - 1] ?? '';
    if (key) {
      const lineEnd = this.text.indexOf('\n', key.end);
      const rest = this.text.slice(key.end, lineEnd < 0 ? undefined : lineEnd);
      return { name: formatPath(key.path), value: rest.replace(/^[ \t]*:[ \t]*/, '').trim() };
    }
    const match = /^\s*(?:-\s+)?([A-Za-z_][\w.-]*)\s*:(?:\s+(.*))?$/.exec(lineText);
    return { name: match?.[1], value: match?.[2]?.trim() ?? '' };
  }

  /** For an indented `key:` line whose parent key already has a value: what to do. */
  private underValue(line: number): string | undefined {
    const parent = this.parentLine(line);
    const nested = /^\s+([A-Za-z_][\w.-]*):(\s|$)/.exec(this.#lines[line - 1] ?? '')?.[1];
    const above =
      parent && /^\s*(?:-\s+)?([A-Za-z_][\w.-]*):[ \t]*[^\s#]/.exec(this.#lines[parent - 1] ?? '')?.[1];
    if (nested && above)
      return `${nested}: indented under "${above}", which already has a value; line it up with the keys above it`;
    return undefined;
  }

  private valueHint(name: string, value: string): string | undefined {
    const quote = /^["']/.exec(value)?.[0];
    if (quote)
      return `put the whole ${name} in ${quote === '"' ? `'single quotes'` : '"quotes"'}: text follows its closing ${quote}`;
    const special = /^(- |[-@`%*&!|>[\]{},?:#])/.exec(value)?.[1];
    if (special) return `put the ${name} in "quotes": it starts with "${special.trim()}"`;
    return undefined;
  }

  private notKeyValue(line: number): string {
    const text = (this.#lines[line - 1] ?? '').trim();
    if (text.startsWith('- '))
      return `a list item where a key was expected; indent it under the key it belongs to`;
    const under = this.underValue(line);
    if (under) return under;
    const glued = /^([A-Za-z_][\w.-]*):(\S.*)$/.exec(text);
    if (glued) return `${glued[1]}: put a space after the colon ("${glued[1]}: ${glued[2]}")`;
    return `this line is not "key: value"; add the key, or indent the line if it continues the value above (or put that value in "quotes")`;
  }

  private generic(label: string, yamlMessage: string): string {
    return `${label}YAML syntax: ${yamlMessage.replace(/ at line \d+, column \d+:?$/, '')}; check the quoting and indentation on this line`;
  }

  /** Where the last node that `is` (a quoted value, a `[…]` list) starts before `end`: its opening. */
  private lastOpened(end: number, is: (node: Node) => boolean): number | undefined {
    let start: number | undefined;
    visit(this.doc, (_, node) => {
      if (isNode(node) && is(node) && node.range && node.range[0] < end)
        start = Math.max(start ?? 0, node.range[0]);
    });
    return start;
  }
}

function indent(text: string): number {
  return /^[ \t]*/.exec(text)![0].length;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}
