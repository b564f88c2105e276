// Offline: after one visit the service worker has the whole site, so a reload without a
// network shows the page and trains; a new build is a new worker that replaces the old
// cache. Fails on any console error.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { launch, openPage, requireEnv, screenshot, serveDist } from './harness.mjs';

/** Waits until the page is controlled by an activated service worker; returns the cache names. */
async function controlled(page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
  return page.evaluate(() => caches.keys());
}

describe('offline', () => {
  let browser;
  let dir;
  let server;
  before(async () => {
    browser = await launch();
    // A copy of the build, so the test can make a "new build" of it.
    dir = await mkdtemp(path.join(os.tmpdir(), 'cblab-offline-'));
    await cp(requireEnv('CBLAB_DIST'), dir, { recursive: true });
    server = await serveDist(dir);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('after one visit the page reloads and trains without a network', { timeout: 120_000 }, async () => {
    const page = await openPage(browser, `${server.url}?preset=cifar10-lt-100&epochs=5`, { width: 1280, height: 900 });
    await page.waitForSelector('#weights-table tbody tr', { timeout: 30_000 });
    // The training worker has loaded (a reload while its files are still coming would abort them).
    await page.waitForFunction(() => !(document.querySelector('#backend-badge')?.textContent ?? 'looking').includes('looking'), null, { timeout: 30_000 });
    const keys = await controlled(page);
    assert.equal(keys.length, 1, `one cache: ${keys}`);
    const cached = await page.evaluate(async (name) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname), keys[0]);
    for (const file of ['/', '/start.js', '/index.html', '/worker.js', '/cblab-worker.js', '/cblab-worker_bg.wasm']) assert.ok(cached.includes(file), `${file} cached: ${cached}`);
    assert.ok(cached.some((f) => f.endsWith('_bg.wasm')), `the wasm is cached: ${cached}`);

    await page.context().setOffline(true);
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('#weights-table tbody tr', { timeout: 30_000 });
    assert.equal(await page.evaluate(() => navigator.onLine), false);
    assert.equal(await page.locator('#weights-table tbody tr').count(), 10);
    // Training works offline: five epochs of the three runs.
    await page.locator('#train-play').scrollIntoViewIfNeeded();
    await page.click('#train-play');
    await page.waitForFunction(() => /^(\d+) of \1 steps$/.test(document.querySelector('.progress-text')?.textContent ?? ''), null, { timeout: 60_000 });
    const balanced = await page.$$eval('#training-metrics tbody tr', (trs) => trs.map((tr) => Number(tr.getAttribute('data-balanced'))));
    assert.equal(balanced.length, 3);
    assert.ok(balanced.every((b) => b > 0.1 && b <= 1), `trained offline: ${balanced}`);
    await screenshot(page, 'offline');
    // The Chinese strings, fetched only when asked for, are cached too.
    assert.ok(cached.includes('/locales/zh-CN.json'), `the Chinese strings are cached: ${cached}`);
    await page.click('.lang-switch button[lang="zh-CN"]');
    await page.waitForFunction(() => document.querySelector('#long-tail-title')?.textContent === '1. 长尾问题', null, { timeout: 10_000 });
    await page.context().setOffline(false);
    page.assertNoErrors();
    await page.close();
  });

  test('the images, once loaded, load and train without a network', { timeout: 180_000 }, async () => {
    const page = await openPage(browser, `${server.url}?epochs=3`, { width: 1280, height: 900 });
    await page.waitForSelector('#weights-table tbody tr', { timeout: 30_000 });
    const [name] = await controlled(page);
    // Not part of the install: fetched when the panel asks, and cached then.
    const cachedFiles = () => page.evaluate(async (n) => (await (await caches.open(n)).keys()).map((r) => new URL(r.url).pathname), name);
    assert.ok(!(await cachedFiles()).includes('/data/fashion-mnist-lt.bin'));
    await page.locator('#real-load').scrollIntoViewIfNeeded();
    await page.click('#real-load');
    await page.waitForSelector('#real-thumbs figure', { timeout: 30_000 });
    await page.waitForFunction(async (n) => (await (await caches.open(n)).keys()).some((r) => r.url.endsWith('/data/fashion-mnist-lt.bin')), name, { timeout: 30_000, polling: 200 });

    await page.context().setOffline(true);
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('#weights-table tbody tr', { timeout: 30_000 });
    await page.locator('#real-load').scrollIntoViewIfNeeded();
    await page.click('#real-load');
    await page.waitForSelector('#real-thumbs figure', { timeout: 30_000 });
    await page.click('#real-run');
    await page.waitForFunction(() => document.querySelector('#real-progress')?.dataset.done === '3', null, { timeout: 120_000 });
    const balanced = await page.$$eval('#real-table tbody tr', (trs) => trs.map((tr) => Number(tr.dataset.balanced)));
    assert.equal(balanced.length, 3);
    assert.ok(balanced.every((b) => b > 0.1 && b <= 1), `trained offline: ${balanced}`);
    await page.context().setOffline(false);
    page.assertNoErrors();
    await page.close();
  });

  test('a new build replaces the old cache', { timeout: 60_000 }, async () => {
    const page = await openPage(browser, server.url, { width: 1000, height: 800 });
    const [before] = await controlled(page);
    // A new build: other files, so another version in sw.js.
    const sw = path.join(dir, 'sw.js');
    const script = await readFile(sw, 'utf8');
    const version = script.match(/const VERSION = '([0-9a-f]+)'/)[1];
    await writeFile(sw, script.replace(version, 'feedfacefeedface'));
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    await page.waitForFunction(async () => {
      const keys = await caches.keys();
      return keys.length === 1 && keys[0] === 'cblab-feedfacefeedface';
    }, null, { timeout: 30_000, polling: 200 });
    assert.notEqual(before, 'cblab-feedfacefeedface');
    page.assertNoErrors();
    await page.close();
  });
});
