/**
 * Writes what was imported into `content/brands/<brand>.yaml`: creates the file, or changes only
 * the keys the import sets, keeping the writer's comments, key order and formatting.
 */
import fs from 'node:fs';
import { parseDocument } from 'yaml';
import { brandSchema } from '../schemas/brand.ts';
import { replaceCommentBlock, setScalars } from './yaml-edit.ts';

/** The keys an import sets. Paths are relative to the brand file (`./assets/acme-icon.png`). */
export interface BrandUpdate {
  icon?: string | undefined;
  socialImage?: string | undefined;
  /** Header background / action colour (the page's theme-color). */
  themeColor?: string | undefined;
  /** The manifest's background_color. */
  backgroundColor?: string | undefined;
  source: URL;
}

/** For a new brand file: its visible name and help center. */
export interface NewBrand {
  name: string;
  /** The only help center, or undefined when there are several (or none) to choose from. */
  helpCenter: string | undefined;
  helpCenters: string[];
}

/** What happened to the file, for the report. */
export interface BrandFileResult {
  created: boolean;
  /** Colours written as keys (`styling.action #0847a0`). */
  written: string[];
  /** Colours kept in a comment block because the schema has no key for them. */
  commented: string[];
  /** Set when a new file needs the writer to fill in `helpCenter`. */
  todo?: string | undefined;
}

// The comment block this command writes; found again (and replaced) on the next import.
const MARKER = 'brand import:';

/** Creates or updates the brand file at `file`, changing only the keys the import sets. */
export function writeBrandFile(file: string, update: BrandUpdate, fresh: NewBrand): BrandFileResult {
  const created = !fs.existsSync(file);
  let todo: string | undefined;
  if (created && !fresh.helpCenter)
    todo =
      fresh.helpCenters.length === 0
        ? 'no help center under content/help-centers/; create one and set helpCenter'
        : `set helpCenter to one of ${fresh.helpCenters.join(', ')}`;
  let text = created ? newFile(fresh, todo) : fs.readFileSync(file, 'utf8');
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0]!.message}`);

  const edits: [string[], string][] = [];
  if (update.icon) edits.push([['icon'], update.icon]);
  if (update.socialImage) edits.push([['socialImage'], update.socialImage]);
  const colours = planColours(doc.toJS() as Record<string, unknown> | null, update);
  edits.push(...colours.edits);
  text = setScalars(text, edits);
  text = replaceCommentBlock(
    text,
    MARKER,
    colours.commented.length
      ? [
          `${MARKER} colours from ${update.source.href}`,
          ...colours.commented.map((line) => `  ${line}`),
          '  The brand file has no key for these yet; move them there when it does.',
        ]
      : [],
  );
  fs.writeFileSync(file, text);
  return { created, written: colours.written, commented: colours.commented, todo };
}

/**
 * The colours go under `styling` (theme-color → `headerBackground` and `action`, the manifest's
 * background_color → `background`), each only if the brand schema accepts that key: the schema is
 * asked, not assumed, so a key it lacks is kept as a comment block instead of failing `check`.
 */
function planColours(current: Record<string, unknown> | null, update: BrandUpdate) {
  const wanted: [key: string, value: string | undefined, found: string][] = [
    ['headerBackground', update.themeColor, 'theme-color'],
    ['action', update.themeColor, 'theme-color'],
    ['background', update.backgroundColor, 'manifest background_color'],
  ];
  const edits: [string[], string][] = [];
  const written: string[] = [];
  const commented: string[] = [];
  for (const [key, value, found] of wanted) {
    if (!value) continue;
    if (stylingAccepted(current ?? {}, key, value)) {
      edits.push([['styling', key], value]);
      written.push(`styling.${key} ${value}`);
    } else commented.push(`${found} ${value} (styling.${key})`);
  }
  return { edits, written, commented };
}

/** Whether the brand schema takes `styling.<key>: value` beside what the file already has. */
function stylingAccepted(current: Record<string, unknown>, key: string, value: string): boolean {
  if (!('styling' in brandSchema.shape)) return false;
  const styling = { ...(current.styling as object | undefined), [key]: value };
  const result = brandSchema.safeParse({ ...current, styling });
  return result.success || !result.error.issues.some((i) => i.path[0] === 'styling');
}

function newFile(fresh: NewBrand, todo: string | undefined): string {
  return [
    ...(todo ? [`# TODO (brand import): ${todo}.`] : []),
    `# ${fresh.name}: created by \`signpost brand import\`; the README lists every key.`,
    `name: ${JSON.stringify(fresh.name)}`,
    ...(fresh.helpCenter ? [`helpCenter: ${fresh.helpCenter}`] : []),
    '',
  ].join('\n');
}
