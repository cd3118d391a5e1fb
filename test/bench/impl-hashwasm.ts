// hash-wasm: the fastest general-purpose WASM hashing library on npm, as the yardstick for the core's
// HMAC. HMAC rows: createHMAC(createSHA256(), key) once, then init / update / digest per message.
// prf+ rows: one SHA-256 instance for the run, createHMAC with the new key per derivation. No ESP.
import { createHMAC, createSHA256 } from 'hash-wasm';
import type { Impl, Mac, Prf } from './harness.js';

export async function hashWasmImpl(): Promise<Impl> {
  const sha256 = createSHA256(); // one WASM instance, reused by every createHMAC below
  await sha256;
  const prfPlus: Prf = {
    sync: false,
    async derive(key, seed, len) {
      const h = await createHMAC(sha256, key); // pads the new key: once per derivation
      const out = new Uint8Array(len);
      const n = new Uint8Array(1);
      let t: Uint8Array = new Uint8Array(0);
      for (let i = 1, o = 0; o < len; i++, o += 32) {
        n[0] = i;
        h.init();
        h.update(t); h.update(seed); h.update(n);
        t = h.digest('binary');
        out.set(t.subarray(0, Math.min(32, len - o)), o);
      }
      return out;
    },
  };
  return {
    name: 'hash-wasm',
    async hmacSha256(key): Promise<Mac> {
      const h = await createHMAC(createSHA256(), key);
      return { sync: true, mac: (msg) => { h.init(); h.update(msg); return h.digest('binary'); } };
    },
    prfPlusSha256: prfPlus,
  };
}
