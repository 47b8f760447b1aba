import { slug as githubSlug } from 'github-slugger';

/**
 * The names Signpost gives Intercom's objects: a help center's folder (and brand id), a
 * collection's folder, an article's id, an author's key. Each is made from a title, unique where
 * it must be, and kept across re-imports: the last import's name (from the state file) wins over
 * the new title's, so a retitled article keeps its file and every link to it.
 */

/**
 * Takes names one by one, keeping each unique: a clash gets the Intercom id as a suffix. The last
 * import's names are reserved for their owners, so a new article titled like an old one never
 * takes the old one's file.
 */
export class Unique {
  private readonly taken = new Set<string>();
  private readonly reserved: Set<string>;

  constructor(reserved: Iterable<string> = []) {
    this.reserved = new Set(reserved);
  }

  /** `previous` (the last import's name) wins where it is still free. */
  take(previous: string | undefined, wanted: string, intercomId: string): string {
    const fallback = wanted || `intercom-${intercomId}`;
    const free = (name: string) => !this.taken.has(name) && (name === previous || !this.reserved.has(name));
    let name = [previous, fallback, `${fallback}-${intercomId}`].find((c): c is string => !!c && free(c));
    for (let n = 2; name === undefined; n++)
      if (free(`${fallback}-${intercomId}-${n}`)) name = `${fallback}-${intercomId}-${n}`;
    this.taken.add(name);
    return name;
  }
}

/** The last import's names of the objects this export still has. */
export function reservedNames(
  previous: Record<string, string>,
  present: { id: string | number }[],
): string[] {
  return present
    .map((item) => previous[String(item.id)])
    .filter((name): name is string => name !== undefined);
}

/** An id or folder name: github-slugger's slug, one dash at a time, no dots at the ends. */
export function idSlug(text: string): string {
  return githubSlug(text)
    .replace(/-{2,}/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '');
}

/** A key of authors.yaml or a brand id: lower-case ASCII letters, digits and dashes. */
export function asciiKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
