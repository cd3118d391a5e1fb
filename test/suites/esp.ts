// ESP behaviour (RFC 4303): anti-replay window against a model, error reasons for every malformed
// packet, sequence-number overflow, counters, and keys gone from WASM memory once an SA is disposed.
import {
  EspSa, AesKey, GcmKey, HmacKey, concat, type Bytes, type EspCipher, type EspInteg, INTEG_KEY_LEN,
} from '../../src/crypto/index.js';
import { env, Prng } from '../support/env.js';
import { refEncap } from '../support/esp-ref.js';
import { equal, ok, throws } from '../support/assert.js';

function includes(hay: Uint8Array, needle: Bytes): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    if (hay[i] !== needle[0]) continue;
    for (let j = 1; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

const CBC = (r: Prng) => ({ spi: 0x1001, cipher: 'aes-cbc' as EspCipher, encKey: r.bytes(32), integ: 'hmac-sha256-128' as EspInteg, integKey: r.bytes(32) });
const GCM = (r: Prng) => ({ spi: 0x1002, cipher: 'aes-gcm-16' as EspCipher, encKey: r.bytes(36), integ: 'none' as EspInteg, integKey: new Uint8Array(0) });

export function espSuite(): void {
  describe('ESP security association behaviour', () => {
    for (const window of [32, 64, 1024, 1984]) {
      it(`anti-replay window of ${window} agrees with a model over 3000 random sequence numbers`, async () => {
        const { core, ref } = await env();
        const r = new Prng(window);
        const sa = CBC(r);
        const rx = new EspSa(core, { ...sa, replayWindow: window });
        let top = 0;
        const seen = new Set<number>();
        for (let i = 0; i < 3000; i++) {
          const k = r.int(10);
          let seq: number;
          if (k < 4) seq = top + 1 + r.int(3);                       // in order, small gaps
          else if (k < 6) seq = Math.max(0, top - r.int(window + 64)); // around the left edge
          else if (k < 7) seq = top + 1 + r.int(5000);                // big jump (clears the ring)
          else if (k < 8 && seen.size) seq = [...seen][r.int(seen.size)]; // duplicate
          else if (k < 9) seq = Math.max(0, top - window + 1 - r.int(2)); // exactly at the edge
          else seq = 0xffffffff - r.int(3);                           // the top of the space
          if (top >= 0xfffffff0 && seq > top) seq = top - r.int(window); // stay inside 32 bits
          const fresh = seq !== 0 && (seq > top || (top - seq < window && !seen.has(seq)));
          const pkt = await refEncap(ref, sa, seq, r.bytes(r.int(40)), r.bytes(16));
          const d = rx.decap(pkt);
          equal(d.ok, fresh, `#${i} seq ${seq} with top ${top}`);
          if (!d.ok) equal(d.reason, 'replay', `#${i} reason`);
          if (fresh) { seen.add(seq); top = Math.max(top, seq); }
        }
        rx.dispose();
      });
    }

    it('every malformed packet is dropped with its reason, and counted', async () => {
      const { core, ref } = await env();
      const r = new Prng(7);
      const sa = CBC(r);
      const rx = new EspSa(core, sa);
      const good = await refEncap(ref, sa, 5, r.bytes(100), r.bytes(16));
      const reason = (p: Bytes) => { const d = rx.decap(p); return d.ok ? 'ok' : d.reason; };
      equal(reason(good.subarray(0, 8 + 16 + 16 + 15)), 'short', 'one byte short of the minimum');
      equal(reason(new Uint8Array(0)), 'short', 'empty');
      const other = good.slice(); other[3] ^= 1;
      equal(reason(other), 'spi', 'another SPI');
      equal(reason(concat(good.subarray(0, good.length - 16), Uint8Array.of(1, 2, 3), good.subarray(good.length - 16))), 'align', 'ciphertext not whole blocks');
      const badIcv = good.slice(); badIcv[badIcv.length - 1] ^= 0x80;
      equal(reason(badIcv), 'icv', 'ICV');
      const zero = await refEncap(ref, sa, 0, r.bytes(10), r.bytes(16));
      equal(reason(zero), 'replay', 'sequence number 0 is never valid');
      // authentic packets with a broken trailer: build them with the reference primitives
      const craft = async (seq: number, plain: Bytes) => {
        const head = new Uint8Array(8); const dv = new DataView(head.buffer); dv.setUint32(0, sa.spi); dv.setUint32(4, seq);
        const iv = r.bytes(16);
        const body = concat(head, iv, await ref.cbcEncrypt(sa.encKey, iv, plain));
        return concat(body, (await ref.hmac('sha256', sa.integKey, body)).subarray(0, 16));
      };
      equal(reason(await craft(6, concat(r.bytes(10), Uint8Array.of(1, 2, 9, 4), Uint8Array.of(4, 4)))), 'pad', 'padding bytes not 1,2,3,4');
      equal(reason(await craft(7, concat(r.bytes(14), Uint8Array.of(200, 4)))), 'pad', 'pad length beyond the payload');
      equal(reason(good), 'ok', 'the genuine packet');
      equal(reason(good), 'replay', 'the genuine packet again');
      const s = rx.stats();
      equal(s.packets, 1, 'packets');
      equal(s.bytes, 100, 'bytes');
      equal(s.drops.short, 2, 'short drops'); equal(s.drops.spi, 1, 'spi drops'); equal(s.drops.align, 1, 'align drops');
      equal(s.drops.icv, 1, 'icv drops'); equal(s.drops.pad, 2, 'pad drops'); equal(s.drops.replay, 2, 'replay drops');
      rx.dispose();
    });

    it('the outbound counter refuses to wrap (rekey instead), and GCM IVs are the sequence number', async () => {
      const { core } = await env();
      const r = new Prng(8);
      for (const params of [CBC(r), GCM(r)]) {
        const tx = new EspSa(core, params);
        tx.setSeqForTest(0xfffffffd);
        ok(tx.encap(r.bytes(10)).ok, 'seq 0xfffffffe');
        const last = tx.encap(r.bytes(10));
        ok(last.ok, 'seq 0xffffffff');
        if (last.ok && params.cipher === 'aes-gcm-16') {
          equal(new DataView(last.packet.buffer).getUint32(4), 0xffffffff, 'header seq');
          equal(new DataView(last.packet.buffer).getBigUint64(8), 0xffffffffn, 'GCM IV = 64-bit sequence number');
        }
        const over = tx.encap(r.bytes(10));
        equal(over.ok ? 'ok' : over.reason, 'seq-overflow', 'no wrap to 0');
        equal(tx.seq, 0xffffffff, 'counter stays at the last value');
        tx.dispose();
      }
    });

    it('CBC IVs are fresh random values; the SA refuses oversized packets and bad parameters', async () => {
      const { core } = await env();
      const r = new Prng(9);
      const live = core.liveContexts;
      const tx = new EspSa(core, CBC(r));
      const ivs = new Set<string>();
      for (let i = 0; i < 2000; i++) {
        const p = tx.encap(r.bytes(1));
        if (p.ok) ivs.add(Array.from(p.packet.subarray(8, 24)).join(','));
      }
      equal(ivs.size, 2000, 'no IV repeated');
      const big = tx.encap(new Uint8Array(65536));
      equal(big.ok ? 'ok' : big.reason, 'too-big', 'inner packet over 65535 bytes');
      tx.dispose();
      throws(() => tx.encap(r.bytes(1)), 'use after dispose');
      throws(() => new EspSa(core, { ...CBC(r), spi: 255 }), 'reserved SPI');
      throws(() => new EspSa(core, { ...CBC(r), encKey: r.bytes(20) }), 'AES key of 20 bytes');
      throws(() => new EspSa(core, { ...CBC(r), integKey: r.bytes(20) }), 'HMAC-SHA-256 key of 20 bytes');
      throws(() => new EspSa(core, { ...GCM(r), encKey: r.bytes(32) }), 'GCM key without salt');
      throws(() => new EspSa(core, { ...GCM(r), integ: 'hmac-sha1-96', integKey: r.bytes(20) }), 'GCM with an integrity transform');
      throws(() => new EspSa(core, { ...CBC(r), replayWindow: 1985 }), 'window too large');
      equal(core.liveContexts, live, 'failed constructions leak no context');
    });

    it('disposing wipes keys: no key byte pattern is left anywhere in WASM memory', async () => {
      const { core } = await env();
      const r = new Prng(10);
      const live = core.liveContexts;
      for (const integ of ['hmac-sha1-96', 'hmac-sha256-128', 'hmac-sha384-192', 'hmac-sha512-256'] as EspInteg[]) {
        const params = { spi: 0x2000, cipher: 'aes-cbc' as EspCipher, encKey: r.bytes(32), integ, integKey: r.bytes(INTEG_KEY_LEN[integ]) };
        const tx = new EspSa(core, params), rx = new EspSa(core, params);
        for (let i = 0; i < 50; i++) { const p = tx.encap(r.bytes(r.int(1500))); if (p.ok) rx.decap(p.packet); }
        tx.dispose(); rx.dispose();
        ok(!includes(core.mem, params.encKey.subarray(0, 12)), `${integ}: encryption key still in memory`);
        ok(!includes(core.mem, params.integKey.subarray(0, 12)), `${integ}: integrity key still in memory`);
      }
      const gcm = GCM(r);
      const tx = new EspSa(core, gcm);
      const sa = (tx as unknown as { sa: number }).sa, size = core.constant('ESP_SA_SIZE');
      ok(core.mem.subarray(sa, sa + size).some((b) => b !== 0), 'SA context holds state while alive');
      tx.encap(r.bytes(100));
      tx.dispose();
      ok(core.mem.subarray(sa, sa + size).every((b) => b === 0), 'SA context is all zeros after dispose');
      ok(!includes(core.mem, gcm.encKey.subarray(0, 12)), 'GCM key gone');
      const key = r.bytes(32);
      const aes = new AesKey(core, key), gk = new GcmKey(core, key), mac = new HmacKey(core, 'sha256', key);
      aes.cbcEncrypt(r.bytes(16), r.bytes(64)); gk.seal(r.bytes(12), r.bytes(64)); mac.mac(r.bytes(64));
      aes.dispose(); gk.dispose(); mac.dispose();
      ok(!includes(core.mem, key.subarray(0, 12)), 'AES/GCM/HMAC keys gone');
      equal(core.liveContexts, live, 'every context released');
    });

    it('the packet path allocates nothing in WASM: 20000 packets, memory size unchanged', async () => {
      const { core } = await env();
      const r = new Prng(11);
      for (const params of [CBC(r), GCM(r)]) {
        const tx = new EspSa(core, params), rx = new EspSa(core, params);
        const before = core.x.memory.buffer.byteLength, ctx = core.liveContexts;
        const out = new Uint8Array(1400 + tx.maxOverhead), back = new Uint8Array(1400);
        const inner = r.bytes(1400);
        for (let i = 0; i < 10000; i++) {
          const n = tx.encapInto(inner, out);
          ok(n > 0, 'encapInto');
          equal(rx.decapInto(out.subarray(0, n), back), 1400, 'decapInto');
        }
        equal(back[1399], inner[1399], 'last byte round-tripped');
        equal(core.x.memory.buffer.byteLength, before, 'memory size');
        equal(core.liveContexts, ctx, 'contexts');
        tx.dispose(); rx.dispose();
      }
    });
  });
}
