// Incremental hashing over SHA-1 / SHA-256 / SHA-384 / SHA-512 (FIPS 180-4) with one context layout,
// so HMAC and prf+ are written once for every IKEv2 PRF and ESP integrity algorithm.
//
// Context layout (HASH_CTX_SIZE bytes, owned by the caller):
//   0 u32 alg   4 u32 buffered bytes   8 u64 total bytes   16 state (64)   80 buffer (128)
// Full blocks are compressed straight from the caller's memory; only a partial block is buffered.
import { sha1Blocks } from './sha1';
import { sha256Blocks } from './sha256';
import { sha512Blocks } from './sha512';
import { H256, H384, H512 } from './sha-constants';
import { storeBe32, storeBe64 } from './ct';

export const HASH_SHA1: u32 = 1;
export const HASH_SHA256: u32 = 2;
export const HASH_SHA384: u32 = 3;
export const HASH_SHA512: u32 = 4;
export const HASH_CTX_SIZE: u32 = 208;

const O_ALG = 0, O_BUFLEN = 4, O_TOTAL = 8, O_STATE = 16, O_BUF = 80;

export function hashBlockLen(alg: u32): u32 { return alg >= HASH_SHA384 ? 128 : 64; }
export function hashDigestLen(alg: u32): u32 {
  if (alg == HASH_SHA1) return 20;
  if (alg == HASH_SHA256) return 32;
  if (alg == HASH_SHA384) return 48;
  if (alg == HASH_SHA512) return 64;
  return 0;
}
export function hashStateLen(alg: u32): u32 { return alg >= HASH_SHA384 ? 64 : (alg == HASH_SHA1 ? 20 : 32); }

@inline export function hashStatePtr(ctx: usize): usize { return ctx + O_STATE; }

function compress(alg: u32, state: usize, p: usize, n: usize): void {
  if (alg == HASH_SHA256) sha256Blocks(state, p, n);
  else if (alg == HASH_SHA1) sha1Blocks(state, p, n);
  else sha512Blocks(state, p, n);
}

/** Start a hash; returns 0, or -1 for an unknown algorithm. */
export function hash_init(ctx: usize, alg: u32): i32 {
  const s = ctx + O_STATE;
  if (alg == HASH_SHA1) {
    store<u32>(s, 0x67452301, 0); store<u32>(s, 0xefcdab89, 4); store<u32>(s, 0x98badcfe, 8);
    store<u32>(s, 0x10325476, 12); store<u32>(s, 0xc3d2e1f0, 16);
  } else if (alg == HASH_SHA256) {
    for (let i = 0; i < 8; i++) store<u32>(s + (i << 2), unchecked(H256[i]));
  } else if (alg == HASH_SHA384) {
    for (let i = 0; i < 8; i++) store<u64>(s + (i << 3), unchecked(H384[i]));
  } else if (alg == HASH_SHA512) {
    for (let i = 0; i < 8; i++) store<u64>(s + (i << 3), unchecked(H512[i]));
  } else {
    return -1;
  }
  store<u32>(ctx, alg, O_ALG);
  store<u32>(ctx, 0, O_BUFLEN);
  store<u64>(ctx, 0, O_TOTAL);
  return 0;
}

/** Resume from a saved intermediate state (an HMAC pad midstate) that has absorbed `done` bytes. */
export function hashResume(ctx: usize, alg: u32, state: usize, done: u64): void {
  store<u32>(ctx, alg, O_ALG);
  store<u32>(ctx, 0, O_BUFLEN);
  store<u64>(ctx, done, O_TOTAL);
  memory.copy(ctx + O_STATE, state, 64);
}

export function hash_update(ctx: usize, p: usize, len: usize): void {
  const alg = load<u32>(ctx, O_ALG);
  const bl = <usize>hashBlockLen(alg);
  let buflen = <usize>load<u32>(ctx, O_BUFLEN);
  store<u64>(ctx, load<u64>(ctx, O_TOTAL) + <u64>len, O_TOTAL);
  if (buflen > 0) {
    const take = min(bl - buflen, len);
    memory.copy(ctx + O_BUF + buflen, p, take);
    buflen += take; p += take; len -= take;
    if (buflen < bl) { store<u32>(ctx, <u32>buflen, O_BUFLEN); return; }
    compress(alg, ctx + O_STATE, ctx + O_BUF, 1);
    buflen = 0;
  }
  const n = len / bl;
  if (n > 0) compress(alg, ctx + O_STATE, p, n);
  const rest = len - n * bl;
  memory.copy(ctx + O_BUF, p + n * bl, rest);
  store<u32>(ctx, <u32>rest, O_BUFLEN);
}

/** Pad, write the big-endian digest to `out`, and wipe the context. */
export function hash_final(ctx: usize, out: usize): void {
  const alg = load<u32>(ctx, O_ALG);
  const bl = <usize>hashBlockLen(alg);
  const lenField: usize = bl == 128 ? 16 : 8;
  let buflen = <usize>load<u32>(ctx, O_BUFLEN);
  const bits = load<u64>(ctx, O_TOTAL) << 3;
  const buf = ctx + O_BUF;
  store<u8>(buf + buflen, 0x80);
  buflen++;
  if (buflen > bl - lenField) {
    memory.fill(buf + buflen, 0, bl - buflen);
    compress(alg, ctx + O_STATE, buf, 1);
    buflen = 0;
  }
  memory.fill(buf + buflen, 0, bl - buflen);
  storeBe64(buf + bl - 8, bits); // the upper half of SHA-512's 128-bit length stays 0
  compress(alg, ctx + O_STATE, buf, 1);
  const s = ctx + O_STATE;
  const dl = <usize>hashDigestLen(alg);
  if (bl == 64) {
    for (let i: usize = 0; i < dl; i += 4) storeBe32(out + i, load<u32>(s + i));
  } else {
    for (let i: usize = 0; i < dl; i += 8) storeBe64(out + i, load<u64>(s + i));
  }
  memory.fill(ctx, 0, HASH_CTX_SIZE);
}

/** Export the raw intermediate state (for HMAC midstates) without finalising. */
export function hashSaveState(ctx: usize, dst: usize): void { memory.copy(dst, ctx + O_STATE, 64); }
