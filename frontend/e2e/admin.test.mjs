// Browser tests of the municipality's console, in Debian's chromium with
// axe-core. internal/app/browser_test.go hands over a signed-in admin
// session ($ADMIN_SESSION), a waiting listing ($PENDING_PATH) and an open
// error report.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { before } from 'node:test';
import { axe, base, open as openPage, test } from './harness.mjs';

const shots = join(process.env.ARTIFACTS ?? 'test-artifacts', 'screenshots');
before(() => mkdir(shots, { recursive: true }));

const session = process.env.ADMIN_SESSION;
const pendingPath = process.env.PENDING_PATH;
assert.ok(session && pendingPath, 'ADMIN_SESSION and PENDING_PATH must be set');

function open(t, viewport) {
  const cookies = [{ name: 'sid', value: session, url: base, httpOnly: true, sameSite: 'Lax' }];
  return openPage(t, viewport ? { viewport } : {}, [], cookies);
}

test('every admin page is accessible, in both languages', async (t) => {
  const page = await open(t);
  for (const path of ['/admin', pendingPath, '/admin/ferskhet', '/admin/import', '/admin/reparasjonsbonus', '/admin/statistikk', '/admin/ordliste?prov=bytte+glidel%C3%A5s+%C3%A5sane', '/admin/enhetsregisteret', '/admin/oppforinger?q=sko', '/admin/merker']) {
    for (const lang of ['nb', 'en']) {
      const response = await page.goto(base + path + '?lang=' + lang);
      assert.equal(response.status(), 200, path);
      await axe(page, `${path} (${lang})`);
    }
  }
  for (const [path, name] of [['/admin', 'admin-queue'], [pendingPath, 'admin-listing'], ['/admin/statistikk', 'admin-statistics']]) {
    await page.goto(base + path + '?lang=nb');
    await page.screenshot({ path: join(shots, name + '.png'), fullPage: true });
  }
});

test('an editor verifies a waiting listing with the keyboard, then hides it as temporarily closed', async (t) => {
  const page = await open(t);
  await page.goto(base + pendingPath + '?lang=nb');
  const verify = page.getByRole('button', { name: 'Verifiser' });
  await verify.focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/melding=verified/);
  assert.match(await page.locator('.notice-success').textContent(), /verifisert og synlig/);
  assert.match(await page.locator('.badge').first().textContent(), /Synlig for alle/);
  await axe(page, 'the listing after verifying');
  // Hidden again (temporarily closed), so the public tests that count the
  // published listings see the fixture as it was.
  await page.locator('#hide-reason').selectOption('temporarily_closed');
  await page.getByRole('button', { name: 'Skjul oppføringen' }).click();
  await page.waitForURL(/melding=hidden/);
  assert.match(await page.locator('.badge').first().textContent(), /Skjult/);
  assert.match(await page.locator('.facts').textContent(), /Midlertidig stengt/);
});

test('the import preview is accessible, with errors and a duplicate to decide', async (t) => {
  const page = await open(t);
  await page.goto(base + '/admin/import?lang=nb');
  await page.locator('#file').setInputFiles({
    name: 'verksteder.csv', mimeType: 'text/csv',
    buffer: Buffer.from('organisasjonsnummer;navn;postnummer;kategori;lat;lng\n123456789;Feil;5003;sko;;\n;Sykkelfikseren Møhlenpris AS;5005;sykkel;60.3966;5.3140\n'),
  });
  await page.getByRole('button', { name: 'Vis hva som ville skje' }).click();
  await page.locator('.import-preview').waitFor();
  assert.match(await page.locator('.import-preview').textContent(), /er ikke gyldig/);
  assert.equal(await page.locator('fieldset.decision input[value=merge]').isChecked(), true);
  await axe(page, 'the import preview');
});

test('an import being written shows its progress accessibly, in both languages', async (t) => {
  const page = await open(t);
  const path = process.env.IMPORT_RUN_PATH;
  assert.ok(path, 'IMPORT_RUN_PATH must be set');
  for (const [lang, text] of [['nb', /1\s200 av 5\s000 rader skrevet, 20 rader i sekundet, om lag 3 min 10 s igjen/], ['en', /1,200 of 5,000 rows written, 20 rows a second, about 3 min 10 s left/]]) {
    await page.goto(base + path + '?lang=' + lang);
    assert.match(await page.getByRole('status').textContent(), text);
    const bar = page.getByRole('progressbar');
    assert.equal(await bar.getAttribute('value'), '1200');
    assert.match(await bar.evaluate((el) => el.labels.length ? '' : document.getElementById(el.getAttribute('aria-labelledby')).textContent), /1\s?[,\s]?200/);
    await axe(page, `the import progress (${lang})`);
  }
  // The page's script follows the run without reloading (same figures here: the clock is pinned).
  await page.waitForRequest((r) => r.url().endsWith(path + '/status'), { timeout: 5000 });
});

test('the statistics page works at 390 px without sideways scrolling of the page', async (t) => {
  const page = await open(t, { width: 390, height: 844 });
  await page.goto(base + '/admin/statistikk');
  const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  assert.equal(wide, false, 'the page scrolls sideways');
  assert.ok(await page.locator('.choropleth svg path').count() >= 8, 'the map has the eight districts');
});
