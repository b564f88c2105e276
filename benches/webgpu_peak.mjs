// The ceiling of WebGPU training in this browser: how many multiply-adds per
// second its WebGPU does on the trainer's kind of work (benches/webgpu_peak/),
// and so the most model-steps per second the paper's grid could reach if the
// GPU trainer did nothing but its matrix products at that rate. Prints one
// JSON line; benches/training.mjs also runs it, beside the trainers.
//
//   node benches/webgpu_peak.mjs

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, repoRoot, serveDist } from '../tests/browser/harness.mjs';
import { brief } from './brief.mjs';

// One model-step of the default network (2 -> 32 -> 32 -> 10, batch 128) as
// the GPU trainer runs it, widths padded to 8 (2 -> 8 inputs, 10 -> 16 classes):
// the forward pass, the weight gradients and the input gradients (not of the first layer).
const layers = [[8, 32], [32, 32], [32, 16]];
const batch = 128;
const forward = layers.reduce((sum, [i, o]) => sum + batch * i * o, 0);
const inputGrads = layers.slice(1).reduce((sum, [i, o]) => sum + batch * i * o, 0);
export const macsPerModelStep = 2 * forward + inputGrads;

/** Measures the peak in `browser` (launched with WebGPU); throws on a WebGPU error. */
export async function webgpuPeak(browser) {
  const server = await serveDist(path.join(repoRoot, 'benches/webgpu_peak'));
  try {
    const page = await browser.newPage();
    // Fewer dispatches a tile when brief.
    await page.goto(brief ? `${server.url}?reps=3` : server.url);
    await page.waitForFunction(() => window.result, null, { timeout: 300_000 });
    const result = await page.evaluate(() => window.result);
    await page.close();
    if (result.error || result.errors.length) {
      throw new Error(result.error ?? result.errors.join('\n'));
    }
    const best = Math.max(...result.tiles.map((t) => t.gmac_per_s));
    return {
      adapter: result.adapter,
      tiles: result.tiles,
      best_gmac_per_s: best,
      macs_per_model_step: macsPerModelStep,
      ceiling_model_steps_per_s: Math.round((best * 1e9) / macsPerModelStep),
    };
  } finally {
    await server.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const browser = await launch({ webgpu: true });
  try {
    console.log(JSON.stringify(await webgpuPeak(browser)));
  } finally {
    await browser.close();
  }
}
