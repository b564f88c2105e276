// Helpers for CB Lab's browser tests: a static server for the built site, headless Chromium,
// pages that collect every error, and screenshots under target/screenshots/.

import { createServer } from 'node:http';
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

/** The repository root (this file is tests/browser/harness.mjs). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The value of an environment variable the tests need, or a clear error. */
export function requireEnv(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the browser tests through \`cargo xtask test\``);
  }
  return value;
}

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/plain; charset=utf-8',
};

/**
 * Serves the folder `dir` over HTTP on 127.0.0.1, on a free port.
 * GET and HEAD only; `/` and folders give their index.html; `..` is refused.
 * @returns {Promise<{url: string, close: () => Promise<void>}>} url ends with `/`.
 */
export async function serveDist(dir) {
  const root = path.resolve(dir);
  const server = createServer(async (request, response) => {
    const send = (status, body, type = 'text/plain; charset=utf-8') => {
      response.writeHead(status, { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'no-cache' });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      return send(405, Buffer.from('405 Method Not Allowed\n'));
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    } catch {
      return send(400, Buffer.from('400 Bad Request\n'));
    }
    const segments = pathname.split('/');
    if (segments.includes('..') || pathname.includes('\\') || pathname.includes('\0')) {
      return send(400, Buffer.from('400 Bad Request\n'));
    }
    let file = path.join(root, ...segments.filter((segment) => segment !== ''));
    try {
      if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
      const body = await readFile(file);
      const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
      send(200, body, type);
    } catch {
      send(404, Buffer.from('404 Not Found\n'));
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The built site (CBLAB_DIST) served and headless Chromium launched for the test file that
 * calls this at its top: registers node:test's `before` and `after` hooks, and returns an
 * object whose `url` (ends with `/`) and `browser` are set once `before` has run.
 */
export function useSite() {
  const site = { url: '', browser: null, server: null };
  before(async () => {
    site.server = await serveDist(requireEnv('CBLAB_DIST'));
    site.url = site.server.url;
    site.browser = await launch();
  });
  after(async () => {
    await site.browser?.close();
    await site.server?.close();
  });
  return site;
}

/**
 * Headless Chromium from the system (/usr/bin/chromium, installed by `cargo xtask install`).
 * `webgpu: true` turns WebGPU on (Chromium's software SwiftShader adapter); without it,
 * `navigator.gpu.requestAdapter()` gives null, which exercises the CPU fallback.
 */
export function launch({ webgpu = false } = {}) {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      ...(webgpu ? ['--enable-unsafe-webgpu'] : []),
    ],
  });
}

/**
 * Opens `url` in a new page of the given size (other options go to the new browser context:
 * `hasTouch`, `colorScheme`, `permissions`, ...). The page records into `page.errors` every
 * console error, every uncaught page error, every failed request and every HTTP error
 * response; `page.assertNoErrors()` throws, listing them, if there are any. A request that
 * the browser cancelled because the test moved the page to a new document (`page.goto`
 * while, say, the favicon was still on its way) is not the page's failure and is left out.
 */
export async function openPage(browser, url, { width = 1280, height = 800, ...context } = {}) {
  const page = await browser.newPage({ viewport: { width, height }, ...context });
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') {
      const { url: where, lineNumber } = message.location();
      errors.push(`console error: ${message.text()}${where ? ` (${where}:${lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.stack || error.message}`));
  // Which document each request began in, counted by main-frame navigations; whether an
  // abort came from leaving its document is decided when the errors are read, since the
  // abort and the new document's navigation event may arrive in either order.
  let documents = 0;
  const documentOf = new WeakMap();
  const aborted = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) documents += 1;
  });
  page.on('request', (request) => documentOf.set(request, documents));
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText;
    const message = `request failed: ${request.method()} ${request.url()}: ${reason}`;
    if (reason === 'net::ERR_ABORTED') aborted.push({ message, document: documentOf.get(request) });
    else errors.push(message);
  });
  const current = () => [...errors, ...aborted.filter((a) => a.document === documents).map((a) => a.message)];
  page.on('response', (response) => {
    if (response.status() >= 400) {
      errors.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
    }
  });
  Object.defineProperty(page, 'errors', { get: current });
  page.assertNoErrors = () => {
    const found = current();
    if (found.length > 0) {
      throw new Error(`the page reported ${found.length} error(s):\n  ${found.join('\n  ')}`);
    }
  };
  await page.goto(url, { waitUntil: 'load' });
  return page;
}

/** Saves a full-page PNG to target/screenshots/<name>.png and returns its path. */
export async function screenshot(page, name) {
  const dir = path.join(repoRoot, 'target', 'screenshots');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  // Panels off screen are not rendered (content-visibility: auto), and a full-page picture
  // would show them as empty boxes: render them all first (CSSOM, which the page's CSP allows).
  const scrolled = await page.evaluate(() => {
    for (const panel of document.querySelectorAll('main .panel')) panel.style.contentVisibility = 'visible';
    return new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(window.scrollY))));
  });
  // A chart off screen has no pixels (src/site/figures.rs): a window as tall as the page
  // brings every one on screen, and they are drawn, before the picture.
  // Panels that come on screen take their real height, so grow it until the page holds still.
  // Not in presentation mode: a slide is sized to the window, and its picture is of one window.
  const size = page.viewportSize();
  const presenting = await page.evaluate(() => document.querySelector('.presenting') !== null);
  let height = size?.height ?? 0;
  for (let i = 0; size && !presenting && i < 4; i++) {
    const page_height = await page.evaluate(() => document.documentElement.scrollHeight);
    if (page_height <= height) break;
    height = page_height;
    await page.setViewportSize({ width: size.width, height });
    await page.evaluate(() => new Promise((r) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(r)), 300)));
  }
  await page.screenshot({ path: file, fullPage: true });
  if (size && height > size.height) {
    await page.setViewportSize(size);
    await page.evaluate((y) => window.scrollTo(0, y), scrolled);
  }
  return file;
}

/**
 * Saves a PNG of one element (`locator`) to target/screenshots/<name>.png. A chart off screen
 * has no pixels (src/site/figures.rs), so the window is made as tall as the element, the
 * element brought into view, and its canvases waited for until drawn, before the picture.
 */
export async function screenshotOf(page, locator, name) {
  const dir = path.join(repoRoot, 'target', 'screenshots');
  await mkdir(dir, { recursive: true });
  const size = page.viewportSize();
  const height = Math.ceil((await locator.boundingBox())?.height ?? 0) + 40;
  if (size && height > size.height) await page.setViewportSize({ width: size.width, height });
  await bringIntoView(page, locator);
  await locator.evaluate(async (element) => {
    const shown = () => [...element.querySelectorAll('canvas')].filter((c) => c.getBoundingClientRect().height > 0);
    for (let i = 0; i < 50 && shown().some((c) => c.width === 0); i++) await new Promise((r) => setTimeout(r, 100));
    // The words that wait for the state to rest (120 ms) catch up too.
    await new Promise((r) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(r)), 300));
  });
  const file = path.join(dir, `${name}.png`);
  await locator.screenshot({ path: file });
  if (size && height > size.height) await page.setViewportSize(size);
  return file;
}

/**
 * Scrolls `locator` into view and waits until it holds still: panels off screen are not laid
 * out (content-visibility: auto), so the ones that come on screen take their real height in
 * the next frames and may move it. Use before reading a bounding box for the mouse.
 */
export async function bringIntoView(page, locator) {
  const frames = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  let box = null;
  for (let i = 0; i < 5; i++) {
    await locator.scrollIntoViewIfNeeded();
    await frames();
    const now = await locator.boundingBox();
    if (box && now && now.x === box.x && now.y === box.y) return now;
    box = now;
  }
  return box;
}
