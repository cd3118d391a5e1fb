// GHASH (NIST SP 800-38D §6.4) in constant time with 64-bit integer multiplications "with holes".
//
// WASM has no carry-less multiply. bmul64 keeps only every fourth bit of each operand, so the integer
// product of two such operands accumulates at most 15 one-bit partial products per 4-bit group and
// carries never reach the next kept bit; four products per quarter and masking give the low 64 bits
// of the carry-less product. The high 64 bits come from bit-reversed operands:
//   rev64(clmul_lo(rev64(x), rev64(y))) >> 1 = clmul_hi(x, y).
// There are no table lookups and no branches on data, so timing depends on neither H nor the data.
//
// Representation: a0 holds the coefficients of x^0..x^63 (bit j = x^j), a1 those of x^64..x^127. GCM's
// bit order (the first bit of a block is x^0) makes that a bit reversal within each byte of a
// little-endian load (brev8), and the bit-reversed word a byte swap of the same load (bswap).
// Karatsuba turns a 128×128 product into three 64×64 ones, each with a low and a high half.
// Four blocks are aggregated — Y' = (Y + X1)·H⁴ + X2·H³ + X3·H² + X4·H — so the products are summed
// before the high halves are un-reversed and before the one reduction by x^128 + x^7 + x^2 + x + 1.
//
// Key layout (GHASH_KEY_SIZE bytes): for H¹…H⁴, 192 bytes each: the six multiplier words h0, h1,
// h0^h1 and their bit reversals, each pre-split into its four bit classes (24 u64).
// Accumulator: 16 bytes, u64 a0 then u64 a1 (natural representation).

export const GHASH_KEY_SIZE: u32 = 4 * 192;
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

function storePower(k: usize, h0: u64, h1: u64): void {
  storeClasses(k, h0);
  storeClasses(k + 32, h1);
  storeClasses(k + 64, h0 ^ h1);
  storeClasses(k + 96, rev64(h0));
  storeClasses(k + 128, rev64(h1));
  storeClasses(k + 160, rev64(h0 ^ h1));
}

const POW = memory.data(32, 16);

/** Prepare a key from the 16-byte block H = E_K(0^128): H, H², H³, H⁴. */
export function ghash_init(key: usize, h: usize): void {
  const h0 = brev8(load<u64>(h)), h1 = brev8(load<u64>(h, 8));
  storePower(key, h0, h1);
  // H^(n+1) = H^n · H: run GHASH on the block H^n with an accumulator of zero
  store<u64>(POW, h0); store<u64>(POW, h1, 8);
  for (let n: usize = 1; n < 4; n++) {
    store<u64>(POW + 16, 0); store<u64>(POW + 24, 0);
    ghash_output(POW, POW);               // natural → block bytes, in place
    ghash_update(key, POW + 16, POW, 16); // (0 + H^n) · H
    memory.copy(POW, POW + 16, 16);
    storePower(key + n * 192, load<u64>(POW), load<u64>(POW, 8));
  }
  memory.fill(POW, 0, 32);
}

// Aggregation accumulators: the six 64-bit product sums lo0, lo1, lo2 (natural) and hr0, hr1, hr2
// (bit-reversed) of up to four blocks, before un-reversal and reduction.
const AGG = memory.data(48, 16);

@inline function acc(o: usize, v: u64): void { store<u64>(AGG + o, load<u64>(AGG + o) ^ v); }

/**
 * Multiply the block at b (plus y, given naturally and bit-reversed, for the first block of a group)
 * by the key power at k and add the product to the aggregation accumulators.
 */
@inline export function aggBlock(k: usize, b: usize, y0: u64, y1: u64, r0y: u64, r1y: u64): void {
  const l0 = load<u64>(b), l1 = load<u64>(b, 8);
  const x0 = brev8(l0) ^ y0, x1 = brev8(l1) ^ y1, r0 = bswap<u64>(l0) ^ r0y, r1 = bswap<u64>(l1) ^ r1y;
  acc(0, bmul64(x0, k)); acc(8, bmul64(x1, k + 32)); acc(16, bmul64(x0 ^ x1, k + 64));
  acc(24, bmul64(r0, k + 96)); acc(32, bmul64(r1, k + 128)); acc(40, bmul64(r0 ^ r1, k + 160));
}

/** Finish a group: un-reverse the high halves, combine Karatsuba, reduce; store Y at y, clear AGG. */
export function aggReduce(y: usize): void {
  const lo0 = load<u64>(AGG), lo1 = load<u64>(AGG, 8), lo2 = load<u64>(AGG, 16);
  const hi0 = rev64(load<u64>(AGG, 24)) >> 1, hi1 = rev64(load<u64>(AGG, 32)) >> 1, hi2 = rev64(load<u64>(AGG, 40)) >> 1;
  const mlo = lo2 ^ lo0 ^ lo1, mhi = hi2 ^ hi0 ^ hi1;
  // 255-bit product w3:w2:w1:w0, then fold w3:w2 (times x^128 ≡ x^7 + x^2 + x + 1) into w1:w0
  const w0 = lo0, w1 = hi0 ^ mlo, w2 = lo1 ^ mhi, w3 = hi1;
  let t0 = w2 ^ (w2 << 1) ^ (w2 << 2) ^ (w2 << 7);
  const t1 = w3 ^ ((w3 << 1) | (w2 >> 63)) ^ ((w3 << 2) | (w2 >> 62)) ^ ((w3 << 7) | (w2 >> 57));
  const ov = (w3 >> 63) ^ (w3 >> 62) ^ (w3 >> 57); // bits pushed past x^127 by the shifts
  t0 ^= ov ^ (ov << 1) ^ (ov << 2) ^ (ov << 7);
  store<u64>(y, w0 ^ t0);
  store<u64>(y, w1 ^ t1, 8);
  memory.fill(AGG, 0, 48);
}

/** Bit-reversed form of an accumulator word (the first block of a group needs Y in both forms). */
@inline export function reversed(x: u64): u64 { return rev64(x); }

/** Key power H^n (n = 1…4) inside a GHASH key. */
@inline export function power(key: usize, n: usize): usize { return key + (n - 1) * 192; }

const TAIL = memory.data(64, 16);

/** Absorb `len` bytes (the last partial block zero-padded, as GCM pads A and C) into the accumulator. */
export function ghash_update(key: usize, acc: usize, p: usize, len: usize): void {
  let i: usize = 0;
  let src = p;
  let avail = len;
  for (;;) {
    let m: usize = 4; // blocks in this group: block j is multiplied by H^(m-j)
    if (i + 64 > avail) {
      if (src == p && i < len) { // move the remaining blocks into a zero-padded buffer once
        memory.fill(TAIL, 0, 64);
        memory.copy(TAIL, p + i, len - i);
        avail = len - i; src = TAIL; i = 0;
      }
      if (i >= avail) break;
      m = (avail - i + 15) >> 4;
    }
    const y0 = load<u64>(acc), y1 = load<u64>(acc, 8);
    aggBlock(power(key, m), src + i, y0, y1, rev64(y0), rev64(y1));
    for (let j: usize = 1; j < m; j++) aggBlock(power(key, m - j), src + i + (j << 4), 0, 0, 0, 0);
    aggReduce(acc);
    i += m << 4;
  }
  memory.fill(TAIL, 0, 64);
}

/** Write the accumulator as a 16-byte GCM block. */
export function ghash_output(acc: usize, out: usize): void {
  const a0 = load<u64>(acc), a1 = load<u64>(acc, 8);
  store<u64>(out, brev8(a0));
  store<u64>(out, brev8(a1), 8);
}
