// @ts-check
/**
 * "Was this helpful?" on an article page: reveals the question `Reactions.astro` rendered hidden
 * (without JavaScript there is nothing they could do), and on the first press sends the reaction
 * as a GA4 event (through `window.gtag`, which exists only once analytics may run) and as a
 * beacon to the brand's `reactions.endpoint`. The page never navigates, a second press counts
 * nothing, and the form's live status says the reaction was received. Imported by
 * `Analytics.astro`'s loader with the brand's settings the build wrote there (the endpoint is never
 * read from the markup); the article is the question's `data-sp-article`, the language `<html lang>`.
 */

/**
 * @typedef {{ brand: string; endpoint?: string }} Setup
 */

/** @param {Setup} setup */
export function start(setup) {
  // Ours is outside the article's content, whatever markup the content holds.
  const form = [...document.querySelectorAll('[data-sp-reactions]')].find((f) => !f.closest('.prose'));
  const article = form instanceof HTMLElement ? form.dataset.spArticle : undefined;
  if (!(form instanceof HTMLElement) || !article || !setup) return;
  const { endpoint, brand } = setup;
  const language = document.documentElement.lang;
  const buttons = [...form.querySelectorAll('button[data-sp-reaction]')].filter(
    (b) => b instanceof HTMLButtonElement,
  );
  const status = form.querySelector('[data-sp-reaction-status]');
  let sent = false;
  form.hidden = false;
  for (const button of buttons) {
    button.addEventListener('click', () => {
      if (sent) return;
      sent = true;
      const reaction = button.dataset.spReaction ?? '';
      // Pressed stays visible; the others stay focusable (disabling would drop the focus) but inert.
      for (const b of buttons) {
        b.setAttribute('aria-pressed', String(b === button));
        b.setAttribute('aria-disabled', 'true');
      }
      /** @type {{ gtag?: (...args: unknown[]) => void }} */ (/** @type {unknown} */ (window)).gtag?.(
        'event',
        'article_reaction',
        { brand, article, language, reaction },
      );
      if (endpoint) beacon(endpoint, { brand, article, language, reaction });
      if (status) status.textContent = status.getAttribute('data-sp-reaction-status') ?? '';
    });
  }
}

/**
 * A beacon survives the visitor leaving the page. Sent as a string, so as `text/plain`: a JSON
 * content type would make the cross-origin POST need a CORS preflight the endpoint may not answer.
 * @param {string} url
 * @param {object} body
 */
function beacon(url, body) {
  const json = JSON.stringify(body);
  if (navigator.sendBeacon?.(url, json)) return;
  fetch(url, { method: 'POST', body: json, keepalive: true, mode: 'no-cors' }).catch(() => {});
}
