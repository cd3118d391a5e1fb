// AES-128/192/256 block cipher (FIPS-197) in constant time, and the ECB / CBC (SP 800-38A) / CTR
// (SP 800-38D inc32) modes the rest of the core needs.
//
// Design: "vector permute" AES after Hamburg (CHES 2009), re-derived for WASM SIMD. Why this design:
// - constant time: the only non-linear step, inversion in GF(2^8), is done with i8x16.swizzle lookups
//   of 4-bit nibbles in 16-byte tables held in a register — pshufb / tbl on the host CPU, whose timing
//   does not depend on the index. The tables are loaded from fixed addresses; no memory access is
//   indexed by secret data and no branch depends on it.
// - one block at a time is fast, which CBC encryption (inherently serial) needs; a bitsliced AES would
//   waste 7/8 of its work there. Parallel modes (CTR, CBC decryption) interleave four blocks so the
//   CPU overlaps their dependency chains.
//
// The state lives in a tower-field basis F = GF(16)[θ]/(θ² + aθ + a) (a byte (i << 4) | k is iθ + k).
// Inverting X = iθ + k needs the norm N = a·i² + a·ik + k², which multiplies two variable nibbles —
// impossible with one lookup. With j = i ^ k and 1/0 encoded as 0x80 ("infinity", any later lookup
// gives 0), the identities
//     io = j ^ 1/(1/i ^ a/k) = N/(k + a·i)        jo = i ^ 1/(1/j ^ a/k) = N/(k + a·j)
//     1/X = (i/N)θ + (a·i + k)/N = U(io) ^ T(jo),  U(n) = ((1+a)/(a²n))θ + 1/n,  T(n) = (1/(a²n))θ
// give 1/X from single-nibble lookups only (5 swizzles). U and T are then composed with whatever
// linear map the round needs (the S-box affine layer, ×2 for MixColumns, ×9/11/13/14 for
// InvMixColumns, basis changes) into the output tables of aes-tables.ts, generated and checked
// exhaustively by tools/gen-aes-vperm.mjs. The affine constant and basis are folded into round keys.
//
// Context layout (AES_CTX_SIZE bytes): 0 u32 rounds   16 encryption keys (15 × 16)
//   256 decryption keys (15 × 16), stored in the order they are used.
import {
  IN_LO, IN_HI, INV, AK, SB_U, SB_T, SB2_U, SB2_T, SBL_U, SBL_T, PSI_LO, PSI_HI,
  D14_U, D14_T, D11_U, D11_T, D13_U, D13_T, D9_U, D9_T, DL_U, DL_T, C_ENC, C_DEC, SBOX_CONST, NIBBLE,
  SR, INV_SR, R1, SR_R1, SR_R2, SR_R3, R1_INV_SR,
} from './aes-tables';
import { wipe } from './ct';

export const AES_CTX_SIZE: u32 = 512;
const O_NR = 0, O_ENC = 16, O_DEC = 256;

// hi4 shifts 16-bit lanes and masks: V8 expands i8x16.shr_u into five instructions on x64, this is two.
@inline function lo4(x: v128): v128 { return v128.and(x, NIBBLE()); }
@inline function hi4(x: v128): v128 { return v128.and(i16x8.shr_u(x, 4), NIBBLE()); }
// Every index reaching lut() is a nibble (0–15) or "infinity" (0x80–0x8F). For those, relaxed_swizzle
// is fully specified — a[i] below 16, 0 from 128 up — so the relaxed-SIMD build (used where the engine
// has it) computes exactly what swizzle does, without the range fix-up V8 adds to every swizzle on x64.
@inline function lut(t: v128, i: v128): v128 {
  return ASC_FEATURE_RELAXED_SIMD ? i8x16.relaxed_swizzle(t, i) : i8x16.swizzle(t, i);
}
@inline function xor(a: v128, b: v128): v128 { return v128.xor(a, b); }
/** A GF(2)-linear byte map given by its values on the low and the high nibble. */
@inline function linear(x: v128, lo: v128, hi: v128): v128 { return xor(lut(lo, lo4(x)), lut(hi, hi4(x))); }
/** One half of the nibble inversion: 1/(1/p ^ a/k) ^ q. io = half(i, j), jo = half(j, i). */
@inline function half(p: v128, q: v128, ak: v128): v128 { return xor(lut(INV(), xor(lut(INV(), p), ak)), q); }

// ---- encryption: state in the tower basis ------------------------------------------------------------
@inline function encFirst(p: v128, k: v128): v128 { return xor(linear(p, IN_LO(), IN_HI()), k); }

@inline function encRound(x: v128, k: v128): v128 {
  const hi = hi4(x), lo = lo4(x), j = xor(hi, lo), ak = lut(AK(), lo);
  const io = half(hi, j, ak), jo = half(j, hi, ak);
  const s = xor(lut(SB_U(), io), lut(SB_T(), jo));     // SubBytes (constant folded into k)
  const s2 = xor(lut(SB2_U(), io), lut(SB2_T(), jo));  // 2 · SubBytes
  // ShiftRows + MixColumns: out[r] = 2s[r] ^ 3s[r+1] ^ s[r+2] ^ s[r+3] within each shifted column
  return xor(xor(SR(s2), SR_R1(xor(s, s2))), xor(xor(SR_R2(s), SR_R3(s)), k));
}

@inline function encLast(x: v128, k: v128): v128 {
  const hi = hi4(x), lo = lo4(x), j = xor(hi, lo), ak = lut(AK(), lo);
  const io = half(hi, j, ak), jo = half(j, hi, ak);
  return xor(SR(xor(lut(SBL_U(), io), lut(SBL_T(), jo))), k); // back in the standard basis
}

// ---- decryption: state in the basis ψ = φ ∘ (inverse affine), so it can be inverted directly -------
@inline function decFirst(c: v128, k: v128): v128 { return xor(linear(INV_SR(c), PSI_LO(), PSI_HI()), k); }

@inline function decRound(x: v128, k: v128): v128 {
  const hi = hi4(x), lo = lo4(x), j = xor(hi, lo), ak = lut(AK(), lo);
  const io = half(hi, j, ak), jo = half(j, hi, ak);
  // InvMixColumns: out[r] = 14v[r] ^ 11v[r+1] ^ 13v[r+2] ^ 9v[r+3], then InvShiftRows
  const w2 = xor(xor(lut(D13_U(), io), lut(D13_T(), jo)), R1(xor(lut(D9_U(), io), lut(D9_T(), jo))));
  const w1 = xor(xor(lut(D11_U(), io), lut(D11_T(), jo)), R1(w2));
  return xor(xor(INV_SR(xor(lut(D14_U(), io), lut(D14_T(), jo))), R1_INV_SR(w1)), k);
}

@inline function decLast(x: v128, k: v128): v128 {
  const hi = hi4(x), lo = lo4(x), j = xor(hi, lo), ak = lut(AK(), lo);
  const io = half(hi, j, ak), jo = half(j, hi, ak);
  return xor(xor(lut(DL_U(), io), lut(DL_T(), jo)), k);
}

@inline export function encryptBlock(ctx: usize, p: v128): v128 {
  const nr = <usize>load<u32>(ctx, O_NR);
  const ks = ctx + O_ENC;
  let x = encFirst(p, v128.load(ks));
  for (let r: usize = 1; r < nr; r++) x = encRound(x, v128.load(ks + (r << 4)));
  return encLast(x, v128.load(ks + (nr << 4)));
}

@inline export function decryptBlock(ctx: usize, c: v128): v128 {
  const nr = <usize>load<u32>(ctx, O_NR);
  const ks = ctx + O_DEC;
  let x = decFirst(c, v128.load(ks));
  for (let r: usize = 1; r < nr; r++) x = decRound(x, v128.load(ks + (r << 4)));
  return decLast(x, v128.load(ks + (nr << 4)));
}

// ---- key schedule (FIPS-197 §5.2) -------------------------------------------------------------------
/** The standard S-box on all 16 bytes, constant time. */
function sboxStd(b: v128): v128 {
  const x = linear(b, IN_LO(), IN_HI());
  const hi = hi4(x), lo = lo4(x), j = xor(hi, lo), ak = lut(AK(), lo);
  const io = half(hi, j, ak), jo = half(j, hi, ak);
  return xor(xor(lut(SBL_U(), io), lut(SBL_T(), jo)), SBOX_CONST());
}

@inline function xtime(v: v128): v128 {
  return xor(i8x16.shl(v, 1), v128.and(i8x16.shr_s(v, 7), i8x16.splat(0x1b)));
}

/** InvMixColumns in the standard basis (for the decryption round keys), constant time. */
function invMixStd(v: v128): v128 {
  const x2 = xtime(v), x4 = xtime(x2), x8 = xtime(x4);
  const v9 = xor(x8, v), v11 = xor(v9, x2), v13 = xor(v9, x4), v14 = xor(xor(x8, x4), x2);
  return xor(v14, R1(xor(v11, R1(xor(v13, R1(v9))))));
}

const RK = memory.data(240, 16);

/** Expand a 16/24/32-byte key into `ctx`; returns 0, or -1 for any other key length. */
export function aes_init(ctx: usize, key: usize, keyLen: usize): i32 {
  if (keyLen != 16 && keyLen != 24 && keyLen != 32) return -1;
  const nk = keyLen >> 2, nr = nk + 6, words = (nr + 1) << 2;
  memory.copy(RK, key, keyLen);
  let rcon: u32 = 1;
  for (let i = nk; i < words; i++) {
    let t = load<u32>(RK + ((i - 1) << 2)); // bytes b0..b3 of w[i-1], b0 in the low byte
    if (i % nk == 0) {
      t = i32x4.extract_lane(sboxStd(i32x4.splat(rotr<u32>(t, 8))), 0) ^ rcon; // SubWord(RotWord) ^ Rcon
      rcon = (rcon << 1) ^ (0x11b & -(rcon >> 7));
    } else if (nk > 6 && i % nk == 4) {
      t = i32x4.extract_lane(sboxStd(i32x4.splat(t)), 0);
    }
    store<u32>(RK + (i << 2), load<u32>(RK + ((i - nk) << 2)) ^ t);
  }
  store<u32>(ctx, <u32>nr, O_NR);
  const enc = ctx + O_ENC, dec = ctx + O_DEC;
  for (let r: usize = 0; r <= nr; r++) {
    const rk = v128.load(RK + (r << 4));
    let k: v128;
    if (r == 0) k = linear(rk, IN_LO(), IN_HI());
    else if (r < nr) k = xor(linear(rk, IN_LO(), IN_HI()), C_ENC());
    else k = xor(rk, SBOX_CONST());
    v128.store(enc + (r << 4), k);
    let d: v128;
    if (r == nr) d = xor(linear(INV_SR(rk), PSI_LO(), PSI_HI()), C_DEC());
    else if (r > 0) d = xor(linear(INV_SR(invMixStd(rk)), PSI_LO(), PSI_HI()), C_DEC());
    else d = rk;
    v128.store(dec + ((nr - r) << 4), d);
  }
  wipe(RK, 240);
  return 0;
}

// ---- modes -------------------------------------------------------------------------------------------
/** ECB over whole blocks (known-answer tests and key derivation of H only). */
export function aes_ecb_encrypt(ctx: usize, src: usize, dst: usize, len: usize): void {
  for (let i: usize = 0; i + 16 <= len; i += 16) v128.store(dst + i, encryptBlock(ctx, v128.load(src + i)));
}
export function aes_ecb_decrypt(ctx: usize, src: usize, dst: usize, len: usize): void {
  for (let i: usize = 0; i + 16 <= len; i += 16) v128.store(dst + i, decryptBlock(ctx, v128.load(src + i)));
}

/** CBC encryption of whole blocks (SP 800-38A §6.2); the 16 bytes at `iv` become the last ciphertext block. */
export function aes_cbc_encrypt(ctx: usize, iv: usize, src: usize, dst: usize, len: usize): void {
  let c = v128.load(iv);
  for (let i: usize = 0; i + 16 <= len; i += 16) {
    c = encryptBlock(ctx, xor(v128.load(src + i), c));
    v128.store(dst + i, c);
  }
  v128.store(iv, c);
}

/** CBC decryption of whole blocks, four at a time; in place is allowed (src == dst). */
export function aes_cbc_decrypt(ctx: usize, iv: usize, src: usize, dst: usize, len: usize): void {
  const nr = <usize>load<u32>(ctx, O_NR);
  const ks = ctx + O_DEC;
  let prev = v128.load(iv);
  let i: usize = 0;
  for (; i + 64 <= len; i += 64) {
    const c0 = v128.load(src + i), c1 = v128.load(src + i + 16), c2 = v128.load(src + i + 32), c3 = v128.load(src + i + 48);
    const k0 = v128.load(ks);
    let a = decFirst(c0, k0), b = decFirst(c1, k0), c = decFirst(c2, k0), d = decFirst(c3, k0);
    for (let r: usize = 1; r < nr; r++) {
      const k = v128.load(ks + (r << 4));
      a = decRound(a, k); b = decRound(b, k); c = decRound(c, k); d = decRound(d, k);
    }
    const kl = v128.load(ks + (nr << 4));
    v128.store(dst + i, xor(decLast(a, kl), prev));
    v128.store(dst + i + 16, xor(decLast(b, kl), c0));
    v128.store(dst + i + 32, xor(decLast(c, kl), c1));
    v128.store(dst + i + 48, xor(decLast(d, kl), c2));
    prev = c3;
  }
  for (; i + 16 <= len; i += 16) {
    const c0 = v128.load(src + i);
    v128.store(dst + i, xor(decryptBlock(ctx, c0), prev));
    prev = c0;
  }
  v128.store(iv, prev);
}

@inline function counterBlock(base: v128, n: u32): v128 { return i32x4.replace_lane(base, 3, bswap<u32>(n)); }

/**
 * CTR with a 32-bit big-endian counter in the last four bytes of the block at `ctr` (GCM's inc32,
 * SP 800-38D §6.2); XORs the key stream into `len` bytes; updates the counter block. In place is allowed.
 */
export function aes_ctr32(ctx: usize, ctr: usize, src: usize, dst: usize, len: usize): void {
  const nr = <usize>load<u32>(ctx, O_NR);
  const ks = ctx + O_ENC;
  const base = v128.load(ctr);
  let n = bswap<u32>(i32x4.extract_lane(base, 3));
  let i: usize = 0;
  for (; i + 64 <= len; i += 64, n += 4) {
    const k0 = v128.load(ks);
    let a = encFirst(counterBlock(base, n), k0), b = encFirst(counterBlock(base, n + 1), k0);
    let c = encFirst(counterBlock(base, n + 2), k0), d = encFirst(counterBlock(base, n + 3), k0);
    for (let r: usize = 1; r < nr; r++) {
      const k = v128.load(ks + (r << 4));
      a = encRound(a, k); b = encRound(b, k); c = encRound(c, k); d = encRound(d, k);
    }
    const kl = v128.load(ks + (nr << 4));
    v128.store(dst + i, xor(v128.load(src + i), encLast(a, kl)));
    v128.store(dst + i + 16, xor(v128.load(src + i + 16), encLast(b, kl)));
    v128.store(dst + i + 32, xor(v128.load(src + i + 32), encLast(c, kl)));
    v128.store(dst + i + 48, xor(v128.load(src + i + 48), encLast(d, kl)));
  }
  for (; i + 16 <= len; i += 16, n++) {
    v128.store(dst + i, xor(v128.load(src + i), encryptBlock(ctx, counterBlock(base, n))));
  }
  if (i < len) {
    const ks1 = encryptBlock(ctx, counterBlock(base, n));
    n++;
    v128.store(TAIL, ks1);
    for (let t: usize = 0; i + t < len; t++) store<u8>(dst + i + t, load<u8>(src + i + t) ^ load<u8>(TAIL + t));
    wipe(TAIL, 16);
  }
  v128.store(ctr, counterBlock(base, n));
}
const TAIL = memory.data(16, 16);
