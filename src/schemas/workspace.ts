import { z } from 'zod';
import { hostName, languageTag } from './common.ts';

/** `content/workspace.yaml`: settings shared by every brand and help center. */
export const workspaceSchema = z.strictObject({
  /** The workspace's name, used in the knowledge feed. Example: `Acme Inc.` */
  name: z.string().min(1),
  /** IANA time zone for dates shown to visitors. Example: `Europe/Berlin`. Default: `UTC`. */
  timezone: z
    .string()
    .refine(
      (tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      },
      {
        error: (issue) =>
          `"${String(issue.input)}" is not an IANA time zone (e.g. Europe/Berlin, America/New_York)`,
      },
    )
    .default('UTC'),
  /** Language of article files without a language suffix (`refunds.md`). Must be in `languages`. Example: `en`. */
  defaultLanguage: languageTag,
  /** Every language any brand may publish, as BCP-47 tags. Example: `[en, de, ja, ar]`. */
  languages: z.array(languageTag).min(1),
  /** Default domain suffix: brand `acme` without its own `domain` is served at `acme.<domain>`. Example: `help.example.com`. */
  domain: hostName,
  /**
   * Video players an article may frame with `<iframe>`, besides the built-in ones (YouTube and
   * youtube-nocookie, Vimeo's player, Loom, Wistia). Exact host names of `https:` addresses; any
   * other `<iframe>` is a `check` error and never built. Example: `{ hosts: [video.acme.com] }`.
   * Default: none added.
   */
  embeds: z
    .strictObject({
      /** Host names to allow, each exactly as in the player's address. Example: `[video.acme.com, embed.ted.com]`. */
      hosts: z.array(hostName).default([]),
    })
    .prefault({}),
  /** How `check` treats links between articles. */
  links: z
    .strictObject({
      /**
       * A link to a missing, draft or internal article: `error` (default) stops `check` and
       * `build`; `warn` reports it and builds on. Either way the page shows the link's text
       * without a link. One link can be let through on purpose by giving it the title
       * `unchecked`: `[Roadmap](roadmap.md "unchecked")` (on GitHub the title is a tooltip).
       */
      broken: z.enum(['error', 'warn']).default('error'),
    })
    .prefault({}),
});
export type Workspace = z.infer<typeof workspaceSchema>;
