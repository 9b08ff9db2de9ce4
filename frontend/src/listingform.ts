import L from './leaflet-global';
import { addBaseLayers, bergenBounds, pin } from './basemap';
import { Combobox, Suggestion } from './combobox';
import { t } from './config';

// initListingForm adds to the register/edit form what needs a script: a
// map whose pin starts at the postcode's centre and can be dragged to the
// door (it writes the coordinate fields, which work without it), and
// buttons that add rows to the opening-hours editor.
export function initListingForm(form: HTMLFormElement): void {
  initPin(form);
  initOrgLookup(form);
  initAddressCompletion(form);
  form.querySelectorAll<HTMLButtonElement>('button.add-slot').forEach((button) => {
    button.hidden = false;
    button.addEventListener('click', () => addRow(button, '.slot', /^(h\d+_)(\d+)/));
  });
  const copyMonday = form.querySelector<HTMLButtonElement>('button.copy-monday');
  if (copyMonday) {
    copyMonday.hidden = false;
    copyMonday.addEventListener('click', () => sameAsMonday(form));
  }
  const addException = form.querySelector<HTMLButtonElement>('button.add-exception');
  if (addException) {
    addException.hidden = false;
    addException.addEventListener('click', () => addRow(addException, '.exception-row', /^(x)(\d+)/));
  }
}

// sameAsMonday gives Tuesday to Friday Monday's opening hours, adding
// rows where Monday has more, and says so to screen readers.
function sameAsMonday(form: HTMLFormElement): void {
  const days = form.querySelectorAll<HTMLElement>('fieldset.day');
  const times = (day: HTMLElement) => [...day.querySelectorAll<HTMLInputElement>('.slot input[type=time]')];
  const monday = times(days[0]).map((input) => input.value);
  for (let d = 1; d <= 4 && d < days.length; d++) {
    const add = days[d].querySelector<HTMLButtonElement>('button.add-slot');
    while (add && times(days[d]).length < monday.length && !add.hidden) {
      const before = document.activeElement as HTMLElement | null;
      add.click();
      before?.focus(); // addRow moves the focus; keep it on the button pressed
    }
    times(days[d]).forEach((input, i) => (input.value = monday[i] ?? ''));
  }
  form.querySelector<HTMLButtonElement>('button.copy-monday')?.focus();
  const status = document.getElementById('hours-status');
  if (status) status.textContent = t('hours_copied');
}

// addRow copies the last row before the button, empty and with the next
// index in its names and ids, and puts the focus in it.
function addRow(button: HTMLButtonElement, rowSelector: string, pattern: RegExp): void {
  const rows = button.parentElement?.querySelectorAll<HTMLElement>(rowSelector);
  if (!rows || rows.length === 0) return;
  const max = Number(button.dataset.max);
  if (rows.length >= max) return;
  const last = rows[rows.length - 1];
  const copy = last.cloneNode(true) as HTMLElement;
  const next = rows.length;
  const renumber = (value: string) => value.replace(pattern, (_all, prefix: string) => `${prefix}${next}`);
  copy.querySelectorAll<HTMLElement>('[id],[for],[name],[aria-describedby]').forEach((el) => {
    for (const attr of ['id', 'for', 'name', 'aria-describedby']) {
      const v = el.getAttribute(attr);
      if (v) el.setAttribute(attr, renumber(v));
    }
    el.removeAttribute('aria-invalid');
  });
  copy.querySelectorAll('.field-error').forEach((el) => el.remove());
  copy.querySelectorAll<HTMLInputElement>('input').forEach((input) => {
    if (input.type === 'checkbox') input.checked = false;
    else input.value = '';
  });
  last.after(copy);
  copy.querySelector<HTMLInputElement>('input')?.focus();
  if (rows.length + 1 >= max) button.hidden = true;
}

function initPin(form: HTMLFormElement): void {
  const el = document.getElementById('pin-map');
  const lat = form.querySelector<HTMLInputElement>('#lat');
  const lng = form.querySelector<HTMLInputElement>('#lng');
  const postcode = form.querySelector<HTMLInputElement>('#postcode');
  if (!el || !lat || !lng || !postcode) return;
  el.hidden = false;
  const map = L.map(el, { scrollWheelZoom: false, maxZoom: 18, zoomControl: false, maxBounds: bergenBounds.pad(0.2) });
  addBaseLayers(map, '/api/v1/districts.geojson');
  const marker = L.marker([60.3913, 5.3221], { icon: pin(true), draggable: true, title: t('pin'), alt: t('pin') });
  let placedByHand = lat.value !== '' && lng.value !== '';
  const show = (la: number, ln: number, zoom: number) => {
    marker.setLatLng([la, ln]).addTo(map);
    map.setView([la, ln], zoom);
  };
  const write = (p: L.LatLng) => {
    lat.value = p.lat.toFixed(6);
    lng.value = p.lng.toFixed(6);
  };
  if (placedByHand) show(Number(lat.value), Number(lng.value), 17);
  else map.fitBounds(bergenBounds);
  marker.on('dragend', () => {
    placedByHand = true;
    write(marker.getLatLng());
  });
  // The register's geocoded address places the pin, unless a person has.
  form.addEventListener('register:location', (e) => {
    const at = (e as CustomEvent<{ lat: number; lng: number }>).detail;
    if (placedByHand) return;
    show(at.lat, at.lng, 17);
    write(L.latLng(at.lat, at.lng));
  });
  // An address picked from the completion is the door: the pin goes there.
  form.addEventListener('address:chosen', (e) => {
    const at = (e as CustomEvent<{ lat: number; lng: number }>).detail;
    placedByHand = true;
    show(at.lat, at.lng, 17);
    write(L.latLng(at.lat, at.lng));
  });
  map.on('click', (e: L.LeafletMouseEvent) => {
    placedByHand = true;
    marker.setLatLng(e.latlng).addTo(map);
    write(e.latlng);
  });
  const fromPostcode = () => {
    if (placedByHand || !/^\d{4}$/.test(postcode.value.trim())) return;
    fetch(`/_/postnummer/${postcode.value.trim()}`)
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
      .then((p: { lat: number; lng: number }) => {
        show(p.lat, p.lng, 15);
        write(marker.getLatLng());
      })
      .catch(() => {
        /* an unknown postcode is explained by the server when the form is sent */
      });
  };
  postcode.addEventListener('change', fromPostcode);
  if (!placedByHand) fromPostcode();
  // Typed coordinates move the pin too.
  for (const input of [lat, lng]) {
    input.addEventListener('change', () => {
      const la = Number(lat.value);
      const ln = Number(lng.value);
      if (lat.value && lng.value && Number.isFinite(la) && Number.isFinite(ln)) {
        placedByHand = true;
        show(la, ln, 17);
      }
    });
  }
}

interface Prefill {
  name: string;
  street: string;
  postcode: string;
  city: string;
  location: { lat: number; lng: number } | null;
  categories: string[];
}

// initOrgLookup fills the empty fields from Enhetsregisteret once a whole
// organisation number is typed; nothing the repairer wrote is replaced,
// and nothing is saved until they send the form.
function initOrgLookup(form: HTMLFormElement): void {
  const orgnr = form.querySelector<HTMLInputElement>('#org_number');
  const status = document.getElementById('orgnr-status');
  if (!orgnr || !status) return;
  const fill = (id: string, value: string) => {
    const input = form.querySelector<HTMLInputElement>('#' + id);
    if (input && input.value.trim() === '' && value) input.value = value;
  };
  let asked = '';
  orgnr.addEventListener('change', async () => {
    const n = orgnr.value.replace(/\s/g, '');
    if (!/^\d{9}$/.test(n) || n === asked) return; // a second change event asks nothing new
    asked = n;
    const r = await fetch(`/_/orgnr/${n}`, { headers: { Accept: 'application/json' } });
    if (!r.ok) {
      if (r.status >= 500) asked = ''; // the register was down: asking again may help
      status.textContent = t(r.status === 404 ? 'orgnr_unknown' : r.status === 409 ? 'orgnr_closed' : 'orgnr_unavailable');
      return;
    }
    const p = (await r.json()) as Prefill;
    fill('name', p.name);
    fill('street', p.street);
    fill('postcode', p.postcode);
    fill('city', p.city);
    const chips = [...form.querySelectorAll<HTMLInputElement>('input[name=category]')];
    if (!chips.some((c) => c.checked)) chips.forEach((c) => (c.checked = p.categories.includes(c.value)));
    if (p.location) form.dispatchEvent(new CustomEvent('register:location', { detail: p.location }));
    status.textContent = t('orgnr_filled', { name: p.name });
  });
}

interface Address {
  street: string;
  postcode: string;
  city: string;
  location: { lat: number; lng: number };
}

// initAddressCompletion offers Bergen addresses from the address API as the
// repairer types the street (a keyboard-operable combobox, like the
// search's); picking one fills street, postcode and city and places the
// pin at the door. Without the API the field is a plain text field.
function initAddressCompletion(form: HTMLFormElement): void {
  const street = form.querySelector<HTMLInputElement>('#street');
  const list = document.getElementById('street-suggestions') as HTMLUListElement | null;
  if (!street || !list) return;
  street.autocomplete = 'off'; // the browser's own list would cover ours
  const set = (id: string, value: string) => {
    const input = form.querySelector<HTMLInputElement>('#' + id);
    if (input) input.value = value;
  };
  new Combobox<Suggestion & { address: Address }>(
    street,
    list,
    async (q) => {
      const r = await fetch(`/_/adresse?q=${encodeURIComponent(q)}`, { headers: { Accept: 'application/json' } });
      if (!r.ok) return [];
      const body = (await r.json()) as { addresses: Address[] };
      return body.addresses.map((a) => ({ value: a.street, label: `${a.street}, ${a.postcode} ${a.city}`, address: a }));
    },
    (s) => {
      set('street', s.address.street);
      set('postcode', s.address.postcode);
      set('city', s.address.city);
      form.dispatchEvent(new CustomEvent('address:chosen', { detail: s.address.location }));
      const status = document.getElementById('orgnr-status');
      if (status) status.textContent = t('address_placed', { address: s.label });
    },
  );
}
