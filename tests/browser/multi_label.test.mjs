// Several labels a sample in the page: the panel of section 9 reads label sets (pasted or from a
// file), counts positives per class, N and cardinality, and shows each class's CB weight at the
// explorer's beta with the numbers `cblab weights --multi-label` gives; bad input keeps what was
// there and says where it is wrong; in English and Chinese; screenshots at desktop and phone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bringIntoView, launch, openPage, requireEnv, screenshotOf, useSite } from './harness.mjs';

const site = useSite();

const SETS = 'cat,dog\ndog\n\ndog,bird,cat\nbird,dog\ndog\ndog,fish\n';

function cli(file, beta) {
  return JSON.parse(execFileSync(requireEnv('CBLAB_CLI'),
    ['weights', '--labels-file', file, '--multi-label', '--beta', String(beta)], { encoding: 'utf8' }));
}

// The panel alone, rendered (panels off screen are not: content-visibility), to
// target/screenshots/<name>.png.
async function shoot(page, name) {
  await page.evaluate(() => { for (const p of document.querySelectorAll('main .panel')) p.style.contentVisibility = 'visible'; });
  const panel = page.locator('#multi-label');
  await screenshotOf(page, panel, name);
}

async function openPanel(query, size) {
  const page = await openPage(site.browser, `${site.url}${query}`, size);
  const input = page.locator('#label-sets');
  await input.waitFor({ state: 'attached', timeout: 60_000 });
  await bringIntoView(page, input);
  await page.waitForSelector('#label-sets-classes tbody tr', { state: 'attached' });
  return page;
}

test('the panel counts label sets and weighs them as the CLI does', { timeout: 120_000 }, async (t) => {
  const page = await openPanel('?beta=0.99', { width: 1280, height: 900 });
  // The example is there on arrival: person is in most samples.
  const first = await page.$$eval('#label-sets-classes tbody tr', (rows) => rows.map((r) => r.textContent));
  assert.ok(first.some((r) => r.startsWith('person')), first.join(' | '));
  assert.ok(await page.$$eval('#label-sets-terms tbody tr', (rows) => rows.length) >= 2);

  await page.fill('#label-sets', SETS);
  await page.click('#count-label-sets');
  await page.waitForFunction(() => document.querySelector('#label-sets-summary')?.textContent.startsWith('Samples: 7 '));
  const summary = await page.textContent('#label-sets-summary');
  assert.match(summary, /Samples: 7 · classes: 4 · labels a sample, on average: 1\.57/);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cblab-ml-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'sets.txt');
  await writeFile(file, SETS);
  const want = cli(file, 0.99);
  const rows = await page.$$eval('#label-sets-classes tbody tr', (trs) => trs.map((tr) => ({
    name: tr.querySelector('th').textContent,
    positives: Number(tr.querySelectorAll('td')[0].textContent),
    weight: Number(tr.querySelectorAll('td')[1].dataset.weight),
  })));
  assert.deepEqual(rows.map((r) => r.name), want.names);
  assert.deepEqual(rows.map((r) => r.positives), want.counts);
  rows.forEach((r, i) => assert.ok(Math.abs(r.weight - want.weights[i]) < 1e-12, `${r.name}: ${r.weight} vs ${want.weights[i]}`));

  // The weights taken away: the CLI's snippet, by sample (the default) and by class.
  const snippet = (...args) => execFileSync(requireEnv('CBLAB_CLI'),
    ['weights', '--labels-file', file, '--multi-label', '--beta', '0.99', ...args], { encoding: 'utf8' });
  assert.equal(await page.inputValue('#label-sets-export'), snippet('--format', 'torch', '--cb-mode', 'by-sample'));
  await page.selectOption('#label-sets-export-format', 'keras');
  await page.selectOption('#label-sets-export-mode', 'by-class');
  assert.equal(await page.inputValue('#label-sets-export'), snippet('--format', 'keras', '--cb-mode', 'by-class'));
  assert.match(await page.inputValue('#label-sets-export'), /tf\.nn\.sigmoid_cross_entropy_with_logits/);

  // Bad input: said where, and the classes stay.
  await page.fill('#label-sets', 'a,b\nc,,d\n');
  await page.click('#count-label-sets');
  const error = await page.waitForSelector('#label-sets-error');
  assert.match(await error.textContent(), /line 2, column 3: an empty label/);
  assert.deepEqual(await page.$$eval('#label-sets-classes tbody th', (ths) => ths.map((t) => t.textContent)), want.names);
  // Nothing the reader types is inserted as HTML.
  await page.fill('#label-sets', '<img src=x onerror=alert(1)>,b\n');
  await page.click('#count-label-sets');
  await page.waitForFunction(() => document.querySelector('#label-sets-summary')?.textContent.startsWith('Samples: 1 '));
  assert.equal(await page.$('#label-sets-classes img'), null);
  page.assertNoErrors();
  // A file is read in the page, its text shown.
  await page.setInputFiles('#label-sets-file', { name: 'sets.txt', mimeType: 'text/plain', buffer: Buffer.from(SETS) });
  await page.waitForFunction(() => document.querySelector('#label-sets-summary')?.textContent.startsWith('Samples: 7 '));
  assert.equal(await page.inputValue('#label-sets'), SETS);
  await shoot(page, 'multi-label-desktop');
  await page.close();
});

test('a link carries the counted label sets and what the panel trains on; longer sets stay out of it and the page says so', { timeout: 120_000 }, async () => {
  const page = await openPanel('?beta=0.99', { width: 1280, height: 900 });
  await page.fill('#label-sets', SETS);
  await page.click('#count-label-sets');
  await page.selectOption('#multi-data', 'mosaics');
  await page.waitForFunction((sets) => {
    const q = new URL(location.href).searchParams;
    return q.get('label_sets') === sets && q.get('multi_data') === 'mosaics';
  }, SETS);
  // The link opens on the same label sets, counted, and the same choice.
  const again = await openPanel(new URL(page.url()).search, { width: 1280, height: 900 });
  await again.waitForFunction(() => document.querySelector('#label-sets-summary')?.textContent.startsWith('Samples: 7 '));
  assert.equal(await again.inputValue('#label-sets'), SETS);
  assert.equal(await again.inputValue('#multi-data'), 'mosaics');
  again.assertNoErrors();
  await again.close();
  // Label sets over 2,000 characters: counted, left out of the link, said.
  const long = 'cat,dog\n'.repeat(300);
  await page.fill('#label-sets', long);
  await page.click('#count-label-sets');
  await page.waitForSelector('#label-sets-unlinked');
  assert.match(await page.textContent('#label-sets-unlinked'), /longer than the 2000 characters a link carries/);
  await page.waitForFunction(() => !new URL(location.href).searchParams.has('label_sets'));
  // A link's label sets that do not parse: the text is kept to mend, and the error says where.
  const bad = await openPanel(`?label_sets=${encodeURIComponent('cat,dog\ncat,,dog')}`, { width: 1280, height: 900 });
  await bad.waitForSelector('#label-sets-error');
  assert.equal(await bad.inputValue('#label-sets'), 'cat,dog\ncat,,dog');
  assert.match(await bad.textContent('#label-sets-error'), /line 2, column 5: an empty label/);
  bad.assertNoErrors();
  await bad.close();
  page.assertNoErrors();
  await page.close();
});

test('the seven methods train in the worker with the numbers of cblab train --data multi-label-toy', { timeout: 240_000 }, async () => {
  const page = await openPanel('?beta=0.999&gamma=2', { width: 1280, height: 900 });
  const button = page.locator('#multi-train');
  await bringIntoView(page, button);
  await button.click();
  await page.waitForFunction(() => /^7 runs trained/.test(document.querySelector('#multi-progress')?.textContent ?? ''), null, { timeout: 200_000 })
    .catch(async (e) => { throw new Error(`${await page.textContent('#multi-progress')} ${page.errors}\n${e.message}`); });
  const maps = await page.$$eval('#multi-results tbody tr', (trs) => trs.map((tr) => ({
    method: tr.querySelector('th').textContent,
    map: Number(tr.querySelector('td').dataset.map),
  })));
  const want = JSON.parse(execFileSync(requireEnv('CBLAB_CLI'),
    ['train', '--data', 'multi-label-toy', '--beta', '0.999', '--gamma', '2'], { encoding: 'utf8' }));
  assert.deepEqual(maps.map((m) => m.method), want.runs.map((r) => r.method));
  maps.forEach((m, i) => assert.ok(Math.abs(m.map - want.runs[i].map.mean) < 0.02, `${m.method}: page ${m.map}, CLI ${want.runs[i].map.mean}`));
  assert.equal(await page.$$eval('#multi-ap tbody tr', (trs) => trs.length), 10);

  // The regions: the newest run is drawn; each class's predicted cells are
  // counted on the canvas; the head disc covers 30 % of the square.
  const regions = page.locator('#multi-regions');
  await bringIntoView(page, regions);
  const options = await page.$$eval('#multi-regions-method option', (os) => os.map((o) => o.textContent));
  assert.deepEqual(options, want.runs.map((r) => r.method));
  const shown = async () => ({
    method: await regions.getAttribute('data-method'),
    cells: (await regions.getAttribute('data-predicted-cells')).split(',').map(Number),
  });
  const last = await shown();
  assert.equal(last.method, 'asymmetric');
  assert.equal(last.cells.length, 10);
  await page.selectOption('#multi-regions-method', { label: 'sigmoid' });
  await page.waitForFunction(() => document.querySelector('#multi-regions').dataset.method === 'sigmoid');
  const sigmoid = (await shown()).cells;
  const head = sigmoid[0] / (72 * 72);
  assert.ok(head > 0.2 && head < 0.4, `sigmoid predicts class 0 on ${head} of the square`);
  // ASL's negatives fade (gamma- 4): it says yes on more of the plane.
  assert.ok(last.cells[0] > sigmoid[0], `asymmetric ${last.cells[0]} cells, sigmoid ${sigmoid[0]}`);
  const inked = await regions.evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const bg = [d[0], d[1], d[2]];
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] !== bg[0] || d[i + 1] !== bg[1] || d[i + 2] !== bg[2]) n += 1;
    return n / (d.length / 4);
  });
  assert.ok(inked > 0.2, `only ${inked} of the regions canvas is drawn`);
  page.assertNoErrors();
  await shoot(page, 'multi-label-trained');
  await page.close();
});

// The same comparison on WebGPU (SwiftShader): all seven runs in one GPU trainer, with the CLI's
// numbers (the kernels match the CPU trainer to about 1e-6, tests/gpu.rs); then the automatic
// choice, which times both first, says what it measured and trains where it measured faster; and a
// device lost mid-run (`gpu_lose_after`) hands the runs to the CPU, with the same numbers.
test('on WebGPU the seven runs train at once with the numbers of the CLI; automatic times both first; a lost device falls back', { timeout: 500_000 }, async () => {
  const browser = await launch({ webgpu: true });
  const want = JSON.parse(execFileSync(requireEnv('CBLAB_CLI'),
    ['train', '--data', 'multi-label-toy', '--beta', '0.999', '--gamma', '2'], { encoding: 'utf8' }));
  const train = async (backend, extra = '') => {
    const page = await openPage(browser, `${site.url}?beta=0.999&gamma=2&backend=${backend}${extra}`, { width: 1280, height: 900 });
    const button = page.locator('#multi-train');
    await button.waitFor({ state: 'attached', timeout: 60_000 });
    await page.waitForFunction(() => !(document.querySelector('#backend-badge')?.textContent ?? 'looking').includes('looking'), null, { timeout: 60_000 });
    await bringIntoView(page, button);
    // Every progress line the page shows, as it shows them.
    await page.evaluate(() => {
      const line = document.querySelector('#multi-progress');
      window.progressLines = [];
      new MutationObserver(() => window.progressLines.push(line.textContent)).observe(line, { childList: true, subtree: true, characterData: true });
    });
    await button.click();
    await page.waitForFunction(() => /^7 runs trained/.test(document.querySelector('#multi-progress')?.textContent ?? ''), null, { timeout: 300_000 })
      .catch(async (e) => { throw new Error(`${await page.textContent('#multi-progress')} ${page.errors}\n${e.message}`); });
    const lines = await page.evaluate(() => window.progressLines);
    const gpuSteps = lines.map((l) => l.match(/^Training all 7 runs at once on WebGPU: step (\d+) of (\d+) \([\d.]+ s\)\.$/)).filter(Boolean);
    if (/on WebGPU in/.test(await page.textContent('#multi-progress'))) {
      // 60 epochs of 3,000 points at 128 a step: 1,440 steps, counted up as they go.
      assert.ok(gpuSteps.some((m) => Number(m[1]) > 0), `the steps were shown while training: ${lines.join(' | ')}`);
      assert.ok(gpuSteps.every((m) => m[2] === '1440' && Number(m[1]) < 1440), lines.join(' | '));
    }
    const maps = await page.$$eval('#multi-results tbody tr', (trs) => trs.map((tr) => ({
      method: tr.querySelector('th').textContent,
      map: Number(tr.querySelector('td').dataset.map),
    })));
    assert.deepEqual(maps.map((m) => m.method), want.runs.map((r) => r.method));
    maps.forEach((m, i) => assert.ok(Math.abs(m.map - want.runs[i].map.mean) < 0.02, `${backend}, ${m.method}: page ${m.map}, CLI ${want.runs[i].map.mean}`));
    const text = await page.textContent('#multi-progress');
    page.assertNoErrors();
    return { page, text };
  };
  try {
    const gpu = await train('gpu');
    assert.match(gpu.text, /^7 runs trained at once on WebGPU in [\d.]+ s\.$/);
    await bringIntoView(gpu.page, gpu.page.locator('#multi-regions'));
    await shoot(gpu.page, 'multi-label-trained-webgpu');
    await gpu.page.close();
    const auto = await train('auto');
    const measured = auto.text.match(/timed both first: (\d+) model-steps a second on the CPU, (\d+) on WebGPU/);
    assert.ok(measured, auto.text);
    const [cpu, webgpu] = [Number(measured[1]), Number(measured[2])];
    assert.ok(cpu > 0 && webgpu > 0, auto.text);
    // (The page rounds both figures: a near tie says nothing.)
    if (Math.abs(webgpu - cpu) > 1) assert.equal(/on WebGPU in/.test(auto.text), webgpu > cpu, `chose against its own timing: ${auto.text}`);
    console.log(`automatic choice on this machine: ${auto.text}`);
    await auto.page.close();
    const lost = await train('gpu', '&gpu_lose_after=100');
    assert.match(lost.text, /^7 runs trained in [\d.]+ s\. WebGPU failed \(.*lost.*\); the runs trained on the CPU instead, from the start\.$/, lost.text);
    assert.match(await lost.page.textContent('#backend-badge'), /device was lost/);
    await lost.page.close();
  } finally {
    await browser.close();
  }
});

// `cblab train --data fashion-mosaics` at beta 0.999 and gamma 2, run once for both backends' tests.
let mosaicsRuns;
function mosaicsCli() {
  mosaicsRuns ??= JSON.parse(execFileSync(requireEnv('CBLAB_CLI'),
    ['train', '--data', 'fashion-mosaics', '--beta', '0.999', '--gamma', '2'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  return mosaicsRuns;
}

// The mosaics' comparison on `page` (opened at beta 0.999, gamma 2) against the CLI; `name` the
// screenshot's. Gives the progress line.
async function trainMosaics(page, name) {
  await page.selectOption('#multi-data', 'mosaics');
  const button = page.locator('#multi-train');
  await bringIntoView(page, button);
  await button.click();
  await page.waitForFunction(() => /^7 runs trained/.test(document.querySelector('#multi-progress')?.textContent ?? ''), null, { timeout: 300_000 })
    .catch(async (e) => { throw new Error(`${await page.textContent('#multi-progress')} ${page.errors}\n${e.message}`); });
  const progress = await page.textContent('#multi-progress');
  console.log(`# the mosaics' seven runs in the worker: ${progress}`);
  const maps = await page.$$eval('#multi-results tbody tr', (trs) => trs.map((tr) => ({
    method: tr.querySelector('th').textContent,
    map: Number(tr.querySelector('td').dataset.map),
  })));
  const want = mosaicsCli();
  assert.deepEqual(maps.map((m) => m.method), want.runs.map((r) => r.method));
  maps.forEach((m, i) => assert.ok(Math.abs(m.map - want.runs[i].map.mean) < 0.02, `${m.method}: page ${m.map}, CLI ${want.runs[i].map.mean}`));
  // Classes by name, head to tail; no regions (that figure is the toy's).
  const classes = await page.$$eval('#multi-ap tbody th', (ths) => ths.map((t) => t.textContent));
  assert.deepEqual(classes, want.task.names);
  assert.equal(await page.isVisible('#multi-regions'), false);
  // Eight mosaics drawn, each with its true labels and the picked method's predictions.
  const tiles = page.locator('#multi-mosaics li');
  assert.equal(await tiles.count(), 8);
  const inked = await page.$$eval('#multi-mosaics canvas', (cs) => cs.map((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 250) n += 1;
    return n / (d.length / 4);
  }));
  assert.ok(inked.every((f, i) => f > 0.02 || (tiles.nth(i) && true)), `ink: ${inked}`);
  assert.ok(inked.filter((f) => f > 0.05).length >= 6, `most mosaics show items: ${inked}`);
  const first = await tiles.first().textContent();
  assert.match(first, /true: .+predicted: /);
  await page.selectOption('#multi-mosaics-method', { label: 'sigmoid' });
  await bringIntoView(page, page.locator('#multi-mosaics'));
  page.assertNoErrors();
  await shoot(page, name);
  return progress;
}

test('the mosaics train in the worker with the numbers of cblab train --data fashion-mosaics, shown with their labels', { timeout: 400_000 }, async () => {
  const page = await openPanel('?beta=0.999&gamma=2', { width: 1280, height: 900 });
  await trainMosaics(page, 'multi-label-mosaics');
  await page.close();
});

test('the mosaics train on WebGPU too, all seven at once, with the numbers of the CLI', { timeout: 500_000 }, async () => {
  const browser = await launch({ webgpu: true });
  try {
    const page = await openPage(browser, `${site.url}?beta=0.999&gamma=2&backend=gpu`, { width: 1280, height: 900 });
    await page.locator('#multi-train').waitFor({ state: 'attached', timeout: 60_000 });
    await page.waitForFunction(() => !(document.querySelector('#backend-badge')?.textContent ?? 'looking').includes('looking'), null, { timeout: 60_000 });
    const progress = await trainMosaics(page, 'multi-label-mosaics-webgpu');
    assert.match(progress, /^7 runs trained at once on WebGPU/);
    await page.close();
  } finally {
    await browser.close();
  }
});


test('on a phone and in Chinese', { timeout: 120_000 }, async () => {
  const phone = await openPanel('', { width: 390, height: 844, hasTouch: true, isMobile: true });
  const overflow = await phone.$eval('#multi-label', (el) => el.scrollWidth - el.clientWidth);
  assert.ok(overflow <= 1, `the panel is ${overflow}px wider than the phone`);
  await shoot(phone, 'multi-label-phone');
  phone.assertNoErrors();
  await phone.close();
  const zh = await openPanel('?lang=zh-CN', { width: 1280, height: 900 });
  await zh.waitForFunction(() => document.querySelector('#multi-label-title')?.textContent === '动手试试：你的标签集合、权重与训练');
  assert.match(await zh.textContent('#label-sets-summary'), /^样本：15 · 类别：6/);
  await shoot(zh, 'multi-label-zh-CN');
  zh.assertNoErrors();
  await zh.close();
});
