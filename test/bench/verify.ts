// Before anything is timed: every implementation must compute the right thing, or its numbers mean
// nothing. Per ESP suite and size, each peer's packets must be decapsulated by webswan's EspSa and by
// the independent reference parser (test/support/esp-ref.ts), webswan's packets must be decapsulated by
// the peer, tampered packets must be rejected, and the decap pools must open. HMAC and prf+ outputs
// must equal the reference's (WebCrypto in Chromium, node:crypto in Node).
import { type Bytes, hex } from '../../src/crypto/index.js';
import { refDecap } from '../support/esp-ref.js';
import { type RefCrypto, refPrfPlus } from '../support/ref.js';
import type { EspEndpoint, Impl } from './harness.js';
import { ESP_SUITES, type Fixtures, PAYLOAD_SIZES, PRF_OUT_LEN, padded } from './suites.js';

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`bench verification failed: ${what}`);
}

const same = (a: Bytes | null, b: Bytes) => a !== null && a.length === b.length && hex(a) === hex(b);

function tamper(pkt: Bytes, at: number): Bytes {
  const t = pkt.slice();
  t[at] ^= 0x01;
  return t;
}

/** Runs every check; returns how many passed (it throws at the first failure). */
export async function verify(impls: Impl[], webswan: Impl, ref: RefCrypto, f: Fixtures): Promise<number> {
  let n = 0;
  const ok = (cond: boolean, what: string) => { check(cond, what); n++; };
  for (const s of ESP_SUITES) {
    const keys = f.keys.get(s.id)!;
    const refSa = { spi: keys.spi, cipher: s.cipher, encKey: keys.encKey, integ: s.integ, integKey: keys.integKey };
    const ivLen = s.cipher === 'aes-gcm-16' ? 8 : 16;
    for (const size of PAYLOAD_SIZES) {
      const inner = f.inner.get(size)!, pool = f.pools.get(`${s.id}/${size}`)!;
      const expectLen = 8 + ivLen + padded(size, s.cipher === 'aes-gcm-16' ? 4 : 16) + s.icvLen;
      for (const im of impls) {
        if (!im.esp) continue;
        const at = `${im.name} ${s.id} ${size} B`;
        const peer: EspEndpoint = await im.esp(s, keys);
        const ws: EspEndpoint = await webswan.esp!(s, keys);
        const pooled: EspEndpoint = await im.esp(s, keys);
        try {
          for (let i = 0; i < 3; i++) {
            const pkt = (await peer.encap(inner)).slice();
            ok(pkt.length === expectLen, `${at}: encap length ${pkt.length}, expected ${expectLen}`);
            ok(same(await ws.decap(pkt), inner), `${at}: webswan decaps the peer's packet ${i + 1}`);
            const r = await refDecap(ref, refSa, pkt);
            ok(r !== null && same(r.inner, inner) && r.nh === 4, `${at}: the reference parser decaps the peer's packet ${i + 1}`);
            const w = (await ws.encap(inner)).slice();
            ok(await peer.decap(tamper(w, 8 + ivLen + 1)) === null, `${at}: the peer rejects a flipped ciphertext bit`);
            ok(await peer.decap(tamper(w, w.length - 1)) === null, `${at}: the peer rejects a flipped ICV bit`);
            ok(same(await peer.decap(w), inner), `${at}: the peer decaps webswan's packet ${i + 1}`);
          }
          ok(same(await pooled.decap(pool[0]), inner), `${at}: decap of the timed pool's first packet`);
          ok(same(await pooled.decap(pool[pool.length - 1]), inner), `${at}: decap of the timed pool's last packet`);
        } finally {
          for (const e of [peer, ws, pooled]) e.dispose?.();
        }
      }
    }
  }
  for (const [size, msg] of f.macMsg) {
    const want = await ref.hmac('sha256', f.macKey, msg);
    for (const im of impls) {
      const m = await im.hmacSha256(f.macKey);
      ok(same(await m.mac(msg), want) && same(await m.mac(msg), want), `${im.name} HMAC-SHA-256 of ${size} bytes`);
      m.dispose?.();
    }
  }
  const want = await refPrfPlus(ref, 'sha256', f.prfKey, f.prfSeed, PRF_OUT_LEN);
  for (const im of impls) {
    const p = im.prfPlusSha256;
    ok(same(await p.derive(f.prfKey, f.prfSeed, PRF_OUT_LEN), want), `${im.name} prf+ (${PRF_OUT_LEN} bytes)`);
  }
  return n;
}
