// GHASH (NIST SP 800-38D §6.4) in constant time with 64-bit integer multiplications "with holes".
//
// WASM has no carry-less multiply. bmul64 keeps only every fourth bit of each operand, so the integer
// product of two such operands accumulates at most 15 one-bit partial products per 4-bit group and
// carries never reach the next kept bit; four products per quarter and masking give the low 64 bits
// of the carry-less product. The high 64 bits come from bit-reversed operands:
//   rev64(clmul_lo(rev64(x), rev64(y))) >> 1 = clmul_hi(x, y).
// There are no table lookups and no branches, so timing does not depend on H or the data.
//
// Blocks are represented "naturally": a0 holds the coefficients of x^0..x^63 (bit j = x^j), a1 those
// of x^64..x^127. GCM's bit order (the first bit of the block is x^0) makes that a bit reversal
// within each byte of a little-endian load (brev8). Karatsuba turns one 128×128 product into three
// 64×64 ones, each needing a low and a high half; then the reduction by x^128 + x^7 + x^2 + x + 1.
//
// Key layout (GHASH_KEY_SIZE bytes): the six multiplier words h0, h1, h0^h1 and their bit reversals,
// each pre-split into its four bit classes (24 u64).
// Accumulator: 16 bytes, u64 a0 then u64 a1 (natural representation).

export const GHASH_KEY_SIZE: u32 = 192;
const M0: u64 = 0x1111111111111111, M1: u64 = 0x2222222222222222;
const M2: u64 = 0x4444444444444444, M3: u64 = 0x8888888888888888;

@inline function brev8(x: u64): u64 {
  x = ((x >> 1) & 0x5555555555555555) | ((x & 0x5555555555555555) << 1);
  x = ((x >> 2) & 0x3333333333333333) | ((x & 0x3333333333333333) << 2);
  return ((x >> 4) & 0x0f0f0f0f0f0f0f0f) | ((x & 0x0f0f0f0f0f0f0f0f) << 4);
}
@inline function rev64(x: u64): u64 { return bswap<u64>(brev8(x)); }

/** Low 64 bits of the carry-less product of x and y, y given as its four bit classes at k. */
@inline function bmul64(x: u64, k: usize): u64 {
  const x0 = x & M0, x1 = x & M1, x2 = x & M2, x3 = x & M3;
  const y0 = load<u64>(k), y1 = load<u64>(k, 8), y2 = load<u64>(k, 16), y3 = load<u64>(k, 24);
  const z0 = (x0 * y0) ^ (x1 * y3) ^ (x2 * y2) ^ (x3 * y1);
  const z1 = (x0 * y1) ^ (x1 * y0) ^ (x2 * y3) ^ (x3 * y2);
  const z2 = (x0 * y2) ^ (x1 * y1) ^ (x2 * y0) ^ (x3 * y3);
  const z3 = (x0 * y3) ^ (x1 * y2) ^ (x2 * y1) ^ (x3 * y0);
  return (z0 & M0) | (z1 & M1) | (z2 & M2) | (z3 & M3);
}

function storeClasses(k: usize, y: u64): void {
  store<u64>(k, y & M0); store<u64>(k, y & M1, 8); store<u64>(k, y & M2, 16); store<u64>(k, y & M3, 24);
}

/** Prepare a key from the 16-byte block H = E_K(0^128). */
export function ghash_init(key: usize, h: usize): void {
  const h0 = brev8(load<u64>(h)), h1 = brev8(load<u64>(h, 8));
  storeClasses(key, h0);
  storeClasses(key + 32, h1);
  storeClasses(key + 64, h0 ^ h1);
  storeClasses(key + 96, rev64(h0));
  storeClasses(key + 128, rev64(h1));
  storeClasses(key + 160, rev64(h0 ^ h1));
}

const PAD = memory.data(16, 16);

/** Absorb `len` bytes (the last partial block zero-padded, as GCM pads A and C) into the accumulator. */
export function ghash_update(key: usize, acc: usize, p: usize, len: usize): void {
  let a0 = load<u64>(acc), a1 = load<u64>(acc, 8);
  let i: usize = 0;
  for (;;) {
    let b = p + i;
    if (i + 16 > len) {
      if (i >= len) break;
      memory.fill(PAD, 0, 16);
      memory.copy(PAD, p + i, len - i);
      b = PAD;
    }
    a0 ^= brev8(load<u64>(b));
    a1 ^= brev8(load<u64>(b, 8));
    const r0 = rev64(a0), r1 = rev64(a1);
    const lo0 = bmul64(a0, key), lo1 = bmul64(a1, key + 32), lo2 = bmul64(a0 ^ a1, key + 64);
    const hi0 = rev64(bmul64(r0, key + 96)) >> 1;
    const hi1 = rev64(bmul64(r1, key + 128)) >> 1;
    const hi2 = rev64(bmul64(r0 ^ r1, key + 160)) >> 1;
    const mlo = lo2 ^ lo0 ^ lo1, mhi = hi2 ^ hi0 ^ hi1;
    // 255-bit product w3:w2:w1:w0, then fold w3:w2 (times x^128 ≡ x^7 + x^2 + x + 1) into w1:w0
    const w0 = lo0, w1 = hi0 ^ mlo, w2 = lo1 ^ mhi, w3 = hi1;
    let t0 = w2 ^ (w2 << 1) ^ (w2 << 2) ^ (w2 << 7);
    const t1 = w3 ^ ((w3 << 1) | (w2 >> 63)) ^ ((w3 << 2) | (w2 >> 62)) ^ ((w3 << 7) | (w2 >> 57));
    const ov = (w3 >> 63) ^ (w3 >> 62) ^ (w3 >> 57); // bits pushed past x^127 by the shifts
    t0 ^= ov ^ (ov << 1) ^ (ov << 2) ^ (ov << 7);
    a0 = w0 ^ t0;
    a1 = w1 ^ t1;
    i += 16;
  }
  store<u64>(acc, a0);
  store<u64>(acc, a1, 8);
  memory.fill(PAD, 0, 16);
}

/** Write the accumulator as a 16-byte GCM block. */
export function ghash_output(acc: usize, out: usize): void {
  store<u64>(out, brev8(load<u64>(acc)));
  store<u64>(out, brev8(load<u64>(acc, 8)), 8);
}
