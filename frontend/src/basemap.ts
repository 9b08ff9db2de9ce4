import L from './leaflet-global';
import { getConfig, t } from './config';

// Bergen, whole municipality.
export const bergenBounds = L.latLngBounds([60.18, 5.0], [60.56, 5.62]);

// addBaseLayers draws the map tiles when a tile URL is configured, and the
// district outlines always, so that the map still means something offline
// or with tiles disabled.
export function addBaseLayers(map: L.Map, districtsUrl?: string): void {
  const cfg = getConfig();
  L.control.zoom({ zoomInTitle: t('zoom_in'), zoomOutTitle: t('zoom_out') }).addTo(map);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  if (cfg.tileUrl) {
    L.tileLayer(cfg.tileUrl, {
      maxZoom: 18,
      attribution: link(cfg.tileAttribution, cfg.tileAttributionUrl),
    }).addTo(map);
  }
  if (districtsUrl) {
    fetch(districtsUrl)
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
      .then((geo) => {
        L.geoJSON(geo, {
          interactive: false,
          style: { color: '#0b4f82', weight: 1.5, opacity: 0.7, fillColor: '#0b4f82', fillOpacity: cfg.tileUrl ? 0 : 0.04 },
        })
          .addTo(map)
          .bringToBack();
        map.attributionControl.addAttribution(t('map_districts_attribution'));
      })
      .catch(() => {
        /* the outlines are decoration; the list stays the full answer */
      });
  }
}

function link(text: string, href: string): string {
  const a = document.createElement('a');
  a.textContent = text;
  if (href) a.href = href;
  return href ? a.outerHTML : escapeHTML(text);
}

export function escapeHTML(s: string): string {
  const div = document.createElement('div');
  div.textContent = s;
  return div.innerHTML;
}

// pin is the marker icon: an SVG drop, no image files to fetch.
export function pin(selected = false, approximate = false): L.DivIcon {
  return L.divIcon({
    className: (selected ? 'pin pin-selected' : 'pin') + (approximate ? ' pin-approximate' : ''),
    html: '<svg viewBox="0 0 24 34" width="24" height="34" aria-hidden="true" focusable="false"><path d="M12 33s11-12.3 11-21A11 11 0 0 0 1 12c0 8.7 11 21 11 21z"/><circle cx="12" cy="12" r="4.2" fill="#fff"/></svg>',
    iconSize: [24, 34],
    iconAnchor: [12, 33],
    popupAnchor: [0, -30],
  });
}
