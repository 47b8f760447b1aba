import { z } from 'zod';
import { hexColor, hostName, httpUrl, languageTag, linkUrl, localizedText, relativePath } from './common.ts';

const link = z.strictObject({
  /** Visible text, a string or per language. */
  label: localizedText,
  /** Where it goes: an http(s) URL, `mailto:`, `tel:` or a path on this site. Example: `https://acme.com/pricing`. */
  url: linkUrl,
});

const socialNetworks = [
  'facebook',
  'x',
  'twitter',
  'linkedin',
  'instagram',
  'youtube',
  'github',
  'tiktok',
  'discord',
  'slack',
  'mastodon',
  'bluesky',
  'threads',
  'reddit',
  'medium',
  'rss',
] as const;

const jwtSchema = z
  .strictObject({
    /** Name of the environment variable holding the HS256 shared secret (never the secret itself). Example: `ACME_JWT_SECRET`. */
    secretEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, { error: 'expected an environment variable name such as ACME_JWT_SECRET' })
      .optional(),
    /** PEM public key (RS256/ES256/EdDSA) that verifies the token. */
    publicKey: z
      .string()
      .includes('BEGIN PUBLIC KEY', { error: 'expected a PEM public key (-----BEGIN PUBLIC KEY-----)' })
      .optional(),
    /** URL of the customer app's JSON Web Key Set. */
    jwksUrl: httpUrl.optional(),
    /** Required `iss` claim. */
    issuer: z.string().optional(),
    /** Required `aud` claim. */
    audience: z.string().optional(),
    /** Accepted algorithms. Default: `[HS256]` with `secretEnv`; with a public key, those its key type verifies (RSA: RS256–RS512, PS256; EC: ES256/ES384; Ed25519: EdDSA); with a JWKS, every public-key algorithm. HS* with a public key and `none` are never accepted. */
    algorithms: z
      .array(
        z.enum(['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA']),
      )
      .min(1)
      .optional(),
  })
  .refine((jwt) => [jwt.secretEnv, jwt.publicKey, jwt.jwksUrl].filter(Boolean).length === 1, {
    error: 'set exactly one of secretEnv, publicKey or jwksUrl',
  });

const homeSection = z.discriminatedUnion('type', [
  z.strictObject({
    /** The collection cards. */
    type: z.literal('collections'),
    /** Heading above the section, a string or per language. */
    title: localizedText.optional(),
  }),
  z.strictObject({
    /** Featured articles. */
    type: z.literal('articles'),
    title: localizedText.optional(),
    /** Ids of the featured articles, in order (at most 6). */
    ids: z.array(z.string()).min(1).max(6, { error: 'at most 6 featured articles' }),
  }),
  z.strictObject({
    /** A block of Markdown. */
    type: z.literal('content'),
    title: localizedText.optional(),
    /** Markdown, a string or per language. */
    markdown: localizedText,
  }),
  z.strictObject({
    /** A call to action linking to the ticket portal. */
    type: z.literal('tickets'),
    title: localizedText.optional(),
    /** URL of the ticket portal: http(s) or a path on this site. Example: `https://app.acme.com/support/new`. */
    url: linkUrl,
  }),
]);

/** `content/brands/<brand>.yaml`: one brand, built into one site. */
export const brandSchema = z.strictObject({
  /** Visible brand name (header, titles, emails). Example: `Acme`. */
  name: z.string().min(1),
  /** Id of a folder under `content/help-centers/`. Several brands may share one. Example: `main`. */
  helpCenter: z.string().min(1),
  /** Name of a file under `themes/` (without `.yaml`). Default: `default`. */
  theme: z.string().min(1).default('default'),
  /** Brand icon: PNG or JPEG, square (72×72 ideal), under 1 MB; a file in the brands folder, relative to this file. */
  icon: relativePath.optional(),
  /** Favicon: PNG, JPEG or SVG (published as PNG), 1:1, at most 150 KB; relative to this file. */
  favicon: relativePath.optional(),
  /** Open Graph / Twitter card image: PNG or JPEG, 1.91:1 (1200×628 ideal), at most 2 MB; relative to this file. */
  socialImage: relativePath.optional(),
  /**
   * Styling that overrides the brand's theme without a theme file of its own (Intercom's styling
   * panel). Unset keys keep the theme's value. Example: `{ background: "#fffdf7", action: "#b4231f" }`.
   */
  styling: z
    .strictObject({
      /** Page background, hex. Default: the theme's `colors.background`. Example: `#fffdf7`. */
      background: hexColor.optional(),
      /** Links, buttons and focus rings, hex. Default: the theme's `colors.action`. Example: `#b4231f`. */
      action: hexColor.optional(),
      /** Header background, hex (also the web manifest's `theme_color`). Default: the theme's `colors.headerBackground`. */
      headerBackground: hexColor.optional(),
      /** Header text, hex. Default: the theme's `colors.headerText`. */
      headerText: hexColor.optional(),
      /** Corner radius of cards, buttons and inputs, in pixels (0–32). Default: the theme's `cornerRadius`. */
      cornerRadius: z.number().min(0).max(32).optional(),
      /** Collection cards on the home page: `classic`, `visual` (large icons) or `compact`. Default: the theme's `collectionCards`. */
      collectionCards: z.enum(['classic', 'visual', 'compact']).optional(),
      /** Show collection and article descriptions in listings. Default: the theme's `showDescriptions`. */
      showDescriptions: z.boolean().optional(),
      /** Typefaces as CSS font stacks (font files belong in a theme). Default: the theme's `fonts`. */
      fonts: z
        .strictObject({
          /** Headings: a CSS font stack, or (in a theme) a font file. Example: `Georgia, serif`. */
          heading: z.string().min(1).optional(),
          /** Body text: a CSS font stack, or (in a theme) a font file. Example: `"Helvetica Neue", Arial, sans-serif`. */
          body: z.string().min(1).optional(),
        })
        .optional(),
    })
    .optional(),
  /** Custom domain. Default: `<brand>.<workspace domain>`. Example: `help.acme.com`. */
  domain: hostName.optional(),
  /** Languages this site publishes, a subset of the workspace's. Default: all workspace languages. */
  languages: z.array(languageTag).min(1).optional(),
  /** Language visitors get when theirs is not published. Default: the workspace's default language. */
  defaultLanguage: languageTag.optional(),
  /** Let search engines index the site. `false` → `noindex` on every page and `Disallow: /`. Default: `true`. */
  indexing: z.boolean().default(true),
  /** Google Analytics 4. Absent → no analytics code at all. */
  analytics: z
    .strictObject({
      /** GA4 measurement id. Example: `G-ABC123XYZ`. */
      ga4: z.string().regex(/^G-[A-Z0-9]{4,14}$/, {
        error:
          'expected a GA4 measurement id such as G-ABC123XYZ (Universal Analytics UA- ids no longer work)',
      }),
      /** `required` (default): nothing loads from Google before the visitor agrees; `implied`: loads at once. */
      consent: z.enum(['required', 'implied']).default('required'),
    })
    .optional(),
  /** "Was this helpful?" reactions. */
  reactions: z
    .strictObject({
      /** URL that receives each reaction as a POST beacon: JSON `{ brand, article, language, reaction }` (`negative` \| `neutral` \| `positive`), sent as `text/plain` so no CORS preflight is needed. */
      endpoint: httpUrl.optional(),
    })
    .optional(),
  /** Private articles (logged-in customers only). */
  privacy: z
    .strictObject({
      /** Where to send visitors to log in; `{returnTo}` is replaced by the page they asked for. Example: `https://app.acme.com/login?return_to={returnTo}`. */
      loginUrl: z.string().regex(/^https?:\/\/[^\s]+$/, {
        error: 'expected an http(s) URL; {returnTo} is replaced by the requested page',
      }),
      /** How the gate verifies the identity token the customer's app sends back. */
      jwt: jwtSchema,
      /** The gate's own session, issued once the token checks out. */
      session: z
        .strictObject({
          /** How long a visitor stays signed in, in seconds. Default: `43200` (12 hours). Example: `3600`. */
          maxAge: z.number().int().min(60).max(2_592_000).default(43_200),
        })
        .prefault({}),
    })
    .optional(),
  /** The header bar. */
  header: z
    .strictObject({
      /** Logo: PNG, JPEG, WebP or SVG (published as PNG), relative to this file. Default: `icon`. */
      logo: relativePath.optional(),
      /** Text beside the logo, a string or per language. Default: `name`. */
      title: localizedText.optional(),
      /** Up to 3 links on the right, e.g. back to the product. */
      links: z
        .array(link)
        .max(3, { error: 'at most 3 header links; move the rest to the footer' })
        .default([]),
    })
    .prefault({}),
  /** The home page's hero. */
  hero: z
    .strictObject({
      /** Welcome line above the search bar, a string or per language. Default: "How can we help?" in the page's language. */
      welcome: localizedText.optional(),
      /**
       * Background: a colour, an image, or both (the colour shows under the image's transparent
       * parts and until it loads). Example: `{ color: "#0847a0" }`. Default: the theme's header colour.
       */
      background: z
        .strictObject({
          /** Hex colour. */
          color: hexColor.optional(),
          /** PNG, JPEG, WebP or SVG, relative to this file; published as WebP, whole for desktops and cut around `focus` for phones. */
          image: relativePath.optional(),
          /** The image's subject, in percent from its top left corner: kept in view at every screen width. Default: the centre. Example: `{ x: 70, y: 40 }`. */
          focus: z
            .strictObject({
              /** Percent of the width, 0–100. */
              x: z.number().min(0).max(100),
              /** Percent of the height, 0–100. */
              y: z.number().min(0).max(100),
            })
            .optional(),
        })
        .refine((b) => b.color !== undefined || b.image !== undefined, {
          error: 'set color, image or both; or remove background to use the theme header colour',
        })
        .optional(),
      /** Colour of the welcome text. Default: the theme's header text colour. */
      textColor: hexColor.optional(),
      /** Width of the search bar: `short`, `medium` or `long`. Default: `medium`. */
      searchBar: z.enum(['short', 'medium', 'long']).default('medium'),
    })
    .prefault({}),
  /** The home page, below the hero. */
  home: z
    .strictObject({
      /** Ordered sections: `collections`, `articles` (featured ids), `content` (Markdown), `tickets` (portal link). Default: collections only. */
      sections: z.array(homeSection).default([{ type: 'collections' }]),
    })
    .prefault({}),
  /** The footer. */
  footer: z
    .strictObject({
      /**
       * Layout: `simple` (one row of links, social profiles and "Powered by"; no logo), `classic` (logo, one
       * row of links, social profiles) or `multi-level` (logo, link groups as columns, social profiles).
       * Default: `classic`.
       */
      template: z.enum(['simple', 'classic', 'multi-level']).default('classic'),
      /** Logo (`classic` and `multi-level`): PNG, JPEG, WebP or SVG (published as PNG), relative to this file. */
      logo: relativePath.optional(),
      /** Up to 16 social profiles: `{ network, url }`; network is one of facebook, x, linkedin, instagram, youtube, github, …. */
      social: z
        .array(
          z.strictObject({
            /** Network name. */ network: z.enum(socialNetworks),
            /** Profile URL: http(s), or a path on this site (an RSS feed). */ url: linkUrl,
          }),
        )
        .max(16, { error: 'at most 16 social links' })
        .default([]),
      /** Footer links `{ label, url }`; with `multi-level`, also groups `{ label, links: [...] }`, one column each. */
      links: z
        .array(
          z.union([
            link,
            z.strictObject({
              /** Group heading. */ label: localizedText,
              /** Links in the group. */ links: z.array(link),
            }),
          ]),
        )
        .default([]),
      /** Show "Powered by Signpost". Default: `true`. */
      poweredBy: z.boolean().default(true),
    })
    .prefault({}),
});
export type BrandConfig = z.infer<typeof brandSchema>;
export type BrandInput = z.input<typeof brandSchema>;
export type HomeSection = z.infer<typeof homeSection>;
