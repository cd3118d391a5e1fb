// RFC 7296 §3.10 Notify payload: protocol, SPI (0 for the IKE SA, 4 for AH/ESP, 8 tolerated for IKE
// SPIs as some implementations send), message type and notification data, not interpreted here.
//
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |  Protocol ID  |   SPI Size    |      Notify Message Type      |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                Security Parameter Index (SPI)                 ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                       Notification Data                       ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
import type { Bytes } from '../../../crypto/bytes.js';
import { PayloadType } from '../constants.js';
import type { Decoded, NotifyPayload } from '../types.js';
import { Writer, bad, good, u16 } from '../wire.js';

const SPI_SIZES = [0, 4, 8];

export function encodeNotify(p: NotifyPayload): Bytes {
  if (!SPI_SIZES.includes(p.spi.length)) throw new RangeError(`codec: notify SPI of ${p.spi.length} bytes`);
  return new Writer().u8(p.protocol, 'protocol').u8(p.spi.length).u16(p.notify, 'notify type').bytes(p.spi).bytes(p.data).finish();
}

export function decodeNotify(body: Bytes): Decoded<NotifyPayload> {
  if (body.length < 4) return bad('length', `Notify payload body of ${body.length} bytes`);
  const spiSize = body[1];
  if (!SPI_SIZES.includes(spiSize)) return bad('syntax', `notify SPI size ${spiSize}`);
  if (4 + spiSize > body.length) return bad('length', 'notify SPI runs past the payload');
  return good({
    type: PayloadType.NOTIFY, protocol: body[0], spi: body.slice(4, 4 + spiSize), notify: u16(body, 2),
    data: body.slice(4 + spiSize),
  });
}
