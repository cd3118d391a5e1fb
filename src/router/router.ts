// One router (ARCHITECTURE.md): configuration + IKEv2 engine + ESP data plane + a small IPv4 host, on an
// injected wire, time source and randomness. Runtime-agnostic: Node binds it to UDP sockets, the browser
// lab to a data channel, tests to a simulated wire.
//
//   UDP 500 ─────────────────────────────→ IKE engine ──→ SAs, Child SAs ──→ data plane (SAD, tunnel-ip)
//   UDP 4500 ─ non-ESP marker? ─ yes ────→ IKE engine
//                               └ no ────→ ESP decap ──→ inner IPv4 ──→ host (ping, echo, syslog)
//   host output ──→ route: a tunnel-ip subnet? ──→ ESP encap ──→ UDP 4500 to the peer │ otherwise dropped
import type { Core } from '../crypto/core.js';
import type { Bytes } from '../crypto/bytes.js';
import { type Random, randomBytes } from '../crypto/random.js';
import { ConfigStore } from '../config/store.js';
import { type RouterConfig } from '../config/model.js';
import { Console } from '../cli/console.js';
import type { RouterOps, TraceEntry } from '../cli/state.js';
import type { TimeSource } from '../util/clock.js';
import { type EngineOptions, IkeEngine } from '../ike/engine.js';
import type { IkeSa, Endpoint } from '../ike/sa.js';
import type { ChildSa } from '../ike/child.js';
import type { RetransmitPolicy } from '../ike/manager.js';
import type { TunnelPlan } from '../ike/plan.js';
import { DataPlane } from '../esp/dataplane.js';
import { Host } from '../net/host.js';
import { parseIpv4 } from '../net/ipv4.js';
import { ConfigPolicy, type DynamicPpkOptions, KeySources } from './plan.js';
import type { SkipFetch } from '../skip/client.js';
import { RouterView } from './ops.js';
import { TrustpointStore } from '../pki/trustpoint.js';
import type { LabCaService } from '../pki/lab-ca.js';
import { Syslog } from './syslog.js';
import { type Datagram, type KeyEvent, type MessageEvent, NATT_PORT, type Wire, type WireTap } from './types.js';

export interface RouterOptions {
  core: Core;
  time: TimeSource;
  wire: Wire;
  config?: RouterConfig;
  random?: Random;
  /** Name for logs when the configuration has no hostname. */
  name?: string;
  /** Overrides `ikev2 global retransmission` (tests). */
  retransmit?: RetransmitPolicy;
  /** Overrides `ikev2 global dpd`'s interval: liveness checks after this many idle seconds (0 = off; tests). */
  dpdSec?: number;
  /** Seconds between attempts to bring a tunnel up again (default 5). */
  reconnectSec?: number;
  cookieThreshold?: number;
  /** Fraction of a lifetime after which SAs are rekeyed (default 0.9). */
  rekeyFraction?: number;
  /**
   * How SKIP requests reach a key source (`sks profile … kme server …`): a fetch taking the request URL
   * (`https://HOST:PORT/capabilities`, …). Node: an HTTPS fetch with TLS-PSK; tests: the in-process
   * KeyServer's. Without it every dynamic PPK fails as unreachable.
   */
  keySourceFetch?: SkipFetch;
  /** Dynamic PPK choices the draft leaves open (docs/skip-client.md); defaults: ASCII-hex keyId, localSystemID in USE_PPK. */
  dynamicPpk?: DynamicPpkOptions;
  /** The lab's built-in CA, answering `crypto ca authenticate|enroll` of trustpoints with `enrollment url lab://ca`. */
  labCa?: LabCaService | (() => Promise<LabCaService>);
  /**
   * The trustpoints, when the caller filled them before the router starts (`webswan router --pki-dir`
   * restores saved certificates first, so that the first IKE exchange already has them). Default: empty.
   */
  trustpoints?: TrustpointStore;
}

type Listener<T> = (e: T) => void;

const TRACE_MAX = 2000;
/** Half-open IKE SAs above which IKE_SA_INIT needs a COOKIE (strongSwan's charon.cookie_threshold default). */
const DEFAULT_COOKIE_THRESHOLD = 30;
const NON_ESP_MARKER = 4;
/** How long a duplicate IKE SA (both ends initiated) lives before its initiator deletes it. */
const DUPLICATE_GRACE_MS = 2000;
/** IKE SAs of one tunnel that came up further apart than this are not a simultaneous start. */
const DUPLICATE_WINDOW_MS = 30_000;

export class Router {
  readonly store: ConfigStore;
  readonly ops: RouterOps;
  readonly time: TimeSource;
  readonly engine: IkeEngine;
  readonly dataplane = new DataPlane();
  readonly host: Host;
  readonly policy: ConfigPolicy;
  /** SKIP clients, one per `sks profile` (src/skip/client.ts). */
  readonly keySources: KeySources;
  /**
   * Trustpoints (`crypto ca trustpoint NAME`): CA certificates, our certificate and its private key, filled
   * by `crypto ca authenticate|import|enroll`. Never part of the configuration; a trustpoint removed from
   * the running configuration loses its certificates.
   */
  readonly trustpoints: TrustpointStore;
  private readonly keyListeners = new Set<Listener<KeyEvent>>();
  private readonly tapListeners = new Set<Listener<WireTap>>();
  private readonly addrListeners = new Set<Listener<string[]>>();
  private readonly traceListeners = new Set<Listener<TraceEntry>>();
  private readonly messageListeners = new Set<Listener<MessageEvent>>();
  readonly traceLog: TraceEntry[] = [];
  private readonly syslog: Syslog;

  /**
   * DPD and retransmission from `ikev2 global` (the options override them). Without `dpd` there is no
   * liveness check, as on IOS XR. `retransmission N`: the waits are 2, 4, … 2^N s — the request is sent
   * again after each but the last, then given up (N = 3: 14 s in all, the YANG description's example);
   * not configured: strongSwan's schedule (4 s × 1.8ⁿ, 5 retransmissions).
   */
  private liveness(): Pick<EngineOptions, 'dpdSec' | 'dpdRetrySec' | 'retransmit'> {
    const g = this.store.running.ikev2Global;
    const n = g?.retransmission;
    return {
      dpdSec: this.opts.dpdSec ?? g?.dpd?.interval ?? 0,
      dpdRetrySec: g?.dpd?.retry,
      retransmit: this.opts.retransmit ?? (n !== undefined ? { timeoutMs: 2000, base: 2, tries: n - 1 } : undefined),
    };
  }
  /** IKE SA currently serving each tunnel-ip interface (connecting or up). */
  private readonly tunnelSa = new Map<string, IkeSa>();
  /** IKE SAs whose coming up was handled (syslog SA_UP, duplicate check) — once each, however late the event. */
  private readonly announced = new WeakSet<IkeSa>();
  /** Duplicate IKE SAs with a deletion pending (resolveDuplicate). */
  private readonly dropping = new WeakSet<IkeSa>();
  private readonly reconnect = new Map<string, ReturnType<TimeSource['setTimeout']>>();
  private stopped = false;
  readonly counters = { espIn: 0, espOut: 0, keepalivesIn: 0, noRoute: 0, ikeIn: 0, ikeOut: 0 };

  constructor(private readonly opts: RouterOptions) {
    this.time = opts.time;
    this.trustpoints = opts.trustpoints ?? new TrustpointStore();
    this.store = new ConfigStore(opts.time);
    if (opts.config) this.store.load(opts.config, 'startup');
    this.keySources = new KeySources({ ...opts.dynamicPpk, fetch: opts.keySourceFetch, time: opts.time });
    this.policy = new ConfigPolicy(() => this.store.current as RouterConfig, () => this.store.version, this.keySources, this.trustpoints);
    this.engine = new IkeEngine({
      core: opts.core, time: opts.time, random: this.random, policy: this.policy,
      ...this.liveness(), cookieThreshold: opts.cookieThreshold ?? DEFAULT_COOKIE_THRESHOLD, rekeyFraction: opts.rekeyFraction,
      send: (from, to, m) => this.sendIke(from, to, m),
      keepalive: (from, to) => this.send({ src: from.addr, sport: from.port, dst: to.addr, dport: to.port, data: new Uint8Array([0xff]) }),
      wantsKeys: () => this.keyListeners.size > 0 || this.messageListeners.size > 0,
      events: {
        trace: (text, sa) => this.traceLine(sa ? `IKE SA ${sa.id}: ${text}` : text),
        keys: (e) => { for (const l of this.keyListeners) l(e); },
        childInstalled: (sa, c) => this.childInstalled(sa, c),
        childRemoved: (sa, c) => this.childRemoved(sa, c),
        ikeChanged: (sa) => this.ikeChanged(sa),
        message: (sa, dir, h, payloads, raw, retransmission) => {
          if (!this.messageListeners.size) return;
          const k = sa.keys;
          const e: MessageEvent = {
            kind: 'ike', dir, at: this.time.now(), saId: sa.id, exchange: h.exchange, response: h.response, messageId: h.messageId,
            payloads, raw, ...(retransmission ? { retransmission } : {}), keys: k && h.exchange !== 34 ? { skEi: k.skEi.slice(), skEr: k.skEr.slice(), skAi: k.skAi.slice(), skAr: k.skAr.slice() } : undefined,
          };
          for (const l of this.messageListeners) l(e);
        },
      },
    });
    this.host = new Host({
      time: opts.time, random: this.random,
      addresses: () => this.allAddresses(),
      send: (p) => this.route(p),
    });
    this.syslog = new Syslog(this);
    this.ops = new RouterView(this);
    let last = this.addresses().join(',');
    this.store.onCommit(() => {
      const now = this.addresses();
      if (now.join(',') !== last) { last = now.join(','); for (const l of this.addrListeners) l(now); }
      const tps = this.store.running.trustpoints ?? {};
      for (const n of this.trustpoints.names()) if (!Object.hasOwn(tps, n)) this.trustpoints.delete(n);
      this.engine.configure(this.liveness());
      this.reconcile();
    });
    this.time.setTimeout(() => this.reconcile(), 0);
  }

  private labCaPromise?: Promise<LabCaService>;
  /** The lab CA of RouterOptions.labCa (created on first use when given as a factory). */
  labCa(): Promise<LabCaService | undefined> {
    const o = this.opts.labCa;
    if (!o) return Promise.resolve(undefined);
    if (typeof o !== 'function') return Promise.resolve(o);
    return (this.labCaPromise ??= o());
  }

  get random(): Random { return this.opts.random ?? randomBytes; }
  get hostname(): string { return this.store.current.hostname ?? this.opts.name ?? 'ios'; }

  /** IPv4 addresses of the physical interfaces (not tunnel-ip, not shut down): where UDP 500/4500 listen. */
  addresses(): string[] {
    const out: string[] = [];
    for (const [name, c] of Object.entries(this.store.current.interfaces)) {
      if (c.ipv4 && !c.shutdown && !name.startsWith('tunnel-ip')) out.push(c.ipv4.address);
    }
    return out.sort();
  }

  /** Every address the host answers on, tunnel-ip interfaces included. */
  allAddresses(): string[] {
    return Object.values(this.store.current.interfaces).filter((c) => c.ipv4 && !c.shutdown).map((c) => c.ipv4!.address);
  }

  onAddressesChanged(fn: Listener<string[]>): () => void { return sub(this.addrListeners, fn); }
  /** Keys of every IKE and ESP SA as it is installed (for --keylog; never printed otherwise). */
  onKeys(fn: Listener<KeyEvent>): () => void { return sub(this.keyListeners, fn); }
  /** Every datagram sent or received on UDP 500/4500 (for --pcap and the UI's wire inspector). */
  onTap(fn: Listener<WireTap>): () => void { return sub(this.tapListeners, fn); }
  onTrace(fn: Listener<TraceEntry>): () => void { return sub(this.traceListeners, fn); }
  /** Every IKE message in clear and every ESP packet's inner packet, with keys (the browser lab's ladder only). */
  onMessage(fn: Listener<MessageEvent>): () => void { return sub(this.messageListeners, fn); }

  private espEvent(dir: 'in' | 'out', esp: Bytes, inner: Bytes, child: ChildSa, tunnel?: string): void {
    if (!this.messageListeners.size) return;
    const spi = ((esp[0] << 24) | (esp[1] << 16) | (esp[2] << 8) | esp[3]) >>> 0;
    const seq = ((esp[4] << 24) | (esp[5] << 16) | (esp[6] << 8) | esp[7]) >>> 0;
    const keys = child.keysFor(dir);
    const e: MessageEvent = { kind: 'esp', dir, at: this.time.now(), spi, seq, inner, tunnel, encKey: keys.enc, authKey: keys.auth };
    for (const l of this.messageListeners) l(e);
  }

  /** A new console session on this router (one per terminal / control connection). */
  console(write: (text: string) => void, user?: string): Console {
    return new Console({ store: this.store, ops: this.ops, clock: this.time, write, user });
  }

  traceLine(text: string): void {
    const e: TraceEntry = { at: this.time.now(), text };
    this.traceLog.push(e);
    if (this.traceLog.length > TRACE_MAX) this.traceLog.splice(0, this.traceLog.length - TRACE_MAX);
    for (const l of this.traceListeners) l(e);
  }

  // ---------------------------------------------------------------- the wire

  /** A datagram arrived from the wire for one of our addresses. Never throws. */
  receive(d: Datagram): void {
    if (this.stopped) return;
    this.tap('in', d);
    const from: Endpoint = { addr: d.src, port: d.sport }, to: Endpoint = { addr: d.dst, port: d.dport };
    if (d.dport === 500) { this.counters.ikeIn++; this.engine.receive(from, to, d.data); return; }
    if (d.dport !== NATT_PORT) return;
    const b = d.data;
    if (b.length === 1 && b[0] === 0xff) { this.counters.keepalivesIn++; return; } // NAT-keepalive (RFC 3948 §2.3)
    if (b.length >= NON_ESP_MARKER && b[0] === 0 && b[1] === 0 && b[2] === 0 && b[3] === 0) {
      this.counters.ikeIn++;
      this.engine.receive(from, to, b.subarray(NON_ESP_MARKER));
      return;
    }
    this.counters.espIn++;
    const r = this.dataplane.decap(b, this.time.now().getTime());
    if (!r.ok) return;
    this.espEvent('in', b, r.inner, r.entry.child, r.entry.tunnel);
    this.host.deliver(r.inner);
  }

  private sendIke(from: Endpoint, to: Endpoint, m: Bytes): void {
    this.counters.ikeOut++;
    let data = m;
    if (from.port === NATT_PORT) { data = new Uint8Array(m.length + NON_ESP_MARKER); data.set(m, NON_ESP_MARKER); }
    this.send({ src: from.addr, sport: from.port, dst: to.addr, dport: to.port, data });
  }

  private send(d: Datagram): void {
    if (this.stopped) return;
    this.tap('out', d);
    this.opts.wire.send(d);
  }

  private tap(direction: 'in' | 'out', datagram: Datagram): void {
    if (!this.tapListeners.size) return;
    const t: WireTap = { direction, at: this.time.now(), datagram };
    for (const l of this.tapListeners) l(t);
  }

  /** The tunnel-ip interface whose connected subnet holds `dst`, if it is up. */
  tunnelFor(dst: string): string | undefined {
    const n = ipNum(dst);
    for (const [name, c] of Object.entries(this.store.current.interfaces)) {
      if (!name.startsWith('tunnel-ip') || !c.ipv4 || c.shutdown) continue;
      const mask = ipNum(c.ipv4.mask);
      if (((n & mask) >>> 0) === ((ipNum(c.ipv4.address) & mask) >>> 0)) return name;
    }
    return undefined;
  }

  /** Route one of the host's packets: into a tunnel, or nowhere (we have no clear-text IP wire). */
  route(packet: Bytes): void {
    const p = parseIpv4(packet);
    if (!p.ok) return;
    if (this.allAddresses().includes(p.dst)) { this.host.deliver(packet); return; }
    const tunnel = this.tunnelFor(p.dst);
    if (!tunnel) { this.counters.noRoute++; return; }
    const r = this.dataplane.encap(tunnel, packet);
    if (!r.ok) return;
    this.counters.espOut++;
    this.espEvent('out', r.esp, packet, r.entry.child, tunnel);
    const { local, remote } = r.entry;
    // the endpoints of the IKE SA that owns this Child SA (its NAT mapping may have moved since install):
    // the tunnel's own SA almost always; the SA table is searched only when another SA owns it
    const cur = this.tunnelSa.get(tunnel);
    const sa = cur?.children.includes(r.entry.child) ? cur : this.engine.ownerOf(r.entry.child) ?? cur;
    const l = sa?.local ?? local, rm = sa?.remote ?? remote;
    this.send({ src: l.addr, sport: NATT_PORT, dst: rm.addr, dport: rm.port === 500 ? NATT_PORT : rm.port, data: r.esp });
  }

  /** Source address for a destination: the tunnel-ip address for its subnet, else the first address. */
  sourceFor(dst: string): string | undefined {
    const t = this.tunnelFor(dst);
    if (t) return this.store.current.interfaces[t]?.ipv4?.address;
    return this.addresses()[0];
  }

  // ---------------------------------------------------------------- tunnels

  /** Bring configured tunnels up, and tear down SAs of tunnels that went away (after every commit). */
  reconcile(): void {
    if (this.stopped) return;
    this.keySources.prefetch(this.store.current as RouterConfig);
    const plans = new Map(this.policy.tunnels().map((p) => [p.tunnel, p]));
    for (const [tunnel, sa] of this.tunnelSa) {
      const p = plans.get(tunnel);
      if (!p || p.localAddr !== sa.local.addr || p.remoteAddr !== sa.remote.addr) {
        this.tunnelSa.delete(tunnel);
        void this.engine.deleteSa(sa, p ? 'tunnel configuration changed' : 'tunnel removed or shut down');
      }
    }
    for (const p of plans.values()) if (!p.responderOnly && !this.tunnelSa.has(p.tunnel)) this.connect(p);
  }

  private connect(p: TunnelPlan): void {
    const t = this.reconnect.get(p.tunnel);
    if (t) { this.time.clearTimeout(t); this.reconnect.delete(p.tunnel); }
    if (!this.addresses().includes(p.localAddr)) {
      this.traceLine(`${p.tunnel}: tunnel source address ${p.localAddr} is not configured on an interface that is up`);
      return;
    }
    const sa = this.engine.connect(p);
    this.tunnelSa.set(p.tunnel, sa);
  }

  private ikeChanged(sa: IkeSa): void {
    if (sa.tunnel && sa.state !== 'dead' && (sa.state === 'established' || sa.state === 'connecting')) {
      const cur = this.tunnelSa.get(sa.tunnel);
      // an established SA serves the tunnel rather than one of ours still connecting (both ends initiated,
      // ours may never complete — behind a NAT the peer cannot reach us first)
      if (!cur || cur.state === 'dead' || cur.successor === sa || cur === sa || !cur.initiator ||
        (cur.state === 'connecting' && sa.state === 'established')) this.tunnelSa.set(sa.tunnel, sa);
    }
    if (sa.state === 'established' && !this.announced.has(sa)) {
      this.announced.add(sa);
      this.syslog.event('IKEV2', 6, 'SA_UP', `IKE SA ${sa.id} UP: local ${sa.local.addr}, remote ${sa.remote.addr}`);
      this.resolveDuplicate(sa);
    }
    if (sa.state !== 'dead') return;
    if (sa.tunnel && this.tunnelSa.get(sa.tunnel) === sa) {
      // another SA still serves the tunnel (a rekey's successor, the other of two duplicates): it takes over
      const other = this.engine.list().find((o) => o !== sa && o.tunnel === sa.tunnel && (o.state === 'established' || o.state === 'rekeying'));
      if (other) { this.tunnelSa.set(sa.tunnel, other); return; }
      this.tunnelSa.delete(sa.tunnel);
      if (!sa.successor) this.scheduleReconnect(sa.tunnel);
    }
  }

  /**
   * The IKE SAs of one tunnel that came from IKE_SA_INIT + IKE_AUTH (not from a rekey) and are up, established
   * within DUPLICATE_WINDOW_MS of `ref` — what both ends initiating at once leaves.
   */
  private duplicatesOf(ref: IkeSa): IkeSa[] {
    return this.engine.list().filter((o) => o.tunnel === ref.tunnel && o.remote.addr === ref.remote.addr && !o.fromRekey &&
      (o.state === 'established' || o.state === 'rekeying') && o.establishedAt !== undefined &&
      Math.abs(o.establishedAt - ref.establishedAt!) <= DUPLICATE_WINDOW_MS);
  }

  /**
   * Both ends initiated at once (neither is `set responder-only`): two IKE SAs (or more, after retries), each
   * with a Child SA pair, serve one tunnel. Both ends keep the one whose SPI pair (initiator SPI ‖ responder
   * SPI — the same bytes on both sides) sorts first; each other one is deleted by its initiator after a grace
   * period, and by its responder after twice that if it is still there (a peer that is not webswan, such as
   * strongSwan, has no such rule). Decided again when the time comes, from what is up then: a peer with its
   * own uniqueness rule (strongSwan's `unique = replace`) may have deleted the one we would keep. SAs made by
   * an IKE rekey are never duplicates (§2.8.2 decides simultaneous rekeys), nor SAs that came up more than
   * DUPLICATE_WINDOW_MS apart (not a simultaneous start: a stale SA is INITIAL_CONTACT's business).
   */
  private resolveDuplicate(sa: IkeSa): void {
    if (!sa.tunnel || sa.fromRekey) return;
    const set = this.duplicatesOf(sa);
    if (set.length < 2) return;
    const keep = set.reduce((a, b) => (b.spiKey < a.spiKey ? b : a));
    for (const drop of set) {
      if (drop === keep || this.dropping.has(drop)) continue;
      this.dropping.add(drop);
      const grace = drop.initiator ? DUPLICATE_GRACE_MS : 2 * DUPLICATE_GRACE_MS;
      this.traceLine(`IKE SA ${drop.id} duplicates IKE SA ${keep.id} (both ends initiated): keeping IKE SA ${keep.id}, ` +
        `deleting IKE SA ${drop.id} in ${grace / 1000} s${drop.initiator ? '' : ' unless its initiator does'}`);
      const settle = (): void => {
        const now = this.duplicatesOf(drop);
        if (now.some((x) => x.state === 'rekeying')) { drop.setTimer('duplicate', grace, settle); return; }
        if (drop.state !== 'established' || now.length < 2 || !drop.tunnel) { this.dropping.delete(drop); return; }
        const winner = now.reduce((a, b) => (b.spiKey < a.spiKey ? b : a));
        this.dropping.delete(drop);
        if (winner === drop) return;
        if (this.tunnelSa.get(drop.tunnel) === drop) this.tunnelSa.set(drop.tunnel, winner);
        void this.engine.deleteSa(drop, `duplicate of IKE SA ${winner.id}`);
      };
      drop.setTimer('duplicate', grace, settle);
    }
  }

  private scheduleReconnect(tunnel: string): void {
    if (this.stopped || this.reconnect.has(tunnel)) return;
    const plan = this.policy.tunnels().find((p) => p.tunnel === tunnel);
    if (!plan || plan.responderOnly) return;
    this.reconnect.set(tunnel, this.time.setTimeout(() => {
      this.reconnect.delete(tunnel);
      const p = this.policy.tunnels().find((x) => x.tunnel === tunnel);
      if (p && !p.responderOnly && !this.tunnelSa.has(tunnel) && !this.stopped) this.connect(p);
    }, (this.opts.reconnectSec ?? 5) * 1000));
  }

  private childInstalled(sa: IkeSa, c: ChildSa): void {
    const wasUp = sa.tunnel ? this.dataplane.isUp(sa.tunnel) : true;
    this.dataplane.install({ child: c, tunnel: sa.tunnel, local: sa.local, remote: sa.remote });
    if (sa.tunnel && !wasUp) this.syslog.lineState(sa.tunnel, true);
  }

  private childRemoved(sa: IkeSa, c: ChildSa): void {
    this.dataplane.remove(c);
    // the rekey responder switches to the new SA once the old one is gone (make-before-break)
    for (const other of sa.children) if (other !== c) other.outboundReady = true;
    if (sa.tunnel && !this.dataplane.isUp(sa.tunnel)) this.syslog.lineState(sa.tunnel, false);
  }

  /** IKE SA by its show id. */
  findSa(id: number): IkeSa | undefined { return this.engine.list().find((s) => s.id === id); }

  /** Send Delete for every SA and stop (SIGINT/SIGTERM). Resolves when the Deletes are answered or timed out. */
  async shutdown(): Promise<void> {
    for (const t of this.reconnect.values()) this.time.clearTimeout(t);
    this.reconnect.clear();
    await this.engine.deleteAll('router shutting down');
    this.stopped = true;
  }
}

function ipNum(a: string): number {
  const p = a.split('.').map(Number);
  return ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0;
}

function sub<T>(set: Set<T>, fn: T): () => void {
  set.add(fn);
  return () => { set.delete(fn); };
}
