// The ceiling of WebGPU training in this browser: how many multiply-adds per
// second its WebGPU does on the trainer's kind of work (benches/webgpu_peak/),
// and so the most model-steps per second the paper's grid could reach if the
// GPU trainer did nothing but its matrix products at that rate. Prints one
// JSON line.
//
//   node benches/webgpu_peak.mjs

import path from 'node:path';
import { launch, repoRoot, serveDist } from '../tests/browser/harness.mjs';

// One model-step of the default network (2 -> 32 -> 32 -> 10, batch 128) as
// the GPU trainer runs it, widths padded to 8 (2 -> 8 inputs, 10 -> 16 classes):
// the forward pass, the weight gradients and the input gradients (not of the first layer).
const layers = [[8, 32], [32, 32], [32, 16]];
const batch = 128;
const forward = layers.reduce((sum, [i, o]) => sum + batch * i * o, 0);
const inputGrads = layers.slice(1).reduce((sum, [i, o]) => sum + batch * i * o, 0);
const macsPerModelStep = 2 * forward + inputGrads;

const server = await serveDist(path.join(repoRoot, 'benches/webgpu_peak'));
const browser = await launch({ webgpu: true });
const page = await browser.newPage();
await page.goto(server.url);
await page.waitForFunction(() => window.result, null, { timeout: 300_000 });
const result = await page.evaluate(() => window.result);
await browser.close();
await server.close();
if (result.error || result.errors.length) {
  console.error(result.error ?? result.errors.join('\n'));
  process.exit(1);
}
const best = Math.max(...result.tiles.map((t) => t.gmac_per_s));
console.log(JSON.stringify({
  adapter: result.adapter,
  tiles: result.tiles,
  best_gmac_per_s: best,
  macs_per_model_step: macsPerModelStep,
  ceiling_model_steps_per_s: Math.round((best * 1e9) / macsPerModelStep),
}));
