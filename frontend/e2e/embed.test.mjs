// The embeddable search: its configurator and the framed page pass axe in
// both languages, and the framed page shows inside a page of another
// origin (a server this test starts), with listings opening in a new tab.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { axe, base, open, test } from './harness.mjs';

test('the embed configurator and the framed search are accessible, in both languages', async (t) => {
  const page = await open(t);
  for (const lang of ['nb', 'en']) {
    await page.goto(`${base}/innbygging?lang=${lang}&category=sko&kind=repair&embed_lang=${lang}&height=500`);
    assert.match(await page.locator('#snippet').inputValue(), /^<iframe src="http:\/\/.+\/innbygget\?category=sko&amp;kind=repair&amp;lang=/);
    assert.equal(await page.locator('#kind').inputValue(), 'repair');
    await axe(page, `the embed configurator (${lang})`);
    await page.goto(`${base}/innbygget?category=sko&lang=${lang}`);
    await axe(page, `the framed search (${lang})`);
  }
});

test('the framed search shows on a page of another origin, and its listings open in a new tab', async (t) => {
  const other = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="nb"><head><title>Bydelssider</title></head><body><h1>Bydelssider</h1>
      <iframe src="${base}/innbygget?category=sko&lang=nb" title="Reparatører i Bergen" width="100%" height="600"></iframe></body></html>`);
  });
  await new Promise((resolve) => other.listen(0, '127.0.0.1', resolve));
  t.after(() => other.close());
  const origin = `http://localhost:${other.address().port}`; // another origin than the service's
  assert.notEqual(new URL(origin).origin, new URL(base).origin);
  const page = await open(t);
  await page.goto(origin + '/');
  const frame = page.frameLocator('iframe[title="Reparatører i Bergen"]');
  const first = frame.locator('.result-name a').first();
  await first.waitFor();
  assert.equal(await first.getAttribute('target'), '_blank');
  assert.match(await frame.locator('.count').textContent(), /\d+ (reparatør|treff)/);
  // Keyboard: the search field and the first listing are reachable by Tab.
  await frame.locator('#q').focus();
  await page.keyboard.type('skomaker');
  await page.keyboard.press('Enter');
  await frame.locator('.result-name a').first().waitFor();
});
