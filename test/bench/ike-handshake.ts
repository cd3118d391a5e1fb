// Full IKE_SA_INIT + IKE_AUTH handshakes per second between two in-process IkeEngines (npm run bench:ike),
// shared by Node (node:crypto ECDH, test/bench/ike-node.ts) and Chromium (WebCrypto ECDH,
// test/bench/ike-page.ts).
//
// What one handshake is: engine A (initiator) connect()s the tunnel plan of pairConfig('A') — PSK,
// IKE aes-cbc-256/sha-256/prf sha-256 with DH group 19/20/21, ESP esp-256-aes/esp-hmac-sha-256, optionally
// a manual PPK on both sides (RFC 8784) — and engine B answers as the responder. The certificate cases
// (group 19, RSA 2048 or 3072 leaves from the lab CA, with and without PPK) use test/bench/ike-certs.ts's
// configuration instead: `authentication local|remote rsa-signature` + `pki trustpoint`, RFC 7427 method 14
// with SHA-256, the certificates in each side's TrustpointStore; IKE_AUTH then carries CERT and CERTREQ and
// is split into SKF fragments (RFC 7383; the default 1280-byte threshold, as with strongSwan). The handshake
// counts once A's IKE SA is 'established' with its Child SA installed (B is established before it sends the
// IKE_AUTH response). Both SAs are then removed locally (engine.remove: keys wiped, timers stopped, no Delete on
// the wire) so the tables never grow. Everything the routers do for a handshake runs: decode, message-ID
// and ICV checks, SK encryption, ECDH on the platform, prf+/SKEYSEED, PPK mixing, AUTH, Child SA keys and
// ESP SA set-up in WASM, the trace strings; with certificates also RSA signing and verifying on the
// platform, parsing the peer's certificate and validating it against the trustpoint (src/pki). Not
// included: UDP sockets, the Router's data-plane installation and syslog.
//
// The wire delivers each datagram (a copy) with queueMicrotask, not on a timer; the clock is real, but
// timers never fire (a lossless instantaneous wire needs no retransmission) — they are only counted, so a
// leak shows up in the verification. "1 in flight" runs one handshake at a time; "16 in flight" keeps 16
// going at once (WebCrypto runs ECDH and RSA off the main thread in Chromium, so overlap can help there).
// The ECDH and RSA shares are the wall time spent awaiting those Platform calls (TimedPlatform), one at a
// time; the X.509 checks go to WebCrypto directly through @peculiar/x509, so they are not in the RSA share —
// the X.509-only ceiling (ike-certs.ts) measures them alone instead.
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
import type { LabKeySize } from '../../src/pki/lab-ca.js';
import { A_FQDN, B_FQDN, CA_DN, type CertMaterial, certConfig, makeCertMaterial, timeRsaOnly, timeX509Only } from './ike-certs.js';

export const GROUPS: DhGroup[] = [19, 20, 21];
export const IN_FLIGHT = [1, 16] as const;
const PPK_LINE = 'ppk manual id benchppkid key 0123456789abcdef0123456789abcdef required';

/** PSK, or certificates with RSA keys of this many bits. */
export type IkeAuth = 'psk' | 'rsa2048' | 'rsa3072';
export interface IkeCase { group: DhGroup; ppk: boolean; auth: IkeAuth }
export const PSK_CASES: IkeCase[] = GROUPS.flatMap((group) => [false, true].map((ppk) => ({ group, ppk, auth: 'psk' as const })));
export const CERT_CASES: IkeCase[] = (['rsa2048', 'rsa3072'] as const).flatMap((auth) => [false, true].map((ppk) => ({ group: 19 as const, ppk, auth })));
export const CASES: IkeCase[] = [...PSK_CASES, ...CERT_CASES];
export const caseName = (c: IkeCase) => `${c.auth === 'psk' ? '' : `RSA ${c.auth.slice(3)}, `}group ${c.group}${c.ppk ? ' + PPK' : ''}`;
export const sameCase = (a: IkeCase, b: Pick<IkeCase, 'group' | 'ppk'> & { auth?: IkeAuth }) =>
  a.group === b.group && a.ppk === b.ppk && a.auth === (b.auth ?? 'psk');
const certBits = (auth: IkeAuth): LabKeySize | undefined => (auth === 'psk' ? undefined : Number(auth.slice(3)) as LabKeySize);

/** One row of the JSON output. */
export interface IkeRow {
  runtime: 'node' | 'chromium';
  group: DhGroup;
  ppk: boolean;
  auth: IkeAuth;
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
  /** Certificates only: share of the 1-in-flight time awaiting the platform's RSA (2 × import public key, 2 × sign, 2 × verify). */
  rsaShare?: number;
  /** Certificates only: those six RSA calls alone, sequential, per second. */
  rsaOnlyPerSec?: number;
  /** Certificates only: both sides' certificate checks alone (parse, validateChain, identity), sequential, per second. */
  x509OnlyPerSec?: number;
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

/** The platform with the wall time spent awaiting ECDH, and RSA, added up. */
class TimedPlatform implements Platform {
  ms = 0;
  calls = 0;
  rsaMs = 0;
  rsaCalls = { importPublic: 0, importPrivate: 0, sign: 0, verify: 0 };
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
  private async rsa<T>(what: keyof TimedPlatform['rsaCalls'], f: () => Promise<T>): Promise<T> {
    const t = performance.now();
    try { return await f(); } finally { this.rsaMs += performance.now() - t; this.rsaCalls[what]++; }
  }
  rsaImportPublic(...a: Parameters<Platform['rsaImportPublic']>) { return this.rsa('importPublic', () => this.base.rsaImportPublic(...a)); }
  rsaImportPrivate(...a: Parameters<Platform['rsaImportPrivate']>) { return this.rsa('importPrivate', () => this.base.rsaImportPrivate(...a)); }
  rsaGenerate(...a: Parameters<Platform['rsaGenerate']>) { return this.base.rsaGenerate(...a); }
  rsaSign(...a: Parameters<Platform['rsaSign']>) { return this.rsa('sign', () => this.base.rsaSign(...a)); }
  rsaVerify(...a: Parameters<Platform['rsaVerify']>) { return this.rsa('verify', () => this.base.rsaVerify(...a)); }
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

  /**
   * `certs`: required for the certificate cases (each side's TrustpointStore goes to its ConfigPolicy, as a
   * Router's does). `trace`: the engines' trace lines (verification only; tracing costs time).
   */
  constructor(core: Core, c: IkeCase, certs?: CertMaterial, trace?: (side: 'A' | 'B', text: string) => void) {
    const o = { dh: String(c.group), ppkA: c.ppk ? PPK_LINE : undefined, ppkB: c.ppk ? PPK_LINE : undefined };
    if (c.auth !== 'psk' && certs?.bits !== certBits(c.auth)) throw new Error(`bench:ike: ${caseName(c)} needs its certificates`);
    const cfgA = config(c.auth === 'psk' ? pairConfig('A', o) : certConfig('A', { dh: o.dh, ppkLine: o.ppkA }));
    const cfgB = config(c.auth === 'psk' ? pairConfig('B', o) : certConfig('B', { dh: o.dh, ppkLine: o.ppkB }));
    const storeA = c.auth === 'psk' ? undefined : certs!.a.store, storeB = c.auth === 'psk' ? undefined : certs!.b.store;
    const common = { core, time: this.time, random: randomBytes, dpdSec: 0 };
    this.a = new IkeEngine({
      ...common, policy: new ConfigPolicy(() => cfgA, undefined, undefined, storeA),
      send: (from, to, m) => { const d = m.slice(); this.datagrams++; queueMicrotask(() => this.b.receive(from, to, d)); },
      events: {
        ikeChanged: (sa) => {
          const w = this.waiting.get(sa);
          if (!w) return;
          if (sa.state === 'established') { this.waiting.delete(sa); w.resolve(); }
          else if (sa.state === 'dead') { this.waiting.delete(sa); w.reject(new Error(`bench:ike: handshake failed: ${sa.failure}`)); }
        },
        ...(trace ? { trace: (text: string) => trace('A', text) } : {}),
      },
    });
    this.b = new IkeEngine({
      ...common, policy: new ConfigPolicy(() => cfgB, undefined, undefined, storeB),
      send: (from, to, m) => { const d = m.slice(); this.datagrams++; queueMicrotask(() => this.a.receive(from, to, d)); },
      events: {
        ikeChanged: (sa) => { if (sa.state === 'established') this.upB.set(hex(sa.spiI), sa); },
        ...(trace ? { trace: (text: string) => trace('B', text) } : {}),
      },
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

/** Occurrences of `re` in `lines`. */
const count = (lines: string[], re: RegExp) => lines.filter((l) => re.test(l)).length;
const reEsc = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * One handshake per case, inspected; then a batch, after which nothing may be left behind. With
 * certificates, both sides' traces must show, for every handshake, the own RFC 7427 method 14 SHA-256
 * signature, the peer's certificate validated up to the lab CA and the peer's signature verified with it.
 */
async function verify(core: Core, c: IkeCase, tp: TimedPlatform, certs?: CertMaterial): Promise<string> {
  const traces = { A: [] as string[], B: [] as string[] };
  const cert = c.auth !== 'psk';
  const p = new EnginePair(core, c, certs, cert ? (side, text) => traces[side].push(text) : undefined);
  const rsa0 = { ...tp.rsaCalls };
  const [a, b] = await p.up();
  const rsa = Object.fromEntries(Object.entries(tp.rsaCalls).map(([k, v]) => [k, v - rsa0[k as keyof typeof rsa0]]));
  const n = caseName(c);
  const perHs = p.datagrams;
  check(a.state === 'established' && b.state === 'established', `${n}: both established`);
  check(a.initiator && !b.initiator, `${n}: roles`);
  check(a.suite?.dh === c.group && b.suite?.dh === c.group, `${n}: DH group ${c.group} negotiated`);
  check(a.ppkUsed === (c.ppk ? 'manual' : undefined) && b.ppkUsed === a.ppkUsed, `${n}: PPK used on both sides: ${a.ppkUsed}/${b.ppkUsed}`);
  check(a.children.length === 1 && b.children.length === 1, `${n}: one Child SA each`);
  check(a.children[0].spiOut === b.children[0].spiIn && a.children[0].spiIn === b.children[0].spiOut, `${n}: Child SA SPIs match`);
  if (!cert) {
    check(perHs === 4, `${n}: 4 datagrams for one handshake (got ${perHs})`);
  } else {
    for (const sa of [a, b]) {
      check(sa.plan?.auth === 'rsa-signature' && sa.plan?.verify === 'rsa-signature', `${n}: ${sa.initiator ? 'A' : 'B'} signs and verifies with RSA (plan ${sa.plan?.auth}/${sa.plan?.verify})`);
      check(sa.plan?.cert?.chain[0]?.publicKeyBits === certBits(c.auth), `${n}: ${sa.initiator ? 'A' : 'B'} holds an RSA ${certBits(c.auth)} certificate`);
    }
    check(perHs > 4, `${n}: IKE_AUTH in SKF fragments (${perHs} datagrams)`);
    check(rsa.sign === 2 && rsa.verify === 2 && rsa.importPublic === 2 && rsa.importPrivate === 0,
      `${n}: 2 RSA signatures, 2 verifications, 2 public-key imports per handshake (${JSON.stringify(rsa)})`);
  }
  p.down(a, b);
  await Promise.all(Array.from({ length: 8 }, () => p.handshake()));
  check(p.a.sas.size === 0 && p.b.sas.size === 0, `${n}: SA tables empty after remove`);
  check(p.time.live.size === 0, `${n}: no timer left behind (${p.time.live.size})`);
  check(p.datagrams === 9 * perHs, `${n}: ${perHs} datagrams per handshake, no retransmission (${p.datagrams} for 9)`);
  if (cert) {
    for (const [me, peer, side] of [[A_FQDN, B_FQDN, 'A'], [B_FQDN, A_FQDN, 'B']] as const) {
      const want = [
        new RegExp(`^authentication of '${reEsc(me)}' \\(myself\\) with RSA_EMSA_PKCS1_SHA2_256 \\(method 14\\) successful$`),
        new RegExp(`^using trusted ca certificate "${reEsc(CA_DN)}"$`),
        new RegExp(`^authentication of '${reEsc(peer)}' with sha256WithRSAEncryption \\(method 14\\) successful$`),
      ];
      for (const re of want) {
        const k = count(traces[side], re);
        check(k === 9, `${n}: ${side}'s trace has ${re} for each of the 9 handshakes (${k}); last lines:\n${traces[side].slice(-12).join('\n')}`);
      }
    }
  }
  return cert
    ? `${n}: both sides established, group ${c.group}, PPK ${a.ppkUsed ?? 'not used'}, RSA ${certBits(c.auth)} certificates validated up to the lab CA ` +
      `and method 14 SHA-256 signatures verified both ways in each of 9 handshakes, ${perHs} datagrams (IKE_AUTH fragmented), no SA or timer left`
    : `${n}: both sides established, group ${c.group}, PPK ${a.ppkUsed ?? 'not used'}, Child SA SPIs match, 4 datagrams, no SA or timer left`;
}

// ---------------------------------------------------------------- timing

const median = (xs: number[]) => { const s = [...xs].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

/** Run `k` handshake loops for `seconds`; rate over the time until the last one finished. */
async function timeHandshakes(p: EnginePair, k: number, seconds: number, tp: TimedPlatform): Promise<{ rate: number; ecdhShare: number; rsaShare: number }> {
  const t0 = performance.now(), end = t0 + seconds * 1000;
  const ecdh0 = tp.ms, rsa0 = tp.rsaMs;
  let n = 0;
  await Promise.all(Array.from({ length: k }, async () => {
    do { await p.handshake(); n++; } while (performance.now() < end);
  }));
  const ms = performance.now() - t0;
  return { rate: (n / ms) * 1000, ecdhShare: (tp.ms - ecdh0) / ms, rsaShare: (tp.rsaMs - rsa0) / ms };
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
  say(`${runtime}: lab CA (RSA 3072) and RSA 2048 / 3072 certificates for A and B`);
  const tc = performance.now();
  const certs = await makeCertMaterial([2048, 3072]);
  const certSeconds = Math.round(performance.now() - tc) / 1000;
  const material = (c: IkeCase) => { const b = certBits(c.auth); return b ? certs.get(b) : undefined; };
  const tp = new TimedPlatform(base);
  usePlatform(tp);
  try {
    const checks: string[] = [];
    for (const c of CASES) checks.push(await verify(core, c, tp, material(c)));
    say(`${runtime}: ${checks.length} cases verified`);
    const t = o.quick ? { warmup: 0.1, seconds: 0.25, rounds: 1 } : { warmup: 0.3, seconds: 1, rounds: 3 };
    const pairs = CASES.map((c) => new EnginePair(core, c, material(c)));
    const seq: number[][] = CASES.map(() => []), par: number[][] = CASES.map(() => []);
    const share: number[][] = CASES.map(() => []), ecdh: number[][] = CASES.map(() => []);
    const rsaShare: number[][] = CASES.map(() => []), rsaOnly: number[][] = CASES.map(() => []), x509Only: number[][] = CASES.map(() => []);
    // JIT and caches: the first case measured must not pay for them
    await timeHandshakes(pairs[0], 1, o.quick ? 0.3 : 1, tp);
    for (let round = 0; round < t.rounds; round++) {
      for (let i = 0; i < CASES.length; i++) {
        say(`${runtime} round ${round + 1}/${t.rounds}: ${caseName(CASES[i])}`);
        const p = pairs[i];
        await timeHandshakes(p, 1, t.warmup, tp);
        const s = await timeHandshakes(p, 1, t.seconds, tp);
        seq[i].push(s.rate); share[i].push(s.ecdhShare); rsaShare[i].push(s.rsaShare);
        par[i].push((await timeHandshakes(p, 16, t.seconds, tp)).rate);
        ecdh[i].push(await timeEcdhOnly(base, CASES[i].group, t.seconds / 2));
        const m = material(CASES[i]);
        if (m) {
          rsaOnly[i].push(await timeRsaOnly(base, m, t.seconds / 2));
          x509Only[i].push(await timeX509Only(m, t.seconds / 2));
        }
      }
    }
    for (const [i, p] of pairs.entries()) {
      check(p.a.sas.size === 0 && p.b.sas.size === 0 && p.time.live.size === 0, `${caseName(CASES[i])}: nothing left after timing`);
    }
    const rows = CASES.map((c, i): IkeRow => {
      const hs = median(seq[i]);
      return {
        runtime, group: c.group, ppk: c.ppk, auth: c.auth,
        hsPerSec: round3(hs), hsPerSecParallel: round3(median(par[i])), msPerHs: round3(1000 / hs),
        ecdhShare: Math.round(median(share[i]) * 1000) / 1000, ecdhOnlyPerSec: round3(median(ecdh[i])),
        spreadPct: Math.round(((Math.max(...seq[i]) - Math.min(...seq[i])) / hs) * 100),
        ...(c.auth === 'psk' ? {} : {
          rsaShare: Math.round(median(rsaShare[i]) * 1000) / 1000, rsaOnlyPerSec: round3(median(rsaOnly[i])), x509OnlyPerSec: round3(median(x509Only[i])),
        }),
      };
    });
    return { rows, checks, env: { runtime, platform: base.name, quick: o.quick, ...t, certSetupSeconds: certSeconds, caBits: 3072 } };
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
