import type { Kept } from '../content/load-cache.ts';
import type { Article, ArticleGroup } from '../content/model.ts';

/** Words too common to say two articles are related. */
const STOP = new Set([
  'the',
  'and',
  'for',
  'with',
  'your',
  'how',
  'what',
  'der',
  'die',
  'das',
  'und',
  'les',
  'des',
  'pour',
]);

function terms(article: Article): Set<string> {
  const words = `${article.title} ${article.tags.join(' ')}`
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 2 && !STOP.has(w));
  return new Set([...words, ...article.tags.map((t) => `#${t.toLowerCase()}`)]);
}

/** Where related articles computed by a previous build are kept (the load cache). */
export interface RelatedCache {
  related(inputs: string): Kept<[id: string, related: string[]][]>;
}

/**
 * `computeRelated`, or what a previous build computed from the very same inputs (`cache`): each
 * candidate's id, title, tags and collection, in order, the count, and the collator's locale and
 * options (ties go to the title first, in its order). An edit of an article's body or front
 * matter that leaves those as they were computes nothing.
 */
export function relatedArticles(
  candidates: { group: ArticleGroup; article: Article }[],
  limit: number,
  cache?: RelatedCache,
): Map<string, string[]> {
  if (!cache) return computeRelated(candidates, limit);
  const inputs = JSON.stringify([
    new Intl.Collator().resolvedOptions(),
    limit,
    candidates.map(({ group, article }) => [
      group.id,
      article.title,
      article.tags,
      group.collection?.path ?? null,
    ]),
  ]);
  const kept = cache.related(inputs);
  if (kept.value) return new Map(kept.value);
  const computed = computeRelated(candidates, limit);
  kept.keep([...computed]);
  return computed;
}

/**
 * Computed related articles for every candidate in one language: same collection first, then
 * shared title words and tags. An inverted index keeps it near-linear on large help centers.
 */
export function computeRelated(
  candidates: { group: ArticleGroup; article: Article }[],
  limit: number,
): Map<string, string[]> {
  const index = new Map<string, number[]>();
  const termSets = candidates.map(({ article }) => terms(article));
  const push = <K>(map: Map<K, number[]>, key: K, i: number) => {
    const list = map.get(key);
    if (list) list.push(i);
    else map.set(key, [i]);
  };
  termSets.forEach((set, i) => set.forEach((term) => push(index, term, i)));
  const byCollection = new Map<unknown, number[]>();
  candidates.forEach(({ group }, i) => push(byCollection, group.collection, i));
  // Ties go to the title first in the locale's order. Each title's place in that order, computed
  // once, orders them as `localeCompare` would (equal titles share a place) without comparing
  // strings for every pair of every article's candidates: that was a fifth of the route data's
  // time at 3,000 pages.
  const collator = new Intl.Collator();
  const byTitle = candidates.map((_, i) => i);
  byTitle.sort((a, b) => collator.compare(candidates[a]!.article.title, candidates[b]!.article.title));
  const place = new Array<number>(candidates.length);
  byTitle.forEach((i, k) => {
    const previous = byTitle[k - 1];
    place[i] =
      previous !== undefined &&
      collator.compare(candidates[previous]!.article.title, candidates[i]!.article.title) === 0
        ? place[previous]!
        : k;
  });

  const result = new Map<string, string[]>();
  // Scores by candidate, and the candidates scored, in the order first scored: reset after each
  // article. Arrays rather than a map per article, and the best few kept as they come rather than
  // every scored candidate sorted (hundreds, for a few): ~0.2 s of a 1,000 × 3 build's route data.
  const scores = new Int32Array(candidates.length);
  const scored: number[] = [];
  const score = (j: number, points: number) => {
    if (scores[j] === 0) scored.push(j);
    scores[j]! += points;
  };
  // Better: a higher score, then an earlier title, then scored first.
  const better = (a: number, b: number) =>
    scores[a]! !== scores[b]! ? scores[a]! > scores[b]! : place[a]! < place[b]!;
  candidates.forEach(({ group }, i) => {
    for (const term of termSets[i]!) {
      const holders = index.get(term)!;
      if (holders.length > 200) continue; // a word on every page says nothing
      for (const j of holders) if (j !== i) score(j, 1);
    }
    for (const j of byCollection.get(group.collection) ?? []) if (j !== i) score(j, 2);
    const best: number[] = [];
    if (limit > 0)
      for (const j of scored) {
        if (best.length === limit && !better(j, best[limit - 1]!)) continue;
        let at = best.length;
        while (at > 0 && better(j, best[at - 1]!)) at--;
        best.splice(at, 0, j);
        if (best.length > limit) best.pop();
      }
    result.set(
      group.id,
      best.map((j) => candidates[j]!.group.id),
    );
    for (const j of scored) scores[j] = 0;
    scored.length = 0;
  });
  return result;
}
