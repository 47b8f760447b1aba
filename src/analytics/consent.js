// @ts-check
/**
 * GA4 behind Google Consent Mode v2, for brands that set `analytics.ga4`; pages of other brands
 * never load this file. Plain ES module with JSDoc types and no build step, served as is under a
 * hashed name and imported by `Analytics.astro`'s loader with settings the build wrote there.
 *
 * Order matters: the consent defaults (everything denied) are queued before anything could load
 * Google's tag. Then:
 * - Global Privacy Control (`navigator.globalPrivacyControl`) counts as "declined": no banner, no tag.
 * - `consent: implied`: the tag loads at once.
 * - `consent: required`: the visitor's remembered choice (localStorage) decides; with none, the
 *   banner (`[data-sp-consent]`, rendered hidden) asks, and nothing loads until "Accept".
 * The footer's "Cookie settings" (`[data-sp-consent-settings]`) shows the banner again.
 *
 * `window.gtag` exists only once analytics may run: the search client and the reactions send their
 * events through it when it is there, and send nothing otherwise.
 */

const TAG = 'https://www.googletagmanager.com/gtag/js?id=';

/**
 * @typedef {{ ga4: string; consent: 'required' | 'implied'; brand: string; key: string }} Setup
 *   `key`: where the visitor's answer (`granted` or `denied`) is remembered, in localStorage; the
 *   loader reads it too, to show the banner before the first paint.
 * @typedef {Window & { dataLayer?: unknown[]; gtag?: (...args: unknown[]) => void }} AnalyticsWindow
 */

const win = /** @type {AnalyticsWindow} */ (window);
let started = false;
let loaded = false;

/**
 * gtag.js reads `arguments` objects from the data layer, not arrays, hence the `function`.
 * @param {...unknown} _args
 */
function gtag(..._args) {
  // gtag.js expects the Arguments object itself, not an array of the same values.
  (win.dataLayer ||= []).push(arguments);
}

/**
 * Called once per page by the loader.
 * @param {Setup} setup
 */
export function start(setup) {
  if (started || !setup?.ga4) return;
  started = true;
  gtag('consent', 'default', {
    analytics_storage: 'denied',
    ad_storage: 'denied',
    ad_user_data: 'denied',
    ad_personalization: 'denied',
  });
  if (/** @type {{ globalPrivacyControl?: boolean }} */ (navigator).globalPrivacyControl === true) return;
  if (setup.consent === 'implied') return grant(setup);

  const banner = /** @type {HTMLElement | null} */ (document.querySelector('[data-sp-consent]'));
  const settings = /** @type {HTMLElement | null} */ (document.querySelector('[data-sp-consent-settings]'));
  const { key } = setup;
  const choice = remembered(key);
  if (choice === 'granted') grant(setup);
  if (!banner) return;

  /** @param {boolean} fromSettings */
  const ask = (fromSettings) => {
    banner.hidden = false;
    // The banner sits over the bottom of the screen (in the flow it would push the page down):
    // room after the page's end keeps its last lines reachable above it. Below the body, not in
    // it: the body is at least a screen tall, so room inside it would pull its footer up.
    document.documentElement.style.paddingBlockEnd = `${banner.offsetHeight}px`;
    if (fromSettings) banner.querySelector('button')?.focus();
  };
  banner.addEventListener('click', (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest('button[data-sp-choice]');
    if (!(button instanceof HTMLButtonElement)) return;
    const answer = button.dataset.spChoice === 'granted' ? 'granted' : 'denied';
    remember(key, answer);
    if (answer === 'granted') grant(setup);
    else deny();
    const hadFocus = banner.contains(document.activeElement);
    banner.hidden = true;
    document.documentElement.style.paddingBlockEnd = '';
    // The focused button just disappeared: put the visitor back where they were going.
    if (hadFocus) (settings?.querySelector('button') ?? document.getElementById('main'))?.focus();
  });
  // The loader may have shown the banner already, its buttons disabled until they work: now they do.
  for (const button of banner.querySelectorAll('button')) button.disabled = false;
  if (settings) {
    settings.hidden = false;
    settings.addEventListener('click', () => ask(true));
  }
  if (!choice) ask(false);
}

/**
 * @param {string} key
 * @returns {'granted' | 'denied' | undefined}
 */
function remembered(key) {
  try {
    const value = localStorage.getItem(key);
    return value === 'granted' || value === 'denied' ? value : undefined;
  } catch {
    return undefined; // storage disabled: ask on every page rather than assume
  }
}

/**
 * @param {string} key
 * @param {'granted' | 'denied'} value
 */
function remember(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // storage disabled: the choice holds for this page only
  }
}

/**
 * Consent given: update Consent Mode, then load the tag, which reports this page view with the
 * brand and the page's language.
 * @param {Setup} setup
 */
function grant(setup) {
  gtag('consent', 'update', { analytics_storage: 'granted' });
  win.gtag = gtag;
  if (loaded) return;
  loaded = true;
  gtag('js', new Date());
  gtag('config', setup.ga4, { brand: setup.brand, language: document.documentElement.lang });
  const script = document.createElement('script');
  script.async = true;
  script.src = TAG + encodeURIComponent(setup.ga4);
  document.head.append(script);
}

/** Consent withdrawn (or refused): the tag, if it loaded, stops storing, and its cookies go. */
function deny() {
  delete win.gtag;
  if (!loaded) return;
  gtag('consent', 'update', { analytics_storage: 'denied' });
  const host = location.hostname;
  const domains = ['', host, `.${host.split('.').slice(-2).join('.')}`];
  for (const cookie of document.cookie.split(/;\s*/)) {
    const name = cookie.split('=')[0] ?? '';
    if (!/^_ga/.test(name)) continue;
    for (const domain of domains)
      document.cookie = `${name}=; max-age=0; path=/${domain ? `; domain=${domain}` : ''}`;
  }
}
