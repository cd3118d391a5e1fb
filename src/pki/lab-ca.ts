// The browser lab's built-in certification authority: an RSA root made with WebCrypto that issues router
// certificates shaped like strongSwan's `pki --issue --san FQDN --flag serverAuth --flag ikeIntermediate`
// (see test/vectors/pki/README.md), so the lab's routers can run certificate authentication against each
// other or against strongSwan without any file import. Names and serial numbers are deterministic; keys
// are fresh. Everything goes through WebCrypto and @peculiar/x509 — no node: imports, so it runs in the
// browser, workers, Node and edge runtimes alike. Time is injected (`now`).
import type { HashAlg } from '../crypto/hash.js';
import { type Certificate, EKU, fromX509, parseCertificate, toPem } from './certificate.js';
import { pkcs8FromPem } from './trustpoint.js';
import * as x509 from './x509.js';

export type LabKeySize = 2048 | 3072 | 4096;
export type LabHash = Extract<HashAlg, 'sha256' | 'sha384' | 'sha512'>;

export interface LabCaOptions {
  /** default `C=XX, O=webswan lab, CN=webswan Lab CA` */
  dn?: string;
  /** default 3072 (as the strongSwan recipe) */
  bits?: LabKeySize;
  /** signature hash of the self-signature, default sha384 */
  hash?: LabHash;
  /** signature scheme for everything this CA signs, default pkcs1 (strongSwan's `pki` default) */
  scheme?: 'pkcs1' | 'pss';
  /** validity start, default: now */
  now?: Date;
  /** default 3650 days */
  lifetimeDays?: number;
}

export interface IssueOptions {
  /** the router's FQDN, used as SAN dNSName and as CN */
  fqdn: string;
  /** extra SAN iPAddress entries (IPv4) */
  ipv4?: string[];
  /** default 2048 */
  bits?: LabKeySize;
  /** default sha256 */
  hash?: LabHash;
  now?: Date;
  /** default 365 days */
  lifetimeDays?: number;
}

export interface IssuedIdentity {
  certificate: Certificate;
  certificatePem: string;
  /** PKCS#8 PEM of the router's private key — what `crypto ca import … certificate/key` takes */
  privateKeyPem: string;
}

/**
 * What the routers need of a lab CA (`crypto ca authenticate|enroll` with `enrollment url lab://ca`): its
 * certificate and issuing. A LabCa, or a stand-in that asks one elsewhere (the browser lab's router workers
 * reach the page's one CA over a MessagePort).
 */
export interface LabCaService {
  readonly certificate: Certificate;
  readonly certificatePem: string;
  issue(opts: IssueOptions): Promise<IssuedIdentity>;
}

/**
 * A lab CA as text, to be saved and re-created (`LabCa.fromMaterial`): the same CA after a page reload, so
 * the certificates it issued before still chain to it. Carries the CA's private key: whoever stores it keeps
 * it private (never logged, shown, exported or shared).
 */
export interface LabCaMaterial {
  certificate: string;
  /** PKCS#8 PEM */
  privateKey: string;
  scheme: 'pkcs1' | 'pss';
  /** the serial number the next issued certificate gets */
  nextSerial: number;
}

const DAY = 86_400_000;
const HASH_NAME: Record<LabHash, string> = { sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' };
const SALT: Record<LabHash, number> = { sha256: 32, sha384: 48, sha512: 64 };
const subtle = () => globalThis.crypto.subtle;

/** RSA key generation parameters for WebCrypto (e = 65537). */
const rsaGen = (bits: LabKeySize, hash: LabHash): RsaHashedKeyGenParams =>
  ({ name: 'RSASSA-PKCS1-v1_5', modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]), hash: HASH_NAME[hash] });

/** Serial numbers as `pki` would never repeat them within one CA: 01, 02, … (hex, positive). */
const serialHex = (n: number) => n.toString(16).padStart(2, '0');

export class LabCa implements LabCaService {
  private serial = 1;

  private constructor(
    readonly certificate: Certificate,
    /** PKCS#8 of the CA key: WebCrypto binds a key to one (scheme, hash), so it is imported per issue */
    private readonly pkcs8: Uint8Array,
    private readonly scheme: 'pkcs1' | 'pss',
  ) {}

  /**
   * A fresh root CA. The private key never leaves this object, but it is held as PKCS#8 bytes in memory
   * (a lab CA, not a production one) so that each issue can sign with its own hash.
   */
  static async create(opts: LabCaOptions = {}): Promise<LabCa> {
    const bits = opts.bits ?? 3072, hash = opts.hash ?? 'sha384', scheme = opts.scheme ?? 'pkcs1';
    const now = opts.now ?? new Date();
    const gen = await subtle().generateKey(rsaGen(bits, hash), true, ['sign', 'verify']) as CryptoKeyPair;
    const pkcs8 = new Uint8Array(await subtle().exportKey('pkcs8', gen.privateKey));
    const keys = { publicKey: gen.publicKey, privateKey: await signingKey(pkcs8, scheme, hash) };
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serialHex(1),
      name: opts.dn ?? 'C=XX, O=webswan lab, CN=webswan Lab CA',
      notBefore: new Date(now.getTime() - 60_000),
      notAfter: new Date(now.getTime() + (opts.lifetimeDays ?? 3650) * DAY),
      keys,
      signingAlgorithm: signing(scheme, hash),
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, globalThis.crypto),
      ],
    }, globalThis.crypto);
    const ca = new LabCa(await fromX509(cert), pkcs8, scheme);
    ca.serial = 2;
    return ca;
  }

  /**
   * The CA saved by `material()`. Refused (`lab-ca: …`) when the certificate is not a CA certificate, the
   * key is not PKCS#8 or does not belong to the certificate, or the scheme or serial is malformed.
   */
  static async fromMaterial(m: LabCaMaterial): Promise<LabCa> {
    if (!m || typeof m.certificate !== 'string' || typeof m.privateKey !== 'string') throw new Error('lab-ca: malformed saved CA');
    if (m.scheme !== 'pkcs1' && m.scheme !== 'pss') throw new Error(`lab-ca: unknown signature scheme ${String(m.scheme)}`);
    if (!Number.isSafeInteger(m.nextSerial) || m.nextSerial < 2) throw new Error(`lab-ca: bad next serial ${String(m.nextSerial)}`);
    const certificate = await parseCertificate(m.certificate);
    if (!certificate.basicConstraints?.ca) throw new Error(`lab-ca: '${certificate.subject}' is not a CA certificate`);
    let pkcs8: Uint8Array;
    try { pkcs8 = pkcs8FromPem(m.privateKey); } catch (e) { throw new Error(`lab-ca: ${(e as Error).message.replace(/^pki: /, '')}`); }
    // the key must be the certificate's: a probe signed with it verifies with the certificate's public key
    const probe = new TextEncoder().encode('webswan lab CA key check');
    let good = false;
    try {
      const sig = await subtle().sign({ name: 'RSASSA-PKCS1-v1_5' }, await signingKey(pkcs8, 'pkcs1', 'sha256'), probe);
      const pub = await subtle().importKey('spki', certificate.spki.slice(), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
      good = await subtle().verify({ name: 'RSASSA-PKCS1-v1_5' }, pub, sig, probe);
    } catch { /* not an RSA key, or not importable: refused below */ }
    if (!good) { pkcs8.fill(0); throw new Error(`lab-ca: the private key does not belong to '${certificate.subject}'`); }
    const ca = new LabCa(certificate, pkcs8, m.scheme);
    ca.serial = m.nextSerial;
    return ca;
  }

  get certificatePem(): string { return this.certificate.pem; }

  /** The CA to save (see LabCaMaterial: it includes the CA's private key). */
  material(): LabCaMaterial {
    return { certificate: this.certificate.pem, privateKey: toPem(this.pkcs8, 'PRIVATE KEY'), scheme: this.scheme, nextSerial: this.serial };
  }

  /** A router certificate and its new key pair (the key is exported once, as PKCS#8 PEM, for the router). */
  async issue(opts: IssueOptions): Promise<IssuedIdentity> {
    const bits = opts.bits ?? 2048, hash = opts.hash ?? 'sha256';
    const now = opts.now ?? new Date();
    if (!/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(opts.fqdn)) {
      throw new Error(`lab-ca: '${opts.fqdn}' is not a host name`);
    }
    const keys = await subtle().generateKey(rsaGen(bits, hash), true, ['sign', 'verify']) as CryptoKeyPair;
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serialHex(this.serial++),
      subject: `C=XX, O=webswan lab, CN=${opts.fqdn}`,
      issuer: this.certificate.x509.subjectName,
      notBefore: new Date(now.getTime() - 60_000),
      notAfter: new Date(now.getTime() + (opts.lifetimeDays ?? 365) * DAY),
      publicKey: keys.publicKey,
      signingKey: await signingKey(this.pkcs8, this.scheme, hash),
      signingAlgorithm: signing(this.scheme, hash),
      extensions: [
        new x509.SubjectAlternativeNameExtension([
          { type: 'dns', value: opts.fqdn },
          ...(opts.ipv4 ?? []).map((value) => ({ type: 'ip' as const, value })),
        ]),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
        new x509.ExtendedKeyUsageExtension([EKU.serverAuth, EKU.ikeIntermediate]),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, globalThis.crypto),
        await x509.AuthorityKeyIdentifierExtension.create(this.certificate.x509, false, globalThis.crypto),
      ],
    }, globalThis.crypto);
    const pkcs8 = new Uint8Array(await subtle().exportKey('pkcs8', keys.privateKey));
    const certificate = await fromX509(cert);
    const privateKeyPem = toPem(pkcs8, 'PRIVATE KEY');
    pkcs8.fill(0);
    return { certificate, certificatePem: certificate.pem, privateKeyPem };
  }
}

/** The CA key as a non-extractable WebCrypto key for one (scheme, hash): x509 takes both from the key. */
function signingKey(pkcs8: Uint8Array, scheme: 'pkcs1' | 'pss', hash: LabHash): Promise<CryptoKey> {
  const name = scheme === 'pss' ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5';
  return subtle().importKey('pkcs8', pkcs8.slice(), { name, hash: HASH_NAME[hash] }, false, ['sign']);
}

function signing(scheme: 'pkcs1' | 'pss', hash: LabHash): Algorithm {
  return scheme === 'pss'
    ? ({ name: 'RSA-PSS', hash: HASH_NAME[hash], saltLength: SALT[hash] } as RsaPssParams & { hash: string })
    : ({ name: 'RSASSA-PKCS1-v1_5', hash: HASH_NAME[hash] } as Algorithm & { hash: string });
}
