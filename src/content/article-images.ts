import type { Model } from './model.ts';
import type { Problems } from './problems.ts';
import { imageMemo } from './image-memo.ts';

/**
 * Reads every article image with sharp, as the build's image pipeline will: a file whose first
 * bytes look like an image (`links.ts` sniffs them while resolving references) but that sharp
 * cannot decode is an error at each line that names it, and is dropped from the article, so the
 * page shows the image's alt text instead of a broken image. Each file is read once however many
 * articles show it; only its header is decoded; and not at all where the last build read it as it
 * is (`imageMemo`).
 */
export async function checkArticleImages(model: Model, problems: Problems): Promise<void> {
  const articles = [...model.helpCenters.values(), model.internal].flatMap((tree) =>
    [...tree.articles.values()].flatMap((group) => [...group.translations.values()]),
  );
  const files = new Set(articles.flatMap((article) => article.images.map((image) => image.file)));
  const unreadable = new Set<string>();
  await Promise.all(
    [...files].map(async (file) => {
      if (!(await imageMemo.readable(file))) unreadable.add(file);
    }),
  );
  if (!unreadable.size) return;
  for (const article of articles)
    article.images = article.images.filter((image) => {
      if (!unreadable.has(image.file)) return true;
      problems.error(
        article.file,
        image.line,
        `image "${image.src}" cannot be read as an image (sharp could not decode it); export it again as PNG, JPEG, WebP or AVIF`,
      );
      return false;
    });
}
