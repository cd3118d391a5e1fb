// RFC 7296 §3.4 Key Exchange payload: the Diffie-Hellman group and the public value. Whether the data
// length fits the group is checked where the group is known (crypto checkKe), not here.
//
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |   Diffie-Hellman Group Num    |           RESERVED            |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                       Key Exchange Data                       ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
import type { Bytes } from '../../../crypto/bytes.js';
import { PayloadType } from '../constants.js';
import type { Decoded, KePayload } from '../types.js';
import { Writer, bad, good, u16 } from '../wire.js';

export function encodeKe(p: KePayload): Bytes {
  return new Writer().u16(p.group, 'DH group').u16(0).bytes(p.data).finish();
}

export function decodeKe(body: Bytes): Decoded<KePayload> {
  if (body.length < 4) return bad('length', `KE payload body of ${body.length} bytes`);
  return good({ type: PayloadType.KE, group: u16(body, 0), data: body.slice(4) });
}
