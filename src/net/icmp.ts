// ICMP echo and echo reply (RFC 792, "Echo or Echo Reply Message"; RFC 1122 §3.2.2.6). The checksum covers
// the whole ICMP message. Other ICMP types are parsed only as far as type/code, for counters.
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |     Type      |     Code      |          Checksum             |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |           Identifier          |        Sequence Number        |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |     Data ...
//   +-+-+-+-+-
import type { Bytes } from '../crypto/bytes.js';
import { internetChecksum } from './ipv4.js';

export const ICMP_ECHO_REPLY = 0;
export const ICMP_DEST_UNREACHABLE = 3;
export const ICMP_ECHO_REQUEST = 8;
export const ICMP_TIME_EXCEEDED = 11;
export const ICMP_HEADER_LEN = 8;

export interface IcmpEcho {
  type: typeof ICMP_ECHO_REQUEST | typeof ICMP_ECHO_REPLY;
  identifier: number;
  sequence: number;
  data: Bytes;
}

/** `truncated`: under 8 bytes; `checksum`; `not-echo`: a valid ICMP message of another type (see `type`/`code`). */
export type IcmpReason = 'truncated' | 'checksum' | 'not-echo';

export type IcmpParsed =
  | ({ ok: true; code: number; checksum: number } & IcmpEcho)
  | { ok: false; reason: 'not-echo'; type: number; code: number }
  | { ok: false; reason: 'truncated' | 'checksum' };

export function buildIcmpEcho(e: IcmpEcho, code = 0): Bytes {
  if (e.type !== ICMP_ECHO_REQUEST && e.type !== ICMP_ECHO_REPLY) throw new RangeError(`net: ICMP echo type ${e.type}`);
  for (const [name, v] of [['identifier', e.identifier], ['sequence', e.sequence]] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new RangeError(`net: ICMP ${name} ${v}`);
  }
  const out = new Uint8Array(ICMP_HEADER_LEN + e.data.length);
  out[0] = e.type; out[1] = code;
  out[4] = e.identifier >> 8; out[5] = e.identifier & 255;
  out[6] = e.sequence >> 8; out[7] = e.sequence & 255;
  out.set(e.data, ICMP_HEADER_LEN);
  const c = internetChecksum(out);
  out[2] = c >> 8; out[3] = c & 255;
  return out;
}

/** An ICMP message (the IPv4 payload): checksum verified first, then echo fields. Never throws. */
export function parseIcmp(b: Bytes): IcmpParsed {
  if (!(b instanceof Uint8Array) || b.length < ICMP_HEADER_LEN) return { ok: false, reason: 'truncated' };
  if (internetChecksum(b) !== 0) return { ok: false, reason: 'checksum' };
  const type = b[0], code = b[1];
  if (type !== ICMP_ECHO_REQUEST && type !== ICMP_ECHO_REPLY) return { ok: false, reason: 'not-echo', type, code };
  return {
    ok: true, type, code, checksum: (b[2] << 8) | b[3],
    identifier: (b[4] << 8) | b[5], sequence: (b[6] << 8) | b[7], data: b.slice(ICMP_HEADER_LEN),
  };
}
