// Chromium entry of the benchmarks (bundled by tools/bench-browser.mjs into build/bench/): loads the
// core the way the app does (the build the engine supports best; fetch + instantiateStreaming) and
// offers window.runBench to puppeteer. Implementations: webswan-wasm, WebCrypto and hash-wasm,
// verified against WebCrypto.
import { CORE_FILES, bestCoreVariant, loadCore } from '../../src/crypto/index.js';
import { webCryptoRef } from '../support/ref-webcrypto.js';
import { hashWasmImpl } from './impl-hashwasm.js';
import { webCryptoImpl } from './impl-webcrypto.js';
import { webswanImpl } from './impl-webswan.js';
import type { BenchResult } from './report.js';
import { runBench } from './run.js';

declare global {
  interface Window {
    /** asmUrl: where the core's .wasm files are served, ending in '/'. */
    runBench(opts: { quick: boolean; asmUrl: string }): Promise<BenchResult>;
    /** Installed by puppeteer (page.exposeFunction); absent when the page is opened by hand. */
    benchProgress?(msg: string): Promise<void>;
  }
}

window.runBench = async ({ quick, asmUrl }) => {
  const variant = bestCoreVariant();
  const core = await loadCore(fetch(`${asmUrl}${CORE_FILES[variant]}`));
  const impls = [webswanImpl(core), webCryptoImpl, await hashWasmImpl()];
  const res = await runBench(impls, webCryptoRef, 'chromium', { quick, progress: (m) => void window.benchProgress?.(m) });
  res.env = {
    ...res.env, coreVariant: variant, coreFile: CORE_FILES[variant], userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
  };
  return res;
};
