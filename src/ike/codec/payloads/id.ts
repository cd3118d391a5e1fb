// RFC 7296 §3.5 Identification payloads (IDi 35, IDr 36): an ID type and its data, not interpreted here.
//
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |   ID Type     |                 RESERVED                      |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                   Identification Data                         ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// The body (ID Type ‖ RESERVED ‖ data) is IDx' of RFC 7296 §2.15, which AUTH covers.
import type { Bytes } from '../../../crypto/bytes.js';
import { PayloadType } from '../constants.js';
import type { Decoded, IdPayload } from '../types.js';
import { Writer, bad, good } from '../wire.js';

export function encodeId(p: IdPayload): Bytes {
  return new Writer().u8(p.idType, 'ID type').zeros(3).bytes(p.data).finish();
}

export function decodeId(body: Bytes, type: number = PayloadType.IDi): Decoded<IdPayload> {
  if (type !== PayloadType.IDi && type !== PayloadType.IDr) throw new Error(`codec: ${type} is not an ID payload type`);
  if (body.length < 4) return bad('length', `ID payload body of ${body.length} bytes`);
  return good({ type, idType: body[0], data: body.slice(4) });
}
