// Classic libpcap capture files (the format tcpdump, Wireshark and tshark read everywhere): a 24-byte
// global header, then one 16-byte record header + packet per datagram. The link type is LINKTYPE_RAW
// (101): each packet starts at the IPv4 header, so a router's UDP 500/4500 datagrams are written with a
// real outer IPv4 + UDP header (RFC 791 header checksum, RFC 768 checksum over the pseudo-header), and
// Wireshark's checksum validation shows them as Good.
// Runtime-agnostic: Node writes the bytes to a file, the browser lab offers them as a download.
import type { Bytes } from '../crypto/bytes.js';
import type { Datagram, WireTap } from '../router/types.js';

/** LINKTYPE_RAW: the packet begins with an IPv4 or IPv6 header (tcpdump.org/linktypes.html). */
export const LINKTYPE_RAW = 101;
export const PCAP_SNAPLEN = 65535;

const PCAP_MAGIC_USEC = 0xa1b2c3d4;
const IPV4_HEADER_LEN = 20;
const UDP_HEADER_LEN = 8;
const IPPROTO_UDP = 17;
const DEFAULT_TTL = 64;
/** Largest UDP payload an IPv4 datagram can carry (65535 - 20 - 8). */
export const MAX_UDP_PAYLOAD = 0xffff - IPV4_HEADER_LEN - UDP_HEADER_LEN;

/** The file's global header: magic for microsecond timestamps, version 2.4, UTC, little-endian. */
export function pcapHeader(linktype = LINKTYPE_RAW): Bytes {
  const b = new Uint8Array(24);
  const v = new DataView(b.buffer);
  v.setUint32(0, PCAP_MAGIC_USEC, true);
  v.setUint16(4, 2, true);   // version major
  v.setUint16(6, 4, true);   // version minor
  v.setInt32(8, 0, true);    // thiszone: timestamps are UTC
  v.setUint32(12, 0, true);  // sigfigs
  v.setUint32(16, PCAP_SNAPLEN, true);
  v.setUint32(20, linktype, true);
  return b;
}

/** One record: timestamp (seconds + microseconds since the epoch), lengths, then the packet. */
export function pcapRecord(at: Date, packet: Bytes): Bytes {
  const ms = at.getTime();
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError('pcap: timestamp before 1970 or invalid');
  const caplen = Math.min(packet.length, PCAP_SNAPLEN);
  const b = new Uint8Array(16 + caplen);
  const v = new DataView(b.buffer);
  v.setUint32(0, Math.floor(ms / 1000), true);
  v.setUint32(4, (ms % 1000) * 1000, true);
  v.setUint32(8, caplen, true);
  v.setUint32(12, packet.length, true);
  b.set(packet.subarray(0, caplen), 16);
  return b;
}

function ipv4Bytes(addr: string, what: string): Bytes {
  const parts = addr.split('.');
  const out = new Uint8Array(4);
  if (parts.length !== 4) throw new RangeError(`pcap: ${what} is not a dotted IPv4 address: ${addr}`);
  for (let i = 0; i < 4; i++) {
    if (!/^\d{1,3}$/.test(parts[i]) || Number(parts[i]) > 255) throw new RangeError(`pcap: ${what} is not a dotted IPv4 address: ${addr}`);
    out[i] = Number(parts[i]);
  }
  return out;
}

function checkPort(p: number, what: string): void {
  if (!Number.isInteger(p) || p < 0 || p > 0xffff) throw new RangeError(`pcap: ${what} out of range: ${p}`);
}

/** RFC 1071 one's-complement sum of 16-bit big-endian words (an odd last byte is padded with zero). */
function onesSum(sum: number, b: Bytes, from: number, to: number): number {
  let i = from;
  for (; i + 1 < to; i += 2) sum += (b[i] << 8) | b[i + 1];
  if (i < to) sum += b[i] << 8;
  return sum;
}

function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

export interface Ipv4Options {
  /** IPv4 Identification field (a capture writer counts it up per packet). */
  id?: number;
  ttl?: number;
}

/** The datagram as the IPv4 packet that carried it: IPv4 header (DF set) + UDP header + payload. */
export function datagramToIpv4(d: Datagram, opts: Ipv4Options = {}): Bytes {
  if (d.data.length > MAX_UDP_PAYLOAD) throw new RangeError(`pcap: UDP payload of ${d.data.length} bytes does not fit in IPv4`);
  checkPort(d.sport, 'source port');
  checkPort(d.dport, 'destination port');
  const src = ipv4Bytes(d.src, 'source');
  const dst = ipv4Bytes(d.dst, 'destination');
  const udpLen = UDP_HEADER_LEN + d.data.length;
  const total = IPV4_HEADER_LEN + udpLen;
  const b = new Uint8Array(total);
  const v = new DataView(b.buffer);
  // IPv4 header (RFC 791 §3.1)
  b[0] = 0x45;                                   // version 4, IHL 5 words
  v.setUint16(2, total);
  v.setUint16(4, (opts.id ?? 0) & 0xffff);
  v.setUint16(6, 0x4000);                        // DF, fragment offset 0
  b[8] = opts.ttl ?? DEFAULT_TTL;
  b[9] = IPPROTO_UDP;
  b.set(src, 12);
  b.set(dst, 16);
  v.setUint16(10, ~fold(onesSum(0, b, 0, IPV4_HEADER_LEN)) & 0xffff);
  // UDP header (RFC 768)
  const u = IPV4_HEADER_LEN;
  v.setUint16(u, d.sport);
  v.setUint16(u + 2, d.dport);
  v.setUint16(u + 4, udpLen);
  b.set(d.data, u + UDP_HEADER_LEN);
  // pseudo-header: source, destination, zero, protocol, UDP length
  let sum = onesSum(0, b, 12, 20) + IPPROTO_UDP + udpLen;
  sum = onesSum(sum, b, u, total);
  const ck = ~fold(sum) & 0xffff;
  v.setUint16(u + 6, ck === 0 ? 0xffff : ck);    // 0 means "no checksum" in UDP over IPv4
  return b;
}

/**
 * A capture in memory or streamed: `header` once, then `record(tap)` per datagram. Counts the IPv4
 * Identification up, as a host's stack would.
 */
export class PcapWriter {
  private nextId = 1;
  readonly header: Bytes = pcapHeader();
  record(t: WireTap): Bytes {
    const id = this.nextId;
    this.nextId = (this.nextId + 1) & 0xffff;
    return pcapRecord(t.at, datagramToIpv4(t.datagram, { id }));
  }
}
