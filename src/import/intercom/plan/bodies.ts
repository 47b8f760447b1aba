import { convertBody } from '../html.ts';
import { articleFolder } from './articles.ts';
import { ImageNames, renameImages } from './images.ts';
import type { ResolverFor } from './links.ts';
import { audiencesOf, type Authors } from './people.ts';
import type { Body, PlacedArticle, Planning } from './types.ts';

/**
 * Article bodies, converted at plan time so the images are known before `render`: each
 * translation's HTML becomes Markdown (`html.ts`), its images get their file names (one per image
 * across the article's translations), and its author and audiences are looked up.
 */

/** Every translation's body, each article's default translation first. */
export function convertBodies(
  articles: PlacedArticle[],
  lookups: { resolverFor: ResolverFor; authors: Authors },
  planning: Planning,
): Body[] {
  const bodies: Body[] = [];
  for (const a of articles) {
    const folder = articleFolder(a);
    // One name per image across the article's translations, the one it had last time if any.
    const names = new ImageNames(a.id, folder, planning.previousImages);
    const primaryFirst = [...a.translations].sort(
      (x, y) => Number(y.locale === a.source.default_locale) - Number(x.locale === a.source.default_locale),
    );
    for (const t of primaryFirst) {
      const converted = convertBody(t.content.body ?? '', {
        resolveLink: lookups.resolverFor(a.helpCenter, t.language),
        lang: t.language,
        imagePrefix: a.id,
      });
      const file = `${folder}/${a.id}.${t.language}.${converted.mdx ? 'mdx' : 'md'}`;
      for (const line of converted.warnings) planning.warn(`${file}: ${line}`);
      const renamed = new Map<string, string>();
      const images = new Map<string, string>();
      for (const image of converted.images) {
        const name = names.nameFor(image.url, image.name);
        renamed.set(image.name, name);
        images.set(name, image.url);
        planning.images.want(`${folder}/${name}`, image.url, file);
      }
      const markdown = renameImages(converted.markdown, renamed);
      const author = lookups.authors.keyOf(t.content.author_id ?? a.source.author_id, file);
      bodies.push({
        article: a,
        translation: t,
        converted,
        markdown,
        images,
        file,
        author,
        audiences: audiencesOf(t, a),
      });
    }
  }
  return bodies;
}
