// The live panel on the CPU path: training samples per second summed over its three runs
// while the page draws them, with the frame rate the page kept meanwhile (animation-frame
// intervals) and how fast it answered input (Event Timing: input to handler), over 1 to 2 s
// of training with the explorer's beta changed every 250 ms. Used by benches/training.mjs
// and benches/playground.mjs (against TensorFlow Playground, in the same browser).

import { openPage } from '../tests/browser/harness.mjs';
import { brief } from './brief.mjs';

/** Starts recording the page's animation frames. */
export function startFrameClock(page) {
  return page.evaluate(() => {
    window.frameTimes = [];
    window.measuring = true;
    const tick = (t) => {
      window.frameTimes.push(t);
      if (window.measuring) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/** Stops it: frames per second since the start, and the slowest frame (ms). */
export function stopFrameClock(page) {
  return page.evaluate(() => {
    window.measuring = false;
    const t = window.frameTimes;
    const intervals = t.slice(1).map((x, i) => x - t[i]);
    return { frames: (t.length - 1) / ((t[t.length - 1] - t[0]) / 1000), slowest: Math.max(...intervals) };
  });
}

/** The figures for the panel with `hidden` units a layer, on the site served at `url`. */
export async function livePanel(browser, url, hidden) {
  const page = await openPage(browser, `${url}?preset=cifar10-lt-100&backend=cpu&epochs=1000&hidden=${hidden}`, { width: 1400, height: 1000 });
  await page.waitForSelector('#weights-table tbody tr', { state: 'attached', timeout: 30_000 });
  await page.waitForFunction(() => !document.querySelector('#backend-badge')?.textContent.includes('looking'), null, { timeout: 30_000 });
  await page.click('#train-play');
  await page.waitForTimeout(200);
  const progress = () => page.evaluate(() => Number(document.querySelector('#train-progress').value));
  const before = await progress();
  await startFrameClock(page);
  await page.evaluate(() => {
    window.inputDelays = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.inputDelays.push(e.processingStart - e.startTime);
    }).observe({ type: 'event', durationThreshold: 16 });
  });
  const start = Date.now();
  // The panel's longest run (1,000 epochs) must outlast the window: hidden 8 trains fast.
  const windowMs = brief ? 300 : hidden <= 8 ? 1000 : 2000;
  for (let i = 0; Date.now() - start < windowMs; i++) {
    await page.fill('#beta-text', i % 2 ? '0.99' : '0.995');
    await page.press('#beta-text', 'Enter');
    await page.waitForTimeout(250);
  }
  const seconds = (Date.now() - start) / 1000;
  const after = await progress();
  const { frames, slowest } = await stopFrameClock(page);
  const delays = await page.evaluate(() => window.inputDelays);
  const total = await page.evaluate(() => Number(document.querySelector('#train-progress').max));
  if (after >= total) throw new Error(`the runs finished within the measurement (${after} of ${total} steps)`);
  await page.click('#train-pause');
  page.assertNoErrors();
  await page.close();
  // Three runs, batch 128 (the panel's).
  return {
    case: 'live panel', backend: 'cpu', hidden, samples_per_s: Math.round(((after - before) * 3 * 128) / seconds),
    fps: Math.round(frames * 10) / 10, slowest_frame_ms: Math.round(slowest), worst_input_delay_ms: Math.round(Math.max(0, ...delays)),
  };
}
