// Payloads kept as their bytes: CP (RFC 7296 §3.15), EAP (§3.16) and types this codec does not know,
// which RFC 7296 §2.5 says to skip unless their Critical bit is set (message.ts refuses those).
//
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                      (body, uninterpreted)                    ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
import type { Bytes } from '../../../crypto/bytes.js';
import type { Decoded, RawPayload } from '../types.js';
import { good } from '../wire.js';

export function encodeRaw(p: RawPayload): Bytes { return p.data.slice(); }

export function decodeRaw(body: Bytes, type: number): Decoded<RawPayload> {
  return good({ type, raw: true, data: body.slice() });
}
