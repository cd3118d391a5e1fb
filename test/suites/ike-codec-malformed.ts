// Hostile input for the IKEv2 codec: every truncation and every length field ±1 of strongSwan's
// messages, critical unknown payloads, SK not last, too many payloads, lying counts, 20,000 seeded
// random mutations, every bit of the IKE_AUTH messages flipped (RFC 7296 §3.14: the ICV is checked
// before anything is decrypted), and SKF fragments (RFC 7383) reassembled out of order, duplicated,
// tampered with or re-fragmented. Decoding must answer with a reason every time, never throw.
import { concat, fromHex as h, type Bytes } from '../../src/crypto/index.js';
import { PayloadType as P } from '../../src/ike/codec/constants.js';
import type { DecodeError, Decoded, IkeMessage, Payload } from '../../src/ike/codec/types.js';
import {
  decodeMessage, decodePayloads, encodeMessage, encodePayloads, isRaw,
} from '../../src/ike/codec/message.js';
import { Reassembler, SkCipher, openMessage, sealFragments } from '../../src/ike/codec/sk.js';
import { checkInner, checkOuter } from '../../src/ike/codec/rules.js';
import { describePayloads, dissect } from '../../src/ike/codec/describe.js';
import { env, Prng } from '../support/env.js';
import { bytesEqual, equal, ok, throws } from '../support/assert.js';
import { FILES, cipher, deepEqual, fixture, noThrow, type Fixture } from './ike-codec-support.js';

const HDR = { spiI: h('0102030405060708'), spiR: h('1112131415161718'), exchange: 35, initiator: true, response: false, messageId: 1 };
const MUTATIONS = 20000;

const fail = <T>(d: Decoded<T>, what: string): DecodeError => {
  ok(!d.ok, `${what}: expected a refusal`);
  return d.error;
};
const decode = (b: Bytes, what = 'decodeMessage'): Decoded<IkeMessage> => noThrow(what, () => decodeMessage(b));
const setU32 = (b: Bytes, o: number, v: number) => new DataView(b.buffer, b.byteOffset).setUint32(o, v);
/** A copy of `b` with the header length made to match, so that the payload walk is what gets tested. */
const fixLength = (b: Bytes): Bytes => { const c = b.slice(); if (c.length >= 28) setU32(c, 24, c.length); return c; };

/** Offsets of every length field in a payload chain: generic headers, proposals, transforms, TLV attributes, selectors. */
function lengthFields(first: number, chain: Bytes, base: number): number[] {
  const out: number[] = [];
  let next = first, o = 0;
  while (next !== 0 && o + 4 <= chain.length) {
    const len = (chain[o + 2] << 8) | chain[o + 3];
    out.push(base + o + 2);
    if (next === P.SA) {
      for (let p = o + 4; p < o + len;) {
        const plen = (chain[p + 2] << 8) | chain[p + 3];
        out.push(base + p + 2);
        for (let t = p + 8 + chain[p + 6]; t < p + plen;) {
          const tlen = (chain[t + 2] << 8) | chain[t + 3];
          out.push(base + t + 2);
          for (let a = t + 8; a < t + tlen;) {
            if (chain[a] & 0x80) { a += 4; continue; }
            out.push(base + a + 2); a += 4 + ((chain[a + 2] << 8) | chain[a + 3]);
          }
          t += tlen;
        }
        p += plen;
      }
    }
    if (next === P.TSi || next === P.TSr) {
      for (let s = o + 8; s < o + len; s += (chain[s + 2] << 8) | chain[s + 3]) out.push(base + s + 2);
    }
    if (next === P.SK || next === P.SKF) break;
    next = chain[o]; o += len;
  }
  return out;
}

function bump16(b: Bytes, at: number, d: number): Bytes {
  const c = b.slice(), v = (((c[at] << 8) | c[at + 1]) + d) & 0xffff;
  c[at] = v >> 8; c[at + 1] = v & 0xff;
  return c;
}

/** Everything downstream of decoding must take what decoding accepted without throwing. */
function downstream(m: IkeMessage): void {
  noThrow('checkOuter', () => checkOuter(m.header, m.payloads));
  noThrow('checkInner', () => checkInner(m.header, m.payloads));
  noThrow('describe', () => { describePayloads(m.payloads); dissect(m.payloads); });
  const again = noThrow('re-encode', () => encodeMessage(m.header, m.payloads));
  const d = decode(again, 'decode of the re-encoding');
  ok(d.ok, 're-encoding decodes');
  deepEqual(d.value.payloads, m.payloads, 'payloads survive a re-encoding');
}

/** The decrypted inner payload chain of an IKE_AUTH message: [first, bytes]. */
function innerChain(c: SkCipher, raw: Bytes): { first: number; bytes: Bytes } {
  const m = decode(raw);
  ok(m.ok, 'decodes');
  const inner = openMessage(c, raw, m.value);
  ok(inner.ok, 'opens');
  return encodePayloads(inner.value);
}

function fragmentPayloads(): Payload[] {
  const p: Payload[] = [
    { type: P.IDi, idType: 2, data: new TextEncoder().encode('routerA.example.com') },
    { type: P.CERT, encoding: 4, data: new Prng(3).bytes(2500) },
    { type: P.AUTH, method: 1, data: new Prng(4).bytes(256) },
  ];
  for (let i = 0; i < 10; i++) p.push({ type: P.NOTIFY, protocol: 0, spi: new Uint8Array(0), notify: 16384 + i, data: new Prng(i).bytes(20) });
  return p;
}

export function ikeCodecMalformedSuite(): void {
  describe('IKEv2 codec: malformed input is refused with a reason, never an exception', () => {
    for (const file of FILES) {
      it(`${file}: every truncation, with and without the header length fixed up`, async () => {
        const f = await fixture((await env()).vectors, file);
        for (const raw of [f.initReq, f.initRes, f.authReq, f.authRes]) {
          for (let n = 0; n < raw.length; n++) {
            const e = fail(decode(raw.subarray(0, n)), `truncated to ${n}`);
            ok(['short', 'length'].includes(e.reason), `reason ${e.reason} at ${n}`);
            if (n >= 28) fail(decode(fixLength(raw.subarray(0, n))), `truncated to ${n}, length fixed`);
          }
        }
      });

      it(`${file}: every length field ±1 (header, payloads, proposals, transforms, selectors)`, async () => {
        const { core, vectors } = await env();
        const f = await fixture(vectors, file);
        let fields = 0;
        for (const raw of [f.initReq, f.initRes, f.authReq, f.authRes]) {
          for (const d of [-1, 1]) {
            const c = raw.slice(); setU32(c, 24, raw.length + d);
            equal(fail(decode(c), 'header length').reason, 'length', 'reason');
          }
          for (const at of lengthFields(raw[16], raw.subarray(28), 28)) {
            for (const d of [-1, 1]) { fail(decode(fixLength(bump16(raw, at, d))), `length at ${at} ${d > 0 ? '+' : ''}${d}`); fields++; }
          }
        }
        // inside SK: the decrypted payload chains of both IKE_AUTH messages
        for (const [raw, dir] of [[f.authReq, 'i'], [f.authRes, 'r']] as const) {
          const c = cipher(core, f, dir);
          const { first, bytes } = innerChain(c, raw);
          c.dispose();
          for (const at of lengthFields(first, bytes, 0)) {
            for (const d of [-1, 1]) {
              fail(noThrow('decodePayloads', () => decodePayloads(first, bump16(bytes, at, d))), `inner length at ${at} ${d}`);
              fields++;
            }
          }
        }
        ok(fields > 100, `${fields} length fields changed`);
      });
    }

    it('an unknown payload with the critical bit is refused (RFC 7296 §2.5); without it, kept raw', () => {
      const n: Payload = { type: P.NOTIFY, protocol: 0, spi: new Uint8Array(0), notify: 16384, data: new Uint8Array(0) };
      const crit = encodeMessage(HDR, [n, { type: 120, raw: true, data: h('0102'), critical: true }]);
      const e = fail(decode(crit), 'critical unknown');
      equal(e.reason, 'critical', 'reason');
      equal(e.reason === 'critical' ? e.payloadType : 0, 120, 'payload type');
      const plain = decode(encodeMessage(HDR, [{ type: 120, raw: true, data: h('0102') }, n]));
      ok(plain.ok && isRaw(plain.value.payloads[0]), 'non-critical unknown kept raw');
      const known = decode(encodeMessage(HDR, [{ ...n, critical: true }]));
      ok(known.ok && known.value.payloads[0].critical === true, 'critical bit on a known payload is kept, not refused');
    });

    it('SK or SKF anywhere but last is a syntax error; the encoder refuses to build it', () => {
      const n: Payload = { type: P.NOTIFY, protocol: 0, spi: new Uint8Array(0), notify: 16384, data: new Uint8Array(0) };
      for (const sk of [{ type: P.SK, inner: P.NOTIFY, body: new Uint8Array(40) }, { type: P.SKF, inner: P.NOTIFY, fragment: 1, total: 1, body: new Uint8Array(40) }] as Payload[]) {
        throws(() => encodeMessage(HDR, [sk, n]), 'encoder refuses');
        const good = encodeMessage(HDR, [sk]);
        const bad = fixLength(concat(good, encodePayloads([n]).bytes));
        equal(fail(decode(bad), 'SK then N').reason, 'syntax', 'reason');
        equal(fail(decodePayloads(sk.type, good.subarray(28)), 'SK inside SK').reason, 'syntax', 'nested SK');
      }
    });

    it(`at most 256 payloads in a chain: 300 are refused`, () => {
      const v = (i: number): Payload => ({ type: P.VENDOR, data: Uint8Array.of(i & 0xff) });
      ok(decode(encodeMessage(HDR, Array.from({ length: 256 }, (_, i) => v(i)))).ok, '256 accepted');
      equal(fail(decode(encodeMessage(HDR, Array.from({ length: 300 }, (_, i) => v(i)))), '300').reason, 'syntax', 'reason');
    });

    it('lying counts: transforms per proposal, last-substructure flags, selectors, delete SPIs, SPI sizes', async () => {
      const f = await fixture((await env()).vectors, 'recipe.json');
      const raw = f.initReq; // SA first: generic header at 28, proposal at 32, its transform count at 39
      equal(raw[16], P.SA, 'SA first');
      for (const d of [-1, 1, 50]) {
        const c = raw.slice(); c[39] += d;
        equal(fail(decode(c), `transform count ${d}`).reason, 'syntax', 'reason');
      }
      { const c = raw.slice(); c[32] = 2; equal(fail(decode(c), 'last proposal says more').reason, 'syntax', 'reason'); }
      { const c = raw.slice(); c[40] = 0; equal(fail(decode(c), 'first transform says last').reason, 'syntax', 'reason'); }
      { const c = raw.slice(); c[38] = 4; fail(decode(c), 'IKE proposal with SPI size 4'); }
      const ts = (count: number, sel: string) => h(`${count.toString(16).padStart(2, '0')}000000${sel}`);
      const v4 = '0700001000' + '00ffff' + 'c0000201c0000201';
      for (const [name, body, type] of [
        ['2 selectors announced, 1 sent', ts(2, v4), P.TSi], ['0 selectors', ts(0, ''), P.TSr],
        ['IPv4 selector of length 40', ts(1, '0700002800' + '00ffff' + 'c0000201c0000201' + '00'.repeat(24)), P.TSi],
        ['unknown TS type 9', ts(1, '0900001000' + '00ffff' + 'c0000201c0000201'), P.TSi],
        ['ESP delete, 3 SPIs announced, 2 sent', h('0304000311111111' + '22222222'), P.DELETE],
        ['IKE delete with SPIs', h('010800010011223344556677'), P.DELETE],
        ['ESP delete with SPI size 8', h('030800010011223344556677'), P.DELETE],
        ['notify SPI size 3', h('0303400411223344'), P.NOTIFY],
        ['15-byte nonce', new Uint8Array(15), P.NONCE], ['257-byte nonce', new Uint8Array(257), P.NONCE],
        ['fragment 3 of 2', h('00030002' + '00'.repeat(40)), P.SKF], ['fragment 0', h('00000002' + '00'.repeat(40)), P.SKF],
        ['KE without group', h('0013'), P.KE],
      ] as [string, Bytes, number][]) {
        const chain = concat(Uint8Array.of(0, 0, (body.length + 4) >> 8, (body.length + 4) & 0xff), body);
        fail(noThrow(name, () => decodePayloads(type, chain)), name);
        if (type !== P.SKF) {
          const e = fail(decode(fixLength(concat(encodeMessage(HDR, []).subarray(0, 16), Uint8Array.of(type, 0x20, 35, 8, 0, 0, 0, 1), new Uint8Array(4), chain))), name);
          ok(e.reason === 'length' || e.reason === 'syntax', `${name}: ${e.reason}`);
        }
      }
      equal(fail(decode(Uint8Array.of(...new Uint8Array(17), 0x10, ...new Uint8Array(10))), 'IKEv1 header').reason, 'version', 'major 1');
    });

    it(`${MUTATIONS} seeded random mutations of strongSwan's messages: decode answers, accepted ones re-encode`, async () => {
      const { core, vectors } = await env();
      const fs: Fixture[] = [];
      for (const file of FILES) fs.push(await fixture(vectors, file));
      const rnd = new Prng(0x1ce2);
      const tally = { ok: 0, refused: 0, opened: 0 };
      const ciphers = fs.map((f) => ({ i: cipher(core, f, 'i'), r: cipher(core, f, 'r') }));
      for (let n = 0; n < MUTATIONS; n++) {
        const fi = rnd.int(fs.length), f = fs[fi], which = rnd.int(4);
        const orig = [f.initReq, f.initRes, f.authReq, f.authRes][which];
        let b: Bytes = orig.slice();
        for (let k = 1 + rnd.int(4); k > 0; k--) {
          const at = rnd.int(b.length);
          switch (rnd.int(6)) {
            case 0: b[at] ^= 1 << rnd.int(8); break;
            case 1: b[at] = rnd.int(256); break;
            case 2: b = concat(b.subarray(0, at), b.subarray(at + 1)); break;
            case 3: b = concat(b.subarray(0, at), rnd.bytes(1 + rnd.int(8)), b.subarray(at)); break;
            case 4: b = b.slice(0, Math.max(at, 1)); break;
            default: b[at] = [0, 1, 3, 4, 8, 0x10, 0x7f, 0x80, 0xff][rnd.int(9)]; break;
          }
        }
        if (rnd.int(4) !== 0) b = fixLength(b);
        const d = decode(b);
        if (!d.ok) { tally.refused++; continue; }
        tally.ok++;
        downstream(d.value);
        if (which >= 2) {
          const c = which === 2 ? ciphers[fi].i : ciphers[fi].r;
          const o = noThrow('openMessage', () => openMessage(c, b, d.value));
          if (o.ok) { tally.opened++; bytesEqual(b, orig, 'only the untouched message opens'); }
        }
      }
      for (const c of ciphers) { c.i.dispose(); c.r.dispose(); }
      ok(tally.ok > 500 && tally.refused > 5000, `a useful mix: ${JSON.stringify(tally)}`);
    });

    for (const file of FILES) {
      it(`${file}: every bit of both IKE_AUTH messages flipped is refused (header check or ICV before decryption)`, async () => {
        const { core, vectors } = await env();
        const f = await fixture(vectors, file);
        const seen = new Set<string>();
        for (const [raw, dir] of [[f.authReq, 'i'], [f.authRes, 'r']] as const) {
          const c = cipher(core, f, dir);
          const orig = decode(raw);
          ok(orig.ok, 'original decodes');
          for (let bit = 0; bit < raw.length * 8; bit++) {
            const b = raw.slice(); b[bit >> 3] ^= 1 << (bit & 7);
            // the decoded form of the original must not vouch for tampered bytes
            ok(!noThrow('openMessage', () => openMessage(c, b, orig.value)).ok, `bit ${bit} with the original's decoded form`);
            const d = decode(b);
            if (!d.ok) { seen.add(`decode:${d.error.reason}`); continue; }
            const e = fail(noThrow('openMessage', () => openMessage(c, b, d.value)), `bit ${bit}`);
            ok(e.reason === 'integrity' || e.reason === 'syntax', `bit ${bit}: ${e.reason} ${e.detail}`);
            seen.add(`open:${e.reason}`);
          }
          c.dispose();
        }
        ok(seen.has('open:integrity'), `ICV failures seen: ${[...seen].join(' ')}`);
      });
    }
  });

  describe('IKEv2 codec: SKF fragments (RFC 7383)', () => {
    for (const file of ['recipe.json', 'recipe-gcm.json']) {
      it(`${file}: 3000 bytes in fragments of 500, reassembled out of order with a duplicate and a forgery`, async () => {
        const { core, vectors } = await env();
        const f = await fixture(vectors, file);
        const out = cipher(core, f, 'i'), inn = cipher(core, f, 'i');
        const rnd = new Prng(11);
        const ps = fragmentPayloads();
        ok(encodePayloads(ps).bytes.length > 3000, 'over 3000 bytes');
        const frags = sealFragments(out, HDR, ps, (n) => rnd.bytes(n), 500);
        equal(frags.length, Math.ceil(encodePayloads(ps).bytes.length / 500), 'fragment count');
        const msgs = frags.map((fr) => { const d = decode(fr); ok(d.ok, 'fragment decodes'); equal(checkOuter(d.value.header, d.value.payloads), undefined, 'SKF alone outside'); return d.value; });
        equal(describePayloads(msgs[1].payloads), `EF(2/${frags.length})`, 'summary');
        const order = [3, 0, 5, 0, 1, 6, 2, 4].filter((i) => i < frags.length);
        const r = new Reassembler();
        let result: Payload[] | undefined;
        for (const [k, i] of order.entries()) {
          if (k === 2) { // a forged copy of fragment 5: refused, and it does not poison the set
            const bad = frags[5].slice(); bad[bad.length - 20] ^= 4;
            equal(fail(r.add(inn, bad, msgs[5]), 'tampered fragment').reason, 'integrity', 'reason');
          }
          const res = r.add(inn, frags[i], msgs[i]);
          ok(res.ok, `fragment ${i + 1}: ${res.ok ? '' : res.error.detail}`);
          if (res.value.done) result = res.value.payloads;
          else ok(!result, 'not done twice');
        }
        ok(result, 'reassembled');
        deepEqual(result, ps, 'payloads');
        equal(checkInner(HDR_H(), result), undefined, 'IKE_AUTH rules');
        out.dispose(); inn.dispose();
      });
    }

    it('re-fragmenting: a larger total restarts, a smaller total is dropped; limits hold', async () => {
      const { core, vectors } = await env();
      const f = await fixture(vectors, 'recipe.json');
      const out = cipher(core, f, 'i'), inn = cipher(core, f, 'i');
      const rnd = new Prng(12);
      const ps = fragmentPayloads();
      const seal = (size: number, hdr = HDR) => sealFragments(out, hdr, ps, (n) => rnd.bytes(n), size).map((b) => ({ b, m: (decode(b) as { value: IkeMessage }).value }));
      const big = seal(1000), small = seal(400);
      const r = new Reassembler();
      ok(r.add(inn, big[0].b, big[0].m).ok, 'first of the large fragments');
      ok(r.add(inn, small[1].b, small[1].m).ok, 'a larger total restarts');
      equal(fail(r.add(inn, big[1].b, big[1].m), 'smaller total').reason, 'syntax', 'stale fragment dropped');
      let done = false;
      for (const s of small) { const x = r.add(inn, s.b, s.m); ok(x.ok, 'small fragment'); done = x.value.done; }
      ok(done, 'completed with the new fragmentation');
      // more than 64 fragments, and more bytes than allowed
      const many = seal(40);
      ok(many.length > 64, `${many.length} fragments`);
      equal(fail(new Reassembler().add(inn, many[0].b, many[0].m), 'too many').reason, 'syntax', 'too many fragments');
      const tight = new Reassembler({ maxBytes: 1500 });
      let refused = false;
      for (const s of small) { const x = tight.add(inn, s.b, s.m); if (!x.ok) { refused = x.error.reason === 'length'; break; } }
      ok(refused, 'byte cap');
      // a fragment whose ICV was computed by another key
      const other = new SkCipher(core, f.suite, { encr: new Uint8Array(32), integ: new Uint8Array(32) });
      equal(fail(new Reassembler().add(other, small[0].b, small[0].m), 'wrong key').reason, 'integrity', 'wrong key');
      other.dispose(); out.dispose(); inn.dispose();
    });

    it('the GCM IV is a counter, never reused, and refuses to wrap', async () => {
      const { core, vectors } = await env();
      const f = await fixture(vectors, 'recipe-gcm.json');
      const c = cipher(core, f, 'i');
      const none = () => { throw new Error('GCM takes no random IV'); };
      const ivs = new Set<string>();
      for (let i = 0; i < 100; i++) ivs.add(Array.from(c.nextIv(none)).join(','));
      equal(ivs.size, 100, 'distinct IVs');
      (c as unknown as { counter: bigint }).counter = 0xffffffffffffffffn;
      throws(() => c.nextIv(none), 'wrap refused');
      c.dispose();
      throws(() => c.seal(new Uint8Array(32), new Uint8Array(16), new Uint8Array(8)), 'disposed cipher refuses to work');
    });
  });
}

function HDR_H() {
  return { ...HDR, spiI: HDR.spiI, spiR: HDR.spiR, nextPayload: P.SKF, version: 0x20, length: 0 };
}
