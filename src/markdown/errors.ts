/**
 * A problem in the writer's Markdown/MDX (an unknown component, a missing attribute). The caller
 * reports it as a content problem with the file; `line` counts from the first line of the body.
 */
export class MarkdownError extends Error {
  /** 1-based line within the body, when it could be found. */
  readonly line: number | undefined;

  constructor(message: string, line: number | undefined) {
    super(message);
    this.name = 'MarkdownError';
    this.line = line;
  }
}

/**
 * The first body line containing `needle`. The tree is parsed without positions (they cost about
 * half its memory), so on the rare error path we find the line by searching the source instead.
 */
export function lineOf(body: string, needle: string): number | undefined {
  const index = body.indexOf(needle);
  if (index === -1) return undefined;
  let line = 1;
  for (let i = body.indexOf('\n'); i !== -1 && i < index; i = body.indexOf('\n', i + 1)) line++;
  return line;
}
