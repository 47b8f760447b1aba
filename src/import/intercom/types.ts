/**
 * What an Intercom export holds: the REST API's list items (Intercom-Version 2.16, shapes in
 * `shared/intercom/openapi-2.16-help-center.yaml`), gathered from every page. Both sources give
 * this: `--from FILE|DIR` (the API's JSON list responses saved as they came) and `--from-api`.
 * Only the fields the importer reads are typed; the rest are kept as they came.
 */

/** `help_center` */
export interface IntercomHelpCenter {
  id: string;
  identifier?: string;
  display_name?: string;
  url?: string;
  custom_domain?: string | null;
  default?: boolean;
  website_turned_on?: boolean;
  locales?: string[];
  [field: string]: unknown;
}

/** `group_content`: a collection's name and description in one locale. */
export interface IntercomGroupContent {
  name?: string;
  description?: string;
  [field: string]: unknown;
}

/** `collection` */
export interface IntercomCollection {
  id: string;
  name?: string;
  description?: string | null;
  url?: string | null;
  icon?: string | null;
  order?: number;
  default_locale?: string;
  /** Locale code → content, plus `type`. */
  translated_content?: Record<string, IntercomGroupContent | string | null> | null;
  parent_id?: string | null;
  help_center_id?: number | string | null;
  created_at?: number;
  updated_at?: number;
  [field: string]: unknown;
}

/** `article_content`: one translation of an article. */
export interface IntercomArticleContent {
  title?: string;
  description?: string;
  body?: string;
  author_id?: number | string;
  state?: 'published' | 'draft';
  created_at?: number;
  updated_at?: number;
  url?: string;
  audience_ids?: number[] | null;
  ai_chatbot_availability?: boolean;
  ai_copilot_availability?: boolean;
  [field: string]: unknown;
}

/** `article_list_item` */
export interface IntercomArticle {
  id: string;
  title?: string;
  description?: string | null;
  body?: string | null;
  author_id?: number | string;
  state?: 'published' | 'draft';
  created_at?: number;
  updated_at?: number;
  url?: string | null;
  /** Collection ids (numbers in the description's examples; strings seen too). */
  parent_ids?: (number | string)[];
  ai_chatbot_availability?: boolean;
  ai_copilot_availability?: boolean;
  help_center_audience?:
    'everyone' | 'all_users' | 'all_visitors' | 'all_leads' | 'all_visitors_and_leads' | 'restricted' | null;
  default_locale?: string;
  /** Locale code → translation, plus `type`. */
  translated_content?: Record<string, IntercomArticleContent | string | null> | null;
  tags?: { type?: string; tags?: { id?: string; name: string }[] } | null;
  [field: string]: unknown;
}

/** `admin` */
export interface IntercomAdmin {
  id: string;
  name?: string;
  email?: string;
  job_title?: string;
  avatar?: string | null;
  [field: string]: unknown;
}

/** `help_center_redirect` */
export interface IntercomRedirect {
  id: string;
  from_url: string;
  locale?: string;
  help_center_id?: string;
  target_type: 'article' | 'collection';
  target_id: string;
  [field: string]: unknown;
}

/** Everything one import reads, from either source. */
export interface IntercomExport {
  helpCenters: IntercomHelpCenter[];
  collections: IntercomCollection[];
  articles: IntercomArticle[];
  admins: IntercomAdmin[];
  redirects: IntercomRedirect[];
}

/** What turning one article translation's HTML into Markdown gives (`html.ts`). */
export interface ConvertedBody {
  /** GFM Markdown, with Signpost's alerts, id links and the video component. */
  markdown: string;
  /** True when the body needs MDX (it uses a component, e.g. the video): write `.mdx`. */
  mdx: boolean;
  /** Each image the body shows, in order: its URL as written, and the name the Markdown uses for it. */
  images: { url: string; name: string }[];
  /** What could not be kept as it was, one line each: `what, what to do`. */
  warnings: string[];
}

/** How the converter learns where Intercom links point. */
export interface LinkResolver {
  /**
   * An `href` to an Intercom article or collection (`…/articles/123-slug#h_ab12`), or undefined
   * for any other link: `{ kind, id }` where `id` is the Signpost id the importer gives it.
   */
  (href: string): { kind: 'article' | 'collection'; id: string; lang?: string } | undefined;
}
