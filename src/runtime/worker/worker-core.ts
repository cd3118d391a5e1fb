// The crypto core of a module worker: the best build this browser runs, loaded once per worker.
import { type Core, bestCoreVariant, loadCore } from '../../crypto/index.js';

let core: Promise<Core> | undefined;

export function getCore(): Promise<Core> {
  // both URLs are literal so that the bundler emits (and the service worker precaches) both builds
  const url = bestCoreVariant() === 'relaxed-simd'
    ? new URL('../../../build/asm/webswan-core-rsimd.wasm', import.meta.url)
    : new URL('../../../build/asm/webswan-core.wasm', import.meta.url);
  core ??= loadCore(fetch(url));
  return core;
}
