/**
 * A language's name in that language, as a language picker shows it: `Deutsch`, `日本語`,
 * `العربية`, `Português (Brasil)`, `简体中文`. Visitors look for their own language by the name
 * they know, so the picker never translates names into the page's language.
 *
 * Falls back to the tag itself when the runtime has no name for it (or the tag is malformed),
 * so an unusual language is still listed rather than dropped.
 */
export function languageName(tag: string): string {
  let name = names.get(tag);
  if (name === undefined) names.set(tag, (name = nameOf(tag)));
  return name;
}

/** Asked for on every page; Intl.DisplayNames is slow to build. */
const names = new Map<string, string>();

function nameOf(tag: string): string {
  let name: string | undefined;
  try {
    name = new Intl.DisplayNames([tag], { type: 'language' }).of(tag);
  } catch {
    return tag;
  }
  // `of()` echoes the code back when it knows no name.
  if (!name || name.toLowerCase() === tag.toLowerCase()) return tag;
  // Names such as `français` are lower-case in running text but start a picker entry.
  const [first = ''] = name;
  return first.toLocaleUpperCase(tag) + name.slice(first.length);
}
