// The decoded shape of IKEv2 messages (RFC 7296 §3): plain data, no SA state. Every payload kind has
// its own file under payloads/ with the RFC diagram, an encoder and a structural decoder; message.ts walks
// the next-payload chain and rules.ts holds the per-exchange payload rules.
import type { Bytes } from '../../crypto/bytes.js';

/** RFC 7296 §3.1 */
export interface IkeHeader {
  spiI: Bytes;          // 8 bytes
  spiR: Bytes;          // 8 bytes (zero in the first IKE_SA_INIT request)
  nextPayload: number;
  version: number;      // 0x20
  exchange: number;
  initiator: boolean;   // I flag: sent by the original initiator of the IKE SA
  response: boolean;    // R flag
  messageId: number;    // uint32
  length: number;       // whole message, as on the wire
}

/** RFC 7296 §3.3.5; only Key Length (14, TV) exists. Unknown attributes are kept for the proposal logic to refuse. */
export interface TransformAttribute { type: number; value: number | Bytes }

/** RFC 7296 §3.3.2 */
export interface Transform { type: number; id: number; keyLength?: number; attributes?: TransformAttribute[] }

/** RFC 7296 §3.3.1 */
export interface Proposal {
  number: number;      // 1-based, as on the wire
  protocol: number;    // ProtocolId
  spi: Bytes;          // 0 bytes (IKE in IKE_SA_INIT), 8 (IKE rekey) or 4 (ESP)
  transforms: Transform[];
}

/** RFC 7296 §3.13.1, IPv4 or IPv6 address range. Addresses as bytes (4 or 16). */
export interface TrafficSelector {
  tsType: number;      // TsType
  ipProtocol: number;  // 0 = any
  startPort: number;
  endPort: number;
  startAddr: Bytes;
  endAddr: Bytes;
}

interface Base { critical?: boolean }

export interface SaPayload extends Base { type: 33; proposals: Proposal[] }
export interface KePayload extends Base { type: 34; group: number; data: Bytes }
export interface IdPayload extends Base { type: 35 | 36; idType: number; data: Bytes }
export interface CertPayload extends Base { type: 37; encoding: number; data: Bytes }
export interface CertReqPayload extends Base { type: 38; encoding: number; data: Bytes }
export interface AuthPayload extends Base { type: 39; method: number; data: Bytes }
export interface NoncePayload extends Base { type: 40; data: Bytes }
export interface NotifyPayload extends Base { type: 41; protocol: number; spi: Bytes; notify: number; data: Bytes }
export interface DeletePayload extends Base { type: 42; protocol: number; spiSize: number; spis: Bytes[] }
export interface VendorPayload extends Base { type: 43; data: Bytes }
export interface TsPayload extends Base { type: 44 | 45; selectors: TrafficSelector[] }
/** RFC 7296 §3.14: the encrypted payload, kept as its body (IV ‖ ciphertext ‖ ICV); first inner payload in `inner`. */
export interface SkPayload extends Base { type: 46; inner: number; body: Bytes }
/** RFC 7383 §2.5: one encrypted fragment. */
export interface SkfPayload extends Base { type: 53; inner: number; fragment: number; total: number; body: Bytes }
/** Anything else (CP, EAP, unknown types): kept raw so the critical bit can be honoured. */
export interface RawPayload extends Base { type: number & {}; raw: true; data: Bytes }

export type Payload =
  | SaPayload | KePayload | IdPayload | CertPayload | CertReqPayload | AuthPayload | NoncePayload | NotifyPayload
  | DeletePayload | VendorPayload | TsPayload | SkPayload | SkfPayload | RawPayload;

/** A decoded message: the header and the payload chain as it appeared (SK not yet opened). */
export interface IkeMessage { header: IkeHeader; payloads: Payload[] }

/**
 * Why a datagram was refused. Decoding never throws on input (STYLE.md §4); the reason goes to counters
 * and the trace; unauthenticated garbage gets no answer, except where RFC 7296 says one is due.
 */
export type DecodeError =
  | { reason: 'short'; detail: string }
  | { reason: 'version'; detail: string; major: number }
  | { reason: 'length'; detail: string }
  | { reason: 'syntax'; detail: string }
  | { reason: 'critical'; detail: string; payloadType: number }
  | { reason: 'rules'; detail: string }
  | { reason: 'integrity'; detail: string }
  | { reason: 'decrypt'; detail: string };

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: DecodeError };
