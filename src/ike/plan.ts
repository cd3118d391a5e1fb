// What the engine needs to know from configuration, and nothing else (ARCHITECTURE.md: src/ike knows no
// CLI). src/router/plan.ts answers these questions from the IOS XR running-config.
import type { Bytes } from '../crypto/bytes.js';
import type { Proposal } from './codec/types.js';
import type { Identity } from './sa.js';
import type { RsaPrivateKey } from '../crypto/platform.js';
import type { Certificate } from '../pki/certificate.js';
import type { Trustpoint } from '../pki/trustpoint.js';

export type DhGroup = 19 | 20 | 21;

export interface PpkPlan {
  /** PPK_ID as sent in PPK_IDENTITY after the PPK_ID_FIXED octet. */
  id: Bytes;
  /** The PPK itself; for a dynamic PPK fetched when needed. */
  key?: Bytes;
  /**
   * Fetch a dynamic PPK ([5/5]); undefined for manual PPKs. Initiator: no ppkId (a new key); responder: the
   * PPK_ID received. `peerData`: the data of the peer's USE_PPK notify (SKIP: its key source's system ID).
   */
  fetch?: (ppkId?: Bytes, peerData?: Bytes) => Promise<{ id: Bytes; key: Bytes } | { error: string }>;
  /** Data to send in our USE_PPK (SKIP: our key source's localSystemID); undefined: none. */
  usePpkData?: () => Promise<Bytes | undefined>;
  required: boolean;
  kind: 'manual' | 'dynamic';
}

/** Everything about one peer once it is known (initiator: from the tunnel; responder: from IDi). */
export interface AuthPlan {
  profile: string;
  localId: Identity;
  /** Shared key we sign with (pre-shared-key or pre-shared-key local) and verify with (… remote). */
  pskSign?: Bytes;
  pskVerify?: Bytes;
  ppk?: PpkPlan;
  ikeLifetimeSec: number;
  /** ESP proposals (SPIs filled in by the engine). */
  espProposals: Proposal[];
  pfs?: DhGroup;
  childLifetimeSec: number;
  /** Initiator: why the responder's identity is not the one the profile expects (undefined: fine). */
  checkRemoteId?: (id: PeerIdentity) => string | undefined;
  /** tunnel-ip interface carrying the traffic of this peer. */
  tunnel?: string;
  /** How we authenticate (authentication local …); default 'psk'. */
  auth?: 'psk' | 'rsa-signature';
  /** How the peer must authenticate (authentication remote …); default 'psk'. */
  verify?: 'psk' | 'rsa-signature';
  /** Our certificate chain (leaf first, then intermediates) and the leaf's private key (auth 'rsa-signature'). */
  cert?: { chain: Certificate[]; key: RsaPrivateKey };
  /** CAs the peer's certificate must chain to (verify 'rsa-signature'); also what CERTREQ names. */
  trustpoint?: Trustpoint;
  /** Hash of our RFC 7427 signatures (default sha256; another one when the peer does not announce it). */
  sigHash?: 'sha256' | 'sha384' | 'sha512';
  /** Signature scheme for method 14 (default pkcs1, as strongSwan's RSA_EMSA_PKCS1_SHA2_*). */
  sigScheme?: 'pkcs1' | 'pss';
  /** AUTH method for signatures: 14 (RFC 7427 Digital Signature, default) or 1 (RSA Digital Signature, SHA-1). */
  authMethod?: 1 | 14;
  /**
   * RFC 7383: an encrypted message whose IPv4 packet (IP 20 + UDP 8 + non-ESP marker 4 + IKE message) would
   * exceed this many bytes is sent as SKF fragments of at most this size, when the peer announced
   * IKEV2_FRAGMENTATION_SUPPORTED. Default 1280 (strongSwan's fragment_size).
   */
  fragmentSize?: number;
}

/** Whether a plan may use certificates (sends SIGNATURE_HASH_ALGORITHMS and CERTREQ). */
export function usesCertificates(p: Pick<AuthPlan, 'auth' | 'verify'>): boolean {
  return p.auth === 'rsa-signature' || p.verify === 'rsa-signature';
}

export type PeerIdentity = { type: 'ipv4'; address: string } | { type: 'fqdn'; name: string } | { type: 'other'; text: string };

export interface TunnelPlan extends AuthPlan {
  tunnel: string;
  localAddr: string;
  remoteAddr: string;
  ikeProposals: Proposal[];
  responderOnly: boolean;
}

export interface LocalPolicy {
  /** IKE proposals acceptable on a local address (ikev2 policy … match address local); undefined: no IKE here. */
  ikeProposals(localAddr: string): Proposal[] | undefined;
  /** Whether we would use a PPK with anyone on this address (decides USE_PPK in an IKE_SA_INIT response). */
  ppkPossible(localAddr: string): boolean;
  /** Data for the USE_PPK of an IKE_SA_INIT response (SKIP: our key source's localSystemID); optional. */
  usePpkData?(localAddr: string): Promise<Bytes | undefined>;
  /**
   * Whether certificates may be used on this address (decides SIGNATURE_HASH_ALGORITHMS and CERTREQ in an
   * IKE_SA_INIT response); undefined: no. `certReq`: CERTREQ data (SHA-1 hashes of trusted CA keys).
   */
  certificates?(localAddr: string): { certReq?: Bytes } | undefined;
  /** Responder: the plan for a peer, found by its identity (and address). */
  responderPlan(localAddr: string, remoteAddr: string, remoteId: PeerIdentity): AuthPlan | { error: string };
  /** Initiator: every tunnel-ip interface that should be up, with its plan. */
  tunnels(): TunnelPlan[];
}
