// Two (or more) routers in one process on virtual time and a simulated wire that can drop, duplicate,
// reorder and delay datagrams (deterministically, from a seed). Used by the engine tests and the fuzzers.
import { VirtualTime } from '../../src/util/clock.js';
import { Router, type RouterOptions } from '../../src/router/router.js';
import type { Datagram } from '../../src/router/types.js';
import { loadConfig } from '../../src/config/load.js';
import type { Core } from '../../src/crypto/index.js';
import { Prng } from './env.js';

export interface Impairment { loss?: number; duplicate?: number; reorder?: number; delayMs?: number; jitterMs?: number }

export class SimWire {
  private readonly routers = new Map<string, Router>();
  impair: Impairment = {};
  /** Rewrite a datagram in flight (a NAT), before delivery. */
  rewrite?: (d: Datagram) => Datagram;
  /** Filter for tests: return false to drop a datagram (after impairments). */
  filter?: (d: Datagram) => boolean;
  readonly log: { at: number; d: Datagram; dropped: boolean }[] = [];
  private readonly prng: Prng;
  constructor(private readonly time: VirtualTime, seed = 1) { this.prng = new Prng(seed); }

  attach(r: Router): void {
    for (const a of r.addresses()) this.routers.set(a, r);
    r.onAddressesChanged((as) => { for (const a of as) this.routers.set(a, r); });
  }

  send(d: Datagram): void {
    const im = this.impair;
    const lost = (im.loss ?? 0) > 0 && (this.prng.u32() / 0x100000000) < im.loss! || (this.filter && !this.filter(d));
    this.log.push({ at: this.time.ms, d, dropped: !!lost });
    if (lost) return;
    const copies = (im.duplicate ?? 0) > 0 && (this.prng.u32() / 0x100000000) < im.duplicate! ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      let delay = (im.delayMs ?? 1) + (im.jitterMs ? Math.floor((this.prng.u32() / 0x100000000) * im.jitterMs) : 0);
      if ((im.reorder ?? 0) > 0 && (this.prng.u32() / 0x100000000) < im.reorder!) delay += 5;
      const out = this.rewrite ? this.rewrite({ ...d, data: d.data.slice() }) : { ...d, data: d.data.slice() };
      this.time.setTimeout(() => this.routers.get(out.dst)?.receive(out), delay);
    }
  }
}

/** One macrotask turn: setImmediate in Node, an (unclamped) MessageChannel message in browsers. */
const nextTask: () => Promise<void> = typeof setImmediate === 'function'
  ? () => new Promise<void>((r) => setImmediate(r))
  : (() => {
    const ch = new MessageChannel();
    const waiting: (() => void)[] = [];
    ch.port1.onmessage = () => waiting.shift()?.();
    return () => new Promise<void>((r) => { waiting.push(r); ch.port2.postMessage(0); });
  })();

/** Let pending promise work (WebCrypto / node:crypto ECDH, which completes off the main thread) finish. */
export async function flush(turns = typeof setImmediate === 'function' ? 8 : 40): Promise<void> {
  for (let i = 0; i < turns; i++) await nextTask();
}

/** Run virtual time forward by `ms`, letting async crypto complete between timers. */
export async function run(time: VirtualTime, ms: number): Promise<void> {
  const end = time.ms + ms;
  for (;;) {
    await flush();
    const next = time.nextDeadline();
    if (next === undefined || next > end) break;
    time.advance(Math.max(0, next - time.ms));
  }
  time.advance(end - time.ms);
  await flush();
}

/** Run until `cond` holds (checked after each timer), failing after `maxMs` of virtual time. */
export async function until(time: VirtualTime, cond: () => boolean, maxMs = 60_000, what = 'condition'): Promise<number> {
  const start = time.ms, end = start + maxMs;
  for (;;) {
    await flush();
    if (cond()) return time.ms - start;
    const next = time.nextDeadline();
    if (next === undefined || next > end) throw new Error(`sim: ${what} not reached within ${maxMs} ms of virtual time`);
    time.advance(Math.max(0, next - time.ms));
  }
}

export function routerFromText(core: Core, time: VirtualTime, wire: SimWire, text: string, extra: Partial<RouterOptions> = {}): Router {
  const r = loadConfig(text);
  if (r.errors.length || r.commitErrors.length) {
    throw new Error(`sim: bad configuration: ${JSON.stringify([...r.errors, ...r.commitErrors])}`);
  }
  let n = 0;
  const random = extra.random ?? ((len: number) => { const b = new Uint8Array(len); crypto.getRandomValues(b); n++; return b; });
  const router = new Router({ core, time, wire, config: r.config, random, ...extra });
  wire.attach(router);
  return router;
}

/** A two-router PSK configuration in the guide's shape (addresses consistent), with knobs for the tests. */
export interface PairOptions {
  ikeEnc?: string; ikeInteg?: string; prf?: string; dh?: string;
  espEnc?: string; espAuth?: string; pfs?: string; ikeLifetime?: number; childLifetime?: number;
  pskA?: string; pskB?: string; ppkA?: string; ppkB?: string; responderOnlyB?: boolean;
  idA?: string; idB?: string; matchB?: string; matchA?: string;
  /** Extra global configuration lines (e.g. `ikev2 global dpd 10 2`). */
  globalA?: string; globalB?: string;
}

export function pairConfig(side: 'A' | 'B', o: PairOptions = {}): string {
  const me = side === 'A' ? 1 : 2, peer = side === 'A' ? 2 : 1;
  const psk = side === 'A' ? o.pskA ?? 'cisco123' : o.pskB ?? 'cisco123';
  const ppk = side === 'A' ? o.ppkA : o.ppkB;
  const id = side === 'A' ? o.idA : o.idB;
  const match = (side === 'A' ? o.matchA : o.matchB) ?? `address 10.77.0.${peer} 255.255.255.255`;
  return `hostname ${side}
${(side === 'A' ? o.globalA : o.globalB) ?? ''}
interface GigabitEthernet0/0/0/0
 ipv4 address 10.77.0.${me} 255.255.255.0
!
ikev2 proposal P1
 encryption ${o.ikeEnc ?? 'aes-cbc-256'}
 ${o.ikeInteg === 'none' ? '' : `integrity ${o.ikeInteg ?? 'sha-256'}`}
 prf ${o.prf ?? 'sha-256'}
 dh-group ${o.dh ?? '20'}
!
ikev2 policy POL
 match address local 10.77.0.${me}
 proposal P1
!
keyring KR
 peer PEER
  address 10.77.0.${peer} 255.255.255.255
  pre-shared-key ${psk}
  ${ppk ?? ''}
 !
!
ikev2 profile PROF
 ${id ? `identity local ${id}` : ''}
 match identity remote ${match}
 keyring KR
 authentication local pre-shared
 lifetime ${o.ikeLifetime ?? 600}
!
ipsec transform-set TS
 transform ${o.espEnc ?? 'esp-256-aes'} ${o.espEnc?.includes('gcm') ? '' : o.espAuth ?? 'esp-hmac-sha-256'}
 mode tunnel
!
ipsec profile IPP
 set ikev2-profile PROF
 set transform-set TS
 ${o.pfs ? `set pfs ${o.pfs}` : ''}
 set security-association lifetime seconds ${o.childLifetime ?? 600}
 ${side === 'B' && o.responderOnlyB !== false ? 'set responder-only' : ''}
!
interface tunnel-ip1
 ipv4 address 192.0.2.${me} 255.255.255.0
 tunnel mode ipsec ipv4
 tunnel source GigabitEthernet0/0/0/0
 tunnel destination 10.77.0.${peer}
 tunnel protection ipsec profile IPP
!
`;
}

/**
 * `until` lets a few macrotask turns pass between timers; RSA signatures and X.509 validation run on
 * WebCrypto's threads and take real milliseconds, so here virtual time moves in steps of at most 100 ms
 * with a real pause between them (otherwise retransmission and DPD timers fire while a signature is pending).
 */
export async function untilPaced(time: VirtualTime, cond: () => boolean, maxMs: number, what: string): Promise<void> {
  const end = time.ms + maxMs;
  for (;;) {
    await flush();
    await new Promise((r) => setTimeout(r, 2));
    await flush();
    if (cond()) return;
    if (time.ms >= end) throw new Error(`${what} not reached within ${maxMs} ms of virtual time`);
    const next = time.nextDeadline();
    time.advance(Math.min(100, end - time.ms, next === undefined ? 100 : Math.max(0, next - time.ms)));
  }
}
