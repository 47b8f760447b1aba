/**
 * The order of everything the plan lists: the same export plans the same files, names and
 * warnings whatever order Intercom listed its objects in, and whatever the machine's locale.
 */

/** Code-unit order (what `sort()` does on strings), for sorting by a field. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Intercom's numeric ids in numeric order: the same order whatever order the export came in. */
export function sortById<T extends { id: string | number }>(items: T[]): T[] {
  return [...items].sort((a, b) => {
    const [x, y] = [String(a.id), String(b.id)];
    return x.length - y.length || compare(x, y);
  });
}

/** Each item once, where it first appears. */
export function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
