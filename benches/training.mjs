// Training speed in the browser, CPU path against WebGPU, in one run of headless Chromium with
// WebGPU (SwiftShader, Chromium's software adapter, on this machine): steps per second of one
// run and model-steps per second of all three for the training panel (600 steps each), and
// model-steps per second for the paper's grid (25 runs, 100 steps each), with the same
// settings on both backends; then the most the grid could reach on this WebGPU
// (benches/webgpu_peak.mjs) against the CPU path's grid; and the live panel's samples per
// second with the frame rate it kept. Prints one JSON line per case.
//
//   cargo xtask build && node benches/training.mjs   (CBLAB_DIST defaults to dist/)

import path from 'node:path';
import { launch, openPage, repoRoot, serveDist } from '../tests/browser/harness.mjs';
import { webgpuPeak } from './webgpu_peak.mjs';

const dist = process.env.CBLAB_DIST ?? path.join(repoRoot, 'dist');
const server = await serveDist(dist);
const browser = await launch({ webgpu: true });

async function ready(query) {
  const page = await openPage(browser, `${server.url}?preset=cifar10-lt-100${query}`, { width: 1400, height: 1000 });
  await page.waitForSelector('#weights-table tbody tr', { timeout: 30_000 });
  await page.waitForFunction(() => !document.querySelector('#backend-badge')?.textContent.includes('looking'), null, { timeout: 30_000 });
  if (query.includes('backend=gpu')) {
    // The page compiles the kernels once, when it knows it will use the GPU
    // (about a second on SwiftShader); the figures are for training.
    await page.waitForSelector('#backend-badge[data-kernels="ready"]', { timeout: 60_000 });
  }
  return page;
}

let gridCpu;
for (const backend of ['cpu', 'gpu']) {
  // The panel: three runs, 60 epochs (600 steps each).
  let page = await ready(`&backend=${backend}`);
  const adapter = await page.textContent('#backend-badge');
  const start = Date.now();
  await page.click('#train-play');
  await page.waitForFunction(() => document.querySelector('.progress-text')?.textContent === '600 of 600 steps', null, { timeout: 600_000 });
  const seconds = (Date.now() - start) / 1000;
  // Each run's own steps per second (the three move together), and all three's.
  console.log(JSON.stringify({ case: 'panel (3 runs)', backend, steps: 600, seconds, steps_per_s: Math.round(600 / seconds), model_steps_per_s: Math.round(1800 / seconds), badge: adapter }));
  page.assertNoErrors();
  await page.close();

  // The grid: 25 runs, 10 epochs (100 steps each); the page times it itself.
  page = await ready(`&backend=${backend}&epochs=10`);
  await page.click('#grid-run');
  await page.waitForFunction(() => document.querySelector('#grid-progress')?.textContent === '25 of 25 runs finished', null, { timeout: 600_000 });
  const rate = Number(await page.getAttribute('#grid-speed', 'data-steps-per-second'));
  if (backend === 'cpu') gridCpu = Math.round(rate);
  console.log(JSON.stringify({ case: 'grid (25 runs)', backend, steps: 100, model_steps_per_s: Math.round(rate) }));
  page.assertNoErrors();
  await page.close();
}
// The live panel on the CPU path, for the default network and for hidden 8: training samples
// per second summed over its three runs while the page draws, with the frame rate the page
// kept meanwhile (animation-frame intervals) and how fast it answered input (Event Timing:
// input to handler), over 1 to 2 s of training with the explorer's beta changed every 250 ms.
for (const hidden of [32, 8]) {
  const page = await ready(`&backend=cpu&epochs=1000&hidden=${hidden}`);
  await page.click('#train-play');
  await page.waitForTimeout(200);
  const progress = () => page.evaluate(() => Number(document.querySelector('#train-progress').value));
  const before = await progress();
  await page.evaluate(() => {
    window.frameTimes = [];
    window.inputDelays = [];
    window.measuring = true;
    const tick = (t) => {
      window.frameTimes.push(t);
      if (window.measuring) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.inputDelays.push(e.processingStart - e.startTime);
    }).observe({ type: 'event', durationThreshold: 16 });
  });
  const start = Date.now();
  // The panel's longest run (1,000 epochs) must outlast the window: hidden 8 trains fast.
  const window_ms = hidden <= 8 ? 1000 : 2000;
  for (let i = 0; Date.now() - start < window_ms; i++) {
    await page.fill('#beta-text', i % 2 ? '0.99' : '0.995');
    await page.press('#beta-text', 'Enter');
    await page.waitForTimeout(250);
  }
  const seconds = (Date.now() - start) / 1000;
  const after = await progress();
  const { frames, slowest, delays } = await page.evaluate(() => {
    window.measuring = false;
    const t = window.frameTimes;
    const intervals = t.slice(1).map((x, i) => x - t[i]);
    return { frames: (t.length - 1) / ((t[t.length - 1] - t[0]) / 1000), slowest: Math.max(...intervals), delays: window.inputDelays };
  });
  const total = await page.evaluate(() => Number(document.querySelector('#train-progress').max));
  if (after >= total) throw new Error(`the runs finished within the measurement (${after} of ${total} steps)`);
  await page.click('#train-pause');
  // Three runs, batch 128 (the panel's).
  const samples = ((after - before) * 3 * 128) / seconds;
  console.log(JSON.stringify({
    case: 'live panel', backend: 'cpu', hidden, samples_per_s: Math.round(samples),
    fps: Math.round(frames * 10) / 10, slowest_frame_ms: Math.round(slowest), worst_input_delay_ms: Math.round(Math.max(0, ...delays)),
  }));
  page.assertNoErrors();
  await page.close();
}

// The most the grid could reach on this WebGPU, next to the CPU path's grid of this run.
const peak = await webgpuPeak(browser);
console.log(JSON.stringify({
  case: 'WebGPU ceiling', best_gmac_per_s: peak.best_gmac_per_s, ceiling_model_steps_per_s: peak.ceiling_model_steps_per_s,
  cpu_grid_model_steps_per_s: gridCpu, ceiling_over_cpu_grid: +(peak.ceiling_model_steps_per_s / gridCpu).toFixed(2),
}));
await browser.close();
await server.close();
