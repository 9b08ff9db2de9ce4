// Leaflet.markercluster extends the global L, so Leaflet is made global
// before the plugin is imported (modules run in import order).
import L from 'leaflet';

(window as unknown as { L: typeof L }).L = L;

export default L;
