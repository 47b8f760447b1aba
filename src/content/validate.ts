import { closest, distance } from 'fastest-levenshtein';
import { z } from 'zod';
import type { Problems } from './problems.ts';
import type { YamlSource } from './yaml.ts';

type Issue = z.core.$ZodIssue;

/**
 * Validates data from a YAML source against a schema and reports every issue as
 * `file:line: path: what is wrong, what to do`. Returns the parsed value, or `undefined`.
 * A source with YAML syntax errors is still checked, so one mistake does not hide the others in
 * the file, but is never accepted.
 */
export function validate<S extends z.ZodType>(
  schema: S,
  source: YamlSource,
  problems: Problems,
  data: unknown = source.data,
): z.infer<S> | undefined {
  const { broken } = source;
  if (broken && (data === undefined || data === null || typeof data !== 'object')) return undefined;
  const result = schema.safeParse(data ?? {}, { reportInput: true });
  if (result.success) return broken ? undefined : result.data;
  for (const issue of result.error.issues) {
    for (const { path, message, missing } of describeIssue(issue, schema, [])) {
      const line = source.lineOf(path);
      // What a syntax error mangled is already reported at its line; so is a key it swallowed.
      if (broken && (broken.lines.has(line) || (missing && mentions(broken.text, path.at(-1))))) continue;
      problems.error(source.file, line, message);
    }
  }
  return undefined;
}

/** Whether YAML text has a line that writes `key:` (perhaps quoted, perhaps as a list item). */
function mentions(text: string, key: PropertyKey | undefined): boolean {
  if (typeof key !== 'string') return false;
  const name = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^[ \\t-]*["']?${name}["']?[ \\t]*:`, 'm').test(text);
}

/** Turns one zod issue into friendly messages, each with the key path it is about. */
function describeIssue(
  issue: Issue,
  root: z.ZodType,
  prefix: PropertyKey[],
): { path: PropertyKey[]; message: string; missing?: boolean }[] {
  const path = [...prefix, ...issue.path];
  const at = path.length ? `${formatPath(path)}: ` : '';
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        path: [...path, key],
        message: `${at}unknown key "${key}"; ${suggest(key, Object.keys(shapeAt(root, path) ?? {}), 'remove it')}`,
      }));
    case 'invalid_type':
      if (issue.input === undefined)
        return [
          {
            path,
            message: `${formatPath(path)}: missing; add "${String(path.at(-1))}:" (${expected(issue.expected)})`,
            missing: true,
          },
        ];
      // `title:Refunds` alone is one string to YAML: the colon needs a space to make a key.
      if (!path.length && typeof issue.input === 'string' && /^[\w-]+:\S/.test(issue.input))
        return [{ path, message: `put a space after the colon ("${issue.input.replace(':', ': ')}")` }];
      // YAML reads `2024` or `true` as a number or yes/no; quotes keep it as text.
      if (issue.expected === 'string' && ['number', 'boolean'].includes(typeof issue.input))
        return [
          {
            path,
            message: `${at}expected text, got ${describeValue(issue.input)}; put it in "quotes" to keep it as text`,
          },
        ];
      return [
        { path, message: `${at}expected ${expected(issue.expected)}, got ${describeValue(issue.input)}` },
      ];
    case 'invalid_value': {
      const options = issue.values.map(String);
      const got = describeValue(issue.input);
      const hint = typeof issue.input === 'string' ? suggest(issue.input, options, '') : '';
      return [
        {
          path,
          message: `${at}expected one of ${options.join(' | ')}, got ${got}${hint ? `; ${hint}` : ''}`,
        },
      ];
    }
    case 'invalid_union': {
      if (issue.discriminator) {
        const options = ('options' in issue ? (issue.options ?? []) : []).map(String);
        const key = [...path, issue.discriminator];
        const input = (issue.input as Record<string, unknown> | undefined)?.[issue.discriminator];
        return [
          {
            path: key,
            message: `${formatPath(key)}: expected one of ${options.join(' | ')}, got ${describeValue(input)}`,
          },
        ];
      }
      // Report the branch that got furthest: its issues are the ones the writer meant to fix.
      const best = [...issue.errors].sort((a, b) => depth(b) - depth(a) || a.length - b.length)[0] ?? [];
      if (depth(best) > 0) return best.flatMap((inner) => describeIssue(inner, root, path));
      return [{ path, message: `${at}${unionHint(root, path)}, got ${describeValue(issue.input)}` }];
    }
    case 'too_big':
    case 'too_small':
      if (issue.message.startsWith('Too ')) {
        const word = issue.code === 'too_big' ? 'at most' : 'at least';
        const limit = issue.code === 'too_big' ? issue.maximum : issue.minimum;
        const unit = issue.origin === 'array' ? ' items' : issue.origin === 'string' ? ' characters' : '';
        return [{ path, message: `${at}must be ${word} ${String(limit)}${unit}` }];
      }
      return [{ path, message: `${at}${issue.message}` }];
    default:
      return [{ path, message: `${at}${issue.message}` }];
  }
}

/** `footer.links[2].url` */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i ? `.${String(s)}` : String(s))).join('');
}

/** `did you mean "title"?` when a known name is close, else the fallback. */
export function suggest(input: string, known: readonly string[], fallback: string): string {
  if (!known.length) return fallback;
  const best = closest(input, known as string[]);
  const limit = Math.max(2, Math.floor(best.length / 3));
  if (distance(input.toLowerCase(), best.toLowerCase()) <= limit) return `did you mean "${best}"?`;
  return fallback ? `${fallback} (allowed: ${known.join(', ')})` : '';
}

function depth(issues: readonly Issue[]): number {
  return Math.max(
    0,
    ...issues.map((i) => (i.code === 'invalid_type' && i.path.length === 0 ? -1 : i.path.length)),
  );
}

function expected(type: string): string {
  return (
    {
      string: 'text',
      number: 'a number',
      boolean: 'true or false',
      array: 'a list',
      object: 'a map of keys',
    }[type] ?? type
  );
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return JSON.stringify(value);
}

function unionHint(root: z.ZodType, path: PropertyKey[]): string {
  const schema = unwrap(schemaAt(root, path));
  const kinds = schema instanceof z.ZodUnion ? schema.options.map((o) => kindOf(o as z.ZodType)) : [];
  return kinds.length ? `expected ${[...new Set(kinds)].join(' or ')}` : 'has the wrong shape';
}

function kindOf(schema: z.ZodType): string {
  const s = unwrap(schema);
  if (s instanceof z.ZodString) return 'text';
  if (s instanceof z.ZodRecord) return 'a map of language: text';
  if (s instanceof z.ZodObject) return `a map with ${Object.keys(s.shape).join(', ')}`;
  if (s instanceof z.ZodEnum) return `one of ${s.options.join(' | ')}`;
  if (s instanceof z.ZodArray) return 'a list';
  if (s instanceof z.ZodNumber) return 'a number';
  if (s instanceof z.ZodBoolean) return 'true or false';
  return 'a value';
}

/** Strips optional/default/nullable wrappers. */
function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let s = schema;
  while (
    s &&
    (s instanceof z.ZodOptional ||
      s instanceof z.ZodDefault ||
      s instanceof z.ZodPrefault ||
      s instanceof z.ZodNullable)
  ) {
    s = s.unwrap() as z.ZodType;
  }
  return s;
}

/** The schema that validates the value at `path`, following objects, arrays, records and unions. */
function schemaAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = schema;
  for (const segment of path) {
    const s = unwrap(current);
    if (s instanceof z.ZodObject) current = s.shape[String(segment)] as z.ZodType | undefined;
    else if (s instanceof z.ZodArray) current = s.element as z.ZodType;
    else if (s instanceof z.ZodRecord) current = s.valueType as z.ZodType;
    else if (s instanceof z.ZodUnion) {
      current = (s.options as z.ZodType[])
        .map((o) => schemaAt(o, [segment]))
        .find((found) => found !== undefined);
    } else return undefined;
  }
  return current;
}

/** Keys of the object schema at `path`, for "did you mean". */
function shapeAt(schema: z.ZodType, path: readonly PropertyKey[]): Record<string, unknown> | undefined {
  const s = unwrap(schemaAt(schema, path));
  if (s instanceof z.ZodObject) return s.shape;
  if (s instanceof z.ZodUnion) {
    const objects = (s.options as z.ZodType[]).map(unwrap).filter((o) => o instanceof z.ZodObject);
    return Object.assign({}, ...objects.map((o) => (o as z.ZodObject).shape));
  }
  return undefined;
}
