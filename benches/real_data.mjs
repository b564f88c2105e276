// The real-data panel's speed: Fashion-MNIST-LT at imbalance 100 (2,478 images of 196 pixels),
// 60 epochs of softmax, CB softmax and logit adjustment (196 -> 64 -> 10, Adam, batch 128) in the
// page's training worker, on the CPU (wasm, SIMD) and on WebGPU (here Chromium's SwiftShader),
// timed from the press to the last run's result. One JSON line per backend:
//   {"case": "fashion-mnist-lt-100", "backend": "cpu"|"webgpu", "runs": 3, "epochs": 60, "seconds": S, "seconds_per_run": s}
//
//   cargo xtask build && node benches/real_data.mjs
//
// The goal: one run of 60 epochs in at most 10 s in the page on the CPU worker.

import path from 'node:path';
import { launch, openPage, repoRoot, serveDist } from '../tests/browser/harness.mjs';
import { brief } from './brief.mjs';

const EPOCHS = brief ? 1 : 60;

const dist = process.env.CBLAB_DIST ?? path.join(repoRoot, 'dist');
const browser = await launch({ webgpu: true });
const server = await serveDist(dist);
for (const backend of ['cpu', 'gpu']) {
  const page = await openPage(browser, `${server.url}?epochs=${EPOCHS}&backend=${backend}`, { width: 1280, height: 900 });
  await page.waitForSelector('#weights-table tbody tr', { state: 'attached', timeout: 30_000 });
  await page.waitForFunction(() => !document.querySelector('#backend-badge')?.textContent.includes('looking'), null, { timeout: 30_000 });
  await page.locator('#real-load').scrollIntoViewIfNeeded();
  await page.click('#real-load');
  await page.waitForSelector('#real-thumbs figure', { timeout: 30_000 });
  const start = Date.now();
  await page.click('#real-run');
  await page.waitForFunction(() => document.querySelector('#real-progress')?.dataset.done === '3', null, { timeout: 600_000, polling: 50 });
  const seconds = (Date.now() - start) / 1000;
  const trained = await page.getAttribute('#real-progress', 'data-backend');
  console.log(JSON.stringify({ case: 'fashion-mnist-lt-100', backend: trained, runs: 3, epochs: EPOCHS, seconds: Number(seconds.toFixed(2)), seconds_per_run: Number((seconds / 3).toFixed(2)) }));
  page.assertNoErrors();
  await page.close();
}
await server.close();
await browser.close();
