// What a runtime (Node sockets, a browser worker with a data channel, a test's simulated wire) sees of a
// router: UDP datagrams in and out, and typed events for captures, key logs and the UI.
// The router owns IKE/ESP framing on ports 500/4500 (RFC 3948 non-ESP marker, keepalives), so a
// runtime only moves UDP payloads and records them; the pcap shows exactly what went over the wire.
import type { Bytes } from '../crypto/bytes.js';

/** One UDP datagram; `data` is the UDP payload. Addresses are dotted IPv4. */
export interface Datagram { src: string; sport: number; dst: string; dport: number; data: Bytes }

/** Where a router's outgoing datagrams go. Fire and forget, like UDP. */
export interface Wire { send(d: Datagram): void }

export const IKE_PORT = 500;
export const NATT_PORT = 4500;

/** Algorithm names as Wireshark's IKEv2 and ESP decryption tables spell them (strongswan-peer.md §4). */
export interface IkeSaKeysEvent {
  kind: 'ike-keys';
  spiI: Bytes; spiR: Bytes;
  /** e.g. 'AES-CBC-256 [RFC3602]', 'AES-GCM-256 with 16 octet ICV [RFC5282]' */
  wiresharkEncr: string;
  /** e.g. 'HMAC_SHA2_256_128 [RFC4868]', 'NONE [RFC4306]' for AEAD */
  wiresharkInteg: string;
  skEi: Bytes; skEr: Bytes; skAi: Bytes; skAr: Bytes; // GCM keys include the 4-byte salt; SK_a* empty then
}

export interface EspSaKeysEvent {
  kind: 'esp-keys';
  src: string; dst: string;  // outer addresses of this direction
  spi: number;
  /** e.g. 'AES-CBC [RFC3602]', 'AES-GCM with 16 octet ICV [RFC4106]' */
  wiresharkEncr: string;
  /** e.g. 'HMAC-SHA-256-128 [RFC4868]', 'NULL' */
  wiresharkAuth: string;
  encKey: Bytes; authKey: Bytes;
}

export type KeyEvent = IkeSaKeysEvent | EspSaKeysEvent;

/** A datagram that crossed the router's UDP 500/4500 sockets, for captures. */
export interface WireTap { direction: 'in' | 'out'; at: Date; datagram: Datagram }

/**
 * What the lab's ladder diagram shows for each message: IKE with its payloads in clear (SK opened), ESP with
 * the inner packet, and the keys that protect it. Only the browser lab subscribes (Router.onMessage); these
 * events carry key material and never go to logs.
 */
export type MessageEvent =
  | {
    kind: 'ike'; dir: 'in' | 'out'; at: Date; saId: number; exchange: number; response: boolean; messageId: number;
    /** The decoded payloads (for SK: the payloads inside it). */
    payloads: import('../ike/codec/types.js').Payload[];
    /** The IKE message as on the wire (without the non-ESP marker). */
    raw: Bytes;
    /** A copy sent again: a retransmitted request, or a response repeated for a retransmitted request. */
    retransmission?: boolean;
    /** The SK keys of this SA (undefined in IKE_SA_INIT, which travels in clear). */
    keys?: { skEi: Bytes; skEr: Bytes; skAi: Bytes; skAr: Bytes };
  }
  | { kind: 'esp'; dir: 'in' | 'out'; at: Date; spi: number; seq: number; inner: Bytes; tunnel?: string; encKey: Bytes; authKey: Bytes };
