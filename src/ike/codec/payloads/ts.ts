// RFC 7296 §3.13 Traffic Selector payloads (TSi 44, TSr 45) and §3.13.1 selectors: IPv4 ranges are 16
// bytes long, IPv6 ranges 40; other selector types (e.g. RFC 4595 Fibre Channel) are refused, since
// their addresses have no place in the decoded shape. start ≤ end is the policy's business, not ours.
//
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Number of TSs |                 RESERVED                      |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                       <Traffic Selectors>                     ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Traffic selector:
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |   TS Type     |IP Protocol ID*|       Selector Length         |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |           Start Port*         |           End Port*           |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                         Starting Address*                     ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                         Ending Address*                       ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
import type { Bytes } from '../../../crypto/bytes.js';
import { PayloadType, TsType } from '../constants.js';
import type { Decoded, TrafficSelector, TsPayload } from '../types.js';
import { Writer, bad, good, u16 } from '../wire.js';

/** Address length per selector type; the selector is 8 + 2 × that. */
export function tsAddrLen(tsType: number): number | undefined {
  return tsType === TsType.IPV4_ADDR_RANGE ? 4 : tsType === TsType.IPV6_ADDR_RANGE ? 16 : undefined;
}

export function encodeTs(p: TsPayload): Bytes {
  const w = new Writer().u8(p.selectors.length, 'TS count').zeros(3);
  for (const s of p.selectors) {
    const n = tsAddrLen(s.tsType);
    if (n === undefined || s.startAddr.length !== n || s.endAddr.length !== n) {
      throw new RangeError(`codec: TS type ${s.tsType} with ${s.startAddr.length}/${s.endAddr.length}-byte addresses`);
    }
    w.u8(s.tsType).u8(s.ipProtocol, 'IP protocol').u16(8 + 2 * n).u16(s.startPort, 'start port').u16(s.endPort, 'end port')
      .bytes(s.startAddr).bytes(s.endAddr);
  }
  return w.finish();
}

export function decodeTs(body: Bytes, type: number = PayloadType.TSi): Decoded<TsPayload> {
  if (type !== PayloadType.TSi && type !== PayloadType.TSr) throw new Error(`codec: ${type} is not a TS payload type`);
  if (body.length < 4) return bad('length', `TS payload body of ${body.length} bytes`);
  const count = body[0];
  if (count === 0) return bad('syntax', 'TS payload without selectors');
  const selectors: TrafficSelector[] = [];
  let o = 4;
  for (let i = 0; i < count; i++) {
    if (body.length - o < 8) return bad('length', `selector ${i + 1} of ${count} runs past the payload`);
    const tsType = body[o], len = u16(body, o + 2), n = tsAddrLen(tsType);
    if (n === undefined) return bad('syntax', `unsupported TS type ${tsType}`);
    if (len !== 8 + 2 * n) return bad('length', `TS type ${tsType} of length ${len}, expected ${8 + 2 * n}`);
    if (o + len > body.length) return bad('length', `selector ${i + 1} of ${count} runs past the payload`);
    selectors.push({
      tsType, ipProtocol: body[o + 1], startPort: u16(body, o + 4), endPort: u16(body, o + 6),
      startAddr: body.slice(o + 8, o + 8 + n), endAddr: body.slice(o + 8 + n, o + 8 + 2 * n),
    });
    o += len;
  }
  if (o !== body.length) return bad('length', `${body.length - o} bytes after ${count} selectors`);
  return good({ type, selectors });
}
