// HMAC (RFC 2104) over SHA-1/256/384/512 with precomputed pad midstates, and the IKEv2 PRFs built
// on it: prf and prf+ (RFC 7296 §2.13, RFC 4868 §2.1 PRF_HMAC_SHA2_*, RFC 2104 PRF_HMAC_SHA1).
// The ESP integrity transforms (RFC 2404, RFC 4868) are this HMAC truncated by the caller.
//
// Key context (HMAC_CTX_SIZE bytes): 0 u32 alg   16 inner midstate (64)   80 outer midstate (64).
// Keying costs two compressions once; each message then costs its own blocks plus one outer block.
import {
  HASH_CTX_SIZE, hash_init, hash_update, hash_final, hashBlockLen, hashDigestLen, hashResume, hashSaveState,
} from './hash';
import { wipe } from './ct';

export const HMAC_CTX_SIZE: u32 = 144;
const O_ALG = 0, O_INNER = 16, O_OUTER = 80;

const KEYBLOCK = memory.data(128, 16);
const HCTX = memory.data(<i32>HASH_CTX_SIZE, 16);
const DIGEST = memory.data(64, 16);

/** Key an HMAC context; returns 0, or -1 for an unknown algorithm. */
export function hmac_init(ctx: usize, alg: u32, key: usize, keyLen: usize): i32 {
  if (hash_init(HCTX, alg) != 0) return -1;
  const bl = <usize>hashBlockLen(alg);
  memory.fill(KEYBLOCK, 0, 128);
  if (keyLen > bl) { // RFC 2104 §2: keys longer than a block are hashed first
    hash_update(HCTX, key, keyLen);
    hash_final(HCTX, KEYBLOCK);
  } else {
    memory.copy(KEYBLOCK, key, keyLen);
  }
  store<u32>(ctx, alg, O_ALG);
  for (let i: usize = 0; i < bl; i++) store<u8>(KEYBLOCK + i, load<u8>(KEYBLOCK + i) ^ 0x36);
  hash_init(HCTX, alg);
  hash_update(HCTX, KEYBLOCK, bl);
  hashSaveState(HCTX, ctx + O_INNER);
  for (let i: usize = 0; i < bl; i++) store<u8>(KEYBLOCK + i, load<u8>(KEYBLOCK + i) ^ (0x36 ^ 0x5c));
  hash_init(HCTX, alg);
  hash_update(HCTX, KEYBLOCK, bl);
  hashSaveState(HCTX, ctx + O_OUTER);
  wipe(KEYBLOCK, 128);
  wipe(HCTX, HASH_CTX_SIZE);
  return 0;
}

export function hmacAlg(ctx: usize): u32 { return load<u32>(ctx, O_ALG); }

/** Begin a MAC in the hash context `h`: feed the message with hash_update, end with hmac_finish. */
export function hmac_begin(ctx: usize, h: usize): void {
  const alg = load<u32>(ctx, O_ALG);
  hashResume(h, alg, ctx + O_INNER, <u64>hashBlockLen(alg));
}

/** Finish the MAC started in `h`; writes the full-length tag (digest length of the hash) to `out`. */
export function hmac_finish(ctx: usize, h: usize, out: usize): void {
  const alg = load<u32>(ctx, O_ALG);
  hash_final(h, DIGEST);
  hashResume(h, alg, ctx + O_OUTER, <u64>hashBlockLen(alg));
  hash_update(h, DIGEST, hashDigestLen(alg));
  hash_final(h, out);
  wipe(DIGEST, 64);
}

/** One-shot full-length HMAC of `len` bytes at `p`. */
export function hmac_mac(ctx: usize, p: usize, len: usize, out: usize): void {
  hmac_begin(ctx, HCTX);
  hash_update(HCTX, p, len);
  hmac_finish(ctx, HCTX, out);
}

const PRF_KEY = memory.data(<i32>HMAC_CTX_SIZE, 16);
const T = memory.data(64, 16);
const COUNTER = memory.data(16, 16);

/**
 * prf+ (RFC 7296 §2.13): T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n), output T1 | T2 | ...
 * truncated to outLen. Returns 0, -1 for an unknown algorithm, -2 if more than 255 blocks are asked.
 */
export function prf_plus(alg: u32, key: usize, keyLen: usize, seed: usize, seedLen: usize, out: usize, outLen: usize): i32 {
  const dl = <usize>hashDigestLen(alg);
  if (dl == 0) return -1;
  if (outLen > dl * 255) return -2;
  hmac_init(PRF_KEY, alg, key, keyLen);
  let done: usize = 0;
  for (let n: u32 = 1; done < outLen; n++) {
    hmac_begin(PRF_KEY, HCTX);
    if (n > 1) hash_update(HCTX, T, dl);
    hash_update(HCTX, seed, seedLen);
    store<u8>(COUNTER, <u8>n);
    hash_update(HCTX, COUNTER, 1);
    hmac_finish(PRF_KEY, HCTX, T);
    const take = min(dl, outLen - done);
    memory.copy(out + done, T, take);
    done += take;
  }
  wipe(T, 64);
  wipe(PRF_KEY, HMAC_CTX_SIZE);
  return 0;
}

/** prf(K, S) = HMAC(K, S) at full length (RFC 7296 §2.13); returns 0 or -1. */
export function prf(alg: u32, key: usize, keyLen: usize, data: usize, dataLen: usize, out: usize): i32 {
  if (hmac_init(PRF_KEY, alg, key, keyLen) != 0) return -1;
  hmac_mac(PRF_KEY, data, dataLen, out);
  wipe(PRF_KEY, HMAC_CTX_SIZE);
  return 0;
}
