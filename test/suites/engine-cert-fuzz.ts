// The plaintext certificate paths of an IKEv2 responder under a hostile but correctly keyed initiator
// ("Mallory"). engine-fuzz.ts mutates whole datagrams, which the ICV rejects before any payload is parsed;
// here Mallory completes IKE_SA_INIT with router B (rsa-signature profile, lab CA trustpoint, as in
// engine-cert.ts) and mutates the IKE_AUTH plaintext *before* sealing it with the real SK_ei/SK_ai, so
// every message passes the ICV and reaches the payload, certificate and signature code:
//   - CERT payloads: real certificates (test/vectors/pki and the lab CA's) with bit flips, truncations, DER
//     length-field edits, random bytes, sizes up to the message limit, many CERT payloads, wrong encodings;
//   - CERTREQ garbage, AUTH of every method with random data, IDi types that cannot match (DN garbage, short
//     IPv4, …), SIGNATURE_HASH_ALGORITHMS garbage (IKE_SA_INIT and IKE_AUTH), notify garbage, bit flips in
//     the encoded payload chain and random plaintext;
//   - SKF fragment streams (RFC 7383): shuffled, duplicated, overlapping (same number, other content),
//     out-of-range numbers, changing and oversized totals, interleaved message IDs / exchanges / messages,
//     floods past the reassembly limit, missing fragments.
// Properties: no exception escapes (receive() wrapped; B's "internal error" safety net, and the runtime's
// unhandledRejection/uncaughtException hooks through `watchEscapes`, stay silent); every case is answered
// with AUTHENTICATION_FAILED, accepted (only where the mutation leaves the proof intact), dropped with a
// drop counter, or (fragments) left incomplete; the reassembly buffers stay within their limits, and
// everything is gone after the half-open timeout; afterwards a legitimate initiator brings a tunnel up with
// the same responder. Deterministic: a seeded Prng; a failure names the seed, the case and its kind.
import { VirtualTime } from '../../src/util/clock.js';
import type { Router } from '../../src/router/router.js';
import type { Datagram } from '../../src/router/types.js';
import { IkeSa, type SaContext } from '../../src/ike/sa.js';
import { Reassembler, SkCipher } from '../../src/ike/codec/sk.js';
import { type HeaderFields, decodeMessage, encodeHeader, encodeMessage, encodePayloads } from '../../src/ike/codec/message.js';
import { Writer } from '../../src/ike/codec/wire.js';
import type { Payload, Proposal } from '../../src/ike/codec/types.js';
import { AuthMethod, ExchangeType, GENERIC_HEADER_LEN, IKE_HEADER_LEN, IdType, NotifyType, PayloadType, ProtocolId } from '../../src/ike/codec/constants.js';
import { platform } from '../../src/crypto/platform.js';
import { type Bytes, concat, hex } from '../../src/crypto/bytes.js';
import { checkChosen, prfAlg, skSuite } from '../../src/ike/proposals.js';
import { signedOctets } from '../../src/ike/auth.js';
import { SIG_ALGS, signatureAuth, sigHashNotifyData } from '../../src/ike/auth-sig.js';
import { ANY_V4, auth, del, findNotify, first, idi, ke, nonce, notify, sa as saPayload, tsi, tsr } from '../../src/ike/payload-util.js';
import { espOffer, spiBytes } from '../../src/ike/tasks/child-util.js';
import { LabCa } from '../../src/pki/lab-ca.js';
import type { Trustpoint } from '../../src/pki/trustpoint.js';
import { parseCertificate } from '../../src/pki/certificate.js';
import { env, Prng } from '../support/env.js';
import { equal, ok } from '../support/assert.js';
import { SimWire, flush, pairConfig, routerFromText } from '../support/sim.js';
import { A_ID, START, fqdnPair, pingOk, trustpointFor, useCertificates } from './engine-cert.js';
import { untilPaced as until } from '../support/sim.js';

export interface CertFuzzOptions {
  /** Cases of the mixed campaign (default 300). */
  cases?: number;
  seed?: number;
  /** Watch for exceptions that escape to the runtime; returns the function that stops watching. */
  watchEscapes?: (onEscape: (what: string, e: unknown) => void) => () => void;
  gc?: () => void;
  heapUsed?: () => number;
}

const MALLORY = '10.77.0.1', B_ADDR = '10.77.0.2';
const NON_ESP_MARKER = 4;
const enc = (s: string) => new TextEncoder().encode(s);

// ------------------------------------------------------------------ the responder

interface Bed {
  time: VirtualTime; wire: SimWire; b: Router; tpA: Trustpoint; tpB: Trustpoint; ca: LabCa;
  /** Real certificates (DER): the lab CA's, A's leaf, and every certificate of test/vectors/pki. */
  corpus: Bytes[];
  leafA: Bytes; caDer: Bytes;
  /** B's datagrams to Mallory's address, as sent. */
  out: Datagram[];
  escapes: string[];
  ikeProposals: Proposal[]; espProposals: Proposal[];
}

async function bed(): Promise<Bed> {
  const e = await env();
  const now = new Date(START.getTime() - 30 * 86_400_000);
  const ca = await LabCa.create({ bits: 2048, now, dn: 'C=XX, O=lab, CN=lab Test CA' });
  const [tpA, tpB] = await Promise.all([trustpointFor(ca, A_ID), trustpointFor(ca, 'routerB.example.com')]);
  const time = new VirtualTime(START.getTime());
  const wire = new SimWire(time, 1);
  const b = routerFromText(e.core, time, wire, pairConfig('B', fqdnPair({ dh: '19' })));
  useCertificates(b, tpB);
  // IDi types the profile cannot match still get a plan (a profile matching any identity, as a stand-in),
  // so that they reach the certificate identity checks (RFC 4945 §3.1) instead of stopping at the profile
  const pol = b.policy, responder = pol.responderPlan.bind(pol);
  pol.responderPlan = (l, a, id) => responder(l, a, id.type === 'other' ? { type: 'fqdn', name: A_ID } : id);
  const out: Datagram[] = [], escapes: string[] = [];
  b.onTap((t) => { if (t.direction === 'out' && t.datagram.dst === MALLORY) out.push(t.datagram); });
  b.onTrace((x) => { if (/internal error/.test(x.text)) escapes.push(`engine safety net: ${x.text}`); });
  const files = ['ca', 'routerA', 'routerB', 'routerC', 'expired', 'future', 'notca', 'other-ca', 'routerX', 'sub-ca', 'routerS', 'subsub-ca', 'routerT'];
  const vec = await Promise.all(files.map(async (f) => (await parseCertificate(await e.text(`pki/${f}.crt`))).der));
  const plan = b.policy.responderPlan(B_ADDR, MALLORY, { type: 'fqdn', name: A_ID });
  if ('error' in plan) throw new Error(plan.error);
  return {
    time, wire, b, tpA, tpB, ca, corpus: [ca.certificate.der, tpA.certificate!.der, ...vec], leafA: tpA.certificate!.der, caDer: ca.certificate.der,
    out, escapes, ikeProposals: b.policy.ikeProposals(B_ADDR)!, espProposals: plan.espProposals,
  };
}

/** Everything B has queued (per-SA serial queues, WebCrypto work) has finished. */
async function settle(b: Router): Promise<void> {
  for (let round = 0; round < 3; round++) {
    await flush(2);
    for (const sa of [...b.engine.sas.values()]) await b.engine.drain(sa);
    await new Promise((r) => setTimeout(r, 0));
  }
}

// ------------------------------------------------------------------ Mallory: a correctly keyed initiator

interface Session {
  sa: IkeSa;
  /** Outbound SK cipher (SK_ei/SK_ai), for sealing arbitrary plaintext and fragments. */
  c: SkCipher;
  /** B's SPI (hex): its IKE SA in b.engine.sas. */
  bSpi: string;
  /** Datagrams of B already looked at. */
  seen: number;
}

const NOOP_CTX = (core: SaContext['core'], time: VirtualTime): SaContext => ({
  core, time, random: (n) => crypto.getRandomValues(new Uint8Array(n)), send() {}, onGiveUp() {},
});

function feed(t: Bed, ike: Bytes, port: 500 | 4500): void {
  const data = port === 4500 ? concat(new Uint8Array(NON_ESP_MARKER), ike) : ike;
  try {
    t.b.receive({ src: MALLORY, sport: port, dst: B_ADDR, dport: port, data });
  } catch (e) {
    throw new Error(`receive() threw: ${(e as Error).stack}\n  datagram ${hex(data).slice(0, 400)}`);
  }
}

/** B's IKE messages to Mallory since `from` (marker removed). */
function replies(t: Bed, from: number): Bytes[] {
  return t.out.slice(from).map((d) => (d.sport === 4500 ? d.data.subarray(NON_ESP_MARKER) : d.data)).filter((m) => m.length >= IKE_HEADER_LEN);
}

/** IKE_SA_INIT with B; `sigHashData` replaces SIGNATURE_HASH_ALGORITHMS (garbage, or undefined to omit it). */
async function connect(t: Bed, sigHashData: Bytes | null = sigHashNotifyData()): Promise<Session> {
  const { core } = await env();
  const spiI = crypto.getRandomValues(new Uint8Array(8));
  const sa = new IkeSa(NOOP_CTX(core, t.time), { initiator: true, spiI, local: { addr: MALLORY, port: 500 }, remote: { addr: B_ADDR, port: 500 } });
  const kp = await platform().ecdhGenerate(19);
  sa.ni = crypto.getRandomValues(new Uint8Array(32));
  const payloads: Payload[] = [saPayload(t.ikeProposals), ke(19, kp.publicKe), nonce(sa.ni),
    notify(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED), ...(sigHashData ? [notify(NotifyType.SIGNATURE_HASH_ALGORITHMS, sigHashData)] : [])];
  const h: HeaderFields = { spiI, spiR: new Uint8Array(8), exchange: ExchangeType.IKE_SA_INIT, initiator: true, response: false, messageId: 0 };
  let resp: Bytes | undefined, cookie: Bytes | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    // above B's cookie threshold (30 half-open SAs, Mallory leaves some behind) it asks for a COOKIE (§2.6)
    sa.initRequest = encodeMessage(h, [...(cookie ? [notify(NotifyType.COOKIE, cookie)] : []), ...payloads]);
    const from = t.out.length;
    feed(t, sa.initRequest, 500);
    await settle(t.b);
    resp = replies(t, from).find((m) => hex(m.subarray(0, 8)) === hex(spiI) && m[18] === ExchangeType.IKE_SA_INIT);
    if (!resp) throw new Error('cert fuzz: no IKE_SA_INIT response');
    const c = decodeMessage(resp);
    const n = c.ok ? findNotify(c.value.payloads, NotifyType.COOKIE) : undefined;
    if (!n) break;
    cookie = n.data;
  }
  const d = decodeMessage(resp!);
  if (!d.ok) throw new Error(`cert fuzz: IKE_SA_INIT response: ${d.error.detail}`);
  const sap = first(d.value.payloads, PayloadType.SA), kep = first(d.value.payloads, PayloadType.KE), nr = first(d.value.payloads, PayloadType.NONCE);
  if (!sap || !kep || !nr) throw new Error(`cert fuzz: IKE_SA_INIT refused: ${d.value.payloads.map((x) => ('notify' in x ? `N(${x.notify})` : x.type)).join(' ')}`);
  const chosen = checkChosen(t.ikeProposals, sap.proposals[0]);
  if (!chosen.ok) throw new Error(`cert fuzz: ${chosen.reason}`);
  sa.spiR = d.value.header.spiR;
  sa.nr = nr.data;
  sa.initResponse = resp!;
  const gir = await platform().ecdhDerive(kp, kep.data);
  sa.deriveKeys(chosen.suite, gir);
  gir.fill(0);
  sa.local = { addr: MALLORY, port: 4500 };
  sa.remote = { addr: B_ADDR, port: 4500 };
  const keys = sa.keys!;
  const c = new SkCipher(core, skSuite(chosen.suite), { encr: keys.skEi, integ: keys.skAi });
  return { sa, c, bSpi: hex(sa.spiR), seen: t.out.length };
}

function close(s: Session): void { s.sa.dispose(); s.c.dispose(); }

/** B's IKE SA of this session, while it is still half-open (IKE_AUTH not yet answered). */
const bSaOf = (t: Bed, s: Session) => t.b.engine.sas.get(s.bSpi);

/** The AUTH data a real initiator would send for `id` (method 14, SHA-256), signed with A's key. */
async function goodAuth(t: Bed, s: Session, id: { type: number; data: Bytes }): Promise<Bytes> {
  const { core } = await env();
  const octets = signedOctets(core, prfAlg(s.sa.suite!), s.sa.initRequest!, s.sa.nr!, s.sa.keys!.skPi, id.type, id.data);
  return signatureAuth(t.tpA.privateKey!, 14, 'sha256', 'pkcs1', octets);
}

const ID_A = { type: IdType.FQDN, data: enc(A_ID) };
const cert = (data: Bytes, encoding = 4): Payload => ({ type: PayloadType.CERT, encoding, data }) as Payload;
const certReq = (data: Bytes, encoding = 4): Payload => ({ type: PayloadType.CERTREQ, encoding, data }) as Payload;

/** A genuine IKE_AUTH request with parts replaced. */
async function request(t: Bed, s: Session, o: { id?: { type: number; data: Bytes }; certs?: Payload[]; authP?: Payload; extra?: Payload[]; certReqs?: Payload[] } = {}): Promise<Payload[]> {
  const id = o.id ?? ID_A;
  const authP = o.authP ?? auth(AuthMethod.DIGITAL_SIGNATURE, await goodAuth(t, s, id));
  return [idi(id), ...(o.certs ?? [cert(t.leafA)]), ...(o.certReqs ?? [certReq(t.tpA.certReqHashes())]), authP,
    saPayload(espOffer(t.espProposals, spiBytes(0x1000 + (s.sa.id & 0xffff)), undefined)), tsi([ANY_V4]), tsr([ANY_V4]), ...(o.extra ?? [])];
}

// ------------------------------------------------------------------ sealing what Mallory sends

type SkfSend = { kind: 'skf'; first: number; chunk: Bytes; number: number; total: number; messageId?: number; exchange?: number };
type Send = { kind: 'sk'; first: number; bytes: Bytes; messageId?: number; exchange?: number } | SkfSend;

const header = (s: Session, exchange: number = ExchangeType.IKE_AUTH, messageId = 1): HeaderFields =>
  ({ spiI: s.sa.spiI, spiR: s.sa.spiR, exchange, initiator: true, response: false, messageId });

function padded(c: SkCipher, inner: Bytes): Bytes {
  const n = (c.blockLen - ((inner.length + 1) % c.blockLen)) % c.blockLen;
  const out = new Uint8Array(inner.length + n + 1);
  out.set(inner);
  out[out.length - 1] = n;
  return out;
}

/** SK or SKF around arbitrary plaintext (any payload chain, any fragment number/total): the ICV is right. */
function seal(s: Session, x: Send): Bytes {
  const c = s.c, h = header(s, x.exchange, x.messageId);
  const plain = padded(c, x.kind === 'sk' ? x.bytes : x.chunk);
  const extra = x.kind === 'skf' ? 4 : 0;
  const len = GENERIC_HEADER_LEN + extra + c.ivLen + plain.length + c.icvLen;
  const w = new Writer().u8(x.first).u8(0).u16(len);
  if (x.kind === 'skf') w.u16(x.number).u16(x.total);
  const prefix = concat(encodeHeader(h, x.kind === 'sk' ? PayloadType.SK : PayloadType.SKF, IKE_HEADER_LEN + len), w.finish());
  return concat(prefix, c.seal(prefix, plain, crypto.getRandomValues(new Uint8Array(c.ivLen))));
}

const whole = (payloads: Payload[], o: { messageId?: number; exchange?: number } = {}): Send => {
  const e = encodePayloads(payloads);
  return { kind: 'sk', first: e.first, bytes: e.bytes, ...o };
};

/** The payload chain as RFC 7383 fragments of `size` bytes of plaintext each. */
function fragments(payloads: Payload[] | { first: number; bytes: Bytes }, size: number, o: { messageId?: number; exchange?: number; total?: number } = {}): SkfSend[] {
  const e = Array.isArray(payloads) ? encodePayloads(payloads) : payloads;
  const n = Math.max(1, Math.ceil(e.bytes.length / size));
  return Array.from({ length: n }, (_, i) => ({
    kind: 'skf' as const, first: i === 0 ? e.first : 0, chunk: e.bytes.subarray(i * size, (i + 1) * size), number: i + 1, total: o.total ?? n,
    messageId: o.messageId, exchange: o.exchange,
  }));
}

// ------------------------------------------------------------------ mutations

function pick<T>(p: Prng, xs: readonly T[]): T { return xs[p.int(xs.length)]; }
function shuffle<T>(p: Prng, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) { const j = p.int(i + 1); [xs[i], xs[j]] = [xs[j], xs[i]]; }
  return xs;
}

function bitflips(p: Prng, b: Bytes, n = 1 + p.int(8)): Bytes {
  const out = b.slice();
  for (let i = 0; i < n; i++) { const bit = p.int(out.length * 8); out[bit >> 3] ^= 1 << (bit & 7); }
  return out;
}

/** Offsets of the length octets of every TLV in a DER structure (walking into constructed ones). */
function lengthOffsets(der: Bytes): number[] {
  const out: number[] = [];
  const walk = (o: number, end: number, depth: number): void => {
    while (o + 2 <= end && depth < 12) {
      const tag = der[o], at = o + 1;
      let len = der[at], hdr = 2;
      if (len & 0x80) {
        const n = len & 0x7f;
        if (n === 0 || n > 3 || at + n >= end) return;
        len = 0;
        for (let i = 0; i < n; i++) len = len * 256 + der[at + 1 + i];
        hdr = 2 + n;
      }
      out.push(at);
      if (o + hdr + len > end) return;
      if (tag & 0x20) walk(o + hdr, o + hdr + len, depth + 1);
      o += hdr + len;
    }
  };
  walk(0, der.length, 0);
  return out;
}

/** Rewrite one DER length: off by one, zero, indefinite, long forms claiming huge sizes. */
function lengthEdit(p: Prng, der: Bytes): Bytes {
  const offs = lengthOffsets(der);
  if (!offs.length) return bitflips(p, der);
  const at = pick(p, offs);
  const n = der[at] & 0x80 ? 1 + (der[at] & 0x7f) : 1;
  const old = n === 1 ? der[at] : der.subarray(at + 1, at + n).reduce((x, y) => x * 256 + y, 0);
  const choices: Bytes[] = [
    new Uint8Array([0x82, ((old + 1) >> 8) & 0xff, (old + 1) & 0xff]), new Uint8Array([0x82, ((old - 1) >> 8) & 0xff, (old - 1) & 0xff]),
    new Uint8Array([0]), new Uint8Array([0x80]), new Uint8Array([0x84, 0xff, 0xff, 0xff, 0xff]), new Uint8Array([0x88, 1, 2, 3, 4, 5, 6, 7, 8]),
    new Uint8Array([0x7f]), new Uint8Array([0x81, p.int(256)]), new Uint8Array([0x82, p.int(256), p.int(256)]), new Uint8Array([0xff]),
  ];
  return concat(der.subarray(0, at), pick(p, choices), der.subarray(at + n));
}

/** A mutated real certificate. */
function badDer(p: Prng, t: Bed): Bytes {
  const base = p.int(3) ? t.leafA : pick(p, t.corpus);
  const out = mutateDer(p, base);
  // a mutation that happens to give the certificate back (a byte set to the value it had) is no mutation
  if (out.length === base.length && out.every((x, i) => x === base[i])) { const b = base.slice(); b[p.int(b.length)] ^= 1 << p.int(8); return b; }
  return out;
}

function mutateDer(p: Prng, base: Bytes): Bytes {
  switch (p.int(6)) {
    case 0: return bitflips(p, base);
    case 1: return base.subarray(0, p.int(base.length));
    case 2: return lengthEdit(p, base);
    case 3: { const b = base.slice(); for (let i = 0, n = 1 + p.int(4); i < n; i++) b[p.int(b.length)] = pick(p, [0, 0xff, 0x80, 0x30, 0x05]); return b; }
    case 4: return concat(base, p.bytes(1 + p.int(64))); // trailing junk
    default: return lengthEdit(p, bitflips(p, base, 1));
  }
}

function randomBytes(p: Prng, max: number): Bytes {
  const n = p.int(4) === 0 ? p.int(8) : p.int(max);
  const b = p.bytes(n);
  if (n >= 4 && p.int(2)) { b[0] = 0x30; b[1] = 0x82; b[2] = ((n - 4) >> 8) & 0xff; b[3] = (n - 4) & 0xff; } // looks like a SEQUENCE
  return b;
}

interface Built { sends: Send[]; /** The mutation leaves the proof intact: B may accept it. */ mayAccept?: boolean; fresh?: Bytes | null }
type Kind = (t: Bed, s: Session, p: Prng) => Promise<Built>;

/** Largest IKE_AUTH plaintext that still fits one datagram (IPv4 UDP payload 65,507 minus marker and overhead). */
const WHOLE_MAX = 65_000;

export const KINDS: Record<string, Kind> = {
  async 'cert-mutated'(t, s, p) {
    const certs = [cert(badDer(p, t)), ...(p.int(3) === 0 ? [cert(p.int(2) ? t.caDer : badDer(p, t))] : [])];
    return { sends: [whole(await request(t, s, { certs }))] };
  },
  async 'cert-random'(t, s, p) {
    return { sends: [whole(await request(t, s, { certs: [cert(randomBytes(p, 3000))] }))] };
  },
  async 'cert-huge'(t, s, p) {
    const size = 2000 + p.int(WHOLE_MAX - 7000); // the CERT and SK payload lengths are 16-bit
    const data = p.int(2) ? randomBytes(p, size) : concat(t.leafA, p.bytes(size));
    const m = await request(t, s, { certs: [cert(data)] });
    return { sends: p.int(2) ? [whole(m)] : fragments(m, 1100 + p.int(400)) };
  },
  async 'cert-many'(t, s, p) {
    const n = 2 + p.int(22); // beyond the rules' 16 too
    const certs = [cert(t.leafA), ...Array.from({ length: n - 1 }, () => cert(p.int(3) ? pick(p, t.corpus) : badDer(p, t)))];
    if (p.int(2)) shuffle(p, certs);
    // further certificates the path does not need are not looked at (RFC 7296 §3.6: the first one is the peer's)
    const leafFirst = (certs[0] as { data: Bytes }).data === t.leafA;
    return { sends: [whole(await request(t, s, { certs }))], mayAccept: leafFirst && certs.length <= 16 };
  },
  async 'cert-encoding'(t, s, p) {
    const e = pick(p, [0, 1, 2, 3, 5, 11, 12, 13, 201, 255, p.int(256)]);
    const certs = p.int(2) ? [cert(t.leafA, e)] : [cert(t.leafA), cert(t.caDer, e)];
    return { sends: [whole(await request(t, s, { certs }))] };
  },
  async 'cert-none'(t, s, p) {
    return { sends: [whole(await request(t, s, { certs: p.int(2) ? [] : [cert(new Uint8Array(0))] }))] };
  },
  async certreq(t, s, p) {
    const n = p.int(4);
    const certReqs = Array.from({ length: n }, () => certReq(randomBytes(p, p.int(4) ? 100 : 5000), p.int(3) ? 4 : p.int(256)));
    return { sends: [whole(await request(t, s, { certReqs }))], mayAccept: true };
  },
  async 'auth-random'(t, s, p) {
    const method = p.int(3) ? pick(p, [1, 2, 3, 9, 10, 11, 12, 13, 14, 0, 255]) : p.int(256);
    const authP = auth(method, randomBytes(p, p.int(3) ? 600 : 4000));
    return { sends: [whole(await request(t, s, { authP }))] };
  },
  async 'auth-sig'(t, s, p) {
    // method 14 with real AlgorithmIdentifiers and a mangled prefix or signature; method 1 with a method-14 blob
    const good = await goodAuth(t, s, ID_A);
    let data: Bytes;
    switch (p.int(5)) {
      case 0: data = bitflips(p, good, 1); break;
      case 1: { const alg = pick(p, SIG_ALGS); data = concat(new Uint8Array([alg.der.length]), alg.der, p.bytes(p.int(600))); break; }
      case 2: data = concat(new Uint8Array([p.int(256)]), good.subarray(1)); break;
      case 3: data = good.subarray(0, p.int(good.length)); break;
      default: data = good;
    }
    const method = p.int(4) ? 14 : pick(p, [1, 2, 3]);
    return { sends: [whole(await request(t, s, { authP: auth(method, data) }))], mayAccept: method === 14 && data === good };
  },
  async idi(t, s, p) {
    const ids: { type: number; data: Bytes }[] = [
      { type: IdType.DER_ASN1_DN, data: randomBytes(p, 200) },
      { type: IdType.DER_ASN1_DN, data: p.int(2) ? badDer(p, t).subarray(0, 300) : bitflips(p, enc('\x30\x1d\x31\x1b\x30\x19\x06\x03\x55\x04\x03\x0c\x12routerA.example.com')) },
      { type: IdType.IPV4_ADDR, data: p.bytes(p.int(8)) },
      { type: IdType.RFC822_ADDR, data: p.int(2) ? enc(`x${p.int(99)}@${A_ID}`) : p.bytes(p.int(40)) },
      { type: IdType.FQDN, data: p.int(2) ? enc(A_ID.toUpperCase() + '.') : p.bytes(p.int(300)) },
      { type: p.int(256), data: p.bytes(p.int(64)) },
      { type: IdType.FQDN, data: new Uint8Array(0) },
    ];
    const id = pick(p, ids);
    return { sends: [whole(await request(t, s, { id }))], mayAccept: id.type === IdType.FQDN };
  },
  async sighash(t, s, p) {
    // garbage SIGNATURE_HASH_ALGORITHMS in IKE_SA_INIT (this case runs on a fresh session) and in IKE_AUTH
    const g = (): Bytes => pick(p, [new Uint8Array(0), new Uint8Array([2]), p.bytes(1 + p.int(30)), new Uint8Array(2000), new Uint8Array([0, 1]), new Uint8Array([0xff, 0xff, 0, 9])]);
    return { sends: [whole(await request(t, s, { extra: p.int(2) ? [notify(NotifyType.SIGNATURE_HASH_ALGORITHMS, g())] : [] }))], mayAccept: true };
  },
  async notifies(t, s, p) {
    const types = [NotifyType.PPK_IDENTITY, NotifyType.NO_PPK_AUTH, NotifyType.INITIAL_CONTACT, NotifyType.USE_PPK, NotifyType.AUTHENTICATION_FAILED,
      NotifyType.COOKIE, NotifyType.SIGNATURE_HASH_ALGORITHMS, p.int(65536)];
    const extra = Array.from({ length: 1 + p.int(6) }, () => notify(pick(p, types), randomBytes(p, 300), p.int(4) ? 0 : p.int(256)));
    return { sends: [whole(await request(t, s, { extra }))], mayAccept: true };
  },
  async 'chain-flip'(t, s, p) {
    const e = encodePayloads(await request(t, s, { certs: [cert(t.leafA)] }));
    return { sends: [{ kind: 'sk', first: p.int(8) ? e.first : p.int(256), bytes: bitflips(p, e.bytes, 1 + p.int(3)) }], mayAccept: true };
  },
  async 'chain-random'(_t, _s, p) {
    return { sends: [{ kind: 'sk', first: pick(p, [PayloadType.IDi, PayloadType.CERT, PayloadType.AUTH, p.int(256)]), bytes: randomBytes(p, 2000) }] };
  },
  async 'frag-shuffle'(t, s, p) {
    const f = fragments(await request(t, s), 64 + p.int(900));
    return { sends: shuffle(p, f), mayAccept: true };
  },
  async 'frag-dup'(t, s, p) {
    const f = fragments(await request(t, s), 64 + p.int(600));
    return { sends: shuffle(p, f.flatMap((x) => Array.from({ length: 1 + p.int(3) }, () => x))), mayAccept: true };
  },
  async 'frag-overlap'(t, s, p) {
    // the same fragment numbers twice, with the content of another message (a mutated certificate): first stored wins
    const size = 100 + p.int(500);
    const a = fragments(await request(t, s), size), b = fragments(await request(t, s, { certs: [cert(badDer(p, t))] }), size);
    return { sends: shuffle(p, [...a, ...b.map((x) => ({ ...x, total: a[0].total }))]).slice(0, a.length + p.int(b.length + 1)), mayAccept: true };
  },
  async 'frag-range'(t, s, p) {
    const f = fragments(await request(t, s), 200 + p.int(400));
    const bad = f.map((x) => ({ ...x, number: pick(p, [0, x.total + 1, 65535, x.number]), total: pick(p, [x.total, 0, 65, 65535, x.number - 1]) }));
    return { sends: shuffle(p, bad), mayAccept: true };
  },
  async 'frag-total'(t, s, p) {
    // re-fragmented mid-stream (a larger total restarts, a smaller one is stale), and a total that does not match the chunks
    const m = await request(t, s);
    const a = fragments(m, 100 + p.int(300)), b = fragments(m, 100 + p.int(300));
    const lie = fragments(m, 200, { total: 1 + p.int(64) });
    const sends = p.int(3) ? [...a.slice(0, 1 + p.int(a.length)), ...b] : lie;
    return { sends: p.int(2) ? sends : shuffle(p, sends), mayAccept: true };
  },
  async 'frag-interleave'(t, s, p) {
    const m1 = await request(t, s), m2 = await request(t, s, { certs: [cert(badDer(p, t))] });
    const size = 150 + p.int(400);
    const streams = [fragments(m1, size), fragments(m2, size + 17),
      fragments(m1, size, { messageId: pick(p, [0, 2, 3, 0xffffffff]) }), fragments(m1, size, { exchange: pick(p, [36, 37, 40]) })];
    const chosen = streams.filter(() => p.int(2)).concat([streams[0]]);
    const sends: Send[] = [];
    const queues = chosen.map((q) => [...q]);
    while (queues.some((q) => q.length)) { const q = pick(p, queues.filter((x) => x.length)); sends.push(q.shift()!); }
    return { sends, mayAccept: true };
  },
  async 'frag-flood'(t, s, p) {
    // up to 64 fragments of ~1.1 kB: more than the 64 KiB a reassembly may hold
    const total = 40 + p.int(25), bytes = p.bytes(total * 1100);
    return { sends: shuffle(p, fragments({ first: PayloadType.IDi, bytes }, 1100)) };
  },
  async 'frag-missing'(t, s, p) {
    const f = fragments(await request(t, s), 80 + p.int(300));
    if (f.length > 1) f.splice(p.int(f.length), 1);
    return { sends: shuffle(p, f), mayAccept: f.length === 1 };
  },
  async 'frag-garbage'(_t, _s, p) {
    return { sends: shuffle(p, fragments({ first: pick(p, [PayloadType.IDi, PayloadType.CERT, p.int(256)]), bytes: randomBytes(p, 6000) }, 100 + p.int(900))) };
  },
};

/** Kinds that need a fresh IKE_SA_INIT with garbage SIGNATURE_HASH_ALGORITHMS. */
function freshInit(kind: string, p: Prng): Bytes | null | undefined {
  if (kind !== 'sighash' || p.int(2) === 0) return undefined;
  return pick(p, [null, new Uint8Array(0), new Uint8Array([0]), p.bytes(1 + p.int(40)), new Uint8Array([0, 1]), new Uint8Array([0, 5, 0, 6]), new Uint8Array(4000)]);
}

// ------------------------------------------------------------------ the campaign

type Outcome = 'auth-failed' | 'accepted' | 'dropped' | 'incomplete';

function dropTotal(b: Router): number { return Object.values(b.engine.stats.dropped).reduce((x, y) => x + y, 0); }

interface ReassemblyView { parts: Map<number, Bytes>; bytes: number; maxBytes: number; maxFragments: number }
/** B's reassembly buffers (the engine keeps one per IKE SA; private, read for the bound). */
function reassemblies(b: Router): ReassemblyView[] {
  return [...(b.engine as unknown as { reassembly: Map<unknown, Reassembler> }).reassembly.values()] as unknown as ReassemblyView[];
}

/** B's answer to Mallory's IKE_AUTH (reassembled when B fragments it). */
function authAnswer(t: Bed, s: Session): Payload[] | undefined {
  const r = new Reassembler();
  for (const m of replies(t, s.seen)) {
    if (hex(m.subarray(0, 8)) !== hex(s.sa.spiI) || m[18] !== ExchangeType.IKE_AUTH) continue;
    const d = decodeMessage(m);
    if (!d.ok) throw new Error(`B sent an undecodable message: ${d.error.detail}`);
    const last = d.value.payloads[d.value.payloads.length - 1];
    const o = last?.type === PayloadType.SKF ? s.sa.openFragment(r, m, d.value) : s.sa.open(m, d.value);
    if (!o.ok) throw new Error(`B's IKE_AUTH response does not open: ${o.error.detail}`);
    if (o.value) return o.value;
  }
  return undefined;
}

export interface CampaignResult { cases: number; ms: number; outcomes: Record<string, Record<Outcome, number>>; drops: Record<string, number>; maxReassemblyBytes: number }

export async function campaign(t: Bed, cases: number, seed: number, kinds = Object.keys(KINDS),
  checkpoint?: (i: number) => Promise<void>): Promise<CampaignResult> {
  const p = new Prng(seed);
  const outcomes: Record<string, Record<Outcome, number>> = {};
  const drops0 = { ...t.b.engine.stats.dropped };
  let s: Session | undefined;
  let maxReassemblyBytes = 0;
  const t0 = Date.now();
  for (let i = 0; i < cases; i++) {
    const kind = kinds[p.int(kinds.length)];
    const where = `seed ${seed}, case ${i}, ${kind}`;
    const fresh = freshInit(kind, p);
    if (!s || fresh !== undefined || bSaOf(t, s)?.state !== 'connecting') {
      if (s) close(s);
      s = await connect(t, fresh === undefined ? sigHashNotifyData() : fresh);
    }
    s.seen = t.out.length;
    const built = await KINDS[kind](t, s, p);
    const before = dropTotal(t.b);
    const sent: string[] = [];
    try {
      for (const x of built.sends) {
        const m = seal(s, x);
        sent.push(x.kind === 'sk' ? `SK ${x.messageId ?? 1}/${x.exchange ?? 35} first ${x.first} ${hex(x.bytes).slice(0, 160)}`
          : `SKF ${x.number}/${x.total} ${x.messageId ?? 1}/${x.exchange ?? 35} ${x.chunk.length} B`);
        feed(t, m, 4500);
        for (const r of reassemblies(t.b)) maxReassemblyBytes = Math.max(maxReassemblyBytes, r.bytes);
      }
    } catch (e) {
      throw new Error(`cert fuzz (${where}): ${(e as Error).message}`);
    }
    await settle(t.b);
    const detail = () => `${where}:\n  ${sent.slice(0, 12).join('\n  ')}\n  trace: ${t.b.traceLog.slice(-4).map((e) => e.text).join(' | ')}`;
    if (t.escapes.length) throw new Error(`cert fuzz: exception escaped (${detail()}): ${t.escapes.join('\n')}`);
    const answer = authAnswer(t, s);
    let outcome: Outcome;
    if (answer) {
      if (findNotify(answer, NotifyType.AUTHENTICATION_FAILED)) outcome = 'auth-failed';
      else if (first(answer, PayloadType.IDr) && first(answer, PayloadType.AUTH)) outcome = 'accepted';
      else throw new Error(`cert fuzz: B answered neither AUTHENTICATION_FAILED nor IDr+AUTH (${detail()}): types ${answer.map((x) => x.type)}`);
    } else if (dropTotal(t.b) > before) {
      outcome = 'dropped';
    } else if (reassemblies(t.b).some((r) => r.parts.size > 0)) {
      outcome = 'incomplete';
    } else {
      throw new Error(`cert fuzz: a case left no trace (no answer, no drop counted, nothing pending) (${detail()})`);
    }
    if (outcome === 'accepted' && !built.mayAccept) throw new Error(`cert fuzz: B accepted a mutated IKE_AUTH (${detail()})`);
    (outcomes[kind] ??= { 'auth-failed': 0, accepted: 0, dropped: 0, incomplete: 0 })[outcome]++;
    for (const r of reassemblies(t.b)) {
      maxReassemblyBytes = Math.max(maxReassemblyBytes, r.bytes);
      if (r.bytes > r.maxBytes || r.parts.size > r.maxFragments) throw new Error(`cert fuzz: reassembly holds ${r.bytes} B in ${r.parts.size} fragments (${detail()})`);
    }
    ok(reassemblies(t.b).length <= t.b.engine.sas.size, `reassembly buffers without their IKE SA (${where})`);
    if (outcome === 'accepted') {
      // a genuine SA: Mallory deletes it (INFORMATIONAL, message 2)
      feed(t, seal(s, whole([del(ProtocolId.IKE, [])], { messageId: 2, exchange: ExchangeType.INFORMATIONAL })), 4500);
      await settle(t.b);
    }
    if (outcome === 'incomplete') { close(s); s = undefined; } // left for B's half-open timeout
    // virtual time moves on: half-open SAs (and their reassembly buffers) time out after 60 s
    t.time.advance(250);
    if (i % 64 === 63) { t.wire.log.length = 0; t.out.length = 0; if (s) s.seen = 0; }
    if (checkpoint && (i + 1) % 2000 === 0) await checkpoint(i + 1);
  }
  if (s) close(s);
  const drops: Record<string, number> = {};
  for (const [k, v] of Object.entries(t.b.engine.stats.dropped)) if (v - (drops0[k] ?? 0)) drops[k] = v - (drops0[k] ?? 0);
  return { cases, ms: Date.now() - t0, outcomes, drops, maxReassemblyBytes };
}

/** After the half-open timeout nothing of Mallory's is left; then a legitimate initiator brings the tunnel up. */
async function recovers(t: Bed): Promise<void> {
  const { core } = await env();
  t.time.advance(61_000);
  await settle(t.b);
  t.time.advance(1000);
  await settle(t.b);
  equal(t.b.engine.sas.size, 0, `B's IKE SAs after the half-open timeout: ${t.b.engine.list().map((x) => `${x.id} ${x.state}`).join(', ')}`);
  equal(reassemblies(t.b).length, 0, 'reassembly buffers after the half-open timeout');
  t.wire.log.length = 0;
  const a = routerFromText(core, t.time, t.wire, pairConfig('A', fqdnPair({ dh: '19' })));
  useCertificates(a, t.tpA);
  const upActive = (r: Router) => r.ops.ikeSessions().some((x) => x.status === 'UP-ACTIVE');
  await until(t.time, () => upActive(a) && upActive(t.b), 30_000, 'UP-ACTIVE with a legitimate initiator');
  equal(await pingOk(t.time, a, '192.0.2.2'), 3, 'ping through the tunnel');
}

const MB = 1024 * 1024;

export function engineCertFuzzSuite(o: CertFuzzOptions = {}): void {
  const cases = o.cases ?? 300;
  const seed = o.seed ?? 0xce27f022;

  describe('IKEv2 responder with certificates under a correctly keyed hostile initiator (mutated IKE_AUTH plaintext, SKF streams)', () => {
    let stop: (() => void) | undefined;
    const escaped: string[] = [];
    before(() => { stop = o.watchEscapes?.((what, e) => escaped.push(`${what}: ${(e as Error)?.stack ?? String(e)}`)); });
    after(() => stop?.());

    it(`${cases} hostile IKE_AUTH requests: nothing escapes, refused or dropped and counted, reassembly bounded, then a legitimate tunnel comes up`, async () => {
      const t = await bed();
      const heap: number[] = [];
      const r = await campaign(t, cases, seed, Object.keys(KINDS), async () => {
        equal(escaped.length, 0, `escaped to the runtime: ${escaped.join('\n')}`);
        o.gc?.();
        if (o.heapUsed) heap.push(o.heapUsed());
      });
      equal(escaped.length, 0, `escaped to the runtime: ${escaped.join('\n')}`);
      const total = (k: Outcome) => Object.values(r.outcomes).reduce((x, y) => x + y[k], 0);
      const summary = `${cases} cases in ${(r.ms / 1000).toFixed(1)} s: auth-failed ${total('auth-failed')}, dropped ${total('dropped')}, ` +
        `incomplete ${total('incomplete')}, accepted ${total('accepted')}; largest reassembly ${r.maxReassemblyBytes} B\n  ` +
        `by kind ${JSON.stringify(r.outcomes)}\n  drop counters ${JSON.stringify(r.drops)}` +
        `${heap.length ? `\n  heap after GC every 2000 cases (MB): ${heap.map((h) => (h / MB).toFixed(1)).join(' ')}` : ''}`;
      console.log(`engine cert fuzz: ${summary}`);
      ok(total('auth-failed') > cases * 0.3, `most cases reach the certificate and signature checks: ${summary}`);
      if (heap.length >= 4) ok(heap[heap.length - 1] <= heap[1] + (o.gc ? 48 : 128) * MB, `JS heap bounded: ${summary}`);
      await recovers(t);
      equal(escaped.length, 0, `escaped to the runtime: ${escaped.join('\n')}`);
      equal(t.escapes.length, 0, t.escapes.join('\n'));
    });

    it('regression: a CERT whose certificate is followed by other bytes is refused (it was taken as the certificate alone)', async () => {
      const t = await bed();
      const s = await connect(t);
      s.seen = t.out.length;
      const data = concat(t.leafA, new Uint8Array([0]));
      feed(t, seal(s, whole(await request(t, s, { certs: [cert(data)] }))), 4500);
      await settle(t.b);
      const answer = authAnswer(t, s);
      ok(answer && findNotify(answer, NotifyType.AUTHENTICATION_FAILED), `AUTHENTICATION_FAILED: ${answer?.map((x) => x.type)}`);
      const trace = t.b.traceLog.map((e) => e.text).join('\n');
      ok(/certificate of routerA.example.com cannot be parsed: (pki: )?not an X.509 certificate: 1 bytes after its DER encoding/.test(trace), trace.slice(-1500));
      close(s);
    });
  });
}
