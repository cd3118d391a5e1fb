// Page side of the core worker: spawn it as a module worker and wrap it with comlink.
import * as Comlink from 'comlink';
import type { CoreWorkerApi } from './core-worker.js';

export interface CoreWorkerHandle { api: Comlink.Remote<CoreWorkerApi>; worker: Worker }

export function startCoreWorker(): CoreWorkerHandle {
  const worker = new Worker(new URL('./core-worker.ts', import.meta.url), { type: 'module', name: 'webswan-core' });
  return { api: Comlink.wrap<CoreWorkerApi>(worker), worker };
}
