// IPv4 (RFC 791 §3.1) for the router's own management host: parse with strict structure checks, build with
// the header checksum, and the address helpers the host and the router share. The Internet checksum is
// RFC 1071's one's-complement sum, also used by ICMP (RFC 792) and UDP (RFC 768).
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |Version|  IHL  |Type of Service|          Total Length         |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |         Identification        |Flags|      Fragment Offset    |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |  Time to Live |    Protocol   |         Header Checksum       |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                       Source Address                          |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                    Destination Address                        |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                    Options                    |    Padding    |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
import type { Bytes } from '../crypto/bytes.js';

/** IANA protocol numbers the host knows by name. */
export const IPPROTO = { ICMP: 1, TCP: 6, UDP: 17, ESP: 50 } as const;

/** Flags field bits (the top three bits of the 16-bit flags/fragment-offset word). */
export const IP_FLAG_RESERVED = 4, IP_FLAG_DF = 2, IP_FLAG_MF = 1;

export const IPV4_HEADER_LEN = 20;
export const IPV4_MAX_LEN = 65535;

export interface Ipv4Header {
  version: number;
  /** header length in 32-bit words */
  ihl: number;
  tos: number;
  totalLength: number;
  id: number;
  /** 3 bits: reserved, DF, MF */
  flags: number;
  /** in 8-byte units */
  fragOffset: number;
  ttl: number;
  protocol: number;
  checksum: number;
  src: string;
  dst: string;
  /** options and padding (IHL > 5), as received */
  options: Bytes;
}

/**
 * Why a datagram was refused: `truncated` (fewer bytes than a header / than the header or total length
 * claims), `version` (not 4), `ihl` (below 5), `total-length` (shorter than the header), `checksum`,
 * `fragment` (MF set or a non-zero offset: the host does not reassemble), `reserved-flag` (RFC 791: must be 0).
 */
export type Ipv4Reason = 'truncated' | 'version' | 'ihl' | 'total-length' | 'checksum' | 'fragment' | 'reserved-flag';

export type Ipv4Parsed = ({ ok: true; payload: Bytes } & Ipv4Header) | { ok: false; reason: Ipv4Reason };

/** One's-complement sum of 16-bit big-endian words (an odd last byte is padded with zero), folded to 16 bits. */
export function onesSum(b: Bytes, acc = 0): number {
  let s = acc;
  const n = b.length & ~1;
  for (let i = 0; i < n; i += 2) s += (b[i] << 8) | b[i + 1];
  if (b.length & 1) s += b[b.length - 1] << 8;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

/** RFC 1071 Internet checksum: the one's complement of the one's-complement sum. 0 over data that carries a valid checksum. */
export function internetChecksum(b: Bytes, acc = 0): number {
  return ~onesSum(b, acc) & 0xffff;
}

const DOTTED = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** True for a dotted-quad IPv4 address without leading zeros ("10.0.0.1"). */
export function isIpv4(s: unknown): s is string { return typeof s === 'string' && DOTTED.test(s); }

export function ipToBytes(ip: string): Bytes {
  if (!isIpv4(ip)) throw new Error(`net: not an IPv4 address: ${String(ip).slice(0, 40)}`);
  return Uint8Array.from(ip.split('.').map(Number));
}

export function bytesToIp(b: Bytes, offset = 0): string {
  if (offset < 0 || offset + 4 > b.length) throw new RangeError('net: bytesToIp needs 4 bytes');
  return `${b[offset]}.${b[offset + 1]}.${b[offset + 2]}.${b[offset + 3]}`;
}

export function ipToNumber(ip: string): number {
  const b = ipToBytes(ip);
  return ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
}

export function numberToIp(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** Prefix length of a contiguous netmask ("255.255.255.0" → 24); undefined for a non-contiguous or invalid mask. */
export function maskToLen(mask: string): number | undefined {
  if (!isIpv4(mask)) return undefined;
  const m = ipToNumber(mask);
  const inv = ~m >>> 0;
  if ((inv & (inv + 1)) !== 0) return undefined; // host part must be 0…01…1
  let len = 0;
  for (let v = m; v !== 0; v = (v << 1) >>> 0) len++;
  return len;
}

export function lenToMask(len: number): string {
  if (!Number.isInteger(len) || len < 0 || len > 32) throw new RangeError(`net: prefix length ${len}`);
  return numberToIp(len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0);
}

/** `ip` lies in `prefix`/`len` (host bits of the prefix are ignored). */
export function inPrefix(ip: string, prefix: string, len: number): boolean {
  if (!Number.isInteger(len) || len < 0 || len > 32) throw new RangeError(`net: prefix length ${len}`);
  if (len === 0) return true;
  const mask = (0xffffffff << (32 - len)) >>> 0;
  return ((ipToNumber(ip) & mask) >>> 0) === ((ipToNumber(prefix) & mask) >>> 0);
}

/**
 * Structure checks only, in wire order; bytes past Total Length (link padding) are ignored. Never throws.
 * A fragment is refused: the management host sends no datagram large enough to need one.
 */
export function parseIpv4(b: Bytes): Ipv4Parsed {
  if (!(b instanceof Uint8Array) || b.length < IPV4_HEADER_LEN) return { ok: false, reason: 'truncated' };
  const version = b[0] >> 4, ihl = b[0] & 15;
  if (version !== 4) return { ok: false, reason: 'version' };
  if (ihl < 5) return { ok: false, reason: 'ihl' };
  const hlen = ihl * 4;
  if (hlen > b.length) return { ok: false, reason: 'truncated' };
  const totalLength = (b[2] << 8) | b[3];
  if (totalLength < hlen) return { ok: false, reason: 'total-length' };
  if (totalLength > b.length) return { ok: false, reason: 'truncated' };
  const checksum = (b[10] << 8) | b[11];
  if (internetChecksum(b.subarray(0, hlen)) !== 0) return { ok: false, reason: 'checksum' };
  const flags = b[6] >> 5, fragOffset = ((b[6] & 0x1f) << 8) | b[7];
  if (flags & IP_FLAG_RESERVED) return { ok: false, reason: 'reserved-flag' };
  if (flags & IP_FLAG_MF || fragOffset !== 0) return { ok: false, reason: 'fragment' };
  return {
    ok: true, version, ihl, tos: b[1], totalLength, id: (b[4] << 8) | b[5], flags, fragOffset, ttl: b[8], protocol: b[9],
    checksum, src: bytesToIp(b, 12), dst: bytesToIp(b, 16), options: b.slice(IPV4_HEADER_LEN, hlen),
    payload: b.slice(hlen, totalLength),
  };
}

export interface Ipv4BuildOptions {
  src: string;
  dst: string;
  protocol: number;
  /** default 255, as IOS XR originates its own ICMP and syslog */
  ttl?: number;
  id?: number;
  tos?: number;
  /** Don't Fragment; default off */
  df?: boolean;
}

/** A 20-byte header (no options) followed by `payload`, with the header checksum filled in. */
export function buildIpv4(o: Ipv4BuildOptions, payload: Bytes): Bytes {
  const ttl = o.ttl ?? 255, id = o.id ?? 0, tos = o.tos ?? 0;
  const total = IPV4_HEADER_LEN + payload.length;
  if (total > IPV4_MAX_LEN) throw new RangeError(`net: IPv4 datagram of ${total} bytes`);
  for (const [name, v, max] of [['ttl', ttl, 255], ['id', id, 0xffff], ['tos', tos, 255], ['protocol', o.protocol, 255]] as const) {
    if (!Number.isInteger(v) || v < 0 || v > max) throw new RangeError(`net: IPv4 ${name} ${v}`);
  }
  const out = new Uint8Array(total);
  out[0] = 0x45; out[1] = tos;
  out[2] = total >> 8; out[3] = total & 255;
  out[4] = id >> 8; out[5] = id & 255;
  out[6] = o.df ? IP_FLAG_DF << 5 : 0;
  out[8] = ttl; out[9] = o.protocol;
  out.set(ipToBytes(o.src), 12);
  out.set(ipToBytes(o.dst), 16);
  const c = internetChecksum(out.subarray(0, IPV4_HEADER_LEN));
  out[10] = c >> 8; out[11] = c & 255;
  out.set(payload, IPV4_HEADER_LEN);
  return out;
}
