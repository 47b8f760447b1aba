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
});
export type Workspace = z.infer<typeof workspaceSchema>;
