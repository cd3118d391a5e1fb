// SHA-512 compression function (FIPS 180-4 §6.4.2), also used by SHA-384 (§6.5, another IV and a
// truncated output). State: eight u64 words in memory (host order); blocks read big-endian in place.
// Unrolled like sha256.ts: sixteen rounds with renamed variables, the schedule in sixteen locals.
import { K512 as K } from './sha-constants';
import { loadBe64 } from './ct';

@inline function S0(x: u64): u64 { return rotr<u64>(x, 28) ^ rotr<u64>(x, 34) ^ rotr<u64>(x, 39); }
@inline function S1(x: u64): u64 { return rotr<u64>(x, 14) ^ rotr<u64>(x, 18) ^ rotr<u64>(x, 41); }
@inline function s0(x: u64): u64 { return rotr<u64>(x, 1) ^ rotr<u64>(x, 8) ^ (x >> 7); }
@inline function s1(x: u64): u64 { return rotr<u64>(x, 19) ^ rotr<u64>(x, 61) ^ (x >> 6); }
@inline function CH(x: u64, y: u64, z: u64): u64 { return z ^ (x & (y ^ z)); }
@inline function MAJ(x: u64, y: u64, z: u64): u64 { return (x & y) | (z & (x | y)); }

export function sha512Blocks(state: usize, p: usize, nblocks: usize): void {
  let h0 = load<u64>(state, 0), h1 = load<u64>(state, 8), h2 = load<u64>(state, 16), h3 = load<u64>(state, 24);
  let h4 = load<u64>(state, 32), h5 = load<u64>(state, 40), h6 = load<u64>(state, 48), h7 = load<u64>(state, 56);
  for (let n: usize = 0; n < nblocks; n++, p += 128) {
    let w0 = loadBe64(p + 0);
    let w1 = loadBe64(p + 8);
    let w2 = loadBe64(p + 16);
    let w3 = loadBe64(p + 24);
    let w4 = loadBe64(p + 32);
    let w5 = loadBe64(p + 40);
    let w6 = loadBe64(p + 48);
    let w7 = loadBe64(p + 56);
    let w8 = loadBe64(p + 64);
    let w9 = loadBe64(p + 72);
    let w10 = loadBe64(p + 80);
    let w11 = loadBe64(p + 88);
    let w12 = loadBe64(p + 96);
    let w13 = loadBe64(p + 104);
    let w14 = loadBe64(p + 112);
    let w15 = loadBe64(p + 120);
    let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
    for (let t = 0; t < 80; t += 16) {
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
  store<u64>(state, h0, 0); store<u64>(state, h1, 8); store<u64>(state, h2, 16); store<u64>(state, h3, 24);
  store<u64>(state, h4, 32); store<u64>(state, h5, 40); store<u64>(state, h6, 48); store<u64>(state, h7, 56);
}
