// The router's own IPv4 host for management traffic: it answers ICMP echo on its interface addresses
// (RFC 792, RFC 1122 §3.2.2.6), runs `ping` sessions, and originates UDP (syslog to `logging <host>`).
//
// Flow: the router hands `deliver()` every datagram addressed to one of its addresses (after ESP decap when
// it came over a tunnel) → parseIpv4 → by protocol: ICMP echo request → reply from the address pinged via
// `send()`; echo reply → the ping session with that identifier; UDP → counted; anything else → a drop
// reason. Outbound datagrams go to `send()`, and the router routes them (tunnel or not).
//
// Ping, as IOS XR: `count` echo requests, one outstanding at a time; the next goes out when the reply
// arrives or `timeoutSec` after the request. `size` is the whole IP datagram (20-byte header + 8-byte ICMP
// header + data), data filled with IOS XR's default pattern 0xABCD. Timers come from `opts.time` only.
import type { Bytes } from '../crypto/bytes.js';
import type { TimeSource, TimerHandle } from '../util/clock.js';
import type { PingReply, PingRequest } from '../cli/state.js';
import { IPPROTO, IPV4_HEADER_LEN, buildIpv4, isIpv4, parseIpv4 } from './ipv4.js';
import { ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, ICMP_HEADER_LEN, buildIcmpEcho, parseIcmp } from './icmp.js';
import { buildUdp, parseUdp } from './udp.js';

export interface HostOptions {
  time: TimeSource;
  /** the router's interface addresses, read at each packet (configuration may change) */
  addresses(): string[];
  /** send an IPv4 packet (the router routes it: tunnel or not) */
  send(packet: Bytes): void;
  /** random bytes for ping identifiers and the first IP ID; a fixed sequence without it */
  random?: (n: number) => Bytes;
  /** TTL of what the host originates; default 255 */
  ttl?: number;
  /** UDP datagrams addressed to us (nothing listens by default) */
  onUdp?: (d: { src: string; dst: string; sport: number; dport: number; data: Bytes }) => void;
}

export type DeliverResult = 'echo-request' | 'echo-reply' | 'udp' | 'dropped';

export interface HostStats {
  packetsIn: number;
  echoRequestsIn: number;
  echoRepliesOut: number;
  echoRequestsOut: number;
  echoRepliesIn: number;
  pingTimeouts: number;
  udpIn: number;
  udpOut: number;
  /** reason → count: ip-<Ipv4Reason>, icmp-<IcmpReason>, icmp-type-<n>, udp-<UdpReason>, not-ours, bad-source,
   *  protocol-<n>, echo-reply-unmatched, echo-reply-corrupt, no-source */
  dropped: Record<string, number>;
}

/** IOS XR's default `ping … pattern`: 0xABCD repeated */
export const PING_PATTERN = 0xabcd;
/** `ping … size` bounds on IOS XR; the smallest leaves 8 data bytes after the IP and ICMP headers */
export const PING_SIZE_MIN = 36, PING_SIZE_MAX = 18024;

interface Outstanding { seq: number; sentAt: number; timer: TimerHandle }
interface PingSession {
  id: number;
  dst: string;
  src: string;
  count: number;
  data: Bytes;
  timeoutMs: number;
  seq: number;
  outstanding?: Outstanding;
  sending: boolean;
  onReply: (r: PingReply) => void;
  done: () => void;
}

/** Addresses a host must not answer (RFC 1122 §3.2.1.3, §3.2.2.6): this-network, loopback, multicast, broadcast. */
function badSource(ip: string): boolean {
  const a = Number(ip.slice(0, ip.indexOf('.')));
  return a === 0 || a === 127 || a >= 224;
}

export function pingData(size: number): Bytes {
  const n = Math.max(0, Math.min(PING_SIZE_MAX, Math.floor(size)) - IPV4_HEADER_LEN - ICMP_HEADER_LEN);
  const d = new Uint8Array(n);
  for (let i = 0; i < n; i++) d[i] = i & 1 ? PING_PATTERN & 0xff : PING_PATTERN >> 8;
  return d;
}

export class Host {
  private readonly sessions = new Map<number, PingSession>();
  private ipId: number;
  private nextIdent: number;
  private readonly counters: Omit<HostStats, 'dropped'> = {
    packetsIn: 0, echoRequestsIn: 0, echoRepliesOut: 0, echoRequestsOut: 0, echoRepliesIn: 0, pingTimeouts: 0, udpIn: 0, udpOut: 0,
  };
  private readonly drops = new Map<string, number>();

  constructor(private readonly opts: HostOptions) {
    const r = opts.random?.(4);
    this.ipId = r ? (r[0] << 8) | r[1] : 1;
    this.nextIdent = r ? (r[2] << 8) | r[3] : 1;
  }

  /**
   * An IPv4 packet addressed to one of our addresses: answer echo requests (reply from the address pinged),
   * match echo replies to pending pings, count everything else as unhandled. Never throws on input.
   */
  deliver(packet: Bytes): DeliverResult {
    this.counters.packetsIn++;
    const ip = parseIpv4(packet);
    if (!ip.ok) return this.drop(`ip-${ip.reason}`);
    if (!this.opts.addresses().includes(ip.dst)) return this.drop('not-ours');
    if (badSource(ip.src)) return this.drop('bad-source');
    if (ip.protocol === IPPROTO.ICMP) {
      const m = parseIcmp(ip.payload);
      if (!m.ok) return this.drop(m.reason === 'not-echo' ? `icmp-type-${m.type}` : `icmp-${m.reason}`);
      if (m.type === ICMP_ECHO_REQUEST) {
        this.counters.echoRequestsIn++;
        const reply = buildIcmpEcho({ type: ICMP_ECHO_REPLY, identifier: m.identifier, sequence: m.sequence, data: m.data });
        this.counters.echoRepliesOut++;
        this.opts.send(buildIpv4({ src: ip.dst, dst: ip.src, protocol: IPPROTO.ICMP, ttl: this.opts.ttl, id: this.takeIpId() }, reply));
        return 'echo-request';
      }
      return this.echoReply(ip.src, ip.dst, m.identifier, m.sequence, m.data);
    }
    if (ip.protocol === IPPROTO.UDP) {
      const u = parseUdp(ip.payload, ip.src, ip.dst);
      if (!u.ok) return this.drop(`udp-${u.reason}`);
      this.counters.udpIn++;
      this.opts.onUdp?.({ src: ip.src, dst: ip.dst, sport: u.sport, dport: u.dport, data: u.data });
      return 'udp';
    }
    return this.drop(`protocol-${ip.protocol}`);
  }

  /**
   * RouterOps.ping semantics: `count` echo requests of `size` bytes of IP datagram, one outstanding at a time;
   * onReply({seq, ok, rttMs}) for seq 1..count; resolves when done. The source is `req.source` when it is an
   * address, else pickSource(dst), else our first address; with none at all every probe fails at once.
   * Interface names in `req.source` are the router's to resolve before calling.
   */
  ping(req: PingRequest, onReply: (r: PingReply) => void, pickSource: (dst: string) => string | undefined): Promise<void> {
    const count = Math.max(0, Math.floor(req.count));
    const src = isIpv4(req.source) ? req.source : pickSource(req.destination) ?? this.opts.addresses()[0];
    if (!isIpv4(req.destination) || !isIpv4(src)) {
      this.drop('no-source', count);
      for (let seq = 1; seq <= count; seq++) onReply({ seq, ok: false });
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const s: PingSession = {
        id: this.takeIdent(), dst: req.destination, src, count, data: pingData(req.size),
        timeoutMs: Math.max(0, req.timeoutSec) * 1000, seq: 0, sending: false, onReply, done: resolve,
      };
      this.sessions.set(s.id, s);
      this.pump(s);
    });
  }

  /** Send one UDP datagram (syslog) from `src` (or our first address) to dst:port. */
  sendUdp(src: string | undefined, dst: string, sport: number, dport: number, data: Bytes): void {
    const from = src ?? this.opts.addresses()[0];
    if (!isIpv4(from)) { this.drop('no-source'); return; }
    const udp = buildUdp(from, dst, { sport, dport, data });
    this.counters.udpOut++;
    this.opts.send(buildIpv4({ src: from, dst, protocol: IPPROTO.UDP, ttl: this.opts.ttl, id: this.takeIpId() }, udp));
  }

  stats(): HostStats {
    return { ...this.counters, dropped: Object.fromEntries(this.drops) };
  }

  /** Ping sessions still running. */
  get activePings(): number { return this.sessions.size; }

  private drop(reason: string, n = 1): 'dropped' {
    this.drops.set(reason, (this.drops.get(reason) ?? 0) + n);
    return 'dropped';
  }

  private takeIpId(): number {
    const id = this.ipId;
    this.ipId = (this.ipId + 1) & 0xffff;
    return id;
  }

  private takeIdent(): number {
    for (let i = 0; i < 0x10000; i++) {
      const id = this.nextIdent;
      this.nextIdent = (this.nextIdent + 1) & 0xffff;
      if (!this.sessions.has(id)) return id;
    }
    throw new Error('net: 65536 ping sessions at once');
  }

  /**
   * Send requests until one is outstanding or all are answered. A reply may arrive inside send() (a wire
   * that delivers synchronously); the loop, not recursion, then sends the next one.
   */
  private pump(s: PingSession): void {
    if (s.sending) return;
    s.sending = true;
    while (!s.outstanding && s.seq < s.count) {
      const seq = ++s.seq;
      const icmp = buildIcmpEcho({ type: ICMP_ECHO_REQUEST, identifier: s.id, sequence: seq & 0xffff, data: s.data });
      const packet = buildIpv4({ src: s.src, dst: s.dst, protocol: IPPROTO.ICMP, ttl: this.opts.ttl, id: this.takeIpId() }, icmp);
      const o: Outstanding = { seq, sentAt: this.opts.time.now().getTime(), timer: { id: -1 } };
      o.timer = this.opts.time.setTimeout(() => this.timeout(s, o), s.timeoutMs);
      s.outstanding = o;
      this.counters.echoRequestsOut++;
      this.opts.send(packet);
    }
    s.sending = false;
    if (!s.outstanding && s.seq >= s.count && this.sessions.get(s.id) === s) {
      this.sessions.delete(s.id);
      s.done();
    }
  }

  private timeout(s: PingSession, o: Outstanding): void {
    if (s.outstanding !== o) return;
    s.outstanding = undefined;
    this.counters.pingTimeouts++;
    s.onReply({ seq: o.seq, ok: false });
    this.pump(s);
  }

  private echoReply(from: string, to: string, identifier: number, sequence: number, data: Bytes): DeliverResult {
    const s = this.sessions.get(identifier);
    const o = s?.outstanding;
    if (!s || !o || from !== s.dst || to !== s.src || sequence !== (o.seq & 0xffff)) return this.drop('echo-reply-unmatched');
    if (data.length !== s.data.length || data.some((v, i) => v !== s.data[i])) return this.drop('echo-reply-corrupt');
    this.counters.echoRepliesIn++;
    this.opts.time.clearTimeout(o.timer);
    s.outstanding = undefined;
    s.onReply({ seq: o.seq, ok: true, rttMs: this.opts.time.now().getTime() - o.sentAt });
    this.pump(s);
    return 'echo-reply';
  }
}
