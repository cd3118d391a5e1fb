// The built app (dist/, what `npm start` serves) in headless Chromium: the page loads, the self-test
// (the lab app's #selftest dialog) runs in the module worker with the bundled WASM, nothing is logged as an error, and once the service
// worker has cached it the app reloads with the server gone (offline).
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import puppeteer, { type Browser } from 'puppeteer-core';
import { projectRoot } from './env-node.js';
import { equal, ok } from '../support/assert.js';

const root = projectRoot();

/** The self-test view, which the lab app shows in a dialog when the page is opened at #selftest. */
async function summaryOf(page: import('puppeteer-core').Page): Promise<{ passed: string; failed: string; text: string }> {
  const view = () => document.querySelector('ws-lab-app')?.shadowRoot?.querySelector('webswan-app')?.shadowRoot;
  await page.waitForFunction(`(${view.toString()})()?.querySelector('.summary[data-passed]')`, { timeout: 30000 });
  return page.evaluate((src) => {
    const s = (new Function(`return (${src})()`)() as ShadowRoot).querySelector('.summary')!;
    return { passed: s.getAttribute('data-passed')!, failed: s.getAttribute('data-failed')!, text: s.textContent ?? '' };
  }, view.toString());
}

describe('built web app (dist/)', () => {
  let server: Server | undefined;
  let browser: Browser | undefined;
  const profile = mkdtempSync(join(tmpdir(), 'webswan-chromium-'));
  after(async () => {
    await browser?.close();
    server?.close();
    server?.closeAllConnections();
    rmSync(profile, { recursive: true, force: true });
  });

  it('serves, runs the self-test in its worker, and works offline after the first visit', async () => {
    const { serveDir } = await import(join(root, 'tools', 'serve.mjs'));
    server = await serveDir(join(root, 'dist'), { port: 0 }) as Server;
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await puppeteer.launch({
      executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
      headless: true,
      userDataDir: profile,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));

    const res = await page.goto(`${url}#selftest`, { waitUntil: 'load' });
    equal(res?.status(), 200, 'HTTP status');
    const first = await summaryOf(page);
    equal(first.failed, '0', `self-test failures: ${first.text}`);
    ok(Number(first.passed) >= 29, 'all checks ran');
    ok(first.text.includes('webcrypto'), 'the browser uses WebCrypto for ECDH');
    ok(first.text.includes('relaxed-simd core'), `Chromium gets the relaxed-SIMD build: ${first.text}`);

    await page.evaluate(async () => { await navigator.serviceWorker.ready; });
    // the precache (workbox adds ?__WB_REVISION__ to each URL) must hold the worker chunk and the WASM
    await page.waitForFunction(async () => {
      const urls: string[] = [];
      for (const k of await caches.keys()) for (const r of await (await caches.open(k)).keys()) urls.push(r.url);
      return urls.some((u) => /\.wasm\b/.test(u)) && urls.some((u) => /core-worker-/.test(u));
    }, { timeout: 20000, polling: 200 });

    server.close();
    server.closeAllConnections();
    server = undefined;
    const offline = await page.reload({ waitUntil: 'load' });
    ok(offline?.fromServiceWorker(), 'reload answered by the service worker');
    const second = await summaryOf(page);
    equal(second.failed, '0', 'self-test offline');
    equal(errors.filter((e) => !/favicon/.test(e)).length, 0, `console errors: ${errors.join(' | ')}`);
  });
});
