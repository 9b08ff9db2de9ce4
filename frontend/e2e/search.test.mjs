// The search page as a resident meets it: results in sight on a phone and
// on a desktop, empty answers that say why and what next, a map of every
// match, and a home page that does not shift as it loads. The clock is
// Monday 23 November 2026, 11:00 in Bergen (see browser_test.go).
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before } from 'node:test';
import { axe, base, open, test } from './harness.mjs';

const artifacts = process.env.ARTIFACTS ?? 'test-artifacts';
before(() => mkdir(join(artifacts, 'screenshots'), { recursive: true }));
const shot = (page, name) => page.screenshot({ path: join(artifacts, 'screenshots', name) });

// inView reports whether the element lies wholly inside the viewport.
const inView = (page, selector) =>
  page.locator(selector).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0;
  });

test('on a phone, the count and the first results are in sight after a search', async (t) => {
  const page = await open(t, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await page.goto(base + '/');
  await page.locator('#q').fill('skomaker');
  await page.locator('#q').press('Enter');
  await page.waitForURL(/q=skomaker/);
  await page.locator('#results li.result').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('#results').hasAttribute('aria-busy'));
  assert.ok(await inView(page, '#result-status'), 'the result count is in sight');
  assert.ok(await inView(page, '#results li.result'), 'the first result is in sight');
  await shot(page, 'phone-after-search.png');
  // The filters are one tap away, and the map behind its toggle.
  const filters = page.locator('#filters-toggle');
  assert.equal(await filters.getAttribute('aria-expanded'), 'false');
  await filters.click();
  assert.equal(await filters.getAttribute('aria-expanded'), 'true');
  assert.ok(await page.locator('#district').isVisible(), 'the filters open');
  const mapToggle = page.locator('#map-toggle');
  assert.equal(await page.locator('#map').isVisible(), false, 'the map waits behind its toggle');
  await mapToggle.click();
  assert.ok(await page.locator('#map').isVisible(), 'the map opens');
  await axe(page, 'the search page on a phone');
  // A page load with a query (a shared link) is collapsed the same way.
  await page.goto(base + '/?q=sykkel');
  assert.ok(await inView(page, '#results li.result'), 'the first result of a shared link is in sight');
});

test('on a desktop, the first results and an empty answer are above the fold', async (t) => {
  const page = await open(t);
  await page.goto(base + '/?q=skomaker');
  assert.ok(await inView(page, '#results li.result'), 'the first result is above the fold');
  assert.equal(await page.locator('#map-toggle').isVisible(), false, 'the map needs no toggle beside the list');
  await page.goto(base + '/?q=vaskemaskin');
  assert.ok(await inView(page, '#results .empty'), 'the empty answer is above the fold');
  assert.match(await page.locator('#results .empty').textContent(), /Vi kjenner ikke til noen som reparerer «Hvitevarer» i Bergen ennå/);
  await shot(page, 'empty-no-repairer.png');
  await axe(page, 'an empty answer');

  await page.goto(base + '/?q=skomaker&open=today&open_time=22:00');
  const closed = await page.locator('#results .empty').textContent();
  assert.match(closed, /Ingen av dem er åpne på det tidspunktet\./);
  assert.match(closed, /6 steder, ingen åpne da – nærmeste åpner i morgen/);
  assert.ok(await page.locator('.active-filters a', { hasText: 'Åpen senere i dag' }).isVisible(), 'the time filter is a removable pill');
  await shot(page, 'empty-closed.png');
  await page.locator('#results .alternatives a').first().click();
  await page.waitForURL((u) => !u.search.includes('open'));
  assert.ok((await page.locator('#results li.result').count()) === 6, 'the alternative shows the six shoemakers');

  await page.goto(base + '/?q=skomaker&district=asane');
  assert.match(await page.locator('#results .empty').textContent(), /6 treff i andre bydeler/);
  await shot(page, 'empty-district.png');
});

test('the map shows every match, not only the page, and its pop-ups say when a place opens', async (t) => {
  const page = await open(t);
  await page.goto(base + '/?q=reparasjon');
  const total = Number((await page.locator('#result-status').textContent()).match(/\d+/)[0]);
  assert.ok(total > 20, `more matches (${total}) than a page`);
  assert.equal(await page.locator('#results li.result').count(), 20);
  await page.waitForFunction((n) => [...document.querySelectorAll('#map .leaflet-marker-icon')].reduce(
    (sum, el) => sum + (el.classList.contains('cluster') ? Number(el.querySelector('[aria-hidden]').textContent) : 1), 0) === n, total);
  await page.goto(base + '/?q=skredder+fana');
  await page.locator('#results li.result').first().waitFor();
  await page.locator('#results li.result a').first().focus();
  await page.locator('#results li.result a').first().press('Enter');
  await page.waitForURL(/\/reparator\//);
  await page.goBack();
  const popup = await page.evaluate(async () => {
    const r = await fetch('/_/kart?q=skredder+fana');
    return r.json();
  });
  assert.ok(popup.places.length >= 2 && popup.places.every((p) => p.status && p.directions), 'every map place has its status and directions');
});

test('the home page does not shift as it loads (CLS at most 0.05)', async (t) => {
  const page = await open(t);
  await page.addInitScript(() => {
    window.__cls = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await page.goto(base + '/', { waitUntil: 'networkidle' });
  await page.waitForTimeout(500); // let late shifts (the map, fonts) be counted
  const cls = await page.evaluate(() => window.__cls);
  await writeFile(join(artifacts, 'cls.txt'), `home page CLS at 1280x900: ${cls.toFixed(4)}\n`);
  assert.ok(cls <= 0.05, `CLS ${cls.toFixed(3)} > 0.05`);
});

test('typing marks its fetches, and an empty answer counts once typing rests', async (t) => {
  const page = await open(t);
  await page.goto(base + '/');
  const fetched = [];
  page.on('request', (r) => {
    if (r.url().includes('/_/resultater')) fetched.push(new URL(r.url()).searchParams);
  });
  // Waits for the counted fetch itself rather than a fixed time past the
  // 1.5 s rest, which a loaded machine can overrun.
  const countedSent = page.waitForRequest((r) => r.url().includes('/_/resultater') && !r.url().includes('typing=1'));
  await page.locator('#q').pressSequentially('kobbersmedx', { delay: 60 });
  await page.waitForFunction(() => document.querySelector('#result-status').textContent.startsWith('0'));
  await countedSent;
  const typing = fetched.filter((p) => p.get('typing') === '1');
  const counted = fetched.filter((p) => p.get('typing') !== '1');
  assert.ok(typing.length >= 1, `as-you-type fetches carry typing=1: ${fetched.map(String)}`);
  assert.deepEqual(counted.map((p) => p.get('q')), ['kobbersmedx'], 'one counted fetch, of the whole word');
});
