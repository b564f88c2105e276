// Issue 31, teaching that checks understanding: the first screen (the figure under the reader's
// finger and the three ways in, on a desktop and a phone), the lesson's sections arriving in a
// chunk into frames of their height (a link to a section lands on it), and the questions at the
// end of every section: answered wrong then right with the reason in a live region, numbers
// graded against the core's value for the page's state (the CLI's, for the weights), kept
// across a reload, marked when given under another state, summed up, forgotten on request, and
// still working where the browser blocks storage. Every test fails on any console error.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { launch, openPage, requireEnv, screenshot, serveDist } from './harness.mjs';

let server;
let browser;
before(async () => {
  server = await serveDist(requireEnv('CBLAB_DIST'));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** The CLI's class-balanced weights for the default preset at `beta`. */
const cliWeights = (beta) => JSON.parse(execFileSync(requireEnv('CBLAB_CLI'), ['weights', '--preset', 'cifar10-lt-100', '--beta', String(beta)], { encoding: 'utf8' })).weights;

async function open(query = '', options = {}) {
  const page = await openPage(browser, `${server.url}${query}`, options);
  await page.waitForSelector('#long-tail:not(.pending)', { state: 'attached', timeout: 30_000 });
  return page;
}

/** Whether `selector`'s box lies wholly inside the first screen (the viewport, unscrolled). */
const onFirstScreen = (page, selector) => page.evaluate((s) => {
  const r = document.querySelector(s).getBoundingClientRect();
  return r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth;
}, selector);

test('the first screen shows the figure under the reader\'s finger and three ways in, on a desktop and a phone', { timeout: 120_000 }, async () => {
  for (const [name, width, height] of [['desktop', 1280, 800], ['phone', 390, 844]]) {
    const page = await open('', { width, height });
    assert.ok(await onFirstScreen(page, '#first-title'), `${name}: the title is on the first screen`);
    assert.ok(await onFirstScreen(page, 'canvas[data-figure="first-weights"]'), `${name}: the figure is on the first screen`);
    assert.ok(await onFirstScreen(page, '#first-beta'), `${name}: the beta slider is on the first screen`);
    if (name === 'desktop') {
      for (const way of ['#way-learn', '#way-explore', '#way-export']) assert.ok(await onFirstScreen(page, way), `desktop: ${way} is on the first screen`);
    }
    // The default is CIFAR-10-LT at imbalance 100: inverse frequency gives the rarest class 100x.
    assert.match(await page.textContent('#first-ratio'), /\(50 samples\) weighs 100 times the most frequent one \(5000 samples\)/);
    // Drag the slider with the finger (a touch-sized drag of the thumb to the left): beta falls
    // and the CB ratio is the CLI's for the new beta.
    const box = await page.locator('#first-beta').boundingBox();
    await page.mouse.move(box.x + box.width * 0.375, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    // beta as the page writes it: "0.975" or "1 - 2.5e-2".
    const text = await page.inputValue('#beta-text');
    const beta = text.startsWith('1 - ') ? 1 - Number(text.slice(4)) : Number(text);
    assert.ok(beta > 0 && beta < 0.999, `the drag moved beta below 0.999: ${beta}`);
    const w = cliWeights(beta);
    const ratio = Number((await page.textContent('#first-ratio')).match(/and ([0-9.e+-]+) times under class-balanced/)[1]);
    assert.ok(Math.abs(ratio - w[9] / w[0]) <= 5e-4 * (w[9] / w[0]), `the page's ratio ${ratio} is the CLI's ${w[9] / w[0]} at beta ${beta}`);
    await screenshot(page, `first-screen-${name}`);
    // Take weights opens the export panel.
    await page.click('#way-export');
    await page.waitForSelector('#export[open]');
    assert.match(await page.inputValue('#export-text'), /weight/i);
    page.assertNoErrors();
    await page.close();
  }
});

test('a link to a section lands on it when the lesson\'s chunk arrives late, and the first screen does not move', { timeout: 90_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  let release;
  const held = new Promise((r) => { release = r; });
  await context.route(/split_lesson\.wasm$/, async (route) => { await held; await route.continue(); });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}#results`, { waitUntil: 'load' });
  await page.waitForSelector('#results.pending');
  await page.waitForTimeout(300);
  const before = await page.evaluate(() => document.getElementById('results-title').getBoundingClientRect().top);
  assert.ok(before >= 0 && before < 120, `the frame of section 7 is where the link points: ${before}px from the top`);
  release();
  await page.waitForSelector('#results:not(.pending)');
  await page.waitForTimeout(500);
  const after = await page.evaluate(() => document.getElementById('results-title').getBoundingClientRect().top);
  assert.ok(after >= 0 && after < 120, `section 7 is still where the link points after the chunk: ${after}px from the top`);
  assert.deepEqual(errors, []);

  // At the top of the page, the chunk's arrival below the first screen moves nothing on it.
  const top = await context.newPage();
  let releaseTop;
  const heldTop = new Promise((r) => { releaseTop = r; });
  await context.unroute(/split_lesson\.wasm$/);
  await context.route(/split_lesson\.wasm$/, async (route) => { await heldTop; await route.continue(); });
  await top.goto(server.url, { waitUntil: 'load' });
  await top.waitForSelector('#long-tail.pending');
  await top.evaluate(() => {
    window.shifts = 0;
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.shifts += e.value; }).observe({ type: 'layout-shift', buffered: false });
  });
  const ways = await top.evaluate(() => document.getElementById('way-learn').getBoundingClientRect().top);
  releaseTop();
  await top.waitForSelector('#long-tail:not(.pending)');
  await top.waitForTimeout(500);
  assert.equal(await top.evaluate(() => document.getElementById('way-learn').getBoundingClientRect().top), ways);
  const shifts = await top.evaluate(() => window.shifts);
  console.log(`layout shift while the lesson arrived, at the top: ${shifts.toFixed(4)}`);
  assert.ok(shifts < 0.01, `the first screen shifted by ${shifts}`);
  await context.close();
});

/** Answers question `id` with `answer` (an option's value, or a number typed) and returns its feedback. */
async function answer(page, id, given) {
  const form = page.locator(`#q-${id}`);
  await form.scrollIntoViewIfNeeded();
  if (await form.locator('input[type="radio"]').count()) {
    await form.locator(`input[value="${given}"]`).check();
  } else {
    await form.locator('input[type="text"]').fill(String(given));
  }
  const old = await form.locator('.feedback').textContent();
  await form.locator('button[type="submit"]').click();
  await page.waitForFunction(([s, o]) => document.querySelector(s).textContent !== o, [`#q-${id} .feedback`, old]);
  return form.locator('.feedback').textContent();
}

// A wrong answer and the right one for every question; the numbers are the core's for the
// default state (CIFAR-10-LT at imbalance 100, beta 0.999), checked against the CLI below.
const ANSWERS = {
  'long-tail-inverse': [10, 100],
  'long-tail-why': ['label-noise', 'overlap'],
  'overlap-cover': [20, 20 * (1 - 0.95 ** 20)],
  'definition-value': [1000, (1 - 0.99 ** 1000) / 0.01],
  'definition-limit': ['big-n', 'n'],
  'induction-overlap': ['samples-share', 'covered-share'],
  'class-balanced-tail': [100, null],
  'losses-gamma': ['softmax', 'sigmoid'],
  'results-beta': ['same', 'smaller'],
  'after-what': ['network', 'logits'],
};

test('every section\'s questions, answered wrong then right, say why at once; the answers are kept, follow the state, and are forgotten on request', { timeout: 180_000 }, async () => {
  const page = await open();
  const cbTail = cliWeights(0.999)[9];
  ANSWERS['class-balanced-tail'][1] = cbTail;
  for (const section of ['long-tail', 'overlap', 'definition', 'induction', 'class-balanced', 'losses', 'results', 'after']) {
    assert.ok(await page.locator(`#${section} .questions .question`).count() >= 1, `section ${section} ends with a question`);
  }
  for (const [id, [wrong, right]] of Object.entries(ANSWERS)) {
    const no = await answer(page, id, wrong);
    assert.match(no, /^Not quite\. \S/, `${id}: a wrong answer is said to be wrong, with the reason`);
    const yes = await answer(page, id, typeof right === 'number' ? right.toFixed(3) : right);
    assert.match(yes, /^Right\./, `${id}: the right answer is right: ${yes}`);
    assert.equal(await page.getAttribute(`#q-${id} .feedback`, 'role'), 'status', `${id}: the feedback is a live region`);
  }
  // A number off the mark says which way, and "show the answer" gives the core's value.
  assert.match(await answer(page, 'overlap-cover', '5'), /too low/);
  await page.click('#q-overlap-cover button:has-text("Show the answer")');
  assert.match(await page.textContent('#q-overlap-cover .feedback'), /The answer: 20 \(1 − 0\.95²⁰\) = 12\.83/);
  // An unreadable number is refused, not graded.
  await page.fill('#q-definition-value-number', 'about a hundred');
  await page.click('#q-definition-value button[type="submit"]');
  await page.waitForSelector('#q-definition-value .feedback .error');
  assert.equal(await page.inputValue('#q-definition-value-number'), 'about a hundred', 'the text is kept');
  await answer(page, 'definition-value', '99.996');
  await answer(page, 'overlap-cover', '12.8');
  assert.match(await page.textContent('#answers-count'), /^10 of 10 answered right\.$/);
  await screenshot(page, 'questions-answered');

  // Kept across a reload.
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('#long-tail:not(.pending)');
  await page.waitForSelector('#q-long-tail-why .feedback p');
  assert.match(await page.textContent('#answers-count'), /^10 of 10 answered right\.$/);
  assert.equal(await page.isChecked('#q-long-tail-why input[value="overlap"]'), true, 'the picked option is kept');

  // Another beta: the weight question's answer was given under another state, and says so.
  await page.fill('#beta-text', '0.99');
  await page.press('#beta-text', 'Enter');
  await page.waitForSelector('#q-class-balanced-tail .feedback .stale');
  assert.match(await page.textContent('#q-class-balanced-tail legend'), /β = 0\.99\b/);
  assert.match(await page.textContent('#my-answers li[data-question="class-balanced-tail"]'), /answered under another state/);
  assert.match(await page.textContent('#answers-count'), /^9 of 10 answered right\.$/);
  // Answered again for the new state, with the CLI's weight at 0.99.
  assert.match(await answer(page, 'class-balanced-tail', cliWeights(0.99)[9].toFixed(4)), /^Right\./);
  // Retry clears one answer; "Forget my answers" clears them all, after a reload too.
  await page.click('#q-after-what button:has-text("Try again")');
  assert.match(await page.textContent('#my-answers li[data-question="after-what"]'), /not answered/);
  await page.click('#reset-answers');
  assert.match(await page.textContent('#answers-count'), /^0 of 10 answered right\.$/);
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('#long-tail:not(.pending)');
  assert.match(await page.textContent('#answers-count'), /^0 of 10 answered right\.$/);
  assert.equal(await page.locator('#answers-not-kept').count(), 0, 'storage works here: no notice');
  page.assertNoErrors();
});

test('with storage blocked the questions still work and the page says answers are not kept; in Chinese the feedback is Chinese', { timeout: 90_000 }, async () => {
  const page = await openPage(browser, `${server.url}?lang=zh-CN`, { width: 390, height: 844 });
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('The operation is insecure.', 'SecurityError'); } });
  });
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('#long-tail:not(.pending)', { state: 'attached', timeout: 30_000 });
  await page.waitForSelector('#answers-not-kept', { state: 'attached' });
  assert.match(await page.textContent('#answers-not-kept'), /不会保留/);
  assert.match(await answer(page, 'losses-gamma', 'softmax'), /^不太对。/);
  assert.match(await answer(page, 'losses-gamma', 'sigmoid'), /^正确。/);
  assert.match(await page.textContent('#answers-count'), /答对 1 题/);
  await page.locator('#q-losses-gamma').scrollIntoViewIfNeeded();
  await screenshot(page, 'questions-phone-zh-CN');
  page.assertNoErrors();
});
