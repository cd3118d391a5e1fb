// UDP (RFC 768) with the IPv4 pseudo-header checksum. A computed checksum of 0 is sent as 0xffff; a received
// checksum of 0 means "not computed" and is accepted unchecked (RFC 768, "Fields").
//
//    0      7 8     15 16    23 24    31            pseudo-header:  source address | destination address |
//   +--------+--------+--------+--------+                            zero | protocol (17) | UDP length
//   |     Source      |   Destination   |
//   |      Port       |      Port       |
//   +--------+--------+--------+--------+
//   |     Length      |    Checksum     |
//   +--------+--------+--------+--------+
//   |          data octets ...
import type { Bytes } from '../crypto/bytes.js';
import { IPPROTO, IPV4_HEADER_LEN, IPV4_MAX_LEN, internetChecksum, ipToBytes, onesSum } from './ipv4.js';

export const UDP_HEADER_LEN = 8;
export const SYSLOG_PORT = 514;

export interface UdpDatagram { sport: number; dport: number; data: Bytes }

/** `truncated`: under 8 bytes or Length beyond the bytes given; `length`: Length under 8; `checksum`. */
export type UdpReason = 'truncated' | 'length' | 'checksum';

export type UdpParsed = ({ ok: true; length: number; checksum: number } & UdpDatagram) | { ok: false; reason: UdpReason };

function pseudoSum(src: string, dst: string, length: number): number {
  const p = new Uint8Array(12);
  p.set(ipToBytes(src), 0);
  p.set(ipToBytes(dst), 4);
  p[9] = IPPROTO.UDP;
  p[10] = length >> 8; p[11] = length & 255;
  return onesSum(p);
}

/** The UDP header and data (the IPv4 payload), checksummed over the pseudo-header of `src` → `dst`. */
export function buildUdp(src: string, dst: string, d: UdpDatagram): Bytes {
  for (const [name, v] of [['sport', d.sport], ['dport', d.dport]] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new RangeError(`net: UDP ${name} ${v}`);
  }
  const length = UDP_HEADER_LEN + d.data.length;
  if (length > IPV4_MAX_LEN - IPV4_HEADER_LEN) throw new RangeError(`net: UDP datagram of ${length} bytes`);
  const out = new Uint8Array(length);
  out[0] = d.sport >> 8; out[1] = d.sport & 255;
  out[2] = d.dport >> 8; out[3] = d.dport & 255;
  out[4] = length >> 8; out[5] = length & 255;
  out.set(d.data, UDP_HEADER_LEN);
  const c = internetChecksum(out, pseudoSum(src, dst, length)) || 0xffff;
  out[6] = c >> 8; out[7] = c & 255;
  return out;
}

/** Parse the IPv4 payload `b` that came from `src` to `dst`. Bytes past Length are ignored. Never throws on `b`. */
export function parseUdp(b: Bytes, src: string, dst: string): UdpParsed {
  if (!(b instanceof Uint8Array) || b.length < UDP_HEADER_LEN) return { ok: false, reason: 'truncated' };
  const length = (b[4] << 8) | b[5];
  if (length < UDP_HEADER_LEN) return { ok: false, reason: 'length' };
  if (length > b.length) return { ok: false, reason: 'truncated' };
  const seg = b.subarray(0, length);
  const checksum = (b[6] << 8) | b[7];
  if (checksum !== 0 && internetChecksum(seg, pseudoSum(src, dst, length)) !== 0) return { ok: false, reason: 'checksum' };
  return { ok: true, sport: (b[0] << 8) | b[1], dport: (b[2] << 8) | b[3], length, checksum, data: b.slice(UDP_HEADER_LEN, length) };
}
