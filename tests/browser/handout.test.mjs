// Issue 31, the teacher's cut and the printed handout. A link that keeps some sections and
// panels shows only those, presentation mode has one slide per kept section, and "customise
// this lesson" writes the cut into the address and the links to share; a bad `keep` is named in
// a notice, as text. The handout is printed to a PDF (Chromium's print of the page, after the
// page's own "Print handout" made its QR codes): each kept section starts a page, no control is
// printed, every link has its code or says why not, and only the teacher's link ends with the
// answer key. The PDF's pages are saved as pictures under target/screenshots/. Every test fails
// on any console error.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { openPage, repoRoot, screenshot, useSite } from './harness.mjs';

const site = useSite();

const SECTIONS = ['long-tail', 'overlap', 'definition', 'induction', 'class-balanced', 'losses', 'results', 'after', 'several-labels'];
const TITLES = {
  overlap: 'Data overlap and diminishing returns',
  definition: 'The effective number of samples',
  'long-tail': 'The long-tail problem',
};

async function open(query = '', options = {}) {
  const page = await openPage(site.browser, `${site.url}${query}`, options);
  await page.waitForSelector('.lesson-section:not(.pending)', { state: 'attached', timeout: 30_000 });
  return page;
}

const settle = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
const query = (page) => new URL(page.url()).searchParams;
/** Waits until the address has `key` at `value` (null: absent); the page writes it 120 ms after a change. */
const addressHas = (page, key, value) => page.waitForFunction(([k, v]) => new URL(location.href).searchParams.get(k) === v, [key, value], { timeout: 5_000 });
const shownSections = (page) => page.$$eval('.lesson-section', (s) => s.filter((e) => !e.hidden).map((e) => e.id));
const isShown = (page, selector) => page.locator(selector).first().isVisible();

test('a teacher\'s cut keeps only the sections and panels it names, in the page and in presentation mode', { timeout: 120_000 }, async () => {
  const page = await open('?keep=overlap,definition,questions');
  await settle(page);
  assert.deepEqual(await shownSections(page), ['overlap', 'definition']);
  assert.equal(await isShown(page, '#first-title'), false, 'the first screen is dropped');
  assert.equal(await isShown(page, '#explorer-title'), false, 'the explorer is dropped');
  assert.ok(await isShown(page, '#overlap .questions'), 'the kept sections keep their questions');
  // The lesson links are those of the kept sections, and carry the cut.
  const steps = await page.$$eval('#teacher li:not([hidden]) a[data-step]', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(steps.length > 0, 'some lesson links are kept');
  for (const href of steps) assert.match(href, /keep=overlap%2Cdefinition%2Cquestions|keep=overlap,definition,questions/, href);
  assert.equal(await page.locator('#teacher a[data-step="induction"]').isVisible(), false, 'a dropped section has no link');
  // Presentation mode: two slides.
  await page.click('#start-presentation');
  await settle(page);
  assert.deepEqual(await shownSections(page), ['overlap']);
  assert.equal((await page.textContent('.slide-count')).trim(), 'Slide 1 of 2');
  await page.keyboard.press('ArrowRight');
  await settle(page);
  assert.deepEqual(await shownSections(page), ['definition']);
  await addressHas(page, 'slide', '2');
  assert.equal(await page.isDisabled('#slide-next'), true, 'the last kept section is the last slide');
  await page.keyboard.press('ArrowRight');
  await settle(page);
  assert.deepEqual(await shownSections(page), ['definition']);
  await page.keyboard.press('Escape');
  await addressHas(page, 'present', null);
  assert.equal(query(page).get('keep'), 'overlap,definition,questions', 'leaving presentation mode keeps the cut');
  await screenshot(page, 'handout-cut');

  // Customise: drop a section, keep a panel; the page and the address follow.
  await page.click('#customise summary');
  assert.equal(await page.isChecked('#cut-overlap'), true);
  assert.equal(await page.isChecked('#cut-induction'), false);
  await page.uncheck('#cut-definition');
  await settle(page);
  assert.deepEqual(await shownSections(page), ['overlap']);
  await addressHas(page, 'keep', 'overlap,questions');
  assert.equal(await page.isDisabled('#cut-overlap'), true, 'the last kept section cannot be dropped');
  await page.check('#cut-explorer');
  await settle(page);
  assert.ok(await isShown(page, '#explorer-title'), 'the explorer is back');
  const student = await page.inputValue('#cut-student-link');
  const teacher = await page.inputValue('#cut-teacher-link');
  assert.equal(new URL(student).searchParams.get('keep'), 'overlap,questions,explorer');
  assert.equal(new URL(student).searchParams.get('teacher'), null);
  assert.equal(new URL(teacher).searchParams.get('teacher'), '1');
  // The student's link, opened, is the cut page.
  const opened = await open(new URL(student).search);
  await settle(opened);
  assert.deepEqual(await shownSections(opened), ['overlap']);
  assert.ok(await isShown(opened, '#explorer-title'));
  // The whole lesson again.
  await page.click('#cut-all');
  await settle(page);
  assert.deepEqual(await shownSections(page), SECTIONS);
  await addressHas(page, 'keep', null);
  assert.ok(await isShown(page, '#first-title'));
  for (const p of [page, opened]) {
    p.assertNoErrors();
    await p.close();
  }
});

test('a bad keep or teacher is named in a notice, as text, and the whole lesson is shown', { timeout: 60_000 }, async () => {
  const cases = [
    ['?keep=overlap,%3Cb%3Ex%3C%2Fb%3E', /keep names "<b>x<\/b>", which is neither a section nor a panel/],
    ['?keep=questions,explorer', /keep "questions,explorer" names no section/],
    ['?teacher=yes', /teacher "yes" was ignored/],
    ['?keep=overlap&present=1&slide=3', /slide "3" was ignored \(slides are 1 to 1\)/],
  ];
  for (const [search, notice] of cases) {
    const page = await open(search);
    await settle(page);
    assert.match(await page.textContent('.notices'), notice, search);
    assert.equal(await page.locator('.notices b').count(), 0, `${search}: nothing is inserted as HTML`);
    if (!search.includes('present')) assert.deepEqual(await shownSections(page), SECTIONS, search);
    page.assertNoErrors();
    await page.close();
  }
});

/** Prints the page to a PDF the way the handout button does, and returns each page's text. */
async function printHandout(page, name) {
  // The print dialog is the browser's; the test prints with Chromium's PDF printer instead.
  await page.evaluate(() => {
    window.printed = 0;
    window.print = () => { window.printed += 1; };
    window.clicked = 0;
    document.querySelector('#print-handout').addEventListener('click', () => { window.clicked += 1; });
  });
  await page.click('#print-handout');
  // One CI run timed out here, never reproduced: the figures below say whether the button saw
  // the click, and a second print is told apart from none.
  try {
    await page.waitForFunction(() => window.printed > 0, null, { timeout: 30_000 });
  } catch (error) {
    const seen = await page.evaluate(() => ({
      clicked: window.clicked, printed: window.printed, note: document.querySelector('.handout-note')?.textContent,
    }));
    throw new Error(`${error.message}\n  the page saw ${JSON.stringify(seen)}; its errors: ${JSON.stringify(page.errors)}`);
  }
  assert.equal(await page.evaluate(() => window.printed), 1, 'one click, one print');
  await page.emulateMedia({ media: 'print' });
  const dir = path.join(repoRoot, 'target', 'screenshots');
  await mkdir(dir, { recursive: true });
  const pdf = path.join(dir, `${name}.pdf`);
  await writeFile(pdf, await page.pdf({ format: 'A4', printBackground: false }));
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  const pages = Number(info.match(/^Pages:\s+(\d+)/m)[1]);
  const texts = [];
  for (let k = 1; k <= pages; k += 1) {
    texts.push(execFileSync('pdftotext', ['-layout', '-f', String(k), '-l', String(k), pdf, '-'], { encoding: 'utf8' }));
  }
  // Pictures of the pages, to look at.
  for (const f of await readdir(dir)) if (f.startsWith(`${name}-page`)) await rm(path.join(dir, f));
  execFileSync('pdftoppm', ['-png', '-r', '60', pdf, path.join(dir, `${name}-page`)]);
  return texts;
}

/** The first line of a page's text that is not blank. */
const firstLine = (text) => text.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
/** The first `n` lines of a page's text that are not blank, joined. */
const head = (text, n) => text.split('\n').map((l) => l.trim()).filter((l) => l !== '').slice(0, n).join(' | ');

test('the handout prints each kept section on its own page, no controls, the links as QR codes, and the answer key only for the teacher', { timeout: 180_000 }, async () => {
  const teacher = await open('?keep=overlap,definition,questions&teacher=1');
  await settle(teacher);
  // A prediction the teacher already revealed on screen is still asked on paper.
  await teacher.click('#predict-overlap-ten-skip');
  const texts = await printHandout(teacher, 'handout-teacher');
  assert.match(texts[0], /Predict first\. A class has 10 equally likely prototypes/);
  assert.ok(!texts.join('\n').includes('Your guess'), 'a slider\'s reading is not printed');
  // Each kept section starts a page, in order; no dropped section is printed.
  const starts = texts.map(firstLine);
  // Page 1: the site's title and tagline, then section 2.
  assert.match(head(texts[0], 3), new RegExp(`^CB Lab \\| .* \\| 2\\. ${TITLES.overlap}$`), `page 1 opens on section 2: ${head(texts[0], 3)}`);
  const definitionPage = starts.findIndex((s) => s.includes(TITLES.definition));
  assert.ok(definitionPage > 0, `section 3 starts a page: ${JSON.stringify(starts)}`);
  const all = texts.join('\n');
  assert.ok(!all.includes(TITLES['long-tail']), 'a dropped section is not printed');
  // The coverage trials, never run on screen, ran for the paper: their table is printed.
  assert.match(all, /Mean of 500 trials against the formula/);
  assert.ok(!all.includes('Run the trials to fill this table'), 'no table left empty on paper');
  // The links page and the answer key, each on a page of its own.
  assert.ok(starts.some((s) => s.includes('Open these on your phone')), `a links page: ${JSON.stringify(starts)}`);
  assert.ok(starts.some((s) => s.includes('Answer key')), `an answer key page: ${JSON.stringify(starts)}`);
  // Every link has a QR code (the short cut page's links all fit).
  const links = await teacher.locator('.handout-link').count();
  assert.ok(links >= 2, `${links} links`);
  assert.equal(await teacher.locator('.handout-link svg.qr').count(), links);
  // No control is printed: every button, input and select is hidden on paper.
  const controls = await teacher.$$eval('button, input, select, textarea', (els) => els.filter((e) => e.getClientRects().length > 0).map((e) => e.outerHTML.slice(0, 80)));
  assert.deepEqual(controls, []);
  // The figures of the kept sections are on paper, drawn (some pixel not blank).
  const drawn = await teacher.$$eval('#overlap canvas, #definition canvas', (cs) => cs.filter((c) => c.getClientRects().length > 0).map((c) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200)) ink += 1;
    return ink;
  }));
  assert.ok(drawn.length > 0 && drawn.every((n) => n > 100), `figures drawn: ${drawn}`);
  teacher.assertNoErrors();
  await teacher.close();

  // The student's handout has no answer key.
  const student = await open('?keep=overlap,definition,questions');
  await settle(student);
  const studentTexts = await printHandout(student, 'handout-student');
  assert.ok(!studentTexts.join('\n').includes('Answer key'), 'no answer key for students');
  assert.equal(studentTexts.length < texts.length, true, 'the teacher\'s handout is longer');
  student.assertNoErrors();
  await student.close();

  // In Chinese: the section, the links page and the answer key in Chinese.
  const zh = await open('?lang=zh-CN&keep=overlap,questions&teacher=1');
  await settle(zh);
  const zhTexts = await printHandout(zh, 'handout-zh');
  const zhStarts = zhTexts.map(firstLine);
  assert.match(head(zhTexts[0], 3), /数据重叠与收益递减$/);
  assert.ok(zhStarts.some((s) => s.includes('用手机打开')), `a links page in Chinese: ${JSON.stringify(zhStarts)}`);
  assert.ok(zhStarts.some((s) => s.includes('答案')), `an answer key in Chinese: ${JSON.stringify(zhStarts)}`);
  zh.assertNoErrors();
  await zh.close();
});

test('the browser\'s own Print draws the figures of sections never scrolled to', { timeout: 60_000 }, async () => {
  const page = await open('?keep=long-tail,class-balanced', { width: 1280, height: 800 });
  await settle(page);
  // Section 5's charts are far below the screen: drawn once, then without pixels (src/site/figures.rs)
  // until they come on screen. Printing draws them at the size they print at.
  const charts = () => page.$$eval('#class-balanced canvas', (cs) => cs.map((c) => {
    if (c.width === 0 || c.height === 0) return { width: c.width, height: c.height, ink: 0 };
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200)) ink += 1;
    return { width: c.width, height: c.height, ink };
  }));
  const before = await charts();
  assert.equal(before.length, 2);
  // Chromium's print to PDF fires beforeprint, as Ctrl+P does.
  const pdf = path.join(repoRoot, 'target', 'screenshots', 'handout-ctrl-p.pdf');
  await mkdir(path.dirname(pdf), { recursive: true });
  await writeFile(pdf, await page.pdf({ format: 'A4' }));
  const after = await charts();
  console.log(`section 5's charts before printing ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
  for (const [i, a] of after.entries()) {
    assert.ok(a.width > before[i].width && a.ink > 1000 && a.ink > 2 * before[i].ink, `chart ${i} redrawn for the print: ${JSON.stringify(before[i])} then ${JSON.stringify(a)}`);
  }
  assert.match(execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }), /5\. The class-balanced term/);
  page.assertNoErrors();
  await page.close();
});

test('a link too long for a QR code is printed with the reason', { timeout: 120_000 }, async () => {
  // 300 classes of made-up counts make the page's own link longer than a code holds.
  const counts = Array.from({ length: 300 }, (_, i) => 100000 + i * 7919).join(',');
  const page = await open(`?counts=${counts}&keep=overlap`);
  await settle(page);
  assert.equal(await page.locator('.notices .notice').count(), 0, 'the counts are taken');
  await printHandout(page, 'handout-long-link');
  const missing = await page.locator('.handout-link .qr-missing').first().textContent();
  assert.match(missing, /No QR code: this link is \d+ bytes, and a code a phone reads off paper holds at most 858/);
  page.assertNoErrors();
  await page.close();
});
