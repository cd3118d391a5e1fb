// The IKEv2 message codec (src/ike/codec) against messages we did not write: strongSwan 5.9.8's
// IKE_SA_INIT and IKE_AUTH exchanges (test/vectors/strongswan) are decoded field by field, re-encoded
// to the same bytes, opened with the logged SK keys and re-sealed to strongSwan's exact ciphertext;
// then fast-check round trips for every payload kind, the per-exchange rules and the trace summaries.
import fc from 'fast-check';
import { AesKey, GcmKey, concat, fromHex as h, utf8, type Bytes, type Core } from '../../src/crypto/index.js';
import {
  ExchangeType, IdType, NotifyType, PayloadType as P, ProtocolId, TransformType, TsType,
} from '../../src/ike/codec/constants.js';
import type {
  IkeMessage, NotifyPayload, Payload, SaPayload, TsPayload,
} from '../../src/ike/codec/types.js';
import {
  decodeMessage, decodePayload, decodePayloads, encodeMessage, encodePayload, encodePayloads, isRaw,
} from '../../src/ike/codec/message.js';
import { openMessage, sealMessage } from '../../src/ike/codec/sk.js';
import { checkInner, checkOuter } from '../../src/ike/codec/rules.js';
import { describePayloads, dissect } from '../../src/ike/codec/describe.js';
import { env, Prng } from '../support/env.js';
import { bytesEqual, equal, ok } from '../support/assert.js';
import { CHAIN, FILES, KINDS, SKF_ARB, SK_ARB, cipher, deepEqual, fixture, skKeys, type Fixture } from './ike-codec-support.js';

const HDR = { spiI: h('0102030405060708'), spiR: h('1112131415161718'), exchange: 37, initiator: true, response: false, messageId: 7 };

function decoded(raw: Bytes, what: string): IkeMessage {
  const d = decodeMessage(raw);
  ok(d.ok, `${what} decodes: ${d.ok ? '' : `${d.error.reason} ${d.error.detail}`}`);
  return d.value;
}
const of = <T extends Payload>(ps: Payload[], type: number): T[] => ps.filter((p) => !isRaw(p) && p.type === type) as T[];
const one = <T extends Payload>(ps: Payload[], type: number): T => {
  const all = of<T>(ps, type);
  equal(all.length, 1, `one payload of type ${type}`);
  return all[0];
};
const notifyTypes = (ps: Payload[]) => of<NotifyPayload>(ps, P.NOTIFY).map((n) => n.notify);
const fields = (m: IkeMessage) => ({ ...m.header });

/** strongSwan's padding and IV, read back by decrypting with the primitives directly. */
function padding(core: Core, f: Fixture, raw: Bytes, dir: 'i' | 'r'): { iv: Bytes; padding: Bytes } {
  const key = skKeys(f, dir).encr;
  let pt: Bytes;
  if (f.gcm) {
    const k = new GcmKey(core, key.subarray(0, key.length - 4));
    const got = k.open(concat(key.subarray(key.length - 4), raw.subarray(32, 40)), raw.subarray(40), raw.subarray(0, 32));
    k.dispose();
    ok(got, 'GCM opens');
    pt = got;
    const n = pt[pt.length - 1];
    return { iv: raw.slice(32, 40), padding: pt.slice(pt.length - 1 - n, pt.length - 1) };
  }
  const k = new AesKey(core, key);
  pt = k.cbcDecrypt(raw.subarray(32, 48), raw.subarray(48, raw.length - 16)) as Bytes;
  k.dispose();
  const n = pt[pt.length - 1];
  return { iv: raw.slice(32, 48), padding: pt.slice(pt.length - 1 - n, pt.length - 1) };
}

/** The payload list strongSwan logged for a message, e.g. "IDi N(INIT_CONTACT) IDr AUTH …". */
function logged(f: Fixture, role: 'initiator' | 'responder', verb: string): string {
  const line = f.v.description.log_messages[role].find((l) => l.startsWith(verb));
  ok(line, `strongSwan logged "${verb}"`);
  return line.replace(/^.*\[ (.*) \]$/, '$1');
}

export function ikeCodecSuite(): void {
  describe('IKEv2 codec: strongSwan 5.9.8 messages', () => {
    for (const file of FILES) {
      it(`${file}: IKE_SA_INIT request and response decode field by field and re-encode byte for byte`, async () => {
        const f = await fixture((await env()).vectors, file);
        const v = f.v;
        for (const [raw, resp] of [[f.initReq, false], [f.initRes, true]] as const) {
          const m = decoded(raw, resp ? 'IKE_SA_INIT response' : 'IKE_SA_INIT request');
          const hd = m.header;
          bytesEqual(hd.spiI, v.spi_i, 'SPIi');
          bytesEqual(hd.spiR, resp ? v.spi_r : '0000000000000000', 'SPIr');
          equal(hd.exchange, ExchangeType.IKE_SA_INIT, 'exchange');
          equal(hd.version, 0x20, 'version');
          equal(hd.initiator, !resp, 'I flag'); equal(hd.response, resp, 'R flag');
          equal(hd.messageId, 0, 'message ID'); equal(hd.length, raw.length, 'length');
          const sa = one<SaPayload>(m.payloads, P.SA);
          equal(sa.proposals.length, 1, 'one proposal');
          const pr = sa.proposals[0];
          equal(pr.number, 1, 'proposal number'); equal(pr.protocol, ProtocolId.IKE, 'protocol'); equal(pr.spi.length, 0, 'no SPI');
          const want = [{ type: TransformType.ENCR, id: v.encr_id, keyLength: v.encr_key_bits }, { type: TransformType.PRF, id: v.prf_id },
            ...(v.integ_id === null ? [] : [{ type: TransformType.INTEG, id: v.integ_id }]), { type: TransformType.DH, id: v.dh_group_id }];
          deepEqual(pr.transforms.map((t) => ({ ...t })).sort((a, b) => a.type - b.type), want, 'transforms');
          const ke = one<Payload & { group: number; data: Bytes }>(m.payloads, P.KE);
          equal(ke.group, v.dh_group_id, 'KE group');
          bytesEqual(ke.data, resp ? v.ke_r : v.ke_i, 'KE data');
          bytesEqual(one<Payload & { data: Bytes }>(m.payloads, P.NONCE).data, resp ? v.nonce_r : v.nonce_i, 'nonce');
          const nt = notifyTypes(m.payloads);
          for (const t of [NotifyType.NAT_DETECTION_SOURCE_IP, NotifyType.NAT_DETECTION_DESTINATION_IP,
            NotifyType.IKEV2_FRAGMENTATION_SUPPORTED, NotifyType.SIGNATURE_HASH_ALGORITHMS, NotifyType.USE_PPK]) {
            ok(nt.includes(t), `notify ${t} present`);
          }
          equal(checkOuter(hd, m.payloads), undefined, 'IKE_SA_INIT rules');
          ok(describePayloads(m.payloads).startsWith('SA KE No N(NATD_S_IP) N(NATD_D_IP)'), `summary ${describePayloads(m.payloads)}`);
          bytesEqual(encodeMessage(fields(m), m.payloads), raw, 'encodeMessage(decodeMessage(x)) = x');
        }
      });

      it(`${file}: IKE_AUTH request and response open with strongSwan's SK keys and re-seal to its exact bytes`, async () => {
        const { core, vectors } = await env();
        const f = await fixture(vectors, file);
        const v = f.v;
        for (const [raw, dir] of [[f.authReq, 'i'], [f.authRes, 'r']] as const) {
          const resp = dir === 'r';
          const m = decoded(raw, `IKE_AUTH ${resp ? 'response' : 'request'}`);
          equal(m.header.exchange, ExchangeType.IKE_AUTH, 'exchange');
          equal(m.payloads.length, 1, 'only SK outside');
          equal(checkOuter(m.header, m.payloads), undefined, 'outer rules');
          bytesEqual(encodeMessage(fields(m), m.payloads), raw, 'outer re-encoding');
          const c = cipher(core, f, dir);
          const inner = openMessage(c, raw, m);
          ok(inner.ok, `SK opens: ${inner.ok ? '' : inner.error.detail}`);
          const ps = inner.value;
          equal(checkInner(m.header, ps), undefined, 'inner rules');
          equal(describePayloads(ps), logged(f, resp ? 'responder' : 'initiator', `generating IKE_AUTH ${resp ? 'response' : 'request'}`), "strongSwan's own summary");

          const role = resp ? 'responder' : 'initiator';
          const id = one<Payload & { idType: number; data: Bytes }>(ps, resp ? P.IDr : P.IDi);
          equal(id.idType, IdType.FQDN, 'ID type');
          bytesEqual(id.data, utf8(resp ? 'routerB.example.com' : 'routerA.example.com'), 'FQDN');
          const auth = one<Payload & { method: number; data: Bytes }>(ps, P.AUTH);
          equal(auth.method, 2, 'shared key MIC');
          const a = v.auth.find((x) => x.role === role && x.operation.startsWith('build'));
          bytesEqual(auth.data, a?.auth ?? '', 'AUTH data as logged');
          const ppk = of<NotifyPayload>(ps, P.NOTIFY).find((n) => n.notify === NotifyType.PPK_IDENTITY);
          bytesEqual(ppk?.data, resp ? '' : concat(Uint8Array.of(2), h(v.ppk_id)), 'PPK_IDENTITY');
          // strongSwan sends its own side first: TSi = initiator's 192.0.2.1, TSr = responder's 192.0.2.2
          for (const [t, addr] of [[P.TSi, 'c0000201'], [P.TSr, 'c0000202']] as const) {
            const ts = one<TsPayload>(ps, t);
            equal(ts.selectors.length, 1, 'one selector');
            const s = ts.selectors[0];
            equal(s.tsType, TsType.IPV4_ADDR_RANGE, 'IPv4 range');
            bytesEqual(s.startAddr, addr, 'start'); bytesEqual(s.endAddr, addr, 'end');
            equal(s.startPort, 0, 'start port'); equal(s.endPort, 65535, 'end port'); equal(s.ipProtocol, 0, 'any protocol');
          }
          const sa = one<SaPayload>(ps, P.SA);
          ok(sa.proposals.every((pr) => pr.protocol === ProtocolId.ESP && pr.spi.length === 4), 'ESP proposals with 4-byte SPIs');
          bytesEqual(sa.proposals[0].spi, resp ? v.child_sa.spi_out : v.child_sa.spi_in, 'ESP SPI of the sender');

          const fixed = padding(core, f, raw, dir);
          const again = sealMessage(c, fields(m), ps, () => { throw new Error('no randomness needed'); }, fixed);
          bytesEqual(again, raw, 'sealMessage with the captured IV and padding = strongSwan');
          c.dispose();
        }
      });
    }
  });

  describe('IKEv2 codec: round trips (fast-check)', () => {
    for (const [name, arb] of Object.entries({ ...KINDS, SK: SK_ARB, SKF: SKF_ARB })) {
      it(`${name}: decode(encode(p)) = p and encode(decode(b)) = b`, () => {
        fc.assert(fc.property(arb, (p) => {
          const body = encodePayload(p);
          const inner = !isRaw(p) && (p.type === P.SK || p.type === P.SKF) ? p.inner : 0;
          const d = decodePayload(p.type, body, inner);
          ok(d.ok, `decodes: ${d.ok ? '' : d.error.detail}`);
          deepEqual(d.value, { ...p, critical: undefined }, name);
          bytesEqual(encodePayload(d.value), body, 'body again');
        }), { numRuns: 300 });
      });
    }

    it('whole messages: decodeMessage(encodeMessage(h, ps)) gives h and ps back, and the same bytes', () => {
      fc.assert(fc.property(CHAIN, fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 0xffffffff }), (ps, initiator, response, messageId) => {
        const hd = { ...HDR, initiator, response, messageId };
        const raw = encodeMessage(hd, ps);
        const m = decodeMessage(raw);
        ok(m.ok, `decodes: ${m.ok ? '' : m.error.detail}`);
        deepEqual(m.value.payloads, ps, 'payloads');
        deepEqual({ ...hd }, { spiI: m.value.header.spiI, spiR: m.value.header.spiR, exchange: m.value.header.exchange,
          initiator: m.value.header.initiator, response: m.value.header.response, messageId: m.value.header.messageId }, 'header');
        bytesEqual(encodeMessage(hd, m.value.payloads), raw, 'bytes again');
        describePayloads(m.value.payloads); dissect(m.value.payloads);
      }), { numRuns: 400 });
    });

    it('SK contents: decodePayloads(encodePayloads(ps)) = ps', () => {
      fc.assert(fc.property(fc.array(fc.oneof(...Object.values(KINDS)), { maxLength: 10 }), (ps) => {
        const { first, bytes } = encodePayloads(ps);
        const d = decodePayloads(first, bytes);
        ok(d.ok, `decodes: ${d.ok ? '' : d.error.detail}`);
        deepEqual(d.value, ps, 'payloads');
      }), { numRuns: 300 });
    });

    it('any payloads sealed in SK (CBC and GCM) open to themselves', async () => {
      const { core, vectors } = await env();
      const rnd = new Prng(7);
      for (const file of ['recipe.json', 'recipe-gcm.json']) {
        const f = await fixture(vectors, file);
        const out = cipher(core, f, 'i'), inn = cipher(core, f, 'i');
        fc.assert(fc.property(fc.array(fc.oneof(...Object.values(KINDS)), { maxLength: 8 }), fc.constantFrom(undefined, 16, 64, 128), (ps, padTo) => {
          const raw = sealMessage(out, HDR, ps, (n) => rnd.bytes(n), { padTo });
          if (padTo) equal((raw.length - 28 - 4 - out.ivLen - out.icvLen) % padTo, 0, 'padded to padTo');
          const got = openMessage(inn, raw, decoded(raw, 'sealed'));
          ok(got.ok, `opens: ${got.ok ? '' : got.error.detail}`);
          deepEqual(got.value, ps, 'payloads');
        }), { numRuns: 150 });
        out.dispose(); inn.dispose();
      }
    });
  });

  describe('IKEv2 codec: message rules (RFC 7296 §1, §2.5)', () => {
    const sa: Payload = { type: P.SA, proposals: [{ number: 1, protocol: 3, spi: h('01020304'), transforms: [{ type: 1, id: 20, keyLength: 256 }] }] };
    const ke: Payload = { type: P.KE, group: 19, data: new Uint8Array(64) };
    const no: Payload = { type: P.NONCE, data: new Uint8Array(32) };
    const n = (notify: number): Payload => ({ type: P.NOTIFY, protocol: 0, spi: new Uint8Array(0), notify, data: new Uint8Array(0) });
    const id = (type: 35 | 36): Payload => ({ type, idType: 2, data: utf8('x.example') });
    const auth: Payload = { type: P.AUTH, method: 2, data: new Uint8Array(32) };
    const ts = (type: 44 | 45): Payload => ({ type, selectors: [{ tsType: 7, ipProtocol: 0, startPort: 0, endPort: 65535, startAddr: new Uint8Array(4), endAddr: new Uint8Array(4) }] });
    const sk: Payload = { type: P.SK, inner: 0, body: new Uint8Array(48) };
    const hd = (exchange: number, response: boolean) => ({ ...decoded(encodeMessage({ ...HDR, exchange, response }, []), 'h').header });
    const cases: [string, number, boolean, 'outer' | 'inner', Payload[], boolean][] = [
      ['IKE_SA_INIT request SA KE Ni N', 34, false, 'outer', [sa, ke, no, n(16388)], true],
      ['IKE_SA_INIT request without KE', 34, false, 'outer', [sa, no], false],
      ['IKE_SA_INIT request with two SA', 34, false, 'outer', [sa, sa, ke, no], false],
      ['IKE_SA_INIT response N(INVALID_KE_PAYLOAD) alone', 34, true, 'outer', [n(17)], true],
      ['IKE_SA_INIT response N(COOKIE) alone', 34, true, 'outer', [n(16390)], true],
      ['IKE_SA_INIT response N(NO_PROPOSAL_CHOSEN) alone', 34, true, 'outer', [n(14)], true],
      ['IKE_SA_INIT with SK', 34, false, 'outer', [sa, ke, no, sk], false],
      ['IKE_SA_INIT with IDi', 34, false, 'outer', [sa, ke, no, id(35)], false],
      ['IKE_AUTH: SK alone outside', 35, false, 'outer', [sk], true],
      ['IKE_AUTH: KE outside SK', 35, false, 'outer', [ke, sk], false],
      ['IKE_AUTH: nothing at all', 35, false, 'outer', [], false],
      ['IKE_AUTH: an unknown non-critical payload outside is ignored', 35, false, 'outer', [{ type: 200, raw: true, data: new Uint8Array(1) }, sk], true],
      ['IKE_AUTH request IDi AUTH SA TSi TSr', 35, false, 'inner', [id(35), auth, sa, ts(44), ts(45)], true],
      ['IKE_AUTH request IDi without AUTH (EAP wanted)', 35, false, 'inner', [id(35), sa, ts(44), ts(45)], true],
      ['IKE_AUTH request with two IDi', 35, false, 'inner', [id(35), id(35), auth], false],
      ['IKE_AUTH request without IDi, AUTH or EAP', 35, false, 'inner', [n(16384)], false],
      ['IKE_AUTH request SA without TS', 35, false, 'inner', [id(35), auth, sa], false],
      ['IKE_AUTH request with KE', 35, false, 'inner', [id(35), auth, ke], false],
      ['IKE_AUTH response N(AUTHENTICATION_FAILED) alone', 35, true, 'inner', [n(24)], true],
      ['IKE_AUTH response IDr AUTH N(TS_UNACCEPTABLE), childless', 35, true, 'inner', [id(36), auth, n(38)], true],
      ['IKE_AUTH response with nothing', 35, true, 'inner', [], false],
      ['CREATE_CHILD_SA request SA Ni KE TSi TSr', 36, false, 'inner', [sa, no, ke, ts(44), ts(45)], true],
      ['CREATE_CHILD_SA request without nonce', 36, false, 'inner', [sa, ts(44), ts(45)], false],
      ['CREATE_CHILD_SA request TSi only', 36, false, 'inner', [sa, no, ts(44)], false],
      ['CREATE_CHILD_SA response N(NO_ADDITIONAL_SAS) alone', 36, true, 'inner', [n(35)], true],
      ['INFORMATIONAL request empty', 37, false, 'inner', [], true],
      ['INFORMATIONAL response empty', 37, true, 'inner', [], true],
      ['INFORMATIONAL with D and N', 37, false, 'inner', [{ type: P.DELETE, protocol: 1, spiSize: 0, spis: [] }, n(16384)], true],
      ['INFORMATIONAL with SA', 37, false, 'inner', [sa], false],
      ['IKE_SA_INIT has no inner payloads', 34, false, 'inner', [], false],
      ['unknown exchange 99', 99, false, 'outer', [sk], false],
    ];
    for (const [name, ex, resp, where, ps, good] of cases) {
      it(`${good ? 'accepts' : 'refuses'} ${name}`, () => {
        const e = where === 'outer' ? checkOuter(hd(ex, resp), ps) : checkInner(hd(ex, resp), ps);
        if (good) equal(e?.detail, undefined, 'no rule broken');
        else equal(e?.reason, 'rules', 'reason');
      });
    }
  });

  describe('IKEv2 codec: summaries and dissection', () => {
    it('describePayloads names payloads as strongSwan does; dissect gives IANA names', async () => {
      const f = await fixture((await env()).vectors, 'recipe.json');
      const m = decoded(f.initReq, 'IKE_SA_INIT request');
      equal(describePayloads(m.payloads), 'SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG) N(REDIR_SUP) N(USE_PPK)', 'IKE_SA_INIT request');
      equal(describePayloads([{ type: P.SKF, inner: 35, fragment: 1, total: 2, body: new Uint8Array(0) }]), 'EF(1/2)', 'fragment');
      equal(describePayloads([{ type: 200, raw: true, data: new Uint8Array(0) }, { type: P.EAP, raw: true, data: new Uint8Array(0) }]), 'UNKNOWN(200) EAP', 'raw');
      const tree = dissect(m.payloads);
      equal(tree[0].name, 'SA', 'SA node');
      const transforms = tree[0].children?.[0].children?.map((c) => `${c.name}=${c.value}`).join(' ');
      equal(transforms, 'ENCR=AES_CBC-256 INTEG=HMAC_SHA2_256_128 PRF=HMAC_SHA2_256 DH=ECP_256', 'transforms');
      equal(tree[1].children?.[0].value, 'ECP_256', 'KE group');
      equal(tree[3].children?.[0].value, 'NAT_DETECTION_SOURCE_IP', 'notify name');
    });
  });
}
