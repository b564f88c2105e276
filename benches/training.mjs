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
import { livePanel } from './live_panel.mjs';
import { webgpuPeak } from './webgpu_peak.mjs';
import { brief } from './brief.mjs';

// The panel's and the grid's epochs (10 steps an epoch at batch 128).
const PANEL_EPOCHS = brief ? 2 : 60;
const GRID_EPOCHS = brief ? 1 : 10;
const PANEL_STEPS = PANEL_EPOCHS * 10;
const GRID_STEPS = GRID_EPOCHS * 10;

const dist = process.env.CBLAB_DIST ?? path.join(repoRoot, 'dist');
const server = await serveDist(dist);
const browser = await launch({ webgpu: true });

async function ready(query) {
  const page = await openPage(browser, `${server.url}?preset=cifar10-lt-100${query}`, { width: 1400, height: 1000 });
  await page.waitForSelector('#weights-table tbody tr', { state: 'attached', timeout: 30_000 });
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
  let page = await ready(`&backend=${backend}&epochs=${PANEL_EPOCHS}`);
  const adapter = await page.textContent('#backend-badge');
  const start = Date.now();
  await page.click('#train-play');
  await page.waitForFunction(() => (steps) => document.querySelector('.progress-text')?.textContent === `${steps} of ${steps} steps`, PANEL_STEPS, { timeout: 600_000 });
  const seconds = (Date.now() - start) / 1000;
  // Each run's own steps per second (the three move together), and all three's.
  console.log(JSON.stringify({ case: 'panel (3 runs)', backend, steps: PANEL_STEPS, seconds, steps_per_s: Math.round(PANEL_STEPS / seconds), model_steps_per_s: Math.round((3 * PANEL_STEPS) / seconds), badge: adapter }));
  page.assertNoErrors();
  await page.close();

  // The grid: 25 runs, 10 epochs (100 steps each); the page times it itself.
  page = await ready(`&backend=${backend}&epochs=${GRID_EPOCHS}`);
  await page.click('#grid-run');
  await page.waitForFunction(() => document.querySelector('#grid-progress')?.textContent === '25 of 25 runs finished', null, { timeout: 600_000 });
  const rate = Number(await page.getAttribute('#grid-speed', 'data-steps-per-second'));
  if (backend === 'cpu') gridCpu = Math.round(rate);
  console.log(JSON.stringify({ case: 'grid (25 runs)', backend, steps: GRID_STEPS, model_steps_per_s: Math.round(rate) }));
  page.assertNoErrors();
  await page.close();
}
// The live panel on the CPU path, for the default network and for hidden 8 (benches/live_panel.mjs).
for (const hidden of [32, 8]) console.log(JSON.stringify(await livePanel(browser, server.url, hidden)));

// The most the grid could reach on this WebGPU, next to the CPU path's grid of this run.
const peak = await webgpuPeak(browser);
console.log(JSON.stringify({
  case: 'WebGPU ceiling', best_gmac_per_s: peak.best_gmac_per_s, ceiling_model_steps_per_s: peak.ceiling_model_steps_per_s,
  cpu_grid_model_steps_per_s: gridCpu, ceiling_over_cpu_grid: +(peak.ceiling_model_steps_per_s / gridCpu).toFixed(2),
}));
await browser.close();
await server.close();
