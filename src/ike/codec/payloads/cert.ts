// RFC 7296 §3.6 Certificate payload: an encoding and the certificate data, not parsed here.
//
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Cert Encoding |                                               |
// +-+-+-+-+-+-+-+-+                                               |
// ~                       Certificate Data                        ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
import type { Bytes } from '../../../crypto/bytes.js';
import { PayloadType } from '../constants.js';
import type { CertPayload, Decoded } from '../types.js';
import { Writer, bad, good } from '../wire.js';

export function encodeCert(p: CertPayload): Bytes {
  return new Writer().u8(p.encoding, 'cert encoding').bytes(p.data).finish();
}

export function decodeCert(body: Bytes): Decoded<CertPayload> {
  if (body.length < 1) return bad('length', 'CERT payload without an encoding');
  return good({ type: PayloadType.CERT, encoding: body[0], data: body.slice(1) });
}
