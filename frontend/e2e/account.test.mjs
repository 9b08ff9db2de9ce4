// Browser tests of Min side: sign-in, register and edit pages, in Debian's
// chromium with axe-core. internal/app/browser_test.go hands over a
// signed-in session ($SESSION) of the owner of $EDIT_PATH.
import assert from 'node:assert/strict';
import { axe, base, open as openPage, test } from './harness.mjs';

const session = process.env.SESSION;
const editPath = process.env.EDIT_PATH;
assert.ok(session && editPath, 'SESSION and EDIT_PATH must be set');

// open gives a page, signed in as the owner when asked; the register form
// is sent with errors on purpose (400).
function open(t, { signedIn = false, viewport } = {}) {
  const cookies = signedIn ? [{ name: 'sid', value: session, url: base, httpOnly: true, sameSite: 'Lax' }] : [];
  return openPage(t, viewport ? { viewport } : {}, [400], cookies);
}

test('the sign-in page is accessible in both languages and explains a bad address', async (t) => {
  const page = await open(t);
  await page.goto(base + '/min-side/logg-inn');
  await axe(page, 'the sign-in page');
  await page.locator('#email').fill('ikke en adresse');
  await page.locator('button[type=submit]').click();
  await page.locator('.error-summary').waitFor();
  assert.equal(await page.locator('#email').getAttribute('aria-invalid'), 'true');
  await axe(page, 'the sign-in page with an error');
  await page.goto(base + '/min-side/logg-inn?lang=en');
  assert.equal(await page.locator('h1').textContent(), 'Sign in');
  await axe(page, 'the English sign-in page');
  // Signed out, Min side leads here and back.
  await page.goto(base + '/min-side/ny');
  assert.match(page.url(), /\/min-side\/logg-inn\?next=%2Fmin-side%2Fny/);
});

test('registering: the pin starts at the postcode and can be dragged; errors are shown at their fields', async (t) => {
  const page = await open(t, { signedIn: true });
  await page.goto(base + '/min-side/ny');
  await axe(page, 'the register page');
  await page.locator('#postcode').fill('5006');
  await page.locator('#postcode').dispatchEvent('change');
  await page.waitForFunction(() => document.querySelector('#lat').value !== '');
  const lat = Number(await page.locator('#lat').inputValue());
  assert.ok(lat > 60.3 && lat < 60.45, `the pin is in Bergen: ${lat}`);
  const pin = page.locator('#pin-map .leaflet-marker-icon');
  await page.waitForFunction(() => !document.querySelector('#pin-map .leaflet-zoom-anim'));
  await page.locator('#pin-map').scrollIntoViewIfNeeded();
  const box = await pin.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 40, box.y + box.height / 2 + 30, { steps: 8 });
  await page.mouse.up();
  await page.waitForFunction((old) => Number(document.querySelector('#lat').value) !== old, lat);
  assert.notEqual(Number(await page.locator('#lat').inputValue()), lat, 'dragging the pin moved the coordinates');
  // Another interval on Monday, by the button the script adds.
  await page.locator('fieldset.day[data-day="0"] button.add-slot').click();
  assert.equal(await page.locator('#h0_2_from').evaluate((el) => el === document.activeElement), true);
  // "Same hours Tuesday–Friday" in one tap: Monday's rows, extra ones too.
  await page.locator('#h0_0_from').fill('09:00');
  await page.locator('#h0_0_to').fill('17:00');
  await page.locator('#h0_2_from').fill('18:00');
  await page.locator('#h0_2_to').fill('20:00');
  await page.locator('button.copy-monday').click();
  assert.equal(await page.locator('#h4_0_from').inputValue(), '09:00');
  assert.equal(await page.locator('#h4_0_to').inputValue(), '17:00');
  assert.equal(await page.locator('#h1_2_to').inputValue(), '20:00');
  assert.equal(await page.locator('#h5_0_from').inputValue(), '', 'Saturday keeps its own hours');
  assert.match(await page.locator('#hours-status').textContent(), /samme åpningstider som mandag/);
  // Send with a bad phone number and no name.
  await page.locator('#phone').fill('12');
  await page.locator('button[type=submit].button-primary').click();
  await page.locator('.error-summary').waitFor();
  assert.equal(await page.locator('#phone').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#name').getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('#phone-error').textContent(), /gyldig telefonnummer/);
  await axe(page, 'the register page with errors');
});

test('editing on a phone: the form fits 390 px and passes axe, in English too', async (t) => {
  const page = await open(t, { signedIn: true, viewport: { width: 390, height: 844 } });
  await page.goto(base + editPath);
  assert.match(await page.locator('h1').textContent(), /Sykkelfikseren/);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling at 390 px (overflow ${overflow}px)`);
  await axe(page, 'the edit page');
  await page.goto(base + editPath + '?lang=en');
  assert.match(await page.locator('h1').textContent(), /^Edit Sykkelfikseren/);
  await axe(page, 'the English edit page');
  await page.goto(base + '/min-side?lang=nb');
  await axe(page, 'Min side');
});

test('onboarding on a phone: the organisation number fills the form, the address completes by keyboard, and it is sent', async (t) => {
  const page = await open(t, { signedIn: true, viewport: { width: 390, height: 844 } });
  await page.goto(base + '/min-side/ny');
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok((await overflow()) <= 0, 'no sideways scrolling at 390 px');
  // The number fills name, address and category from the register.
  await page.locator('#org_number').fill('912 000 028');
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => /FIKS/.test(document.querySelector('#orgnr-status').textContent));
  assert.equal(await page.locator('#name').inputValue(), 'FIKS MOBIL BERGEN');
  assert.equal(await page.locator('#postcode').inputValue(), '5013');
  assert.equal(await page.locator('input[name=category][value=mobil-data]').isChecked(), true);
  assert.match(await page.locator('#orgnr-status').textContent(), /FIKS MOBIL BERGEN/);
  // The street completes from the address API, by keyboard alone.
  const street = page.locator('#street');
  assert.equal(await street.getAttribute('role'), 'combobox');
  await street.focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('Strandgaten 3', { delay: 20 });
  await page.locator('#street-suggestions li').first().waitFor();
  assert.equal(await street.getAttribute('aria-expanded'), 'true');
  await axe(page, 'the register form with address suggestions open');
  await page.keyboard.press('ArrowDown');
  assert.match(await street.getAttribute('aria-activedescendant'), /^street-suggestions-0$/);
  await page.keyboard.press('Enter');
  assert.equal(await street.inputValue(), 'Strandgaten 3');
  assert.equal(await page.locator('#postcode').inputValue(), '5013');
  assert.equal(await page.locator('#lat').inputValue(), '60.394800', 'the pin is at the door');
  assert.equal(await street.getAttribute('aria-expanded'), 'false');
  // Hours in two taps: Monday, then the same for Tuesday to Friday; closed
  // on public holidays is one more.
  await page.locator('#h0_0_from').fill('10:00');
  await page.locator('#h0_0_to').fill('17:00');
  await page.locator('button.copy-monday').click();
  assert.equal(await page.locator('#h3_0_to').inputValue(), '17:00');
  await page.locator('#holidays_closed').check();
  assert.ok((await overflow()) <= 0, 'still no sideways scrolling with everything filled in');
  await axe(page, 'the filled-in register form on a phone');
  await page.locator('button[type=submit].button-primary').click();
  await page.waitForURL(/\/min-side\?melding=registered/);
  assert.match(await page.locator('main').textContent(), /FIKS MOBIL BERGEN/);
});
