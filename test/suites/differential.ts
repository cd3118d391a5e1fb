// Differential tests: the WASM core against crypto we did not write — WebCrypto in Chromium,
// node:crypto (OpenSSL) in Node — on random keys, lengths 0–9000 and random AAD, in both directions
// (their output must open in ours and ours in theirs), plus tamper detection for every ESP suite.
// Cases come from a seeded generator; a failure names the seed and case number to replay it.
import {
  AesKey, GcmKey, EspSa, HmacKey, hash, prfPlus, concat, hex,
  type Bytes, type EspCipher, type EspInteg, type HashAlg, INTEG_KEY_LEN,
} from '../../src/crypto/index.js';
import { env, Prng } from '../support/env.js';
import { refPrfPlus } from '../support/ref.js';
import { refDecap, refEncap } from '../support/esp-ref.js';
import { bytesEqual, equal, ok } from '../support/assert.js';

export const DIFFERENTIAL_CASES = 10_000;
const MAX_LEN = 9000;
const HASHES: HashAlg[] = ['sha1', 'sha256', 'sha384', 'sha512'];
const AES_KEYS = [16, 24, 32];

/** Lengths 0–9000 with the edges (0, block boundaries ±1) over-represented. */
function length(r: Prng, block = 16): number {
  const pick = r.int(8);
  if (pick === 0) return r.int(3 * block);
  if (pick === 1) return Math.min(MAX_LEN, block * (1 + r.int(64)) + r.int(3) - 1);
  return r.int(MAX_LEN + 1);
}

async function cases(name: string, seed: number, n: number, fn: (r: Prng, i: number) => Promise<void> | void) {
  const r = new Prng(seed);
  for (let i = 0; i < n; i++) {
    try {
      await fn(r, i);
    } catch (e) {
      throw new Error(`${name}, seed ${seed}, case ${i}: ${(e as Error).message}`);
    }
  }
}

export function differentialSuite(n = DIFFERENTIAL_CASES): void {
  describe(`differential: WASM core vs the reference implementation (${n} random cases each)`, () => {
    for (const alg of HASHES) {
      it(`${alg}`, async () => {
        const { core, ref } = await env();
        await cases(alg, 1 + HASHES.indexOf(alg), n, async (r) => {
          const m = r.bytes(length(r, 64));
          bytesEqual(hash(core, alg, m), await ref.sha(alg, m), `${m.length} bytes`);
        });
      });
      it(`HMAC-${alg} (keys 0–200 bytes)`, async () => {
        const { core, ref } = await env();
        await cases(`hmac-${alg}`, 11 + HASHES.indexOf(alg), n, async (r) => {
          const key = r.bytes(r.int(201)), m = r.bytes(length(r, 64));
          const k = new HmacKey(core, alg, key);
          bytesEqual(k.mac(m), await ref.hmac(alg, key, m), `key ${key.length}, msg ${m.length}`);
          k.dispose();
        });
      });
      it(`prf+ over HMAC-${alg}`, async () => {
        const { core, ref } = await env();
        await cases(`prf+-${alg}`, 21 + HASHES.indexOf(alg), n, async (r) => {
          const key = r.bytes(r.int(129)), seed = r.bytes(r.int(600)), len = r.int(400);
          bytesEqual(prfPlus(core, alg, key, seed, len), await refPrfPlus(ref, alg, key, seed, len), `key ${key.length}, seed ${seed.length}, out ${len}`);
        });
      });
    }

    it('AES-CBC 128/192/256, both directions', async () => {
      const { core, ref } = await env();
      await cases('aes-cbc', 31, n, async (r) => {
        const key = r.bytes(AES_KEYS[r.int(3)]), iv = r.bytes(16), pt = r.bytes(length(r) & ~15);
        const k = new AesKey(core, key);
        try {
          const ours = k.cbcEncrypt(iv, pt);
          bytesEqual(ours, await ref.cbcEncrypt(key, iv, pt), 'encrypt');
          bytesEqual(await ref.cbcDecrypt(key, iv, ours), pt, 'theirs opens ours');
          const theirs = await ref.cbcEncrypt(key, iv, r.bytes(pt.length));
          bytesEqual(k.cbcDecrypt(iv, theirs), await ref.cbcDecrypt(key, iv, theirs), 'ours opens theirs');
        } finally { k.dispose(); }
      });
    });

    it('AES-CTR (inc32, counter wrap included), 128/192/256', async () => {
      const { core, ref } = await env();
      await cases('aes-ctr', 41, n, async (r) => {
        const key = r.bytes(AES_KEYS[r.int(3)]), ctr = r.bytes(16), data = r.bytes(length(r));
        if (r.int(4) === 0) new DataView(ctr.buffer).setUint32(12, 0xffffffff - r.int(8)); // near the 32-bit wrap
        const k = new AesKey(core, key);
        try { bytesEqual(k.ctr32(ctr, data), await ref.ctr32(key, ctr, data), `${data.length} bytes`); } finally { k.dispose(); }
      });
    });

    it('AES-GCM 128/192/256, IVs of 1–64 bytes, AAD 0–64, both directions, forgeries', async () => {
      const { core, ref } = await env();
      await cases('aes-gcm', 51, n, async (r) => {
        const key = r.bytes(AES_KEYS[r.int(3)]);
        const minIv = key.length === 24 ? ref.gcmMinIv192 : 1;
        const iv = r.bytes(r.int(3) === 0 ? minIv + r.int(65 - minIv) : 12), aad = r.bytes(r.int(65)), pt = r.bytes(length(r));
        const k = new GcmKey(core, key);
        try {
          const ours = k.seal(iv, pt, aad);
          bytesEqual(ours, await ref.gcmSeal(key, iv, aad, pt), 'seal');
          bytesEqual(await ref.gcmOpen(key, iv, aad, ours), pt, 'theirs opens ours');
          const other = r.bytes(pt.length), theirs = await ref.gcmSeal(key, iv, aad, other);
          bytesEqual(k.open(iv, theirs, aad), other, 'ours opens theirs');
          const forged = theirs.slice(); forged[r.int(forged.length)] ^= 1 << r.int(8);
          equal(k.open(iv, forged, aad), null, 'forgery rejected');
        } finally { k.dispose(); }
      });
    });

    const suites: [EspCipher, number, EspInteg][] = [];
    for (const keyLen of AES_KEYS) {
      for (const integ of ['hmac-sha1-96', 'hmac-sha256-128', 'hmac-sha384-192', 'hmac-sha512-256'] as EspInteg[]) suites.push(['aes-cbc', keyLen, integ]);
    }
    for (const keyLen of AES_KEYS) suites.push(['aes-gcm-16', keyLen + 4, 'none']);
    suites.forEach(([cipher, keyLen, integ], si) => {
      const label = `${cipher}-${(cipher === 'aes-gcm-16' ? keyLen - 4 : keyLen) * 8}${integ === 'none' ? '' : ' + ' + integ}`;
      it(`ESP ${label}: ours → theirs, theirs → ours, any tampered byte rejected`, async () => {
        const { core, ref } = await env();
        const live = core.liveContexts;
        await cases(`esp ${label}`, 100 + si, n, async (r) => {
          const spi = 256 + r.int(0x7fffff00);
          const sa = { spi, cipher, encKey: r.bytes(keyLen), integ, integKey: r.bytes(INTEG_KEY_LEN[integ]) };
          const tx = new EspSa(core, sa), rx = new EspSa(core, sa);
          try {
            const inner = r.bytes(length(r)), nh = r.int(8) === 0 ? r.int(256) : 4;
            const mine = tx.encap(inner, { nextHeader: nh });
            ok(mine.ok, 'encap');
            const opened = await refDecap(ref, sa, mine.packet);
            ok(opened, 'theirs opens ours');
            bytesEqual(opened.inner, inner, 'inner packet'); equal(opened.nh, nh, 'next header');

            const inner2 = r.bytes(length(r));
            const theirs = await refEncap(ref, sa, 2, inner2, r.bytes(cipher === 'aes-gcm-16' ? 8 : 16));
            const tampered = theirs.slice();
            const at = r.int(tampered.length);
            tampered[at] ^= 1 << r.int(8);
            const t = rx.decap(tampered);
            ok(!t.ok, `byte ${at} of ${tampered.length} tampered and accepted`);
            const d = rx.decap(theirs);
            ok(d.ok, `ours opens theirs: ${d.ok ? '' : d.reason}`);
            bytesEqual(d.packet, inner2, 'inner packet (theirs → ours)');
            equal(rx.decap(theirs).ok, false, 'replay rejected');
          } finally { tx.dispose(); rx.dispose(); }
        });
        equal(core.liveContexts, live, 'every SA context was released');
      });
    });

    it('ESP: flipping each bit of every byte of one packet per suite is detected', async () => {
      const { core } = await env();
      const r = new Prng(999);
      for (const [cipher, keyLen, integ] of suites) {
        const sa = { spi: 0x12345678, cipher, encKey: r.bytes(keyLen), integ, integKey: r.bytes(INTEG_KEY_LEN[integ]) };
        const tx = new EspSa(core, sa);
        const m = tx.encap(r.bytes(77));
        ok(m.ok, 'encap');
        const pkt = m.packet;
        const rx = new EspSa(core, sa);
        for (let i = 0; i < pkt.length; i++) {
          for (let b = 0; b < 8; b++) {
            const t = pkt.slice(); t[i] ^= 1 << b;
            ok(!rx.decap(t).ok, `${cipher}/${integ}: bit ${b} of byte ${i} flipped and accepted`);
          }
        }
        ok(rx.decap(concat(pkt, Uint8Array.of(0))).ok === false, 'appended byte rejected');
        ok(rx.decap(pkt.subarray(0, pkt.length - 1)).ok === false, 'truncated packet rejected');
        ok(rx.decap(pkt).ok, `${cipher}/${integ}: the genuine packet still passes (${hex(pkt.subarray(0, 8))})`);
        tx.dispose(); rx.dispose();
      }
    });
  });
}

export type { Bytes };
