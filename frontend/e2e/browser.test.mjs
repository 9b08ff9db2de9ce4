// Browser tests, run by internal/app/browser_test.go against a service with
// the real Bergen data, its clock pinned to Monday 23 November 2026 11:00.
// Debian's chromium is driven by playwright-core; axe-core checks WCAG 2.1
// A and AA. Screenshots and the measured page weight go to $ARTIFACTS.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before } from 'node:test';
import { axe, base, open, test } from './harness.mjs';

const artifacts = process.env.ARTIFACTS ?? 'test-artifacts';
before(() => mkdir(join(artifacts, 'screenshots'), { recursive: true }));

const resultItems = (page) => page.locator('#results li.result');

test('searching "skomaker" fills the list and the map; the listing page has its status line and JSON-LD', async (t) => {
  const page = await open(t);
  await page.goto(base + '/');
  const before = await page.locator('#result-status').textContent();
  await page.locator('#q').pressSequentially('skomaker', { delay: 30 });
  await page.waitForURL(/q=skomaker/);
  await page.waitForFunction((old) => document.querySelector('#result-status').textContent !== old &&
    !document.querySelector('#results').hasAttribute('aria-busy'), before);
  const count = await resultItems(page).count();
  assert.ok(count >= 3, `at least the three shoemakers of the real data, got ${count}`);
  assert.equal(await page.locator('#result-status').textContent(), `${count} treff`);
  const kinds = await page.locator('#results li.result .result-categories').allTextContents();
  assert.ok(kinds.every((k) => k.includes('Sko, vesker og lær')), `every hit is a shoemaker: ${kinds}`);
  // Markers: single pins and clusters together stand for every hit.
  await page.waitForFunction((n) => [...document.querySelectorAll('#map .leaflet-marker-icon')].reduce(
    (sum, el) => sum + (el.classList.contains('cluster') ? Number(el.querySelector('[aria-hidden]').textContent) : 1), 0) === n, count);

  await page.locator('#results a', { hasText: /^Skomaker$/ }).click();
  await page.waitForURL(/\/reparator\/skomaker$/);
  assert.equal(await page.locator('h1').textContent(), 'Skomaker');
  // Mo-Fr 09:00-16:30 and Monday 11:00 in the pinned clock.
  assert.equal(await page.locator('#status-line').textContent(), 'Åpent nå – stenger 16:30');
  assert.equal(await page.locator('tr.today th').textContent(), 'Mandag I dag');
  assert.equal(await page.locator('tr.today td').textContent(), '09:00–16:30');
  const ld = JSON.parse(await page.locator('script[type="application/ld+json"]').textContent());
  assert.equal(ld['@type'], 'LocalBusiness');
  assert.equal(ld.name, 'Skomaker');
  assert.equal(ld.address.postalCode, '5015');
  assert.ok(ld.url.endsWith('/reparator/skomaker'));
  assert.ok(ld.openingHoursSpecification.some((s) => s.dayOfWeek === 'https://schema.org/Monday' && s.opens === '09:00' && s.closes === '16:30'));
  assert.equal(await page.locator('link[rel=canonical]').getAttribute('href'), 'http://localhost:8080/reparator/skomaker');
  assert.match(await page.locator('meta[name=description]').getAttribute('content'), /^Skomaker: Sko, vesker og lær i Bergenhus/);
  assert.equal(await page.locator('meta[property="og:title"]').getAttribute('content'), 'Skomaker');
  await page.locator('#listing-map .leaflet-marker-icon').waitFor();
});

test('a verified listing shows its verification, prices, voucher and a click-to-call number', async (t) => {
  const page = await open(t);
  await page.goto(base + '/reparator/sykkelfikseren-mohlenpris');
  assert.equal(await page.locator('#status-line').textContent(), 'Åpent nå – stenger 16:00');
  assert.match(await page.locator('.trust').textContent(), /Sist verifisert av Bergen kommune 1\. oktober 2026/);
  assert.equal(await page.locator('a[href="tel:+4755000000"]').textContent(), '55 00 00 00');
  assert.match(await page.locator('.facts').nth(1).textContent(), /Fra 150 kr/);
  assert.match(await page.locator('.facts').nth(1).textContent(), /Ja, tar imot kommunens reparasjonsbonus/);
  // 24 December (an exception) and the Christmas holidays (PH off) make
  // one closed stretch; New Year's Day follows.
  assert.equal(await page.locator('.exceptions li').first().textContent(), '24. desember–26. desember: Stengt');
  assert.equal(await page.locator('.exceptions li').nth(1).textContent(), '1. januar: Stengt');
  const ld = JSON.parse(await page.locator('script[type="application/ld+json"]').textContent());
  assert.equal(ld.telephone, '+4755000000');
  assert.ok(ld.specialOpeningHoursSpecification.some((s) => s.validFrom === '2026-12-24' && s.opens === '00:00' && s.closes === '00:00'));
  await axe(page, 'a verified listing page');
});

test('without JavaScript the same URL is a full server-rendered search with filters and pages', async (t) => {
  const page = await open(t, { javaScriptEnabled: false }, [400]);
  await page.goto(base + '/?q=skomaker');
  assert.ok(!(await page.locator('#map').isVisible()), 'no map without JavaScript');
  assert.ok((await resultItems(page).count()) >= 3);
  assert.equal(await page.locator('#q').inputValue(), 'skomaker');

  // The plain form: clear the text, tick a category, send.
  await page.goto(base + '/');
  await page.locator('label.chip', { hasText: 'Sykkel og sparkesykkel' }).click();
  await page.locator('button[type=submit]').click();
  await page.waitForURL(/category=sykkel/);
  const names = await page.locator('#results li.result h3').allTextContents();
  assert.ok(names.includes('Sykkelfikseren Møhlenpris'), `bike places listed: ${names}`);
  assert.ok(await page.locator('input[value=sykkel]').isChecked());

  // All 27 places that repair (the snapshot's 25, the bike shop and the
  // repair café; not the second-hand and rental places): two pages of 20.
  await page.goto(base + '/');
  assert.equal(await page.locator('#result-status').textContent(), '27 treff');
  assert.equal(await resultItems(page).count(), 20);
  await page.locator('.pagination a[rel=next]').click();
  await page.waitForURL(/page=2/);
  assert.equal(await resultItems(page).count(), 7);
  assert.equal(await page.locator('.pagination a[aria-current=page]').textContent(), '2');

  // A postcode orders by distance from its centre; a bad one is explained.
  await page.goto(base + '/?postnr=5015');
  assert.match(await page.locator('.active-filters').textContent(), /Nær 5015 Bergen/);
  assert.match(await page.locator('#results li.result .distance').first().textContent(), /^\d+ m unna$/);
  const bad = await page.goto(base + '/?postnr=0150');
  assert.equal(bad.status(), 400);
  assert.match(await page.locator('.error-summary').textContent(), /«0150» er ikke et postnummer i Bergen/);
  assert.equal(await page.locator('#postnr').getAttribute('aria-invalid'), 'true');

  // axe-core needs script, so it checks the page as served without ours:
  // the bundle is answered empty, which leaves the page exactly as a
  // browser without JavaScript shows it.
  const bare = await open(t);
  await bare.route('**/assets/app-*.js', (route) => route.fulfill({ contentType: 'text/javascript', body: '' }));
  // ...and without the one inline line that marks a scripted page early.
  await bare.route(/\/\?q=skomaker$/, async (route) => {
    const served = await route.fetch();
    await route.fulfill({ response: served, body: (await served.text()).replace(/<script>[^<]*<\/script>/, '') });
  });
  await bare.goto(base + '/?q=skomaker');
  assert.equal(await bare.locator('html').getAttribute('class'), 'no-js');
  assert.ok(!(await bare.locator('#map').isVisible()));
  await axe(bare, 'the no-JavaScript results page');
});

test('axe-core finds no WCAG 2.1 A/AA violations on the front page, a results state, a listing, in English and on the other pages', async (t) => {
  const page = await open(t, {}, [404]);
  await page.goto(base + '/');
  await page.locator('#map .leaflet-marker-icon').first().waitFor();
  await axe(page, '/');
  await page.locator('#q').fill('sykkel');
  await page.locator('#q').press('Enter');
  await page.waitForURL(/q=sykkel/);
  // The list still shows the front page's results until the search
  // answers, and a search in flight dims it (aria-busy): wait for the
  // sykkel results, for the debounced as-you-type request, and for it to
  // settle.
  await page.locator('#results a[href$="grov-sykkel"]').waitFor();
  await page.waitForLoadState('networkidle');
  await page.locator('#results:not([aria-busy="true"])').waitFor();
  await axe(page, 'a results state');
  await page.goto(base + '/reparator/skomaker');
  await axe(page, 'a listing page');
  for (const path of ['/?lang=en', '/om', '/tilgjengelighet', '/reparator/finnes-ikke', '/tips-oss?category=hvitevarer', '/?q=vaskemaskin&lang=en', '/for-reparatorer', '/for-reparatorer?lang=en', '/merker', '/merker?lang=en', '/?warranty_min=6&where=at_home&loaner=true']) {
    await page.goto(base + path);
    await axe(page, path);
  }
});

test('Enter right after typing sends one search, not a second one when the typing pause ends', async (t) => {
  const page = await open(t);
  await page.goto(base + '/');
  await page.locator('#map .leaflet-marker-icon').first().waitFor();
  // A paused fake clock, so the as-you-type delay passes only when the
  // test says so. install() alone keeps the clock running in real time: on
  // a slow machine typing and Enter were more than the 250 ms delay apart,
  // and the as-you-type search went out first (CI, stop 25).
  await page.clock.install();
  await page.clock.pauseAt(Date.now() + 60_000);
  const searches = [];
  page.on('request', (r) => { if (r.url().includes('/_/resultater')) searches.push(r.url()); });
  await page.locator('#q').fill('sykkel');
  const answered = page.waitForResponse((r) => r.url().includes('/_/resultater'));
  await page.locator('#q').press('Enter');
  await answered;
  await page.clock.runFor(5_000); // well past the typing delay
  await page.locator('#results a[href$="grov-sykkel"]').waitFor();
  assert.equal(searches.length, 1, `searches sent: ${searches.join(', ')}`);
  assert.equal(await page.locator('#results').getAttribute('aria-busy'), null);
});

test('English via ?lang=en is remembered in a cookie, and the toggle switches back', async (t) => {
  const page = await open(t);
  await page.goto(base + '/?lang=en');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await page.locator('h1').textContent(), 'Find someone who repairs');
  await page.goto(base + '/reparator/skomaker');
  assert.equal(await page.locator('#status-line').textContent(), 'Open now – closes 16:30');
  assert.equal(await page.locator('tr.today th').textContent(), 'Monday Today');
  const cookie = (await page.context().cookies()).find((c) => c.name === 'lang');
  assert.equal(cookie?.value, 'en');
  assert.equal(cookie?.httpOnly, true);
  assert.equal(cookie?.sameSite, 'Lax');
  await page.locator('a[hreflang=nb]').click();
  assert.equal(await page.locator('html').getAttribute('lang'), 'nb');
  assert.equal(await page.locator('#status-line').textContent(), 'Åpent nå – stenger 16:30');
});

test('keyboard only: from the search field to a listing, with visible focus and no trap in the map', async (t) => {
  const page = await open(t);
  await page.goto(base + '/');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
  await page.keyboard.press('Enter');
  let guard = 0;
  while ((await page.evaluate(() => document.activeElement.id)) !== 'q') {
    await page.keyboard.press('Tab');
    assert.ok(++guard < 10, 'the search field follows the skip link');
  }
  await page.keyboard.type('skomaker');
  await page.keyboard.press('Enter');
  await page.waitForURL(/q=skomaker/);
  await page.locator('#results li.result').first().waitFor();
  const seen = [];
  for (guard = 0; guard < 80; guard++) {
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      const label = el.closest('label.chip')?.querySelector('span');
      const shown = label ? getComputedStyle(label) : style;
      return {
        tag: el.tagName, id: el.id, text: (el.textContent || '').trim().slice(0, 40),
        inResult: !!el.closest('#results li.result'),
        visible: shown.outlineStyle !== 'none' && shown.outlineWidth !== '0px' || shown.boxShadow !== 'none',
      };
    });
    seen.push(focus.id || focus.text || focus.tag);
    assert.ok(focus.visible, `focus is visible on ${JSON.stringify(focus)}`);
    if (focus.inResult && focus.tag === 'A') break;
  }
  assert.ok(seen.includes('map'), `the map is one stop on the way: ${seen.join(' | ')}`);
  assert.ok(guard < 80, `reached a result link by Tab: ${seen.join(' | ')}`);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/reparator\//);
  await page.locator('#status-line').waitFor();
});

test('the URL holds the state: shared links restore it and Back works', async (t) => {
  const page = await open(t);
  await page.goto(base + '/');
  await page.locator('label.chip', { hasText: 'Sko, vesker og lær' }).click();
  await page.waitForURL(/category=sko/);
  await page.locator('label.toggle', { hasText: 'Tar imot reparasjonsbonus' }).click();
  await page.waitForURL(/voucher=true/);
  await page.locator('#result-status').filter({ hasText: /^0 treff$/ }).waitFor();
  await page.goBack();
  await page.waitForURL((u) => !u.search.includes('voucher'));
  assert.ok(!(await page.locator('input[name=voucher]').isChecked()));
  assert.ok(await page.locator('input[value=sko]').isChecked());
  await page.locator('#result-status').filter({ hasText: /^[1-9]\d* treff$/ }).waitFor();
  const shared = await open(t);
  await shared.goto(page.url());
  assert.equal(await shared.locator('#result-status').textContent(), await page.locator('#result-status').textContent());
});

test('suggestions complete categories and services by keyboard', async (t) => {
  const page = await open(t);
  await page.goto(base + '/');
  await page.locator('#q').pressSequentially('skom', { delay: 40 });
  const option = page.locator('#q-suggestions [role=option]', { hasText: 'Sko, vesker og lær' });
  await option.waitFor();
  assert.equal(await page.locator('#q').getAttribute('aria-expanded'), 'true');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.locator('#q').getAttribute('aria-activedescendant'), await page.locator('#q-suggestions [role=option]').first().getAttribute('id'));
  await page.keyboard.press('Enter');
  await page.waitForURL(/category=sko/);
  assert.ok(await page.locator('input[value=sko]').isChecked());
  assert.equal(await page.locator('#q').inputValue(), '');
  await page.locator('#q').pressSequentially('punk', { delay: 40 });
  await page.locator('#q-suggestions [role=option]', { hasText: 'punktering' }).waitFor();
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('#q').getAttribute('aria-expanded'), 'false');
});

test('"Nær meg" asks for the position only when pressed, and falls back to the postcode field', async (t) => {
  const granted = await open(t, { permissions: ['geolocation'], geolocation: { latitude: 60.3913, longitude: 5.3221 } });
  await granted.goto(base + '/');
  await granted.locator('#near-me').click();
  await granted.waitForURL(/lat=60\.3913&lng=5\.3221/);
  await granted.locator('#results .distance').first().waitFor();
  assert.match(await granted.locator('.active-filters').textContent(), /Nær deg/);

  const denied = await open(t);
  await denied.goto(base + '/');
  await denied.locator('#near-me').click();
  await denied.locator('#near-me-status').filter({ hasText: /postnummer/ }).waitFor();
  assert.equal(await denied.evaluate(() => document.activeElement.id), 'postnr');
  await denied.locator('#postnr').fill('5003');
  await denied.locator('#postnr').press('Tab');
  await denied.waitForURL(/postnr=5003/);
  await denied.locator('.active-filters', { hasText: 'Nær 5003 Bergen' }).waitFor();
});

test('list and map stay in step, and "Søk i dette området" searches the visible area', async (t) => {
  const page = await open(t);
  await page.goto(base + '/?q=skomaker');
  const first = resultItems(page).first();
  const slug = await first.getAttribute('data-slug');
  await first.locator('button.show-on-map').click();
  await page.locator('#map .pin-selected').waitFor();
  assert.ok(await first.evaluate((el) => el.classList.contains('selected')));
  // A click on another marker selects its list item.
  await page.keyboard.press('Escape');
  const pins = page.locator('#map .leaflet-marker-icon.pin:not(.pin-selected)');
  if ((await pins.count()) > 0) {
    await pins.first().click();
    await page.locator('#results li.result.selected').waitFor();
    assert.notEqual(await page.locator('#results li.result.selected').getAttribute('data-slug'), slug);
  }
  assert.ok(await page.locator('#search-area').isHidden(), 'no area search before the user moves the map');
  const box = await page.locator('#map').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 150, box.y + box.height / 2 + 60, { steps: 8 });
  await page.mouse.up();
  await page.locator('#search-area').waitFor();
  await page.locator('#search-area').click();
  await page.waitForURL(/bbox=/);
  await page.locator('.active-filters', { hasText: 'Innenfor kartutsnittet' }).waitFor();
});

test('320 px wide and 200 % zoom need no sideways scrolling', async (t) => {
  for (const width of [320, 640]) {
    const page = await open(t, { viewport: { width, height: 800 } });
    for (const path of ['/', '/?q=skomaker', '/?q=vaskemaskin', '/tips-oss', '/reparator/sykkelfikseren-mohlenpris', '/om']) {
      await page.goto(base + path);
      const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      assert.ok(scroll <= client, `${path} at ${width} px: content ${scroll} px wide`);
    }
  }
});

test('"Meld fra om feil" sends a report from the listing page, accessibly', async (t) => {
  const page = await open(t, {}, [400]);
  await page.goto(base + '/reparator/skomaker');
  await page.getByRole('link', { name: 'Meld fra om feil' }).click();
  await page.waitForURL(/\/reparator\/skomaker\/meld-feil$/);
  await axe(page, 'the report form');
  await page.getByRole('button', { name: 'Send meldingen' }).click();
  await page.locator('.error-summary', { hasText: 'Velg hva som er feil.' }).waitFor();
  await axe(page, 'the report form with an error');
  await page.getByLabel('Åpningstidene').check();
  await page.getByLabel('Beskriv feilen').fill('Åpner 10:00 på lørdager nå.');
  await page.getByRole('button', { name: 'Send meldingen' }).click();
  await page.waitForURL(/\/reparator\/skomaker\?meldt=1$/);
  assert.equal(await page.locator('.notice-success').textContent(), 'Takk! Meldingen er sendt til Bergen kommune.');
});

test('crawlers: sitemap lists every published listing, robots.txt points to it', async (t) => {
  const page = await open(t);
  const sitemap = await (await page.request.get(base + '/sitemap.xml')).text();
  const locs = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
  // The snapshot's 79 places of every kind, the bike shop and the café.
  assert.equal(locs.filter((l) => l.includes('/reparator/')).length, 81);
  assert.ok(locs.includes('http://localhost:8080/reparator/skomaker'));
  const robots = await (await page.request.get(base + '/robots.txt')).text();
  assert.match(robots, /Sitemap: http:\/\/localhost:8080\/sitemap\.xml/);
  const listing = await page.goto(base + '/reparator/skomaker');
  assert.equal(listing.headers()['x-robots-tag'], undefined);
  assert.equal(await page.locator('meta[name=robots]').count(), 0, 'listing pages are indexable');
});

test('first load of / stays within 150 KB transferred; screenshots are kept', async (t) => {
  const page = await open(t);
  let bytes = 0;
  const files = [];
  page.on('requestfinished', async (req) => {
    const sizes = await req.sizes();
    const n = sizes.responseBodySize + sizes.responseHeadersSize;
    bytes += n;
    files.push(`${new URL(req.url()).pathname} ${n}`);
  });
  await page.goto(base + '/', { waitUntil: 'networkidle' });
  await page.locator('#map .leaflet-marker-icon').first().waitFor();
  const kb = bytes / 1024;
  await writeFile(join(artifacts, 'page-weight.txt'), `${kb.toFixed(1)} KB transferred on first load of /\n${files.join('\n')}\n`);
  console.log(`page weight of /: ${kb.toFixed(1)} KB (${files.length} requests)`);
  assert.ok(kb <= 150, `first load of / transferred ${kb.toFixed(1)} KB`);
  assert.ok(files.some((f) => f.startsWith('/assets/app-')), 'the bundle was counted');
  await page.screenshot({ path: join(artifacts, 'screenshots', 'home-desktop.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(artifacts, 'screenshots', 'home-mobile-390.png') });
});
