import { z } from 'zod';

/**
 * A BCP-47 language tag as a help center uses it: `en`, `de`, `pt-BR`, `zh-Hans`.
 * Checked with the runtime's own BCP-47 parser (`Intl.getCanonicalLocales`).
 */
export const languageTag = z.string().refine(
  (tag) => {
    try {
      return Intl.getCanonicalLocales(tag).length === 1;
    } catch {
      return false;
    }
  },
  {
    error: (issue) => `"${String(issue.input)}" is not a valid BCP-47 language tag (e.g. en, pt-BR, zh-Hans)`,
  },
);

/** Language tags written in a right-to-left script. */
const RTL_LANGUAGES = new Set([
  'ar',
  'arc',
  'ckb',
  'dv',
  'fa',
  'he',
  'iw',
  'ks',
  'ps',
  'sd',
  'ug',
  'ur',
  'yi',
]);

/** Text direction of a language tag: `rtl` for Arabic, Hebrew, Persian, Urdu and their kin. */
export function directionOf(tag: string): 'ltr' | 'rtl' {
  const [language = '', ...rest] = tag.toLowerCase().split('-');
  if (rest.includes('arab') || rest.includes('hebr')) return 'rtl';
  return RTL_LANGUAGES.has(language) ? 'rtl' : 'ltr';
}

/**
 * Text in the workspace's default language (a plain string) or per language
 * (`{ en: "Billing", de: "Abrechnung" }`).
 */
export const localizedText = z.union([z.string().min(1), z.record(languageTag, z.string().min(1))]);
export type LocalizedText = z.infer<typeof localizedText>;

/** Which AI agents may use an article (Intercom's Fin and Copilot availability). */
export const aiFlags = z.strictObject({
  /** The customer-facing answer agent (Fin-like) may use it. Default: `true`. */
  agent: z.boolean().optional(),
  /** The teammate-facing assistant (Copilot-like) may use it. Default: `true`. */
  copilot: z.boolean().optional(),
});
export type AiFlags = z.infer<typeof aiFlags>;

/** A path relative to the file that names it, e.g. `./icons/billing.svg`. */
export const relativePath = z
  .string()
  .min(1)
  .refine((p) => !/^[a-z][a-z0-9+.-]*:/i.test(p) && !p.startsWith('/'), {
    error: 'expected a path relative to this file (e.g. ./images/logo.png), not a URL or absolute path',
  });

/** An absolute http(s) URL. */
export const httpUrl = z.url({
  protocol: /^https?$/,
  error: 'expected an http(s) URL, e.g. https://example.com/',
});

/**
 * Where a link in a brand file goes: an `http(s)` URL, a `mailto:` or `tel:` link, or a
 * path on this site (`/pricing`). Examples: `https://acme.com/pricing`, `mailto:help@acme.com`,
 * `tel:+49 30 1234567`, `/de/articles/refunds/`.
 *
 * Everything else is refused, because a brand file is content, not code: a `javascript:`,
 * `data:` or `vbscript:` link would run on the help center's own domain when a visitor clicks it,
 * `//host` leaves the site while looking like a path, and a bare word (`pricing`) resolves
 * differently on every page.
 */
export const linkUrl = z
  .string()
  .min(1)
  .refine(isLinkUrl, {
    error: (issue) =>
      `expected an http(s) URL, a mailto: or tel: link, or a path on this site such as /contact, got ${JSON.stringify(issue.input)}`,
  });

function isLinkUrl(url: string): boolean {
  if (/^tel:\+?\d[\d ().-]*$/i.test(url)) return true;
  // Browsers skip tabs and newlines inside a URL (`java\tscript:` still runs) and read `\` as `/`
  // (`/\evil.test` leaves the site), so neither may appear; only a phone number may have spaces.
  if (/[\s\\\p{Cc}]/u.test(url)) return false;
  if (url.startsWith('/')) return !url.startsWith('//');
  if (/^mailto:[^@]+@.+$/i.test(url)) return true;
  return /^https?:\/\//i.test(url) && URL.canParse(url);
}

/** A host name without scheme or path, e.g. `help.acme.com`. */
export const hostName = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/i, {
    error: 'expected a host name such as help.acme.com (no https://, no path)',
  });

/** A CSS hex colour, `#1f6feb` or `#fff`. */
export const hexColor = z
  .string()
  .regex(/^#([0-9a-f]{3}|[0-9a-f]{6})$/i, { error: 'expected a hex colour such as #1f6feb' });

/** Built-in icon names for collections (a collection may also name its own image file). */
export const BUILTIN_ICONS = [
  'book',
  'bell',
  'calendar',
  'chart',
  'chat',
  'code',
  'credit-card',
  'download',
  'file',
  'gear',
  'globe',
  'heart',
  'home',
  'key',
  'lightbulb',
  'lock',
  'mail',
  'phone',
  'question',
  'rocket',
  'search',
  'shield',
  'star',
  'tag',
  'users',
  'wrench',
] as const;
