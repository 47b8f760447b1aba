import YAML from 'yaml';
import type { PlannedFile } from '../write.ts';

/**
 * How the plan spells a YAML file (brand, collection, authors, audiences, front matter): without
 * folded lines, so a long name or URL stays on one line.
 */

/** A YAML file, with an optional header comment. */
export function yamlFile(path: string, data: unknown, header?: string): PlannedFile {
  return { path, data: `${header ? `# ${header}\n` : ''}${toYaml(data)}` };
}

export function toYaml(data: unknown): string {
  return YAML.stringify(data, { lineWidth: 0 });
}
