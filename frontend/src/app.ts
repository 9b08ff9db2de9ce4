// The one script of the site. The pages work without it; it adds the map,
// live search and suggestions.
import { SearchPage } from './search';
import { ResultMap } from './map';
import { initListingMap } from './listing';
import { initListingForm } from './listingform';
import { followImport } from './importprogress';

document.documentElement.classList.replace('no-js', 'js');

const form = document.getElementById('search-form') as HTMLFormElement | null;
if (form) {
  const page = new SearchPage(form);
  const mapEl = document.getElementById('map');
  if (mapEl) {
    const map = new ResultMap(mapEl, (slug) => page.onMarkerSelected(slug), () => page.onMapMoved());
    page.attachMap(map);
  }
}

const listingMap = document.getElementById('listing-map');
if (listingMap) initListingMap(listingMap);

const listingForm = document.getElementById('listing-form') as HTMLFormElement | null;
if (listingForm) initListingForm(listingForm);

const importProgress = document.getElementById('import-progress');
if (importProgress) followImport(importProgress);
