import { urls } from '../../../routing/layout.ts';
import { rewriteAnchors } from '../html.ts';
import type { LinkResolver } from '../types.ts';
import { languageOf } from './languages.ts';
import type { Body, PlacedArticle, PlacedHelpCenter, Places, Planning } from './types.ts';

/**
 * Links between articles: an Intercom address of an article in the same help center becomes a
 * link by Signpost id (published articles only), one of a collection becomes its page's URL, and a
 * link to another article's heading follows that heading's new anchor.
 */

/** The converter's link resolver for a translation in `language` of an article in `hc`. */
export type ResolverFor = (hc: PlacedHelpCenter, language: string) => LinkResolver;

export function linkResolver({ helpCenters, collections, articles }: Places): ResolverFor {
  const hosts = new Set(
    [...helpCenters.byId.values()]
      .flatMap((h) => [h.host, h.source.custom_domain ?? undefined])
      .filter(Boolean),
  );
  return (hc, language) => (href) => {
    const target = intercomTarget(href, hosts);
    if (!target) return undefined;
    const lang = target.locale ? languageOf(target.locale) : undefined;
    if (target.kind === 'collection') {
      // A collection has no id to link by: its page in the linking article's language.
      const collection = collections.byId.get(target.id);
      return collection && collection.helpCenter === hc
        ? { kind: 'collection', id: urls.collection(language, collection.path.split('/')) }
        : undefined;
    }
    const article = articles.find((a) => a.source.id === target.id && a.helpCenter === hc);
    if (!article?.translations.some((t) => (t.content.state ?? article.source.state) === 'published'))
      return undefined;
    return { kind: 'article', id: article.id, ...(lang ? { lang } : {}) };
  };
}

/**
 * Links to a heading of another article (`#h_2f1e6b3c9a`) follow that heading's new anchor, in
 * the language the link leads to (the linking article's, else the target's default).
 */
export function followHeadingLinks(bodies: Body[], articles: PlacedArticle[], planning: Planning): void {
  const headingsIn = new Map<string, Map<string, Record<string, string>>>();
  for (const b of bodies) {
    const byId = headingsIn.get(b.translation.language) ?? new Map<string, Record<string, string>>();
    byId.set(b.article.id, b.converted.headingIds);
    headingsIn.set(b.translation.language, byId);
  }
  for (const b of bodies) {
    const headings = new Map<string, Record<string, string>>();
    for (const link of b.converted.anchorLinks) {
      const target = articles.find((a) => a.id === link.article && a.helpCenter === b.article.helpCenter);
      const fallback = target?.translations.find((t) => t.locale === target.source.default_locale)?.language;
      const found =
        headingsIn.get(b.translation.language)?.get(link.article) ??
        (fallback ? headingsIn.get(fallback)?.get(link.article) : undefined);
      if (found) headings.set(link.article, found);
    }
    if (!headings.size) continue;
    const rewritten = rewriteAnchors(b.markdown, headings);
    b.markdown = rewritten.markdown;
    for (const line of rewritten.warnings) planning.warn(`${b.file}: ${line}`);
  }
}

/** An Intercom article or collection address: `…/<locale>/articles/<id>-<slug>`. */
function intercomTarget(
  href: string,
  hosts: Set<string | undefined>,
): { kind: 'article' | 'collection'; id: string; locale?: string } | undefined {
  const url = URL.parse(href, 'https://help-center.invalid');
  if (!url) return undefined;
  if (url.host !== 'help-center.invalid' && url.host !== 'intercom.help' && !hosts.has(url.host))
    return undefined;
  const match = /(?:\/([a-z]{2,3}(?:-[a-z0-9]{2,8})*))?\/(articles|collections)\/(\d+)(?:-[^/]*)?\/?$/i.exec(
    url.pathname,
  );
  if (!match) return undefined;
  return {
    kind: match[2] === 'articles' ? 'article' : 'collection',
    id: match[3]!,
    ...(match[1] ? { locale: match[1] } : {}),
  };
}
