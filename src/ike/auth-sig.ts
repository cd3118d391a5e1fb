// AUTH payloads with RSA signatures: RFC 7296 §2.15 / §3.8 method 1 (RSA Digital Signature, RSASSA-PKCS1-v1_5
// with SHA-1) and RFC 7427 method 14 (Digital Signature):
//
//   AUTH data (method 14) = ASN.1 Length (1 octet) | AlgorithmIdentifier (DER) | Signature Value
//
// both over the same InitiatorSignedOctets / ResponderSignedOctets as a shared key (../auth.ts signedOctets).
// With RFC 8784 the signature over the octets built with SK_p' goes into NO_PPK_AUTH in exactly the AUTH data
// format (for method 14 with its AlgorithmIdentifier prefix, as libreswan's ikev2_calc_no_ppk_auth and
// strongSwan's pubkey_authenticator do; protocols.md §2).
//
// The AlgorithmIdentifiers are the fixed byte strings of RFC 7427 Appendix A (constants compared byte for
// byte, not parsed). The hash algorithm identifiers of the SIGNATURE_HASH_ALGORITHMS notify are RFC 7427 §7.
import { type Bytes, concat, hex } from '../crypto/bytes.js';
import type { HashAlg } from '../crypto/hash.js';
import { platform, type RsaPrivateKey, type RsaPublicKey, type RsaScheme } from '../crypto/platform.js';
import { AuthMethod, SigHash } from './codec/constants.js';

export type SigHashName = 'sha256' | 'sha384' | 'sha512';

const h = (s: string): Bytes => new Uint8Array(s.trim().split(/\s+/).map((x) => parseInt(x, 16)));

interface SigAlg { name: string; hash: HashAlg; scheme: RsaScheme; der: Bytes }

/** RFC 7427 Appendix A.1 / A.4 (RSASSA-PSS with MGF1 of the same hash, salt = hash length, trailer 1). */
export const SIG_ALGS: readonly SigAlg[] = [
  { name: 'sha256WithRSAEncryption', hash: 'sha256', scheme: 'pkcs1', der: h('30 0d 06 09 2a 86 48 86 f7 0d 01 01 0b 05 00') },
  { name: 'sha384WithRSAEncryption', hash: 'sha384', scheme: 'pkcs1', der: h('30 0d 06 09 2a 86 48 86 f7 0d 01 01 0c 05 00') },
  { name: 'sha512WithRSAEncryption', hash: 'sha512', scheme: 'pkcs1', der: h('30 0d 06 09 2a 86 48 86 f7 0d 01 01 0d 05 00') },
  {
    name: 'RSASSA-PSS (SHA-256)', hash: 'sha256', scheme: 'pss',
    der: h(`30 41 06 09 2a 86 48 86 f7 0d 01 01 0a 30 34 a0 0f 30 0d 06 09 60 86 48 01 65 03 04 02 01 05 00
            a1 1c 30 1a 06 09 2a 86 48 86 f7 0d 01 01 08 30 0d 06 09 60 86 48 01 65 03 04 02 01 05 00 a2 03 02 01 20`),
  },
  {
    name: 'RSASSA-PSS (SHA-384)', hash: 'sha384', scheme: 'pss',
    der: h(`30 41 06 09 2a 86 48 86 f7 0d 01 01 0a 30 34 a0 0f 30 0d 06 09 60 86 48 01 65 03 04 02 02 05 00
            a1 1c 30 1a 06 09 2a 86 48 86 f7 0d 01 01 08 30 0d 06 09 60 86 48 01 65 03 04 02 02 05 00 a2 03 02 01 30`),
  },
  {
    name: 'RSASSA-PSS (SHA-512)', hash: 'sha512', scheme: 'pss',
    der: h(`30 41 06 09 2a 86 48 86 f7 0d 01 01 0a 30 34 a0 0f 30 0d 06 09 60 86 48 01 65 03 04 02 03 05 00
            a1 1c 30 1a 06 09 2a 86 48 86 f7 0d 01 01 08 30 0d 06 09 60 86 48 01 65 03 04 02 03 05 00 a2 03 02 01 40`),
  },
];

const HASH_ID: Record<SigHashName, number> = { sha256: SigHash.SHA2_256, sha384: SigHash.SHA2_384, sha512: SigHash.SHA2_512 };
const ID_HASH = new Map<number, SigHashName>(Object.entries(HASH_ID).map(([k, v]) => [v, k as SigHashName]));

/** SIGNATURE_HASH_ALGORITHMS notify data (RFC 7427 §4): the 2-octet ids of SHA2-256, SHA2-384 and SHA2-512. */
export function sigHashNotifyData(): Bytes {
  return new Uint8Array([0, SigHash.SHA2_256, 0, SigHash.SHA2_384, 0, SigHash.SHA2_512]);
}

/** The hash ids of a received SIGNATURE_HASH_ALGORITHMS notify (odd trailing octet ignored). */
export function parseSigHashes(data: Bytes): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < data.length; i += 2) out.push((data[i] << 8) | data[i + 1]);
  return out;
}

/**
 * The hash to sign with: the configured one when the peer announced it; otherwise the strongest SHA-2 both
 * know; undefined when the peer announced none of ours (RFC 7427 §4: method 14 only with a common hash).
 */
export function chooseSigHash(want: SigHashName, peer: readonly number[] | undefined): SigHashName | undefined {
  if (!peer) return undefined;
  if (peer.includes(HASH_ID[want])) return want;
  for (const id of [SigHash.SHA2_512, SigHash.SHA2_384, SigHash.SHA2_256]) if (peer.includes(id)) return ID_HASH.get(id);
  return undefined;
}

export function sigHashNames(ids: readonly number[]): string {
  return ids.map((i) => ID_HASH.get(i) ?? `#${i}`).join(', ') || 'none';
}

/** AUTH data signed with `key`: method 14 (AlgorithmIdentifier prefix) or 1 (RSA PKCS#1 v1.5 with SHA-1). */
export async function signatureAuth(key: RsaPrivateKey, method: 1 | 14, hash: SigHashName, scheme: RsaScheme,
  octets: Bytes): Promise<Bytes> {
  if (method === AuthMethod.RSA_SIG) return platform().rsaSign(key, 'sha1', 'pkcs1', octets);
  const alg = SIG_ALGS.find((a) => a.hash === hash && a.scheme === scheme);
  if (!alg) throw new Error(`auth: no AlgorithmIdentifier for ${scheme} ${hash}`);
  const sig = await platform().rsaSign(key, hash, scheme, octets);
  return concat(new Uint8Array([alg.der.length]), alg.der, sig);
}

export type SigCheck = { ok: true; algorithm: string } | { ok: false; reason: string };

/** Verify an AUTH (or NO_PPK_AUTH) data of method 1 or 14 with the peer certificate's public key. */
export async function verifySignatureAuth(key: RsaPublicKey, method: number, data: Bytes, octets: Bytes): Promise<SigCheck> {
  if (method === AuthMethod.RSA_SIG) {
    const ok = await platform().rsaVerify(key, 'sha1', 'pkcs1', octets, data).catch(() => false);
    return ok ? { ok: true, algorithm: 'RSA signature with SHA-1 (method 1)' } : { ok: false, reason: 'signature does not verify (RSA, SHA-1, method 1)' };
  }
  if (method !== AuthMethod.DIGITAL_SIGNATURE) return { ok: false, reason: `auth method ${method} is not a signature` };
  const len = data[0];
  if (data.length < 2 || 1 + len >= data.length) return { ok: false, reason: 'malformed Digital Signature AUTH data' };
  const der = data.subarray(1, 1 + len), sig = data.subarray(1 + len);
  const alg = SIG_ALGS.find((a) => a.der.length === der.length && a.der.every((b, i) => b === der[i]));
  if (!alg) return { ok: false, reason: `unsupported signature algorithm (AlgorithmIdentifier ${hex(der)})` };
  const ok = await platform().rsaVerify(key, alg.hash, alg.scheme, octets, sig).catch(() => false);
  return ok ? { ok: true, algorithm: `${alg.name} (method 14)` } : { ok: false, reason: `signature does not verify (${alg.name}, method 14)` };
}
