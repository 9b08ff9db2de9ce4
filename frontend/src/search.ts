import { Combobox, Suggestion } from './combobox';
import { getConfig, t } from './config';
import type { Place, ResultMap } from './map';

const typingDelay = 250;
// commitDelay is how long typing must rest before an empty answer counts
// as a search that found nothing: "glidel" on the way to "glidelås" is not
// a gap in the city's repair supply. Enter, a filter or a page load count
// at once.
const commitDelay = 1500;

// SearchPage makes the server-rendered search page live: results follow
// the form as you type, the URL always holds the whole state (so links can
// be shared and Back works), and the list and the map stay in step. The
// HTML of the results comes from the server, as without JavaScript.
export class SearchPage {
  private q: HTMLInputElement;
  private results: HTMLElement;
  private status: HTMLElement;
  private heading: HTMLElement;
  private areaButton: HTMLButtonElement | null;
  private map?: ResultMap;
  private request?: AbortController;
  private typing?: number;
  private commit?: number;

  constructor(private form: HTMLFormElement) {
    this.q = form.elements.namedItem('q') as HTMLInputElement;
    this.results = byId('results');
    this.status = byId('result-status');
    this.heading = byId('results-heading');
    this.areaButton = document.getElementById('search-area') as HTMLButtonElement | null;

    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.fold();
      void this.load('push', true);
    });
    this.q.addEventListener('input', () => {
      window.clearTimeout(this.typing);
      window.clearTimeout(this.commit);
      this.typing = window.setTimeout(() => void this.load('replace', true, undefined, false, true), typingDelay);
    });
    form.addEventListener('change', (e) => {
      const target = e.target as HTMLInputElement;
      if (target === this.q) return;
      if (target.name === 'postnr') {
        if (target.value !== '' && !/^\d{4}$/.test(target.value.trim())) return; // the server explains on submit
        this.setHidden('lat', '');
        this.setHidden('lng', '');
      }
      void this.load('push', true);
    });
    this.results.addEventListener('click', (e) => this.followLink(e));
    this.results.addEventListener('mouseover', (e) => this.hover(e));
    this.results.addEventListener('focusin', (e) => this.hover(e));
    window.addEventListener('popstate', () => {
      this.setForm(new URLSearchParams(location.search));
      void this.load('none', true);
    });

    const suggestions = document.getElementById('q-suggestions') as HTMLUListElement | null;
    if (suggestions) {
      new Combobox(this.q, suggestions, (q) => this.suggest(q), (s) => this.pick(s));
    }
    this.initNearMe();
    this.initToggles();
    this.decorate();
  }

  // fold puts the filters behind their toggle once a search is made, as
  // the server does for a page with a query: the results come into sight.
  private fold(): void {
    this.form.closest('.search-panel')?.classList.add('has-query');
    document.getElementById('more-filters')?.classList.add('closed');
    document.getElementById('filters-toggle')?.setAttribute('aria-expanded', 'false');
  }

  // initToggles opens and closes the folded filters and, on a phone, the
  // map; each button says whether its part is open.
  private initToggles(): void {
    const toggle = (buttonId: string, target: HTMLElement | null, open: (on: boolean) => void) => {
      const button = document.getElementById(buttonId);
      if (!button || !target) return;
      button.addEventListener('click', () => {
        const on = button.getAttribute('aria-expanded') !== 'true';
        button.setAttribute('aria-expanded', String(on));
        open(on);
      });
    };
    const filters = document.getElementById('more-filters');
    toggle('filters-toggle', filters, (on) => filters!.classList.toggle('closed', !on));
    const mapPanel = document.getElementById('map-panel');
    toggle('map-toggle', mapPanel, (on) => {
      mapPanel!.classList.toggle('open', on);
      if (on) this.map?.refresh();
    });
  }

  // attachMap connects the map once its code has loaded.
  attachMap(map: ResultMap): void {
    this.map = map;
    map.show(this.places(), true);
    void this.showAll(this.params().toString(), true, new AbortController().signal);
    this.areaButton?.addEventListener('click', () => {
      this.setHidden('bbox', map.bbox());
      this.areaButton!.hidden = true;
      void this.load('push', false);
    });
  }

  onMapMoved(): void {
    if (this.areaButton) this.areaButton.hidden = false;
  }

  onMarkerSelected(slug: string): void {
    for (const li of this.results.querySelectorAll<HTMLElement>('li.result')) {
      li.classList.toggle('selected', li.dataset.slug === slug);
    }
    document.getElementById('r-' + slug)?.scrollIntoView({ block: 'nearest' });
  }

  private params(): URLSearchParams {
    const out = new URLSearchParams();
    for (const [k, v] of new FormData(this.form)) {
      const s = String(v).trim();
      if (s !== '') out.append(k, s);
    }
    return out;
  }

  private async load(
    history: 'push' | 'replace' | 'none',
    fit: boolean,
    page?: string,
    focus = false,
    typing = false,
  ): Promise<void> {
    // Any search supersedes one still waiting for typing to pause: without
    // this, Enter right after typing sent a second request a moment later,
    // which dimmed the list again after it had answered.
    window.clearTimeout(this.typing);
    window.clearTimeout(this.commit);
    const p = this.params();
    if (page && page !== '1') p.set('page', page);
    const query = p.toString();
    const url = query ? `/?${query}` : '/';
    if (history === 'push' && url !== location.pathname + location.search) window.history.pushState(null, '', url);
    if (history === 'replace') window.history.replaceState(null, '', url);

    this.request?.abort();
    const request = (this.request = new AbortController());
    this.results.setAttribute('aria-busy', 'true');
    try {
      const lang = getConfig().lang;
      const r = await fetch(`/_/resultater?${query}${query ? '&' : ''}lang=${lang}${typing ? '&typing=1' : ''}`, {
        signal: request.signal,
        headers: { Accept: 'text/html' },
      });
      if (r.status >= 500 && r.status !== 503) throw new Error(String(r.status));
      // A list replaced while focus is in it (the map's move, a late
      // answer) must not drop focus to the page's start: it goes back to
      // the same link of the same result, or to the results' heading.
      const focused = document.activeElement;
      const within = focused instanceof HTMLElement && this.results.contains(focused);
      const slug = within ? focused.closest<HTMLElement>('li.result')?.dataset.slug : undefined;
      const nth = within && slug ? Array.from(focused.closest('li.result')!.querySelectorAll('a')).indexOf(focused as HTMLAnchorElement) : -1;
      this.results.innerHTML = await r.text();
      if (within) {
        const again = slug ? this.results.querySelectorAll<HTMLElement>(`li.result[data-slug="${CSS.escape(slug)}"] a`)[nth] : undefined;
        (again ?? this.heading).focus();
      }
      const count = this.results.querySelector<HTMLElement>('.results')?.dataset.countText ?? '';
      this.status.textContent = count;
      document.title = count ? `${count} – ${t('site_name')}` : t('site_name');
      this.decorate();
      this.map?.show(this.places(), fit);
      void this.showAll(query, fit, request.signal);
      if (focus) this.heading.focus();
      if (typing && this.places().length === 0) {
        // Counted only once typing rests (the answer is the same).
        this.commit = window.setTimeout(() => {
          void fetch(`/_/resultater?${query}${query ? '&' : ''}lang=${lang}`, { headers: { Accept: 'text/html' } });
        }, commitDelay);
      }
    } catch (e) {
      if ((e as Error).name !== 'AbortError') this.status.textContent = t('load_failed');
    } finally {
      if (this.request === request) this.results.removeAttribute('aria-busy');
    }
  }

  // followLink keeps pagination and filter links inside the page.
  private followLink(e: MouseEvent): void {
    const a = (e.target as HTMLElement).closest('a');
    if (!a || !(a.matches('[data-page]') || a.classList.contains('filter-pill'))) return;
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    const p = new URL(a.href).searchParams;
    this.setForm(p);
    void this.load('push', true, p.get('page') ?? undefined, true);
  }

  private hover(e: Event): void {
    const li = (e.target as HTMLElement).closest<HTMLElement>('li.result');
    if (li?.dataset.slug) this.map?.highlight(li.dataset.slug);
  }

  // decorate adds what only works with the map: a "show on map" button
  // on each result.
  private decorate(): void {
    for (const li of this.results.querySelectorAll<HTMLElement>('li.result')) {
      const slug = li.dataset.slug!;
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'button-link show-on-map';
      // The visible words start the accessible name, as WCAG 2.5.3 asks.
      const named = document.createElement('span');
      named.className = 'visually-hidden';
      named.textContent = ` – ${li.dataset.name ?? ''}`;
      button.append(t('show_on_map'), named);
      button.addEventListener('click', () => {
        this.map?.reveal(slug);
        this.onMarkerSelected(slug);
        document.getElementById('map')?.scrollIntoView({ block: 'nearest' });
      });
      li.querySelector('.badges')?.after(button);
    }
  }

  // showAll puts every match of the query on the map, not only the page's
  // (the list shows those); the page's own places are shown meanwhile.
  private async showAll(query: string, fit: boolean, signal: AbortSignal): Promise<void> {
    if (!this.map) return;
    try {
      const lang = getConfig().lang;
      const r = await fetch(`/_/kart?${query}${query ? '&' : ''}lang=${lang}`, { signal });
      if (!r.ok) return;
      const body = (await r.json()) as { places: Place[] };
      if (!signal.aborted) this.map.show(body.places, fit);
    } catch {
      // The list is there; the map keeps the page's places.
    }
  }

  private places(): Place[] {
    return [...this.results.querySelectorAll<HTMLElement>('li.result')].map((li) => ({
      slug: li.dataset.slug!,
      name: li.dataset.name!,
      url: li.dataset.url!,
      lat: Number(li.dataset.lat),
      lng: Number(li.dataset.lng),
      approximate: li.dataset.approximate !== undefined,
      kind: li.dataset.kind,
      kind_text: li.dataset.kindText,
    }));
  }

  private setForm(p: URLSearchParams): void {
    for (const el of Array.from(this.form.elements) as HTMLInputElement[]) {
      if (!el.name) continue;
      if (el.type === 'checkbox') el.checked = p.getAll(el.name).includes(el.value);
      else if (el.type !== 'hidden') el.value = p.get(el.name) ?? '';
    }
    for (const name of ['lat', 'lng', 'bbox']) this.setHidden(name, p.get(name) ?? '');
  }

  private setHidden(name: string, value: string): void {
    let input = this.form.querySelector<HTMLInputElement>(`input[type=hidden][name="${name}"]`);
    if (!input && value) {
      input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      this.form.append(input);
    }
    if (!input) return;
    if (value) input.value = value;
    else input.remove();
  }

  private async suggest(q: string): Promise<Suggestion[]> {
    const r = await fetch(`/api/v1/suggest?q=${encodeURIComponent(q)}&lang=${getConfig().lang}`);
    if (!r.ok) return [];
    const body = (await r.json()) as { suggestions: Suggestion[] };
    return body.suggestions;
  }

  private pick(s: Suggestion): void {
    if (s.kind === 'category') {
      const chip = this.form.querySelector<HTMLInputElement>(`input[name=category][value="${CSS.escape(s.value)}"]`);
      if (chip) chip.checked = true;
      this.q.value = '';
    } else {
      this.q.value = s.value;
    }
    void this.load('push', true);
  }

  // initNearMe asks the browser for the position only when the user
  // presses "Nær meg"; when that fails it points to the postcode field.
  private initNearMe(): void {
    const button = document.getElementById('near-me') as HTMLButtonElement | null;
    const status = document.getElementById('near-me-status');
    const postnr = this.form.elements.namedItem('postnr') as HTMLInputElement | null;
    if (!button || !status) return;
    button.addEventListener('click', () => {
      const fallback = (key: string) => {
        status.textContent = t(key);
        button.removeAttribute('aria-busy');
        postnr?.focus();
      };
      if (!('geolocation' in navigator)) return fallback('near_me_unsupported');
      button.setAttribute('aria-busy', 'true');
      status.textContent = t('near_me_finding');
      navigator.geolocation.getCurrentPosition(
        (pos) => {
          button.removeAttribute('aria-busy');
          status.textContent = t('near_me_found');
          this.setHidden('lat', pos.coords.latitude.toFixed(4));
          this.setHidden('lng', pos.coords.longitude.toFixed(4));
          this.setHidden('bbox', '');
          if (postnr) postnr.value = '';
          void this.load('push', true);
        },
        (err) => fallback(err.code === err.PERMISSION_DENIED ? 'near_me_denied' : 'near_me_failed'),
        { enableHighAccuracy: false, timeout: 10000, maximumAge: 300000 },
      );
    });
  }
}

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el;
}
