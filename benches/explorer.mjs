// How fast the explorer answers a beta drag, measured in the page: for 100 input events on
// the beta slider, the time from dispatching the event to the end of the redraw (every chart,
// the table, the URL: all of Leptos's effects run in microtasks, so a macrotask posted right
// after the event runs when they are done), and to the first idle moment after it (which
// includes the tasks the browser posts for itself). Prints median and p95 for 8,142 classes (the
// iNaturalist 2018 stand-in) and for 1,000 classes, and the gzipped size of all the site's wasm and JS (the page's and the worker's; the first load alone is printed by tests/browser/first_load.test.mjs).
//
//   cargo xtask build && node benches/explorer.mjs [--throttle N]   (CBLAB_DIST defaults to dist/)
//
// `--throttle N` slows the page's CPU N times (Chromium's Emulation.setCPUThrottlingRate, as
// DevTools' "4x slowdown" for a mid-range phone), on the beta drag and on the first screen's.

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

async function measure(browser, url, label, slider = '#beta-slider') {
  const page = await openPage(browser, url, { width: 1600, height: 1000 });
  await page.waitForSelector('#weights-table tbody tr', { state: 'attached', timeout: 60_000 });
  if (THROTTLE > 1) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
  }
  const times = await page.evaluate(async ({ events, selector }) => {
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
      const t0 = performance.now();
      slider.dispatchEvent(new Event('input', { bubbles: true }));
      await macrotask();
      const t1 = performance.now();
      // What the browser posts as tasks of its own (its autofill's walk over the page's
      // controls, once) runs after the answer: the first idle moment comes after it.
      await new Promise((r) => requestIdleCallback(() => r()));
      const t2 = performance.now();
      if (i >= 5) out.push([t1 - t0, t2 - t0]); // the first few warm up the JIT
      await new Promise((r) => requestAnimationFrame(() => r()));
    }
    return out;
  }, { events: EVENTS, selector: slider });
  page.assertNoErrors();
  await page.close();
  const slowed = THROTTLE > 1 ? ` (CPU ${THROTTLE}x slower)` : '';
  const answer = stats(times.map((t) => t[0]));
  const idle = stats(times.map((t) => t[1]));
  console.log(`${label}${slowed}: median ${answer.median} ms, p95 ${answer.p95} ms, max ${answer.max} ms over ${times.length} input events; until idle median ${idle.median} ms, p95 ${idle.p95} ms`);
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
