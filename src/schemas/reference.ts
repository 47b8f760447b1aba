/**
 * The configuration reference in README.md, generated from the schemas so it cannot drift from them:
 * types, defaults and required-ness come from the runtime zod schemas, descriptions from the JSDoc
 * comments in this folder's source files.
 */
import { z } from 'zod';
import { articleSchema } from './article.ts';
import { audiencesSchema } from './audiences.ts';
import { authorsSchema } from './authors.ts';
import { brandSchema } from './brand.ts';
import { readSchemaDocs, type DocsIndex } from './jsdoc.ts';
import { collectionSchema, folderSchema } from './collection.ts';
import { hexColor, hostName, httpUrl, languageTag, localizedText, relativePath } from './common.ts';
import { themeSchema } from './theme.ts';
import { workspaceSchema } from './workspace.ts';

/** One row of a reference table. */
interface Row {
  key: string;
  type: string;
  default: string;
  description: string | undefined;
}

/** The file kinds, in README order; `schema` names the exported constant whose JSDoc opens the section. */
const SECTIONS: { title: string; schema: string; zod: z.ZodType }[] = [
  { title: '`content/workspace.yaml`', schema: 'workspaceSchema', zod: workspaceSchema },
  { title: '`content/brands/<brand>.yaml`', schema: 'brandSchema', zod: brandSchema },
  { title: '`themes/<theme>.yaml`', schema: 'themeSchema', zod: themeSchema },
  { title: '`<collection>/_collection.yaml`', schema: 'collectionSchema', zod: collectionSchema },
  { title: '`internal/<folder>/_folder.yaml`', schema: 'folderSchema', zod: folderSchema },
  { title: 'Article front matter', schema: 'articleSchema', zod: articleSchema },
  { title: '`content/authors.yaml`', schema: 'authorsSchema', zod: authorsSchema },
  { title: '`content/audiences.yaml`', schema: 'audiencesSchema', zod: audiencesSchema },
];

/** Shared building blocks from common.ts, named by what they mean rather than by their zod type. */
const NAMED_TYPES = new Map<z.ZodType, string>([
  [localizedText, 'string or map of language → string'],
  [languageTag, 'language tag'],
  [relativePath, 'relative path'],
  [hexColor, 'hex colour'],
  [httpUrl, 'URL'],
  [hostName, 'host name'],
]);

/** The whole configuration reference: one `###` section per file kind. */
export function configReference(): string {
  const docs = readSchemaDocs();
  return SECTIONS.map(({ title, schema, zod }) => {
    const intro = docs.constants.get(schema);
    if (!intro) throw new Error(`src/schemas: \`export const ${schema}\` has no JSDoc comment; document it`);
    return `### ${title}\n\n${sentence(intro)}\n\n${referenceFor(zod, docs)}`;
  }).join('\n\n');
}

/**
 * The Markdown table `| key | type | default | description |` of `schema`'s fields, nested objects
 * flattened into dotted paths. Throws when a field has no JSDoc comment in `docs`.
 */
export function referenceFor(schema: z.ZodType, docs: DocsIndex): string {
  const rows = fieldRows(schema, '', docs);
  const undocumented = rows.filter((row) => row.description === undefined).map((row) => row.key);
  if (undocumented.length > 0) {
    throw new Error(`no JSDoc comment in src/schemas for ${undocumented.join(', ')}; document every field`);
  }
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const code = (text: string) => (text && text !== 'required' ? `\`${text}\`` : text);
  return [
    '| key | type | default | description |',
    '| --- | --- | --- | --- |',
    ...rows.map(
      (row) =>
        `| ${[code(row.key), row.type, code(row.default), paragraph(row.description ?? '')].map(cell).join(' | ')} |`,
    ),
  ].join('\n');
}

/** Rows for the fields inside `schema`, whose own path is `path` (`''` at the top). */
function fieldRows(schema: z.ZodType, path: string, docs: DocsIndex): Row[] {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject) return objectRows(inner, path, docs);
  if (inner instanceof z.ZodArray) return fieldRows(inner.element as z.ZodType, `${path}[]`, docs);
  if (inner instanceof z.ZodRecord) return fieldRows(inner.valueType as z.ZodType, join(path, '<key>'), docs);
  if (inner instanceof z.ZodDiscriminatedUnion) return variantRows(inner, path, docs);
  if (inner instanceof z.ZodUnion) return alternativeRows(inner.options as z.ZodType[], path, docs);
  return [];
}

function objectRows(object: z.ZodObject, path: string, docs: DocsIndex): Row[] {
  const shape = object.shape as Record<string, z.ZodType>;
  const fieldDocs = docs.objects.get(Object.keys(shape).sort().join(','));
  return Object.entries(shape).flatMap(([name, field]) => {
    const key = join(path, name);
    const row: Row = {
      key,
      type: typeName(field),
      default: defaultOf(field),
      description: fieldDocs?.get(name),
    };
    return [row, ...fieldRows(field, key, docs)];
  });
}

/**
 * A discriminated union (`home.sections[]`): one row for the discriminator, one for each field all
 * variants share (documented in any of them), then each variant's own fields under `path (type: x)`.
 */
function variantRows(union: z.ZodDiscriminatedUnion, path: string, docs: DocsIndex): Row[] {
  const discriminator = union.def.discriminator;
  const variants = (union.options as z.ZodType[]).map((option) => {
    const object = unwrap(option);
    if (!(object instanceof z.ZodObject)) throw new Error(`${path}: union variants must be objects`);
    const tag = unwrap(object.shape[discriminator] as z.ZodType);
    const value = tag instanceof z.ZodLiteral ? [...tag.values].join(' | ') : typeName(tag);
    const rows = objectRows(object, path, docs);
    return { value, rows, byKey: new Map(rows.map((row) => [row.key, row])) };
  });
  const tagKey = join(path, discriminator);
  const tagDocs = variants.map(({ value, byKey }) => {
    const doc = byKey.get(tagKey)?.description;
    return doc === undefined ? undefined : `\`${value}\`: ${paragraph(doc)}`;
  });
  const tagRow: Row = {
    key: tagKey,
    type: variants.map((variant) => variant.value).join(' | '),
    default: 'required',
    description: tagDocs.includes(undefined) ? undefined : tagDocs.join(' '),
  };
  const [first] = variants;
  const shared = (first?.rows ?? []).filter(
    (row) => row.key !== tagKey && variants.every((variant) => variant.byKey.get(row.key)?.type === row.type),
  );
  const sharedRows = shared.map((row) => ({
    ...row,
    description: variants
      .map((variant) => variant.byKey.get(row.key)?.description)
      .find((doc) => doc !== undefined),
  }));
  const sharedKeys = new Set(shared.map((row) => row.key));
  const ownRows = variants.flatMap(({ value, rows }) =>
    rows
      .filter((row) => row.key !== tagKey && !sharedKeys.has(row.key))
      .map((row) => ({ ...row, key: `${path} (${discriminator}: ${value})${row.key.slice(path.length)}` })),
  );
  return [tagRow, ...sharedRows, ...ownRows];
}

/**
 * A plain union (`{ color } | { image }`): every alternative's rows, each path once. A direct field
 * is `required` only when every object alternative requires it, since another alternative may omit it.
 */
function alternativeRows(options: z.ZodType[], path: string, docs: DocsIndex): Row[] {
  const merged = new Map<string, Row>();
  for (const row of options.flatMap((option) => fieldRows(option, path, docs))) {
    const seen = merged.get(row.key);
    if (seen) seen.description ??= row.description;
    else merged.set(row.key, { ...row });
  }
  const objects = options.map(unwrap).filter((option) => option instanceof z.ZodObject);
  for (const object of objects) {
    for (const name of Object.keys(object.shape)) {
      const row = merged.get(join(path, name));
      const everywhere = objects.every(
        (other) => name in other.shape && defaultOf(other.shape[name] as z.ZodType) === 'required',
      );
      if (row?.default === 'required' && !everywhere) row.default = '';
    }
  }
  return [...merged.values()];
}

/** The schema under `.optional()`, `.default()`, `.prefault()`, `.nullable()` and pipes. */
function unwrap(schema: z.ZodType): z.ZodType {
  const inner = unwrapOnce(schema);
  return inner === schema ? schema : unwrap(inner);
}

function unwrapOnce(schema: z.ZodType): z.ZodType {
  if (
    schema instanceof z.ZodOptional ||
    schema instanceof z.ZodNullable ||
    schema instanceof z.ZodDefault ||
    schema instanceof z.ZodPrefault
  ) {
    return schema.unwrap() as z.ZodType;
  }
  if (schema instanceof z.ZodPipe) return schema.in as z.ZodType;
  return schema;
}

/** `required`, the JSON of a `.default()` / `.prefault()` value, or `''` for an optional field. */
function defaultOf(schema: z.ZodType): string {
  let optional = false;
  for (let current = schema; ;) {
    if (current instanceof z.ZodDefault || current instanceof z.ZodPrefault)
      return JSON.stringify(current.def.defaultValue);
    if (current instanceof z.ZodOptional) optional = true;
    const next = unwrapOnce(current);
    if (next === current) return optional ? '' : 'required';
    current = next;
  }
}

/** A reader's name for a schema's type: `string`, `list of strings`, `a | b`, `string or number`. */
function typeName(schema: z.ZodType): string {
  const named = NAMED_TYPES.get(schema);
  if (named) return named;
  const inner = unwrapOnce(schema);
  if (inner !== schema) return typeName(inner);
  if (schema instanceof z.ZodNumber) return schema.format?.includes('int') ? 'integer' : 'number';
  if (schema instanceof z.ZodBoolean) return 'boolean';
  if (schema instanceof z.ZodDate) return 'date';
  if (schema instanceof z.ZodEnum) return schema.options.join(' | ');
  if (schema instanceof z.ZodLiteral)
    return [...schema.values].map((value) => JSON.stringify(value)).join(' | ');
  if (schema instanceof z.ZodObject) return 'object';
  if (schema instanceof z.ZodArray) {
    const element = typeName(schema.element as z.ZodType);
    return `list of ${/[|,→(]| or /.test(element) ? `(${element})` : `${element}s`}`;
  }
  if (schema instanceof z.ZodRecord) {
    return `map of ${typeName(schema.keyType as z.ZodType)} → ${typeName(schema.valueType as z.ZodType)}`;
  }
  if (schema instanceof z.ZodUnion) {
    const names = [...new Set((schema.options as z.ZodType[]).map(typeName))];
    return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : (names[0] ?? 'never');
  }
  return schema.def.type; // `string`, also for string formats such as z.url()
}

function join(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

/** The first paragraph of a JSDoc text, on one line. */
function paragraph(text: string): string {
  return (text.split(/\n\s*\n/)[0] ?? '').replace(/\s+/g, ' ').trim();
}

function sentence(text: string): string {
  const line = paragraph(text);
  return /[.!?]$/.test(line) ? line : `${line}.`;
}
