/**
 * Reads the JSDoc comments of the schema sources, for the configuration reference: the zod
 * schemas know types and defaults at run time, but their documentation lives only in the source.
 */
import { readdirSync, readFileSync } from 'node:fs';
import ts from 'typescript';

/** JSDoc comments read from schema source files. */
export interface DocsIndex {
  /** Field docs of every `z.object({...})` literal, keyed by its sorted field names (`a,b,c`). */
  objects: Map<string, Map<string, string>>;
  /** Doc comment of every top-level `const`, by name (`brandSchema`). */
  constants: Map<string, string>;
}

/** Reads the JSDoc of every `src/schemas/*.ts` file. */
export function readSchemaDocs(): DocsIndex {
  const folder = new URL('./', import.meta.url);
  const files = readdirSync(folder).filter((name) => name.endsWith('.ts'));
  return buildDocsIndex(
    files.map((name) => ({ path: name, text: readFileSync(new URL(name, folder), 'utf8') })),
  );
}

/**
 * Indexes the JSDoc comments of TypeScript sources: the fields of every object literal passed to
 * `z.object` / `z.strictObject` / `z.looseObject`, and every top-level `const`.
 */
export function buildDocsIndex(sources: { path: string; text: string }[]): DocsIndex {
  const index: DocsIndex = { objects: new Map(), constants: new Map() };
  for (const { path, text } of sources) {
    const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
    for (const statement of file.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        const doc = jsDocOf(statement.declarationList.declarations.length === 1 ? statement : declaration);
        if (ts.isIdentifier(declaration.name) && doc) index.constants.set(declaration.name.text, doc);
      }
    }
    const visit = (node: ts.Node): void => {
      const literal = zodObjectLiteral(node);
      if (literal) addObject(index, literal);
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return index;
}

/** The object literal of a `z.object({...})` call, if `node` is one. */
function zodObjectLiteral(node: ts.Node): ts.ObjectLiteralExpression | undefined {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return undefined;
  const { expression: receiver, name } = node.expression;
  if (!ts.isIdentifier(receiver) || receiver.text !== 'z') return undefined;
  if (!['object', 'strictObject', 'looseObject'].includes(name.text)) return undefined;
  const [shape] = node.arguments;
  return shape && ts.isObjectLiteralExpression(shape) ? shape : undefined;
}

function addObject(index: DocsIndex, literal: ts.ObjectLiteralExpression): void {
  const fields = new Map<string, string>();
  for (const property of literal.properties) {
    if (!property.name || !(ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) continue;
    fields.set(property.name.text, jsDocOf(property) ?? '');
  }
  const key = [...fields.keys()].sort().join(',');
  const known = index.objects.get(key) ?? new Map<string, string>();
  for (const [field, doc] of fields) {
    if (!doc) continue;
    // Objects are matched to their runtime schema by field names only, so two literals with the same
    // names must not document a field differently: the reference could not tell which one it shows.
    const other = known.get(field);
    if (other !== undefined && other !== doc) {
      const file = literal.getSourceFile();
      const line = file.getLineAndCharacterOfPosition(literal.getStart()).line + 1;
      throw new Error(
        `${file.fileName}:${line}: another z.object with fields {${key}} documents "${field}" differently; rename a field or align the comments`,
      );
    }
    known.set(field, doc);
  }
  index.objects.set(key, known);
}

/**
 * The text of the JSDoc comment right before `node`, tags (`@deprecated`) left out. Read from the
 * trivia because TypeScript does not attach a comment that shares a line with the previous token, as in
 * `z.strictObject({ <JSDoc> color: hexColor })`.
 */
function jsDocOf(node: ts.Node): string | undefined {
  const trivia = node.getSourceFile().text.slice(node.getFullStart(), node.getStart());
  const body = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*$/.exec(trivia)?.[1];
  const lines = body?.split('\n').map((line) => line.replace(/^\s*\* ?/, '')) ?? [];
  const text = lines.join('\n').split(/^\s*@/m)[0]?.trim();
  return text || undefined;
}
