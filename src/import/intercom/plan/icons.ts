import { BUILTIN_ICONS } from '../../../schemas/common.ts';
import { collectionFile } from './collections.ts';
import { extensionOf, type ImageRequest } from './images.ts';
import type { Collections, PlacedCollection, Planning } from './types.ts';

/**
 * Collection icons, shown for top-level collections only: Intercom's icon names become the
 * closest built-in icon (the default, a book, where none is close), an uploaded icon becomes a
 * file, `icon.<ext>`, beside `_collection.yaml`.
 */

/** A built-in icon's name, or the uploaded image to save. */
export type Icon = { builtin: string } | ImageRequest;

/** Each collection's icon, if it shows one. */
export function iconsOf(
  collections: Collections,
  planning: Planning,
): Map<PlacedCollection, Icon | undefined> {
  return new Map(collections.all.map((c) => [c, iconOf(c, planning)]));
}

function iconOf(c: PlacedCollection, planning: Planning): Icon | undefined {
  const icon = c.source.icon;
  if (!icon || c.parent) return undefined;
  if (/^https?:\/\//i.test(icon)) {
    const ext = extensionOf(icon, ['png', 'jpg', 'jpeg', 'webp', 'svg']);
    return planning.images.want(
      `help-centers/${c.helpCenter.id}/${c.path}/icon.${ext}`,
      icon,
      collectionFile(c),
    );
  }
  const builtin = builtinIcon(icon);
  if (!builtin)
    planning.warn(
      `${collectionFile(c)}: Intercom icon "${icon}" has no counterpart among the built-in icons; the default (book) is shown`,
    );
  return builtin ? { builtin } : undefined;
}

/** Intercom's icon names (`book-bookmark`, `credit-card`, …) → the closest built-in icon. */
const ICON_WORDS: [RegExp, (typeof BUILTIN_ICONS)[number]][] = [
  [/book|guide|manual/, 'book'],
  [/card|billing|dollar|money|payment|wallet|coin/, 'credit-card'],
  [/chat|message|conversation|speech|comment/, 'chat'],
  [/gear|cog|setting/, 'gear'],
  [/user|people|team|person|group/, 'users'],
  [/shield|security/, 'shield'],
  [/lock|padlock/, 'lock'],
  [/key/, 'key'],
  [/rocket|launch|start/, 'rocket'],
  [/bell|notif/, 'bell'],
  [/calendar|date|schedule/, 'calendar'],
  [/chart|graph|analytic|report/, 'chart'],
  [/code|api|developer|terminal/, 'code'],
  [/download/, 'download'],
  [/file|document|doc|page|paper/, 'file'],
  [/globe|world|earth|language/, 'globe'],
  [/heart|love/, 'heart'],
  [/home|house/, 'home'],
  [/bulb|idea|tip/, 'lightbulb'],
  [/mail|envelope|email|inbox/, 'mail'],
  [/phone|mobile|call/, 'phone'],
  [/question|help|faq/, 'question'],
  [/search|magnif/, 'search'],
  [/star|favou?rite/, 'star'],
  [/tag|label|price/, 'tag'],
  [/wrench|tool|fix|integration/, 'wrench'],
];

function builtinIcon(icon: string): string | undefined {
  const name = icon.toLowerCase();
  if ((BUILTIN_ICONS as readonly string[]).includes(name)) return name;
  return ICON_WORDS.find(([words]) => words.test(name))?.[1];
}
