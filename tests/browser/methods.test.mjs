// The methods that came after, in the page, once with WebGPU (SwiftShader) and once on the CPU
// path: up to six runs side by side, each any loss, weighting, sampler and schedule, on the
// same data and start as `cblab train --compare` with the same names; the leaderboard trains
// the standard set over seeds to the end and ranks it as `cblab train --methods` does. Both
// keep their settings in the URL. Fails on any console error.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { launch, openPage, requireEnv, screenshot, screenshotOf, serveDist } from './harness.mjs';

// The toy-size counts the page trains on for the cifar10-lt-100 preset.
const COUNTS = '500,299,179,107,64,38,23,13,8,5';

let server;
before(async () => {
  server = await serveDist(requireEnv('CBLAB_DIST'));
});
after(async () => {
  await server?.close();
});

function cli(args) {
  return JSON.parse(execFileSync(requireEnv('CBLAB_CLI'), ['train', '--counts', COUNTS, ...args], { encoding: 'utf8' }));
}

// The sweep figure's caption (its aria-label, the same words as its figcaption).
const sweepCaption = (page) => page.getAttribute('canvas[data-figure="beta-sweep"]', 'aria-label');
const settled = () => /^(\d+) of \1 steps$/.test(document.querySelector('.progress-text')?.textContent ?? '');

for (const webgpu of [true, false]) {
  const mode = webgpu ? 'webgpu' : 'cpu';
  const backend = webgpu ? '&backend=gpu' : '';
  describe(`methods ${webgpu ? 'with WebGPU (SwiftShader)' : 'without WebGPU (CPU path)'}`, () => {
    let browser;
    before(async () => {
      browser = await launch({ webgpu });
    });
    after(async () => {
      await browser?.close();
    });

    test('six runs side by side, each any method, train as the CLI trains the same names', { timeout: 240_000 }, async () => {
      const page = await openPage(browser, `${server.url}?preset=cifar10-lt-100&beta=0.999&gamma=1&epochs=8&schedule=drw&more_runs=logit-adjusted,cb-ldam%2Bdrw${backend}`, { width: 1400, height: 1000 });
      await page.waitForSelector('#weights-table tbody tr', { timeout: 30_000 });
      // The link's runs are there, each with its own controls.
      assert.equal(await page.inputValue('#train-schedule'), 'drw');
      assert.equal(await page.inputValue('#run-4-loss'), 'logit-adjusted');
      assert.equal(await page.inputValue('#run-5-loss'), 'ldam');
      assert.equal(await page.inputValue('#run-5-scheme'), 'cb');
      assert.equal(await page.inputValue('#run-5-schedule'), 'drw');
      // A sixth run, then no more.
      await page.click('#train-add-run');
      await page.waitForSelector('#run-6-loss');
      assert.ok(await page.isDisabled('#train-add-run'), 'six runs at most');
      await page.selectOption('#run-6-loss', 'softmax');
      await page.selectOption('#run-6-scheme', 'none');
      await page.selectOption('#run-6-sampler', 'repeat-factor:0.1');
      await page.waitForFunction(() => new URL(location.href).searchParams.get('more_runs') === 'logit-adjusted,cb-ldam+drw,softmax@repeat-factor:0.1');
      // Removing a run and adding one back: the names follow.
      await page.click('#run-4-remove');
      await page.waitForFunction(() => new URL(location.href).searchParams.get('more_runs') === 'cb-ldam+drw,softmax@repeat-factor:0.1');
      assert.equal(await page.inputValue('#run-4-loss'), 'ldam');
      await page.click('#train-add-run');
      await page.waitForFunction(() => new URL(location.href).searchParams.get('more_runs') === 'cb-ldam+drw,softmax@repeat-factor:0.1,logit-adjusted');

      await page.locator('#train-play').scrollIntoViewIfNeeded();
      await page.click('#train-play');
      await page.waitForFunction(settled, null, { timeout: 200_000 });
      await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
      assert.equal(await page.getAttribute('#backend-badge', 'data-backend'), mode);
      const rows = await page.$$eval('#training-metrics tbody tr', (trs) =>
        trs.map((tr) => [tr.getAttribute('data-label'), Number(tr.getAttribute('data-balanced')), Number(tr.getAttribute('data-first-loss'))]));
      const names = 'softmax,cb-softmax,cb-focal+drw,cb-ldam+drw,softmax@repeat-factor:0.1,logit-adjusted';
      const engine = cli(['--compare', names, '--beta', '0.999', '--gamma', '1', '--seed', '0', '--epochs', '8']).runs;
      assert.deepEqual(rows.map(([label]) => label), engine.map((r) => r.label));
      for (const [i, [label, balanced, loss]] of rows.entries()) {
        const run = engine[i];
        assert.ok(Math.abs(loss - run.loss_history[0]) <= 1e-4 * run.loss_history[0],
          `${label}: first-epoch loss page ${loss}, engine ${run.loss_history[0]}`);
        assert.ok(Math.abs(balanced - run.metrics.balanced_accuracy) <= 0.02,
          `${label}: balanced accuracy page ${balanced}, engine ${run.metrics.balanced_accuracy}`);
      }
      // Six decision maps, six confusion matrices.
      assert.equal(await page.locator('.regions canvas[role="img"]').count(), 6);
      assert.equal(await page.locator('canvas[data-figure^="confusion-"]').count(), 6);
      await page.locator('canvas[data-figure="confusion-run-6"]').scrollIntoViewIfNeeded();
      await page.locator('canvas[data-figure="training-loss"]').scrollIntoViewIfNeeded();
      await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
      await page.locator('#training-title').scrollIntoViewIfNeeded();
      await screenshotOf(page, page.locator('section.training'), `training-six-runs-${mode}`);
      page.assertNoErrors();
      await page.close();
    });

    test('the leaderboard trains the standard set over seeds to the end, ranked as the CLI ranks it', { timeout: 300_000 }, async () => {
      const page = await openPage(browser, `${server.url}?preset=cifar10-lt-100&epochs=10&board_seeds=2${backend}`, { width: 1400, height: 1000 });
      await page.waitForSelector('#weights-table tbody tr', { timeout: 30_000 });
      assert.equal(await page.inputValue('#board-seeds'), '2');
      await page.locator('#board-run').scrollIntoViewIfNeeded();
      await page.click('#board-run');
      await page.waitForFunction(() => document.querySelector('#board-progress')?.dataset.done === '20', null, { timeout: 280_000 });
      await page.waitForFunction(() => !document.querySelector('#board-run').disabled);
      assert.match(await page.textContent('#board-progress'), /^20 of 20 runs finished \(seed 2 of 2\)$/);
      assert.equal(await page.getAttribute('#board-progress', 'data-backend'), mode);
      const rows = await page.$$eval('#leaderboard tbody tr', (trs) => trs.map((tr) => ({
        label: tr.querySelector('th').textContent,
        name: tr.dataset.name,
        balanced: Number(tr.dataset.balanced),
        diff: tr.dataset.diff === '' ? null : Number(tr.dataset.diff),
        cells: [...tr.querySelectorAll('td')].map((td) => td.textContent),
      })));
      assert.equal(rows.length, 10);
      // Ranked best first.
      for (let i = 1; i < rows.length; i += 1) assert.ok(rows[i - 1].balanced >= rows[i].balanced, JSON.stringify(rows));
      // The same numbers as the engine's, method by method.
      const engine = cli(['--methods', '--seeds', '2', '--seed', '0', '--epochs', '10']).methods;
      assert.deepEqual(new Set(rows.map((r) => r.label)), new Set(engine.map((m) => m.summary.label)));
      for (const m of engine) {
        const row = rows.find((r) => r.label === m.summary.label);
        assert.ok(Math.abs(row.balanced - m.summary.balanced_accuracy.mean) <= 0.02,
          `${row.label}: page ${row.balanced}, engine ${m.summary.balanced_accuracy.mean}`);
        assert.ok(Math.abs(row.diff - m.vs_softmax.mean) <= 0.03, `${row.label}: paired difference page ${row.diff}, engine ${m.vs_softmax.mean}`);
      }
      const softmax = rows.find((r) => r.name === 'softmax');
      assert.equal(softmax.cells[3], '(the reference)');
      assert.ok(rows.every((r) => /^\d+\.\d ± \d+\.\d$/.test(r.cells[1])), JSON.stringify(rows.map((r) => r.cells)));
      const summary = await page.textContent('#board-summary');
      assert.match(summary, /^.+ ranks first with \d+\.\d % balanced accuracy, -?\d+\.\d points above softmax over 2 seeds\. CB softmax \(β = 0\.9999\) and inverse frequency differ by \d+\.\d points\.$/, summary);
      assert.ok(summary.startsWith(rows[0].label), summary);
      await screenshotOf(page, page.locator('.leaderboard'), `leaderboard-${mode}`);
      await screenshot(page, `leaderboard-page-${mode}`);
      page.assertNoErrors();
      await page.close();
    });

    test('the beta sweep trains on K prototypes a class, as the CLI trains it, and says what it shows', { timeout: 300_000 }, async () => {
      const page = await openPage(browser, `${server.url}?preset=cifar10-lt-100&epochs=10&sweep_seeds=2&sweep_k=10${backend}`, { width: 1400, height: 1000 });
      await page.waitForSelector('#weights-table tbody tr', { timeout: 30_000 });
      assert.equal(await page.inputValue('#sweep-prototypes'), '10');
      assert.equal(await page.inputValue('#sweep-seeds'), '2');
      await page.locator('#sweep-run').scrollIntoViewIfNeeded();
      await page.click('#sweep-run');
      await page.waitForFunction(() => document.querySelector('#sweep-progress')?.dataset.done === '14', null, { timeout: 280_000 });
      await page.waitForFunction(() => !document.querySelector('#sweep-run').disabled);
      assert.equal(await page.getAttribute('#sweep-progress', 'data-backend'), mode);
      const rows = await page.$$eval('#sweep-table tbody tr', (trs) => trs.map((tr) => ({
        label: tr.dataset.label,
        beta: tr.dataset.beta ?? null,
        balanced: Number(tr.dataset.balanced),
        cells: [...tr.querySelectorAll('td')].map((td) => td.textContent),
      })));
      // In the sweep's order: CB at each beta, inverse frequency, logit adjustment.
      assert.deepEqual(rows.map((r) => r.beta), ['0', '0.9', '0.99', '0.999', '0.9999', null, null]);
      assert.ok(rows.every((r) => /^\d+\.\d ± \d+\.\d$/.test(r.cells[0])), JSON.stringify(rows.map((r) => r.cells)));
      const engine = cli(['--sweep', '--prototypes', '10', '--seeds', '2', '--seed', '0', '--epochs', '10']).summary;
      assert.deepEqual(rows.map((r) => r.label), engine.map((m) => m.label));
      for (const m of engine) {
        const row = rows.find((r) => r.label === m.label);
        assert.ok(Math.abs(row.balanced - m.balanced_accuracy.mean) <= 0.02,
          `${row.label}: page ${row.balanced}, engine ${m.balanced_accuracy.mean}`);
      }
      // The sentence is the table's: the model's beta (0.9), the best beta, both baselines.
      const pct = (v) => (100 * v).toFixed(1);
      const cb = rows.slice(0, 5);
      const best = cb.reduce((a, b) => (b.balanced > a.balanced ? b : a));
      const summary = await page.textContent('#sweep-summary');
      assert.equal(summary, `With K = 10 prototypes a class, the effective number's β = 1 − 1/K = 0.9 reaches ${pct(cb[1].balanced)} % balanced accuracy `
        + `and the best β, ${best.beta}, ${pct(best.balanced)} %; inverse frequency reaches ${pct(rows[5].balanced)} % and logit adjustment ${pct(rows[6].balanced)} % (means over 2 seeds).`);
      await page.locator('canvas[data-figure="beta-sweep"]').scrollIntoViewIfNeeded();
      await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
      await screenshotOf(page, page.locator('.sweep'), `beta-sweep-${mode}`);
      assert.match(await sweepCaption(page), /the grey line marks the effective number's prediction N = K\.$/);
      // Fresh draws are another task: the runs go, and the link forgets K.
      await page.selectOption('#sweep-prototypes', 'fresh');
      await page.waitForFunction(() => document.querySelectorAll('#sweep-table tbody tr').length === 0);
      assert.equal(await page.textContent('#sweep-summary'), '');
      // No K, no grey line, and the caption does not speak of one.
      assert.doesNotMatch(await sweepCaption(page), /grey/);
      // (The link follows the page after a short pause.)
      await page.waitForFunction(() => !window.location.search.includes('sweep_k'), null, { timeout: 5_000 });
      // The dial growing with the class: R copies of each prototype.
      await page.selectOption('#sweep-prototypes', 'copies-10');
      await page.waitForFunction(() => window.location.search.includes('sweep_copies=10'), null, { timeout: 5_000 });
      await page.click('#sweep-run');
      await page.waitForFunction(() => document.querySelector('#sweep-progress')?.dataset.done === '14', null, { timeout: 280_000 });
      await page.waitForFunction(() => !document.querySelector('#sweep-run').disabled);
      const grown = cli(['--sweep', '--copies', '10', '--seeds', '2', '--seed', '0', '--epochs', '10']).summary;
      const grownRows = await page.$$eval('#sweep-table tbody tr', (trs) => trs.map((tr) => Number(tr.dataset.balanced)));
      grown.forEach((m, i) => assert.ok(Math.abs(grownRows[i] - m.balanced_accuracy.mean) <= 0.02, `${m.label}: page ${grownRows[i]}, engine ${m.balanced_accuracy.mean}`));
      assert.match(await page.textContent('#sweep-summary'), /^With each prototype copied 10 times, a class of n points holds n\/10 prototypes, so the effective number's model predicts inverse frequency: /);
      page.assertNoErrors();
      await page.close();
    });

    test('the beta sweep trains on the real images too, as the CLI trains it', { timeout: 300_000 }, async () => {
      const page = await openPage(browser, `${server.url}?epochs=10&sweep_seeds=1&sweep_data=images${backend}`, { width: 1400, height: 1000 });
      await page.waitForSelector('#weights-table tbody tr', { timeout: 30_000 });
      assert.equal(await page.inputValue('#sweep-prototypes'), 'images');
      await page.locator('#sweep-run').scrollIntoViewIfNeeded();
      await page.click('#sweep-run');
      await page.waitForFunction(() => document.querySelector('#sweep-progress')?.dataset.done === '7', null, { timeout: 280_000 });
      await page.waitForFunction(() => !document.querySelector('#sweep-run').disabled);
      assert.equal(await page.getAttribute('#sweep-progress', 'data-backend'), mode);
      const rows = await page.$$eval('#sweep-table tbody tr', (trs) => trs.map((tr) => ({ label: tr.dataset.label, balanced: Number(tr.dataset.balanced) })));
      const engine = JSON.parse(execFileSync(requireEnv('CBLAB_CLI'), ['train', '--data', 'fashion-mnist-lt', '--sweep', '--epochs', '10'], { encoding: 'utf8' })).runs;
      assert.deepEqual(rows.map((r) => r.label), engine.map((r) => r.label));
      for (const r of engine) {
        const row = rows.find((x) => x.label === r.label);
        assert.ok(Math.abs(row.balanced - r.metrics.balanced_accuracy) <= 0.02, `${r.label}: page ${row.balanced}, engine ${r.metrics.balanced_accuracy}`);
      }
      assert.match(await page.textContent('#sweep-summary'), /^On Fashion-MNIST-LT's images \(imbalance 100\) the best β, [\d.]+, reaches \d+\.\d % balanced accuracy; inverse frequency reaches \d+\.\d % and logit adjustment \d+\.\d % \(one seed\)\.$/);
      await page.locator('canvas[data-figure="beta-sweep"]').scrollIntoViewIfNeeded();
      await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
      await screenshotOf(page, page.locator('.sweep'), `beta-sweep-images-${mode}`);
      assert.match(await sweepCaption(page), /inverse frequency and logit adjustment\.$/);
      page.assertNoErrors();
      await page.close();
    });

    if (!webgpu) {
      test('the leaderboard survives a worker\'s death and a second press: each run counted once', { timeout: 240_000 }, async () => {
        // The first worker dies when the seed's last run has taken 200 of its 400 steps: nine runs
        // were reported finished, and the new worker reports them again from the snapshot.
        const page = await openPage(browser, `${server.url}?preset=cifar10-lt-100&epochs=40&board_seeds=2&backend=cpu&worker_die_after=200`, { width: 1400, height: 1000 });
        await page.waitForSelector('#weights-table tbody tr', { timeout: 30_000 });
        const rowsOf = () => page.$$eval('#leaderboard tbody tr', (trs) => trs.map((tr) => [tr.dataset.name, Number(tr.dataset.balanced)]));
        const finish = async () => {
          await page.locator('#board-run').scrollIntoViewIfNeeded();
          await page.click('#board-run');
          await page.waitForFunction(() => document.querySelector('#board-progress')?.dataset.done === '20'
            && !document.querySelector('#board-run').disabled, null, { timeout: 200_000 });
          assert.match(await page.textContent('#board-progress'), /^20 of 20 runs finished \(seed 2 of 2\)$/);
        };
        await finish();
        assert.match(await page.textContent('#board-notice'), /The training worker stopped/);
        const first = await rowsOf();
        assert.equal(first.length, 10);
        const engine = cli(['--methods', '--seeds', '2', '--seed', '0', '--epochs', '40']).methods;
        const byLabel = await page.$$eval('#leaderboard tbody tr', (trs) => Object.fromEntries(trs.map((tr) => [tr.querySelector('th').textContent, Number(tr.dataset.balanced)])));
        for (const m of engine) {
          assert.ok(Math.abs(byLabel[m.summary.label] - m.summary.balanced_accuracy.mean) <= 0.02,
            `${m.summary.label} after the restart: page ${byLabel[m.summary.label]}, engine ${m.summary.balanced_accuracy.mean}`);
        }
        // Pressed again: a new board of the same runs, not twice as many.
        await finish();
        assert.deepEqual(await rowsOf(), first);
        page.assertNoErrors();
        await page.close();
      });
    }
  });
}
