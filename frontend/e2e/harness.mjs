// What every browser test file shares: Debian's chromium driven by
// playwright-core, a page per test that fails on console errors, and an
// axe-core check for WCAG 2.1 A and AA.
import { after, before, test as nodeTest } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

export const base = process.env.BASE_URL;
assert.ok(base, 'BASE_URL must be set');
const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// Every test has a deadline, so a wait that never ends fails instead of hanging.
export const test = (name, fn) => nodeTest(name, { timeout: 60_000 }, fn);

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});
after(async () => browser?.close());

// open gives a page in a fresh context (with the given cookies); errors in
// the console (a CSP violation, a failed script) fail the test that made
// them, but for the error statuses a test asks for on purpose (allowed).
export async function open(t, options = {}, allowed = [], cookies = []) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  context.setDefaultTimeout(10_000);
  if (cookies.length > 0) await context.addCookies(cookies);
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !allowed.some((status) => m.text().includes(`status of ${status}`))) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  t.after(async () => {
    await context.close();
    assert.deepEqual(errors, [], 'no errors in the browser console');
  });
  return page;
}

export async function axe(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  );
  const report = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`);
  assert.deepEqual(report, [], `axe-core found WCAG 2.1 A/AA violations on ${name}`);
  assert.ok(result.passes.length > 0 && result.testEngine.name === 'axe-core', `axe-core ran its checks on ${name}`);
}
