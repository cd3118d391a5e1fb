// The IKEv2 engine of one router (RFC 7296): it owns every IKE SA, demultiplexes incoming messages by SPI
// (§2.6), creates responder SAs from IKE_SA_INIT requests (with cookies under load, §2.6), starts initiator
// SAs for tunnels, and runs the per-SA timers: lifetimes and rekeying (§2.8), liveness checks (§2.4).
//
// Flow of an incoming datagram:
//   decode (structure only) → find the SA → message ID check (§2.3) → ICV check + decrypt (SK) →
//   response: hand to the waiting task │ request: the responder task for its exchange → cached response
import type { Core } from '../crypto/core.js';
import { type Bytes, concat, ctEqual, hex } from '../crypto/bytes.js';
import type { Random } from '../crypto/random.js';
import { hash, prf } from '../crypto/hash.js';
import type { TimeSource, TimerHandle } from '../util/clock.js';
import { ExchangeType, NotifyType, PayloadType, ianaName } from './codec/constants.js';
import { decodeMessage, encodeMessage } from './codec/message.js';
import { checkInner, checkOuter } from './codec/rules.js';
import { describePayloads } from './codec/describe.js';
import { Reassembler } from './codec/sk.js';
import type { IkeHeader, IkeMessage, Payload } from './codec/types.js';
import { ExchangeTimeout, type RetransmitPolicy } from './manager.js';
import { type Endpoint, IkeSa, type SaContext } from './sa.js';
import type { ChildSa } from './child.js';
import type { LocalPolicy, TunnelPlan } from './plan.js';
import type { KeyEvent } from '../router/types.js';
import { initiateIkeSa, respondIkeSaInit } from './tasks/ike-init.js';
import { respondIkeAuth } from './tasks/ike-auth.js';
import { createChildSa, deleteChildren, respondCreateChildSa, rekeyChildSa } from './tasks/child-rekey.js';
import { rekeyIkeSa } from './tasks/ike-rekey.js';
import { deleteIkeSa, respondInformational, sendDpd } from './tasks/informational.js';

export interface EngineEvents {
  trace(text: string, sa?: IkeSa): void;
  keys(e: KeyEvent): void;
  childInstalled(sa: IkeSa, child: ChildSa): void;
  childRemoved(sa: IkeSa, child: ChildSa): void;
  /** An IKE SA changed state (established, rekeyed, deleted). */
  ikeChanged(sa: IkeSa): void;
  /**
   * Every IKE message sent or accepted, with its payloads in clear (SK opened) and the message as on the
   * wire — for the lab's ladder diagram, which shows what the keys reveal. Not for logs.
   */
  message(sa: IkeSa, dir: 'in' | 'out', h: Pick<IkeHeader, 'exchange' | 'response' | 'messageId'>, payloads: Payload[], raw: Bytes,
    retransmission?: boolean): void;
}

export interface EngineOptions {
  core: Core;
  time: TimeSource;
  random: Random;
  policy: LocalPolicy;
  /** Send an IKE message; the caller frames it for its port (non-ESP marker on 4500). */
  send(from: Endpoint, to: Endpoint, message: Bytes): void;
  events?: Partial<EngineEvents>;
  retransmit?: RetransmitPolicy;
  /** Liveness check after this many seconds without hearing from the peer (0 = off). */
  dpdSec?: number;
  /** Seconds between retransmissions of a liveness check (default: the retransmission schedule). */
  dpdRetrySec?: number;
  /** Half-open SAs above which IKE_SA_INIT requests must carry a COOKIE (§2.6). */
  cookieThreshold?: number;
  /** Send one NAT-keepalive datagram (RFC 3948 §2.3) from `from` to `to`. */
  keepalive?: (from: Endpoint, to: Endpoint) => void;
  /** Whether key events are wanted now (a key log is open). */
  wantsKeys?: () => boolean;
  /** Fraction of a lifetime after which an SA is rekeyed (default 0.9). */
  rekeyFraction?: number;
}

/** Statistics behind show commands and the trace. */
export interface EngineStats { received: number; dropped: Record<string, number>; sent: number }

const MAX_HALF_OPEN = 1000;
const KEEPALIVE_MS = 20_000;
const SPI_RESERVATION_MS = 5 * 60_000;
/** A liveness check is sent again this many times at the `dpd` retry interval before the peer is dead (IOS XE's 5). */
const DPD_RETRIES = 5;

export class IkeEngine {
  /** IKE SAs by our own SPI (hex). */
  readonly sas = new Map<string, IkeSa>();
  private readonly halfOpen = new Map<string, IkeSa>();
  private readonly reassembly = new Map<IkeSa, Reassembler>();
  readonly ctx: SaContext;
  readonly stats: EngineStats = { received: 0, dropped: {}, sent: 0 };
  /** What each message we sent said, by its encoding (trace and ladder name retransmissions; held weakly: the manager keeps the bytes only while they may be sent again). */
  private readonly sentMessages = new WeakMap<Bytes, { h: Pick<IkeHeader, 'exchange' | 'response' | 'messageId'>; payloads: Payload[] }>();
  private cookieSecret: Bytes;
  private readonly serial = new Map<IkeSa, Promise<void>>();
  /** Peers we have had an IKE SA with (INITIAL_CONTACT is sent only on first contact). */
  readonly contacted = new Set<string>();

  constructor(readonly opts: EngineOptions) {
    this.ctx = {
      core: opts.core, time: opts.time, random: opts.random, retransmit: opts.retransmit,
      send: (from, to, m) => { this.stats.sent++; opts.send(from, to, m); },
      onGiveUp: (sa, err) => this.gaveUp(sa, err),
      onEncode: (sa, h, payloads, m) => {
        this.traceMessage(sa, 'sending', h, payloads, m.length);
        this.sentMessages.set(m, { h, payloads });
        this.opts.events?.message?.(sa, 'out', h, payloads, m);
      },
      onFragments: (sa, h, frags, m) => {
        const known = this.sentMessages.get(m);
        if (known) this.sentMessages.set(frags[0], known);
        this.trace(`splitting ${ianaName('exchange', h.exchange)} ${h.response ? 'response' : 'request'} ${h.messageId} ` +
          `into ${frags.length} fragments [ ${frags.map((f, i) => `EF(${i + 1}/${frags.length}) ${f.length}`).join(', ')} ] (RFC 7383)`, sa);
      },
      onRetransmit: (sa, m) => {
        const known = this.sentMessages.get(m);
        if (!known) return;
        this.trace(`retransmitting ${ianaName('exchange', known.h.exchange)} ${known.h.response ? 'response' : 'request'} ${known.h.messageId}`, sa);
        this.opts.events?.message?.(sa, 'out', known.h, known.payloads, m, true);
      },
    };
    this.cookieSecret = opts.random(32);
  }

  get policy(): LocalPolicy { return this.opts.policy; }
  get core(): Core { return this.opts.core; }
  get time(): TimeSource { return this.opts.time; }
  get random(): Random { return this.opts.random; }
  get now(): number { return this.opts.time.now().getTime(); }

  trace(text: string, sa?: IkeSa): void { this.opts.events?.trace?.(text, sa); }
  emitKeys(e: KeyEvent): void { this.opts.events?.keys?.(e); }
  changed(sa: IkeSa): void { this.opts.events?.ikeChanged?.(sa); }

  private drop(reason: string, detail?: string): void {
    this.stats.dropped[reason] = (this.stats.dropped[reason] ?? 0) + 1;
    if (detail) this.trace(`dropped: ${reason} (${detail})`);
  }

  // ---------------------------------------------------------------- SA table

  /** A fresh SPI (8 bytes, never zero, unique among our SAs). */
  newIkeSpi(): Bytes {
    for (;;) {
      const s = this.random(8);
      if (s.some((b) => b !== 0) && !this.sas.has(hex(s))) return s;
    }
  }

  /** A fresh inbound ESP SPI (≥ 256, RFC 4303 §2.1), unique among all our Child SAs. */
  newEspSpi(): number {
    const used = new Set<number>();
    for (const sa of this.sas.values()) for (const c of sa.children) used.add(c.spiIn);
    for (;;) {
      const b = this.random(4);
      const spi = ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
      if (spi >= 256 && !used.has(spi) && !this.reservedSpis.has(spi)) {
        // forget reservations of exchanges that never completed (failures, lost peers)
        for (const [k, at] of this.reservedSpis) if (this.now - at > SPI_RESERVATION_MS) this.reservedSpis.delete(k);
        this.reservedSpis.set(spi, this.now);
        return spi;
      }
    }
  }
  /** SPIs handed out for exchanges in flight (not yet installed), with when. */
  private readonly reservedSpis = new Map<number, number>();

  /** Whether anyone listens for keys (nothing is copied out otherwise). */
  get wantsKeys(): boolean { return !!this.opts.wantsKeys?.(); }

  register(sa: IkeSa): void { this.sas.set(hex(sa.ourSpi), sa); }

  /** Forget an SA: keys wiped, timers stopped, children removed from the data plane. */
  remove(sa: IkeSa, reason: string): void {
    if (sa.state === 'dead') return;
    for (const c of sa.children) {
      this.opts.events?.childRemoved?.(sa, c);
      for (const t of this.childTimers.get(c)?.values() ?? []) this.time.clearTimeout(t);
      this.childTimers.delete(c);
    }
    sa.dispose();
    sa.failure ??= reason;
    this.sas.delete(hex(sa.ourSpi));
    for (const [k, v] of this.halfOpen) if (v === sa) this.halfOpen.delete(k);
    this.reassembly.delete(sa);
    this.serial.delete(sa);
    this.trace(`IKE SA ${sa.id} deleted: ${reason}`, sa);
    if (![...this.sas.values()].some((o) => o.remote.addr === sa.remote.addr && o.state !== 'dead')) this.contacted.delete(sa.remote.addr);
    this.changed(sa);
  }

  /** Run `fn` after everything already queued for this SA (one message at a time per SA). */
  enqueue(sa: IkeSa, fn: () => Promise<void>): Promise<void> {
    const prev = this.serial.get(sa) ?? Promise.resolve();
    const next = prev.then(fn).catch((e: unknown) => {
      this.trace(`internal error on IKE SA ${sa.id}: ${(e as Error).message}`, sa);
    });
    this.serial.set(sa, next);
    return next;
  }

  // ---------------------------------------------------------------- incoming

  /** An IKE message arrived (UDP 500, or 4500 with the non-ESP marker removed). Never throws. */
  receive(from: Endpoint, to: Endpoint, data: Bytes): void {
    this.stats.received++;
    const d = decodeMessage(data);
    if (!d.ok) {
      this.drop(d.error.reason, `${from.addr}:${from.port}: ${d.error.detail}`);
      return;
    }
    const msg = d.value;
    const h = msg.header;
    const outer = checkOuter(h, msg.payloads);
    if (outer) { this.drop('rules', `${ianaName('exchange', h.exchange)}: ${outer.detail}`); return; }

    if (h.exchange === ExchangeType.IKE_SA_INIT && !h.response) { this.initRequest(from, to, data, msg); return; }
    const ours = h.initiator ? h.spiR : h.spiI;
    const sa = this.sas.get(hex(ours));
    if (!sa || sa.state === 'dead') { this.drop('unknown-spi'); return; }
    if (h.initiator === sa.initiator) { this.drop('role'); return; }
    if (!ctEqual(h.initiator ? h.spiI : h.spiR, sa.peerSpi) && !(h.exchange === ExchangeType.IKE_SA_INIT && sa.state === 'connecting')) {
      this.drop('unknown-spi');
      return;
    }
    if (h.exchange === ExchangeType.IKE_SA_INIT) {
      // the response to our IKE_SA_INIT request: clear text, no message ID games
      if (!sa.manager.wantsResponse(h.messageId)) { this.drop('unexpected'); return; }
      sa.initResponse = data;
      sa.pendingSpiR = h.spiR;
      sa.lastHeard = this.now; // clear text: no endpoint change on its word (§2.23)
      this.opts.events?.message?.(sa, 'in', h, msg.payloads, data);
      sa.manager.response(h.messageId, msg.payloads);
      return;
    }
    if (h.response) {
      if (!sa.manager.wantsResponse(h.messageId)) { this.drop('unexpected'); return; }
      const inner = this.open(sa, data, msg);
      if (!inner) return;
      this.touch(sa, from, to);
      this.traceMessage(sa, 'received', h, inner, data.length);
      this.opts.events?.message?.(sa, 'in', h, inner, data);
      sa.manager.response(h.messageId, inner);
      return;
    }
    const kind = sa.manager.classifyRequest(h.messageId);
    if (kind === 'drop') { this.drop('message-id', `request ${h.messageId}, expected ${sa.manager.expectedRequestId}`); return; }
    const inner = this.open(sa, data, msg);
    if (!inner) return;
    // a retransmission is authentic but not fresh (anyone can replay it): answered from the cache, it
    // neither moves the SA's endpoints (§2.23) nor counts as a sign of life
    if (kind === 'retransmit') { sa.manager.resendLastResponse(); return; }
    sa.manager.accept(h.messageId);
    this.touch(sa, from, to);
    this.traceMessage(sa, 'received', h, inner, data.length);
    this.opts.events?.message?.(sa, 'in', h, inner, data);
    void this.enqueue(sa, async () => {
      await sa.manager.handleRequest(h.exchange, h.messageId, inner);
      if (sa.closeAfterResponse) this.remove(sa, sa.closeAfterResponse);
    });
  }

  private touch(sa: IkeSa, from: Endpoint, to: Endpoint): void {
    sa.lastHeard = this.now;
    // the peer floated to UDP 4500 (§2.23), or its NAT mapping changed: answer where it came from
    if (to.port !== 500 && (sa.local.port !== to.port || sa.remote.port !== from.port)) {
      sa.local = { ...to };
      sa.remote = { ...from };
    }
  }

  /** Verify and decrypt (reassembling fragments, RFC 7383); undefined when dropped. */
  private open(sa: IkeSa, raw: Bytes, msg: IkeMessage): Payload[] | undefined {
    const last = msg.payloads[msg.payloads.length - 1];
    let inner: Payload[];
    if (last?.type === PayloadType.SKF) {
      let r = this.reassembly.get(sa);
      if (!r) { r = new Reassembler(); this.reassembly.set(sa, r); }
      const res = sa.openFragment(r, raw, msg);
      if (!res.ok) { this.drop(res.error.reason, res.error.detail); return undefined; }
      if (!res.value) return undefined; // more fragments to come
      inner = res.value;
    } else {
      const res = sa.open(raw, msg);
      if (!res.ok) { this.drop(res.error.reason, `IKE SA ${sa.id}: ${res.error.detail}`); return undefined; }
      inner = res.value;
    }
    const bad = checkInner(msg.header, inner);
    if (bad) { this.drop('rules', `${ianaName('exchange', msg.header.exchange)}: ${bad.detail}`); return undefined; }
    return inner;
  }

  traceMessage(sa: IkeSa, dir: 'sending' | 'received', h: Pick<IkeHeader, 'exchange' | 'response' | 'messageId'>,
    payloads: Payload[], bytes?: number): void {
    if (!this.opts.events?.trace) return; // the summary costs something: only when someone reads it
    this.trace(`${dir === 'sending' ? 'generating' : 'parsed'} ${ianaName('exchange', h.exchange)} ${h.response ? 'response' : 'request'} ` +
      `${h.messageId} [ ${describePayloads(payloads)} ]${bytes ? ` (${bytes} bytes)` : ''}`, sa);
  }

  // ---------------------------------------------------------------- IKE_SA_INIT requests and cookies

  private initRequest(from: Endpoint, to: Endpoint, data: Bytes, msg: IkeMessage): void {
    const h = msg.header;
    if (h.spiR.some((b) => b !== 0) || h.messageId !== 0) { this.drop('syntax', 'IKE_SA_INIT request with SPIr or message ID'); return; }
    const key = `${from.addr}:${from.port}/${hex(h.spiI)}`;
    const known = this.halfOpen.get(key);
    if (known) {
      if (known.manager.classifyRequest(0) === 'retransmit') known.manager.resendLastResponse();
      else this.drop('message-id', 'IKE_SA_INIT request again while the first is being answered');
      return;
    }
    if (this.cookieRequired() && !this.cookieOk(from, h.spiI, msg)) {
      // stateless (§2.6): no SA, no DH; the initiator comes back with the cookie
      const ni = msg.payloads.find((p) => p.type === PayloadType.NONCE) as { data: Bytes } | undefined;
      this.drop('cookie-required');
      if (!ni) return;
      const resp = encodeMessage({ spiI: h.spiI, spiR: new Uint8Array(8), exchange: ExchangeType.IKE_SA_INIT, initiator: false, response: true, messageId: 0 },
        [{ type: PayloadType.NOTIFY, protocol: 0, spi: new Uint8Array(0), notify: NotifyType.COOKIE, data: this.cookieFor(ni.data, from, h.spiI) }]);
      this.ctx.send(to, from, resp);
      return;
    }
    if (this.halfOpen.size >= MAX_HALF_OPEN) { this.drop('half-open-limit'); return; }
    const sa = new IkeSa(this.ctx, { initiator: false, spiI: h.spiI, spiR: this.newIkeSpi(), local: to, remote: from });
    sa.initRequest = data;
    this.register(sa);
    this.halfOpen.set(key, sa);
    sa.setTimer('half-open', 60_000, () => { if (sa.state === 'connecting') this.remove(sa, 'IKE_SA_INIT half-open timeout'); });
    this.traceMessage(sa, 'received', h, msg.payloads, data.length);
    this.opts.events?.message?.(sa, 'in', h, msg.payloads, data);
    void this.enqueue(sa, () => respondIkeSaInit(this, sa, msg));
  }

  /** Whether an IKE_SA_INIT must carry a cookie now (many half-open SAs: a flood, §2.6). */
  cookieRequired(): boolean {
    const t = this.opts.cookieThreshold;
    return t !== undefined && this.halfOpen.size > t;
  }

  private cookieOk(from: Endpoint, spiI: Bytes, msg: IkeMessage): boolean {
    const ni = msg.payloads.find((p) => p.type === PayloadType.NONCE) as { data: Bytes } | undefined;
    const c = msg.payloads.find((p) => p.type === PayloadType.NOTIFY && (p as { notify: number }).notify === NotifyType.COOKIE) as { data: Bytes } | undefined;
    return !!ni && !!c && ctEqual(c.data, this.cookieFor(ni.data, from, spiI));
  }

  /** Cookie = <VersionIDofSecret> | Hash(Ni | IPi | SPIi | <secret>) (§2.6). */
  cookieFor(ni: Bytes, from: Endpoint, spiI: Bytes): Bytes {
    const ip = new Uint8Array(from.addr.split('.').map(Number));
    return concat(new Uint8Array([0, 0, 0, 1]), prf(this.core, 'sha256', this.cookieSecret, concat(ni, ip, spiI)));
  }

  /** The SA left the half-open state (established or failed). */
  settled(sa: IkeSa): void {
    for (const [k, v] of this.halfOpen) if (v === sa) this.halfOpen.delete(k);
    sa.clearTimer('half-open');
  }

  // ---------------------------------------------------------------- NAT detection (§2.23)

  /** SHA-1(SPIi | SPIr | IP | Port) */
  natHash(spiI: Bytes, spiR: Bytes, ep: Endpoint): Bytes {
    const b = new Uint8Array(6);
    b.set(ep.addr.split('.').map(Number));
    b[4] = ep.port >> 8; b[5] = ep.port & 0xff;
    return hash(this.core, 'sha1', concat(spiI, spiR, b));
  }

  // ---------------------------------------------------------------- initiating, rekeying, deleting

  /** Start an IKE SA (and its first Child SA) for a tunnel. */
  connect(plan: TunnelPlan): IkeSa {
    const sa = new IkeSa(this.ctx, {
      initiator: true, spiI: this.newIkeSpi(),
      local: { addr: plan.localAddr, port: 500 }, remote: { addr: plan.remoteAddr, port: 500 },
    });
    sa.tunnel = plan.tunnel;
    sa.plan = plan;
    this.register(sa);
    void this.enqueue(sa, () => initiateIkeSa(this, sa, plan));
    return sa;
  }

  /** Schedule rekeying and expiry for an established IKE SA and each child (§2.8). */
  armLifetimes(sa: IkeSa): void {
    const frac = this.opts.rekeyFraction ?? 0.9;
    const life = sa.lifetimeSec * 1000;
    const age = this.now - (sa.establishedAt ?? this.now);
    sa.setTimer('ike-rekey', Math.max(0, life * frac - this.jitter(life) - age), () => this.startIkeRekey(sa));
    sa.setTimer('ike-expire', Math.max(0, life - age), () => {
      this.trace(`IKE SA ${sa.id} lifetime expired`, sa);
      void this.enqueue(sa, () => deleteIkeSa(this, sa, 'lifetime expired'));
    });
    this.armDpd(sa);
    this.armKeepalive(sa);
  }

  /** RFC 3948 §4: the side behind a NAT keeps the mapping alive with 0xFF datagrams on UDP 4500 (every 20 s). */
  armKeepalive(sa: IkeSa): void {
    if (!sa.natLocal || !this.opts.keepalive) return;
    sa.setTimer('keepalive', KEEPALIVE_MS, () => {
      if (sa.state === 'dead') return;
      this.opts.keepalive!(sa.local, sa.remote);
      this.armKeepalive(sa);
    });
  }

  /**
   * Child SA timers live with the engine, not with an IKE SA: an IKE rekey moves children to the new
   * SA, and the timers find the current owner when they fire. Rekeying starts at 90 % of the lifetime
   * minus up to 5 % of random jitter (so two peers with equal lifetimes rarely collide, §2.8.1).
   */
  armChild(child: ChildSa): void {
    const frac = this.opts.rekeyFraction ?? 0.9;
    const life = child.lifetimeSec * 1000;
    const at = child.createdAt + life * frac - this.jitter(life);
    child.rekeyAt = at;
    this.childTimer(child, 'rekey', Math.max(0, at - this.now), () => this.childRekeyDue(child));
    this.childTimer(child, 'expire', Math.max(0, child.createdAt + life - this.now), () => {
      const sa = this.ownerOf(child);
      if (!sa || child.state === 'dead' || child.state === 'deleting') return;
      this.trace(`Child SA ${child.spiIn.toString(16)} lifetime expired`, sa);
      // tell the peer (it may have a longer lifetime and keep sending on the SPI)
      if (sa.state === 'established') this.task(sa, deleteChildren(this, sa, [child]));
      else this.removeChild(sa, child);
    });
  }

  private readonly childTimers = new Map<ChildSa, Map<string, TimerHandle>>();

  private childTimer(child: ChildSa, kind: string, ms: number, fn: () => void): void {
    let m = this.childTimers.get(child);
    if (!m) { m = new Map(); this.childTimers.set(child, m); }
    const old = m.get(kind);
    if (old) this.time.clearTimeout(old);
    m.set(kind, this.time.setTimeout(() => { m!.delete(kind); fn(); }, ms));
  }

  /** Try a Child SA rekey again shortly (the IKE SA was busy rekeying, or the peer said TEMPORARY_FAILURE). */
  retryChildRekey(child: ChildSa, ms = 2000): void {
    if (child.state === 'dead' || child.disposed) return;
    child.rekeyAt = this.now + ms;
    this.childTimer(child, 'rekey', ms, () => this.childRekeyDue(child));
  }

  private childRekeyDue(child: ChildSa): void {
    const sa = this.ownerOf(child);
    if (!sa || child.state !== 'installed') return;
    if (sa.state !== 'established') { this.retryChildRekey(child, 1000); return; }
    this.task(sa, rekeyChildSa(this, sa, child));
  }

  /** A task started outside the SA's queue (timers): its failure is traced, never an unhandled rejection. */
  task(sa: IkeSa, p: Promise<unknown>): void {
    p.catch((e: unknown) => this.trace(`internal error on IKE SA ${sa.id}: ${(e as Error).message}`, sa));
  }

  /** Wait until every message already queued for this SA has been handled (a responder task may be mid-ECDH). */
  async drain(sa: IkeSa): Promise<void> {
    for (;;) {
      const p = this.serial.get(sa);
      if (!p) return;
      await p;
      if (this.serial.get(sa) === p) return;
    }
  }

  /** A Child SA exchange of this IKE SA is open (rekey or delete in flight, or a new pair waiting for the old one's Delete). */
  childExchangeOpen(sa: IkeSa): boolean {
    return sa.children.some((c) => c.state === 'rekeying' || c.state === 'deleting' || !c.outboundReady);
  }

  /** The IKE SA a Child SA currently belongs to. */
  ownerOf(child: ChildSa): IkeSa | undefined {
    for (const sa of this.sas.values()) if (sa.children.includes(child)) return sa;
    return undefined;
  }

  /**
   * Up to 5 % of a lifetime, from the injected randomness — scaled down with a rekeyFraction below 0.9
   * (tests rekey after 1 % of a 120 s lifetime: a 6 s jitter would rekey at once, again and again).
   */
  jitter(lifeMs: number): number {
    const b = this.random(2);
    return ((b[0] << 8) | b[1]) / 65536 * lifeMs * 0.05 * Math.min(1, (this.opts.rekeyFraction ?? 0.9) / 0.9);
  }

  /**
   * Change liveness settings while running (IOS XR `ikev2 global dpd` / `retransmission` at commit):
   * DPD timers of established SAs are re-armed at once; a new retransmission schedule applies to IKE SAs
   * created from now on (an SA keeps the schedule it was made with).
   */
  configure(o: Pick<EngineOptions, 'dpdSec' | 'dpdRetrySec' | 'retransmit'>): void {
    const dpdChanged = o.dpdSec !== this.opts.dpdSec || o.dpdRetrySec !== this.opts.dpdRetrySec;
    this.opts.dpdSec = o.dpdSec;
    this.opts.dpdRetrySec = o.dpdRetrySec;
    this.opts.retransmit = this.ctx.retransmit = o.retransmit;
    if (!dpdChanged) return;
    for (const sa of this.sas.values()) if (sa.state !== 'dead') this.armDpd(sa);
  }

  /** The retransmission schedule of a liveness check: every dpdRetrySec, as many times as other requests. */
  dpdPolicy(): RetransmitPolicy | undefined {
    const r = this.opts.dpdRetrySec;
    return r ? { timeoutMs: r * 1000, base: 1, tries: DPD_RETRIES } : undefined;
  }

  armDpd(sa: IkeSa): void {
    const sec = this.opts.dpdSec ?? 0;
    if (!sec) { sa.clearTimer('dpd'); return; }
    sa.setTimer('dpd', sec * 1000, () => {
      if (sa.state === 'dead') return;
      const idle = this.now - this.lastActivity(sa);
      if (sa.state === 'established' && idle >= sec * 1000 && sa.manager.idle) this.task(sa, sendDpd(this, sa));
      this.armDpd(sa); // keep checking through rekeys that fail and return the SA to 'established'
    });
  }

  private lastActivity(sa: IkeSa): number {
    return Math.max(sa.lastHeard, ...sa.children.map((c) => c.lastInbound));
  }

  startChildRekey(sa: IkeSa, child: ChildSa): void {
    if (child.state !== 'installed') return;
    if (sa.state !== 'established') { this.retryChildRekey(child, 1000); return; }
    this.task(sa, rekeyChildSa(this, sa, child));
  }

  /** Rekey the IKE SA — not while a Child SA exchange is open on it (strongSwan waits the same way). */
  startIkeRekey(sa: IkeSa): void {
    if (sa.state !== 'established') return;
    if (this.childExchangeOpen(sa)) { sa.setTimer('ike-rekey', 1000, () => this.startIkeRekey(sa)); return; }
    this.task(sa, rekeyIkeSa(this, sa));
  }

  /**
   * An initiator's IKE SA without a Child SA (the first one failed, or it expired unreplaced) asks for a
   * new one with back-off, so the tunnel recovers once the peer's configuration allows it.
   */
  ensureChild(sa: IkeSa, delayMs = 5000): void {
    if (!sa.initiator || !sa.tunnel || sa.state === 'dead') return;
    sa.setTimer('child-create', delayMs, () => {
      if (sa.state !== 'established' || sa.children.some((c) => !c.disposed)) return;
      this.task(sa, createChildSa(this, sa).then((ok) => { if (!ok) this.ensureChild(sa, Math.min(delayMs * 2, 60_000)); }));
    });
  }

  /** Install a Child SA: data plane, events, lifetime timers. */
  installChild(sa: IkeSa, child: ChildSa): void {
    this.reservedSpis.delete(child.spiIn);
    sa.children.push(child);
    this.opts.events?.childInstalled?.(sa, child);
    this.armChild(child);
  }

  removeChild(sa: IkeSa, child: ChildSa): void {
    const i = sa.children.indexOf(child);
    if (i >= 0) sa.children.splice(i, 1);
    for (const t of this.childTimers.get(child)?.values() ?? []) this.time.clearTimeout(t);
    this.childTimers.delete(child);
    this.opts.events?.childRemoved?.(sa, child);
    child.dispose();
    if (sa.state === 'established' && !sa.children.length) this.ensureChild(sa);
  }

  /** The peer stopped answering: the SA is dead (§2.4). */
  private gaveUp(sa: IkeSa, err: ExchangeTimeout): void {
    const what = err.exchange === ExchangeType.INFORMATIONAL ? 'liveness check' : ianaName('exchange', err.exchange);
    this.trace(`peer ${sa.remote.addr} did not answer ${what} (${err.tries} retransmissions): declaring it dead`, sa);
    this.remove(sa, `peer not responding (${what})`);
  }

  /** Delete every SA, telling the peers (shutdown, clear crypto ikev2 sa). */
  async deleteAll(reason: string): Promise<void> {
    await Promise.all([...this.sas.values()].map((sa) => deleteIkeSa(this, sa, reason)));
  }

  /** Delete one IKE SA (and its children) with an INFORMATIONAL Delete. */
  deleteSa(sa: IkeSa, reason: string): Promise<void> { return deleteIkeSa(this, sa, reason); }

  /** Responder dispatch: the request handler every established SA gets. */
  requestHandler(sa: IkeSa): (exchange: number, payloads: Payload[], messageId: number) => Promise<Payload[]> {
    return async (exchange, payloads) => {
      switch (exchange) {
        case ExchangeType.IKE_AUTH: return respondIkeAuth(this, sa, payloads);
        case ExchangeType.CREATE_CHILD_SA: return respondCreateChildSa(this, sa, payloads);
        case ExchangeType.INFORMATIONAL: return respondInformational(this, sa, payloads);
        default: return [];
      }
    };
  }

  /** IKE SAs in a stable order for show commands. */
  list(): IkeSa[] { return [...this.sas.values()].sort((a, b) => a.id - b.id); }
}
