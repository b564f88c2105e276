// TensorFlow Playground against our live panel, in one run of the same headless Chromium:
// the Playground (built from its source by benches/build_playground.sh) trains its 8-8
// network, and our panel trains its three runs with hidden 8, each while its page draws.
// Playground trains one pass over its 250 training points in every animation frame (d3.timer
// calls oneStep), batch 10, and draws the new state; its samples per second are its
// iterations per second x 250. Prints one JSON line for each and the ratio.
//
//   bash benches/build_playground.sh && cargo xtask build && node benches/playground.mjs [SECONDS]

import path from 'node:path';
import { launch, repoRoot, serveDist } from '../tests/browser/harness.mjs';
import { livePanel, startFrameClock, stopFrameClock } from './live_panel.mjs';

const seconds = Number(process.argv[2] ?? 3);
const playgroundDist = process.env.PLAYGROUND_DIST ?? path.join(repoRoot, 'target', 'playground', 'dist');
const site = await serveDist(process.env.CBLAB_DIST ?? path.join(repoRoot, 'dist'));
const playground = await serveDist(playgroundDist);
const browser = await launch();

// The network: two hidden layers of 8; the rest are Playground's defaults
// (circle data set, tanh, learning rate 0.03, batch 10, 50 % of 500 points to train).
const TRAIN_POINTS = 250;
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
// Nothing leaves the machine: Google Fonts and analytics are refused.
await page.route((url) => !url.href.startsWith(playground.url), (route) => route.abort());
await page.goto(`${playground.url}#networkShape=8,8&batchSize=10&learningRate=0.03&activation=tanh&dataset=circle&percTrainData=50&noise=0`, { waitUntil: 'load' });
await page.waitForSelector('#play-pause-button', { state: 'attached' });
const shape = await page.evaluate(() => document.querySelectorAll('#network .node').length);
const iterations = () => page.evaluate(() => Number(document.querySelector('#iter-number').textContent.replace(/,/g, '')));
await page.click('#play-pause-button');
await page.waitForTimeout(500);
await startFrameClock(page);
const before = await iterations();
const start = Date.now();
await page.waitForTimeout(seconds * 1000);
const after = await iterations();
const elapsed = (Date.now() - start) / 1000;
const { frames: fps } = await stopFrameClock(page);
if (errors.length > 0) throw new Error(`TensorFlow Playground: ${errors.join('; ')}`);
if (after <= before) throw new Error('TensorFlow Playground did not train');
const peer = {
  case: 'tensorflow playground', network: '2-8-8-1', nodes_drawn: shape, iterations_per_s: Math.round(((after - before) / elapsed) * 10) / 10,
  samples_per_s: Math.round(((after - before) * TRAIN_POINTS) / elapsed), fps: Math.round(fps * 10) / 10,
};
console.log(JSON.stringify(peer));
await page.close();

const ours = await livePanel(browser, site.url, 8);
console.log(JSON.stringify(ours));
console.log(JSON.stringify({ case: 'ratio', live_panel_over_playground: Math.round((ours.samples_per_s / peer.samples_per_s) * 10) / 10, goal: 100 }));
await browser.close();
await site.close();
await playground.close();
