import { z } from 'zod';
import { audienceRuleSchema } from '../schemas/audiences.ts';

/**
 * The knowledge feed (`knowledge.json`), format version 1: the contract between the build and the
 * AI agents (and `feed diff` / `feed push`) that read it. The TypeScript types come from here, and
 * so does the JSON Schema the build publishes beside the full feeds (`knowledge.schema.json`).
 * Objects are strict, so a field added without a version bump fails every consumer's validation
 * instead of drifting in unnoticed.
 */

/** A BCP-47 language tag as the help center uses it. Example: `en`, `pt-BR`. */
const language = z.string().min(1);
/** An absolute `https:` URL on a brand's domain. Example: `https://help.acme.test/en/articles/refunds/`. */
const httpsUrl = z
  .url({ protocol: /^https$/ })
  // zod's protocol check has no JSON Schema form; say it there too, so consumers check it as well.
  .meta({ pattern: '^https://' });

/** One collection of the help center, with its name in every language the brand publishes. */
export const feedCollectionSchema = z.strictObject({
  /** Folder names from the help-center root. Example: `['billing', 'payments']`. */
  path: z.array(z.string().min(1)).min(1),
  /** Name per brand language. Example: `{ en: 'Payments', de: 'Zahlungen' }`. */
  names: z.record(language, z.string()),
});

/** An audience some feed article is restricted to, with the rules that define it. */
export const feedAudienceSchema = z.strictObject({
  /** Key in `audiences.yaml`, as articles name it. Example: `enterprise`. */
  key: z.string().min(1),
  /** Name shown to writers. Example: `Enterprise customers`. */
  name: z.string().min(1),
  /** Rules that must all hold for a user to belong to the audience (Fin-style targeting). */
  rules: z.array(audienceRuleSchema),
});

/**
 * The article as Intercom's AI Content API takes an external page (`POST /ai/external_pages`),
 * ready to send once `feed push` adds the `source_id`.
 */
export const feedIntercomPageSchema = z.strictObject({
  /** Stable identity across pushes: `<brand>:<article id>:<language>`. Example: `acme:refunds:en`. */
  external_id: z.string().min(1),
  /** The article title. */
  title: z.string(),
  /** The article body as HTML, links and images absolute (same as `body.html`). */
  html: z.string(),
  /** The article language; `feed push` leaves out languages Intercom does not support. */
  locale: language,
  /** The article page; absent for internal articles, which have none. */
  url: httpsUrl.optional(),
  /**
   * The customer-facing agent (Fin) may use it: the article's `ai.agent`. Always written, since
   * Intercom defaults a missing flag to false on create, hiding the page from Fin. (Intercom's own
   * articles call it `ai_chatbot_availability`; external pages call it this.)
   */
  ai_agent_availability: z.boolean(),
  /** The teammate-facing assistant (Copilot) may use it: the article's `ai.copilot`. Always written. */
  ai_copilot_availability: z.boolean(),
});

/** One article translation: one id in one language. */
export const feedArticleSchema = z.strictObject({
  /** Article id, shared by its translations; unique within its help center or `internal/`. */
  id: z.string().min(1),
  /** Language of this translation. */
  language,
  /** Title as written. */
  title: z.string(),
  /** The front matter's description, else the body's first paragraph; `''` when there is neither. */
  description: z.string(),
  /** Canonical page URL on the brand's domain; `null` for internal articles, which have no page. */
  url: httpsUrl.nullable(),
  /** The collection the article sits in, from the top; `null` for internal articles. */
  collection: z
    .strictObject({
      /** Folder names from the help-center root. Example: `['billing', 'payments']`. */
      path: z.array(z.string().min(1)).min(1),
      /** The name of each collection on the path, in the article's language. */
      names: z.array(z.string()),
    })
    .nullable(),
  /** The `internal/` folder an internal article sits in; `null` for every other article. */
  folder: z
    .strictObject({
      /** Folder names under `internal/`. Example: `['support-playbooks', 'refunds']`. */
      path: z.array(z.string().min(1)).min(1),
      /** Each folder on the path as its `_folder.yaml` names it (default: the folder's name). */
      names: z.array(
        z.strictObject({
          /** Name shown to teammates. Example: `Refund playbooks`. */
          name: z.string().min(1),
          /** Emoji shown beside the name, when given. Example: `💸`. */
          emoji: z.string().optional(),
        }),
      ),
    })
    .nullable(),
  /**
   * Who may read it: `public` (anyone), `private` (signed-in customers of its audiences, through
   * the gate), `internal` (teammates' assistants only; never published). The public feed holds
   * only `public`.
   */
  visibility: z.enum(['public', 'private', 'internal']),
  /** Always `published`: drafts are never in a feed. */
  state: z.literal('published'),
  /**
   * Which assistants may use it: the article's own `ai`, else its collection's or folder's
   * (nearest first), else `true`.
   */
  ai: z.strictObject({
    /** The customer-facing answer agent (Fin-like). */
    agent: z.boolean(),
    /** The teammate-facing assistant (Copilot-like). */
    copilot: z.boolean(),
  }),
  /** Keys of the audiences a private article is for (see the feed's `audiences`); `[]`: everyone. */
  audiences: z.array(z.string()),
  /** The author, when the article names one. */
  author: z
    .strictObject({
      /** Key in `authors.yaml`. Example: `jane`. */
      key: z.string().min(1),
      /** Name shown on articles. Example: `Jane Doe`. */
      name: z.string(),
    })
    .nullable(),
  /** Last change: the front matter's `updated`, else the last commit touching the file, else its mtime. ISO 8601. */
  updatedAt: z.iso.datetime(),
  /** Tags as written. */
  tags: z.array(z.string()),
  /** The other translations this same feed carries, by language → their page URL. */
  translations: z.record(language, httpsUrl),
  /** The body in three forms, with article links and images absolute on the brand's domain. */
  body: z.strictObject({
    /** The Markdown as written, without HTML comments. */
    markdown: z.string(),
    /** Plain text, for search and embeddings. */
    text: z.string(),
    /** HTML from the same pipeline as the pages, with plain `<img>` elements for images. */
    html: z.string(),
  }),
  /** `sha256:<hex>` of `body.markdown`: compare it to tell whether the text changed. */
  contentHash: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  /** The article as an Intercom external page. */
  intercom: feedIntercomPageSchema,
});

/** `knowledge.json`: one brand's articles for AI agents, public or full. */
export const knowledgeFeedSchema = z
  .strictObject({
    /** Format version: `1`. A change consumers must act on bumps it. */
    version: z.literal(1),
    /** When the newest article of the content last changed (its `updated`, ISO 8601): the same for every build of the same content. */
    generatedAt: z.iso.datetime(),
    /**
     * `public`: published public articles only, deployed at the brand's root. `full`: public,
     * private and internal articles, under `_export/`, never deployed.
     */
    scope: z.enum(['public', 'full']),
    /** The workspace (`workspace.yaml`). */
    workspace: z.strictObject({
      /** Workspace name. Example: `Acme Inc.` */
      name: z.string(),
    }),
    /** The brand whose site this feed describes. */
    brand: z.strictObject({
      /** Brand id (its file name under `brands/`). Example: `acme`. */
      id: z.string().min(1),
      /** Visible brand name. */
      name: z.string(),
      /** The site's origin. Example: `https://help.acme.test`. */
      url: httpsUrl,
      /** The brand's default language. */
      defaultLanguage: language,
      /** Every language the brand publishes, in the brand file's order. */
      languages: z.array(language),
    }),
    /** The audiences the feed's articles name, by key. */
    audiences: z.array(feedAudienceSchema),
    /** Every collection holding a feed article (with its parents), in site order. */
    collections: z.array(feedCollectionSchema),
    /**
     * The articles: help-center ones in site order of their collections, then internal ones in
     * folder order; within each, by id (code-unit order), then language in the brand's order.
     */
    articles: z.array(feedArticleSchema),
  })
  .meta({
    title: 'Signpost knowledge feed',
    description: 'One brand’s help-center articles for AI agents (knowledge.json, format version 1).',
  });

/** A whole `knowledge.json`. */
export type KnowledgeFeed = z.infer<typeof knowledgeFeedSchema>;
/** One article translation of a feed. */
export type FeedArticle = z.infer<typeof feedArticleSchema>;
/** One collection of a feed's `collections`. */
export type FeedCollection = z.infer<typeof feedCollectionSchema>;
/** One audience of a feed's `audiences`. */
export type FeedAudience = z.infer<typeof feedAudienceSchema>;

/** `knowledge.schema.json`: the feed's JSON Schema (draft 2020-12), generated, never hand-written. */
export function feedJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(knowledgeFeedSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
}
