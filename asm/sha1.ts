// SHA-1 compression function (FIPS 180-4 §6.1.2), for HMAC-SHA1-96 (RFC 2404) and PRF_HMAC_SHA1.
// Constants §4.2.1; the initial value (§5.3.1) lives in hash.ts with the others.
import { loadBe32 } from './ct';

const W = memory.data(80 * 4, 16);

export function sha1Blocks(state: usize, p: usize, nblocks: usize): void {
  let h0 = load<u32>(state, 0), h1 = load<u32>(state, 4), h2 = load<u32>(state, 8);
  let h3 = load<u32>(state, 12), h4 = load<u32>(state, 16);
  for (let n: usize = 0; n < nblocks; n++, p += 64) {
    for (let t: usize = 0; t < 16; t++) store<u32>(W + (t << 2), loadBe32(p + (t << 2)));
    for (let t: usize = 16; t < 80; t++) {
      const x = load<u32>(W + ((t - 3) << 2)) ^ load<u32>(W + ((t - 8) << 2))
        ^ load<u32>(W + ((t - 14) << 2)) ^ load<u32>(W + ((t - 16) << 2));
      store<u32>(W + (t << 2), rotl<u32>(x, 1));
    }
    let a = h0, b = h1, c = h2, d = h3, e = h4;
    for (let t: usize = 0; t < 20; t++) {
      const tmp = rotl<u32>(a, 5) + (d ^ (b & (c ^ d))) + e + 0x5a827999 + load<u32>(W + (t << 2));
      e = d; d = c; c = rotl<u32>(b, 30); b = a; a = tmp;
    }
    for (let t: usize = 20; t < 40; t++) {
      const tmp = rotl<u32>(a, 5) + (b ^ c ^ d) + e + 0x6ed9eba1 + load<u32>(W + (t << 2));
      e = d; d = c; c = rotl<u32>(b, 30); b = a; a = tmp;
    }
    for (let t: usize = 40; t < 60; t++) {
      const tmp = rotl<u32>(a, 5) + ((b & c) | (d & (b | c))) + e + 0x8f1bbcdc + load<u32>(W + (t << 2));
      e = d; d = c; c = rotl<u32>(b, 30); b = a; a = tmp;
    }
    for (let t: usize = 60; t < 80; t++) {
      const tmp = rotl<u32>(a, 5) + (b ^ c ^ d) + e + 0xca62c1d6 + load<u32>(W + (t << 2));
      e = d; d = c; c = rotl<u32>(b, 30); b = a; a = tmp;
    }
    h0 += a; h1 += b; h2 += c; h3 += d; h4 += e;
  }
  store<u32>(state, h0, 0); store<u32>(state, h1, 4); store<u32>(state, h2, 8);
  store<u32>(state, h3, 12); store<u32>(state, h4, 16);
  memory.fill(W, 0, 80 * 4);
}
