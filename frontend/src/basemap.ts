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
// kindMarks tell the kinds of place apart by the shape inside the pin (and
// by colour, never by colour alone; the legend names each).
export const kindMarks: Record<string, string> = {
  repair: '<circle class="mark" cx="12" cy="12" r="4.2"/>',
  repair_cafe: '<path class="mark" d="M12 16.6l-4.3-4.2a2.6 2.6 0 0 1 4.3-3.1 2.6 2.6 0 0 1 4.3 3.1z"/>',
  second_hand: '<rect class="mark" x="8" y="8" width="8" height="8"/>',
  rental: '<path class="mark" d="M12 6.8l5.2 9H6.8z"/>',
  refurbished: '<path class="mark" d="M12 6.4l5.4 5.6-5.4 5.6-5.4-5.6z"/>',
};

// pinSVG is the pin of a kind of place, for the map and its legend.
export function pinSVG(kind = 'repair'): string {
  return `<svg viewBox="0 0 24 34" width="24" height="34" aria-hidden="true" focusable="false"><path d="M12 33s11-12.3 11-21A11 11 0 0 0 1 12c0 8.7 11 21 11 21z"/>${kindMarks[kind] ?? kindMarks.repair}</svg>`;
}

export function pin(selected = false, approximate = false, kind = 'repair'): L.DivIcon {
  const k = kind in kindMarks ? kind : 'repair';
  return L.divIcon({
    className: (selected ? 'pin pin-selected' : 'pin') + (approximate ? ' pin-approximate' : '') + ` pin-${k}`,
    html: pinSVG(k),
    iconSize: [24, 34],
    iconAnchor: [12, 33],
    popupAnchor: [0, -30],
  });
}
