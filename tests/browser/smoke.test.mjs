// Smoke test: the built site shows the class-balanced weights of the paper's CIFAR-10-LT example
// (imbalance 100, beta 0.999), exactly as the `cblab` CLI computes them, without any error.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { launch, openPage, requireEnv, screenshot, serveDist } from './harness.mjs';

test('the site shows the CLI\'s CIFAR-10-LT (imbalance 100, beta 0.999) weights', { timeout: 120_000 }, async () => {
  const dist = requireEnv('CBLAB_DIST');
  const cli = requireEnv('CBLAB_CLI');

  const stdout = execFileSync(cli, ['weights', '--preset', 'cifar10-lt-100', '--beta', '0.999'], {
    encoding: 'utf8',
  });
  const { weights } = JSON.parse(stdout);
  assert.ok(Array.isArray(weights), `the CLI's JSON has no \`weights\` array: ${stdout}`);
  assert.equal(weights.length, 10, `expected 10 weights from the CLI, got ${weights.length}`);
  assert.ok(weights.every((weight) => typeof weight === 'number' && Number.isFinite(weight)));

  const server = await serveDist(dist);
  const browser = await launch({ webgpu: false });
  try {
    const page = await openPage(browser, server.url, { width: 1280, height: 800 });
    try {
      await page.waitForSelector('#weights-table tbody tr', { timeout: 30_000 });
    } catch (error) {
      await screenshot(page, 'smoke-timeout');
      const errors = page.errors.length ? page.errors.join('\n  ') : '(none)';
      throw new Error(`no #weights-table rows after 30 s (screenshot: target/screenshots/smoke-timeout.png); page errors:\n  ${errors}`, { cause: error });
    }

    const shown = await page.$$eval('#weights-table tbody tr', (rows) =>
      rows.map((row) => row.getAttribute('data-weight')),
    );
    assert.equal(shown.length, weights.length, 'one table row per class weight');
    shown.forEach((attribute, index) => {
      assert.equal(
        Number(attribute),
        weights[index],
        `row ${index + 1}: data-weight="${attribute}" but the CLI says ${weights[index]}`,
      );
    });

    const text = await page.textContent('body');
    for (const expected of ['0.181', '0.189']) {
      assert.ok(text.includes(expected), `the page text does not show the paper's weight ${expected}`);
    }

    await screenshot(page, 'smoke-desktop');
    await page.setViewportSize({ width: 375, height: 800 });
    await screenshot(page, 'smoke-phone');

    page.assertNoErrors();
  } finally {
    await browser.close();
    await server.close();
  }
});
