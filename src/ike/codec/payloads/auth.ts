// RFC 7296 §3.8 Authentication payload: the method and the AUTH data, verified by the auth task.
//
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Auth Method   |                RESERVED                       |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                      Authentication Data                      ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
import type { Bytes } from '../../../crypto/bytes.js';
import { PayloadType } from '../constants.js';
import type { AuthPayload, Decoded } from '../types.js';
import { Writer, bad, good } from '../wire.js';

export function encodeAuth(p: AuthPayload): Bytes {
  return new Writer().u8(p.method, 'auth method').zeros(3).bytes(p.data).finish();
}

export function decodeAuth(body: Bytes): Decoded<AuthPayload> {
  if (body.length < 4) return bad('length', `AUTH payload body of ${body.length} bytes`);
  return good({ type: PayloadType.AUTH, method: body[0], data: body.slice(4) });
}
