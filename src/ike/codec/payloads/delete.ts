// RFC 7296 §3.11 Delete payload: an IKE SA delete carries no SPI (size 0, count 0); AH/ESP deletes carry
// `count` SPIs of 4 bytes. The body length must be exactly 4 + count × size.
//
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Protocol ID   |   SPI Size    |          Num of SPIs          |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~               Security Parameter Index(es) (SPI)              ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
import type { Bytes } from '../../../crypto/bytes.js';
import { PayloadType, ProtocolId } from '../constants.js';
import type { Decoded, DeletePayload } from '../types.js';
import { Writer, bad, good, u16 } from '../wire.js';

function consistent(protocol: number, spiSize: number, count: number): string | undefined {
  if (protocol === ProtocolId.IKE && (spiSize !== 0 || count !== 0)) return `IKE delete with SPI size ${spiSize} and ${count} SPIs`;
  if ((protocol === ProtocolId.AH || protocol === ProtocolId.ESP) && spiSize !== 4) return `AH/ESP delete with SPI size ${spiSize}`;
  if (spiSize === 0 && count !== 0) return `${count} SPIs of size 0`;
  return undefined;
}

export function encodeDelete(p: DeletePayload): Bytes {
  const why = consistent(p.protocol, p.spiSize, p.spis.length);
  if (why) throw new RangeError(`codec: ${why}`);
  const w = new Writer().u8(p.protocol, 'protocol').u8(p.spiSize, 'SPI size').u16(p.spis.length, 'SPI count');
  for (const s of p.spis) {
    if (s.length !== p.spiSize) throw new RangeError(`codec: delete SPI of ${s.length} bytes, size says ${p.spiSize}`);
    w.bytes(s);
  }
  return w.finish();
}

export function decodeDelete(body: Bytes): Decoded<DeletePayload> {
  if (body.length < 4) return bad('length', `Delete payload body of ${body.length} bytes`);
  const protocol = body[0], spiSize = body[1], count = u16(body, 2);
  const why = consistent(protocol, spiSize, count);
  if (why) return bad('syntax', why);
  if (body.length !== 4 + count * spiSize) return bad('length', `Delete payload of ${body.length} bytes for ${count} SPIs of ${spiSize}`);
  const spis: Bytes[] = [];
  for (let i = 0; i < count; i++) spis.push(body.slice(4 + i * spiSize, 4 + (i + 1) * spiSize));
  return good({ type: PayloadType.DELETE, protocol, spiSize, spis });
}
