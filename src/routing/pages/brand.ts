import { faviconPng, icoOf } from '../../content/favicon-set.ts';
import type { CheckedImage } from '../../content/brand-images.ts';
import {
  loadFont,
  makeSubset,
  preloadRangesOf,
  rangesOf,
  subsetName,
  subsetPoints,
  unicodeRangeOf,
} from '../../content/fonts.ts';
import { focusPosition, heroPictures } from '../../content/hero-image.ts';
import { localize } from '../../i18n/localize.ts';
import type { LocalizedText } from '../../schemas/index.ts';
import type { BrandContext } from '../context.ts';
import { LOGO_HEIGHT, urls } from '../layout.ts';
import type { BrandFonts, BrandImages, BrandSite, Chrome, FontFaceRule, Link } from '../types.ts';

/** Display names of the social networks a footer links to. */
const NETWORKS: Record<string, string> = {
  facebook: 'Facebook',
  x: 'X',
  twitter: 'Twitter',
  linkedin: 'LinkedIn',
  instagram: 'Instagram',
  youtube: 'YouTube',
  github: 'GitHub',
  tiktok: 'TikTok',
  discord: 'Discord',
  slack: 'Slack',
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
  threads: 'Threads',
  reddit: 'Reddit',
  medium: 'Medium',
  rss: 'RSS',
};

/** Sizes of the generated favicon set: the ICO's and PNG favicon, Apple's touch icon, the manifest's. */
const ICON_SIZES = { favicon: 32, appleTouch: 180, manifest: [192, 512] } as const;

/** The brand's images, published under `/_brand/`, and its generated favicon set and manifest. */
export function brandImages(ctx: BrandContext): BrandImages {
  const { assets } = ctx.brand;
  const { socialImage } = assets;
  return {
    icon: ctx.publish(assets.icon, 'icon'),
    icons: brandIcons(ctx),
    socialImage: ctx.publish(socialImage, 'social'),
    socialImageSize:
      socialImage?.width && socialImage.height
        ? { width: socialImage.width, height: socialImage.height }
        : undefined,
    headerLogo: ctx.publish(assets.headerLogo ?? assets.icon, 'logo'),
    footerLogo: ctx.publish(assets.footerLogo, 'footer-logo'),
    headerLogoWidth: logoWidth(assets.headerLogo ?? assets.icon),
    footerLogoWidth: logoWidth(assets.footerLogo),
  };
}

/** A logo's `width` attribute at `LOGO_HEIGHT`, from its ratio (square when sharp could not tell). */
function logoWidth(image: CheckedImage | undefined): number {
  return Math.max(1, Math.round(LOGO_HEIGHT * (image?.ratio ?? 1)));
}

/**
 * The theme's fonts. A font file is cut into the unicode ranges the brand's languages need (see
 * `content/fonts.ts`), each subset published under its content-hashed name and made when the build
 * writes the site, once per file and range however many brands use it; one `@font-face` per
 * subset. Each language preloads the body font's files for its main script (at most two).
 */
export function brandFonts(ctx: BrandContext): BrandFonts {
  const { heading, body } = ctx.brand.theme.theme.fonts;
  const ranges = [...new Set(ctx.brand.languages.flatMap(rangesOf))];
  const faces: FontFaceRule[] = [];
  /** The URL of each published subset of the body's regular file, by range. */
  const bodyFiles = new Map<string, string>();
  for (const font of [heading, body]) {
    if (typeof font === 'string') continue;
    for (const file of [font.src, font.bold]) {
      if (!file) continue;
      const checked = loadFont(file);
      for (const range of ranges) {
        const points = subsetPoints(checked, range);
        if (!points.length) continue;
        const url = ctx.publishGenerated(urls.fontFile(subsetName(checked, range)), () =>
          makeSubset(checked, range, points),
        );
        if (font === body && file === font.src) bodyFiles.set(range, url);
        if (faces.some((face) => face.family === font.family && face.url === url)) continue;
        const { weight, style } = checked;
        faces.push({ family: font.family, url, weight, style, unicodeRange: unicodeRangeOf(range, points) });
      }
    }
  }
  const stack = (font: typeof body) =>
    typeof font === 'string' ? font : `"${font.family.replace(/["\\]/g, '')}", ${font.fallback}`;
  return {
    heading: stack(heading),
    body: stack(body),
    faces,
    preload: Object.fromEntries(
      ctx.brand.languages.map((lang) => [
        lang,
        preloadRangesOf(lang).flatMap((range) => bodyFiles.get(range) ?? []),
      ]),
    ),
  };
}

/**
 * The favicon set, drawn with sharp from one source when the build writes the site: the brand's
 * `favicon`, else its `icon`, else a neutral default, so `/favicon.ico` exists at every brand root
 * and browsers never log a 404 for it. The manifest's colours are the brand's resolved theme
 * (`styling` applied): `theme_color` the header, `background_color` the page.
 */
function brandIcons(ctx: BrandContext): BrandImages['icons'] {
  const { assets, config, theme } = ctx.brand;
  const source = assets.favicon ?? assets.icon;
  const { background, headerBackground } = theme.theme.colors;
  const png = (size: number, opaque?: string) => () => faviconPng(source, size, opaque);
  const size = ICON_SIZES.favicon;
  const manifestIcons = ICON_SIZES.manifest.map((px) => ({
    src: ctx.publishGenerated(urls.manifestIcon(px), png(px)),
    sizes: `${px}x${px}`,
    type: 'image/png',
  }));
  const manifest = {
    name: config.name,
    // Home screens cut labels at about 12 characters; a longer name is better cut at a word.
    short_name: shortName(config.name),
    start_url: urls.root(),
    display: 'browser',
    icons: manifestIcons,
    theme_color: headerBackground,
    background_color: background,
  };
  return {
    ico: ctx.publishGenerated(urls.favicon(), async () => icoOf(await faviconPng(source, size), size)),
    png32: ctx.publishGenerated(urls.faviconPng(size), png(size)),
    appleTouch: ctx.publishGenerated(urls.appleTouchIcon(), png(ICON_SIZES.appleTouch, background)),
    manifest: ctx.publishGenerated(urls.webManifest(), async () =>
      new TextEncoder().encode(JSON.stringify(manifest, null, 2) + '\n'),
    ),
  };
}

/** The brand name, or its first word when it is longer than a home-screen label shows. */
function shortName(name: string): string {
  return name.length <= 12 ? name : (name.split(/\s+/)[0] ?? name).slice(0, 12);
}

/** Header, footer and search settings of the brand in one language, brand-file text localized. */
export function brandChrome(ctx: BrandContext, images: BrandImages, lang: string): Chrome {
  const { config, defaultLanguage } = ctx.brand;
  const text = (value: LocalizedText | undefined) => localize(value, lang, defaultLanguage);
  const toLink = (l: { label: LocalizedText; url: string }): Link => ({
    label: text(l.label) ?? '',
    href: l.url,
  });
  const { template, links, social, poweredBy } = config.footer;

  // Single links are one row without a heading; `multi-level` also shows each group as a column.
  // `check` refuses groups in the other templates and a logo in `simple`, so what the brand file
  // sets is what the footer shows.
  const loose = links.flatMap((l) => ('url' in l ? [toLink(l)] : []));
  const groups = links.flatMap((l) =>
    'links' in l ? [{ label: text(l.label) ?? '', links: l.links.map(toLink) }] : [],
  );
  const columns = [...(loose.length ? [{ label: '', links: loose }] : []), ...groups];

  return {
    header: {
      title: text(config.header.title) ?? config.name,
      home: urls.home(lang),
      links: config.header.links.slice(0, 3).map((l) => ({ label: text(l.label) ?? l.url, href: l.url })),
      logo: images.headerLogo,
      logoWidth: images.headerLogoWidth,
      logoAlt: config.name,
    },
    footer: {
      template,
      columns,
      logo: template === 'simple' ? undefined : images.footerLogo,
      logoWidth: images.footerLogoWidth,
      social: social.map((s) => ({ network: s.network, name: NETWORKS[s.network] ?? s.network, url: s.url })),
      poweredBy,
      cookieSettings: config.analytics?.consent === 'required',
    },
    search: {
      action: urls.search(lang),
      tickets: config.home.sections.find((s) => s.type === 'tickets')?.url,
      ga4: !!config.analytics,
    },
    analytics: config.analytics && { ga4: config.analytics.ga4, consent: config.analytics.consent },
  };
}

/** The hero's own design tokens (the theme has the rest). */
export function brandHero(ctx: BrandContext): BrandSite['hero'] {
  const { background, textColor, searchBar } = ctx.brand.config.hero;
  const picture = ctx.brand.assets.heroImage;
  const focus = background?.focus ?? { x: 50, y: 50 };
  const made = picture && heroPictures(picture, focus);
  return {
    searchBar,
    background: background?.color,
    textColor,
    image: made && {
      wide: ctx.publishGenerated(urls.brandFile('hero', '.webp'), made.wide),
      narrow: ctx.publishGenerated(urls.brandFile('hero-narrow', '.webp'), made.narrow),
      position: focusPosition(focus),
    },
  };
}
