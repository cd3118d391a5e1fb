// RFC 7296 §3.7 Certificate Request payload: an encoding and the certification authority data
// (for X.509, concatenated SHA-1 hashes of CA public keys), not parsed here.
//
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Cert Encoding |                                               |
// +-+-+-+-+-+-+-+-+                                               |
// ~                    Certification Authority                    ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
import type { Bytes } from '../../../crypto/bytes.js';
import { PayloadType } from '../constants.js';
import type { CertReqPayload, Decoded } from '../types.js';
import { Writer, bad, good } from '../wire.js';

export function encodeCertReq(p: CertReqPayload): Bytes {
  return new Writer().u8(p.encoding, 'cert encoding').bytes(p.data).finish();
}

export function decodeCertReq(body: Bytes): Decoded<CertReqPayload> {
  if (body.length < 1) return bad('length', 'CERTREQ payload without an encoding');
  return good({ type: PayloadType.CERTREQ, encoding: body[0], data: body.slice(1) });
}
