// RFC 7296 §3.3 Security Association payload: proposals (§3.3.1), transforms (§3.3.2) and transform
// attributes (§3.3.5). Structure only: lengths, counts, last-substructure flags and SPI sizes; whether a
// proposal is acceptable is the proposal logic's business.
//
// Proposal substructure:
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Last Substruc |   RESERVED    |         Proposal Length       |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Proposal Num  |  Protocol ID  |    SPI Size   |Num  Transforms|
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                        SPI (variable)                         ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                        <Transforms>                           ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Transform substructure:
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Last Substruc |   RESERVED    |        Transform Length       |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |Transform Type |   RESERVED    |          Transform ID         |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                      Transform Attributes                     ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Data attribute (AF = 1: TV, value in the length field; AF = 0: TLV):
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |A|       Attribute Type        |    AF=0  Attribute Length     |
// |F|                             |    AF=1  Attribute Value      |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                   AF=0  Attribute Value                       |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Key Length (type 14, TV) becomes `keyLength` when it is the first attribute; any other attribute
// (or a second Key Length) is kept in `attributes`, in order, for the proposal logic to refuse.
import type { Bytes } from '../../../crypto/bytes.js';
import { AttributeType, PayloadType, ProtocolId } from '../constants.js';
import type { Decoded, Proposal, SaPayload, Transform, TransformAttribute } from '../types.js';
import { Writer, bad, good, u16 } from '../wire.js';

const LAST_PROPOSAL = 0, MORE_PROPOSALS = 2, LAST_TRANSFORM = 0, MORE_TRANSFORMS = 3;
const AF = 0x8000;

/** SPI sizes RFC 7296 §3.3.1 allows per protocol; other protocols are left to the proposal logic. */
export function spiSizeFits(protocol: number, size: number): boolean {
  if (protocol === ProtocolId.IKE) return size === 0 || size === 8;
  if (protocol === ProtocolId.AH || protocol === ProtocolId.ESP) return size === 4;
  return true;
}

export function encodeSa(p: SaPayload): Bytes {
  const w = new Writer();
  p.proposals.forEach((pr, i) => {
    const start = w.length;
    w.u8(i === p.proposals.length - 1 ? LAST_PROPOSAL : MORE_PROPOSALS).u8(0).u16(0);
    w.u8(pr.number, 'proposal number').u8(pr.protocol, 'protocol').u8(pr.spi.length, 'SPI size')
      .u8(pr.transforms.length, 'transform count').bytes(pr.spi);
    pr.transforms.forEach((t, j) => {
      const ts = w.length;
      w.u8(j === pr.transforms.length - 1 ? LAST_TRANSFORM : MORE_TRANSFORMS).u8(0).u16(0);
      w.u8(t.type, 'transform type').u8(0).u16(t.id, 'transform id');
      if (t.keyLength !== undefined) w.u16(AF | AttributeType.KEY_LENGTH).u16(t.keyLength, 'key length');
      for (const a of t.attributes ?? []) {
        if (!Number.isInteger(a.type) || a.type < 0 || a.type > 0x7fff) throw new RangeError(`codec: attribute type ${a.type} out of range`);
        if (typeof a.value === 'number') w.u16(AF | a.type).u16(a.value, 'attribute value');
        else w.u16(a.type).u16(a.value.length, 'attribute length').bytes(a.value);
      }
      w.patchLength(ts + 2, ts, 'transform length');
    });
    w.patchLength(start + 2, start, 'proposal length');
  });
  return w.finish();
}

function decodeAttributes(b: Bytes, from: number, end: number, t: Transform): string | undefined {
  const attrs: TransformAttribute[] = [];
  let o = from;
  while (o < end) {
    if (end - o < 4) return 'attribute header runs past its transform';
    const word = u16(b, o), type = word & 0x7fff;
    if (word & AF) {
      const value = u16(b, o + 2);
      if (o === from && type === AttributeType.KEY_LENGTH) t.keyLength = value;
      else attrs.push({ type, value });
      o += 4;
    } else {
      const len = u16(b, o + 2);
      if (o + 4 + len > end) return 'attribute value runs past its transform';
      attrs.push({ type, value: b.slice(o + 4, o + 4 + len) });
      o += 4 + len;
    }
  }
  if (attrs.length > 0) t.attributes = attrs;
  return undefined;
}

function decodeTransforms(b: Bytes, from: number, end: number, out: Transform[]): Decoded<true> {
  let o = from;
  while (o < end) {
    if (end - o < 8) return bad('length', 'transform header runs past its proposal');
    const last = b[o], len = u16(b, o + 2);
    if (len < 8 || o + len > end) return bad('length', `transform length ${len} does not fit its proposal`);
    const final = o + len === end;
    if (last !== (final ? LAST_TRANSFORM : MORE_TRANSFORMS)) {
      return bad('syntax', `transform last-substructure ${last}, expected ${final ? 0 : 3}`);
    }
    const t: Transform = { type: b[o + 4], id: u16(b, o + 6) };
    const why = decodeAttributes(b, o + 8, o + len, t);
    if (why) return bad('length', why);
    out.push(t);
    o += len;
  }
  return good(true);
}

export function decodeSa(body: Bytes): Decoded<SaPayload> {
  const proposals: Proposal[] = [];
  let o = 0;
  while (o < body.length) {
    if (body.length - o < 8) return bad('length', 'proposal header runs past the SA payload');
    const last = body[o], len = u16(body, o + 2);
    if (len < 8 || o + len > body.length) return bad('length', `proposal length ${len} does not fit the SA payload`);
    const final = o + len === body.length;
    if (last !== (final ? LAST_PROPOSAL : MORE_PROPOSALS)) {
      return bad('syntax', `proposal last-substructure ${last}, expected ${final ? 0 : 2}`);
    }
    const number = body[o + 4], protocol = body[o + 5], spiSize = body[o + 6], count = body[o + 7];
    if (!spiSizeFits(protocol, spiSize)) return bad('syntax', `SPI size ${spiSize} for protocol ${protocol}`);
    if (8 + spiSize > len) return bad('length', 'proposal SPI runs past the proposal');
    const transforms: Transform[] = [];
    const r = decodeTransforms(body, o + 8 + spiSize, o + len, transforms);
    if (!r.ok) return r;
    if (transforms.length !== count) return bad('syntax', `proposal ${number} announces ${count} transforms, carries ${transforms.length}`);
    if (count === 0) return bad('syntax', `proposal ${number} has no transforms`);
    proposals.push({ number, protocol, spi: body.slice(o + 8, o + 8 + spiSize), transforms });
    o += len;
  }
  if (proposals.length === 0) return bad('syntax', 'SA payload without proposals');
  return good({ type: PayloadType.SA, proposals });
}
