// PKCS#10 certificate requests (RFC 2986) for `crypto ca enroll NAME` with `enrollment terminal`: the
// router's key pair (src/pki/keypairs.ts) signs a request carrying the trustpoint's subject-name and, in an
// extensionRequest attribute (RFC 2985 §5.4.2), a subjectAltName (RFC 5280 §4.2.1.6) with the subject's CN
// as dNSName when it is a host name and the trustpoint's ip-address as iPAddress. Built and signed by
// @peculiar/x509's Pkcs10CertificateRequestGenerator over WebCrypto (sha256WithRSAEncryption) — no
// ASN.1 of our own. The signing key is a non-extractable WebCrypto import used once.
import type { RsaKeyPair } from './keypairs.js';
import * as x509 from './x509.js';

export interface CsrOptions {
  /** The subject DN as IOS XR types it: `CN=router.example.com,O=lab`. */
  subject: string;
  /** IPv4 addresses for subjectAltName iPAddress (`ip-address`). */
  ipv4?: string[];
}

export interface CertificateRequest {
  pem: string;
  der: Uint8Array;
  subject: string;
  /** The subjectAltName entries requested, as `DNS:…`, `IP:…`. */
  san: string[];
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HOST = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

/** The CN of an IOS XR subject-name (`CN=a.example.com,O=lab`), if any. */
export function commonName(subject: string): string | undefined {
  return /(?:^|,)\s*CN\s*=\s*([^,]+)/i.exec(subject)?.[1]?.trim();
}

/** Parse an IOS XR subject-name into an X.500 name; throws a one-line reason. */
export function subjectName(subject: string): x509.Name {
  let name: x509.Name;
  try {
    name = new x509.Name(subject.split(',').map((s) => s.trim()).filter(Boolean).join(', '));
  } catch (e) {
    throw new Error(`pki: subject-name '${subject}' is not a distinguished name (${(e as Error).message})`);
  }
  if (!name.toJSON().length) throw new Error(`pki: subject-name '${subject}' is empty`);
  return name;
}

/** A PKCS#10 request signed with `kp` (RFC 2986 §4: CertificationRequestInfo signed by the subject's key). */
export async function createCsr(kp: RsaKeyPair, opts: CsrOptions): Promise<CertificateRequest> {
  const name = subjectName(opts.subject);
  const cn = commonName(opts.subject);
  const san: { type: 'dns' | 'ip'; value: string }[] = [
    // a CN that is an IPv4 address is an iPAddress, not a dNSName (RFC 5280 §4.2.1.6)
    ...(cn && IPV4.test(cn) && !(opts.ipv4 ?? []).includes(cn) ? [{ type: 'ip' as const, value: cn }] : []),
    ...(cn && !IPV4.test(cn) && HOST.test(cn) && cn.includes('.') ? [{ type: 'dns' as const, value: cn }] : []),
    ...(opts.ipv4 ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const subtle = globalThis.crypto.subtle;
  const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const copy = kp.pkcs8Der().slice();
  let privateKey: CryptoKey;
  try { privateKey = await subtle.importKey('pkcs8', copy, alg, false, ['sign']); } finally { copy.fill(0); }
  const publicKey = await subtle.importKey('spki', kp.spki.slice(), alg, true, ['verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name,
    keys: { privateKey, publicKey },
    signingAlgorithm: alg,
    extensions: san.length ? [new x509.SubjectAlternativeNameExtension(san)] : [],
  }, globalThis.crypto);
  return {
    pem: csr.toString('pem'),
    der: new Uint8Array(csr.rawData),
    subject: csr.subject,
    san: san.map((s) => `${s.type === 'dns' ? 'DNS' : 'IP'}:${s.value}`),
  };
}
