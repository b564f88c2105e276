// The lesson as a class meets it: walked with the keyboard alone in English and in Simplified
// Chinese, shown in presentation mode at projector sizes, the coverage simulation's mean checked
// against the formula within its Monte Carlo error, the induction stepper against the closed
// form, and an axe-core audit of every section. Every test fails on any console error, and
// screenshots (phone, desktop, projector) are saved under target/screenshots/ for a person.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { bringIntoView, openPage, repoRoot, requireEnv, screenshot, screenshotOf, useSite } from './harness.mjs';

const SECTIONS = ['long-tail', 'overlap', 'definition', 'induction', 'class-balanced', 'losses', 'results', 'after', 'several-labels'];
const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const site = useSite();

/** Opens the page (CSP bypassed so that axe can be injected) and waits for the lesson. */
/** Skips the lesson's predictions, so that the figures they veil can be used. */
async function skipPredictions(page) {
  for (const [section, id] of [['overlap', 'overlap-ten'], ['definition', 'definition-hundred'], ['class-balanced', 'class-balanced-ratio']]) {
    await page.click(`#predict-${id}-skip`);
    await page.waitForSelector(`#${section} .predicted:not(.veiled)`, { state: 'attached' });
  }
}

async function open(query = '', options = {}) {
  const page = await openPage(site.browser, `${site.url}${query}`, { bypassCSP: true, ...options });
  // The sections' frames are in the first load; their words come with the lesson's chunk.
  await page.waitForSelector('#long-tail:not(.pending)', { state: 'attached', timeout: 30_000 });
  return page;
}

/** Saves what a projector shows (the viewport, not the full page) to target/screenshots/. */
async function viewportShot(page, name) {
  const dir = path.join(repoRoot, 'target', 'screenshots');
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}

const settle = (page) => page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
const query = (page) => new URL(page.url()).searchParams;
const focusedId = (page) => page.evaluate(() => document.activeElement?.id || '');

/**
 * Presses Tab until the focused element matches `selector` (at most `max` presses): the
 * element is reachable by keyboard alone. Checks that the focus is visible there.
 */
async function tabTo(page, selector, max = 400) {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    const hit = await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);
    if (hit) {
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
      assert.notEqual(outline, 'none', `${selector} has focus but no visible outline`);
      return;
    }
  }
  throw new Error(`${selector} was not reached with ${max} presses of Tab`);
}

/** Runs axe-core on the page (or `include`) and fails on serious or critical violations. */
async function audit(page, what, include) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.addScriptTag({ content: AXE });
  }
  const results = await page.evaluate(
    (inc) => window.axe.run(inc ? { include: [inc] } : document, { resultTypes: ['violations'] }),
    include ?? null,
  );
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join('; ')})`);
  assert.equal(bad.length, 0, `axe-core on ${what}:\n  ${report.join('\n  ')}`);
  return results.violations.length;
}

/** Walks the lesson with the keyboard alone; `words` are texts expected in the language. */
async function walkWithKeyboard(page, lang, words) {
  // The first screen comes first: its beta slider moves with the arrow keys, then the three ways in.
  await tabTo(page, '#first-beta');
  const ratio = await page.textContent('#first-ratio');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((old) => document.querySelector('#first-ratio').textContent !== old, ratio);
  await tabTo(page, '#way-export');
  // Section 1: pick beta with the arrow keys inside the radio group.
  await tabTo(page, 'input[name="long-tail-beta"]');
  const before = await page.evaluate(() => document.activeElement.id);
  await page.keyboard.press('ArrowRight');
  await settle(page);
  const after = await page.evaluate(() => document.querySelector('input[name="long-tail-beta"]:checked').id);
  assert.notEqual(after, before, 'the arrow key moved to another beta');
  // Section 2: skip the prediction, then draw three samples by hand and run the trials.
  await tabTo(page, '#predict-overlap-ten-skip');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#overlap .predicted:not(.veiled)');
  await tabTo(page, '#coverage-n');
  await tabTo(page, '#coverage-draw');
  for (let i = 0; i < 3; i += 1) await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute('#coverage-status', 'data-drawn'), '3');
  await tabTo(page, '#coverage-run');
  await page.keyboard.press('Space');
  await page.waitForSelector('#coverage-table tbody tr');
  // Section 4: three steps of the induction.
  await tabTo(page, '#induction-next');
  for (let i = 0; i < 3; i += 1) await page.keyboard.press('Enter');
  assert.equal(await page.locator('#induction-table tbody tr').count(), 4);
  // Sections 6 and 7 hold the training panel and the paper's table, section 8 the papers that
  // came after and the leaderboard; the walk reaches the end.
  await tabTo(page, '#paper-cifar-caption, .table-scroll[aria-labelledby="paper-cifar-caption"]');
  await tabTo(page, '.table-scroll[aria-labelledby="after-la-table-caption"]');
  await tabTo(page, '#board-run');
  // Section 8's question: an option picked with the arrow keys, checked with Enter on the button.
  await tabTo(page, 'input[name="q-after-what"]');
  await page.keyboard.press('ArrowDown');
  await tabTo(page, '#q-after-what button[type="submit"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#q-after-what .feedback p');
  // The teacher's material closes the lesson: the lesson links and presentation mode.
  await tabTo(page, 'a[data-step="long-tail"]');
  await tabTo(page, '#start-presentation');
  const body = await page.textContent('.lesson');
  assert.doesNotMatch(body, /\{[A-Za-z_\u0370-\u03ff]+\}/, `${lang}: a placeholder was left unfilled`);
  for (const word of words) assert.ok(body.includes(word), `${lang}: the lesson does not say "${word}"`);
  await screenshot(page, `lesson-keyboard-${lang}`);
}

test('the lesson can be walked with the keyboard alone, in English', { timeout: 180_000 }, async () => {
  const page = await open();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await walkWithKeyboard(page, 'en', ['The long-tail problem', 'The proof by induction', 'What the paper found', 'What came after']);
  page.assertNoErrors();
});

test('the lesson speaks Simplified Chinese, kept in the URL, and switches back', { timeout: 180_000 }, async () => {
  const page = await open('?lang=zh-CN');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.equal(await page.textContent('#long-tail-title'), '1. 长尾问题');
  await walkWithKeyboard(page, 'zh-CN', ['长尾问题', '归纳法证明', '论文的发现', '有效样本数', '后来的方法']);
  await settle(page);
  assert.equal(query(page).get('lang'), 'zh-CN', 'the language stays in the URL while the state changes');
  // Lesson links keep the language.
  const href = await page.getAttribute('a[data-step="induction"]', 'href');
  assert.match(href, /lang=zh-CN/);
  await page.setViewportSize({ width: 375, height: 800 });
  await settle(page);
  await screenshot(page, 'lesson-zh-CN-phone');
  // Back to English with the switcher.
  await page.click('.lang-switch button[lang="en"]');
  await settle(page);
  assert.equal(await page.textContent('#long-tail-title'), '1. The long-tail problem');
  assert.equal(query(page).get('lang'), null);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  page.assertNoErrors();
});

test('in Chinese, notices, labels and the charts\' words are Chinese, and follow the switcher', { timeout: 120_000 }, async () => {
  const page = await open('?lang=zh-CN&beta=7&schemes=cb,evil');
  const notices = await page.$$eval('.notice', (ps) => ps.map((p) => p.textContent));
  assert.deepEqual(notices, [
    '链接中的参数 beta“7”已被忽略（beta 必须满足 0 <= beta < 1，得到的是 7）；改为显示默认值。',
    '链接中的加权方案“evil”未知，已被忽略。',
  ]);
  assert.match(await page.textContent('.controls'), /类别平衡，你选的 beta = 0\.999/);
  // The charts draw their words in Chinese: a person checks the glyphs in the screenshot.
  const chart = page.locator('canvas[data-figure="lesson-counts"]');
  await screenshotOf(page, chart, 'chart-counts-zh-CN');
  const pixels = () => chart.evaluate((c) => c.toDataURL());
  const chinese = await pixels();
  assert.ok(chinese.length > 1000, 'the counts chart was drawn before its picture');
  // Off screen a chart has no pixels: on screen first, drawn, then the picture.
  const focal = page.locator('canvas[data-figure="lesson-focal"]');
  await bringIntoView(page, focal);
  await settle(page);
  const [width, inked] = await focal.evaluate((c) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width || 1, c.height || 1).data;
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] + data[i + 1] + data[i + 2] < 300) dark++;
    return [c.width, dark];
  });
  assert.ok(width > 300 && inked > 1000, `the focal chart is drawn before its picture: ${width} px wide, ${inked} dark pixels`);
  await screenshotOf(page, focal, 'chart-focal-zh-CN');
  // Switching the language redraws the charts (off-screen ones once scrolled back into view)
  // and re-translates the notices.
  await page.click('.lang-switch button[lang="en"]');
  await bringIntoView(page, chart);
  await settle(page);
  const englishPixels = await pixels();
  assert.ok(englishPixels.length > 1000, 'the counts chart is drawn again on screen');
  assert.notEqual(englishPixels, chinese, 'the chart was redrawn in English');
  const english = await page.$$eval('.notice', (ps) => ps.map((p) => p.textContent));
  assert.match(english[0], /^The link's beta "7" was ignored \(beta must satisfy 0 <= beta < 1, got 7\)/);
  assert.match(await page.textContent('.controls'), /class-balanced at your beta = 0\.999/);
  page.assertNoErrors();
});

test('the Chinese strings are fetched only when a reader asks for them; a damaged file keeps English, with a notice', { timeout: 60_000 }, async () => {
  const page = await openPage(site.browser, site.url, {});
  const asked = [];
  page.on('request', (r) => asked.push(new URL(r.url()).pathname));
  // The sections' frames are in the first load; their words come with the lesson's chunk.
  await page.waitForSelector('#long-tail:not(.pending)', { state: 'attached', timeout: 30_000 });
  await settle(page);
  assert.ok(!asked.includes('/locales/zh-CN.json'), `English needs no fetch: ${asked}`);
  assert.equal(await page.textContent('.lang-switch button[lang="zh-CN"]'), '简体中文');
  await page.click('.lang-switch button[lang="zh-CN"]');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN', null, { timeout: 10_000 });
  assert.ok(asked.includes('/locales/zh-CN.json'), 'fetched on the switch');
  assert.equal(await page.textContent('#long-tail-title'), '1. 长尾问题');
  await settle(page);
  assert.equal(query(page).get('lang'), 'zh-CN');
  page.assertNoErrors();
  await page.close();

  // A file cut short (a broken deploy or proxy) is refused: English, and a notice that says so.
  const text = await readFile(path.join(requireEnv('CBLAB_DIST'), 'locales', 'zh-CN.json'), 'utf8');
  for (const how of ['link', 'switcher']) {
    const context = await site.browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.route('**/locales/zh-CN.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: text.slice(0, text.length / 2) }));
    const cut = await context.newPage();
    const errors = [];
    cut.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    cut.on('pageerror', (e) => errors.push(e.message));
    await cut.goto(`${site.url}${how === 'link' ? '?lang=zh-CN' : ''}`, { waitUntil: 'load' });
    await cut.waitForSelector('#long-tail-title', { state: 'attached', timeout: 30_000 });
    if (how === 'switcher') await cut.click('.lang-switch button[lang="zh-CN"]');
    await cut.waitForSelector('.notice', { timeout: 10_000 });
    const notices = await cut.$$eval('.notice', (ps) => ps.map((p) => p.textContent));
    assert.ok(notices.some((n) => /^The 简体中文 text could not be loaded \(.+\), so the page stays in English\.$/.test(n)), `${how}: ${notices}`);
    assert.equal(await cut.textContent('#long-tail-title'), '1. The long-tail problem', how);
    assert.equal(await cut.getAttribute('html', 'lang'), 'en', how);
    assert.deepEqual(errors, [], how);
    await context.close();
  }
});

test('an unknown language falls back to English with a notice', async () => {
  const page = await open('?lang=fr&slide=99');
  const notices = await page.textContent('.notices');
  assert.match(notices, /language "fr" was ignored/);
  assert.match(notices, /slide "99" was ignored/);
  assert.equal(await page.textContent('#long-tail-title'), '1. The long-tail problem');
  page.assertNoErrors();
});

test('the coverage simulation agrees with the formula within its Monte Carlo error', { timeout: 120_000 }, async () => {
  const page = await open();
  await skipPredictions(page);
  await page.click('#coverage-run');
  const table = page.locator('#coverage-table');
  await table.waitFor();
  const big = Number(await table.getAttribute('data-prototypes'));
  const trials = Number(await table.getAttribute('data-trials'));
  assert.equal(big, 20);
  assert.ok(trials >= 100);
  const rows = await page.$$eval('#coverage-table tbody tr', (trs) =>
    trs.map((tr) => ({
      n: Number(tr.dataset.n),
      mean: Number(tr.dataset.mean),
      se: Number(tr.dataset.se),
      expected: Number(tr.dataset.expected),
    })),
  );
  assert.ok(rows.length >= 4, `only ${rows.length} rows`);
  for (const { n, mean, se, expected } of rows) {
    // The formula, computed here independently: N (1 - beta^n) with beta = (N - 1)/N.
    const formula = big * (1 - ((big - 1) / big) ** n);
    assert.ok(Math.abs(expected - formula) < 1e-9 * formula, `n = ${n}: page says E = ${expected}, JS says ${formula}`);
    if (n === 1) {
      assert.equal(mean, 1);
      continue;
    }
    assert.ok(se > 0, `n = ${n}: no spread`);
    assert.ok(Math.abs(mean - expected) <= 4 * se, `n = ${n}: mean ${mean} vs E ${expected} (s.e. ${se})`);
    // And the check has power: the mean is far from n itself (no overlap) once n is large.
    if (n >= big) assert.ok(Math.abs(mean - n) > 10 * se, `n = ${n}: mean ${mean} is close to n`);
  }
  const maxZ = Number(await table.getAttribute('data-max-z'));
  assert.ok(maxZ < 4, `largest gap over all n: ${maxZ} standard errors`);
  // The geometric version: partial overlaps are common and the edge costs area.
  const partial = Number(await page.getAttribute('#geometric-summary', 'data-partial-share'));
  assert.ok(partial > 0.2 && partial < 1, `partial share ${partial}`);
  // Animate a few draws: the status counts them, and distinct <= drawn.
  await page.click('#coverage-play');
  await page.waitForFunction(() => Number(document.querySelector('#coverage-status').dataset.drawn) >= 5);
  await page.click('#coverage-play');
  const drawn = Number(await page.getAttribute('#coverage-status', 'data-drawn'));
  const covered = Number(await page.getAttribute('#coverage-status', 'data-covered'));
  assert.ok(covered >= 1 && covered <= drawn);
  assert.equal(await page.locator('.proto.covered').count(), covered);
  await page.locator('#overlap').scrollIntoViewIfNeeded();
  await settle(page);
  await screenshot(page, 'lesson-coverage');
  page.assertNoErrors();
});

test('the induction stepper equals the closed form at every step', async () => {
  const page = await open('?preset=cifar10-lt-100&beta=0.9');
  for (let i = 0; i < 11; i += 1) await page.click('#induction-next');
  assert.ok(await page.isDisabled('#induction-next'), 'the stepper stops at its last step');
  const rows = await page.$$eval('#induction-table tbody tr', (trs) =>
    trs.map((tr) => [Number(tr.dataset.n), Number(tr.dataset.recursive), Number(tr.dataset.closed)]),
  );
  assert.equal(rows.length, 12);
  for (const [n, recursive, closed] of rows) {
    const formula = (1 - 0.9 ** n) / (1 - 0.9);
    assert.ok(Math.abs(recursive - closed) < 1e-12 * closed, `n = ${n}`);
    assert.ok(Math.abs(closed - formula) < 1e-12 * formula, `n = ${n}: ${closed} vs ${formula}`);
  }
  assert.match(await page.textContent('.step-text'), /Step 12/);
  // Formulas are MathML, rendered natively.
  assert.ok((await page.locator('math[data-formula]').count()) >= 8);
  const ns = await page.$$eval('math[data-formula] *', (els) => [...new Set(els.map((e) => e.namespaceURI))]);
  assert.deepEqual(ns, ['http://www.w3.org/1998/Math/MathML'], 'every formula element is MathML');
  // Laid out as math: a fraction is taller than a line of text.
  const frac = await page.$eval('math[data-formula="effective-number"] mfrac', (e) => e.getBoundingClientRect().height);
  const line = await page.$eval('#definition p', (e) => parseFloat(getComputedStyle(e).lineHeight));
  assert.ok(frac > line, `the fraction is ${frac}px tall, a line ${line}px`);
  page.assertNoErrors();
});

/**
 * Fails unless the slide shown fits the viewport: the page needs no scrolling, and every
 * figure of the slide (canvas, table, the simulation's pictures) lies inside the viewport.
 */
async function assertSlideFits(page, what) {
  // Charts are fitted in an animation frame after the layout changes.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const fit = await page.evaluate(() => {
    const section = [...document.querySelectorAll('.lesson-section')].find((e) => !e.hidden);
    const figures = [...section.querySelectorAll('.slide-figure')].flatMap((f) => [
      f, ...f.querySelectorAll('canvas, table, .proto-grid, .disc-picture'),
    ]);
    const boxes = figures
      .map((e) => ({ e, r: e.getBoundingClientRect() }))
      .filter(({ r }) => r.width > 0 && r.height > 0)
      .map(({ e, r }) => ({ what: e.id || e.getAttribute('data-figure') || e.className || e.tagName, top: r.top, bottom: r.bottom, left: r.left, right: r.right }));
    return {
      scroll: document.documentElement.scrollHeight,
      width: document.documentElement.scrollWidth,
      vw: window.innerWidth,
      vh: window.innerHeight,
      boxes,
      points: section.querySelector('.slide-points')?.getBoundingClientRect().height ?? 0,
    };
  });
  assert.ok(fit.boxes.length > 0, `${what}: no figure shown`);
  assert.ok(fit.points > 0, `${what}: no key points shown`);
  assert.ok(fit.scroll <= fit.vh + 4, `${what}: the page is ${fit.scroll}px high in a ${fit.vh}px viewport`);
  assert.ok(fit.width <= fit.vw + 4, `${what}: the page is ${fit.width}px wide in a ${fit.vw}px viewport`);
  for (const b of fit.boxes) {
    assert.ok(b.top >= -1 && b.bottom <= fit.vh + 1 && b.left >= -1 && b.right <= fit.vw + 1,
      `${what}: ${b.what} lies at ${JSON.stringify(b)}, outside the ${fit.vw}x${fit.vh} viewport`);
  }
}

test('presentation mode: one section per screen, arrow keys, the slide in the URL', { timeout: 240_000 }, async () => {
  for (const [width, height] of [[1920, 1080], [1280, 720]]) {
    const page = await open('', { width, height });
    await tabTo(page, '#start-presentation');
    await page.keyboard.press('Enter');
    await settle(page);
    for (let k = 1; k <= SECTIONS.length; k += 1) {
      const visible = await page.$$eval('.lesson-section', (s) => s.filter((e) => !e.hidden).map((e) => e.id));
      assert.deepEqual(visible, [SECTIONS[k - 1]], `slide ${k} at ${width}x${height}`);
      assert.equal(await page.getAttribute('.slide-count', 'data-slide'), String(k));
      assert.equal(query(page).get('slide'), String(k));
      assert.equal(query(page).get('present'), '1');
      // The focus is on the slide's title, so a screen reader announces it.
      assert.equal(await focusedId(page), `${SECTIONS[k - 1]}-title`);
      // Large type: the title is at least 40 CSS px on a projector.
      const size = await page.evaluate((id) => parseFloat(getComputedStyle(document.getElementById(id)).fontSize), `${SECTIONS[k - 1]}-title`);
      assert.ok(size >= 36, `slide ${k} title is ${size}px`);
      await page.evaluate(() => window.scrollTo(0, 0));
      await assertSlideFits(page, `slide ${k} at ${width}x${height}`);
      await viewportShot(page, `lesson-present-${width}x${height}-${k}`);
      await page.keyboard.press(k % 2 ? 'ArrowRight' : 'PageDown');
      await settle(page);
    }
    // Past the last slide it stays; back with ArrowLeft and Home; out with Escape.
    assert.equal(await page.getAttribute('.slide-count', 'data-slide'), String(SECTIONS.length));
    await page.keyboard.press('ArrowLeft');
    await settle(page);
    assert.equal(query(page).get('slide'), String(SECTIONS.length - 1));
    await page.keyboard.press('Home');
    await settle(page);
    assert.equal(query(page).get('slide'), '1');
    await page.keyboard.press('Escape');
    await settle(page);
    assert.equal(query(page).get('present'), null);
    const visible = await page.$$eval('.lesson-section', (s) => s.filter((e) => !e.hidden).length);
    assert.equal(visible, SECTIONS.length);
    page.assertNoErrors();
    await page.close();
  }
  // A link straight to a slide, in Chinese, opens it.
  const page = await open('?lang=zh-CN&present=1&slide=4', { width: 1280, height: 720 });
  await settle(page);
  const visible = await page.$$eval('.lesson-section', (s) => s.filter((e) => !e.hidden).map((e) => e.id));
  assert.deepEqual(visible, ['induction']);
  await page.click('#slide-next');
  await settle(page);
  assert.equal(query(page).get('slide'), '5');
  await screenshot(page, 'lesson-present-zh-CN-1280x720-5');
  page.assertNoErrors();
  await page.close();
  // Every slide fits in Chinese too, at both sizes, with the stepper and the simulation at
  // their largest (twelve rows, a hundred prototypes, the trials run).
  for (const [width, height] of [[1920, 1080], [1280, 720]]) {
    const zh = await open('?lang=zh-CN&present=1&slide=1&induction_step=12&coverage_n=100', { width, height });
    await settle(zh);
    for (let k = 1; k <= SECTIONS.length; k += 1) {
      if (k === 2) {
        await zh.click('#coverage-run');
        await zh.click('#coverage-play');
        await zh.evaluate(() => new Promise((r) => setTimeout(r, 1500)));
      }
      await zh.evaluate(() => window.scrollTo(0, 0));
      await assertSlideFits(zh, `zh-CN slide ${k} at ${width}x${height}`);
      await viewportShot(zh, `lesson-present-zh-CN-${width}x${height}-${k}`);
      await zh.keyboard.press('ArrowRight');
      await settle(zh);
    }
    zh.assertNoErrors();
    await zh.close();
  }
});

test('a lesson link sets the stepper\'s step and the simulation\'s N; both follow into the URL', { timeout: 120_000 }, async () => {
  const page = await open('?beta=0.99&induction_step=7&coverage_n=50#induction');
  await settle(page);
  await skipPredictions(page);
  assert.equal(await page.getAttribute('#induction-stepper .step-text', 'data-step'), '7');
  assert.equal(await page.locator('#induction-table tbody tr').count(), 7);
  assert.match(await page.textContent('.step-text'), /7/);
  assert.equal(await page.inputValue('#coverage-n'), '50');
  assert.equal(await page.locator('.proto-grid .proto').count(), 50);
  assert.match(await page.textContent('#coverage-status'), /50/);
  // No notice: the values were good.
  assert.equal(await page.locator('.notice').count(), 0);
  // Stepping and choosing N land in the URL; back to the defaults, the keys go away.
  await bringIntoView(page, page.locator('#induction-next'));
  await page.click('#induction-next');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('induction_step') === '8');
  await bringIntoView(page, page.locator('#coverage-n'));
  await page.selectOption('#coverage-n', '10');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('coverage_n') === '10');
  assert.equal(await page.locator('.proto-grid .proto').count(), 10);
  await page.click('#induction-reset');
  await page.selectOption('#coverage-n', '20');
  await page.waitForFunction(() => {
    const q = new URL(location.href).searchParams;
    return !q.has('induction_step') && !q.has('coverage_n');
  });
  // A reload keeps where the class was.
  await page.click('#induction-next');
  await page.click('#induction-next');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('induction_step') === '3');
  const again = await open(new URL(page.url()).search);
  await settle(again);
  assert.equal(await again.getAttribute('#induction-stepper .step-text', 'data-step'), '3');
  // The prepared link for the induction opens the stepper at step 12, the coverage one at N = 50.
  const steps = await open('');
  const induction = await steps.getAttribute('a[data-step="induction"]', 'href');
  const coverage = await steps.getAttribute('a[data-step="coverage"]', 'href');
  assert.match(induction, /induction_step=12/);
  assert.match(coverage, /coverage_n=50/);
  const prepared = await open(induction);
  await settle(prepared);
  assert.equal(await prepared.getAttribute('#induction-stepper .step-text', 'data-step'), '12');
  assert.equal(await prepared.locator('#induction-table tbody tr').count(), 12);
  // Bad values are named in a notice, as text, and the defaults are used.
  const bad = await open('?lang=zh-CN&induction_step=99&coverage_n=%3Cb%3E7%3C%2Fb%3E');
  await settle(bad);
  const notices = await bad.textContent('.notices');
  assert.match(notices, /induction_step“99”/);
  assert.match(notices, /coverage_n“<b>7<\/b>”/);
  assert.equal(await bad.locator('.notices b').count(), 0);
  assert.equal(await bad.getAttribute('#induction-stepper .step-text', 'data-step'), '1');
  assert.equal(await bad.inputValue('#coverage-n'), '20');
  for (const p of [page, again, steps, prepared, bad]) {
    p.assertNoErrors();
    await p.close();
  }
});

test('axe-core finds no serious or critical violation in any section, language or mode', { timeout: 300_000 }, async () => {
  for (const lang of ['en', 'zh-CN']) {
    const page = await open(lang === 'en' ? '' : `?lang=${lang}`);
    await skipPredictions(page);
    await page.click('#coverage-run');
    await page.click('#induction-next');
    await settle(page);
    for (const id of SECTIONS) await audit(page, `section ${id} (${lang})`, `#${id}`);
    // The teacher's material with "customise this lesson" open.
    await page.click('#customise summary');
    await audit(page, `the teacher's material (${lang})`, '#teacher');
    await audit(page, `the whole page (${lang})`);
    page.assertNoErrors();
    await page.close();
  }
  const page = await open('?present=1&slide=1', { width: 1280, height: 720 });
  for (let k = 1; k <= SECTIONS.length; k += 1) {
    await settle(page);
    await audit(page, `presentation slide ${k}`);
    await page.keyboard.press('ArrowRight');
  }
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto(`${site.url}?present=0`);
  await page.waitForSelector('#long-tail-title');
  await audit(page, 'the page on a phone');
  await screenshot(page, 'lesson-phone');
  page.assertNoErrors();
});

test('several labels a sample: DB\'s published line cited to its source, the multi-label panel inside, both languages', { timeout: 120_000 }, async () => {
  for (const [lang, title, caption, size] of [
    ['en', '9. Several labels a sample', /^mAP \(%\), in total and over the many, medium and few classes/, { width: 1280, height: 900 }],
    ['zh-CN', '9. 一个样本有多个标签', /^长尾 VOC-MLT 和 COCO-MLT 上的 mAP/, { width: 390, height: 844 }],
  ]) {
    const page = await open(`?lang=${lang}#several-labels`, size);
    assert.equal(await page.textContent('#several-labels-title'), title);
    assert.match(await page.textContent('#several-labels-db-table caption'), caption);
    // DB-Focal's figures as the authors' README prints them, and nothing else.
    const rows = await page.$$eval('#several-labels-db-table tbody tr', (trs) => trs.map((tr) => [tr.querySelector('th').textContent, ...[...tr.querySelectorAll('td')].map((td) => td.textContent)]));
    assert.equal(await page.textContent('#several-labels-db-table thead th[scope="colgroup"]'), 'DB-Focal');
    const groups = lang === 'en' ? ['total', 'many', 'medium', 'few'] : ['总体', '多样本', '中等', '少样本'];
    assert.deepEqual(rows, [
      [groups[0], '78.94', '53.55'], [groups[1], '73.22', '51.13'], [groups[2], '84.18', '57.05'], [groups[3], '79.30', '51.06'],
    ]);
    assert.deepEqual(await page.$$eval('#several-labels .source a', (as) => as.map((a) => a.getAttribute('href'))), ['https://github.com/wutong16/DistributionBalancedLoss']);
    // The multi-label panel moved here from section 8, and its questions end the section.
    await page.waitForSelector('#several-labels #label-sets', { timeout: 30_000 });
    assert.equal(await page.locator('#after #label-sets').count(), 0);
    assert.equal(await page.locator('#several-labels .questions .question').count(), 2);
    const body = await page.textContent('#several-labels');
    assert.doesNotMatch(body, /\{[A-Za-z_]+\}/, `${lang}: a placeholder was left unfilled`);
    await page.locator('#several-labels-title').scrollIntoViewIfNeeded();
    await screenshotOf(page, page.locator('#several-labels'), `lesson-several-labels-${lang}`);
    page.assertNoErrors();
    await page.close();
  }
});

test('what came after: each method\'s formula in MathML, the papers\' numbers cited to their tables, both languages', { timeout: 120_000 }, async () => {
  for (const [lang, title, caption] of [['en', '8. What came after', /^Top-1 accuracy \(%\), imbalance 100/], ['zh-CN', '8. 后来的方法', /^Top-1 准确率（%），不平衡比 100/]]) {
    const page = await open(`?lang=${lang}#after`);
    assert.equal(await page.textContent('#after-title'), title);
    const formulas = await page.$$eval('#after math[display="block"]', (ms) => ms.map((m) => m.dataset.formula));
    assert.deepEqual(formulas, ['logit-adjusted', 'balanced-softmax', 'posthoc', 'ldam', 'resampling']);
    // MathML laid out as math (not as text), so a formula has a height of its own.
    const heights = await page.$$eval('#after math[display="block"]', (ms) => ms.map((m) => m.getBoundingClientRect().height));
    assert.ok(heights.every((h) => h > 20), `formula heights ${heights}`);
    assert.match(await page.textContent('#after-ib-table caption'), caption);
    // The papers' figures as printed, each table cited to the paper and table it comes from.
    const ib = await page.$$eval('#after-ib-table tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    assert.deepEqual(ib, [['70.87', '38.05'], ['70.38', '38.41'], ['74.57', '39.60'], ['73.35', '39.6'], ['77.03', '42.04']]);
    const la = await page.$$eval('#after-la-table tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    assert.deepEqual(la, [['27.16', '61.64'], ['26.65', '60.40'], ['22.60', '58.24'], ['22.33', '56.11']]);
    const sources = await page.$$eval('#after .source a', (as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
    assert.deepEqual(sources, [
      ['Park et al., ICCV 2021, Table 4', 'https://arxiv.org/abs/2110.02444'],
      ['Menon et al., ICLR 2021, Table 3', 'https://arxiv.org/abs/2007.07314'],
    ]);
    const body = await page.textContent('#after');
    assert.doesNotMatch(body, /\{[A-Za-z_]+\}/, `${lang}: a placeholder was left unfilled`);
    await screenshotOf(page, page.locator('#after'), `lesson-after-${lang}`);
    page.assertNoErrors();
    await page.close();
  }
});
