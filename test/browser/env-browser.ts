// The Chromium test environment: the core fetched like the app fetches it, WebCrypto as platform and
// as reference implementation, test/vectors over HTTP from the test server.
import { loadCore, webCryptoPlatform } from '../../src/crypto/index.js';
import { type TestEnv, setEnv } from '../support/env.js';
import { webCryptoRef } from '../support/ref-webcrypto.js';

export function installBrowserEnv(): Promise<TestEnv> {
  const env = (async (): Promise<TestEnv> => ({
    name: 'chromium',
    core: await loadCore(fetch(new URL('../../build/asm/webswan-core.wasm', import.meta.url))),
    platform: webCryptoPlatform,
    ref: webCryptoRef,
    vectors: async (p: string) => {
      const res = await fetch(new URL(`../vectors/${p}`, import.meta.url));
      if (!res.ok) throw new Error(`vectors: ${p}: HTTP ${res.status}`);
      return res.json();
    },
  }))();
  setEnv(env);
  return env;
}
