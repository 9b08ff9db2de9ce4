// Quote requests on the European Repair Information Form: every step's
// page passes axe in both languages; a resident reaches the request from
// the listing page and sends it by keyboard; the repairer's form names
// its errors at their fields.
import assert from 'node:assert/strict';
import { axe, base, open, test } from './harness.mjs';

const request = process.env.QUOTE_REQUEST_PATH;
const confirm = process.env.QUOTE_CONFIRM_PATH;
const answer = process.env.QUOTE_ANSWER_PATH;
const view = process.env.QUOTE_VIEW_PATH;
const listingPath = request.replace(/\/pristilbud$/, '');

test('a resident asks for a quote by keyboard from the listing page', async (t) => {
  const page = await open(t, {}, [400]); // the bad address, on purpose
  await page.goto(base + listingPath);
  const cta = page.getByRole('link', { name: 'Be om pristilbud' });
  await cta.focus();
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.pathname === request);
  await axe(page, 'the quote request form (nb)');
  await page.locator('#category').selectOption('sykkel');
  await page.locator('#brand').focus();
  await page.keyboard.type('DBS');
  await page.locator('#fault').focus();
  await page.keyboard.type('Bakbremsen tar ikke');
  await page.locator('#email').focus();
  await page.keyboard.type('ikke-en-adresse');
  await page.keyboard.press('Enter');
  // A bad address is named at its field, and the summary links to it.
  await page.locator('.error-summary a[href="#email"]').waitFor();
  assert.equal(await page.locator('#email').getAttribute('aria-invalid'), 'true');
  await axe(page, 'the quote request form with an error (nb)');
  await page.locator('#email').fill('syklist@example.test');
  await page.getByRole('button', { name: 'Send forespørselen' }).press('Enter');
  await page.locator('.notice[role="status"]').waitFor();
  assert.match(await page.locator('.notice').textContent(), /Sjekk e-posten din/);
  await axe(page, 'the quote request sent (nb)');
});

test('every step of a quote request is accessible, in both languages', async (t) => {
  const page = await open(t);
  for (const lang of ['nb', 'en']) {
    await page.goto(`${base}${request}?lang=${lang}`);
    await axe(page, `the quote request form (${lang})`);
    await page.goto(`${base}${confirm}&lang=${lang}`);
    assert.equal(await page.getByRole('button').filter({ hasText: lang === 'nb' ? 'Send forespørselen' : 'Send the request' }).count(), 1);
    await axe(page, `the confirmation page (${lang})`);
    await page.goto(`${base}${answer}&lang=${lang}`);
    await axe(page, `the repairer's form (${lang})`);
    await page.goto(`${base}${view}&lang=${lang}`);
    assert.match(await page.locator('main').textContent(), lang === 'nb' ? /Europeisk skjema for reparasjonsopplysninger/ : /European Repair Information Form/);
    await axe(page, `the resident's answer (${lang})`);
  }
});

test("the repairer's form names what is missing at its field", async (t) => {
  const page = await open(t, {}, [400]); // the missing price, on purpose
  await page.goto(base + answer);
  await page.locator('#defect').fill('Slitt kabel');
  await page.locator('#repair').fill('Ny kabel');
  await page.locator('#days').fill('2');
  await page.locator('#loaner-no').check();
  await page.locator('#hand_over-in_shop').check();
  await page.getByRole('button', { name: 'Send skjemaet til kunden' }).click();
  await page.locator('.error-summary a[href="#price_nok"]').waitFor();
  assert.equal(await page.locator('#price_nok').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#defect').inputValue(), 'Slitt kabel', 'what was typed is kept');
  await axe(page, "the repairer's form with an error");
});
