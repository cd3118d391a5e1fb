// Full IKE_SA_INIT + IKE_AUTH handshakes per second between two in-process IkeEngines (npm run bench:ike),
// shared by Node (node:crypto ECDH, test/bench/ike-node.ts) and Chromium (WebCrypto ECDH,
// test/bench/ike-page.ts).
//
// What one handshake is: engine A (initiator) connect()s the tunnel plan of pairConfig('A') — PSK,
// IKE aes-cbc-256/sha-256/prf sha-256 with DH group 19/20/21, ESP esp-256-aes/esp-hmac-sha-256, optionally
// a manual PPK on both sides (RFC 8784) — and engine B answers as the responder; the handshake counts once
// A's IKE SA is 'established' with its Child SA installed (B is established before it sends the IKE_AUTH
// response). Both SAs are then removed locally (engine.remove: keys wiped, timers stopped, no Delete on
// the wire) so the tables never grow. Everything the routers do for a handshake runs: decode, message-ID
// and ICV checks, SK encryption, ECDH on the platform, prf+/SKEYSEED, PPK mixing, AUTH, Child SA keys and
// ESP SA set-up in WASM, the trace strings. Not included: UDP sockets, the Router's data-plane
// installation and syslog.
//
// The wire delivers each datagram (a copy) with queueMicrotask, not on a timer; the clock is real, but
// timers never fire (a lossless instantaneous wire needs no retransmission) — they are only counted, so a
// leak shows up in the verification. "1 in flight" runs one handshake at a time; "16 in flight" keeps 16
// going at once (WebCrypto runs ECDH off the main thread in Chromium, so overlap can help there).
import type { Core } from '../../src/crypto/core.js';
import { type Bytes, hex } from '../../src/crypto/bytes.js';
import { type DhGroup, type Platform, platform, usePlatform } from '../../src/crypto/platform.js';
import { randomBytes } from '../../src/crypto/random.js';
import { loadConfig } from '../../src/config/load.js';
import type { RouterConfig } from '../../src/config/model.js';
import { IkeEngine } from '../../src/ike/engine.js';
import type { TunnelPlan } from '../../src/ike/plan.js';
import type { IkeSa } from '../../src/ike/sa.js';
import { ConfigPolicy } from '../../src/router/plan.js';
import type { TimeSource, TimerHandle } from '../../src/util/clock.js';
import { pairConfig } from '../support/sim.js';

export const GROUPS: DhGroup[] = [19, 20, 21];
export const IN_FLIGHT = [1, 16] as const;
const PPK_LINE = 'ppk manual id benchppkid key 0123456789abcdef0123456789abcdef required';

export interface IkeCase { group: DhGroup; ppk: boolean }
export const CASES: IkeCase[] = GROUPS.flatMap((group) => [false, true].map((ppk) => ({ group, ppk })));
export const caseName = (c: IkeCase) => `group ${c.group}${c.ppk ? ' + PPK' : ''}`;

/** One row of the JSON output. */
export interface IkeRow {
  runtime: 'node' | 'chromium';
  group: DhGroup;
  ppk: boolean;
  /** Median handshakes/s over the rounds, one at a time and 16 at a time. */
  hsPerSec: number;
  hsPerSecParallel: number;
  /** ms per handshake (1 in flight). */
  msPerHs: number;
  /** Share of the 1-in-flight time spent awaiting the platform's ECDH (2 × generate + 2 × derive). */
  ecdhShare: number;
  /** Handshake-equivalents of ECDH alone (2 × generate + 2 × derive, sequential) per second: the ceiling. */
  ecdhOnlyPerSec: number;
  /** (max − min) / median of the 1-in-flight rounds, percent. */
  spreadPct: number;
}

export interface IkeBenchResult { rows: IkeRow[]; checks: string[]; env: Record<string, unknown> }

export interface IkeRunOptions { quick: boolean; progress?: (msg: string) => void }

// ---------------------------------------------------------------- plumbing

/** Real clock; timers are recorded (and counted) but never fire. */
class CountingTime implements TimeSource {
  private seq = 0;
  readonly live = new Set<number>();
  now(): Date { return new Date(); }
  setTimeout(_fn: () => void, _ms: number): TimerHandle { const id = ++this.seq; this.live.add(id); return { id }; }
  clearTimeout(h: TimerHandle | undefined): void { if (h) this.live.delete(h.id); }
}

/** The platform with the wall time spent awaiting ECDH added up. */
class TimedPlatform implements Platform {
  ms = 0;
  calls = 0;
  constructor(readonly base: Platform) {}
  get name() { return `${this.base.name} (timed)`; }
  async ecdhGenerate(g: DhGroup) {
    const t = performance.now();
    try { return await this.base.ecdhGenerate(g); } finally { this.ms += performance.now() - t; this.calls++; }
  }
  async ecdhDerive(p: Parameters<Platform['ecdhDerive']>[0], ke: Bytes) {
    const t = performance.now();
    try { return await this.base.ecdhDerive(p, ke); } finally { this.ms += performance.now() - t; this.calls++; }
  }
  ecdhImport(...a: Parameters<Platform['ecdhImport']>) { return this.base.ecdhImport(...a); }
  rsaImportPublic(...a: Parameters<Platform['rsaImportPublic']>) { return this.base.rsaImportPublic(...a); }
  rsaImportPrivate(...a: Parameters<Platform['rsaImportPrivate']>) { return this.base.rsaImportPrivate(...a); }
  rsaSign(...a: Parameters<Platform['rsaSign']>) { return this.base.rsaSign(...a); }
  rsaVerify(...a: Parameters<Platform['rsaVerify']>) { return this.base.rsaVerify(...a); }
}

function config(text: string): RouterConfig {
  const r = loadConfig(text);
  if (r.errors.length || r.commitErrors.length) throw new Error(`bench:ike: bad configuration: ${JSON.stringify([...r.errors, ...r.commitErrors])}`);
  return r.config;
}

interface Waiter { resolve(): void; reject(e: Error): void }

/** Two engines on a direct microtask wire. */
export class EnginePair {
  readonly time = new CountingTime();
  readonly a: IkeEngine;
  readonly b: IkeEngine;
  readonly plan: TunnelPlan;
  private readonly waiting = new Map<IkeSa, Waiter>();
  /** Responder SAs that reached 'established', by SPIi. */
  readonly upB = new Map<string, IkeSa>();
  datagrams = 0;

  constructor(core: Core, c: IkeCase) {
    const o = { dh: String(c.group), ppkA: c.ppk ? PPK_LINE : undefined, ppkB: c.ppk ? PPK_LINE : undefined };
    const cfgA = config(pairConfig('A', o)), cfgB = config(pairConfig('B', o));
    const common = { core, time: this.time, random: randomBytes, dpdSec: 0 };
    this.a = new IkeEngine({
      ...common, policy: new ConfigPolicy(() => cfgA),
      send: (from, to, m) => { const d = m.slice(); this.datagrams++; queueMicrotask(() => this.b.receive(from, to, d)); },
      events: {
        ikeChanged: (sa) => {
          const w = this.waiting.get(sa);
          if (!w) return;
          if (sa.state === 'established') { this.waiting.delete(sa); w.resolve(); }
          else if (sa.state === 'dead') { this.waiting.delete(sa); w.reject(new Error(`bench:ike: handshake failed: ${sa.failure}`)); }
        },
      },
    });
    this.b = new IkeEngine({
      ...common, policy: new ConfigPolicy(() => cfgB),
      send: (from, to, m) => { const d = m.slice(); this.datagrams++; queueMicrotask(() => this.a.receive(from, to, d)); },
      events: { ikeChanged: (sa) => { if (sa.state === 'established') this.upB.set(hex(sa.spiI), sa); } },
    });
    const plans = this.a.policy.tunnels();
    if (plans.length !== 1) throw new Error(`bench:ike: expected one tunnel plan, got ${plans.length}`);
    this.plan = plans[0];
  }

  /** One handshake to established on both sides; returns both SAs (still registered). */
  async up(): Promise<[IkeSa, IkeSa]> {
    const sa = this.a.connect(this.plan);
    // ikeChanged fires synchronously inside later microtasks, never inside connect(): register now
    await new Promise<void>((resolve, reject) => {
      if (sa.state === 'established') resolve(); else this.waiting.set(sa, { resolve, reject });
    });
    const key = hex(sa.spiI);
    const peer = this.upB.get(key);
    if (!peer) throw new Error('bench:ike: initiator established but responder not');
    this.upB.delete(key);
    return [sa, peer];
  }

  down(sa: IkeSa, peer: IkeSa): void {
    this.a.remove(sa, 'bench');
    this.b.remove(peer, 'bench');
  }

  async handshake(): Promise<void> {
    const [sa, peer] = await this.up();
    this.down(sa, peer);
  }
}

// ---------------------------------------------------------------- checks

function check(cond: boolean, what: string): void { if (!cond) throw new Error(`bench:ike: check failed: ${what}`); }

/** One handshake per case, inspected; then a batch, after which nothing may be left behind. */
async function verify(core: Core, c: IkeCase): Promise<string> {
  const p = new EnginePair(core, c);
  const [a, b] = await p.up();
  const n = caseName(c);
  check(a.state === 'established' && b.state === 'established', `${n}: both established`);
  check(a.initiator && !b.initiator, `${n}: roles`);
  check(a.suite?.dh === c.group && b.suite?.dh === c.group, `${n}: DH group ${c.group} negotiated`);
  check(a.ppkUsed === (c.ppk ? 'manual' : undefined) && b.ppkUsed === a.ppkUsed, `${n}: PPK used on both sides: ${a.ppkUsed}/${b.ppkUsed}`);
  check(a.children.length === 1 && b.children.length === 1, `${n}: one Child SA each`);
  check(a.children[0].spiOut === b.children[0].spiIn && a.children[0].spiIn === b.children[0].spiOut, `${n}: Child SA SPIs match`);
  check(p.datagrams === 4, `${n}: 4 datagrams for one handshake (got ${p.datagrams})`);
  p.down(a, b);
  await Promise.all(Array.from({ length: 8 }, () => p.handshake()));
  check(p.a.sas.size === 0 && p.b.sas.size === 0, `${n}: SA tables empty after remove`);
  check(p.time.live.size === 0, `${n}: no timer left behind (${p.time.live.size})`);
  check(p.datagrams === 36, `${n}: 4 datagrams per handshake, no retransmission (${p.datagrams} for 9)`);
  return `${n}: both sides established, group ${c.group}, PPK ${a.ppkUsed ?? 'not used'}, Child SA SPIs match, 4 datagrams, no SA or timer left`;
}

// ---------------------------------------------------------------- timing

const median = (xs: number[]) => { const s = [...xs].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

/** Run `k` handshake loops for `seconds`; rate over the time until the last one finished. */
async function timeHandshakes(p: EnginePair, k: number, seconds: number, tp: TimedPlatform): Promise<{ rate: number; ecdhShare: number }> {
  const t0 = performance.now(), end = t0 + seconds * 1000;
  const ecdh0 = tp.ms;
  let n = 0;
  await Promise.all(Array.from({ length: k }, async () => {
    do { await p.handshake(); n++; } while (performance.now() < end);
  }));
  const ms = performance.now() - t0;
  return { rate: (n / ms) * 1000, ecdhShare: (tp.ms - ecdh0) / ms };
}

/** ECDH alone, as a handshake uses it (both sides: generate, generate, derive, derive), sequential. */
async function timeEcdhOnly(pl: Platform, group: DhGroup, seconds: number): Promise<number> {
  const t0 = performance.now(), end = t0 + seconds * 1000;
  let n = 0;
  do {
    const x = await pl.ecdhGenerate(group), y = await pl.ecdhGenerate(group);
    const s1 = await pl.ecdhDerive(x, y.publicKe), s2 = await pl.ecdhDerive(y, x.publicKe);
    if (s1.length !== s2.length || s1[0] !== s2[0]) throw new Error('bench:ike: ECDH secrets differ');
    n++;
  } while (performance.now() < end);
  return (n / (performance.now() - t0)) * 1000;
}

export async function runIkeBench(core: Core, runtime: IkeRow['runtime'], o: IkeRunOptions): Promise<IkeBenchResult> {
  const say = o.progress ?? (() => {});
  const base = platform();
  const tp = new TimedPlatform(base);
  usePlatform(tp);
  try {
    const checks: string[] = [];
    for (const c of CASES) checks.push(await verify(core, c));
    say(`${runtime}: ${checks.length} cases verified`);
    const t = o.quick ? { warmup: 0.1, seconds: 0.25, rounds: 1 } : { warmup: 0.3, seconds: 1, rounds: 3 };
    const pairs = CASES.map((c) => new EnginePair(core, c));
    const seq: number[][] = CASES.map(() => []), par: number[][] = CASES.map(() => []);
    const share: number[][] = CASES.map(() => []), ecdh: number[][] = CASES.map(() => []);
    // JIT and caches: the first case measured must not pay for them
    await timeHandshakes(pairs[0], 1, o.quick ? 0.3 : 1, tp);
    for (let round = 0; round < t.rounds; round++) {
      for (let i = 0; i < CASES.length; i++) {
        say(`${runtime} round ${round + 1}/${t.rounds}: ${caseName(CASES[i])}`);
        const p = pairs[i];
        await timeHandshakes(p, 1, t.warmup, tp);
        const s = await timeHandshakes(p, 1, t.seconds, tp);
        seq[i].push(s.rate); share[i].push(s.ecdhShare);
        par[i].push((await timeHandshakes(p, 16, t.seconds, tp)).rate);
        ecdh[i].push(await timeEcdhOnly(base, CASES[i].group, t.seconds / 2));
      }
    }
    for (const [i, p] of pairs.entries()) {
      check(p.a.sas.size === 0 && p.b.sas.size === 0 && p.time.live.size === 0, `${caseName(CASES[i])}: nothing left after timing`);
    }
    const rows = CASES.map((c, i): IkeRow => {
      const hs = median(seq[i]);
      return {
        runtime, group: c.group, ppk: c.ppk,
        hsPerSec: round3(hs), hsPerSecParallel: round3(median(par[i])), msPerHs: round3(1000 / hs),
        ecdhShare: Math.round(median(share[i]) * 1000) / 1000, ecdhOnlyPerSec: round3(median(ecdh[i])),
        spreadPct: Math.round(((Math.max(...seq[i]) - Math.min(...seq[i])) / hs) * 100),
      };
    });
    return { rows, checks, env: { runtime, platform: base.name, quick: o.quick, ...t } };
  } finally {
    usePlatform(base);
  }
}

/** Three significant digits. */
function round3(x: number): number {
  if (x === 0) return 0;
  const d = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(x))));
  return Math.round(x * 10 ** d) / 10 ** d;
}
