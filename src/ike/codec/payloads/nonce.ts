// RFC 7296 §3.9 Nonce payload: "between 16 and 256 octets, inclusive".
//
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                            Nonce Data                         ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
import type { Bytes } from '../../../crypto/bytes.js';
import { PayloadType } from '../constants.js';
import type { Decoded, NoncePayload } from '../types.js';
import { bad, good } from '../wire.js';

export const NONCE_MIN = 16, NONCE_MAX = 256;

export function encodeNonce(p: NoncePayload): Bytes {
  if (p.data.length < NONCE_MIN || p.data.length > NONCE_MAX) throw new RangeError(`codec: nonce of ${p.data.length} bytes`);
  return p.data.slice();
}

export function decodeNonce(body: Bytes): Decoded<NoncePayload> {
  if (body.length < NONCE_MIN || body.length > NONCE_MAX) return bad('length', `nonce of ${body.length} bytes, not 16..256`);
  return good({ type: PayloadType.NONCE, data: body.slice() });
}
