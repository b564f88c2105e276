// The real-data panel: Fashion-MNIST-LT fetched when asked for, a few images of each class with
// its count, and softmax, class-balanced softmax and a third method trained on the pixels in the
// worker, with the numbers `cblab train --data fashion-mnist-lt` gives. Once on WebGPU
// (SwiftShader) and once without.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { launch, openPage, requireEnv, screenshotOf, serveDist } from './harness.mjs';

let server;
before(async () => {
  server = await serveDist(requireEnv('CBLAB_DIST'));
});
after(async () => {
  await server?.close();
});

// What the panel shows, the page's errors and the requests since the click: the words a
// failure gives when the images do not come.
async function explain(page, fetched) {
  const panel = await page.evaluate(() => document.querySelector('.real-data')?.innerText.slice(0, 400));
  return JSON.stringify({ panel, errors: page.errors, fetched });
}

function cli(args) {
  return JSON.parse(execFileSync(requireEnv('CBLAB_CLI'), ['train', '--data', 'fashion-mnist-lt', ...args], { encoding: 'utf8' }));
}

for (const webgpu of [true, false]) {
  const mode = webgpu ? 'webgpu' : 'cpu';
  const backend = webgpu ? '&backend=gpu' : '';
  describe(`real images ${webgpu ? 'with WebGPU (SwiftShader)' : 'without WebGPU (CPU path)'}`, () => {
    let browser;
    before(async () => {
      browser = await launch({ webgpu });
    });
    after(async () => {
      await browser?.close();
    });

    test('the images load when asked for, show head to tail, and train as the CLI trains them', { timeout: 240_000 }, async () => {
      const page = await openPage(browser, `${server.url}?epochs=10${backend}`, { width: 1400, height: 1000 });
      await page.waitForSelector('#weights-table tbody tr', { timeout: 30_000 });
      const fetched = [];
      page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
      assert.equal(await page.$('#real-thumbs'), null, 'no images before they are asked for');
      assert.ok(!fetched.includes('/data/fashion-mnist-lt.bin'));
      await page.locator('#real-load').scrollIntoViewIfNeeded();
      await page.click('#real-load');
      // The click's first effect: the button is disabled while the file comes, and after.
      await page.waitForFunction(() => document.querySelector('#real-load').disabled, null, { timeout: 10_000 })
        .catch(async (e) => { throw new Error(`the click did not start the loading: ${await explain(page, fetched)}\n${e.message}`); });
      await page.waitForSelector('#real-thumbs figure, .real-data .error', { timeout: 30_000 })
        .catch(async (e) => { throw new Error(`no images and no message: ${await explain(page, fetched)}\n${e.message}`); });
      assert.equal(await page.$('.real-data .error'), null, await explain(page, fetched));
      assert.ok(fetched.includes('/data/fashion-mnist-lt.bin'), fetched.join(' '));
      const thumbs = await page.$$eval('#real-thumbs figure', (figs) => figs.map((f) => {
        const canvas = f.querySelector('canvas');
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let dark = 0;
        for (let i = 0; i < pixels.length; i += 4) if (pixels[i] < 128) dark += 1;
        return { count: Number(f.querySelector('.count').dataset.count), name: f.querySelector('figcaption').textContent, dark };
      }));
      assert.deepEqual(thumbs.map((t) => t.count), [1000, 599, 359, 215, 129, 77, 46, 27, 16, 10]);
      assert.match(thumbs[9].name, /Ankle boot/);
      // Garments, not blank canvases: each strip of four images has dark pixels.
      assert.ok(thumbs.every((t) => t.dark > 40), JSON.stringify(thumbs.map((t) => t.dark)));

      await page.click('#real-run');
      await page.waitForFunction(() => document.querySelector('#real-progress')?.dataset.done === '3', null, { timeout: 200_000 });
      await page.waitForFunction(() => !document.querySelector('#real-run').disabled);
      // On WebGPU too: the gather kernel copies each image's 196 pixels (padded to 200).
      assert.equal(await page.getAttribute('#real-progress', 'data-backend'), mode);
      assert.equal(await page.$('#real-notice'), null);
      const rows = await page.$$eval('#real-table tbody tr', (trs) => trs.map((tr) => ({ label: tr.dataset.label, balanced: Number(tr.dataset.balanced) })));
      const engine = cli(['--imbalance', '100', '--compare', 'softmax,cb-softmax,logit-adjusted', '--beta', '0.999', '--epochs', '10']).runs;
      assert.deepEqual(rows.map((r) => r.label), engine.map((r) => r.label));
      for (const r of engine) {
        const row = rows.find((x) => x.label === r.label);
        assert.ok(Math.abs(row.balanced - r.metrics.balanced_accuracy) <= 0.02, `${r.label}: page ${row.balanced}, engine ${r.metrics.balanced_accuracy}`);
      }
      assert.ok(rows[1].balanced > rows[0].balanced, `CB above softmax: ${JSON.stringify(rows)}`);
      // The gallery: the CB run's mistakes on the three rarest classes, up to four each, as
      // many as its per-class accuracy leaves (200 test images a class).
      const mistakes = await page.$$eval('#real-gallery figure', (figs) => figs.map((f) => [Number(f.dataset.true), Number(f.dataset.predicted), f.querySelector('figcaption').textContent]));
      const cb = engine[1].metrics.per_class;
      for (const c of [7, 8, 9]) {
        const wrong = Math.round(200 * (1 - cb[c]));
        const shown = mistakes.filter(([t]) => t === c);
        assert.ok(Math.abs(shown.length - Math.min(4, wrong)) <= 1, `class ${c}: ${shown.length} shown, ${wrong} wrong in the CLI's run`);
        assert.ok(shown.every(([t, p]) => p !== t), JSON.stringify(shown));
      }
      assert.ok(mistakes.length > 0 && mistakes.every(([t]) => t >= 7), JSON.stringify(mistakes));
      assert.match(mistakes[0][2], /^(Sneaker|Bag|Ankle boot), taken for .+$/);
      for (const name of ['real-per-class-accuracy', 'real-confusion']) {
        await page.locator(`canvas[data-figure="${name}"]`).scrollIntoViewIfNeeded();
      }
      await page.locator('#real-gallery').scrollIntoViewIfNeeded();
      await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
      await screenshotOf(page, page.locator('.real-data'), `real-data-${mode}`);

      // Another imbalance is another experiment: its counts, and no old rows.
      await page.selectOption('#real-imbalance', '10');
      await page.waitForFunction(() => document.querySelector('#real-thumbs figure[data-class="9"] .count')?.dataset.count === '100');
      assert.equal(await page.$$eval('#real-table tbody tr', (trs) => trs.length), 0);
      page.assertNoErrors();
      await page.close();
    });
  });
}

test('a damaged image file is refused with a message, and nothing trains on it', { timeout: 120_000 }, async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cblab-damaged-'));
  await cp(requireEnv('CBLAB_DIST'), dir, { recursive: true });
  const asset = path.join(dir, 'data', 'fashion-mnist-lt.bin');
  const bytes = await readFile(asset);
  bytes[1000] ^= 0xff;
  await writeFile(asset, bytes);
  const damaged = await serveDist(dir);
  const browser = await launch();
  try {
    const page = await openPage(browser, damaged.url, { width: 1280, height: 900 });
    await page.waitForSelector('#weights-table tbody tr', { timeout: 30_000 });
    await page.locator('#real-load').scrollIntoViewIfNeeded();
    await page.click('#real-load');
    await page.waitForSelector('.real-data .error', { timeout: 30_000 });
    assert.equal(await page.textContent('.real-data .error'), 'the Fashion-MNIST-LT file is damaged: its checksum does not match its bytes');
    assert.equal(await page.$('#real-thumbs'), null);
    assert.ok(await page.isDisabled('#real-run'));
    page.assertNoErrors();
    await page.close();
  } finally {
    await browser.close();
    await damaged.close();
    await rm(dir, { recursive: true, force: true });
  }
});
