// The public-key half of the crypto boundary: ECDH (RFC 5903 groups 19/20/21) and RSA signatures are
// never written by hand — they run on the platform's WebCrypto or, in Node, node:crypto (faster there,
// see perf-anchors). A Platform is chosen once by the runtime entry point (usePlatform) and defaults to
// WebCrypto, which every supported runtime has.
import type { Bytes } from './bytes.js';
import type { HashAlg } from './hash.js';

export type DhGroup = 19 | 20 | 21;

/** An ephemeral ECDH key pair; the private half never leaves the platform (non-extractable). */
export interface EcdhKeyPair {
  readonly group: DhGroup;
  /** KE payload data: x ‖ y, each coordinate padded to the field size, no 0x04 (RFC 5903 §7). */
  readonly publicKe: Bytes;
  readonly handle: unknown;
}

export type RsaScheme = 'pkcs1' | 'pss';
export interface RsaPublicKey { readonly kind: 'rsa-public'; readonly bits: number; readonly handle: unknown }
export interface RsaPrivateKey { readonly kind: 'rsa-private'; readonly bits: number; readonly handle: unknown }
/**
 * A freshly generated RSA key pair (`crypto key generate rsa`): `key` for signing (non-extractable where the
 * platform has the notion), the public key as SPKI DER, and the private key as PKCS#8 DER — kept only by the
 * key store, to persist it (src/pki/keypairs.ts); whoever holds `pkcs8` wipes it when the key is zeroized.
 */
export interface RsaGenerated { readonly key: RsaPrivateKey; readonly spki: Bytes; readonly pkcs8: Bytes }

export interface Platform {
  readonly name: string;
  ecdhGenerate(group: DhGroup): Promise<EcdhKeyPair>;
  /** A known private scalar (test vectors, deterministic tests); publicKe is x ‖ y. */
  ecdhImport(group: DhGroup, privateScalar: Bytes, publicKe: Bytes): Promise<EcdhKeyPair>;
  /** Shared secret g^ir = the x coordinate (RFC 5903 §7); rejects a point not on the curve. */
  ecdhDerive(pair: EcdhKeyPair, peerKe: Bytes): Promise<Bytes>;
  rsaImportPublic(spkiDer: Bytes): Promise<RsaPublicKey>;
  rsaImportPrivate(pkcs8Der: Bytes): Promise<RsaPrivateKey>;
  /** A new RSA key pair, public exponent 65537 (the platform's generator; never hand-rolled). */
  rsaGenerate(bits: number): Promise<RsaGenerated>;
  rsaSign(key: RsaPrivateKey, hash: HashAlg, scheme: RsaScheme, data: Bytes): Promise<Bytes>;
  rsaVerify(key: RsaPublicKey, hash: HashAlg, scheme: RsaScheme, data: Bytes, signature: Bytes): Promise<boolean>;
}

export const GROUPS: Record<DhGroup, { curve: 'P-256' | 'P-384' | 'P-521'; coord: number; bits: number }> = {
  19: { curve: 'P-256', coord: 32, bits: 256 },
  20: { curve: 'P-384', coord: 48, bits: 384 },
  21: { curve: 'P-521', coord: 66, bits: 528 },
};

export function groupInfo(group: number) {
  const g = GROUPS[group as DhGroup];
  if (!g) throw new Error(`ecdh: unsupported Diffie-Hellman group ${group}`);
  return g;
}

/** Check a received KE payload's size before it reaches the platform (RFC 5903 §7: exactly x ‖ y). */
export function checkKe(group: DhGroup, ke: Bytes): void {
  const { coord } = groupInfo(group);
  if (!(ke instanceof Uint8Array) || ke.length !== 2 * coord) {
    throw new RangeError(`ecdh: group ${group} public value must be ${2 * coord} bytes, got ${ke?.length}`);
  }
}

let current: Platform | undefined;
let fallback: (() => Platform) | undefined;

/** Select the platform (called once by a runtime entry point). */
export function usePlatform(p: Platform): void { current = p; }

/** Registered by webcrypto.ts so that importing this module alone pulls in no implementation. */
export function setDefaultPlatform(make: () => Platform): void { fallback = make; }

export function platform(): Platform {
  if (!current) {
    if (!fallback) throw new Error('crypto: no platform registered (import src/crypto/index.js)');
    current = fallback();
  }
  return current;
}
