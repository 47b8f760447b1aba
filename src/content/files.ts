/** What an article file's name says: `refunds.de.md` → id `refunds`, language `de`, format `md`. */
export interface ArticleFileName {
  id: string;
  language: string;
  format: 'md' | 'mdx';
}

const ARTICLE_FILE = /^(.+?)(?:\.([a-z]{2,3}(?:-[a-z0-9]{2,8})*))?\.(md|mdx)$/i;
const ID = /^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u;

/**
 * Splits an article file name. `languages` are the workspace's tags; a suffix that looks like a
 * language but is not one of them is an error, so `faq.fr.md` in an English-only workspace is
 * reported instead of silently becoming the article `faq.fr`.
 */
export function parseArticleFileName(
  name: string,
  languages: readonly string[],
  defaultLanguage: string,
): ArticleFileName | { error: string } | undefined {
  const match = ARTICLE_FILE.exec(name);
  if (!match) return undefined;
  const [, stem = '', suffix, ext = 'md'] = match;
  const format = ext.toLowerCase() === 'mdx' ? 'mdx' : 'md';
  let id = stem;
  let language = defaultLanguage;
  if (suffix) {
    const known = languages.find((l) => l.toLowerCase() === suffix.toLowerCase());
    if (known) language = known;
    else if (isLanguageTag(suffix))
      return {
        error: `language "${suffix}" in the file name is not in workspace.yaml languages (${languages.join(', ')}); add it there or rename the file`,
      };
    else id = `${stem}.${suffix}`;
  }
  if (!ID.test(id))
    return {
      error: `article id "${id}" may hold only letters, digits, ".", "-" and "_"; rename the file (e.g. ${slug(id)}.${ext})`,
    };
  return { id, language, format };
}

function isLanguageTag(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-|-$/g, '') || 'article'
  );
}
