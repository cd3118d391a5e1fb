// A module Web Worker that owns one crypto core; the page talks to it through comlink. Later issues
// grow this into the router worker (engine + console) — nothing protocol-related runs on the main thread.
import * as Comlink from 'comlink';
import { type Core, bestCoreVariant, loadCore, selftest, type SelftestReport } from '../../crypto/index.js';

let core: Promise<Core> | undefined;
function getCore(): Promise<Core> {
  // both URLs are literal so that the bundler emits (and the service worker precaches) both builds
  const url = bestCoreVariant() === 'relaxed-simd'
    ? new URL('../../../build/asm/webswan-core-rsimd.wasm', import.meta.url)
    : new URL('../../../build/asm/webswan-core.wasm', import.meta.url);
  core ??= loadCore(fetch(url));
  return core;
}

const api = {
  ping(): string { return 'pong'; },
  inWorker(): boolean { return typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined'; },
  async selftest(): Promise<SelftestReport> { return selftest(await getCore()); },
};

export type CoreWorkerApi = typeof api;
Comlink.expose(api);
