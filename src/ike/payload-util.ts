// Small constructors and finders over decoded payloads, so tasks read like the RFC's message diagrams:
//   [sa(props), ke(19, pub), nonce(ni), notify(NotifyType.USE_PPK)]
import type { Bytes } from '../crypto/bytes.js';
import { IdType, NotifyType, PayloadType, ProtocolId, TsType, isErrorNotify, ianaName } from './codec/constants.js';
import type {
  RawPayload, AuthPayload, DeletePayload, IdPayload, KePayload, NoncePayload, NotifyPayload, Payload, Proposal, SaPayload,
  TrafficSelector, TsPayload,
} from './codec/types.js';
import type { Identity } from './sa.js';
import type { PeerIdentity } from './plan.js';

const EMPTY = new Uint8Array(0);

export const sa = (proposals: Proposal[]): SaPayload => ({ type: PayloadType.SA, proposals });
export const ke = (group: number, data: Bytes): KePayload => ({ type: PayloadType.KE, group, data });
export const nonce = (data: Bytes): NoncePayload => ({ type: PayloadType.NONCE, data });
export const idi = (id: Identity): IdPayload => ({ type: PayloadType.IDi, idType: id.type, data: id.data });
export const idr = (id: Identity): IdPayload => ({ type: PayloadType.IDr, idType: id.type, data: id.data });
export const auth = (method: number, data: Bytes): AuthPayload => ({ type: PayloadType.AUTH, method, data });
export const tsi = (selectors: TrafficSelector[]): TsPayload => ({ type: PayloadType.TSi, selectors });
export const tsr = (selectors: TrafficSelector[]): TsPayload => ({ type: PayloadType.TSr, selectors });
export const notify = (type: number, data: Bytes = EMPTY, protocol = 0, spi: Bytes = EMPTY): NotifyPayload =>
  ({ type: PayloadType.NOTIFY, protocol, spi, notify: type, data });
export const del = (protocol: number, spis: Bytes[]): DeletePayload =>
  ({ type: PayloadType.DELETE, protocol, spiSize: protocol === ProtocolId.IKE ? 0 : 4, spis: protocol === ProtocolId.IKE ? [] : spis });

type Dist<P, T> = P extends { type: infer U } ? (T extends U ? P : never) : never;
/** The payload interface whose type field admits T (IdPayload for 35 and 36, …). */
export type PayloadOf<T extends number> = Exclude<Dist<Payload, T>, RawPayload>;

export function first<T extends number>(ps: Payload[], type: T): PayloadOf<T> | undefined {
  return ps.find((p) => p.type === type) as PayloadOf<T> | undefined;
}

export function findNotify(ps: Payload[], type: number): NotifyPayload | undefined {
  return ps.find((p): p is NotifyPayload => p.type === PayloadType.NOTIFY && (p as NotifyPayload).notify === type);
}

/** The first error notify of a message, if any (RFC 7296 §3.10.1). */
export function errorNotify(ps: Payload[]): NotifyPayload | undefined {
  return ps.find((p): p is NotifyPayload => p.type === PayloadType.NOTIFY && isErrorNotify((p as NotifyPayload).notify));
}

export const notifyName = (n: number): string => ianaName('notify', n);

/** 0.0.0.0–255.255.255.255, all protocols and ports: what IOS XR's route-based tunnel-ip proposes. */
export const ANY_V4: TrafficSelector = {
  tsType: TsType.IPV4_ADDR_RANGE, ipProtocol: 0, startPort: 0, endPort: 65535,
  startAddr: new Uint8Array([0, 0, 0, 0]), endAddr: new Uint8Array([255, 255, 255, 255]),
};

export function ipv4Bytes(addr: string): Bytes {
  return new Uint8Array(addr.split('.').map(Number));
}

export function identityFromAddress(addr: string): Identity { return { type: IdType.IPV4_ADDR, data: ipv4Bytes(addr) }; }
export function identityFromFqdn(name: string): Identity { return { type: IdType.FQDN, data: new TextEncoder().encode(name) }; }

/** An identity as configuration matching sees it. */
export function peerIdentity(id: Identity): PeerIdentity {
  if (id.type === IdType.IPV4_ADDR && id.data.length === 4) return { type: 'ipv4', address: [...id.data].join('.') };
  if (id.type === IdType.FQDN) return { type: 'fqdn', name: new TextDecoder().decode(id.data) };
  return { type: 'other', text: `${ianaName('id', id.type)}:${[...id.data].map((b) => b.toString(16).padStart(2, '0')).join('')}` };
}

export function identityText(id: Identity | undefined): string {
  if (!id) return '';
  const p = peerIdentity(id);
  return p.type === 'ipv4' ? p.address : p.type === 'fqdn' ? p.name : p.text;
}

export function selectorText(ts: TrafficSelector): string {
  const a = (b: Bytes) => [...b].join('.');
  return `${a(ts.startAddr)}-${a(ts.endAddr)}`;
}

/** IOS XR show format of a selector list entry: '0.0.0.0/0 - 255.255.255.255/65535'. */
export function selectorShow(ts: TrafficSelector): string {
  const a = (b: Bytes) => [...b].join('.');
  return `${a(ts.startAddr)}/${ts.startPort} - ${a(ts.endAddr)}/${ts.endPort}`;
}
