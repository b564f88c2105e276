// How fast the explorer answers a beta drag, measured in the page: for 100 input events on
// the beta slider, the time from dispatching the event to the end of the redraw (every chart,
// the table, the URL: all of Leptos's effects run in microtasks, so a macrotask posted right
// after the event runs when they are done); then, under a Chromium trace, all the main thread's
// time a step takes (the frame and the browser's own tasks too). Prints median and p95 for 8,142 classes (the
// iNaturalist 2018 stand-in) and for 1,000 classes, and the gzipped size of all the site's wasm and JS (the page's and the worker's; the first load alone is printed by tests/browser/first_load.test.mjs).
//
//   cargo xtask build && node benches/explorer.mjs [--throttle N]   (CBLAB_DIST defaults to dist/)
//
// `--throttle N` slows the page's CPU N times (Chromium's Emulation.setCPUThrottlingRate, as
// DevTools' "4x slowdown" for a mid-range phone), on the beta drag and on the first screen's.
// Last, the same drag on a bare page (a slider, a text, a small canvas): the browser's own cost
// of a step in the same run, which the site's figures include. Each line also gives the 2D canvas
// calls a step makes, which do not vary from run to run as the times do.
//
// `--against DIR` then drags the first screen of this build and of the build in DIR side by side,
// two pages in one browser, in rounds of ten steps alternating between them, so that both share
// whatever the machine does meanwhile: on a shared machine, where one build's runs spread by
// 5-10 ms at 4x, the one comparison of two builds that holds. (A brief run compares the build
// with itself, so that the mode does not rot.)

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { launch, openPage, repoRoot, serveDist } from '../tests/browser/harness.mjs';
import { brief } from './brief.mjs';

const dist = process.env.CBLAB_DIST ?? path.join(repoRoot, 'dist');
const EVENTS = brief ? 5 : 100;
const flag = process.argv.indexOf('--throttle');
const THROTTLE = flag >= 0 ? Number(process.argv[flag + 1]) : 1;
if (!(THROTTLE >= 1)) throw new Error(`--throttle takes a slowdown of 1 or more, not ${process.argv[flag + 1]}`);
const againstFlag = process.argv.indexOf('--against');
const AGAINST = againstFlag >= 0 ? process.argv[againstFlag + 1] : brief ? dist : null;
if (againstFlag >= 0 && !AGAINST) throw new Error('--against takes the folder of another build (a dist/)');

async function measure(browser, url, label, slider = '#beta-slider') {
  const page = await openPage(browser, url, { width: 1600, height: 1000 });
  await page.waitForSelector('#weights-table tbody tr', { state: 'attached', timeout: 60_000 });
  await dragAndReport(page, label, slider);
}

/**
 * The same drag on a page with nothing but a slider whose input event sets one line of text
 * and redraws a ten-point line on a canvas the size of the first screen's chart: what the
 * browser itself costs a step in this run (style, layout, paint, commit of a frame), the floor
 * under the site's figures.
 */
async function measureBare(browser) {
  const page = await openPage(browser, 'about:blank', { width: 1600, height: 1000 });
  await page.setContent('<input id="bare" type="range" min="0" max="1000" value="500" style="width: 40rem"><p id="said">500</p><canvas id="line" width="700" height="420"></canvas>');
  await page.evaluate(() => {
    const [slider, said, canvas] = ['bare', 'said', 'line'].map((id) => document.getElementById(id));
    const context = canvas.getContext('2d');
    slider.addEventListener('input', () => {
      const v = Number(slider.value);
      said.textContent = `beta = ${1 - 10 ** (-v / 200)}`;
      context.clearRect(0, 0, canvas.width, canvas.height);
      context.beginPath();
      for (let k = 0; k < 10; k++) context.lineTo(20 + k * 70, 400 - ((v * (k + 1)) % 380));
      context.stroke();
    });
  });
  await dragAndReport(page, 'a bare page: one slider, one text, one ten-point line', '#bare');
}

async function dragAndReport(page, label, slider) {
  if (THROTTLE > 1) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
  }
  const drag = ({ events, selector }) => page.evaluate(async ({ events, selector }) => {
    const slider = document.querySelector(selector);
    // A hand drags a slider it sees: what is on screen then follows the drag, the rest waits.
    slider.scrollIntoView({ block: 'center' });
    await new Promise((r) => setTimeout(r, 300));
    const macrotask = () => new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = resolve;
      channel.port2.postMessage(null);
    });
    const out = [];
    for (let i = 0; i < events + 5; i++) {
      // Sweep 1 - beta between 1e-1 and 1e-5, as a hand dragging the thumb does.
      slider.value = String(200 + ((i * 37) % 600));
      performance.mark(`cblab-step-${i}`);
      const t0 = performance.now();
      slider.dispatchEvent(new Event('input', { bubbles: true }));
      await macrotask();
      const t1 = performance.now();
      if (i >= 5) out.push(t1 - t0); // the first few warm up the JIT
      await new Promise((r) => requestAnimationFrame(() => r()));
    }
    performance.mark(`cblab-step-${events + 5}`);
    return out;
  }, { events, selector });
  const times = await drag({ events: EVENTS, selector: slider });
  // Then the drag again under a Chromium trace, for all that a step costs the page's main
  // thread: the answer above, the frame after it, and the tasks the browser posts for itself
  // (its autofill's walk over the page's controls, once, was 12-15 ms a step at 4x).
  const traced = Math.ceil(EVENTS / 2);
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing'] });
  await drag({ events: traced, selector: slider });
  const busy = mainThreadPerStep(JSON.parse((await browser.stopTracing()).toString()), traced);
  const calls = await canvasCallsPerStep(page, slider);
  page.assertNoErrors();
  await page.close();
  const slowed = THROTTLE > 1 ? ` (CPU ${THROTTLE}x slower)` : '';
  const answer = stats(times);
  const main = stats(busy);
  console.log(`${label}${slowed}: median ${answer.median} ms, p95 ${answer.p95} ms, max ${answer.max} ms over ${times.length} input events; main thread busy ${main.median} ms a step (median), p95 ${main.p95} ms, traced over ${busy.length}; ${calls} canvas calls a step`);
}

/**
 * The 2D canvas calls (methods and property sets, on the page's canvases) a step of the drag
 * makes, counted over ten steps after the timed ones: the charts' drawing work, which does not
 * vary from run to run as the times do.
 */
async function canvasCallsPerStep(page, selector) {
  return page.evaluate(async (selector) => {
    const proto = CanvasRenderingContext2D.prototype;
    let calls = 0;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const d = Object.getOwnPropertyDescriptor(proto, name);
      if (typeof d.value === 'function') {
        const f = d.value;
        proto[name] = function (...args) { if (this.canvas.isConnected) calls++; return f.apply(this, args); };
      } else if (d.set) {
        const set = d.set;
        Object.defineProperty(proto, name, { ...d, set(v) { if (this.canvas.isConnected) calls++; set.call(this, v); } });
      }
    }
    const slider = document.querySelector(selector);
    for (let i = 0; i < 10; i++) {
      slider.value = String(230 + ((i * 37) % 600));
      slider.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((r) => requestAnimationFrame(() => r()));
    }
    return calls / 10;
  }, selector);
}

/**
 * The first screen's drag on two builds side by side (see `--against`): each step dispatched in
 * an animation frame as a hand's drag is, timed to a macrotask after its frame; the first round
 * warms both up and is not counted.
 */
async function measurePaired(browser, dists) {
  const rounds = brief ? 2 : 16;
  const steps = brief ? 2 : 10;
  const sides = [];
  try {
    for (const dir of dists) {
      const server = await serveDist(dir);
      sides.push({ dir, server, times: [] });
      const page = await openPage(browser, `${server.url}?preset=cifar10-lt-100&beta=0.999`, { width: 1600, height: 1000 });
      sides.at(-1).page = page;
      await page.waitForSelector('#weights-table tbody tr', { state: 'attached', timeout: 60_000 });
      if (THROTTLE > 1) await (await page.context().newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
      await page.evaluate(async () => {
        document.querySelector('#first-beta').scrollIntoView({ block: 'center' });
        await new Promise((r) => setTimeout(r, 300));
      });
    }
    for (let round = 0; round < rounds; round++) {
      for (const side of round % 2 ? [...sides].reverse() : sides) {
        const times = await side.page.evaluate(async ({ round, steps }) => {
          const slider = document.querySelector('#first-beta');
          const macrotask = () => new Promise((resolve) => {
            const channel = new MessageChannel();
            channel.port1.onmessage = resolve;
            channel.port2.postMessage(null);
          });
          const out = [];
          for (let i = 0; i < steps; i++) {
            await new Promise((r) => requestAnimationFrame(() => r()));
            slider.value = String(200 + (((round * steps + i) * 37) % 600));
            const t0 = performance.now();
            slider.dispatchEvent(new Event('input', { bubbles: true }));
            await macrotask();
            out.push(performance.now() - t0);
          }
          return out;
        }, { round, steps });
        if (round > 0) side.times.push(...times);
      }
    }
    for (const side of sides) side.page.assertNoErrors();
  } finally {
    for (const side of sides) {
      await side.page?.close();
      await side.server.close();
    }
  }
  const slowed = THROTTLE > 1 ? ` (CPU ${THROTTLE}x slower)` : '';
  const [ours, theirs] = sides.map((side) => stats(side.times));
  console.log(`first screen beta drag, side by side${slowed}: this build median ${ours.median} ms (p95 ${ours.p95}), ${dists[1]} median ${theirs.median} ms (p95 ${theirs.p95}), ${sides[0].times.length} steps each in ${rounds - 1} alternating rounds, two pages in one browser`);
}

/** The page's main thread's busy time (its tasks, whole) between one step's mark and the next, per measured step. */
function mainThreadPerStep(trace, events) {
  const all = trace.traceEvents ?? trace;
  const marks = all.filter((e) => e.name?.startsWith('cblab-step-'));
  const thread = `${marks[0].pid}:${marks[0].tid}`;
  const at = new Map(marks.map((e) => [Number(e.name.slice('cblab-step-'.length)), e.ts]));
  const tasks = all.filter((e) => e.name === 'RunTask' && e.ph === 'X' && `${e.pid}:${e.tid}` === thread);
  const out = [];
  for (let i = 5; i < events + 5; i++) {
    const [from, to] = [at.get(i), at.get(i + 1)];
    // A task is counted in the step it starts in (the mark itself runs inside one).
    out.push(tasks.filter((t) => t.ts + t.dur > from && t.ts < to).reduce((sum, t) => sum + (Math.min(t.ts + t.dur, to) - Math.max(t.ts, from)), 0) / 1000);
  }
  return out;
}

function stats(values) {
  values.sort((a, b) => a - b);
  const q = (p) => values[Math.min(values.length - 1, Math.floor(p * values.length))].toFixed(2);
  return { median: q(0.5), p95: q(0.95), max: values.at(-1).toFixed(2) };
}

const server = await serveDist(dist);
const browser = await launch();
try {
  await measure(browser, `${server.url}?preset=inat2018-like&beta=0.999`, 'beta drag, 8,142 classes');
  await measure(browser, `${server.url}?profile=exp&classes=1000&max=5000&imbalance=100&beta=0.999`, 'beta drag, 1,000 classes');
  await measure(browser, `${server.url}?preset=cifar10-lt-100&beta=0.999`, 'beta drag, 10 classes');
  await measure(browser, `${server.url}?preset=cifar10-lt-100&beta=0.999`, 'first screen beta drag, 10 classes', '#first-beta');
  await measure(browser, `${server.url}?preset=cifar100-lt-100&beta=0.999`, 'beta drag, 100 classes');
  await measureBare(browser);
  if (AGAINST) await measurePaired(browser, [dist, AGAINST]);
} finally {
  await browser.close();
  await server.close();
}

let raw = 0;
let gzipped = 0;
for (const file of await readdir(dist)) {
  if (file.endsWith('.wasm') || file.endsWith('.js')) {
    const bytes = await readFile(path.join(dist, file));
    raw += bytes.length;
    gzipped += gzipSync(bytes, { level: 9 }).length;
  }
}
console.log(`all wasm + JS, page and worker: ${(raw / 1000).toFixed(1)} kB, ${(gzipped / 1000).toFixed(1)} kB gzipped`);
