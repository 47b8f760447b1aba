import fs from 'node:fs';
import path from 'node:path';
import { isInside, parseArticleFileName } from './files.ts';
import type { Article, ArticleGroup, ArticleLink, ImageRef, Model } from './model.ts';
import type { Problems } from './problems.ts';
import { unknownComponent } from '../markdown/components.ts';
import { MarkdownError } from '../markdown/errors.ts';
import { BodyParse } from '../markdown/parse.ts';
import { iframeProblem } from '../markdown/hazards.ts';
import { articleTarget, isRemote, UNCHECKED_TITLE } from '../markdown/urls.ts';
import { realPath } from './problems.ts';
import { suggest } from './validate.ts';

/** Where to look an article up: its own help center (or `internal/`), by id and by file. */
interface Scope {
  name: string;
  articles: Map<string, ArticleGroup>;
}

/**
 * Finds every link and image in every article and resolves it: article links (`refunds.md`,
 * `../billing/refunds.de.md`) to a target id and language, images to image files inside the
 * content folder. A link to a missing, draft or internal article is an error at the link's line
 * (a warning with `links.broken: warn`; nothing for a link titled "unchecked"); so is an image
 * that is missing, outside the content folder or no image. Also reports what the body holds that
 * the build would refuse to ship (script, event handlers, foreign frames…) as errors, and what
 * the allow-list leaves out as warnings.
 */
export function resolveReferences(model: Model, problems: Problems): void {
  const byFile = new Map<string, ArticleGroup>();
  const all: { scope: Scope; article: Article }[] = [];
  const scopes: Scope[] = [...model.helpCenters.values()].map((hc) => ({
    name: `help center "${hc.id}"`,
    articles: hc.articles,
  }));
  scopes.push({ name: 'internal/', articles: model.internal.articles });
  for (const scope of scopes)
    for (const group of scope.articles.values())
      for (const article of group.translations.values()) {
        byFile.set(article.file, group);
        all.push({ scope, article });
      }
  const context: LinkContext = { model, byFile, invalidIds: invalidIds(model) };
  const { embeds, links: linkPolicy } = model.workspace;
  const contentRoot = realPath(model.root);

  const body = { model, problems, contentRoot, embedHosts: embeds.hosts };
  for (const { scope, article } of all) {
    const refs = checkBody(article, body, article.images);
    for (const ref of refs ?? []) {
      if (ref.kind !== 'link') continue;
      const line = article.bodyLine + ref.line - 1;
      const { target, hash } = articleTarget(ref.url) ?? {};
      if (target === undefined || hash === undefined) continue;
      const link = resolveLink(target, hash, article, scope, context);
      if ('error' in link) {
        // Let through on purpose; the page shows its text without a link until it resolves.
        if (ref.title === UNCHECKED_TITLE) continue;
        const message = `link to "${ref.url}": ${link.error}`;
        if (linkPolicy.broken === 'warn')
          problems.warn(article.file, line, `${message} (shown as plain text until then)`);
        else problems.error(article.file, line, message);
      } else if (!('skip' in link)) article.links.push({ href: ref.url, line, ...link, span: ref.span });
    }
  }
  // A file whose front matter failed is left out of the model, but its body is still checked
  // (not its article links: without valid front matter its language and state are unknown), so
  // one error does not hide the others in the same file.
  for (const invalid of model.invalidBodies)
    checkBody({ ...invalid, parse: new BodyParse(invalid.body, invalid.format) }, body);
}

/** What checking a body needs besides the body. */
interface BodyContext {
  model: Model;
  problems: Problems;
  contentRoot: string;
  embedHosts: readonly string[];
}

/**
 * The checks that need nothing but the body: MDX syntax, what the build would refuse to ship,
 * unknown components and unusable images, each at its line. Usable images are added to `images`.
 * Returns the body's references for link resolution, or undefined when the MDX does not parse.
 */
function checkBody(
  article: { file: string; bodyLine: number; parse: BodyParse },
  { model, problems, contentRoot, embedHosts }: BodyContext,
  images?: ImageRef[],
): ReturnType<BodyParse['refs']> | undefined {
  let refs;
  try {
    refs = article.parse.refs();
  } catch (error) {
    if (!(error instanceof MarkdownError)) throw error;
    const { line, message } = error;
    problems.error(
      article.file,
      line ? article.bodyLine + line - 1 : undefined,
      `MDX syntax: ${message}; fix the markup (an MDX file is stricter than Markdown)`,
    );
    return undefined;
  }
  for (const hazard of article.parse.hazards()) {
    const line = article.bodyLine + hazard.line - 1;
    if (hazard.kind === 'warning') problems.warn(article.file, line, hazard.message);
    else if (hazard.kind === 'error') problems.error(article.file, line, hazard.message);
    else {
      const problem = iframeProblem(hazard.src, embedHosts);
      if (problem) problems.error(article.file, line, problem);
    }
  }
  for (const ref of refs) {
    const line = article.bodyLine + ref.line - 1;
    if (ref.kind === 'component') {
      const unknown = unknownComponent(ref.name);
      if (unknown) problems.error(article.file, line, unknown);
    } else if (ref.kind === 'image') {
      const image = resolveImage(ref.url, article, model.root, contentRoot);
      if (typeof image === 'string') problems.error(article.file, line, image);
      else if (image) images?.push({ src: ref.url, line, file: image.file });
    }
  }
  return refs;
}

/** Image formats the build optimises and every browser shows, by the bytes a file starts with. */
const IMAGE_SIGNATURES: [string, (head: Buffer) => boolean][] = [
  ['PNG', (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))],
  ['JPEG', (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['GIF', (b) => /^GIF8[79]a/.test(b.toString('latin1', 0, 6))],
  ['WebP', (b) => b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP'],
  ['AVIF', (b) => b.toString('latin1', 4, 8) === 'ftyp' && /^avi[fs]$/.test(b.toString('latin1', 8, 12))],
];

/** An SVG document: an XML declaration, comments or a doctype may come before its root element. */
const SVG = /^(\uFEFF)?\s*(<\?xml[^>]*>\s*|<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]/i;

/**
 * The image file a local image reference names, undefined for a remote one (`https:`, `data:`;
 * `check` judges their schemes elsewhere), or the message when it is not usable: missing,
 * outside the content folder (also through a symlink), or not an image the build can optimise.
 * Sniffed from the file's first bytes, the way sharp itself tells formats apart, so a text file
 * named `.png` is named at once; `article-images.ts` then decodes each file with sharp.
 */
function resolveImage(
  url: string,
  article: { file: string },
  root: string,
  realRoot: string,
): { file: string } | string | undefined {
  if (isRemote(url)) return undefined;
  const written = url.split(/[?#]/)[0] ?? '';
  const fix = 'put the image next to the article and write its relative path (./screen.png)';
  if (written.trim() === '') return `image has no file name; ${fix}`;
  let decoded: string;
  try {
    decoded = decodeURIComponent(written);
  } catch {
    decoded = written;
  }
  const dir = path.dirname(article.file);
  const file = path.resolve(dir, decoded);
  const outside = `image "${url}" is outside the content folder, where the build may not read; ${fix}`;
  if (decoded.startsWith('/') || path.isAbsolute(decoded) || !isInside(file, root)) return outside;
  if (!fs.existsSync(file))
    return `image "${url}" not found (looked for ${path.relative(dir, file)}); put the file next to the article or fix the path`;
  if (!isInside(realPath(file), realRoot)) return outside;
  let head = Buffer.alloc(0);
  try {
    const fd = fs.openSync(file, 'r');
    try {
      head = Buffer.alloc(1024);
      head = head.subarray(0, fs.readSync(fd, head, 0, head.length, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // A folder, or a file that cannot be read: not an image either way.
  }
  if (IMAGE_SIGNATURES.some(([, test]) => test(head))) return { file };
  const formats = IMAGE_SIGNATURES.map(([name]) => name);
  const expected = `${formats.slice(0, -1).join(', ')} or ${formats.at(-1)}`;
  // The build would publish an SVG as it is, and opened at its own URL its scripts would run.
  if (SVG.test(head.toString('utf8')))
    return `image "${url}" is an SVG, which can hold script that runs on the help center's domain when the image is opened; export it as PNG or WebP`;
  return `image "${url}" is not an image file (expected ${expected}); export it as one, or fix the path`;
}

/** What every link lookup needs, built once per load. */
interface LinkContext {
  model: Model;
  /** Article file → its article (all languages). */
  byFile: Map<string, ArticleGroup>;
  /** Ids of article files left out for their own errors: links to them are not reported again. */
  invalidIds: Set<string>;
}

function invalidIds(model: Model): Set<string> {
  const { languages, defaultLanguage } = model.workspace;
  const ids = new Set<string>();
  for (const file of model.invalidFiles) {
    const parsed = parseArticleFileName(path.basename(file), languages, defaultLanguage);
    if (parsed && 'id' in parsed) ids.add(parsed.id);
  }
  return ids;
}

function resolveLink(
  target: string,
  hash: string,
  from: Article,
  scope: Scope,
  { model, byFile, invalidIds }: LinkContext,
): Omit<ArticleLink, 'href' | 'line'> | { error: string } | { skip: true } {
  const { languages, defaultLanguage } = model.workspace;
  let group: ArticleGroup | undefined;
  let decoded = target;
  try {
    decoded = decodeURIComponent(target);
  } catch {
    // A stray `%` is part of the name as written.
  }
  if (decoded.includes('/')) {
    const file = path.resolve(path.dirname(from.file), decoded);
    group = byFile.get(file);
    if (!group && model.invalidFiles.has(file)) return { skip: true };
    if (!group)
      return {
        error: `no article file at ${path.relative(path.dirname(from.file), file)}; fix the path, or link by id (e.g. "${path.basename(decoded).replace(/\..*$/, '')}.md")`,
      };
  } else {
    const parsed = parseArticleFileName(decoded, languages, defaultLanguage);
    const id = parsed && !('error' in parsed) ? parsed.id : decoded.replace(/\.mdx?$/i, '');
    group = scope.articles.get(id);
    if (!group) {
      const internal = model.internal.articles.get(id);
      if (internal && scope.articles !== model.internal.articles)
        return {
          error: `"${id}" is an internal (Copilot-only) article, which is never published; link to a public article instead`,
        };
      // Internal notes may point at any help center's article.
      if (scope.articles === model.internal.articles)
        group = [...model.helpCenters.values()].map((hc) => hc.articles.get(id)).find(Boolean);
      if (!group && invalidIds.has(id)) return { skip: true };
      if (!group) {
        const hint = suggest(id, [...scope.articles.keys()], '');
        return {
          error: `no article "${id}" in ${scope.name}${hint ? `; ${hint}` : '; fix the id or create the article'}`,
        };
      }
    }
  }
  if (!group.helpCenter && from.visibility !== 'internal')
    return {
      error: `"${group.id}" is an internal (Copilot-only) article, which is never published; link to a public article instead`,
    };
  if (
    group.helpCenter &&
    from.visibility !== 'internal' &&
    group.helpCenter !== scope.articles.get(group.id)?.helpCenter
  )
    return { error: `"${group.id}" is in another help center; link to it by its full URL instead` };
  const usable = (lang: string) => {
    const t = group.translations.get(lang);
    return t && (t.state === 'published' || from.state === 'draft') ? t : undefined;
  };
  const chosen =
    usable(from.language) ??
    usable(defaultLanguage) ??
    [...group.translations.values()].find((t) => usable(t.language));
  if (!chosen)
    return {
      error: `"${group.id}" is a draft; publish it (state: published) or remove the link until it is`,
    };
  return { targetId: group.id, targetLanguage: chosen.language, hash };
}
