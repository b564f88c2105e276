// Issue 31, teaching that checks understanding: the first screen (the figure under the reader's
// finger and the three ways in, on a desktop and a phone), the lesson's sections arriving in a
// chunk into frames of their height (a link to a section lands on it), and the questions at the
// end of every section: answered wrong then right with the reason in a live region, numbers
// graded against the core's value for the page's state (the CLI's, for the weights), kept
// across a reload, marked when given under another state, summed up, forgotten on request, and
// still working where the browser blocks storage. Every test fails on any console error.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { openPage, requireEnv, screenshot, useSite } from './harness.mjs';

const site = useSite();

/** The CLI's class-balanced weights for the default preset at `beta`. */
const cliWeights = (beta) => JSON.parse(execFileSync(requireEnv('CBLAB_CLI'), ['weights', '--preset', 'cifar10-lt-100', '--beta', String(beta)], { encoding: 'utf8' })).weights;

async function open(query = '', options = {}) {
  const page = await openPage(site.browser, `${site.url}${query}`, options);
  await page.waitForSelector('#long-tail:not(.pending)', { state: 'attached', timeout: 30_000 });
  return page;
}

/** Whether `selector`'s box lies wholly inside the first screen (the viewport, unscrolled). */
const onFirstScreen = (page, selector) => page.evaluate((s) => {
  const r = document.querySelector(s).getBoundingClientRect();
  return r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth;
}, selector);

/**
 * How many pixel rows of the canvas `selector` hold a dashed grey line: twelve or more grey runs
 * in a row of one length (3 to 8 CSS pixels, to a pixel) with gaps as long, as a dash pattern
 * draws and neither text nor a solid line does.
 */
const dashedRows = (page, selector) => page.evaluate((s) => {
  const canvas = document.querySelector(s);
  const { data, width, height } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  const longest = Math.ceil(8 * devicePixelRatio);
  const at = (x, y) => data.subarray(4 * (y * width + x), 4 * (y * width + x) + 3);
  const [br, bg, bb] = at(width - 1, height - 1);
  const grey = (x, y) => {
    const [r, g, b] = at(x, y);
    return Math.max(Math.abs(r - br), Math.abs(g - bg), Math.abs(b - bb)) > 24 && Math.max(r, g, b) - Math.min(r, g, b) < 40;
  };
  let rows = 0;
  for (let y = 0; y < height; y++) {
    const runs = [];
    for (let x = 0; x < width; x++) {
      if (!grey(x, y)) continue;
      const last = runs.at(-1);
      if (last && last.end === x) last.end++;
      else runs.push({ start: x, end: x + 1 });
    }
    // The longest chain of runs as long as its first (to a pixel), each a period of twice that
    // length after the last; runs of one pixel (a grid line crossing a gap) left out.
    const wide = runs.filter((r) => r.end - r.start > 1);
    let best = 0;
    for (let i = 0; i < wide.length; i++) {
      const length = wide[i].end - wide[i].start;
      if (length < 3 || length > longest) continue;
      let j = i + 1;
      while (j < wide.length && Math.abs(wide[j].end - wide[j].start - length) <= 1
        && Math.abs(wide[j].start - wide[j - 1].start - 2 * length) <= 1) j++;
      best = Math.max(best, j - i);
    }
    if (best >= 12) rows++;
  }
  return rows;
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
    // The rule at weight 1 is dashed (the canvas strokes it once with a dash pattern): a row of
    // the chart's pixels alternates grey dashes and background, right of the legend.
    assert.ok(await dashedRows(page, 'canvas[data-figure="first-weights"]') > 0, `${name}: the weights chart draws its rule at weight 1 dashed`);
    // Drag the slider with the finger (a touch-sized drag of the thumb to the left): beta falls
    // and the CB ratio is the CLI's for the new beta.
    const box = await page.locator('#first-beta').boundingBox();
    await page.mouse.move(box.x + box.width * 0.375, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    // A dragged beta reads as a short decimal (1 - beta to three digits), in the label and the sentence.
    const said = (await page.textContent('#first-ratio')).match(/at β = ([0-9.]+)\.$/);
    assert.ok(said, `the sentence names beta as a decimal: ${await page.textContent('#first-ratio')}`);
    assert.match(said[1], /^0\.9*[0-9]{1,3}$/);
    assert.equal(await page.textContent('label[for="first-beta"]'), `Drag β: ${said[1]}`);
    const beta = Number(said[1]);
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
  const context = await site.browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  let release;
  const held = new Promise((r) => { release = r; });
  await context.route(/split_lesson\.wasm$/, async (route) => { await held; await route.continue(); });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${site.url}#results`, { waitUntil: 'load' });
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
  await top.goto(site.url, { waitUntil: 'load' });
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

test('each section\'s frame has the section\'s height, in both languages, on a phone and a desktop', { timeout: 120_000 }, async () => {
  // The frames' heights (--height in style/main.css) are what a link lands by before the
  // chunk: a section that grows or shrinks more than 10 % needs its height measured again.
  const report = [];
  const wrong = [];
  for (const lang of ['en', 'zh-CN']) {
    for (const width of [390, 1280]) {
      const page = await open(`?lang=${lang}`, { width, height: 900 });
      // Every panel's chunk here (the training panels in sections 6 to 8 come in their own).
      await page.waitForFunction(() => document.querySelectorAll('.deferred').length === 0, null, { timeout: 30_000 });
      await page.waitForTimeout(300);
      const sizes = await page.evaluate(async () => {
        // Drawn as a reader who scrolled through sees them (panels off screen are not laid out).
        for (const s of document.querySelectorAll('main .panel, .lesson-section')) s.style.contentVisibility = 'visible';
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
        return [...document.querySelectorAll('.lesson-section')].map((s) => ({
          id: s.id,
          frame: parseFloat(getComputedStyle(s).getPropertyValue('--height')),
          real: s.getBoundingClientRect().height / rem,
        }));
      });
      for (const { id, frame, real } of sizes) {
        report.push(`${lang} ${width} ${id}: frame ${frame} rem, section ${real.toFixed(0)} rem`);
        if (Math.abs(frame - real) > 0.1 * real) wrong.push(`${lang} at ${width} px: #${id}'s frame is ${frame} rem, the section ${real.toFixed(1)} rem`);
      }
      page.assertNoErrors();
      await page.close();
    }
  }
  // Every height, so that one run gives all the figures to put in style/main.css.
  console.log(report.join('\n'));
  assert.deepEqual(wrong, [], 'frames within 10 % of their sections');
});

test('the lesson\'s list of weightings gives, for each, the CLI\'s rarest-to-most-frequent ratio on the explorer\'s counts', { timeout: 60_000 }, async () => {
  const page = await open('#class-balanced');
  const ratio = (scheme, beta = 0.999) => {
    const w = JSON.parse(execFileSync(requireEnv('CBLAB_CLI'), ['weights', '--preset', 'cifar10-lt-100', '--scheme', scheme, ...(scheme === 'cb' ? ['--beta', String(beta)] : [])], { encoding: 'utf8' })).weights;
    return w[9] / w[0];
  };
  const shown = (scheme) => page.textContent(`#weightings tr[data-scheme="${scheme}"] td.num`).then(Number);
  for (const scheme of ['cb', 'none', 'inverse', 'sqrt-inverse', 'balanced', 'median-frequency', 'enet']) {
    const want = ratio(scheme);
    assert.ok(Math.abs((await shown(scheme)) - want) <= 5e-5 * Math.max(1, want), `${scheme}: ${await shown(scheme)} against the CLI's ${want}`);
  }
  assert.equal(await shown('inverse'), 100);
  // CB follows beta; the others do not.
  await page.click('[id="class-balanced-beta-0.9"]');
  await page.waitForFunction(() => /= 0\.9$/.test(document.querySelector('#weightings tr[data-scheme="cb"] th strong').textContent));
  assert.ok(Math.abs((await shown('cb')) - ratio('cb', 0.9)) <= 5e-5);
  assert.equal(await shown('inverse'), 100);
  const zh = await open('?lang=zh-CN#class-balanced');
  assert.match(await zh.textContent('#weightings-caption'), /加权方式/);
  for (const p of [page, zh]) {
    p.assertNoErrors();
    await p.close();
  }
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
  'several-labels-counts': ['samples', 'labels'],
  'several-labels-mode': ['max', 'mean'],
};

test('every section\'s questions, answered wrong then right, say why at once; the answers are kept, follow the state, and are forgotten on request', { timeout: 180_000 }, async () => {
  const page = await open();
  const cbTail = cliWeights(0.999)[9];
  ANSWERS['class-balanced-tail'][1] = cbTail;
  for (const section of ['long-tail', 'overlap', 'definition', 'induction', 'class-balanced', 'losses', 'results', 'after', 'several-labels']) {
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
  assert.match(await page.textContent('#answers-count'), /^12 of 12 answered right\.$/);
  await screenshot(page, 'questions-answered');

  // Kept across a reload.
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('#long-tail:not(.pending)');
  await page.waitForSelector('#q-long-tail-why .feedback p');
  assert.match(await page.textContent('#answers-count'), /^12 of 12 answered right\.$/);
  assert.equal(await page.isChecked('#q-long-tail-why input[value="overlap"]'), true, 'the picked option is kept');

  // Another beta: the weight question's answer was given under another state, and says so.
  await page.fill('#beta-text', '0.99');
  await page.press('#beta-text', 'Enter');
  // A section off screen catches up with beta when the reader scrolls to it (src/site/state.rs).
  await page.locator('#q-class-balanced-tail').scrollIntoViewIfNeeded();
  await page.waitForSelector('#q-class-balanced-tail .feedback .stale');
  assert.match(await page.textContent('#q-class-balanced-tail legend'), /β = 0\.99\b/);
  assert.match(await page.textContent('#my-answers li[data-question="class-balanced-tail"]'), /answered under another state/);
  assert.match(await page.textContent('#answers-count'), /^11 of 12 answered right\.$/);
  // Answered again for the new state, with the CLI's weight at 0.99.
  assert.match(await answer(page, 'class-balanced-tail', cliWeights(0.99)[9].toFixed(4)), /^Right\./);
  // Retry clears one answer; "Forget my answers" clears them all, after a reload too.
  await page.click('#q-after-what button:has-text("Try again")');
  assert.match(await page.textContent('#my-answers li[data-question="after-what"]'), /not answered/);
  await page.click('#reset-answers');
  assert.match(await page.textContent('#answers-count'), /^0 of 12 answered right\.$/);
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('#long-tail:not(.pending)');
  assert.match(await page.textContent('#answers-count'), /^0 of 12 answered right\.$/);
  assert.equal(await page.locator('#answers-not-kept').count(), 0, 'storage works here: no notice');
  // An answer kept under a question's old id (renamed since) is the new question's.
  await page.evaluate(() => localStorage.setItem('cblab.answers', JSON.stringify({ 'after-multi-label': { given: 'mean', state: '' } })));
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('#long-tail:not(.pending)');
  assert.match(await page.textContent('#answers-count'), /^1 of 12 answered right\.$/);
  assert.equal(await page.isChecked('#q-several-labels-mode input[value="mean"]'), true, 'the renamed question keeps the answer');
  assert.ok(!(await page.evaluate(() => localStorage.getItem('cblab.answers'))).includes('after-multi-label'), 'the old id is gone');
  page.assertNoErrors();
});

test('with storage blocked the questions still work and the page says answers are not kept; in Chinese the feedback is Chinese', { timeout: 90_000 }, async () => {
  const page = await openPage(site.browser, `${site.url}?lang=zh-CN`, { width: 390, height: 844 });
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

test('every paper\'s BibTeX is the CLI\'s, well formed, and copied one by one or all at once, in both languages', { timeout: 90_000 }, async () => {
  const cli = (...args) => execFileSync(requireEnv('CBLAB_CLI'), ['cite', ...args], { encoding: 'utf8' }).trim();
  const all = cli();
  const keys = [...all.matchAll(/^@inproceedings\{([a-z0-9]+),$/gm)].map((m) => m[1]);
  assert.ok(keys.length >= 9, `the CLI lists the paper and the lesson's methods: ${keys}`);
  const page = await open('#cite', { permissions: ['clipboard-read', 'clipboard-write'] });
  // A link to the list opens it.
  await page.waitForSelector('#cite[open]');
  assert.deepEqual(await page.$$eval('#cite pre', (pres) => pres.map((p) => p.id.replace(/^bib-/, ''))), keys);
  for (const key of keys) {
    const entry = await page.textContent(`#bib-${key}`);
    assert.equal(entry, cli(key), `${key} as the CLI prints it`);
    // One field a line, each value in braces; braces balance.
    assert.match(entry, /^@inproceedings\{[a-z0-9]+,\n(  [a-z]+ *= \{.+\},\n)+\}$/, key);
    const authors = entry.match(/\n {2}author {4}= \{(.+)\},\n/)[1].split(' and ');
    for (const a of authors) assert.match(a, /^[^,]+, [^,]+$/, `${key}: "${a}" as "Last, First"`);
    let depth = 0;
    for (const c of entry) {
      depth += c === '{' ? 1 : c === '}' ? -1 : 0;
      assert.ok(depth >= 0, key);
    }
    assert.equal(depth, 0, key);
  }
  // The paper's own listing, field by field (richardaecn/class-balanced-loss's README).
  const cb = await page.textContent('#bib-cui2019classbalancedloss');
  assert.match(cb, /title {5}= \{\{Class-Balanced Loss Based on Effective Number of Samples\}\}/);
  assert.match(cb, /author {4}= \{Cui, Yin and Jia, Menglin and Lin, Tsung-Yi and Song, Yang and Belongie, Serge\}/);
  assert.match(cb, /year {6}= \{2019\}/);
  await page.click('#copy-all-bibtex');
  await page.waitForFunction(() => document.querySelector('#copy-all-bibtex + [role=status]').textContent === 'Copied.');
  assert.equal((await page.evaluate(() => navigator.clipboard.readText())).trim(), all);
  await page.click('#copy-lin2017focal');
  await page.waitForFunction(() => document.querySelector('#copy-lin2017focal + [role=status]').textContent === 'Copied.');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), cli('lin2017focal'));
  await page.locator('#cite').scrollIntoViewIfNeeded();
  await screenshot(page, 'cite');
  page.assertNoErrors();
  await page.close();

  const zh = await open('?lang=zh-CN#cite', { width: 390, height: 844 });
  await zh.waitForSelector('#cite[open]');
  assert.equal(await zh.textContent('#copy-cui2019classbalancedloss'), '复制 cui2019classbalancedloss');
  assert.equal(await zh.textContent('#bib-cui2019classbalancedloss'), cli('cui2019classbalancedloss'));
  await zh.locator('#cite').scrollIntoViewIfNeeded();
  await screenshot(zh, 'cite-phone-zh');
  zh.assertNoErrors();
  await zh.close();
});

test('predict, then see: a guess set with the keyboard, revealed beside the core\'s value with why, the figure unveiled; skipped, kept, forgotten, in Chinese', { timeout: 120_000 }, async () => {
  const page = await open('#overlap', { width: 390, height: 844 });
  const veiled = (section) => page.evaluate((s) => {
    const box = document.querySelector(`#${s} .predicted`);
    return box.classList.contains('veiled') && box.hasAttribute('inert');
  }, section);
  assert.ok(await veiled('overlap'), 'the simulation is veiled until the reader guesses');
  assert.ok(await veiled('definition'), 'so is the effective number figure');
  await screenshot(page, 'predict-veiled-phone');
  // The core's truths: 10 draws from 10 prototypes cover 10 (1 - 0.9^10); the tenth is new with 0.9^9.
  const ten = 10 * (1 - 0.9 ** 10);
  const four = (x) => String(Number(x.toFixed(4)));
  // A guess with the keyboard: End is all 10, too high.
  await page.focus('#predict-overlap-ten-guess');
  await page.keyboard.press('End');
  assert.equal(await page.textContent('label[for="predict-overlap-ten-guess"]'), 'Your guess: 10 prototypes');
  await page.click('#predict-overlap-ten-reveal');
  const result = page.locator('#predict-overlap-ten .predict-result');
  assert.match(await result.textContent(), new RegExp(`^Too high: you guessed 10, but it is ${four(ten).replace('.', '\\.')}\\.`));
  assert.match(await result.textContent(), new RegExp(`probability ${four(0.9 ** 9).replace('.', '\\.')} on average`));
  assert.equal(await result.getAttribute('role'), 'status');
  assert.ok(!(await veiled('overlap')), 'the simulation is unveiled');
  assert.ok(await veiled('definition'), 'the other prediction is still open');
  // Guess again, closer: Home is 1, then 55 steps of 0.1 right is 6.5.
  await page.click('#predict-overlap-ten-again');
  assert.ok(await veiled('overlap'));
  await page.focus('#predict-overlap-ten-guess');
  await page.keyboard.press('Home');
  for (let i = 0; i < 55; i++) await page.keyboard.press('ArrowRight');
  await page.click('#predict-overlap-ten-reveal');
  assert.match(await result.textContent(), /^Close: you guessed 6\.5, and it is /);
  // Skipped: the answer and why, the figure shown.
  await page.click('#predict-definition-hundred-skip');
  const hundred = (1 - 0.99 ** 100) / 0.01;
  const said = await page.textContent('#predict-definition-hundred .predict-result');
  assert.match(said, new RegExp(`^It is ${four(hundred).replace('.', '\\.')}\\.`));
  assert.match(said, /the 100th adds only 0\.3697\b.*N = 1\/\(1 − β\) = 100\b/);
  assert.ok(!(await veiled('definition')));
  // The CB ratio on CIFAR-10-LT at beta = 0.999, the CLI's weights: Home is 1, too low.
  const [head, tail] = ((w) => [w[0], w[9]])(cliWeights(0.999));
  assert.ok(await veiled('class-balanced'), 'the weights figures are veiled');
  await page.focus('#predict-class-balanced-ratio-guess');
  await page.keyboard.press('Home');
  await page.click('#predict-class-balanced-ratio-reveal');
  const ratio = await page.textContent('#predict-class-balanced-ratio .predict-result');
  assert.match(ratio, new RegExp(`^Too low: you guessed 1, but it is ${four(tail / head).replace('.', '\\.')}\\.`));
  assert.match(ratio, new RegExp(`class ${four(head).replace('.', '\\.')} and the 50-image class ${four(tail).replace('.', '\\.')} .*N = 1/\\(1 − β\\) = 1000\\b`));
  assert.ok(!(await veiled('class-balanced')));
  await page.locator('#predict-overlap-ten').scrollIntoViewIfNeeded();
  await screenshot(page, 'predict-revealed-phone');
  // Kept across a reload, with the answers; forgotten with them.
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('#long-tail:not(.pending)');
  assert.match(await page.textContent('#predict-overlap-ten .predict-result'), /^Close: you guessed 6\.5/);
  assert.ok(!(await veiled('overlap')) && !(await veiled('definition')) && !(await veiled('class-balanced')));
  await page.click('#reset-answers');
  assert.ok(await veiled('overlap') && await veiled('definition') && await veiled('class-balanced'), 'forgetting the answers forgets the guesses');
  page.assertNoErrors();
  await page.close();

  const zh = await open('?lang=zh-CN#definition');
  await zh.focus('#predict-definition-hundred-guess');
  await zh.keyboard.press('End');
  await zh.click('#predict-definition-hundred-reveal');
  assert.match(await zh.textContent('#predict-definition-hundred .predict-result'), /^猜高了：你猜的是 100，答案是 63\.3968。/);
  zh.assertNoErrors();
  await zh.close();
});
