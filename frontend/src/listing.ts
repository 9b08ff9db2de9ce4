import L from './leaflet-global';
import { addBaseLayers, pin } from './basemap';

// initListingMap shows the place on a small map on its page.
export function initListingMap(el: HTMLElement): void {
  const lat = Number(el.dataset.lat);
  const lng = Number(el.dataset.lng);
  if (!Number.isFinite(lat) || !Number.isFinite(lng)) return;
  const map = L.map(el, { scrollWheelZoom: false, keyboard: false, maxZoom: 18, zoomControl: false }).setView([lat, lng], 16);
  addBaseLayers(map);
  L.marker([lat, lng], { icon: pin(true), keyboard: false, interactive: false }).addTo(map);
}
