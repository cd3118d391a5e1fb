// The reference implementations the differential tests compare against: crypto we did not write.
// In Chromium that is WebCrypto; in Node it is node:crypto (OpenSSL). Both expose the same interface.
import type { Bytes, HashAlg } from '../../src/crypto/index.js';

export interface RefCrypto {
  name: 'webcrypto' | 'node-crypto';
  /** Shortest GCM IV the reference accepts with a 192-bit key (noble stands in for WebCrypto there). */
  gcmMinIv192: number;
  sha(alg: HashAlg, data: Bytes): Promise<Bytes>;
  hmac(alg: HashAlg, key: Bytes, data: Bytes): Promise<Bytes>;
  /** Raw CBC (no padding) over whole blocks. */
  cbcEncrypt(key: Bytes, iv: Bytes, data: Bytes): Promise<Bytes>;
  cbcDecrypt(key: Bytes, iv: Bytes, data: Bytes): Promise<Bytes>;
  /** CTR with a 32-bit big-endian counter in the last four bytes (as GCM). */
  ctr32(key: Bytes, counter: Bytes, data: Bytes): Promise<Bytes>;
  /** AES-GCM, 16-byte tag appended. */
  gcmSeal(key: Bytes, iv: Bytes, aad: Bytes, pt: Bytes): Promise<Bytes>;
  /** null when the tag does not verify. */
  gcmOpen(key: Bytes, iv: Bytes, aad: Bytes, sealed: Bytes): Promise<Bytes | null>;
}

/** prf+ (RFC 7296 §2.13) on the reference HMAC, for differential tests of the core's prf+. */
export async function refPrfPlus(ref: RefCrypto, alg: HashAlg, key: Bytes, seed: Bytes, len: number): Promise<Bytes> {
  const out = new Uint8Array(len);
  let t = new Uint8Array(0);
  for (let n = 1, o = 0; o < len; n++) {
    const msg = new Uint8Array(t.length + seed.length + 1);
    msg.set(t); msg.set(seed, t.length); msg[msg.length - 1] = n;
    t = await ref.hmac(alg, key, msg) as Uint8Array<ArrayBuffer>;
    out.set(t.subarray(0, Math.min(t.length, len - o)), o);
    o += t.length;
  }
  return out;
}
