// The ESP data plane of one router (RFC 4303 tunnel mode, RFC 3948 UDP encapsulation, RFC 4301 §4.4 SAD):
// inbound packets find their SA by SPI; outbound packets leave through a route-based tunnel-ip interface
// (a VTI: whatever is routed into the interface is protected by its current Child SA, and the selectors
// the peer narrowed to are enforced so nothing is sent that the peer would have to drop).
//
//   outbound: host/IP → route lookup → tunnel-ip → current Child SA (make-before-break) → selector check → ESP encap
//   inbound:  UDP 4500 (no non-ESP marker) → SPI → ESP decap (replay, ICV, then decrypt) → inner IPv4 → host
import type { Bytes } from '../crypto/bytes.js';
import type { ChildSa } from '../ike/child.js';
import type { TrafficSelector } from '../ike/codec/types.js';

export interface SadEntry { child: ChildSa; tunnel?: string; local: { addr: string; port: number }; remote: { addr: string; port: number } }

export type OutResult = { ok: true; esp: Bytes; entry: SadEntry } | { ok: false; reason: 'no-sa' | 'selector' | 'esp'; detail?: string };
export type InResult = { ok: true; inner: Bytes; entry: SadEntry } | { ok: false; reason: string };

export interface TunnelCounters { packetsOut: number; bytesOut: number; packetsIn: number; bytesIn: number; drops: Record<string, number> }

function ipNum(b: Bytes, off: number): number { return ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0; }
function selNum(a: Bytes): number { return ipNum(a, 0); }

/** Whether an IPv4 address (as a number) lies in one of the selectors' address ranges. */
function covered(addr: number, sels: TrafficSelector[]): boolean {
  return sels.some((s) => s.startAddr.length === 4 && addr >= selNum(s.startAddr) && addr <= selNum(s.endAddr));
}

export class DataPlane {
  private readonly sad = new Map<number, SadEntry>();
  /** Child SAs per tunnel-ip interface, oldest first. */
  private readonly tunnels = new Map<string, SadEntry[]>();
  private readonly counters = new Map<string, TunnelCounters>();
  readonly drops: Record<string, number> = {};

  install(e: SadEntry): void {
    this.sad.set(e.child.spiIn, e);
    if (e.tunnel) {
      const list = this.tunnels.get(e.tunnel) ?? [];
      list.push(e);
      this.tunnels.set(e.tunnel, list);
    }
  }

  remove(child: ChildSa): void {
    const e = this.sad.get(child.spiIn);
    if (!e || e.child !== child) return;
    this.sad.delete(child.spiIn);
    if (e.tunnel) {
      const list = (this.tunnels.get(e.tunnel) ?? []).filter((x) => x.child !== child);
      if (list.length) this.tunnels.set(e.tunnel, list); else this.tunnels.delete(e.tunnel);
    }
  }

  /** The Child SA carrying a tunnel's outbound traffic: the newest one we may send on. */
  current(tunnel: string): SadEntry | undefined {
    const list = (this.tunnels.get(tunnel) ?? []).filter((e) => !e.child.disposed && e.child.state !== 'dead');
    for (let i = list.length - 1; i >= 0; i--) if (list[i].child.outboundReady && list[i].child.state !== 'deleting') return list[i];
    return list[list.length - 1];
  }

  isUp(tunnel: string): boolean { return !!this.current(tunnel); }

  entries(tunnel?: string): SadEntry[] {
    return [...this.sad.values()].filter((e) => tunnel === undefined || e.tunnel === tunnel);
  }

  count(tunnel: string): TunnelCounters {
    let c = this.counters.get(tunnel);
    if (!c) { c = { packetsOut: 0, bytesOut: 0, packetsIn: 0, bytesIn: 0, drops: {} }; this.counters.set(tunnel, c); }
    return c;
  }

  private drop(reason: string, tunnel?: string): void {
    this.drops[reason] = (this.drops[reason] ?? 0) + 1;
    if (tunnel) { const c = this.count(tunnel); c.drops[reason] = (c.drops[reason] ?? 0) + 1; }
  }

  /** Protect an inner IPv4 packet routed into `tunnel`. */
  encap(tunnel: string, inner: Bytes): OutResult {
    const e = this.current(tunnel);
    if (!e) { this.drop('no-sa', tunnel); return { ok: false, reason: 'no-sa' }; }
    if (inner.length < 20) { this.drop('short', tunnel); return { ok: false, reason: 'esp', detail: 'short' }; }
    if (!covered(ipNum(inner, 12), e.child.tsLocal) || !covered(ipNum(inner, 16), e.child.tsRemote)) {
      this.drop('selector', tunnel);
      return { ok: false, reason: 'selector' };
    }
    const r = e.child.outbound.encap(inner);
    if (!r.ok) { this.drop(r.reason, tunnel); return { ok: false, reason: 'esp', detail: r.reason }; }
    const c = this.count(tunnel);
    c.packetsOut++; c.bytesOut += inner.length;
    return { ok: true, esp: r.packet, entry: e };
  }

  /** Verify and decrypt an ESP packet (from its SPI on). Never throws on packet contents. */
  decap(esp: Bytes, now: number): InResult {
    if (esp.length < 8) { this.drop('short'); return { ok: false, reason: 'short' }; }
    const spi = ipNum(esp, 0);
    const e = this.sad.get(spi);
    if (!e || e.child.disposed) { this.drop('unknown-spi'); return { ok: false, reason: 'unknown-spi' }; }
    const r = e.child.inbound.decap(esp);
    if (!r.ok) { this.drop(r.reason, e.tunnel); return { ok: false, reason: r.reason }; }
    if (r.nextHeader !== 4) { this.drop('next-header', e.tunnel); return { ok: false, reason: 'next-header' }; }
    e.child.lastInbound = now;
    if (r.packet.length >= 20 && (!covered(ipNum(r.packet, 12), e.child.tsRemote) || !covered(ipNum(r.packet, 16), e.child.tsLocal))) {
      this.drop('selector', e.tunnel);
      return { ok: false, reason: 'selector' };
    }
    if (e.tunnel) { const c = this.count(e.tunnel); c.packetsIn++; c.bytesIn += r.packet.length; }
    return { ok: true, inner: r.packet, entry: e };
  }
}
