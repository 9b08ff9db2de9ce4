// Repair cafés' sessions, the repair bus, following a place, and the kinds
// of place on the map: every new page passes axe in both languages; an
// owner publishes sessions by keyboard; the map tells kinds apart by shape
// and names them in a legend.
import assert from 'node:assert/strict';
import { axe, base, open, test } from './harness.mjs';

const cafePath = process.env.CAFE_PATH;
const ownerEvents = process.env.OWNER_EVENTS_PATH;
const followConfirm = process.env.FOLLOW_CONFIRM_PATH;
const followStop = process.env.FOLLOW_STOP_PATH;
const session = process.env.SESSION;
const adminSession = process.env.ADMIN_SESSION;
assert.ok(cafePath && ownerEvents && followConfirm && followStop && session && adminSession, 'the events environment must be set');

const cookie = (value) => [{ name: 'sid', value, url: base, httpOnly: true, sameSite: 'Lax' }];

test("the calendar, the bus, a café's sessions and following are accessible, in both languages", async (t) => {
  const page = await open(t);
  for (const lang of ['nb', 'en']) {
    await page.goto(`${base}/kalender?lang=${lang}`);
    assert.match(await page.locator('main').textContent(), lang === 'nb' ? /Reparasjonskafé/ : /Repair café/);
    await axe(page, `the calendar (${lang})`);
    await page.goto(`${base}/reparasjonsbussen?postnr=5116&lang=${lang}`);
    assert.match(await page.locator('[role="status"]').textContent(), /Åsane senter/);
    await axe(page, `the repair bus (${lang})`);
    await page.goto(`${base}${cafePath}?lang=${lang}`);
    assert.match(await page.locator('.listing-sessions').textContent(), lang === 'nb' ? /Avlyst/ : /Cancelled/);
    await axe(page, `a café's page with its sessions (${lang})`);
    await page.goto(`${base}/folg?oppforing=${cafePath.split('/').pop()}&lang=${lang}`);
    await axe(page, `the follow form (${lang})`);
    await page.goto(`${base}/folg?category=sko&district=asane&lang=${lang}`);
    await axe(page, `the follow form for a district (${lang})`);
    await page.goto(`${base}${followConfirm}&lang=${lang}`);
    await axe(page, `the follow confirmation page (${lang})`);
    await page.getByRole('button').filter({ hasText: lang === 'nb' ? 'Ja, send meg e-post' : 'Yes, e-mail me' }).click();
    await page.locator('[role="status"]').waitFor();
    await axe(page, `the follow confirmed (${lang})`);
    await page.goto(`${base}${followStop}&lang=${lang}`);
    await axe(page, `the unsubscribe page (${lang})`);
  }
  await page.getByRole('button', { name: 'Stop' }).click();
  await page.locator('[role="status"]').waitFor();
  assert.match(await page.locator('main').textContent(), /No more e-mails/);
  await axe(page, 'unsubscribed (en)');
});

test('a resident follows a café by keyboard, and a bad address is named at its field', async (t) => {
  const page = await open(t, {}, [400]); // the bad address, on purpose
  await page.goto(base + cafePath);
  const follow = page.getByRole('link', { name: 'Få e-post om nye ganger' });
  await follow.focus();
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.pathname === '/folg');
  await page.locator('#email').focus();
  await page.keyboard.type('ikke-en-adresse');
  await page.keyboard.press('Enter');
  await page.locator('.error-summary a[href="#email"]').waitFor();
  assert.equal(await page.locator('#email').getAttribute('aria-invalid'), 'true');
  await axe(page, 'the follow form with an error (nb)');
  await page.locator('#email').fill('nabo@example.test');
  await page.getByRole('button', { name: 'Send meg en bekreftelse' }).press('Enter');
  await page.locator('[role="status"]').waitFor();
  assert.match(await page.locator('main').textContent(), /Sjekk e-posten din/);
  await axe(page, 'the follow sent page (nb)');
});

test('an owner publishes weekly sessions by keyboard', async (t) => {
  const page = await open(t, {}, [400], cookie(session)); // the bad time, on purpose
  await page.goto(base + ownerEvents);
  await axe(page, "the owner's events (nb)");
  const add = page.getByRole('link', { name: 'Nytt arrangement' });
  await add.focus();
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.pathname.endsWith('/arrangementer/ny'));
  await axe(page, 'the event form (nb)');
  await page.locator('#title').fill('Sykkeldugnad');
  await page.locator('#repeat').selectOption('weekly');
  await page.locator('#end').fill('09:00');
  await page.locator('#start').fill('10:00');
  await page.locator('#end').fill('09:00');
  await page.getByRole('button', { name: 'Lagre' }).press('Enter');
  await page.locator('.error-summary').waitFor();
  await axe(page, 'the event form with an error (nb)');
  await page.locator('#end').fill('13:00');
  await page.getByRole('button', { name: 'Lagre' }).press('Enter');
  await page.waitForURL((u) => u.pathname.endsWith('/arrangementer'));
  assert.match(await page.locator('main table').textContent(), /Sykkeldugnad/);
  for (const lang of ['en']) {
    await page.goto(`${base}${ownerEvents}?lang=${lang}`);
    await axe(page, `the owner's events (${lang})`);
    await page.goto(`${base}${ownerEvents}/ny?lang=${lang}`);
    await axe(page, `the event form (${lang})`);
  }
});

test("the console's events, bus and planning view are accessible, in both languages", async (t) => {
  const page = await open(t, {}, [], cookie(adminSession));
  for (const lang of ['nb', 'en']) {
    for (const [path, name] of [['/admin/arrangementer', 'events'], ['/admin/arrangementer/ny', 'event form'],
      ['/admin/reparasjonsbussen', 'repair bus'], ['/admin/statistikk?vis=events', 'planning view by sessions']]) {
      await page.goto(`${base}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
      await axe(page, `the console's ${name} (${lang})`);
    }
  }
});

test('the map tells kinds of place apart by shape, and names them in a legend', async (t) => {
  const page = await open(t, { viewport: { width: 1280, height: 900 } });
  await page.goto(`${base}/?kind=second_hand`);
  await page.locator('#map .leaflet-marker-icon, #map .cluster').first().waitFor();
  const legend = page.locator('.map-legend li');
  assert.equal(await legend.count(), 5);
  assert.deepEqual(
    (await legend.allTextContents()).map((s) => s.trim()),
    ['Reparatør', 'Reparasjonskafé', 'Bruktbutikk', 'Utleie og utlån', 'Salg av reparerte varer'],
  );
  // Each kind's pin has its own shape inside.
  const shapes = await page.$$eval('.map-legend li svg .mark', (marks) => marks.map((m) => m.tagName + (m.getAttribute('d') ?? '')));
  assert.equal(new Set(shapes).size, 5);
  // Markers, not the legend's pins: second-hand shops (or their clusters),
  // and no repairer.
  await page.waitForFunction(() => document.querySelectorAll('#map .leaflet-marker-icon.pin-second_hand, #map .leaflet-marker-icon.cluster').length > 0);
  assert.equal(await page.locator('#map .leaflet-marker-icon.pin-repair').count(), 0, 'only second-hand shops were asked for');
  await axe(page, 'the map with second-hand shops and its legend');
});
