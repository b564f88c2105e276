// Memory over 100 trainings (or TRAININGS) in a row in one page (half of them the panel's three runs, half the
// paper's 25-run grid, alternating, one epoch each), on the CPU path and on WebGPU
// (SwiftShader): after trainings 1, 10, 25, 50 and 100, the page's JS heap (after a forced
// garbage collection), the resident memory of the renderer process (the page and its training
// worker, wasm memories included) and of the GPU process (where SwiftShader keeps the GPU
// buffers). Flat figures mean nothing is kept per training: no runs, snapshots or GPU buffers
// behind. One JSON line per checkpoint, then each series' growth from training 10 to the last.
//
//   cargo xtask build && node benches/memory.mjs [TRAININGS]   (100 by default; checkpoints
//   then at 1, 10 and a quarter, half and all of them)

import { readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { launch, openPage, repoRoot, serveDist } from '../tests/browser/harness.mjs';
import { brief } from './brief.mjs';

const dist = process.env.CBLAB_DIST ?? path.join(repoRoot, 'dist');
const TRAININGS = Number(process.argv[2] ?? (brief ? 2 : 100));
// Growth is read from training 10 (or the last, for fewer), when the page has warmed up.
const FROM = Math.min(10, TRAININGS);
const CHECKPOINTS = new Set([1, FROM, Math.round(TRAININGS / 4), Math.round(TRAININGS / 2), TRAININGS]);

/**
 * Resident memory (MiB) of Chromium's processes of a type (`renderer`, `gpu-process`): the
 * benchmark runs one browser with one page, so these are its page's and its GPU's.
 */
async function rss(type) {
  let pids = [];
  try {
    pids = execFileSync('pgrep', ['-f', `type=${type}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch {
    // None.
  }
  let kb = 0;
  for (const pid of pids) {
    try {
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmdline.includes('chromium') || cmdline.includes('--extension-process')) continue;
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      kb += Number(status.match(/VmRSS:\s+(\d+)/)[1]);
    } catch {
      // The process ended meanwhile.
    }
  }
  return Math.round(kb / 102.4) / 10;
}

const server = await serveDist(dist);
for (const webgpu of [false, true]) {
  const backend = webgpu ? 'webgpu' : 'cpu';
  const browser = await launch({ webgpu });
  const page = await openPage(browser, `${server.url}?preset=cifar10-lt-100&epochs=1${webgpu ? '&backend=gpu' : ''}`, { width: 1280, height: 900 });
  await page.waitForSelector('#weights-table tbody tr', { state: 'attached', timeout: 30_000 });
  await page.waitForFunction(() => !document.querySelector('#backend-badge')?.textContent.includes('looking'), null, { timeout: 30_000 });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const series = [];
  for (let i = 1; i <= TRAININGS; i++) {
    if (i % 2 === 1) {
      await page.click('#train-play');
      await page.waitForFunction(() => /^(\d+) of \1 steps$/.test(document.querySelector('.progress-text')?.textContent ?? ''), null, { timeout: 60_000 });
    } else {
      await page.click('#grid-run');
      await page.waitForFunction(() => document.querySelector('#grid-progress')?.textContent === '25 of 25 runs finished', null, { timeout: 120_000 });
    }
    if (CHECKPOINTS.has(i)) {
      await page.waitForTimeout(500);
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      const heap = metrics.find((m) => m.name === 'JSHeapUsedSize').value / 1048576;
      const line = {
        case: 'memory', backend, trainings: i,
        page_js_heap_mib: Math.round(heap * 10) / 10,
        renderer_rss_mib: await rss('renderer'),
        gpu_process_rss_mib: await rss('gpu-process'),
      };
      series.push(line);
      console.log(JSON.stringify(line));
    }
  }
  const at = (n) => series.find((s) => s.trainings === n);
  const growth = (key) => Math.round((at(TRAININGS)[key] - at(FROM)[key]) * 10) / 10;
  console.log(JSON.stringify({
    case: `growth from training ${FROM} to ${TRAININGS}`, backend,
    page_js_heap_mib: growth('page_js_heap_mib'), renderer_rss_mib: growth('renderer_rss_mib'), gpu_process_rss_mib: growth('gpu_process_rss_mib'),
  }));
  page.assertNoErrors();
  await browser.close();
}
await server.close();
