// RFC 7383 §2.5 Encrypted Fragment payload (SKF): fragment number and total, then IV ‖ ciphertext ‖ ICV
// as in SK. Only the first fragment names the first inner payload; the others carry 0. Fragment numbers
// start at 1 and never exceed the total (§2.6.2).
//
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |        Fragment Number        |        Total Fragments        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                     Initialization Vector                     |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                      Encrypted content                        ~
// +               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |               |             Padding (0-255 octets)            |
// +-+-+-+-+-+-+-+-+                               +-+-+-+-+-+-+-+-+
// |                                               |  Pad Length   |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                    Integrity Checksum Data                    ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
import type { Bytes } from '../../../crypto/bytes.js';
import { PayloadType } from '../constants.js';
import type { Decoded, SkfPayload } from '../types.js';
import { Writer, bad, good, u16 } from '../wire.js';

export function encodeSkf(p: SkfPayload): Bytes {
  if (p.fragment < 1 || p.fragment > p.total) throw new RangeError(`codec: fragment ${p.fragment} of ${p.total}`);
  return new Writer().u16(p.fragment, 'fragment number').u16(p.total, 'total fragments').bytes(p.body).finish();
}

/** `inner` is the Next Payload field of the SKF generic header. */
export function decodeSkf(body: Bytes, inner: number): Decoded<SkfPayload> {
  if (body.length < 4) return bad('length', `SKF payload body of ${body.length} bytes`);
  const fragment = u16(body, 0), total = u16(body, 2);
  if (fragment < 1 || fragment > total) return bad('syntax', `fragment ${fragment} of ${total}`);
  return good({ type: PayloadType.SKF, inner, fragment, total, body: body.slice(4) });
}
