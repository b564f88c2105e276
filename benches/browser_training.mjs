// Training speed in the browser, without drawing: the page's training worker trains
// 2 -> 64 -> 64 -> 10 ReLU with CB softmax and Adam (the model of benches/throughput.rs,
// src/train/benchmark.rs) at batch 32, 256 and 1024 on the CPU (wasm, SIMD) and on WebGPU,
// and in the same headless Chromium TensorFlow.js 4.22 trains the same model, loss and
// optimiser on its wasm, webgl, webgpu and cpu backends. With several labels a sample
// (`"multi_label": true`), the same network with 10 sigmoid outputs and CB sigmoid by class on
// multi-hot targets (src/train/benchmark.rs), at batch 32 and 256, on the worker's CPU and on
// TensorFlow.js's backends. One JSON line per case:
//   {"case": "trainer", "backend": "cpu"|"webgpu", "hidden": 64, "batch": B, "multi_label": false, "samples_per_s": N}
//   {"case": "tfjs", "backend": "wasm"|"webgl"|"webgpu"|"cpu", ...}
// then the ratio of the CPU worker to tfjs-wasm at each batch, single- and multi-label.
//
//   cargo xtask build && (cd benches && npm install) && node benches/browser_training.mjs [SECONDS]
//
// WebGPU here is Chromium's SwiftShader (software, on the same cores). TensorFlow.js trains on
// one fixed batch (no sampling); our worker draws a new batch each step, as in training.

import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { launch, openPage, repoRoot, serveDist } from '../tests/browser/harness.mjs';

const SECONDS = Number(process.argv[2] ?? 2);
const BATCHES = [32, 256, 1024];
const MULTI_LABEL_BATCHES = [32, 256];
/** Every case: single-label at each batch, then multi-label at its batches. */
const CASES = [...BATCHES.map((batch) => [batch, false]), ...MULTI_LABEL_BATCHES.map((batch) => [batch, true])];
const HIDDEN = 64;
const dist = process.env.CBLAB_DIST ?? path.join(repoRoot, 'dist');
const modules = path.join(repoRoot, 'benches', 'node_modules', '@tensorflow');

const browser = await launch({ webgpu: true });
const results = [];
const print = (line) => {
  results.push(line);
  console.log(JSON.stringify(line));
};

// Our worker, through the page's `bench_trainer` export.
{
  const server = await serveDist(dist);
  const page = await openPage(browser, `${server.url}?backend=gpu`, { width: 1280, height: 800 });
  await page.waitForSelector('#weights-table tbody tr', { state: 'attached', timeout: 30_000 });
  await page.waitForFunction(() => !document.querySelector('#backend-badge')?.textContent.includes('looking'), null, { timeout: 30_000 });
  for (const backend of ['cpu', 'webgpu']) {
    for (const [batch, multiLabel] of CASES) {
      const result = JSON.parse(await page.evaluate(
        ([backend, batch, ms, multiLabel]) => window.wasmBindings.bench_trainer(backend, batch, ms, multiLabel),
        [backend, batch, SECONDS * 1000, multiLabel],
      ));
      print({ case: 'trainer', backend, hidden: HIDDEN, batch, multi_label: multiLabel, samples_per_s: Math.round(result.samples_per_s), steps: result.steps });
    }
  }
  page.assertNoErrors();
  await page.close();
  await server.close();
}

// TensorFlow.js: its bundles in a folder of their own, one page, every backend.
{
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cblab-tfjs-'));
  await cp(path.join(modules, 'tfjs', 'dist', 'tf.min.js'), path.join(dir, 'tf.min.js'));
  await cp(path.join(modules, 'tfjs-backend-wasm', 'dist'), path.join(dir, 'wasm'), { recursive: true });
  await cp(path.join(modules, 'tfjs-backend-webgpu', 'dist', 'tf-backend-webgpu.min.js'), path.join(dir, 'tf-backend-webgpu.min.js'));
  await writeFile(path.join(dir, 'index.html'), `<!doctype html><meta charset="utf-8"><title>tfjs</title><link rel="icon" href="data:,">
<script src="tf.min.js"></script><script src="wasm/tf-backend-wasm.min.js"></script><script src="tf-backend-webgpu.min.js"></script>`);
  const server = await serveDist(dir);
  const page = await openPage(browser, server.url);
  await page.waitForFunction(() => typeof tf !== 'undefined' && tf.wasm && tf.getBackend);
  for (const backend of ['wasm', 'webgl', 'webgpu', 'cpu']) {
    for (const [batch, multiLabel] of CASES) {
      const result = await page.evaluate(async ([backend, batch, hidden, ms, multiLabel]) => {
        if (backend === 'wasm') tf.wasm.setWasmPaths(new URL('wasm/', location.href).href);
        await tf.setBackend(backend);
        await tf.ready();
        // The same network, He-initialised, the same loss (softmax cross-entropy weighted by
        // the class's weight, summed over the batch / batch size) and Adam's constants.
        const he = (fanIn, fanOut) => tf.variable(tf.randomNormal([fanIn, fanOut], 0, Math.sqrt(2 / fanIn)));
        const vars = [he(2, hidden), tf.variable(tf.zeros([hidden])), he(hidden, hidden), tf.variable(tf.zeros([hidden])), he(hidden, 10), tf.variable(tf.zeros([10]))];
        const [w1, b1, w2, b2, w3, b3] = vars;
        const x = tf.randomNormal([batch, 2]);
        const labels = tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10), 'int32');
        // Multi-label: a sample carries a class with probability 0.2 (as benches/jax_throughput.py).
        const y = multiLabel ? tf.cast(tf.less(tf.randomUniform([batch, 10]), 0.2), 'float32') : tf.oneHot(labels, 10);
        const classWeights = tf.ones([10]);
        const weights = tf.gather(classWeights, labels);
        const optimizer = tf.train.adam(0.01, 0.9, 0.999, 1e-8);
        const loss = () => {
          const h1 = tf.relu(tf.add(tf.matMul(x, w1), b1));
          const h2 = tf.relu(tf.add(tf.matMul(h1, w2), b2));
          const logits = tf.add(tf.matMul(h2, w3), b3);
          if (multiLabel) {
            // CB sigmoid by class: w_c times each term's BCE, log(1 + e^z) - y z, summed / batch.
            const bce = tf.sub(tf.softplus(logits), tf.mul(y, logits));
            return tf.div(tf.sum(tf.mul(bce, classWeights)), batch);
          }
          const ce = tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(logits)), 1));
          return tf.div(tf.sum(tf.mul(ce, weights)), batch);
        };
        const step = () => tf.tidy(() => optimizer.minimize(loss, true, vars));
        // Warm up (kernels compiled, buffers made), then time whole steps, synchronised.
        for (let i = 0; i < 5; i++) {
          const warm = step();
          await warm.data();
          warm.dispose();
        }
        let steps = 0;
        const start = performance.now();
        while (performance.now() - start < ms) {
          let last;
          for (let i = 0; i < 10; i++) {
            last?.dispose();
            last = step();
          }
          await last.data();
          last.dispose();
          steps += 10;
        }
        const seconds = (performance.now() - start) / 1000;
        optimizer.dispose();
        tf.dispose([...vars, x, labels, y, classWeights, weights]);
        return { samples_per_s: (steps * batch) / seconds, steps };
      }, [backend, batch, HIDDEN, SECONDS * 1000, multiLabel]);
      print({ case: 'tfjs', backend, hidden: HIDDEN, batch, multi_label: multiLabel, samples_per_s: Math.round(result.samples_per_s), steps: result.steps });
    }
  }
  page.assertNoErrors();
  await page.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
}

await browser.close();
for (const [batch, multiLabel] of CASES) {
  const find = (kind, backend) => results.find((r) => r.case === kind && r.backend === backend && r.batch === batch && r.multi_label === multiLabel);
  const ours = find('trainer', 'cpu');
  const theirs = find('tfjs', 'wasm');
  console.log(JSON.stringify({ case: 'ratio', batch, multi_label: multiLabel, cpu_worker_over_tfjs_wasm: Number((ours.samples_per_s / theirs.samples_per_s).toFixed(2)) }));
}
