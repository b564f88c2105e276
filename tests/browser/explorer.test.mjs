// The weight explorer as a person uses it: pick a preset, drag beta, paint bars, paste good
// and bad counts, copy an export, download a chart, reload from the URL. Every test fails on
// any console error, and screenshots at phone and projector widths are saved for a person.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { bringIntoView, openPage, requireEnv, screenshot, useSite } from './harness.mjs';

const site = useSite();

/** The CLI's weights for some arguments (the source of truth). */
function cliWeights(...args) {
  return JSON.parse(execFileSync(requireEnv('CBLAB_CLI'), ['weights', ...args], { encoding: 'utf8' })).weights;
}

async function open(query = '', options = {}) {
  const page = await openPage(site.browser, `${site.url}${query}`, options);
  await page.waitForSelector('#weights-table tbody tr', { timeout: 30_000 });
  return page;
}

const tableWeights = (page) =>
  page.$$eval('#weights-table tbody tr', (rows) => rows.map((r) => Number(r.getAttribute('data-weight'))));
const query = (page) => new URL(page.url()).searchParams;

/** Waits until every pending update has been drawn and the URL has caught up (120 ms after the last change). */
const settle = (page) => page.evaluate(() => new Promise((r) => setTimeout(r, 300)));

test('picking a preset shows its weights, as the CLI computes them', async () => {
  const page = await open();
  await page.selectOption('select[aria-label="preset"]', 'cifar100-lt-100');
  await settle(page);
  const want = cliWeights('--preset', 'cifar100-lt-100', '--beta', '0.999');
  assert.deepEqual(await tableWeights(page), want.slice(0, 50));
  assert.equal(query(page).get('preset'), 'cifar100-lt-100');
  assert.match(await page.textContent('#summary'), /classes\s*100/);
  await page.click('nav.pager >> text=Next');
  await settle(page);
  assert.deepEqual(await tableWeights(page), want.slice(50, 100));
  page.assertNoErrors();
});

test('the Fashion-MNIST-LT presets give the CLI\'s weights with the class names, and the credit', async () => {
  const page = await open();
  await page.selectOption('select[aria-label="preset"]', 'fashion-mnist-lt-100');
  await settle(page);
  assert.equal(query(page).get('preset'), 'fashion-mnist-lt-100');
  const cli = JSON.parse(execFileSync(requireEnv('CBLAB_CLI'), ['weights', '--preset', 'fashion-mnist-lt-100', '--beta', '0.999'], { encoding: 'utf8' }));
  assert.deepEqual(await tableWeights(page), cli.weights);
  const names = await page.$$eval('#weights-table tbody tr td:first-child', (tds) => tds.map((td) => td.textContent));
  assert.deepEqual(names, cli.names);
  assert.equal(names[0], 'T-shirt/top');
  assert.match(await page.textContent('.site-footer .credit'), /Fashion-MNIST by Zalando SE \(MIT licence\)/);
  page.assertNoErrors();
});

test('dragging beta changes the weights and the URL; N and the exact field follow', async () => {
  const page = await open();
  const slider = page.locator('#beta-slider');
  // The lesson comes first: bring the explorer's slider on screen before using the mouse.
  const box = await bringIntoView(page, slider);
  // Drag the thumb to 3/4 of the track: 1 - beta = 10^-6.
  await page.mouse.move(box.x + box.width * 0.375, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.75, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await settle(page);
  const q = query(page);
  const oneMinus = q.get('one_minus_beta') ?? String(1 - Number(q.get('beta')));
  assert.ok(Number(oneMinus) < 1e-4, `beta moved towards 1: ${page.url()}`);
  const want = cliWeights('--preset', 'cifar10-lt-100', '--one-minus-beta', oneMinus);
  const got = await tableWeights(page);
  got.forEach((w, i) => assert.ok(Math.abs(w - want[i]) <= 1e-12 * want[i], `class ${i}: ${w} vs ${want[i]}`));
  const n = Number(await page.inputValue('#n-text'));
  assert.ok(Math.abs(n - 1 / Number(oneMinus)) / n < 1e-3, `N = ${n}`);

  // Exact entry, and a bad one that changes nothing.
  await page.fill('#beta-text', '1 - 1e-8');
  await page.press('#beta-text', 'Enter');
  await settle(page);
  assert.equal(query(page).get('one_minus_beta'), '1e-8');
  await page.fill('#beta-text', 'abc');
  await page.press('#beta-text', 'Enter');
  await settle(page);
  assert.match(await page.textContent('.controls'), /"abc" is not a number/);
  assert.equal(query(page).get('one_minus_beta'), '1e-8');
  await page.fill('#n-text', '1000');
  await page.press('#n-text', 'Enter');
  await settle(page);
  // N = 1000 sets 1 - beta = 0.001 exactly (beta = 0.999 as an f64 is 1 - 0.0010000000000000009).
  assert.equal(query(page).get('one_minus_beta'), '0.001');
  assert.equal(await page.inputValue('#beta-text'), '1 - 1e-3');
  page.assertNoErrors();
});

test('the range of beta in which the weights move: a band under the slider, in words, in the summary', async () => {
  // Classes of thousands: beta = 0.9 changes nothing, which the page says.
  const page = await open('?counts=5000,2000,1000&beta=0.9');
  const cli = JSON.parse(execFileSync(requireEnv('CBLAB_CLI'), ['weights', '--counts', '5000,2000,1000', '--beta', '0.9', '--advise'], { encoding: 'utf8' })).beta_range;
  const advice = () => page.textContent('#beta-advice');
  assert.match(await advice(), /between beta = 0\.99\d* \(N = \d+\) and beta = 0\.9999\d* \(N = \d+\)/);
  assert.match(await advice(), /Your beta, 0\.9, is below the range: every weight is about 1/);
  assert.deepEqual(await tableWeights(page), [1, 1, 1]);
  // The band spans the CLI's range on the slider's log scale (8 decades of 1 - beta).
  const band = await page.$eval('.beta-band', (el) => {
    const outer = el.getBoundingClientRect();
    const inner = el.querySelector('span').getBoundingClientRect();
    return { start: (inner.left - outer.left) / outer.width, end: (inner.right - outer.left) / outer.width, hidden: el.hidden };
  });
  assert.equal(band.hidden, false);
  for (const [shown, oneMinus] of [[band.start, cli.one_minus_low], [band.end, cli.one_minus_high]]) {
    assert.ok(Math.abs(shown - -Math.log10(oneMinus) / 8) < 0.01, `band ${JSON.stringify(band)} vs ${oneMinus}`);
  }
  assert.match(await page.textContent('#beta-range'), /^0\.99\d* – 0\.9999\d*$/);
  await page.fill('#beta-text', '0.9999');
  await page.press('#beta-text', 'Enter');
  await page.waitForFunction(() => document.querySelector('#beta-advice').textContent.includes('inside it'));
  // Balanced classes: no range, no band.
  await page.goto(`${site.url}?counts=100,100,101`);
  await page.waitForSelector('#weights-table tbody tr');
  assert.match(await advice(), /stay within 5 % of all ones at every beta/);
  assert.equal(await page.$eval('.beta-band', (el) => el.hidden), true);
  assert.equal(await page.textContent('#beta-range'), '–');
  page.assertNoErrors();
  await page.close();
});

test('painting bars with the mouse, a finger and the keyboard changes the counts', async () => {
  const page = await open('', { hasTouch: true });
  const before = await page.textContent('#summary');
  const canvas = page.locator('#editor');
  const box = await bringIntoView(page, canvas);
  // A drag from low on the left to high on the right paints a ramp over every class it crosses.
  await page.mouse.move(box.x + box.width * 0.15, box.y + box.height * 0.7);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height * 0.2, { steps: 12 });
  await page.mouse.up();
  await settle(page);
  const counts = query(page).get('counts');
  assert.ok(counts, `painting turns the preset into custom counts: ${page.url()}`);
  const values = counts.split(',').map(Number);
  assert.equal(values.length, 10);
  assert.ok(values[9] > values[1], `the ramp rises to the right: ${counts}`);
  assert.notEqual(await page.textContent('#summary'), before);

  await page.touchscreen.tap(box.x + box.width * 0.5, box.y + box.height * 0.9);
  await settle(page);
  assert.notEqual(query(page).get('counts'), counts, 'a tap paints too');

  await canvas.focus();
  const painted = query(page).get('counts');
  await page.keyboard.press('Home');
  await page.keyboard.press('PageUp');
  await settle(page);
  const first = Number(query(page).get('counts').split(',')[0]);
  assert.equal(first, Math.max(1, Number(painted.split(',')[0]) * 10));
  assert.match(await page.textContent('.live'), /class 0: \d+ samples/);
  page.assertNoErrors();
});

test('pasted counts are used; bad ones get a message that says where, and lose nothing', async () => {
  const page = await open();
  await page.click('text=Paste counts or load a file');
  await page.fill('#paste-counts', '100, 50\n0, x7');
  await page.click('#apply-counts');
  // The readers come in a chunk of their own on the first paste.
  await page.waitForSelector('#paste-error');
  assert.match(await page.textContent('#paste-error'), /line 2, column 4: "x7" is not a number/);
  assert.equal(query(page).get('preset'), 'cifar10-lt-100', 'the previous distribution stays');
  assert.equal((await tableWeights(page)).length, 10);

  await page.fill('#paste-counts', '100, 50\n0, 7');
  await page.click('#apply-counts');
  await page.waitForSelector('#paste-error', { state: 'detached' });
  await settle(page);
  assert.deepEqual(await tableWeights(page), cliWeights('--counts', '100,50,0,7', '--beta', '0.999'));
  assert.equal(await page.textContent('#empty-classes'), '2');

  // A file of labels, counted, with its class names in the table.
  await page.check('text=it is a file of labels');
  await page.setInputFiles('#counts-file', {
    name: 'labels.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('cat\ndog\ncat\nemu\ncat\n'),
  });
  await page.waitForFunction(() => document.querySelectorAll('#weights-table tbody tr').length === 3);
  assert.deepEqual(
    await page.$$eval('#weights-table tbody tr td:first-child', (tds) => tds.map((td) => td.textContent)),
    ['cat', 'dog', 'emu'],
  );
  assert.deepEqual(await tableWeights(page), cliWeights('--counts', '3,1,1', '--beta', '0.999'));
  await page.uncheck('text=it is a file of labels');

  // 10,000 classes: the table pages, the page stays usable.
  const many = Array.from({ length: 10_000 }, (_, i) => 1 + ((i * 7919) % 5000)).join(' ');
  await page.fill('#paste-counts', many);
  await page.click('#apply-counts');
  await page.waitForFunction(() => document.querySelector('.pager span')?.textContent === 'page 1 of 200');
  page.assertNoErrors();
});

test('a chart redrawn over its kept frame is the chart drawn whole; off screen a chart gives back its pixels', async () => {
  // src/charts/frame.rs keeps each chart's frame; src/site/figures.rs lets go of an off-screen canvas.
  const pixels = (page, figure) => page.$eval(`canvas[data-figure="${figure}"]`, (c) => c.toDataURL('image/png'));
  const page = await open('?preset=cifar10-lt-100&beta=0.999');
  const slider = page.locator('#first-beta');
  await bringIntoView(page, slider);
  const drawnWhole = await pixels(page, 'first-weights');
  // Away and back: the second draw puts the frame back and draws the curves over it.
  for (const value of ['300', await slider.inputValue()]) {
    await slider.evaluate((s, v) => { s.value = v; s.dispatchEvent(new Event('input', { bubbles: true })); }, value);
    await settle(page);
  }
  assert.equal(await pixels(page, 'first-weights'), drawnWhole, 'back at beta 0.999, the same pixels');
  // At another beta, the same pixels as a page opened there, which draws its chart whole.
  await slider.evaluate((s) => { s.value = '650'; s.dispatchEvent(new Event('input', { bubbles: true })); });
  await settle(page);
  const beta = query(page).get('beta');
  const kept = await pixels(page, 'first-weights');
  const fresh = await open(`?preset=cifar10-lt-100&beta=${beta}`);
  await bringIntoView(fresh, fresh.locator('#first-beta'));
  assert.equal(await fresh.$eval('#first-beta', (s) => s.value), '650');
  assert.equal(kept, await pixels(fresh, 'first-weights'), `at beta ${beta}, drawn over the kept frame = drawn whole`);
  fresh.assertNoErrors();
  await fresh.close();

  // The explorer's charts are far below: no pixels until they come on screen, then drawn.
  const size = (figure) => page.$eval(`canvas[data-figure="${figure}"]`, (c) => [c.width, c.height]);
  assert.deepEqual(await size('focal-loss'), [0, 0]);
  const box = await page.locator('canvas[data-figure="focal-loss"]').evaluate((c) => c.getBoundingClientRect().height);
  assert.ok(box > 200, `it keeps its place on the page: ${box} px high`);
  await bringIntoView(page, page.locator('canvas[data-figure="focal-loss"]'));
  await settle(page);
  const [w, h] = await size('focal-loss');
  assert.ok(w > 200 && h > 200, `drawn again at ${w} x ${h}`);
  const inked = await page.$eval('canvas[data-figure="focal-loss"]', (c) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] + data[i + 1] + data[i + 2] < 300) dark++;
    return dark;
  });
  assert.ok(inked > 1000, `its curves and words are drawn: ${inked} dark pixels`);
  page.assertNoErrors();
});

test('a drag sets no other form control than those that show beta', async () => {
  // Setting a checkbox or a select, even to the value it has, makes Chromium's autofill walk
  // every control of the page in a task of its own (12-15 ms a step at 4x, docs/speed.md):
  // the controls follow the state through memos, so that a beta drag leaves them alone.
  const page = await open('?preset=cifar10-lt-100&beta=0.999');
  const slider = page.locator('#first-beta');
  await bringIntoView(page, slider);
  const drag = (values) => slider.evaluate(async (s, values) => {
    for (const v of values) {
      s.value = v;
      s.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((r) => requestAnimationFrame(() => r()));
    }
  }, values);
  await drag(['400']); // the first step lets the parts off screen catch up once, then hold
  await page.evaluate(() => {
    window.controlsSet = [];
    const watch = (proto, prop) => {
      const d = Object.getOwnPropertyDescriptor(proto, prop);
      Object.defineProperty(proto, prop, {
        get: d.get,
        set(v) { window.controlsSet.push(`${this.id || this.name}.${prop}`); d.set.call(this, v); },
        configurable: true,
      });
    };
    watch(HTMLInputElement.prototype, 'value');
    watch(HTMLInputElement.prototype, 'checked');
    watch(HTMLSelectElement.prototype, 'value');
    watch(HTMLSelectElement.prototype, 'selectedIndex');
    watch(HTMLTextAreaElement.prototype, 'value');
  });
  await drag(['420', '440', '460', '480', '500']);
  const set = await page.evaluate(() => window.controlsSet);
  assert.ok(set.length >= 5, `the slider follows beta: ${set}`);
  assert.deepEqual([...new Set(set)], ['first-beta.value'], 'only the dragged slider is set');
  page.assertNoErrors();
});

test('an export can be copied and a chart downloaded as PNG and SVG', async () => {
  const page = await open('', { permissions: ['clipboard-read', 'clipboard-write'] });
  await page.click('.export summary');
  await page.selectOption('#export-format', 'keras');
  await settle(page);
  const text = await page.inputValue('#export-text');
  assert.match(text, /^# model\.fit\(\.\.\., class_weight=class_weight\)\nclass_weight = \{0: 0\.18118700691918607, /);
  await page.click('#copy-export');
  await page.waitForSelector('text=Copied.');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), text);
  // Any weighting the explorer compares, as the CLI writes it.
  const cliSnippet = (args) => execFileSync(requireEnv('CBLAB_CLI'), ['weights', '--preset', 'cifar10-lt-100', ...args], { encoding: 'utf8' }).trim();
  for (const [scheme, format, args] of [
    ['inverse', 'python', ['--scheme', 'inverse', '--format', 'python']],
    ['cb-0.99', 'csv', ['--scheme', 'cb', '--beta', '0.99', '--format', 'csv']],
    ['enet', 'torch', ['--scheme', 'enet', '--format', 'torch']],
  ]) {
    await page.selectOption('#export-scheme', scheme);
    await page.selectOption('#export-format', format);
    await settle(page);
    assert.equal((await page.inputValue('#export-text')).trim(), cliSnippet(args), `${scheme} as ${format}`);
  }
  await page.selectOption('#export-scheme', 'cb');
  await page.selectOption('#export-format', 'keras');
  await settle(page);
  assert.equal(await page.inputValue('#export-text'), text, 'back to CB at your beta');

  for (const [kind, check] of [
    ['PNG', (bytes) => bytes.subarray(1, 4).toString() === 'PNG'],
    ['SVG', (bytes) => bytes.toString().includes('<svg')],
  ]) {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click(`button[aria-label="download weights-per-class as ${kind}"]`),
    ]);
    assert.equal(download.suggestedFilename(), `weights-per-class.${kind.toLowerCase()}`);
    const bytes = await readFile(await download.path());
    assert.ok(bytes.length > 1000 && check(bytes), `a real ${kind}`);
  }

  // Median-frequency balancing and ENet join the comparison, in the link and
  // in the chart's legend (its SVG).
  await page.check('input[name="scheme"][value="median-frequency"]');
  await page.check('input[name="scheme"][value="enet"]');
  await settle(page);
  assert.match(decodeURIComponent(page.url()), /schemes=[^&]*median-frequency,enet/);
  const [svg] = await Promise.all([
    page.waitForEvent('download'),
    page.click('button[aria-label="download weights-per-class as SVG"]'),
  ]);
  const legend = (await readFile(await svg.path())).toString();
  for (const label of ['median frequency median(n)/n', 'ENet 1/ln(1.02 + p)']) {
    assert.ok(legend.includes(label), `the chart's legend names ${label}`);
  }
  page.assertNoErrors();
});

test('a link restores the page exactly; hostile values fall back with a notice, as text', async () => {
  const page = await open();
  await page.selectOption('select[aria-label="preset"]', 'cifar10-lt-50');
  await page.fill('#beta-text', '0.9999');
  await page.press('#beta-text', 'Enter');
  await page.check('input[name="scheme"][value="balanced"]');
  await page.uncheck('input[name="scheme"][value="none"]');
  await page.fill('#gamma-text', '2.5');
  await page.press('#gamma-text', 'Enter');
  await page.uncheck('#log-scale');
  await settle(page);
  const url = page.url();
  const weights = await tableWeights(page);
  await page.reload();
  await page.waitForSelector('#weights-table tbody tr');
  assert.equal(page.url(), url);
  assert.deepEqual(await tableWeights(page), weights);
  assert.equal(await page.inputValue('#beta-text'), '0.9999');
  assert.equal(await page.inputValue('#gamma-text'), '2.5');
  assert.equal(await page.isChecked('input[name="scheme"][value="balanced"]'), true);
  assert.equal(await page.isChecked('input[name="scheme"][value="none"]'), false);
  assert.equal(await page.isChecked('#log-scale'), false);
  page.assertNoErrors();

  const evil = encodeURIComponent('<img src=x onerror="document.title=1">');
  const bad = await open(`?preset=${evil}&beta=abc&gamma=99`);
  const notices = await bad.$$eval('.notice', (ps) => ps.map((p) => p.textContent));
  assert.equal(notices.length, 3, notices.join('\n'));
  assert.ok(notices[0].includes('<img src=x'), 'the value is shown as text');
  assert.equal(await bad.$$eval('img', (imgs) => imgs.length), 0, 'nothing from the URL became HTML');
  assert.deepEqual(await tableWeights(bad), cliWeights('--preset', 'cifar10-lt-100', '--beta', '0.999'));
  bad.assertNoErrors();
});

test('screenshots at phone and projector widths, light and dark', async () => {
  for (const [name, width, height, colorScheme] of [
    ['explorer-phone', 375, 812, 'light'],
    ['explorer-projector', 1920, 1080, 'light'],
    ['explorer-phone-dark', 375, 812, 'dark'],
  ]) {
    const page = await open('?preset=cifar10-lt-100&beta=0.999&schemes=cb,none,inverse,sqrt-inverse,cb-0.9', { width, height, colorScheme });
    await settle(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${name}: the page is ${overflow}px wider than the screen`);
    await screenshot(page, name);
    page.assertNoErrors();
    await page.close();
  }
});
