import L from './leaflet-global';
import 'leaflet.markercluster';
import { addBaseLayers, bergenBounds, escapeHTML, kindMarks, pin, pinSVG } from './basemap';
import { n, t } from './config';

export interface Place {
  slug: string;
  name: string;
  url: string;
  lat: number;
  lng: number;
  // approximate: the position is the postcode's centre, not the door.
  approximate?: boolean;
  // kind is the kind of place (repair, second_hand, …); kind_text names it.
  kind?: string;
  kind_text?: string;
  // next_session is "Neste gang: …" for a place with sessions.
  next_session?: string;
  // What the pop-up says, when the map has it (see /_/kart).
  status?: string;
  status_class?: string;
  distance?: string;
  phone?: string;
  tel?: string;
  directions?: string;
}

// popup is a place's pop-up: its name, whether it is open, how far, and
// links to call and to get there.
function popup(p: Place): string {
  const parts = [`<a href="${escapeHTML(p.url)}">${escapeHTML(p.name)}</a>`];
  if (p.kind_text) parts.push(escapeHTML(p.kind_text));
  if (p.status) parts.push(`<span class="badge badge-${escapeHTML(p.status_class ?? '')}">${escapeHTML(p.status)}</span>`);
  if (p.next_session) parts.push(escapeHTML(p.next_session));
  if (p.distance) parts.push(escapeHTML(p.distance));
  if (p.approximate) parts.push(`<em>${escapeHTML(t('approximate'))}</em>`);
  const links: string[] = [];
  if (p.tel) links.push(`<a href="${escapeHTML(p.tel)}">${escapeHTML(t('call'))} ${escapeHTML(p.phone ?? '')}</a>`);
  if (p.directions) links.push(`<a href="${escapeHTML(p.directions)}" rel="noopener" target="_blank">${escapeHTML(t('directions'))}</a>`);
  if (links.length) parts.push(links.join(' · '));
  return parts.join('<br>');
}

// addLegend names each kind of place beside its pin.
function addLegend(map: L.Map): void {
  const legend = new L.Control({ position: 'bottomleft' });
  legend.onAdd = () => {
    const el = L.DomUtil.create('div', 'map-legend');
    const items = Object.keys(kindMarks)
      .map((k) => `<li><span class="pin pin-${k}">${pinSVG(k)}</span> ${escapeHTML(t(`kind.${k}`))}</li>`)
      .join('');
    el.innerHTML = `<ul aria-label="${escapeHTML(t('legend'))}">${items}</ul>`;
    L.DomEvent.disableClickPropagation(el);
    return el;
  };
  legend.addTo(map);
}

// ResultMap shows the places of the current result list as clustered
// markers and keeps the selection in step with the list.
export class ResultMap {
  readonly map: L.Map;
  private cluster: L.MarkerClusterGroup;
  private markers = new Map<string, L.Marker>();
  private places = new Map<string, Place>();
  private selected?: string;
  private userGesture = false;

  constructor(
    el: HTMLElement,
    private onSelect: (slug: string) => void,
    onUserMove: () => void,
  ) {
    this.map = L.map(el, { zoomSnap: 0.5, maxZoom: 18, zoomControl: false }).fitBounds(bergenBounds);
    addBaseLayers(this.map, el.dataset.districts);
    this.cluster = L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 40,
      spiderfyOnMaxZoom: true,
      iconCreateFunction: (cluster) => {
        const count = cluster.getChildCount();
        return L.divIcon({
          className: 'cluster',
          html: `<span aria-hidden="true">${count}</span><span class="visually-hidden">${escapeHTML(n('cluster', count))}</span>`,
          iconSize: [40, 40],
        });
      },
    });
    this.map.addLayer(this.cluster);
    addLegend(this.map);
    // Only moves the user makes offer "search this area"; fitting the map
    // to new results does not.
    const gesture = () => (this.userGesture = true);
    this.map.on('dragstart', gesture);
    el.addEventListener('wheel', gesture, { passive: true });
    el.addEventListener('dblclick', gesture);
    el.addEventListener('keydown', gesture);
    el.addEventListener('pointerdown', (e) => {
      if ((e.target as HTMLElement).closest('.leaflet-control-zoom')) gesture();
    });
    this.map.on('moveend', () => {
      if (this.userGesture) onUserMove();
      this.userGesture = false;
    });
  }

  // show replaces the markers; fit moves the map to them.
  show(places: Place[], fit: boolean): void {
    this.cluster.clearLayers();
    this.markers.clear();
    this.places.clear();
    for (const p of places) {
      this.places.set(p.slug, p);
      const about = [p.kind_text, p.approximate ? t('approximate') : ''].filter(Boolean).join(', ');
      const title = about ? `${p.name} (${about})` : p.name;
      const marker = L.marker([p.lat, p.lng], { icon: this.icon(p, p.slug === this.selected), title, keyboard: false });
      marker.bindPopup(popup(p));
      marker.on('click', () => {
        this.highlight(p.slug);
        this.onSelect(p.slug);
      });
      this.markers.set(p.slug, marker);
      this.cluster.addLayer(marker);
    }
    if (fit && places.length > 0) {
      const bounds = L.latLngBounds(places.map((p) => [p.lat, p.lng] as L.LatLngTuple));
      this.map.fitBounds(bounds.pad(0.15), { maxZoom: 16, animate: false });
    }
  }

  // highlight marks the marker of slug (and unmarks the last one).
  highlight(slug: string | undefined): void {
    const prev = this.selected;
    const prevPlace = prev ? this.places.get(prev) : undefined;
    if (prev && prevPlace) this.markers.get(prev)?.setIcon(this.icon(prevPlace, false));
    this.selected = slug;
    const place = slug ? this.places.get(slug) : undefined;
    if (slug && place) this.markers.get(slug)?.setIcon(this.icon(place, true));
  }

  private icon(p: Place, selected: boolean): L.DivIcon {
    return pin(selected, p.approximate, p.kind);
  }

  // reveal zooms to the marker of slug (out of its cluster) and opens it.
  reveal(slug: string): void {
    const marker = this.markers.get(slug);
    if (!marker) return;
    this.highlight(slug);
    this.cluster.zoomToShowLayer(marker, () => marker.openPopup());
  }

  // refresh lays the map out again once its panel is shown.
  refresh(): void {
    this.map.invalidateSize();
  }

  // bbox is the visible area as minLng,minLat,maxLng,maxLat.
  bbox(): string {
    const b = this.map.getBounds();
    const r = (x: number) => x.toFixed(5);
    return [r(Math.max(b.getWest(), -180)), r(Math.max(b.getSouth(), -90)), r(Math.min(b.getEast(), 180)), r(Math.min(b.getNorth(), 90))].join(',');
  }
}
