// A module Web Worker that owns one crypto core; the page talks to it through comlink. Later issues
// grow this into the router worker (engine + console) — nothing protocol-related runs on the main thread.
import * as Comlink from 'comlink';
import { selftest, type SelftestReport } from '../../crypto/index.js';
import { getCore } from './worker-core.js';


const api = {
  ping(): string { return 'pong'; },
  inWorker(): boolean { return typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined'; },
  async selftest(): Promise<SelftestReport> { return selftest(await getCore()); },
};

export type CoreWorkerApi = typeof api;
Comlink.expose(api);
