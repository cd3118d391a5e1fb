// SHA-256 compression function (FIPS 180-4 §6.2.2). The state is eight u32 words in memory (host
// order); blocks are read big-endian straight from their source, so hashing a packet copies nothing.
// Sixteen rounds are unrolled with the working variables renamed instead of shifted, and the message
// schedule lives in sixteen locals (W[t mod 16]), so the loop touches memory only for the block itself.
import { K256 as K } from './sha-constants';
import { loadBe32 } from './ct';

@inline function S0(x: u32): u32 { return rotr<u32>(x, 2) ^ rotr<u32>(x, 13) ^ rotr<u32>(x, 22); }
@inline function S1(x: u32): u32 { return rotr<u32>(x, 6) ^ rotr<u32>(x, 11) ^ rotr<u32>(x, 25); }
@inline function s0(x: u32): u32 { return rotr<u32>(x, 7) ^ rotr<u32>(x, 18) ^ (x >>> 3); }
@inline function s1(x: u32): u32 { return rotr<u32>(x, 17) ^ rotr<u32>(x, 19) ^ (x >>> 10); }
@inline function CH(x: u32, y: u32, z: u32): u32 { return z ^ (x & (y ^ z)); }
@inline function MAJ(x: u32, y: u32, z: u32): u32 { return (x & y) | (z & (x | y)); }

export function sha256Blocks(state: usize, p: usize, nblocks: usize): void {
  let h0 = load<u32>(state, 0), h1 = load<u32>(state, 4), h2 = load<u32>(state, 8), h3 = load<u32>(state, 12);
  let h4 = load<u32>(state, 16), h5 = load<u32>(state, 20), h6 = load<u32>(state, 24), h7 = load<u32>(state, 28);
  for (let n: usize = 0; n < nblocks; n++, p += 64) {
    let w0 = loadBe32(p + 0);
    let w1 = loadBe32(p + 4);
    let w2 = loadBe32(p + 8);
    let w3 = loadBe32(p + 12);
    let w4 = loadBe32(p + 16);
    let w5 = loadBe32(p + 20);
    let w6 = loadBe32(p + 24);
    let w7 = loadBe32(p + 28);
    let w8 = loadBe32(p + 32);
    let w9 = loadBe32(p + 36);
    let w10 = loadBe32(p + 40);
    let w11 = loadBe32(p + 44);
    let w12 = loadBe32(p + 48);
    let w13 = loadBe32(p + 52);
    let w14 = loadBe32(p + 56);
    let w15 = loadBe32(p + 60);
    let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
    for (let t = 0; t < 64; t += 16) {
      if (t > 0) {
        w0 += s1(w14) + w9 + s0(w1);
        w1 += s1(w15) + w10 + s0(w2);
        w2 += s1(w0) + w11 + s0(w3);
        w3 += s1(w1) + w12 + s0(w4);
        w4 += s1(w2) + w13 + s0(w5);
        w5 += s1(w3) + w14 + s0(w6);
        w6 += s1(w4) + w15 + s0(w7);
        w7 += s1(w5) + w0 + s0(w8);
        w8 += s1(w6) + w1 + s0(w9);
        w9 += s1(w7) + w2 + s0(w10);
        w10 += s1(w8) + w3 + s0(w11);
        w11 += s1(w9) + w4 + s0(w12);
        w12 += s1(w10) + w5 + s0(w13);
        w13 += s1(w11) + w6 + s0(w14);
        w14 += s1(w12) + w7 + s0(w15);
        w15 += s1(w13) + w8 + s0(w0);
      }
      h += S1(e) + CH(e, f, g) + unchecked(K[t + 0]) + w0; d += h; h += S0(a) + MAJ(a, b, c);
      g += S1(d) + CH(d, e, f) + unchecked(K[t + 1]) + w1; c += g; g += S0(h) + MAJ(h, a, b);
      f += S1(c) + CH(c, d, e) + unchecked(K[t + 2]) + w2; b += f; f += S0(g) + MAJ(g, h, a);
      e += S1(b) + CH(b, c, d) + unchecked(K[t + 3]) + w3; a += e; e += S0(f) + MAJ(f, g, h);
      d += S1(a) + CH(a, b, c) + unchecked(K[t + 4]) + w4; h += d; d += S0(e) + MAJ(e, f, g);
      c += S1(h) + CH(h, a, b) + unchecked(K[t + 5]) + w5; g += c; c += S0(d) + MAJ(d, e, f);
      b += S1(g) + CH(g, h, a) + unchecked(K[t + 6]) + w6; f += b; b += S0(c) + MAJ(c, d, e);
      a += S1(f) + CH(f, g, h) + unchecked(K[t + 7]) + w7; e += a; a += S0(b) + MAJ(b, c, d);
      h += S1(e) + CH(e, f, g) + unchecked(K[t + 8]) + w8; d += h; h += S0(a) + MAJ(a, b, c);
      g += S1(d) + CH(d, e, f) + unchecked(K[t + 9]) + w9; c += g; g += S0(h) + MAJ(h, a, b);
      f += S1(c) + CH(c, d, e) + unchecked(K[t + 10]) + w10; b += f; f += S0(g) + MAJ(g, h, a);
      e += S1(b) + CH(b, c, d) + unchecked(K[t + 11]) + w11; a += e; e += S0(f) + MAJ(f, g, h);
      d += S1(a) + CH(a, b, c) + unchecked(K[t + 12]) + w12; h += d; d += S0(e) + MAJ(e, f, g);
      c += S1(h) + CH(h, a, b) + unchecked(K[t + 13]) + w13; g += c; c += S0(d) + MAJ(d, e, f);
      b += S1(g) + CH(g, h, a) + unchecked(K[t + 14]) + w14; f += b; b += S0(c) + MAJ(c, d, e);
      a += S1(f) + CH(f, g, h) + unchecked(K[t + 15]) + w15; e += a; a += S0(b) + MAJ(b, c, d);
    }
    h0 += a; h1 += b; h2 += c; h3 += d; h4 += e; h5 += f; h6 += g; h7 += h;
  }
  store<u32>(state, h0, 0); store<u32>(state, h1, 4); store<u32>(state, h2, 8); store<u32>(state, h3, 12);
  store<u32>(state, h4, 16); store<u32>(state, h5, 20); store<u32>(state, h6, 24); store<u32>(state, h7, 28);
}
