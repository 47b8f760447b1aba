import { localize } from '../../i18n/localize.ts';
import type { LocalizedText } from '../../schemas/index.ts';
import { mimeType } from '../../output/mime.ts';
import type { BrandContext } from '../context.ts';
import { urls } from '../layout.ts';
import type { BrandImages, BrandSite, Chrome, Link } from '../types.ts';

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

/** The brand's images, published under `/_brand/`. */
export function brandImages(ctx: BrandContext): BrandImages {
  const { assets } = ctx.brand;
  const images: BrandImages = {
    icon: ctx.publish(assets.icon, 'icon'),
    socialImage: ctx.publish(assets.socialImage, 'social'),
    headerLogo: ctx.publish(assets.headerLogo ?? assets.icon, 'logo'),
    footerLogo: ctx.publish(assets.footerLogo, 'footer-logo'),
    heroImage: ctx.publish(assets.heroImage, 'hero'),
  };
  const favicon = ctx.publish(assets.favicon, 'favicon');
  if (favicon) images.favicon = { href: favicon, type: mimeType(favicon) };
  return images;
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
      logoAlt: config.name,
    },
    footer: {
      template,
      columns,
      logo: template === 'simple' ? undefined : images.footerLogo,
      social: social.map((s) => ({ name: NETWORKS[s.network] ?? s.network, url: s.url })),
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
  return {
    searchBar,
    background: background?.color,
    textColor,
  };
}
