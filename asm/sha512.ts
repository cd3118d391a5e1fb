// SHA-512 compression function (FIPS 180-4 §6.4.2), also used by SHA-384 (§6.5, another IV and a
// truncated output). State: eight u64 words in memory (host order); blocks read big-endian in place.
import { K512 } from './sha-constants';
import { loadBe64 } from './ct';

const W = memory.data(80 * 8, 16);

export function sha512Blocks(state: usize, p: usize, nblocks: usize): void {
  let h0 = load<u64>(state, 0), h1 = load<u64>(state, 8), h2 = load<u64>(state, 16), h3 = load<u64>(state, 24);
  let h4 = load<u64>(state, 32), h5 = load<u64>(state, 40), h6 = load<u64>(state, 48), h7 = load<u64>(state, 56);
  for (let n: usize = 0; n < nblocks; n++, p += 128) {
    for (let t: usize = 0; t < 16; t++) store<u64>(W + (t << 3), loadBe64(p + (t << 3)));
    for (let t: usize = 16; t < 80; t++) {
      const w15 = load<u64>(W + ((t - 15) << 3)), w2 = load<u64>(W + ((t - 2) << 3));
      const s0 = rotr<u64>(w15, 1) ^ rotr<u64>(w15, 8) ^ (w15 >> 7);
      const s1 = rotr<u64>(w2, 19) ^ rotr<u64>(w2, 61) ^ (w2 >> 6);
      store<u64>(W + (t << 3), s1 + load<u64>(W + ((t - 7) << 3)) + s0 + load<u64>(W + ((t - 16) << 3)));
    }
    let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
    for (let t: usize = 0; t < 80; t++) {
      const t1 = h + (rotr<u64>(e, 14) ^ rotr<u64>(e, 18) ^ rotr<u64>(e, 41)) + (g ^ (e & (f ^ g)))
        + unchecked(K512[<i32>t]) + load<u64>(W + (t << 3));
      const t2 = (rotr<u64>(a, 28) ^ rotr<u64>(a, 34) ^ rotr<u64>(a, 39)) + ((a & b) | (c & (a | b)));
      h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    h0 += a; h1 += b; h2 += c; h3 += d; h4 += e; h5 += f; h6 += g; h7 += h;
  }
  store<u64>(state, h0, 0); store<u64>(state, h1, 8); store<u64>(state, h2, 16); store<u64>(state, h3, 24);
  store<u64>(state, h4, 32); store<u64>(state, h5, 40); store<u64>(state, h6, 48); store<u64>(state, h7, 56);
  memory.fill(W, 0, 80 * 8);
}
