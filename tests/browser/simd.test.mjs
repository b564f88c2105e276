// The site's wasm is built with WebAssembly SIMD: a browser without it gets a clear message in
// English and Chinese instead of a page that fails to start (here the browser's
// WebAssembly.validate is made to say no). Fails on any console error.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, screenshot, useSite } from './harness.mjs';

const site = useSite();

test('without WebAssembly SIMD the page says what it needs', { timeout: 60_000 }, async () => {
  const page = await site.browser.newPage({ viewport: { width: 375, height: 700 } });
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(() => {
    WebAssembly.validate = () => false;
  });
  await page.goto(site.url, { waitUntil: 'load' });
  await page.waitForSelector('#no-simd', { timeout: 10_000 });
  const text = await page.textContent('#no-simd');
  assert.match(text, /needs WebAssembly SIMD/);
  assert.match(text, /需要 WebAssembly SIMD/);
  assert.equal(await page.locator('#weights-table').count(), 0, 'the app did not start');
  await screenshot(page, 'no-simd');
  assert.deepEqual(errors, []);
  await page.close();
});

test('with SIMD the page starts as usual', { timeout: 60_000 }, async () => {
  const page = await openPage(site.browser, site.url, { width: 800, height: 600 });
  await page.waitForSelector('#weights-table tbody tr', { timeout: 30_000 });
  assert.equal(await page.locator('#no-simd').count(), 0);
  page.assertNoErrors();
  await page.close();
});
