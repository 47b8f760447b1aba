// @ts-check
/**
 * The search client: the one piece of JavaScript a Signpost page runs, and only once the visitor
 * reaches for search (`SearchLoader.astro` imports this file on focus, click or `/`). Plain ES
 * module with JSDoc types and no build step: it is served as is, under a hashed name.
 *
 * Every `form[role=search][data-sp-search]` becomes a combobox whose listbox shows results as the
 * visitor types; the search page's form (`data-sp-search="page"`) fills the list below it
 * instead. The form still submits to `/<lang>/search/?q=` as it did without JavaScript.
 *
 * Form attributes, set by `SearchForm.astro`:
 * - `data-sp-strings`: JSON of the UI strings in the page's language (`{count}`, `{query}` filled here)
 * - `data-sp-tickets`: the ticket portal, linked when nothing is found
 * - `data-sp-ga4`: send a GA4 `search` event (through the page's `gtag`, if consent loaded it)
 */

/** The gate's non-HttpOnly flag beside its HttpOnly token cookie. */
const SESSION = /(?:^|;\s*)sp_session=1(?:;|$)/;
const DROPDOWN_SIZE = 6;
const PAGE_SIZE = 10;
const DEBOUNCE_MS = 250;
/** A term counts as searched for analytics once the visitor stops typing for this long. */
const ANALYTICS_SETTLE_MS = 1000;

/**
 * @typedef {{ url: string; excerpt: string; meta: Record<string, string | undefined> }} Hit
 * @typedef {{ results: { data: () => Promise<Hit> }[] }} Found
 * @typedef {{
 *   options(o: object): Promise<void>;
 *   init(): Promise<void>;
 *   mergeIndex(path: string, o: object): Promise<void>;
 *   search(term: string): Promise<Found>;
 *   debouncedSearch(term: string, o: object, ms: number): Promise<Found | null>;
 * }} Pagefind
 * @typedef {Record<string, string>} Strings
 * @typedef {{ input: HTMLInputElement; strings: Strings; tickets: string | undefined; ga4: boolean }} Search
 */

/** @type {Promise<Pagefind> | undefined} */
let pagefind;
/** @typedef {{ index: string; session: string; parts?: Record<string, string[]> }} Setup */
/** @type {Setup | undefined} */
let indexes;
/** @type {WeakSet<HTMLFormElement>} */
const enhanced = new WeakSet();
let uid = 0;

/**
 * Called by the loader with the form the visitor reached for: enhances every search form on the
 * page (once), and catches up with what was typed while this module loaded.
 * @param {HTMLFormElement | null} [form]
 * @param {Setup} [setup] the public index (result URLs in it are brand-relative, hence
 *   `baseUrl: '/'`), per language the further bundles of a language indexed in several passes, and
 *   the gate's session endpoint, which names the private indexes a signed-in visitor may merge.
 *   Written into the loader by the build.
 */
export function start(form, setup) {
  if (!form || !setup || enhanced.has(form)) return;
  indexes ??= setup;
  loadPagefind().catch(() => {});
  for (const f of document.querySelectorAll('form[role=search][data-sp-search]'))
    // A form inside article content is never Signpost's, whatever its attributes say.
    if (f instanceof HTMLFormElement && !enhanced.has(f) && !f.closest('.prose')) {
      enhanced.add(f);
      if (f.dataset.spSearch === 'page') resultsPage(f);
      else combobox(f);
    }
  const input = form.querySelector('input');
  if (input === document.activeElement && input?.value.trim() && form.dataset.spSearch !== 'page')
    input.dispatchEvent(new Event('input'));
}

/**
 * Pagefind, loaded once. For a signed-in visitor it also merges the private indexes the gate says
 * this account may read (one per audience set), each only when it holds the page's language.
 */
function loadPagefind() {
  pagefind ??= (async () => {
    if (!indexes) throw new Error('search was not started');
    const { index, session, parts } = indexes;
    const url = `${index}pagefind.js`;
    /** @type {Pagefind} */
    const pf = await import(/* @vite-ignore */ url);
    await pf.options({ baseUrl: '/' });
    await pf.init();
    // A language too large for one indexing pass has further bundles; results span them all.
    for (const part of parts?.[document.documentElement.lang] ?? [])
      await pf.mergeIndex(part, { baseUrl: '/' }).catch(() => {});
    if (SESSION.test(document.cookie))
      for (const privateIndex of await readableIndexes(session))
        if (await privateIndexHas(privateIndex, document.documentElement.lang))
          await pf.mergeIndex(privateIndex, { baseUrl: '/' }).catch(() => {});
    return pf;
  })();
  pagefind.catch(() => (pagefind = undefined));
  return pagefind;
}

/**
 * The private index URLs the gate lets this visitor read; none when the gate is not there (a
 * static host) or the session has ended.
 * @param {string} session
 * @returns {Promise<string[]>}
 */
async function readableIndexes(session) {
  try {
    const response = await fetch(session, {
      credentials: 'same-origin',
      redirect: 'error',
      cache: 'no-store',
    });
    /** @type {{ signedIn?: boolean; indexes?: unknown }} */
    const answer = response.ok ? await response.json() : {};
    return answer.signedIn && Array.isArray(answer.indexes)
      ? answer.indexes.filter((url) => typeof url === 'string' && url.startsWith('/'))
      : [];
  } catch {
    return [];
  }
}

/**
 * Whether a private index answers and holds the page's language. A stale flag cookie meets the
 * gate's login redirect, and a broken merged index would fail every search; a language the
 * private index lacks would make Pagefind merge its largest language (German into Japanese).
 * @param {string} privateIndex
 * @param {string} lang
 */
async function privateIndexHas(privateIndex, lang) {
  try {
    const response = await fetch(`${privateIndex}pagefind-entry.json`, { redirect: 'error' });
    /** @type {{ languages?: Record<string, unknown> }} */
    const entry = response.ok ? await response.json() : {};
    const wanted = lang.toLowerCase();
    const primary = wanted.split('-')[0];
    return Object.keys(entry.languages ?? {}).some((l) => l === wanted || l.split('-')[0] === primary);
  } catch {
    return false;
  }
}

/** @param {HTMLFormElement} form @returns {Search} */
function setup(form) {
  const input = /** @type {HTMLInputElement} */ (form.querySelector('input[name=q]'));
  return {
    input,
    strings: JSON.parse(form.dataset.spStrings ?? '{}'),
    tickets: form.dataset.spTickets,
    ga4: form.dataset.spGa4 === '1',
  };
}

/**
 * A header or hero form as an ARIA 1.2 combobox: the input keeps focus, the active option is
 * `aria-activedescendant`, and Enter opens it (or submits to the search page when none is active).
 * @param {HTMLFormElement} form
 */
function combobox(form) {
  const search = setup(form);
  const { input, strings } = search;
  const id = `${input.id || `sp-search-${++uid}`}-list`;
  const list = el('ul', 'sp-list');
  Object.assign(list, { id, hidden: true });
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', strings.label ?? '');
  const status = el('p', 'visually-hidden');
  status.setAttribute('role', 'status');
  form.append(list, status);
  for (const [name, value] of Object.entries({
    role: 'combobox',
    'aria-autocomplete': 'list',
    'aria-controls': id,
    'aria-expanded': 'false',
  }))
    input.setAttribute(name, value);

  /** @type {HTMLElement[]} */
  let options = [];
  let active = -1;
  let seq = 0;
  const report = analytics(search);

  /** @param {boolean} open */
  const show = (open) => {
    list.hidden = !open;
    input.setAttribute('aria-expanded', String(open));
    if (!open) move(-1);
  };
  /** @param {number} index */
  const move = (index) => {
    options[active]?.setAttribute('aria-selected', 'false');
    active = index;
    const option = options[index];
    if (option) {
      option.setAttribute('aria-selected', 'true');
      input.setAttribute('aria-activedescendant', option.id);
      option.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };
  /** @param {number} step */
  const step = (step) => {
    const enabled = options.map((o, i) => (o.hasAttribute('aria-disabled') ? -1 : i)).filter((i) => i >= 0);
    if (!enabled.length) return;
    const at = enabled.indexOf(active);
    const next = at < 0 ? (step > 0 ? 0 : enabled.length - 1) : (at + step + enabled.length) % enabled.length;
    move(enabled[next] ?? -1);
  };
  /** @param {HTMLElement[]} items */
  const render = (items) => {
    options = items;
    active = -1;
    items.forEach((item, i) => {
      item.id = `${id}-${i}`;
      item.setAttribute('role', 'option');
      item.setAttribute('aria-selected', 'false');
    });
    list.replaceChildren(...items);
    input.removeAttribute('aria-activedescendant');
    show(true);
  };
  /** @param {HTMLElement | undefined} option */
  const open = (option) => {
    const href = option?.dataset.href;
    if (href) {
      report(input.value.trim(), true);
      location.assign(href);
    } else if (option?.dataset.submit !== undefined) form.requestSubmit();
  };

  const update = async () => {
    const term = input.value.trim();
    const mine = ++seq;
    if (!term) {
      status.textContent = '';
      return show(false);
    }
    if (list.hidden || !options.length) render([note(strings.loading ?? '')]);
    status.textContent = strings.loading ?? '';
    list.setAttribute('aria-busy', 'true');
    /** @type {Found | null} */
    let found;
    try {
      found = await (await loadPagefind()).debouncedSearch(term, {}, DEBOUNCE_MS);
    } catch {
      found = { results: [] };
    }
    if (!found || mine !== seq) return;
    const hits = await Promise.all(found.results.slice(0, DROPDOWN_SIZE).map((r) => r.data()));
    if (mine !== seq) return;
    list.removeAttribute('aria-busy');
    const count = found.results.length;
    status.textContent = summary(strings, count, term);
    report(term);
    if (!count) return render(noResults(search, term));
    /** @type {HTMLElement[]} */
    const items = hits.map((hit) => hitView(hit, 'span'));
    if (count > DROPDOWN_SIZE) {
      const all = el('li', 'sp-all', summary(strings, count, term));
      all.dataset.submit = '';
      items.push(all);
    }
    render(items);
  };
  onTyped(input, update);

  // The search page reports a submitted term; a pending report from here would count it twice.
  form.addEventListener('submit', () => report('', true));
  input.addEventListener('keydown', (event) => {
    if (event.isComposing) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (list.hidden && options.length) show(true);
      step(event.key === 'ArrowDown' ? 1 : -1);
    } else if (event.key === 'Enter' && !list.hidden && active >= 0) {
      event.preventDefault();
      open(options[active]);
    } else if (event.key === 'Escape' && !list.hidden) {
      event.preventDefault();
      show(false);
    }
  });
  input.addEventListener('focus', () => {
    if (input.value.trim() && options.length) show(true);
  });
  // Clicking an option must not take focus from the input; the click then opens it.
  list.addEventListener('mousedown', (event) => event.preventDefault());
  list.addEventListener('click', (event) => {
    const option = /** @type {Element} */ (event.target).closest('[role=option]');
    if (option instanceof HTMLElement && !option.hasAttribute('aria-disabled')) open(option);
  });
  document.addEventListener('pointerdown', (event) => {
    if (!form.contains(/** @type {Node} */ (event.target))) show(false);
  });
  form.addEventListener('focusout', (event) => {
    if (!form.contains(/** @type {Node | null} */ (event.relatedTarget))) show(false);
  });
}

/**
 * The search page (`/<lang>/search/?q=`): fills its form from the link, lists the first results
 * with "load more", and keeps the address in step with what the visitor types.
 * @param {HTMLFormElement} form
 */
function resultsPage(form) {
  const search = setup(form);
  const { input, strings } = search;
  const region = /** @type {HTMLElement | null} */ (document.querySelector('[data-sp-results]'));
  if (!region) return;
  const status = el('p', 'sp-summary');
  status.setAttribute('role', 'status');
  const list = el('ol', 'sp-results');
  const more = el('button', 'button sp-more', strings.loadMore ?? '');
  more.type = 'button';
  more.hidden = true;
  region.replaceChildren(status, list, more);
  const report = analytics(search);
  /** @type {Found['results']} */
  let results = [];
  let shown = 0;
  let seq = 0;

  /** @param {boolean} debounce */
  const run = async (debounce) => {
    const term = input.value.trim();
    const mine = ++seq;
    const url = new URL(location.href);
    if (term) url.searchParams.set('q', term);
    else url.searchParams.delete('q');
    history.replaceState(history.state, '', url);
    if (!term) {
      list.replaceChildren();
      status.textContent = '';
      more.hidden = true;
      region.removeAttribute('aria-busy');
      return;
    }
    status.textContent = strings.loading ?? '';
    region.setAttribute('aria-busy', 'true');
    /** @type {Found | null} */
    let found;
    try {
      const pf = await loadPagefind();
      found = debounce ? await pf.debouncedSearch(term, {}, DEBOUNCE_MS) : await pf.search(term);
    } catch {
      found = { results: [] };
    }
    if (!found || mine !== seq) return;
    results = found.results;
    shown = 0;
    list.replaceChildren();
    await page(mine);
    if (mine !== seq) return;
    region.removeAttribute('aria-busy');
    status.replaceChildren(summary(strings, results.length, term));
    if (!results.length && search.tickets) status.append(' ', ticketsLink(search));
    report(term);
  };
  /** @param {number} mine */
  const page = async (mine) => {
    const hits = await Promise.all(results.slice(shown, shown + PAGE_SIZE).map((r) => r.data()));
    if (mine !== seq) return undefined;
    const items = hits.map((hit) => hitView(hit, 'h2'));
    list.append(...items);
    shown += hits.length;
    more.hidden = shown >= results.length;
    return items[0];
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void run(false);
  });
  onTyped(input, () => void run(true));
  more.addEventListener('click', async () => {
    const first = await page(seq);
    // Keyboard users continue from the first new result rather than the top of the page.
    first?.querySelector('a')?.focus();
  });

  input.value = new URLSearchParams(location.search).get('q') ?? input.value;
  if (input.value.trim()) void run(false);
}

/**
 * Calls `update` as the visitor types, but not for the half-made words of an input method (a
 * Japanese reading before it becomes 請求): those wait for the composition to end.
 * @param {HTMLInputElement} input
 * @param {() => void} update
 */
function onTyped(input, update) {
  input.addEventListener('input', (event) => {
    if (!('isComposing' in event && event.isComposing)) update();
  });
  input.addEventListener('compositionend', update);
}

/**
 * One result. In the dropdown (`span`) it is an option, named by all it shows (WCAG 2.5.3: a
 * speech user says what they see); on the search page (`h2`) the title is a heading with a link.
 * @param {Hit} hit
 * @param {'span' | 'h2'} titleTag
 */
function hitView(hit, titleTag) {
  const item = el('li', 'sp-hit');
  const title = el(titleTag, 'sp-title');
  // A Japanese title was indexed with its words marked by zero-width spaces (`search/words.ts`):
  // shown as the page has it, so that it copies and reads out as it does there.
  const text = (hit.meta.title || hit.url).replace(/\u200b/g, '');
  if (titleTag === 'span') {
    item.dataset.href = hit.url;
    title.textContent = text;
  } else {
    const link = el('a', '', text);
    link.href = hit.url;
    title.append(link);
  }
  const details = el('span', 'sp-details');
  if (hit.meta.collection) details.append(el('span', 'sp-path', hit.meta.collection));
  details.append(el('span', 'sp-excerpt'));
  /** @type {HTMLElement} */ (details.lastChild).append(...excerpt(hit.excerpt));
  item.append(title, details);
  return item;
}

/**
 * Pagefind's excerpt is text with `<mark>` around matches, `<` and `>` escaped, `&` not: keep the
 * marks, and build everything else as text nodes so no markup from an article can get through.
 * @param {string} html
 */
function excerpt(html) {
  /** @type {Node[]} */
  const nodes = [];
  let marked = false;
  for (const part of html.split(/(<\/?mark>)/)) {
    if (part === '<mark>' || part === '</mark>') marked = part === '<mark>';
    else if (part) {
      const text = part.replace(/&lt;/g, '<').replace(/&gt;/g, '>');
      nodes.push(marked ? el('mark', '', text) : document.createTextNode(text));
    }
  }
  return nodes;
}

/**
 * "No results", and the ticket portal as an option of its own where the brand has one (a link
 * inside an option would be lost to keyboard and screen-reader users).
 * @param {Search} search
 * @param {string} term
 */
function noResults(search, term) {
  const items = [note(fill(search.strings.noResults ?? '', { query: term }))];
  if (search.tickets) {
    const option = el('li', 'sp-tickets', search.strings.noResultsTickets ?? '');
    option.dataset.href = search.tickets;
    items.push(option);
  }
  return items;
}

/** @param {Search} search */
function ticketsLink(search) {
  const link = el('a', 'sp-tickets', search.strings.noResultsTickets ?? '');
  link.href = search.tickets ?? '';
  return link;
}

/** A line in the listbox that cannot be chosen ("Searching…", "No results…"). @param {string} text */
function note(text) {
  const item = el('li', 'sp-note', text);
  item.setAttribute('aria-disabled', 'true');
  return item;
}

/**
 * "3 results for “refund”", plural by the page's language rules.
 * @param {Strings} strings
 * @param {number} count
 * @param {string} query
 */
function summary(strings, count, query) {
  if (!count) return fill(strings.noResults ?? '', { query });
  const one = new Intl.PluralRules(document.documentElement.lang || 'en').select(count) === 'one';
  return fill((one ? strings.resultsOne : strings.resultsOther) ?? '', { count, query });
}

/** @param {string} text @param {Record<string, string | number>} vars */
function fill(text, vars) {
  return text.replace(/\{(\w+)\}/g, (whole, name) => String(vars[name] ?? whole));
}

/**
 * Reports a term to GA4 once the visitor has settled on it, not every prefix they typed on the
 * way (`now`: they opened a result, so send before the page goes); only through the page's own
 * `gtag`, which exists only when analytics may run. A submitted form is reported by the search page.
 * @param {Search} search
 * @returns {(term: string, now?: boolean) => void}
 */
function analytics(search) {
  if (!search.ga4) return () => {};
  let timer = 0;
  let last = '';
  const send = (/** @type {string} */ term) => {
    clearTimeout(timer);
    if (!term || term === last) return;
    last = term;
    /** @type {{ gtag?: (...args: unknown[]) => void }} */ (/** @type {unknown} */ (window)).gtag?.(
      'event',
      'search',
      {
        search_term: term,
      },
    );
  };
  return (term, now = false) => {
    clearTimeout(timer);
    if (now) send(term);
    else timer = window.setTimeout(() => send(term), ANALYTICS_SETTLE_MS);
  };
}

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {string} className
 * @param {string} [text]
 * @returns {HTMLElementTagNameMap[K]}
 */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}
