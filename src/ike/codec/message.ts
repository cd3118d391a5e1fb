// RFC 7296 §3.1 IKE header and §3.2 generic payload header: encoding a message and walking its
// next-payload chain with bounds checks. Structure only, no SA state (STYLE.md "structure before
// meaning"): per-exchange payload rules live in rules.ts, SK opening in sk.ts.
//
// IKE header:
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                       IKE SA Initiator's SPI                  |
// |                                                               |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                       IKE SA Responder's SPI                  |
// |                                                               |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |  Next Payload | MjVer | MnVer | Exchange Type |     Flags     |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                          Message ID                           |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                            Length                             |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Generic payload header:
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// SK and SKF end the chain: their Next Payload field names the first payload inside (RFC 7296 §3.14,
// RFC 7383 §2.5), so anything after them is a syntax error.
import type { Bytes } from '../../crypto/bytes.js';
import { Flags, GENERIC_HEADER_LEN, IKE_HEADER_LEN, IKE_VERSION, PayloadType } from './constants.js';
import type { DecodeError, Decoded, IkeHeader, IkeMessage, Payload, RawPayload } from './types.js';
import { Writer, bad, good, u16, u32 } from './wire.js';
import { decodeSa, encodeSa } from './payloads/sa.js';
import { decodeKe, encodeKe } from './payloads/ke.js';
import { decodeId, encodeId } from './payloads/id.js';
import { decodeCert, encodeCert } from './payloads/cert.js';
import { decodeCertReq, encodeCertReq } from './payloads/certreq.js';
import { decodeAuth, encodeAuth } from './payloads/auth.js';
import { decodeNonce, encodeNonce } from './payloads/nonce.js';
import { decodeNotify, encodeNotify } from './payloads/notify.js';
import { decodeDelete, encodeDelete } from './payloads/delete.js';
import { decodeVendor, encodeVendor } from './payloads/vendor.js';
import { decodeTs, encodeTs } from './payloads/ts.js';
import { decodeSk, encodeSk } from './payloads/sk.js';
import { decodeSkf, encodeSkf } from './payloads/skf.js';
import { decodeRaw, encodeRaw } from './payloads/raw.js';

/** Implementation limit: more payloads than this in one chain is refused ('syntax'). */
export const MAX_PAYLOADS = 256;
const CRITICAL = 0x80;

/** The header fields a sender chooses; version, next payload and length follow from the payloads. */
export interface HeaderFields {
  spiI: Bytes;
  spiR: Bytes;
  exchange: number;
  initiator: boolean;
  response: boolean;
  messageId: number;
}

export type KnownPayload = Exclude<Payload, RawPayload>;
export const isRaw = (p: Payload): p is RawPayload => 'raw' in p && p.raw === true;

/** Payload types this codec knows (CP and EAP are known but kept raw). */
const KNOWN = new Set<number>(Object.values(PayloadType).filter((t) => t !== PayloadType.NONE));

/** The body of one payload, without its generic header. */
export function encodePayload(p: Payload): Bytes {
  if (isRaw(p)) return encodeRaw(p);
  switch (p.type) {
    case PayloadType.SA: return encodeSa(p);
    case PayloadType.KE: return encodeKe(p);
    case PayloadType.IDi: case PayloadType.IDr: return encodeId(p);
    case PayloadType.CERT: return encodeCert(p);
    case PayloadType.CERTREQ: return encodeCertReq(p);
    case PayloadType.AUTH: return encodeAuth(p);
    case PayloadType.NONCE: return encodeNonce(p);
    case PayloadType.NOTIFY: return encodeNotify(p);
    case PayloadType.DELETE: return encodeDelete(p);
    case PayloadType.VENDOR: return encodeVendor(p);
    case PayloadType.TSi: case PayloadType.TSr: return encodeTs(p);
    case PayloadType.SK: return encodeSk(p);
    case PayloadType.SKF: return encodeSkf(p);
  }
}

/** Decode one payload body of a given type; `next` is the generic header's Next Payload (SK/SKF: inner). */
export function decodePayload(type: number, body: Bytes, next = 0): Decoded<Payload> {
  switch (type) {
    case PayloadType.SA: return decodeSa(body);
    case PayloadType.KE: return decodeKe(body);
    case PayloadType.IDi: case PayloadType.IDr: return decodeId(body, type);
    case PayloadType.CERT: return decodeCert(body);
    case PayloadType.CERTREQ: return decodeCertReq(body);
    case PayloadType.AUTH: return decodeAuth(body);
    case PayloadType.NONCE: return decodeNonce(body);
    case PayloadType.NOTIFY: return decodeNotify(body);
    case PayloadType.DELETE: return decodeDelete(body);
    case PayloadType.VENDOR: return decodeVendor(body);
    case PayloadType.TSi: case PayloadType.TSr: return decodeTs(body, type);
    case PayloadType.SK: return decodeSk(body, next);
    case PayloadType.SKF: return decodeSkf(body, next);
    default: return decodeRaw(body, type);
  }
}

const encrypted = (p: Payload): boolean => !isRaw(p) && (p.type === PayloadType.SK || p.type === PayloadType.SKF);

/** The payload chain: generic headers and bodies; SK/SKF, if any, must be last. */
export function encodePayloads(payloads: Payload[]): { first: number; bytes: Bytes } {
  const w = new Writer();
  payloads.forEach((p, i) => {
    const last = i === payloads.length - 1;
    if (encrypted(p) && !last) throw new Error('codec: SK/SKF must be the last payload');
    const next = last ? 0 : payloads[i + 1].type;
    const inner = !isRaw(p) && (p.type === PayloadType.SK || p.type === PayloadType.SKF) ? p.inner : next;
    const start = w.length;
    w.u8(inner, 'next payload').u8(p.critical ? CRITICAL : 0).u16(0).bytes(encodePayload(p));
    w.patchLength(start + 2, start, 'payload length');
  });
  return { first: payloads.length > 0 ? payloads[0].type : PayloadType.NONE, bytes: w.finish() };
}

/** The 28-byte IKE header for a message of `length` bytes whose first payload is `next`. */
export function encodeHeader(h: HeaderFields, next: number, length: number): Bytes {
  if (h.spiI.length !== 8 || h.spiR.length !== 8) throw new RangeError('codec: IKE SPIs are 8 bytes');
  const flags = (h.initiator ? Flags.INITIATOR : 0) | (h.response ? Flags.RESPONSE : 0);
  return new Writer().bytes(h.spiI).bytes(h.spiR).u8(next, 'next payload').u8(IKE_VERSION).u8(h.exchange, 'exchange type')
    .u8(flags).u32(h.messageId, 'message ID').u32(length, 'message length').finish();
}

export function encodeMessage(h: HeaderFields, payloads: Payload[]): Bytes {
  const { first, bytes } = encodePayloads(payloads);
  const out = new Uint8Array(IKE_HEADER_LEN + bytes.length);
  out.set(encodeHeader(h, first, out.length));
  out.set(bytes, IKE_HEADER_LEN);
  return out;
}

export function decodeHeader(b: Bytes): Decoded<IkeHeader> {
  if (b.length < IKE_HEADER_LEN) return { ok: false, error: { reason: 'short', detail: `${b.length} bytes, less than an IKE header` } };
  const major = b[17] >> 4;
  if (major !== 2) return { ok: false, error: { reason: 'version', detail: `major version ${major}`, major } };
  const length = u32(b, 24);
  if (length !== b.length) return bad('length', `header says ${length} bytes, datagram has ${b.length}`);
  return good({
    spiI: b.slice(0, 8), spiR: b.slice(8, 16), nextPayload: b[16], version: b[17], exchange: b[18],
    initiator: (b[19] & Flags.INITIATOR) !== 0, response: (b[19] & Flags.RESPONSE) !== 0, messageId: u32(b, 20), length,
  });
}

function walk(first: number, b: Bytes, outer: boolean): Decoded<Payload[]> {
  const out: Payload[] = [];
  let next = first, o = 0;
  while (next !== PayloadType.NONE) {
    if (out.length >= MAX_PAYLOADS) return bad('syntax', `more than ${MAX_PAYLOADS} payloads`);
    if (b.length - o < GENERIC_HEADER_LEN) return bad('length', `payload ${out.length + 1} header runs past the end`);
    const type = next, len = u16(b, o + 2), critical = (b[o + 1] & CRITICAL) !== 0;
    if (len < GENERIC_HEADER_LEN || o + len > b.length) return bad('length', `payload ${out.length + 1} (type ${type}) length ${len}`);
    const isSk = type === PayloadType.SK || type === PayloadType.SKF;
    if (isSk && !outer) return bad('syntax', 'SK/SKF inside an encrypted payload');
    if (isSk && o + len !== b.length) return bad('syntax', 'SK/SKF is not the last payload');
    if (!KNOWN.has(type) && critical) {
      const error: DecodeError = { reason: 'critical', detail: `unsupported critical payload ${type}`, payloadType: type };
      return { ok: false, error };
    }
    const d = decodePayload(type, b.subarray(o + GENERIC_HEADER_LEN, o + len), b[o]);
    if (!d.ok) return d;
    if (critical) d.value.critical = true;
    out.push(d.value);
    o += len;
    next = isSk ? PayloadType.NONE : b[o - len];
  }
  if (o !== b.length) return bad('length', `${b.length - o} bytes after the last payload`);
  return good(out);
}

/** The payload chain of a decrypted SK/SKF content (SK/SKF inside are refused). */
export function decodePayloads(first: number, b: Bytes): Decoded<Payload[]> {
  return walk(first, b, false);
}

export function decodeMessage(b: Bytes): Decoded<IkeMessage> {
  const h = decodeHeader(b);
  if (!h.ok) return h;
  const p = walk(h.value.nextPayload, b.subarray(IKE_HEADER_LEN), true);
  if (!p.ok) return p;
  return good({ header: h.value, payloads: p.value });
}
