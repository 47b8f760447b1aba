import fs from 'node:fs';
import { articleSchema, type ArticleFrontMatter } from '../schemas/article.ts';
import type { Problems } from './problems.ts';
import { validate } from './validate.ts';
import { parseYaml } from './yaml.ts';

/** An article file split into validated front matter and Markdown body. */
export interface ArticleSource {
  frontMatter: ArticleFrontMatter;
  body: string;
  /** Line of the file where the body starts. */
  bodyLine: number;
  /** Line of a front-matter key, for later cross-reference errors (author, related, …). */
  lineOf(key: string): number;
}

/**
 * Reads an article: front matter between `---` lines, validated against the article schema.
 * Front matter is split here by hand because the usual helper (gray-matter) loses the YAML's line
 * numbers, which every error message needs.
 */
export function readArticleFile(file: string, problems: Problems): ArticleSource | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
    problems.noteRead(file);
  } catch {
    problems.error(file, undefined, 'cannot read this file; check that it exists and is readable');
    return undefined;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== '---') {
    problems.error(
      file,
      1,
      'no front matter; start the file with a "---" line, "title: …", and another "---" line',
    );
    return undefined;
  }
  const end = lines.findIndex((line, i) => i > 0 && (line.trim() === '---' || line.trim() === '...'));
  if (end < 0) {
    problems.error(file, 1, 'front matter is never closed; add a "---" line after the last key');
    return undefined;
  }
  const yaml = parseYaml(lines.slice(1, end).join('\n'), file, problems, 1);
  if (yaml.data === undefined && problems.errors.some((p) => p.file === file)) return undefined;
  if (
    yaml.data !== null &&
    yaml.data !== undefined &&
    (typeof yaml.data !== 'object' || Array.isArray(yaml.data))
  ) {
    problems.error(file, 2, 'front matter must be a map of keys (title: …), not a single value or a list');
    return undefined;
  }
  const frontMatter = validate(articleSchema, yaml, problems);
  if (!frontMatter) return undefined;
  return {
    frontMatter,
    body: lines.slice(end + 1).join('\n'),
    bodyLine: end + 2,
    lineOf: (key) => yaml.lineOf([key]),
  };
}

/**
 * The default `description`: the first paragraph's text, cut to about 160 characters at a word
 * boundary.
 */
export function excerpt(text: string): string {
  if (text.length <= 160) return text;
  const cut = text.slice(0, 157);
  const space = cut.lastIndexOf(' ');
  return `${space > 100 ? cut.slice(0, space) : cut}…`;
}
