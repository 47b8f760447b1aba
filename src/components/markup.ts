/** Stands for the markup in a translated sentence: `t('article.updated', { date: SLOT })`. */
export const SLOT = '\u0000';

import { escapeHtml } from '../output/escape.ts';

export { escapeHtml };

/**
 * A translated sentence with its `SLOT` replaced by markup (a `<time>`, a link), for `set:html`.
 * Word order stays the translator's ("Updated {date}", "更新日：{date}") and no whitespace is added
 * around the markup, which CJK text would show.
 */
export function fillSlot(sentence: string, markup: string): string {
  return sentence.split(SLOT).map(escapeHtml).join(markup);
}
