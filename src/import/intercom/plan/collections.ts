import type { IntercomCollection } from '../types.ts';
import type { PlannedFile } from '../write.ts';
import { yamlFile } from './files.ts';
import type { Icon } from './icons.ts';
import { Unique, idSlug } from './ids.ts';
import { languageOf } from './languages.ts';
import { compare, sortById } from './order.ts';
import type {
  Collections,
  HelpCenters,
  LocaleUse,
  PlacedCollection,
  PlacedHelpCenter,
  Planning,
} from './types.ts';

/**
 * Collections become nested folders in their help center's folder. A collection is in its own
 * help center, else its parent's; it is named from its default-language name, unique among its
 * siblings; one nested deeper than Signpost's levels gives its articles to its ancestor.
 * `_collection.yaml` keeps its name and description in every language, its order, icon and
 * former URLs.
 */

/** Most collections nest in Intercom: collection › section › sub-section, as Signpost's 3 levels. */
const MAX_DEPTH = 3;

/** What placing one collection needs from the others. */
interface Placing {
  planning: Planning;
  helpCenters: HelpCenters;
  sources: Map<string, IntercomCollection>;
  byId: Map<string, PlacedCollection>;
  /** `<help center id>/<parent path>` → the names its children took. */
  siblings: Map<string, Unique>;
}

/** Every collection's folder. */
export function placeCollections(
  sources: IntercomCollection[],
  helpCenters: HelpCenters,
  planning: Planning,
): Collections {
  const placing: Placing = {
    planning,
    helpCenters,
    sources: new Map(sources.map((c) => [String(c.id), c])),
    byId: new Map(),
    siblings: new Map(),
  };
  const locales: LocaleUse[] = sources.map((c) => ({
    helpCenter: helpCenterOf(c, placing),
    locale: c.default_locale,
  }));
  // Parents first, in the order Intercom lists them, so names are taken the same way each time.
  for (const c of sortById(sources)) place(c, new Set(), placing);
  return { byId: placing.byId, all: [...new Set(placing.byId.values())], locales };
}

/** The help center is the collection's own or its parent's. */
function helpCenterOf(
  collection: IntercomCollection,
  placing: Placing,
  seen = new Set<string>(),
): PlacedHelpCenter {
  const { helpCenters, sources } = placing;
  const own = collection.help_center_id;
  if (own !== null && own !== undefined && helpCenters.byId.has(String(own)))
    return helpCenters.byId.get(String(own))!;
  const parent = collection.parent_id ? sources.get(String(collection.parent_id)) : undefined;
  if (parent && !seen.has(parent.id)) return helpCenterOf(parent, placing, seen.add(collection.id));
  return helpCenters.default;
}

/** Places `c` after its ancestors; `stack` holds the collections being placed, to stop at a cycle. */
function place(c: IntercomCollection, stack: Set<string>, placing: Placing): PlacedCollection | undefined {
  const { planning, byId, siblings } = placing;
  const done = byId.get(String(c.id));
  if (done) return done;
  if (stack.has(String(c.id))) {
    planning.warn(
      `collection ${c.id} (${c.name ?? ''}) is its own ancestor in the export; placed at the top level`,
    );
    return undefined;
  }
  stack.add(String(c.id));
  const helpCenter = helpCenterOf(c, placing);
  const parentSource = c.parent_id ? placing.sources.get(String(c.parent_id)) : undefined;
  if (c.parent_id && !parentSource)
    planning.warn(
      `collection ${c.id} (${c.name ?? ''}): parent ${c.parent_id} is not in the export; placed at the top level`,
    );
  let parent = parentSource ? place(parentSource, stack, placing) : undefined;
  if (parent && parent.helpCenter !== helpCenter) parent = undefined;
  if (parent && parent.depth >= MAX_DEPTH) {
    planning.warn(
      `collection ${c.id} (${c.name ?? ''}) is nested deeper than ${MAX_DEPTH} levels; its articles go to ${parent.helpCenter.id}/${parent.path}`,
    );
    byId.set(String(c.id), parent);
    return parent;
  }
  const scope = `${helpCenter.id}/${parent?.path ?? ''}`;
  const names = siblings.get(scope) ?? new Unique();
  siblings.set(scope, names);
  const name = names.take(
    planning.previous.collections[c.id],
    idSlug(defaultText(c.translated_content, c.default_locale, 'name') ?? c.name ?? ''),
    c.id,
  );
  planning.ids.collections[c.id] = name;
  const placed: PlacedCollection = {
    source: c,
    helpCenter,
    parent,
    name,
    path: parent ? `${parent.path}/${name}` : name,
    depth: (parent?.depth ?? 0) + 1,
    aliases: new Set(),
  };
  byId.set(String(c.id), placed);
  return placed;
}

/** The folder's `_collection.yaml`, content-relative. */
export function collectionFile(c: PlacedCollection): string {
  return `help-centers/${c.helpCenter.id}/${c.path}/_collection.yaml`;
}

/** Each collection's `_collection.yaml`, given the images saved as files. */
export function collectionFiles(
  collections: Collections,
  icons: Map<PlacedCollection, Icon | undefined>,
  saved: ReadonlySet<string>,
): PlannedFile[] {
  return collections.all.map((c) => {
    const hcLanguages = c.helpCenter.languages;
    const config: Record<string, unknown> = {
      name: localized(c.source, 'name', hcLanguages) ?? c.source.name ?? c.name,
    };
    const description = localized(c.source, 'description', hcLanguages);
    if (description) config.description = description;
    const icon = icons.get(c);
    if (icon && 'builtin' in icon) config.icon = icon.builtin;
    else if (icon && saved.has(icon.path)) config.icon = `./${icon.path.split('/').at(-1)!}`;
    if (typeof c.source.order === 'number') config.order = c.source.order;
    if (c.aliases.size) config.aliases = [...c.aliases].sort(compare);
    return yamlFile(collectionFile(c), config);
  });
}

type Text = string | Record<string, string>;

function defaultText(
  translated: IntercomCollection['translated_content'],
  locale: string | undefined,
  field: 'name' | 'description',
): string | undefined {
  const content = translated?.[locale ?? ''];
  return content && typeof content === 'object' ? content[field] || undefined : undefined;
}

/** A collection's name or description: one string, or per language when the help center has several. */
function localized(
  c: IntercomCollection,
  field: 'name' | 'description',
  languages: string[],
): Text | undefined {
  const byLanguage: Record<string, string> = {};
  for (const [locale, content] of Object.entries(c.translated_content ?? {})) {
    if (locale === 'type' || !content || typeof content !== 'object') continue;
    const text = content[field]?.trim();
    if (text) byLanguage[languageOf(locale)] = text;
  }
  const own = (field === 'name' ? c.name : c.description)?.trim();
  if (!Object.keys(byLanguage).length) return own || undefined;
  if (languages.length <= 1) return byLanguage[languages[0] ?? ''] ?? own ?? Object.values(byLanguage)[0];
  return byLanguage;
}
