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

export const randomBytes: Random = (n) => {
  const out = new Uint8Array(n);
  fillRandom(out);
  return out;
};
