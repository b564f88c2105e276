// Your own data set in the page: an image folder picked, a COCO file dropped, a 100 MB file read
// in the counting worker with its progress bar (and another read cancelled), bad files refused
// in both languages while the explorer keeps its classes. Counts and weights are checked against
// the CLI reading the same files; screenshots at desktop, phone and in Chinese.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bringIntoView, openPage, requireEnv, screenshotOf, useSite } from './harness.mjs';

const site = useSite();
let dir;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cblab-data-set-'));
});
// Its 100 MB file would stay on the machine after every run.
after(() => rm(dir, { recursive: true, force: true }));

const cli = (...args) =>
  JSON.parse(execFileSync(requireEnv('CBLAB_CLI'), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
const tableWeights = (page) =>
  page.$$eval('#weights-table tbody tr', (rows) => rows.map((r) => Number(r.getAttribute('data-weight'))));
const tableNames = (page) =>
  page.$$eval('#weights-table tbody tr td:first-child', (tds) => tds.map((td) => td.textContent));
const query = (page) => new URL(page.url()).searchParams;
const settle = (page) => page.evaluate(() => new Promise((r) => setTimeout(r, 300)));

/** The page with the data-set panel open (it comes in the training chunk). */
async function openPanel(q = '', size = { width: 1280, height: 900 }) {
  const page = await openPage(site.browser, `${site.url}${q}`, size);
  await page.waitForSelector('#weights-table tbody tr', { timeout: 30_000 });
  const panel = page.locator('#data-set');
  await panel.waitFor({ state: 'attached', timeout: 60_000 });
  await bringIntoView(page, panel);
  await page.click('#data-set summary');
  return page;
}

async function shoot(page, name) {
  const panel = page.locator('#data-set');
  await screenshotOf(page, panel, name);
}

/** The text of the weights chart's SVG download: its legend names every curve. */
async function legendOfWeights(page) {
  const [svg] = await Promise.all([
    page.waitForEvent('download'),
    page.click('button[aria-label="download weights-per-class as SVG"]'),
  ]);
  return (await readFile(await svg.path())).toString();
}

/** Drops files or folders from disk on the drop zone through Chromium's input (CDP), as a person's drag does. */
async function dropPaths(page, files) {
  const zone = page.locator('#data-set-drop');
  await bringIntoView(page, zone);
  const box = await zone.boundingBox();
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  const cdp = await page.context().newCDPSession(page);
  const data = { items: [], files, dragOperationsMask: 1 };
  for (const type of ['dragEnter', 'dragOver', 'drop']) {
    await cdp.send('Input.dispatchDragEvent', { type, x, y, data });
  }
  await cdp.detach();
}

/** Drops `text` as a file named `name` on the panel's drop zone, as a person's drop does. */
async function dropFile(page, name, text) {
  await page.evaluate(([name, text]) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], name, { type: 'application/json' }));
    const zone = document.querySelector('#data-set-drop');
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, [name, text]);
}

const COCO = JSON.stringify({
  images: [{ id: 1 }, { id: 2 }, { id: 3 }],
  annotations: [
    { image_id: 1, category_id: 7, segmentation: [[0, 0, 9, 9]] },
    { image_id: 1, category_id: 7, iscrowd: 1 },
    { image_id: 2, category_id: 7 },
    { image_id: 2, category_id: 3 },
    { image_id: 3, category_id: 7 },
  ],
  categories: [{ id: 7, name: 'dog' }, { id: 3, name: 'cat' }, { id: 5, name: 'emu' }],
});

test('a picked image folder and a dropped COCO file become the explorer\'s classes', { timeout: 120_000 }, async () => {
  const folder = path.join(dir, 'pets');
  for (const [file, text] of [['dogs/a.jpg', 'x'], ['dogs/deep/b.PNG', 'x'], ['cats/c.jpeg', 'x'],
    ['cats/notes.txt', 'x'], ['emus/d.webp', 'x'], ['emus/e.webp', 'x'], ['emus/f.bmp', 'x'], ['README.md', 'x']]) {
    await mkdir(path.dirname(path.join(folder, file)), { recursive: true });
    await writeFile(path.join(folder, file), text);
  }
  const page = await openPanel();
  // Sketched counts have no images per class: the repeat factor is offered, disabled, and says why.
  assert.ok(await page.isDisabled('#compare-repeat-factor'));
  assert.match(await page.textContent('#repeat-factor-why'), /needs images per class and the number of images/);
  await page.setInputFiles('#data-set-folder', folder);
  await page.waitForSelector('#data-set-result');
  const summary = await page.textContent('#data-set-result');
  assert.match(summary, /pets: 3 classes, 6 images/);
  assert.match(summary, /Files in class folders that are not images \(by extension\), not counted: 1\./);
  assert.match(summary, /Files at the folder’s top, in no class, not counted: 1\./);
  await settle(page);
  const want = cli('weights', '--from', 'folder', folder, '--beta', '0.999');
  assert.deepEqual(await tableNames(page), want.names);
  assert.deepEqual(await tableWeights(page), want.weights);
  await shoot(page, 'data-set-folder');

  // A folder dropped, as a file manager drops it: Chromium's own drag of a path (CDP),
  // whose item the page lists as a directory entry.
  const birds = path.join(dir, 'birds');
  for (const file of ['owls/a.png', 'owls/b.png', 'wrens/c.jpg']) {
    await mkdir(path.dirname(path.join(birds, file)), { recursive: true });
    await writeFile(path.join(birds, file), 'x');
  }
  await dropPaths(page, [birds]);
  await page.waitForFunction(() => /birds: 2 classes, 3 images \(files counted by name, none read\)/.test(document.querySelector('#data-set-result')?.textContent ?? ''));
  await settle(page);
  const dropped = cli('weights', '--from', 'folder', birds, '--beta', '0.999');
  assert.deepEqual(await tableNames(page), dropped.names);
  assert.deepEqual(await tableWeights(page), dropped.weights);

  const file = path.join(dir, 'coco.json');
  await writeFile(file, COCO);
  await dropFile(page, 'coco.json', COCO);
  await page.waitForFunction(() => document.querySelector('#data-set-result')?.textContent.includes('coco.json'));
  assert.match(await page.textContent('#data-set-result'), /coco\.json: 3 classes, 3 images/);
  assert.match(await page.textContent('#data-set-result'), /Crowd annotations among the instances: 1\./);
  assert.match(await page.textContent('#data-set-result'), /coco\.json: 3 classes, 3 images; \d+ B read in/);
  await settle(page);
  const instances = cli('weights', '--from', 'coco', file, '--beta', '0.999');
  assert.deepEqual(await tableNames(page), ['dog', 'cat', 'emu']);
  assert.deepEqual(await tableWeights(page), instances.weights);
  // The same counts by images, without reading the file again.
  await page.check('#data-set-images');
  await settle(page);
  const images = cli('weights', '--from', 'coco', file, '--unit', 'images', '--beta', '0.999');
  assert.deepEqual(await tableWeights(page), images.weights);
  // LVIS's repeat factor from the file's images, as a sampler to copy: the CLI's snippet.
  await page.fill('#repeat-factor-threshold', '0.5');
  await page.waitForFunction(() => document.querySelector('#repeat-factor-summary')?.textContent.startsWith('1 of 3 classes'));
  const sampler = execFileSync(requireEnv('CBLAB_CLI'),
    ['weights', '--from', 'coco', file, '--scheme', 'repeat-factor', '--threshold', '0.5', '--format', 'torch'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  assert.equal(await page.inputValue('#repeat-factor-export'), sampler);
  assert.match(sampler, /WeightedRandomSampler\(/);
  await page.fill('#repeat-factor-threshold', '2');
  await page.waitForSelector('#repeat-factor-error');
  assert.match(await page.textContent('#repeat-factor-error'), /the threshold must be in \(0, 1\]/);
  await page.fill('#repeat-factor-threshold', '0.5');
  // The explorer's comparison draws the same factors at the same t, named a sampling factor.
  assert.ok(await page.isChecked('#compare-repeat-factor'));
  assert.match(await page.textContent('#repeat-factor-why'), /not a loss weight/);
  await settle(page);
  assert.match(await legendOfWeights(page), /LVIS repeat factor r, t = 0\.5 \(a sampling factor\)/);
  await page.uncheck('#compare-repeat-factor');
  await settle(page);
  assert.doesNotMatch(await legendOfWeights(page), /repeat factor/);
  await page.check('#compare-repeat-factor');
  await settle(page);
  for (const [selector, name] of [['fieldset.schemes', 'compare-repeat-factor'], ['canvas[data-figure="weights-per-class"]', 'weights-repeat-factor']]) {
    await screenshotOf(page, page.locator(selector), name);
  }
  await shoot(page, 'data-set-coco');
  page.assertNoErrors();
});

test('Open Images labels with their class descriptions, and a CSV column with several labels a cell', { timeout: 120_000 }, async () => {
  const labels = path.join(dir, 'oi-labels.csv');
  const names = path.join(dir, 'oi-names.csv');
  await writeFile(labels, 'ImageID,Source,LabelName,Confidence\n'
    + '000002b66c9c498e,verification,/m/014sv8,1\n000002b66c9c498e,verification,/m/0dzct,1\n'
    + '000002b97e5471a0,verification,/m/0dzct,0\n000002c707c9895e,verification,/m/0dzct,1.0\n'
    + '000002c707c9895e,verification,/m/09j2d,1\n000002d5b1c2a3f4,verification,/m/0dzct,1\n');
  await writeFile(names, '/m/0dzct,Human face\n/m/014sv8,Human eye\n/m/0k4j,Car\n');
  const page = await openPanel();
  await page.selectOption('#data-set-kind', 'openimages');
  await page.setInputFiles('#data-set-names', names);
  await page.setInputFiles('#data-set-file', labels);
  await page.waitForSelector('#data-set-result');
  const summary = await page.textContent('#data-set-result');
  assert.match(summary, /oi-labels\.csv: 3 classes, 4 images/);
  assert.match(summary, /Rows whose label the class descriptions do not list, not counted: 1\./);
  await settle(page);
  const want = cli('weights', '--from', 'openimages', labels, '--names', names, '--beta', '0.999');
  assert.deepEqual(await tableNames(page), ['Human face', 'Human eye', 'Car']);
  assert.deepEqual(await tableWeights(page), want.weights);

  const table = path.join(dir, 'tags.csv');
  await writeFile(table, 'path,tags\na.jpg,dog|cat\nb.jpg,dog\nc.jpg,\nd.jpg,emu|dog\n');
  await page.selectOption('#data-set-kind', 'csv');
  await page.fill('#data-set-column', 'tags');
  await page.fill('#data-set-separator', '|');
  await page.setInputFiles('#data-set-file', table);
  await page.waitForFunction(() => document.querySelector('#data-set-result')?.textContent.includes('tags.csv'));
  assert.match(await page.textContent('#data-set-result'), /tags\.csv: 3 classes, 4 rows/);
  await settle(page);
  const rows = cli('weights', '--from', 'csv', table, '--column', 'tags', '--separator', '|', '--beta', '0.999');
  assert.deepEqual(await tableNames(page), rows.names);
  assert.deepEqual(await tableWeights(page), rows.weights);
  page.assertNoErrors();
});

/** Writes a seeded COCO-shaped file of about `megabytes` MB (polygons are most of its bytes, as in COCO's). */
async function writeCoco(file, megabytes, categories = 1203) {
  const out = createWriteStream(file);
  const write = (text) => new Promise((resolve) => (out.write(text) ? resolve() : out.once('drain', resolve)));
  let seed = 12345;
  const next = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  const images = 100_000;
  await write('{"info": {"description": "seeded"}, "images": [');
  for (let i = 1; i <= images; i += 1) await write(`${i > 1 ? ',' : ''}{"id": ${i}, "width": 640, "height": 480}`);
  await write('], "annotations": [');
  let bytes = 0;
  let id = 0;
  while (bytes < megabytes * 1e6) {
    // Long-tailed categories: the head holds most annotations.
    const category = 1 + Math.floor(categories * next() ** 3);
    const polygon = Array.from({ length: 60 }, () => (next() * 640).toFixed(2)).join(', ');
    const text = `${id > 0 ? ',' : ''}{"id": ${id + 1}, "image_id": ${1 + Math.floor(next() * images)}, "category_id": ${category}, "iscrowd": 0, "segmentation": [[${polygon}]], "bbox": [1.0, 2.0, 3.0, 4.0]}`;
    await write(text);
    bytes += text.length;
    id += 1;
  }
  await write('], "categories": [');
  for (let c = 1; c <= categories; c += 1) await write(`${c > 1 ? ',' : ''}{"id": ${c}, "name": "class ${c}"}`);
  await write(']}');
  await new Promise((resolve) => out.end(resolve));
}

test('a 100 MB file is read in the worker with a progress bar while the page answers; another read is cancelled', { timeout: 300_000 }, async () => {
  const file = path.join(dir, 'big.json');
  await writeCoco(file, 100);
  const size = (await stat(file)).size;
  assert.ok(size > 100e6, `the file has ${size} bytes`);
  const page = await openPanel();
  // The page's thread while the worker reads (the bar below its end): long tasks (50 ms or
  // more) and the longest gap between frames. Showing the counts afterwards is not reading.
  await page.evaluate(() => {
    const watch = { longTasks: [], maxGap: 0, last: null, readingUntil: 0, on: true, progress: new Set() };
    window.watch = watch;
    new PerformanceObserver((list) => { watch.longTasks.push(...list.getEntries().map((e) => e.startTime)); })
      .observe({ type: 'longtask' });
    const frame = (now) => {
      const bar = document.querySelector('#data-set-progress');
      const reading = bar && bar.value < bar.max;
      if (reading) {
        if (watch.last !== null) watch.maxGap = Math.max(watch.maxGap, now - watch.last);
        watch.last = now;
        watch.readingUntil = now;
        watch.progress.add(bar.value);
      } else {
        watch.last = null;
      }
      if (watch.on) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  await page.setInputFiles('#data-set-file', file);
  await page.waitForSelector('#data-set-progress');
  await page.waitForSelector('#data-set-result', { timeout: 240_000 });
  const watch = await page.evaluate(() => {
    const w = window.watch;
    w.on = false;
    return { longTasks: w.longTasks.filter((t) => t < w.readingUntil).length, maxGap: w.maxGap, progress: w.progress.size };
  });
  const summary = await page.textContent('#data-set-result');
  const seconds = Number(summary.match(/in ([\d.]+) s/)[1]);
  const speed = Number(summary.match(/\((\d+) MB\/s\)/)[1]);
  console.log(`# ${(size / 1e6).toFixed(1)} MB counted in the page's worker in ${seconds} s (${speed} MB/s); `
    + `long tasks on the page's thread: ${watch.longTasks}; longest gap between frames: ${watch.maxGap.toFixed(1)} ms; `
    + `progress values seen: ${watch.progress}`);
  assert.ok(watch.progress >= 3, 'the bar moved');
  assert.equal(watch.longTasks, 0, 'the page\'s thread never blocked for 50 ms');
  await settle(page);
  const want = cli('weights', '--from', 'coco', file, '--beta', '0.999');
  assert.match(await page.textContent('#summary'), /classes\s*1203/);
  assert.deepEqual(await tableWeights(page), want.weights.slice(0, 50));
  const before = query(page).get('counts');

  // Another read, cancelled: the explorer keeps the counts it has.
  await page.setInputFiles('#data-set-file', file);
  await page.waitForSelector('#data-set-cancel');
  await page.click('#data-set-cancel');
  await page.waitForSelector('#data-set-error');
  assert.match(await page.textContent('#data-set-error'), /Cancelled: big\.json was not counted/);
  await settle(page);
  assert.equal(query(page).get('counts'), before);
  page.assertNoErrors();
});

test('bad files are refused with where, in both languages, and the explorer keeps its classes', { timeout: 120_000 }, async () => {
  for (const [lang, cut, utf16, cap] of [
    ['en', /cut\.json was not counted: line 2, column \d+: EOF while parsing/, /the file is UTF-16/, /the explorer takes 2 to 10000 classes, got 10001/],
    ['zh-CN', /cut\.json 未被统计：第 2 行第 \d+ 列：EOF while parsing/, /未被统计/, /探索器接受 2 到 10000 个类别，得到的是 10001/],
  ]) {
    const page = await openPanel(`?lang=${lang}`);
    const preset = () => query(page).get('preset');
    assert.equal(preset(), 'cifar10-lt-100');
    await dropFile(page, 'cut.json', '{"images": [\n{"id": 1}, {"id"');
    await page.waitForSelector('#data-set-error');
    assert.match(await page.textContent('#data-set-error'), cut);
    await page.setInputFiles('#data-set-file', { name: 'wide.json', mimeType: 'application/json', buffer: Buffer.from('\ufeff{"images": []}', 'utf16le') });
    await page.waitForFunction(() => document.querySelector('#data-set-error')?.textContent.includes('wide.json'));
    assert.match(await page.textContent('#data-set-error'), utf16);
    // A table of 10,001 classes: counted, but more than the page shows (the CLI takes it).
    await page.selectOption('#data-set-kind', 'csv');
    const rows = Array.from({ length: 10_001 }, (_, i) => `c${i}`).join('\n');
    await page.setInputFiles('#data-set-file', { name: 'wide.csv', mimeType: 'text/csv', buffer: Buffer.from(`label\n${rows}\n`) });
    await page.waitForFunction(() => document.querySelector('#data-set-error')?.textContent.includes('wide.csv'));
    assert.match(await page.textContent('#data-set-error'), cap);
    await settle(page);
    assert.equal(preset(), 'cifar10-lt-100', 'the explorer keeps its classes');
    if (lang === 'zh-CN') await shoot(page, 'data-set-error-zh');
    page.assertNoErrors();
    await page.close();
  }
});

test('the panel at a phone\'s width', { timeout: 60_000 }, async () => {
  const page = await openPanel('', { width: 390, height: 844 });
  await dropFile(page, 'coco.json', COCO);
  await page.waitForSelector('#data-set-result');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow} px wider than the phone`);
  await shoot(page, 'data-set-phone');
  page.assertNoErrors();
});
