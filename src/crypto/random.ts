// The one door to randomness (ARCHITECTURE.md): the platform CSPRNG, crypto.getRandomValues, which
// browsers, workers, Node ≥ 19, Deno and workerd all provide. Callers that need determinism (tests)
// inject their own Random instead of patching this one.
import type { Bytes } from './bytes.js';

export type Random = (n: number) => Bytes;

const MAX_CALL = 65536; // getRandomValues refuses more per call

export function fillRandom(dst: Uint8Array): void {
  for (let o = 0; o < dst.length; o += MAX_CALL) {
    globalThis.crypto.getRandomValues(dst.subarray(o, Math.min(dst.length, o + MAX_CALL)));
  }
}

/**
 * Small requests (nonces, SPIs, IVs: most of an IKE handshake's calls) are served from a pool filled by one
 * getRandomValues call; each byte is handed out once and zeroed in the pool as it leaves.
 */
const POOL = 4096, SMALL = 256;
const pool = new Uint8Array(POOL);
let poolPos = POOL;

export const randomBytes: Random = (n) => {
  const out = new Uint8Array(n);
  if (n > SMALL) { fillRandom(out); return out; }
  if (poolPos + n > POOL) { fillRandom(pool); poolPos = 0; }
  out.set(pool.subarray(poolPos, poolPos + n));
  pool.fill(0, poolPos, poolPos + n);
  poolPos += n;
  return out;
};
