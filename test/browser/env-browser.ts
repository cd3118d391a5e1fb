// The Chromium test environment: the core fetched like the app fetches it, WebCrypto as platform and
// as reference implementation, test/vectors over HTTP from the test server.
import { type CoreVariant, CORE_FILES, bestCoreVariant, loadCore, webCryptoPlatform } from '../../src/crypto/index.js';
import { type TestEnv, setEnv } from '../support/env.js';
import { webCryptoRef } from '../support/ref-webcrypto.js';

/** `variant`: which build of the core (default: the one the app picks here, i.e. relaxed SIMD). */
export function installBrowserEnv(variant: CoreVariant = bestCoreVariant()): Promise<TestEnv> {
  const env = (async (): Promise<TestEnv> => ({
    name: 'chromium',
    core: await loadCore(fetch(new URL(`../../build/asm/${CORE_FILES[variant]}`, import.meta.url))),
    platform: webCryptoPlatform,
    ref: webCryptoRef,
    vectors: async (p: string) => {
      const res = await fetch(new URL(`../vectors/${p}`, import.meta.url));
      if (!res.ok) throw new Error(`vectors: ${p}: HTTP ${res.status}`);
      return res.json();
    },
    text: async (p: string) => {
      const res = await fetch(new URL(`../vectors/${p}`, import.meta.url));
      if (!res.ok) throw new Error(`vectors: ${p}: HTTP ${res.status}`);
      return res.text();
    },
  }))();
  setEnv(env);
  return env;
}
