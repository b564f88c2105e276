// The first load: what the page fetches before it is usable is the HTML, the CSS, the
// loader and the page's own wasm (UI, charts, the explorer's math); the trainers, ndarray
// and wgpu are in the training worker's wasm, fetched after the page is up. Sizes are gzip
// level 9 of the built files, so they are deterministic; the test prints them.
//
// The goal is 300 kB (issue 12). Moving the trainers out took the page from 487 to about
// 471 kB; one chart backend type for canvas and SVG, postcard for the worker's messages and
// the Chinese strings fetched only when asked for took it from 508.4 to 427.8 kB. Most of
// what is left is the page's own UI (the Leptos views of the lesson, the explorer and the
// panels). The limit below holds today's size so that it cannot grow unnoticed while it is
// cut down to the goal. Fails on any console error.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { launch, openPage, requireEnv, serveDist } from './harness.mjs';

const FIRST_LOAD_GOAL = 300 * 1024;
// The guard, not the goal: 427.8 kB on 2026-12-02 (508.4 that morning).
const FIRST_LOAD_LIMIT = 440 * 1024;
const WORKER_FILES = ['/worker.js', '/cblab-worker.js', '/cblab-worker_bg.wasm'];

const dist = () => requireEnv('CBLAB_DIST');
const gzipped = async (pathname) => gzipSync(await readFile(path.join(dist(), pathname)), { level: 9 }).length;
const kB = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;

describe('first load', () => {
  let server;
  let browser;
  before(async () => {
    server = await serveDist(dist());
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test(`the page is usable on at most ${FIRST_LOAD_LIMIT / 1024} kB gzipped (the goal: 300); the trainer comes after, in the worker`, { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const requested = [];
    context.on('request', (request) => requested.push(new URL(request.url()).pathname));
    const page = await context.newPage();
    const errors = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url, { waitUntil: 'load' });
    await page.waitForSelector('#weights-table tbody tr', { timeout: 30_000 });
    // The worker starts a few frames after the page is up and says what it found.
    await page.waitForFunction(() => !document.querySelector('#backend-badge')?.textContent.includes('looking'), null, { timeout: 30_000 });

    const firstWorkerFile = requested.findIndex((p) => WORKER_FILES.includes(p));
    assert.ok(firstWorkerFile > 0, `the worker was fetched: ${requested}`);
    const firstLoad = [...new Set(requested.slice(0, firstWorkerFile).map((p) => (p === '/' ? '/index.html' : p)))];
    const mainWasm = firstLoad.filter((p) => p.endsWith('_bg.wasm'));
    assert.equal(mainWasm.length, 1, `one wasm before the worker: ${firstLoad}`);
    assert.ok(!mainWasm[0].includes('worker'), mainWasm[0]);
    for (const p of WORKER_FILES) assert.ok(requested.includes(p), `${p} fetched: ${requested}`);

    const sizes = await Promise.all(firstLoad.map(async (p) => [p, await gzipped(p)]));
    const total = sizes.reduce((sum, [, n]) => sum + n, 0);
    const worker = (await Promise.all(WORKER_FILES.map(gzipped))).reduce((a, b) => a + b, 0);
    console.log(`first load: ${kB(total)} gzipped, goal ${kB(FIRST_LOAD_GOAL)} (${sizes.map(([p, n]) => `${p} ${kB(n)}`).join(', ')}); the training worker: ${kB(worker)}`);
    assert.ok(total <= FIRST_LOAD_LIMIT, `first load ${kB(total)} > ${kB(FIRST_LOAD_LIMIT)}`);

    // The page's code has no trainer in it: the GPU kernels' source (in the wasm) and
    // wgpu's WebGPU calls (in the JS glue) are only in the worker's.
    const text = async (files) => (await Promise.all(files.map((f) => readFile(path.join(dist(), f))))).map((b) => b.toString('latin1')).join('');
    const pageCode = await text(firstLoad.filter((p) => p.endsWith('.wasm') || p.endsWith('.js')));
    const workerCode = await text(WORKER_FILES);
    for (const marker of ['@compute', 'requestAdapter']) {
      assert.ok(workerCode.includes(marker), `the worker has ${marker}`);
      assert.ok(!pageCode.includes(marker), `the page's code has no ${marker}`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  });
});
