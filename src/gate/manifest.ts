import { z } from 'zod';
import { audienceRuleSchema } from '../schemas/audiences.ts';

/**
 * The gate manifest the build writes per brand (`gateManifestFile(brand)` in dist): everything the
 * gate knows about a brand, so it never reads `content/`. The schema is the contract with the
 * build; the gate refuses to start on a manifest it does not understand rather than guessing.
 * Unknown keys are dropped, not refused: the build may add fields before the gate uses them, and
 * `version` is what changes when a field changes meaning.
 */

/** A URL path of the brand's site: starts with `/`, never climbs out with `..`. */
const sitePath = z
  .string()
  .regex(/^(?!.*\/\.\.?(?:\/|$))\/[^\\\0]*$/, 'expected a site path such as /en/articles/sso/');

/** One folder name inside a private tree (a search index's `dir`). */
const folderName = z.string().regex(/^(?!\.\.?$)[^/\\\0]+$/, 'expected one folder name');

/** An audience rule, as `audiences.yaml` holds it (the build copies them over). */
const rule = audienceRuleSchema;

/** The manifest's schema; `GateManifest` is its type. */
export const gateManifestSchema = z.object({
  version: z.literal(1),
  /** Brand id, e.g. `acme`. */
  brand: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a brand id'),
  /** Requests whose `Host` is this (port ignored) are this brand's. */
  domain: z.string().min(1),
  defaultLanguage: z.string().min(1),
  languages: z.array(z.string().min(1)).min(1),
  /** Every private page by its site URL path: `[]` = any signed-in customer; else ANY listed audience. */
  private: z.record(sitePath, z.object({ audiences: z.array(z.string()) })),
  /** content/audiences.yaml: an audience matches when ALL its rules hold on the session's claims. */
  audiences: z.record(z.string(), z.object({ rules: z.array(rule) })),
  /** Private search indexes: files under `url`, from the private tree folder `dir`, for `audiences`. */
  searchIndexes: z.array(
    z.object({
      url: sitePath.regex(/\/$/, 'expected a folder URL'),
      dir: folderName,
      audiences: z.array(z.string()),
    }),
  ),
  /** The localized "not available for your account" page per language, a private-tree URL path. */
  notAvailable: z.record(z.string(), sitePath),
  /** `null` when the brand has no `privacy` block (then it has no private pages). */
  privacy: z
    .object({
      /** Contains `{returnTo}`, replaced by the URL-encoded requested path. */
      loginUrl: z.string().min(1),
      jwt: z.object({
        secretEnv: z.string().optional(),
        publicKey: z.string().optional(),
        jwksUrl: z.string().optional(),
        issuer: z.string().optional(),
        audience: z.string().optional(),
        algorithms: z.array(z.string()).optional(),
      }),
      /** Seconds (default 12 h in the brand schema). */
      session: z.object({ maxAge: z.number().int().positive() }),
    })
    .nullable(),
  /** For the Content-Security-Policy: inline script hashes (`sha256-…`) and whether GA4 is on. */
  csp: z.object({
    scriptHashes: z.array(
      z.string().regex(/^sha(256|384|512)-[A-Za-z0-9+/]+=*$/, 'expected sha256-<base64>'),
    ),
    ga4: z.boolean(),
    ga4Id: z.string().optional(),
    /** Video hosts the workspace adds to the embed allow-list (`embeds.hosts`), for `frame-src`. */
    frameHosts: z.array(z.string().regex(/^[a-z0-9.-]+$/i, 'expected a host name')).optional(),
  }),
});

/** A brand's gate manifest, as validated. */
export type GateManifest = z.infer<typeof gateManifestSchema>;

/**
 * Parses one manifest's text. Throws an Error whose message is one line naming the file and the
 * first problem (`_gate/acme.json: private./en/x/.audiences: expected array`), for the operator.
 */
export function parseManifest(text: string, file: string, expectedBrand?: string): GateManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${file}: not valid JSON; rebuild with \`npm run build\``);
  }
  const result = gateManifestSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.map(String).join('.') || '(top level)';
    // A bad record key says only "Invalid key in record"; the key's own check says what was expected.
    const inner = issue && 'issues' in issue ? (issue.issues as { message: string }[])[0] : undefined;
    const message = inner?.message ?? issue?.message ?? 'invalid';
    throw new Error(
      `${file}: ${where}: ${message}; rebuild with \`npm run build\` from the same Signpost version`,
    );
  }
  if (expectedBrand !== undefined && result.data.brand !== expectedBrand)
    throw new Error(`${file}: names brand "${result.data.brand}"; rebuild with \`npm run build\``);
  return result.data;
}
