import { createHash } from 'node:crypto';
import {
  MAX_BODY_BYTES,
  SNIPPET_LENGTH,
  articleSchema,
  type ArticleFrontMatter,
} from '../schemas/article.ts';
import { readTextFile } from './files.ts';
import type { LoadCache } from './load-cache.ts';
import type { Problems } from './problems.ts';
import { validate } from './validate.ts';
import { keptYaml, parseYamlKept } from './yaml.ts';

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
 * Reads an article: UTF-8 text (see `readTextFile`), front matter between `---` lines validated
 * against the article schema, and a body of at most 1 MB. Front matter is split here by hand
 * because the usual helper (gray-matter) loses the YAML's line numbers, which every error message
 * needs. With `cache`, YAML a previous build parsed cleanly is not parsed again, and a file whose
 * bytes a previous build read cleanly is not even read (`load-cache.ts`). `format`: the file's
 * (by its name), which its body's outline is keyed by.
 */
export function readArticleFile(
  file: string,
  problems: Problems,
  cache?: LoadCache,
  onInvalidBody?: (body: string, bodyLine: number) => void,
  format: 'md' | 'mdx' = 'md',
): ArticleSource | undefined {
  // The file as a clean read of its very bytes made it, without reading it (`load-cache.ts`).
  const keptFile = cache?.articleFile(file);
  const kept = keptFile?.value;
  if (kept && kept.format === format) {
    const yaml = keptYaml(kept.yaml, file, problems, 1, kept.frontMatter);
    return {
      frontMatter: kept.article as ArticleFrontMatter,
      body: kept.body,
      bodyLine: kept.bodyLine,
      lineOf: (key) => yaml.lineOf([key]),
    };
  }
  const problemsBefore = problems.list.length;
  let sha: string | undefined;
  const text = readTextFile(
    file,
    problems,
    keptFile && ((bytes) => (sha = createHash('sha256').update(bytes).digest('hex'))),
  );
  if (text === undefined) return undefined;
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
  const yamlText = lines.slice(1, end).join('\n');
  const yaml = parseYamlKept(yamlText, file, problems, 1, cache);
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
  const body = lines.slice(end + 1).join('\n');
  const bytes = Buffer.byteLength(body);
  // Checked even when the front matter failed, so both are reported in one go.
  if (bytes > MAX_BODY_BYTES)
    problems.error(
      file,
      end + 2,
      `the body is ${bytes.toLocaleString('en-US')} bytes, over the 1 MB (${MAX_BODY_BYTES.toLocaleString('en-US')} bytes) limit; split it into several articles`,
    );
  if (!frontMatter && bytes <= MAX_BODY_BYTES) onInvalidBody?.(body, end + 2);
  if (!frontMatter || bytes > MAX_BODY_BYTES) return undefined;
  const { description } = frontMatter;
  if (description !== undefined && description.length > SNIPPET_LENGTH)
    problems.warn(
      file,
      yaml.lineOf(['description']),
      `description: ${description.length} characters; search results show about ${SNIPPET_LENGTH}, so shorten it or it will be cut off there`,
    );
  // Kept only where the read was clean (its problems are reported every time), and only under the
  // hash of the bytes read: the file may have changed since the build hashed it.
  if (keptFile && yaml.kept && sha === keptFile.sha && problems.list.length === problemsBefore)
    keptFile.keep({
      yaml: yamlText,
      frontMatter: yaml.kept,
      article: frontMatter,
      body,
      bodyLine: end + 2,
      format,
      outlineKey: cache!.outlineKey(format, body),
    });
  return { frontMatter, body, bodyLine: end + 2, lineOf: (key) => yaml.lineOf([key]) };
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
