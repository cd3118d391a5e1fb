// Robustness of a responder with an established tunnel against hostile datagrams: mutated copies of valid
// IKE and ESP packets recorded from a real exchange (IKE_SA_INIT, IKE_AUTH, CREATE_CHILD_SA, INFORMATIONAL,
// ESP) — bit flips, byte sets, truncations, junk extensions, IKE/payload/SK length lies, next-payload chain
// rewrites and loops, real SPIs with garbage bodies, message-ID games, ESP ICV corruption, replays, short
// packets, NAT-keepalives and non-ESP markers with garbage — fed to router B's receive() on virtual time.
//
// What must hold: no exception escapes (receive() is wrapped, the process's unhandledRejection /
// uncaughtException hooks are watched, and the engine's "internal error" safety net must stay silent),
// memory stays bounded (JS heap after GC, WASM linear memory, live key contexts, half-open SAs), the tunnel
// keeps passing traffic both ways with the same IKE SA, and the drop counters account for the cases.
// Deterministic: every case comes from a seeded Prng; a failure names the seed and case number.
import { VirtualTime } from '../../src/util/clock.js';
import type { Router } from '../../src/router/router.js';
import type { Datagram } from '../../src/router/types.js';
import type { IkeSa } from '../../src/ike/sa.js';
import { sendDpd } from '../../src/ike/tasks/informational.js';
import { hex } from '../../src/crypto/index.js';
import { env, Prng } from '../support/env.js';
import { equal, ok } from '../support/assert.js';
import { SimWire, pairConfig, routerFromText, run, until } from '../support/sim.js';

export interface EngineFuzzOptions {
  /** Cases of the mixed campaign (default 100,000). */
  cases?: number;
  /** Cases per mutator class in the per-class tests (default 2,000). */
  classCases?: number;
  /** Full garbage collection (Node: v8 --expose-gc), for the heap bound; without it the bound is loose. */
  gc?: () => void;
  /** JS heap in use, bytes (Node: process.memoryUsage().heapUsed). */
  heapUsed?: () => number;
  /** Watch for exceptions that escape to the runtime; returns the function that stops watching. */
  watchEscapes?: (onEscape: (what: string, e: unknown) => void) => () => void;
  seed?: number;
}

// ------------------------------------------------------------------ the tunnel and its recorded traffic

interface Captured {
  d: Datagram;
  /** The IKE message (without the non-ESP marker) for IKE datagrams. */
  ike?: Uint8Array;
  exchange?: number;
  response?: boolean;
  messageId?: number;
}

interface Bed {
  time: VirtualTime; wire: SimWire; a: Router; b: Router;
  ike: Captured[]; esp: Captured[]; all: Captured[];
  /** Genuine datagrams B received lately (while the campaign runs: A's liveness checks, pings), newest last. */
  recent: Captured[];
  /** Set while the campaign feeds B (its own datagrams are not recorded). */
  feeding: boolean;
  /** B's established IKE SA at the start (must survive). */
  saB: IkeSa; saA: IkeSa;
  escapes: string[];
}

const NON_ESP_MARKER = 4;

function established(r: Router): IkeSa[] { return r.engine.list().filter((s) => s.state === 'established'); }

async function pingOk(time: VirtualTime, r: Router, dst: string, count = 5): Promise<number> {
  let okN = 0, done = false;
  void r.ops.ping({ destination: dst, count, size: 100, timeoutSec: 2 }, (x) => { if (x.ok) okN++; }).then(() => { done = true; });
  await until(time, () => done, 60_000, 'ping to finish');
  return okN;
}

async function bed(): Promise<Bed> {
  const { core } = await env();
  const time = new VirtualTime();
  const wire = new SimWire(time, 1);
  const o = { ikeLifetime: 86400, childLifetime: 86400 };
  const a = routerFromText(core, time, wire, pairConfig('A', o));
  const b = routerFromText(core, time, wire, pairConfig('B', o));
  const all: Captured[] = [], recent: Captured[] = [];
  const escapes: string[] = [];
  let recording = true;
  const state = { feeding: false };
  b.onTap((t) => {
    if (t.direction !== 'in' || state.feeding) return;
    if (t.datagram.dport !== 500 && t.datagram.dport !== 4500) return; // not for B's IKE/ESP ports (ignored)
    const d = { ...t.datagram, data: t.datagram.data.slice() };
    const c: Captured = { d };
    const marker = d.dport === 4500;
    if (d.dport === 500 || (marker && d.data.length >= 4 && d.data[0] === 0 && d.data[1] === 0 && d.data[2] === 0 && d.data[3] === 0)) {
      const m = marker ? d.data.slice(NON_ESP_MARKER) : d.data.slice();
      c.ike = m; c.exchange = m[18]; c.response = (m[19] & 0x20) !== 0; c.messageId = u32(m, 20);
    } else if (d.data.length === 1 && d.data[0] === 0xff) {
      return;
    }
    if (recording) all.push(c);
    recent.push(c);
    if (recent.length > 16) recent.shift();
  });
  b.onTrace((e) => { if (/internal error/.test(e.text)) escapes.push(`engine safety net: ${e.text}`); });
  a.onTrace((e) => { if (/internal error/.test(e.text)) escapes.push(`engine safety net (A): ${e.text}`); });
  await until(time, () => established(a).length === 1 && established(b).length === 1 && a.dataplane.isUp('tunnel-ip1'), 10_000, 'tunnel up');
  const saA = established(a)[0], saB = established(b)[0];
  equal(await pingOk(time, a, '192.0.2.2', 3), 3, 'first pings');
  equal(await pingOk(time, b, '192.0.2.1', 3), 3, 'first pings back');
  // CREATE_CHILD_SA (child rekey) and the INFORMATIONAL Delete of the old child that follows it
  const firstSpi = b.ops.ipsecSas()[0].inbound.spi;
  a.engine.startChildRekey(saA, saA.children[0]);
  await until(time, () => saB.children.length === 1 && saB.children[0].spiIn.toString(16) !== firstSpi.toString() &&
    b.ops.ipsecSas().length === 1 && b.ops.ipsecSas()[0].inbound.spi !== firstSpi, 20_000, 'child rekey');
  await run(time, 3000);
  // INFORMATIONAL: liveness checks both ways (a request to B, and A's response to B's)
  void sendDpd(a.engine, saA);
  await run(time, 500);
  void sendDpd(b.engine, saB);
  await run(time, 500);
  equal(await pingOk(time, a, '192.0.2.2', 3), 3, 'pings after the rekey');
  equal(await pingOk(time, b, '192.0.2.1', 3), 3, 'pings back after the rekey');
  await run(time, 1000);
  recording = false; // the recording is the corpus; later genuine traffic only goes to `recent`
  const ike = all.filter((c) => c.ike), esp = all.filter((c) => !c.ike);
  const have = (x: number, resp: boolean) => ike.some((c) => c.exchange === x && c.response === resp);
  ok(have(34, false) && have(35, false) && have(36, false) && have(37, false) && have(37, true),
    `recorded IKE_SA_INIT, IKE_AUTH, CREATE_CHILD_SA, INFORMATIONAL requests and a response: ${ike.map((c) => `${c.exchange}${c.response ? 'r' : ''}`).join(' ')}`);
  ok(esp.length >= 6, `recorded ESP (${esp.length})`);
  equal(saA.state, 'established', 'A still up after recording');
  return {
    time, wire, a, b, ike, esp, all, recent, saA, saB, escapes,
    get feeding() { return state.feeding; }, set feeding(v: boolean) { state.feeding = v; },
  };
}

// ------------------------------------------------------------------ byte helpers

function u32(b: Uint8Array, o: number): number { return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0; }
function put32(b: Uint8Array, o: number, v: number): void { b[o] = v >>> 24; b[o + 1] = (v >>> 16) & 0xff; b[o + 2] = (v >>> 8) & 0xff; b[o + 3] = v & 0xff; }
function put16(b: Uint8Array, o: number, v: number): void { b[o] = (v >>> 8) & 0xff; b[o + 1] = v & 0xff; }
function u16(b: Uint8Array, o: number): number { return (b[o] << 8) | b[o + 1]; }

/** The datagram `c` came in as, with `ike` (an IKE message) in place of its payload. */
function asIke(c: Captured, ike: Uint8Array): Datagram {
  if (c.d.dport === 500) return { ...c.d, data: ike };
  const data = new Uint8Array(ike.length + NON_ESP_MARKER);
  data.set(ike, NON_ESP_MARKER);
  return { ...c.d, data };
}

/** Generic headers of an IKE message's payload chain (as far as it is consistent). */
function chain(m: Uint8Array): { type: number; at: number; len: number }[] {
  const out: { type: number; at: number; len: number }[] = [];
  let next = m[16], o = 28;
  while (next !== 0 && o + 4 <= m.length && out.length < 300) {
    const len = u16(m, o + 2);
    if (len < 4 || o + len > m.length) break;
    out.push({ type: next, at: o, len });
    if (next === 46 || next === 53) break;
    next = m[o]; o += len;
  }
  return out;
}

const pick = <T>(p: Prng, xs: T[]): T => xs[p.int(xs.length)];
const LIES = [0, 1, 3, 4, 7, 8, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xfffe, 0xffff];
const TYPES = [0, 1, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 53, 54, 128, 200, 255];

// ------------------------------------------------------------------ mutators

interface FuzzState { bed: Bed; p: Prng }
type Mutator = (s: FuzzState) => Datagram;

/** Current SPIs of B's tunnel: the IKE SA's and the inbound ESP SA's. */
function liveSpis(b: Bed): { spiI: Uint8Array; spiR: Uint8Array; esp: number[]; expected: number } {
  const sa = b.saB;
  return { spiI: sa.spiI, spiR: sa.spiR, esp: sa.children.map((c) => c.spiIn), expected: sa.manager.expectedRequestId };
}

function ikeHeader(spiI: Uint8Array, spiR: Uint8Array, next: number, exchange: number, flags: number, mid: number, len: number): Uint8Array {
  const h = new Uint8Array(28);
  h.set(spiI, 0); h.set(spiR, 8); h[16] = next; h[17] = 0x20; h[18] = exchange; h[19] = flags;
  put32(h, 20, mid); put32(h, 24, len);
  return h;
}

/**
 * A base for the generic mutators: a recorded datagram as it was (old message IDs and SPIs: dropped
 * early), or one brought up to date so that a mutation gets as far as the ICV check — an encrypted
 * request with the message ID B expects next (or the last one, whose response is cached), an ESP packet
 * of the Child SA in use with a fresh sequence number.
 */
function anyDatagram(s: FuzzState): Captured {
  const p = s.p, k = p.int(10);
  if (k < 4) return pick(p, s.bed.all);
  if (k < 7) {
    const c = skIke(s), m = c.ike!.slice();
    if (!c.response) put32(m, 20, (s.bed.saB.manager.expectedRequestId - p.int(2)) >>> 0);
    return { ...c, ike: m, d: asIke(c, m) };
  }
  const c = liveEsp(s), data = c.d.data.slice();
  put32(data, 4, u32(data, 4) + 1 + p.int(1 << 20));
  return { d: { ...c.d, data } };
}
const anyIke = (s: FuzzState): Captured => pick(s.p, s.bed.ike);
/** Encrypted IKE messages (everything but IKE_SA_INIT). */
const skIke = (s: FuzzState): Captured => pick(s.p, s.bed.ike.filter((c) => c.exchange !== 34));
/** ESP packets of the Child SA in use now (recorded after the rekey), else any. */
function liveEsp(s: FuzzState): Captured {
  const live = new Set(liveSpis(s.bed).esp);
  const xs = s.bed.esp.filter((c) => live.has(u32(c.d.data, 0)));
  return pick(s.p, xs.length ? xs : s.bed.esp);
}

export const MUTATORS: Record<string, Mutator> = {
  bitflip(s) {
    const c = anyDatagram(s), data = c.d.data.slice();
    const n = 1 + s.p.int(8);
    for (let i = 0; i < n; i++) { const bit = s.p.int(data.length * 8); data[bit >> 3] ^= 1 << (bit & 7); }
    return { ...c.d, data };
  },
  byteset(s) {
    const c = anyDatagram(s), data = c.d.data.slice();
    const n = 1 + s.p.int(4);
    for (let i = 0; i < n; i++) data[s.p.int(data.length)] = s.p.int(2) ? s.p.int(256) : pick(s.p, [0, 1, 0x7f, 0x80, 0xfe, 0xff]);
    return { ...c.d, data };
  },
  truncate(s) {
    const c = anyDatagram(s);
    return { ...c.d, data: c.d.data.slice(0, s.p.int(c.d.data.length)) };
  },
  extend(s) {
    const c = anyDatagram(s);
    const junk = s.p.bytes(1 + s.p.int(s.p.int(4) === 0 ? 1500 : 64));
    if (c.ike && s.p.int(2)) {
      // keep the IKE header's length consistent, so the chain walk sees the junk
      const m = new Uint8Array(c.ike.length + junk.length);
      m.set(c.ike); m.set(junk, c.ike.length); put32(m, 24, m.length);
      return asIke(c, m);
    }
    const data = new Uint8Array(c.d.data.length + junk.length);
    data.set(c.d.data); data.set(junk, c.d.data.length);
    return { ...c.d, data };
  },
  'ike-length'(s) {
    const c = anyIke(s), m = c.ike!.slice();
    const k = 1 + s.p.int(64);
    const v = pick(s.p, [m.length + k, m.length - k, 0, 27, 28, 29, 0xffffffff, 0x80000000, m.length + 4, m.length - 4]);
    put32(m, 24, v >>> 0);
    return asIke(c, m);
  },
  'payload-length'(s) {
    const c = anyIke(s), m = c.ike!.slice();
    const ch = chain(m);
    if (!ch.length) return asIke(c, m);
    // the SK payload (last) half the time: its length, the ciphertext's alignment and the ICV's place
    const pl = s.p.int(2) && ch[ch.length - 1].type === 46 ? ch[ch.length - 1] : pick(s.p, ch);
    const k = 1 + s.p.int(16);
    const v = s.p.int(3) === 0 ? pick(s.p, LIES) : pl.len + (s.p.int(2) ? k : -k);
    put16(m, pl.at + 2, v & 0xffff);
    if (s.p.int(3) === 0) {
      // a consistent lie: the message shrinks or grows with the payload, the IKE length follows
      const d = (v & 0xffff) - pl.len;
      if (d < 0 && pl.len + d >= 4) {
        const out = new Uint8Array(m.length + d);
        out.set(m.subarray(0, pl.at + pl.len + d)); out.set(m.subarray(pl.at + pl.len), pl.at + pl.len + d);
        put32(out, 24, out.length);
        return asIke(c, out);
      }
      if (d > 0) {
        const out = new Uint8Array(m.length + d);
        out.set(m.subarray(0, pl.at + pl.len)); out.set(s.p.bytes(d), pl.at + pl.len); out.set(m.subarray(pl.at + pl.len), pl.at + pl.len + d);
        put32(out, 24, out.length);
        return asIke(c, out);
      }
    }
    return asIke(c, m);
  },
  chain(s) {
    const p = s.p;
    if (p.int(2)) {
      // rewrite one next-payload field (the header's, or a payload's) of a recorded message
      const c = anyIke(s), m = c.ike!.slice();
      const ch = chain(m);
      const i = p.int(ch.length + 1);
      const at = i === ch.length ? 16 : ch[i].at;
      m[at] = p.int(2) ? pick(p, TYPES) : (ch.length ? pick(p, ch).type : 41); // a random type, or one that repeats
      return asIke(c, m);
    }
    // a built chain of up to 300 payloads that point at a type that repeats (a "loop"), on B's real SPIs
    const live = liveSpis(s.bed);
    const n = p.int(3) === 0 ? 300 : 1 + p.int(300);
    const t = pick(p, [41, 43, 40, 200, 47, 33, 44, 42]);
    const bodyLen = pick(p, [0, 4, 8]);
    const end = pick(p, ['none', 'repeat', 'sk', 'skf']);
    const parts: Uint8Array[] = [];
    for (let i = 0; i < n; i++) {
      const g = new Uint8Array(4 + bodyLen);
      const last = i === n - 1;
      g[0] = last ? (end === 'none' ? 0 : end === 'repeat' ? t : end === 'sk' ? 46 : 53) : t;
      put16(g, 2, g.length);
      if (t === 41 && bodyLen >= 4) { g[4] = 0; g[5] = 0; put16(g, 6, 16430); } // N(NAT-D…)-ish: proto 0, SPI size 0
      parts.push(g);
    }
    if (end === 'sk' || end === 'skf') {
      const body = p.bytes(end === 'sk' ? 4 + 16 + 32 + 16 : 4 + 4 + 16 + 32 + 16);
      body[0] = 41; put16(body, 2, body.length);
      if (end === 'skf') { put16(body, 4, 1); put16(body, 6, 1); }
      parts.push(body);
    }
    const len = 28 + parts.reduce((x, y) => x + y.length, 0);
    const m = new Uint8Array(len);
    const exchange = pick(p, [34, 35, 36, 37]);
    m.set(ikeHeader(exchange === 34 ? p.bytes(8) : live.spiI, exchange === 34 ? new Uint8Array(8) : live.spiR,
      t, exchange, 0x08, exchange === 34 ? 0 : live.expected, len));
    let o = 28;
    for (const x of parts) { m.set(x, o); o += x.length; }
    const base = pick(p, s.bed.ike.filter((c) => c.d.dport === (exchange === 34 ? 500 : 4500)));
    return asIke(base, m);
  },
  'spi-swap'(s) {
    const p = s.p, live = liveSpis(s.bed);
    if (p.int(2)) {
      // ESP: B's inbound SPI, a garbage body (the lookup succeeds, the ICV check must not)
      const c = liveEsp(s);
      const data = p.bytes(8 + p.int(200));
      put32(data, 0, pick(p, live.esp));
      if (p.int(2)) put32(data, 4, 1 + p.int(1 << 20)); // a plausible, fresh sequence number
      return { ...c.d, data };
    }
    // IKE: B's established IKE SA's SPIs and a plausible header, an SK payload of garbage
    const exchange = pick(p, [35, 36, 37, 37, 37]);
    const response = p.int(4) === 0;
    const mid = response ? s.bed.saB.manager.nextRequestId - 1 : live.expected + (p.int(2) ? 0 : -1);
    const bodyLen = pick(p, [16 + 16, 16 + 16 + 16, 16 + 32 + 16, 16 + 64 + 16, 4 + p.int(300)]);
    const sk = p.bytes(4 + bodyLen);
    sk[0] = pick(p, [41, 42, 33, 0]); sk[1] = 0; put16(sk, 2, sk.length);
    const m = new Uint8Array(28 + sk.length);
    m.set(ikeHeader(live.spiI, live.spiR, 46, exchange, 0x08 | (response ? 0x20 : 0), mid >>> 0, m.length));
    m.set(sk, 28);
    return asIke(pick(p, s.bed.ike.filter((c) => c.d.dport === 4500)), m);
  },
  msgid(s) {
    const p = s.p, c = skIke(s);
    if (p.int(4) === 0) return { ...c.d, data: c.d.data.slice() }; // a plain replay of a recorded message
    const m = c.ike!.slice(), exp = s.bed.saB.manager.expectedRequestId;
    const v = pick(p, [0, 1, 2, exp - 1, exp, exp + 1, exp + 1 + p.int(1000), 0x7fffffff, 0xffffffff, p.u32()]);
    put32(m, 20, v >>> 0);
    return asIke(c, m);
  },
  'init-flood'(s) {
    // IKE_SA_INIT requests with fresh initiator SPIs (a flood of half-open SAs, each with its own keys),
    // sometimes with a corrupted KE, nonce or proposal, from the peer's address or another one
    const p = s.p, c = pick(p, s.bed.ike.filter((x) => x.exchange === 34 && !x.response));
    const m = c.ike!.slice();
    m.set(p.bytes(8), 0);
    if (p.int(2)) { const n = 1 + p.int(4); for (let i = 0; i < n; i++) m[28 + p.int(m.length - 28)] ^= 1 << p.int(8); }
    const src = p.int(4) ? c.d.src : `198.51.100.${1 + p.int(250)}`;
    return { ...asIke(c, m), src, sport: p.int(4) ? c.d.sport : 1024 + p.int(60000) };
  },
  address(s) {
    // genuine datagrams (the last request, whose response is cached, is authentic) replayed from
    // another source port or address: answered from the cache, never moving the SA's endpoints
    const p = s.p, c = p.int(2) && s.bed.recent.length ? pick(p, s.bed.recent) : pick(p, s.bed.all);
    const data = c.d.data.slice();
    if (p.int(4) === 0) { const bit = p.int(data.length * 8); data[bit >> 3] ^= 1 << (bit & 7); }
    const src = p.int(2) ? c.d.src : pick(p, ['10.77.0.3', '198.51.100.7', '0.0.0.0', '255.255.255.255', '10.77.0.2']);
    const sport = p.int(3) ? pick(p, [500, 4500, 4501, 1, 65535]) : 1 + p.int(65535);
    return { ...c.d, data, src, sport };
  },
  'esp-icv'(s) {
    const c = liveEsp(s), data = c.d.data.slice();
    const n = 1 + s.p.int(4);
    for (let i = 0; i < n; i++) data[data.length - 1 - s.p.int(16)] ^= 1 + s.p.int(255);
    // and a fresh sequence number half the time, so the replay check passes and the ICV check decides
    if (s.p.int(2)) put32(data, 4, u32(data, 4) + 1 + s.p.int(1 << 16));
    return { ...c.d, data };
  },
  'esp-replay'(s) {
    const c = liveEsp(s);
    return { ...c.d, data: c.d.data.slice() };
  },
  'esp-short'(s) {
    const c = liveEsp(s);
    const len = s.p.int(2) ? s.p.int(8) : 8 + s.p.int(64);
    return { ...c.d, data: c.d.data.slice(0, Math.min(len, c.d.data.length)) };
  },
  keepalive(s) {
    const c = liveEsp(s);
    return { ...c.d, data: s.p.int(8) ? new Uint8Array([0xff]) : new Uint8Array([0xff, 0xff]) };
  },
  marker(s) {
    const c = liveEsp(s);
    const body = s.p.bytes(s.p.int(s.p.int(4) === 0 ? 400 : 40));
    if (body.length >= 28 && s.p.int(2)) { body[17] = 0x20; put32(body, 24, body.length); } // looks like IKEv2 a bit longer
    const data = new Uint8Array(4 + body.length);
    data.set(body, 4);
    return { ...c.d, data };
  },
};

/** What each class must show in the counters when fed alone ('engine:x' IKE drops, 'esp:x' data plane, 'keepalive'). */
export const EXPECTED: Record<string, string[]> = {
  bitflip: ['engine:integrity', 'esp:icv'],
  byteset: ['engine:integrity', 'esp:icv'],
  truncate: ['engine:length', 'esp:short'],
  extend: ['engine:length', 'engine:syntax', 'esp:icv'],
  'ike-length': ['engine:length'],
  'payload-length': ['engine:length', 'engine:syntax'],
  chain: ['engine:syntax', 'engine:length'],
  'spi-swap': ['engine:integrity', 'esp:icv'],
  msgid: ['engine:message-id', 'engine:integrity'],
  'init-flood': ['engine:cookie-required'],
  address: ['answered', 'esp:replay'],
  'esp-icv': ['esp:icv'],
  'esp-replay': ['esp:replay'],
  'esp-short': ['esp:short'],
  keepalive: ['keepalive'],
  marker: ['engine:short', 'engine:version'],
};

// ------------------------------------------------------------------ accounting

interface Snapshot { engine: Record<string, number>; esp: Record<string, number>; keepalive: number; total: number }

function snapshot(r: Router): Snapshot {
  const engine = { ...r.engine.stats.dropped }, esp = { ...r.dataplane.drops };
  const keepalive = r.counters.keepalivesIn;
  let total = keepalive;
  for (const v of Object.values(engine)) total += v;
  for (const v of Object.values(esp)) total += v;
  return { engine, esp, keepalive, total };
}

function dropSum(r: Router): number {
  let n = r.counters.keepalivesIn;
  for (const v of Object.values(r.engine.stats.dropped)) n += v;
  for (const v of Object.values(r.dataplane.drops)) n += v;
  return n;
}

function delta(after: Snapshot, before: Snapshot): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after.engine)) if (v - (before.engine[k] ?? 0)) out[`engine:${k}`] = v - (before.engine[k] ?? 0);
  for (const [k, v] of Object.entries(after.esp)) if (v - (before.esp[k] ?? 0)) out[`esp:${k}`] = v - (before.esp[k] ?? 0);
  if (after.keepalive - before.keepalive) out.keepalive = after.keepalive - before.keepalive;
  return out;
}

/** How a case that no drop counter recorded was handled (must be one of these, else it is "silent"). */
function handledQuietly(b: Router, ikeOutBefore: number, sasBefore: number): string | undefined {
  if (b.counters.ikeOut > ikeOutBefore) return 'answered'; // a retransmitted request: the cached response again
  if (b.engine.sas.size > sasBefore) return 'half-open'; // a new IKE_SA_INIT request: a new half-open SA
  return undefined;
}

// ------------------------------------------------------------------ the campaign

interface Result {
  cases: number; ms: number;
  /** Cases a drop counter recorded, and cases handled otherwise (by how), and the rest. */
  dropped: number; quiet: Record<string, number>; silent: number;
  /** The first silent cases (hex). */
  samples: string[];
  /** Counter deltas over the campaign (including drops of what B's answers provoked). */
  reasons: Record<string, number>;
}

async function campaign(t: Bed, o: EngineFuzzOptions, classes: string[], cases: number, seed: number,
  checkpoint?: (i: number) => Promise<void>): Promise<Result> {
  const p = new Prng(seed);
  const s: FuzzState = { bed: t, p };
  const quiet: Record<string, number> = {};
  const samples: string[] = [];
  let dropped = 0, silent = 0;
  const start = snapshot(t.b);
  const t0 = Date.now();
  for (let i = 0; i < cases; i++) {
    const cls = classes[p.int(classes.length)];
    let d: Datagram;
    try { d = MUTATORS[cls](s); } catch (e) { throw new Error(`engine fuzz: mutator ${cls} failed at case ${i}: ${(e as Error).stack}`); }
    const before = dropSum(t.b), ikeOut = t.b.counters.ikeOut, sas = t.b.engine.sas.size;
    t.feeding = true;
    try {
      t.b.receive(d);
    } catch (e) {
      throw new Error(`engine fuzz: receive() threw (seed ${seed}, case ${i}, ${cls}): ${(e as Error).stack}\n  datagram ${d.dport} ${hex(d.data)}`);
    } finally {
      t.feeding = false;
    }
    // nothing fed here is fresh and authentic: B's IKE SA must not move to where it came from (§2.23)
    const { local, remote } = t.saB;
    if (remote.port !== 4500 || remote.addr !== '10.77.0.1' || local.port !== 4500 || local.addr !== '10.77.0.2') {
      throw new Error(`engine fuzz: B's IKE SA moved to ${local.addr}:${local.port} ↔ ${remote.addr}:${remote.port} ` +
        `(seed ${seed}, case ${i}, ${cls}): datagram from ${d.src}:${d.sport} to port ${d.dport} ${hex(d.data)}`);
    }
    if (dropSum(t.b) !== before) dropped++;
    else {
      const how = handledQuietly(t.b, ikeOut, sas);
      if (how) quiet[how] = (quiet[how] ?? 0) + 1;
      else if (++silent <= 20) samples.push(`${cls} case ${i}: ${d.src}:${d.sport} → ${d.dport} ${hex(d.data).slice(0, 200)}`);
    }
    if (t.escapes.length) throw new Error(`engine fuzz: exception escaped (seed ${seed}, case ${i}, ${cls}): ${t.escapes.join('\n')}\n  datagram ${d.dport} ${hex(d.data)}`);
    // virtual time moves on (timers: half-open expiry, DPD, retransmissions) and async crypto completes
    if (i % 256 === 255) await run(t.time, 250);
    if (checkpoint && (i + 1) % 10_000 === 0) await checkpoint(i + 1);
  }
  await run(t.time, 100);
  if (t.escapes.length) throw new Error(`engine fuzz: exception escaped (seed ${seed}): ${t.escapes.join('\n')}`);
  const end = snapshot(t.b);
  return { cases, ms: Date.now() - t0, dropped, quiet, silent, samples, reasons: delta(end, start) };
}

/** The tunnel still works: pings 5/5 both ways, the same IKE SA on both sides, nothing half-dead. */
async function healthy(t: Bed, what: string): Promise<void> {
  t.wire.log.length = 0; // the simulated wire's own record would otherwise grow with every response B sends
  equal(await pingOk(t.time, t.a, '192.0.2.2'), 5, `${what}: ping A→B`);
  equal(await pingOk(t.time, t.b, '192.0.2.1'), 5, `${what}: ping B→A`);
  equal(t.saB.state, 'established', `${what}: B's IKE SA state`);
  equal(t.saA.state, 'established', `${what}: A's IKE SA state`);
  const eb = established(t.b), ea = established(t.a);
  ok(eb.length === 1 && eb[0] === t.saB, `${what}: B still has exactly its IKE SA (${eb.map((x) => x.id).join(',')})`);
  ok(ea.length === 1 && ea[0] === t.saA, `${what}: A still has exactly its IKE SA (${ea.map((x) => x.id).join(',')})`);
  equal(t.saB.children.length, 1, `${what}: B's Child SAs`);
  const ep = (e: { addr: string; port: number }) => `${e.addr}:${e.port}`;
  equal(`${ep(t.saB.local)} ${ep(t.saB.remote)}`, '10.77.0.2:4500 10.77.0.1:4500', `${what}: B's IKE SA endpoints`);
}

function halfOpen(r: Router): number { return r.engine.list().filter((s) => s.state === 'connecting').length; }

const MB = 1024 * 1024;

export function engineFuzzSuite(o: EngineFuzzOptions = {}): void {
  const cases = o.cases ?? 100_000;
  const classCases = o.classCases ?? 2_000;
  const seed = o.seed ?? 0x1c0ffee;

  describe('IKEv2/ESP responder under hostile datagrams (mutated recordings of a real exchange)', () => {
    let stop: (() => void) | undefined;
    const escaped: string[] = [];
    before(() => { stop = o.watchEscapes?.((what, e) => escaped.push(`${what}: ${(e as Error)?.stack ?? String(e)}`)); });
    after(() => stop?.());

    it(`${cases} mutated IKE and ESP datagrams: nothing escapes, memory bounded, the tunnel keeps passing traffic, drops counted`, async () => {
      const t = await bed();
      const { core } = await env();
      const mem: { at: number; heap?: number; wasm: number; contexts: number; halfOpen: number }[] = [];
      const measure = (at: number): void => {
        o.gc?.();
        mem.push({ at, heap: o.heapUsed?.(), wasm: core.x.memory.buffer.byteLength, contexts: core.liveContexts, halfOpen: halfOpen(t.b) });
      };
      await healthy(t, 'before');
      measure(0);
      const r = await campaign(t, o, Object.keys(MUTATORS), cases, seed, async (i) => {
        await healthy(t, `after ${i} cases`);
        equal(escaped.length, 0, `escaped to the runtime after ${i} cases: ${escaped.join('\n')}`);
        measure(i);
      });
      await healthy(t, 'at the end');
      measure(cases);
      equal(escaped.length, 0, `escaped to the runtime: ${escaped.join('\n')}`);

      // memory: after the warm-up (30 % of the cases or 30,000: the half-open table has filled), no growth
      // beyond a margin — WASM memory pages, live key contexts, half-open SAs, the JS heap after GC
      const warmAt = mem.findIndex((m) => m.at >= Math.min(30_000, cases * 0.3));
      const warm = mem[warmAt];
      const report = mem.map((m) => `${m.at}: heap ${m.heap === undefined ? '?' : (m.heap / MB).toFixed(1)} MB, wasm ${(m.wasm / MB).toFixed(2)} MB, ` +
        `contexts ${m.contexts}, half-open ${m.halfOpen}`).join('\n  ');
      for (const m of mem) {
        ok(m.halfOpen <= 1000, `half-open SAs bounded (engine limit 1000):\n  ${report}`);
        ok(m.contexts <= 4 * 1000 + 64, `live key contexts bounded:\n  ${report}`);
      }
      for (const m of mem.slice(warmAt + 1)) {
        ok(m.wasm <= warm.wasm + MB, `WASM memory does not grow after warm-up:\n  ${report}`);
        if (m.heap !== undefined && warm.heap !== undefined) {
          ok(m.heap <= warm.heap + (o.gc ? 24 : 96) * MB, `JS heap bounded after warm-up:\n  ${report}`);
        }
      }

      // drops: every case is a drop on some counter, or handled in a way the protocol asks for
      // (answered from the response cache, or a new half-open SA for an IKE_SA_INIT request)
      const summary = `${cases} cases in ${(r.ms / 1000).toFixed(1)} s: dropped ${r.dropped}, handled ${JSON.stringify(r.quiet)}, ` +
        `silent ${r.silent}\n  counters ${JSON.stringify(r.reasons)}\n  ${report}${r.samples.length ? `\n  silent: ${r.samples.slice(0, 5).join('\n  ')}` : ''}`;
      console.log(`engine fuzz: ${summary}`);
      ok(r.dropped >= cases * 0.9, `drop counters account for ≥ 90 % of the cases: ${summary}`);
      const sum = Object.values(r.reasons).reduce((x, y) => x + y, 0);
      ok(sum >= r.dropped, `the counters' total (${sum}) covers the dropped cases: ${summary}`);
      equal(r.silent, 0, `cases that left no trace in the counters: ${summary}`);
    });

    for (const cls of Object.keys(MUTATORS)) {
      it(`${cls} alone, ${classCases} cases: dropped as ${EXPECTED[cls].join(' and ')}, tunnel unharmed`, async () => {
        const t = await bed();
        const r = await campaign(t, o, [cls], classCases, seed ^ cls.length * 7919 ^ cls.charCodeAt(0));
        equal(escaped.length, 0, `escaped to the runtime: ${escaped.join('\n')}`);
        const why = `${cls}: dropped ${r.dropped}, handled ${JSON.stringify(r.quiet)}, silent ${r.silent}, counters ${JSON.stringify(r.reasons)}` +
          `${r.samples.length ? `\n  silent: ${r.samples.slice(0, 3).join('\n  ')}` : ''}`;
        for (const want of EXPECTED[cls]) ok((r.reasons[want] ?? r.quiet[want] ?? 0) > 0, `${want} counted: ${why}`);
        equal(r.silent, 0, `cases without a trace in the counters: ${why}`);
        await healthy(t, `after ${cls}`);
      });
    }
  });
}
