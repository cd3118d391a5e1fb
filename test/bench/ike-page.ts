// Chromium entry of npm run bench:ike (bundled by tools/bench-ike.mjs into build/bench/): the in-process
// handshake benchmark (test/bench/ike-handshake.ts) on WebCrypto ECDH and the WASM core loaded as the app
// loads it; offers window.runIkeBench to puppeteer.
import { CORE_FILES, bestCoreVariant, loadCore } from '../../src/crypto/index.js';
import { type IkeBenchResult, runIkeBench } from './ike-handshake.js';

declare global {
  interface Window {
    runIkeBench(opts: { quick: boolean; asmUrl: string }): Promise<IkeBenchResult>;
    benchProgress?(msg: string): Promise<void>;
  }
}

window.runIkeBench = async ({ quick, asmUrl }) => {
  const variant = bestCoreVariant();
  const core = await loadCore(fetch(`${asmUrl}${CORE_FILES[variant]}`));
  const res = await runIkeBench(core, 'chromium', { quick, progress: (m) => void window.benchProgress?.(m) });
  res.env = {
    ...res.env, coreVariant: variant, coreFile: CORE_FILES[variant], userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
  };
  return res;
};
