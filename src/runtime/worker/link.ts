// One router's end of a lab link: an RTCDataChannel (unordered, maxRetransmits 0 — datagram semantics)
// that carries one IPv4 packet per message, outer IPv4 + UDP header + payload as a router sends it, so the
// capture and the wire look real. The link is a shared segment: every packet on it arrives here, and the
// router takes only those addressed to one of its addresses.
//
//   router.send(Datagram) → IPv4/UDP (datagramToIpv4) → pcap 'out' → impairments → channel.send
//   channel message → parseIpv4 + parseUdp (checksums) → ours? → pcap 'in' → router.receive
//
// Impairments (the wire inspector) act on what this router sends: cut, loss, duplication, corruption (one
// byte of the UDP payload flipped before the checksums are computed, so the engine — not the UDP layer —
// sees it: ICV/integrity failures become visible), and delay + jitter, with reordering as an extra delay.
import { datagramToIpv4, pcapHeader, pcapRecord } from '../../capture/pcap.js';
import type { Bytes } from '../../crypto/bytes.js';
import { IPPROTO, parseIpv4 } from '../../net/ipv4.js';
import { parseUdp } from '../../net/udp.js';
import type { Impairment, LabEvent } from '../../lab/protocol.js';
import type { Datagram } from '../../router/types.js';

/** Keep the channel's send buffer short (browser-stack.md: unordered channels lose bursts above ~1 MiB). */
const MAX_BUFFERED = 256 * 1024;
/** Packets queued while the channel is still connecting (an ARP queue of sorts). */
const MAX_PENDING = 64;
/** Extra delay of a reordered packet, beyond delay + jitter. */
const REORDER_EXTRA_MS = 25;
const PCAP_MAX_BYTES = 64 * 1024 * 1024;

/** A wire event without the router's name (the worker adds it). */
type WireEvent = Omit<Extract<LabEvent, { kind: 'wire' }>, 'router'>;

/** Uniform in [0, 1): mulberry32 from a seed (reproducible runs), else crypto.getRandomValues. */
export function uniform(seed?: number): () => number {
  if (seed === undefined) {
    const buf = new Uint32Array(64);
    let i = buf.length;
    return () => {
      if (i === buf.length) { crypto.getRandomValues(buf); i = 0; }
      return buf[i++] / 0x100000000;
    };
  }
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 0x100000000;
  };
}

export interface LinkOptions {
  /** The router's addresses now (the link asks per packet: configuration changes apply at once). */
  addresses: () => string[];
  deliver: (d: Datagram) => void;
  event: (e: WireEvent) => void;
}

export class LinkEnd {
  private channel?: RTCDataChannel;
  private pending: Bytes[] = [];
  private impairment: Impairment = {};
  private rand = uniform();
  private nextId = 1;
  private pcapChunks: Bytes[] = [pcapHeader()];
  private pcapBytes = 24;
  readonly counters = { sent: 0, received: 0, dropped: 0, malformed: 0, notOurs: 0 };

  constructor(private readonly o: LinkOptions) {}

  attach(channel: RTCDataChannel): void {
    this.channel = channel;
    channel.binaryType = 'arraybuffer';
    channel.onmessage = (ev: MessageEvent) => {
      if (ev.data instanceof ArrayBuffer) this.receive(new Uint8Array(ev.data));
    };
    channel.onopen = () => {
      const q = this.pending;
      this.pending = [];
      for (const p of q) this.transmit(p);
    };
    if (channel.readyState === 'open') channel.onopen(new Event('open'));
  }

  get channelInfo(): { ordered: boolean; maxRetransmits: number | null; readyState: string } | undefined {
    const c = this.channel;
    return c && { ordered: c.ordered, maxRetransmits: c.maxRetransmits, readyState: c.readyState };
  }

  setImpairment(i: Impairment): void {
    this.impairment = { ...i };
    this.rand = uniform(i.seed);
  }

  /** The router's datagram onto the wire. Never throws. */
  send(d: Datagram): void {
    let packet: Bytes;
    try { packet = datagramToIpv4(d, { id: this.takeId() }); } catch { this.drop('out', 0, 'not an IPv4/UDP datagram'); return; }
    this.record(packet);
    const im = this.impairment;
    if (im.cut) return this.drop('out', packet.length, 'cable cut');
    if (pct(im.lossPct) && this.rand() * 100 < im.lossPct!) return this.drop('out', packet.length, 'lost (impairment)');
    const copies = pct(im.duplicatePct) && this.rand() * 100 < im.duplicatePct! ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      let p = packet, mark: WireEvent['mark'] = i ? 'duplicate' : undefined;
      if (pct(im.corruptPct) && this.rand() * 100 < im.corruptPct! && d.data.length) {
        const data = d.data.slice();
        data[Math.floor(this.rand() * data.length)] ^= 1 + Math.floor(this.rand() * 255);
        p = datagramToIpv4({ ...d, data }, { id: (packet[4] << 8) | packet[5] });
        mark = 'corrupted';
      }
      let delay = (im.delayMs ?? 0) + (im.jitterMs ? this.rand() * im.jitterMs : 0);
      if (pct(im.reorderPct) && this.rand() * 100 < im.reorderPct!) { delay += REORDER_EXTRA_MS + (im.jitterMs ?? 0); mark ??= 'reordered'; }
      const out = p, m = mark;
      if (delay > 0) setTimeout(() => this.transmit(out, m), delay);
      else this.transmit(out, m);
    }
  }

  private takeId(): number {
    const id = this.nextId;
    this.nextId = (this.nextId + 1) & 0xffff || 1;
    return id;
  }

  private transmit(p: Bytes, mark?: WireEvent['mark']): void {
    const c = this.channel;
    if (!c || c.readyState === 'connecting') {
      if (this.pending.length >= MAX_PENDING) return this.drop('out', p.length, 'link not connected');
      this.pending.push(p);
      return;
    }
    if (c.readyState !== 'open') return this.drop('out', p.length, 'link closed');
    if (c.bufferedAmount > MAX_BUFFERED) return this.drop('out', p.length, 'send buffer full');
    try { c.send(p as Uint8Array<ArrayBuffer>); } catch (e) { return this.drop('out', p.length, `send failed: ${e instanceof Error ? e.message : String(e)}`); }
    this.counters.sent++;
    this.o.event({ kind: 'wire', dir: 'out', at: Date.now(), length: p.length, ...(mark ? { mark } : {}) });
  }

  /** A packet from the link. Malformed packets and packets for other hosts are dropped (with a wire event). */
  receive(b: Bytes): void {
    const ip = parseIpv4(b);
    if (!ip.ok) { this.counters.malformed++; return this.drop('in', b.length, `malformed IPv4: ${ip.reason}`); }
    if (ip.protocol !== IPPROTO.UDP) { this.counters.malformed++; return this.drop('in', b.length, `not UDP (protocol ${ip.protocol})`); }
    const udp = parseUdp(ip.payload, ip.src, ip.dst);
    if (!udp.ok) { this.counters.malformed++; return this.drop('in', b.length, `malformed UDP: ${udp.reason}`); }
    if (!this.o.addresses().includes(ip.dst)) { this.counters.notOurs++; return this.drop('in', b.length, `not addressed to this router (${ip.dst})`); }
    this.counters.received++;
    this.record(b.subarray(0, ip.totalLength));
    this.o.event({ kind: 'wire', dir: 'in', at: Date.now(), length: b.length });
    this.o.deliver({ src: ip.src, sport: udp.sport, dst: ip.dst, dport: udp.dport, data: udp.data });
  }

  private drop(dir: 'in' | 'out', length: number, why: string): void {
    this.counters.dropped++;
    this.o.event({ kind: 'wire', dir, at: Date.now(), length, dropped: why });
  }

  private record(packet: Bytes): void {
    if (this.pcapBytes + packet.length + 16 > PCAP_MAX_BYTES) return;
    const r = pcapRecord(new Date(), packet);
    this.pcapChunks.push(r);
    this.pcapBytes += r.length;
  }

  /** The capture so far (LINKTYPE_RAW: each record is the IPv4 packet as sent or received). */
  pcap(): Bytes {
    const out = new Uint8Array(this.pcapBytes);
    let o = 0;
    for (const c of this.pcapChunks) { out.set(c, o); o += c.length; }
    return out;
  }

  /** A new lab: the capture starts over. */
  resetCapture(): void {
    this.pcapChunks = [pcapHeader()];
    this.pcapBytes = 24;
  }

  close(): void {
    this.pending = [];
    try { this.channel?.close(); } catch { /* already closed */ }
  }
}

function pct(v: number | undefined): boolean { return typeof v === 'number' && v > 0; }
