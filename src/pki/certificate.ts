// X.509v3 certificates (RFC 5280) as IKEv2 needs them (RFC 7296 §3.6 CERT, §3.7 CERTREQ; RFC 4945 for the
// identity rules): the fields a trustpoint, a trace or `show crypto ca certificates` reads, parsed by
// @peculiar/x509 — we never parse ASN.1 ourselves. A Certificate is an immutable snapshot; the library
// object stays reachable (`x509`) for chain validation in ./trustpoint.ts.
import type { Bytes } from '../crypto/bytes.js';
import type { HashAlg } from '../crypto/hash.js';
import * as x509 from './x509.js';

/** RFC 5280 §4.2.1.3 KeyUsage bits, by name. */
export type KeyUsageName =
  | 'digitalSignature' | 'nonRepudiation' | 'keyEncipherment' | 'dataEncipherment' | 'keyAgreement'
  | 'keyCertSign' | 'cRLSign' | 'encipherOnly' | 'decipherOnly';

/** Extended key usages this project names (others are reported by OID). */
export const EKU = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  /** id-kp-ipsecIKE (RFC 4945 §5.1.3.12) */
  ipsecIke: '1.3.6.1.5.5.7.3.17',
  /** iKEIntermediate, what strongSwan's `pki --flag ikeIntermediate` adds */
  ikeIntermediate: '1.3.6.1.5.5.8.2.2',
} as const;
const EKU_NAME: Record<string, string> = Object.fromEntries(Object.entries(EKU).map(([k, v]) => [v, k]));

/**
 * How the certificate is signed. `scheme`/`hash` are set when webswan can verify it (RSA PKCS#1 v1.5 or
 * RSA-PSS with SHA-256/384/512); otherwise `name` says what it is and chain validation refuses it.
 */
export interface SignatureAlgorithm {
  readonly name: string;
  readonly scheme?: 'pkcs1' | 'pss';
  readonly hash?: HashAlg;
}

export interface SubjectAltNames {
  /** dNSName entries, as written */
  readonly dns: readonly string[];
  /** iPAddress entries in text form (IPv4 dotted quad, IPv6 as the library prints it) */
  readonly ip: readonly string[];
  /** rfc822Name entries */
  readonly email: readonly string[];
}

export interface Certificate {
  /** DER of the whole certificate (what a CERT payload carries, encoding 4) */
  readonly der: Bytes;
  readonly pem: string;
  /** Distinguished names in RFC 4514-like text, e.g. `C=XX, O=lab, CN=lab Test CA` */
  readonly subject: string;
  readonly issuer: string;
  /** DER of the subject Name (what an ID_DER_ASN1_DN identity carries) */
  readonly subjectDer: Bytes;
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly san: SubjectAltNames;
  /** undefined when the extension is absent (RFC 5280: then every usage is allowed) */
  readonly keyUsage: readonly KeyUsageName[] | undefined;
  /** OIDs, undefined when the extension is absent */
  readonly extKeyUsage: readonly string[] | undefined;
  /** the same, with known OIDs named (serverAuth, ikeIntermediate, …) */
  readonly extKeyUsageNames: readonly string[] | undefined;
  /** undefined when the extension is absent (i.e. not a CA) */
  readonly basicConstraints: { readonly ca: boolean; readonly pathLength?: number } | undefined;
  readonly selfIssued: boolean;
  /** SubjectPublicKeyInfo DER, ready for platform().rsaImportPublic */
  readonly spki: Bytes;
  /** 'rsa' for rsaEncryption keys; anything else by its WebCrypto name */
  readonly publicKeyAlgorithm: string;
  /** RSA modulus size in bits (0 when not RSA) */
  readonly publicKeyBits: number;
  readonly signatureAlgorithm: SignatureAlgorithm;
  /** SHA-256 of the DER, upper-case hex pairs joined by ':' (as `openssl x509 -fingerprint -sha256`) */
  readonly fingerprint: string;
  /** SHA-1 of the DER, same format */
  readonly fingerprintSha1: string;
  /** SHA-1 of the SubjectPublicKeyInfo: the CA identifier a CERTREQ carries (RFC 7296 §3.7) */
  readonly spkiSha1: Bytes;
  /** The parsed library object (for ./trustpoint.ts) */
  readonly x509: x509.X509Certificate;
}

const KEY_USAGES: [KeyUsageName, number][] = [
  ['digitalSignature', 1], ['nonRepudiation', 2], ['keyEncipherment', 4], ['dataEncipherment', 8], ['keyAgreement', 16],
  ['keyCertSign', 32], ['cRLSign', 64], ['encipherOnly', 128], ['decipherOnly', 256],
];
const HASHES: Record<string, HashAlg> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

const subtle = () => globalThis.crypto.subtle;
const bytes = (b: ArrayBuffer | ArrayBufferView) =>
  b instanceof Uint8Array ? b : ArrayBuffer.isView(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : new Uint8Array(b);
const colonHex = (b: Bytes) => Array.from(b, (x) => x.toString(16).padStart(2, '0').toUpperCase()).join(':');

/** PEM (one or more CERTIFICATE blocks) or DER → the certificates, in order. Throws `pki: …` on garbage. */
export async function parseCertificates(input: string | Bytes): Promise<Certificate[]> {
  if (typeof input !== 'string') return [await parseCertificate(input)];
  let blocks: x509.PemStruct[];
  try {
    blocks = x509.PemConverter.decodeWithHeaders(input);
  } catch (e) {
    throw new Error(`pki: not PEM: ${(e as Error).message}`);
  }
  const certs = blocks.filter((b) => b.type === 'CERTIFICATE' || b.type === 'X509 CERTIFICATE');
  if (certs.length === 0) throw new Error('pki: no CERTIFICATE block in PEM');
  return Promise.all(certs.map((b) => parseCertificate(bytes(b.rawData))));
}

/** One certificate from PEM (the first CERTIFICATE block) or DER. */
export async function parseCertificate(input: string | Bytes): Promise<Certificate> {
  if (typeof input === 'string') return (await parseCertificates(input))[0];
  // The same DER parses to the same (immutable) Certificate: a peer sends its certificates at every
  // IKE_AUTH, and ASN.1 parsing in JavaScript is most of what a certificate costs. Keyed by the bytes
  // themselves; only successes are kept; the oldest goes beyond PARSED_MAX.
  const key = derKey(input);
  const known = parsed.get(key);
  if (known) return known;
  const made = parseDer(input);
  parsed.set(key, made);
  if (parsed.size > PARSED_MAX) parsed.delete(parsed.keys().next().value!);
  made.catch(() => { if (parsed.get(key) === made) parsed.delete(key); });
  return made;
}

const PARSED_MAX = 64;
const parsed = new Map<string, Promise<Certificate>>();
function derKey(der: Bytes): string {
  let s = '';
  for (let i = 0; i < der.length; i += 4096) s += String.fromCharCode(...der.subarray(i, i + 4096));
  return s;
}

async function parseDer(input: Bytes): Promise<Certificate> {
  const extra = input.length - derLength(input);
  if (extra > 0) throw new Error(`pki: not an X.509 certificate: ${extra} bytes after its DER encoding`);
  let c: x509.X509Certificate;
  try {
    c = new x509.X509Certificate(input.slice());
  } catch (e) {
    throw new Error(`pki: not an X.509 certificate: ${(e as Error).message}`);
  }
  try {
    return await fromX509(c);
  } catch (e) {
    // the library parses extensions lazily: a malformed one fails here, with the same kind of message
    throw new Error(`pki: not an X.509 certificate: ${(e as Error).message}`);
  }
}

/**
 * The length of the DER TLV at the start of `b` (header included), or `b.length` when it cannot be read (the
 * parser then says what is wrong). The ASN.1 parser stops after the outer SEQUENCE and ignores what follows:
 * a CERT payload or pasted certificate with trailing bytes would otherwise be taken as the certificate alone.
 */
function derLength(b: Bytes): number {
  if (b.length < 2) return b.length;
  const first = b[1];
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  if (n === 0 || n > 4 || b.length < 2 + n) return b.length;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + b[2 + i];
  return 2 + n + len;
}

/** Wrap a library certificate (used by the lab CA for the certificates it just made). */
export async function fromX509(c: x509.X509Certificate): Promise<Certificate> {
  const der = bytes(c.rawData).slice();
  const spki = bytes(c.publicKey.rawData).slice();

  const sanExt = c.getExtension(x509.SubjectAlternativeNameExtension);
  const names = sanExt?.names.items ?? [];
  const pick = (t: x509.GeneralNameType) => names.filter((n) => n.type === t).map((n) => n.value);
  const ku = c.getExtension(x509.KeyUsagesExtension);
  const eku = c.getExtension(x509.ExtendedKeyUsageExtension);
  const bc = c.getExtension(x509.BasicConstraintsExtension);
  const ekuOids = eku?.usages.map(String);

  const [sha256, sha1, spkiSha1, bits] = await Promise.all([
    subtle().digest('SHA-256', der), subtle().digest('SHA-1', der), subtle().digest('SHA-1', spki), rsaBits(c.publicKey),
  ]);
  const keyAlg = c.publicKey.algorithm.name;
  return Object.freeze({
    der,
    pem: c.toString('pem'),
    subject: c.subject,
    issuer: c.issuer,
    subjectDer: bytes(c.subjectName.toArrayBuffer()),
    serialNumber: c.serialNumber,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    san: Object.freeze({ dns: pick('dns'), ip: pick('ip'), email: pick('email') }),
    keyUsage: ku ? KEY_USAGES.filter(([, bit]) => ku.usages & bit).map(([n]) => n) : undefined,
    extKeyUsage: ekuOids,
    extKeyUsageNames: ekuOids?.map((o) => EKU_NAME[o] ?? o),
    basicConstraints: bc ? { ca: bc.ca, ...(bc.pathLength === undefined ? {} : { pathLength: bc.pathLength }) } : undefined,
    selfIssued: c.subject === c.issuer,
    spki,
    publicKeyAlgorithm: keyAlg === 'RSASSA-PKCS1-v1_5' || keyAlg === 'RSA-PSS' ? 'rsa' : keyAlg,
    publicKeyBits: bits,
    signatureAlgorithm: signatureAlgorithm(c),
    fingerprint: colonHex(bytes(sha256)),
    fingerprintSha1: colonHex(bytes(sha1)),
    spkiSha1: bytes(spkiSha1),
    x509: c,
  });
}

function signatureAlgorithm(c: x509.X509Certificate): SignatureAlgorithm {
  let alg: x509.HashedAlgorithm;
  try {
    alg = c.signatureAlgorithm;
  } catch {
    return { name: 'unknown' };
  }
  const hash = alg.hash ? HASHES[alg.hash.name] : undefined;
  const hashText = alg.hash?.name.replace('-', '').toLowerCase() ?? 'unknown';
  if (alg.name === 'RSASSA-PKCS1-v1_5') {
    return hash ? { name: `${hashText}WithRSAEncryption`, scheme: 'pkcs1', hash } : { name: `${hashText}WithRSAEncryption` };
  }
  if (alg.name === 'RSA-PSS') {
    // The IKE side (platform().rsaVerify) uses salt = digest length, as RFC 7427/8247 and strongSwan do.
    return hash ? { name: `rsassaPss-${hashText}`, scheme: 'pss', hash } : { name: `rsassaPss-${hashText}` };
  }
  return { name: alg.hash ? `${alg.name}-${alg.hash.name}` : alg.name };
}

async function rsaBits(key: x509.PublicKey): Promise<number> {
  const n = key.algorithm.name;
  if (n !== 'RSASSA-PKCS1-v1_5' && n !== 'RSA-PSS') return 0;
  try {
    const k = await key.export({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as RsaHashedImportParams, ['verify'], globalThis.crypto);
    return (k.algorithm as RsaHashedKeyAlgorithm).modulusLength;
  } catch {
    return 0;
  }
}

/** RFC 5280 validity at `now` (inclusive on both ends). */
export function validityAt(cert: Certificate, now: Date): 'valid' | 'expired' | 'not-yet-valid' {
  if (now.getTime() < cert.notBefore.getTime()) return 'not-yet-valid';
  if (now.getTime() > cert.notAfter.getTime()) return 'expired';
  return 'valid';
}

/** PEM text of DER bytes under a tag ('CERTIFICATE', 'PRIVATE KEY', …), 64-column lines. */
export function toPem(der: Bytes, tag: string): string {
  return x509.PemConverter.encode(der.slice(), tag);
}
