// Trustpoints (IOS XR `crypto ca trustpoint NAME`): the CA certificates a router trusts and its own
// certificate + private key; certification path validation (RFC 5280 §6, the subset IKEv2 peers use:
// validity, issuer name chaining, signatures, basicConstraints cA / pathLenConstraint, keyCertSign) and
// the RFC 4945 §3.1 identity checks (ID payload against the end-entity certificate). Revocation is not
// checked. Signatures are verified by WebCrypto through @peculiar/x509; the router's private key is
// imported non-extractable through the platform (src/crypto/platform.ts).
//
// Results, not exceptions: validateChain and identityMatches return a reason the IKE_AUTH trace can print.
import type { Bytes } from '../crypto/bytes.js';
import { type RsaPrivateKey, platform } from '../crypto/platform.js';
import { type Certificate, parseCertificate, parseCertificates, toPem, validityAt } from './certificate.js';
import { type KeyPairMaterial, KeyPairStore, RsaKeyPair, isKeyPairMaterial } from './keypairs.js';
import * as x509 from './x509.js';

// ---- trustpoints ---------------------------------------------------------------------------------------

/**
 * What a trustpoint holds, as text: the form in which it is saved across restarts (a `webswan router
 * --pki-dir`, the browser lab's IndexedDB) — PEM certificates and the PKCS#8 PEM private key. It carries
 * the private key: whoever stores it keeps it private (file mode 0600, never logged or shown).
 */
export interface TrustpointMaterial {
  name: string;
  cas: string[];
  certificate?: string;
  /** The router certificate's key when it was pasted (`crypto ca import` with a key). */
  privateKey?: string;
  /** Instead of `privateKey`: the label of the router's key pair the certificate belongs to (`crypto key generate rsa`). */
  keypair?: string;
}

/**
 * One router's saved PKI (TrustpointStore.material/restore): its trustpoints and its key pairs, in one list so
 * that every place that saves trustpoints keeps key pairs too (the lab's IndexedDB record; `--pki-dir` splits
 * it into DIR/NAME.json and DIR/keys/LABEL.json). Key pairs carry `kind: 'rsa-keypair'`; trustpoints have no
 * `kind` (lists saved before key pairs existed load unchanged).
 */
export type PkiMaterial = TrustpointMaterial | KeyPairMaterial;

export class Trustpoint {
  private readonly cas: Certificate[] = [];
  /** The router certificate with its key: pasted (`pkcs8` kept for saving) or one of the router's key pairs (`keypair`). */
  private own?: { certificate: Certificate; key: RsaPrivateKey; pkcs8?: Bytes; keypair?: RsaKeyPair };

  /** `changed` runs after every successful change (the store persists on it). */
  constructor(readonly name: string, private readonly changed: () => void = () => {}) {}

  get caCertificates(): readonly Certificate[] { return this.cas; }
  /** Bumped whenever the trusted CA certificates change (validated chains are remembered per version). */
  version = 0;
  get certificate(): Certificate | undefined { return this.own?.certificate; }
  get privateKey(): RsaPrivateKey | undefined { return this.own?.key; }
  /** The label of the key pair the router certificate uses, when it is one of the router's (not pasted). */
  get keyPairLabel(): string | undefined { return this.own?.keypair?.label; }

  /** Add trusted CA certificate(s) (`crypto ca authenticate`). Refuses a certificate without the cA flag. */
  async addCa(pem: string | Bytes): Promise<Certificate[]> {
    const certs = await parseCertificates(pem);
    for (const c of certs) {
      if (!c.basicConstraints?.ca) throw new Error(`pki: '${c.subject}' is not a CA certificate (basicConstraints cA missing)`);
    }
    for (const c of certs) if (!this.cas.some((x) => x.fingerprint === c.fingerprint)) this.cas.push(c);
    this.version++;
    this.changed();
    return certs;
  }

  /**
   * Install the router's own certificate and its private key (PKCS#8 PEM, `-----BEGIN PRIVATE KEY-----`).
   * The key is imported non-extractable through the platform, and must belong to the certificate: a test
   * signature made with it has to verify with the certificate's public key.
   */
  async setIdentity(certPem: string | Bytes, keyPem: string): Promise<Certificate> {
    const certificate = await parseCertificate(certPem);
    if (certificate.publicKeyAlgorithm !== 'rsa') throw new Error(`pki: only RSA certificates are supported, got ${certificate.publicKeyAlgorithm}`);
    const pkcs8 = pkcs8FromPem(keyPem);
    let key: RsaPrivateKey;
    try {
      key = await platform().rsaImportPrivate(pkcs8);
    } catch (e) {
      // node:crypto names the ASN.1 problem; WebCrypto's DOMException often has only a name (DataError)
      throw new Error(`pki: the PRIVATE KEY block is not an RSA PKCS#8 private key (${(e as Error).message || (e as Error).name || 'refused'})`);
    }
    const probe = new TextEncoder().encode(`webswan trustpoint ${this.name} key check`);
    const pub = await platform().rsaImportPublic(certificate.spki);
    const sig = await platform().rsaSign(key, 'sha256', 'pkcs1', probe);
    if (!(await platform().rsaVerify(pub, 'sha256', 'pkcs1', probe, sig))) {
      throw new Error(`pki: the private key does not belong to certificate '${certificate.subject}'`);
    }
    this.own?.pkcs8?.fill(0);
    this.own = { certificate, key, pkcs8 };
    this.changed();
    return certificate;
  }

  /**
   * Install the router certificate of one of the router's key pairs (`crypto ca import NAME certificate` after
   * `crypto ca enroll` printed a request): no key is pasted; the certificate's public key must be the pair's.
   */
  async setIdentityWithKeyPair(certPem: string | Bytes, kp: RsaKeyPair): Promise<Certificate> {
    const certificate = await parseCertificate(certPem);
    if (certificate.publicKeyAlgorithm !== 'rsa') throw new Error(`pki: only RSA certificates are supported, got ${certificate.publicKeyAlgorithm}`);
    if (!(await kp.matches(certificate.spki))) {
      throw new Error(`pki: the public key of certificate '${certificate.subject}' is not key pair ${kp.label}`);
    }
    this.own?.pkcs8?.fill(0);
    this.own = { certificate, key: kp.key, keypair: kp };
    this.changed();
    return certificate;
  }

  /** Drop the router certificate (its key pair was zeroized or replaced); CA certificates stay. */
  dropIdentity(): void {
    if (!this.own) return;
    this.own.pkcs8?.fill(0);
    this.own = undefined;
    this.changed();
  }

  /** The material to save (see TrustpointMaterial: it includes the private key). */
  material(): TrustpointMaterial {
    const m: TrustpointMaterial = { name: this.name, cas: this.cas.map((c) => c.pem) };
    if (this.own) {
      m.certificate = this.own.certificate.pem;
      if (this.own.keypair) m.keypair = this.own.keypair.label;
      else if (this.own.pkcs8) m.privateKey = toPem(this.own.pkcs8, 'PRIVATE KEY');
    }
    return m;
  }

  /** Forget the private key's bytes (the trustpoint is being removed). */
  wipe(): void {
    this.own?.pkcs8?.fill(0); // a key pair's key is the key store's to wipe
    this.own = undefined;
    this.cas.length = 0;
    this.version++;
  }

  /** CERTREQ payload data (RFC 7296 §3.7): the concatenated SHA-1 hashes of the trusted CAs' SPKIs. */
  certReqHashes(): Bytes {
    const out = new Uint8Array(20 * this.cas.length);
    this.cas.forEach((c, i) => out.set(c.spkiSha1, 20 * i));
    return out;
  }
}

/** The trustpoints of one router, by name. */
export class TrustpointStore {
  private readonly map = new Map<string, Trustpoint>();
  private readonly listeners = new Set<() => void>();
  private restoring = false;
  /** The router's RSA key pairs (`crypto key generate rsa`); their changes are this store's changes. */
  readonly keys = new KeyPairStore(() => this.emit());

  /** The trustpoint NAME, created on first use (`crypto ca trustpoint NAME` enters or creates it). */
  ensure(name: string): Trustpoint {
    let tp = this.map.get(name);
    if (!tp) this.map.set(name, (tp = new Trustpoint(name, () => this.emit())));
    return tp;
  }
  get(name: string): Trustpoint | undefined { return this.map.get(name); }
  delete(name: string): boolean {
    const tp = this.map.get(name);
    if (!tp) return false;
    tp.wipe();
    this.map.delete(name);
    this.emit();
    return true;
  }

  /** Run `fn` after every change to any trustpoint (CA added, identity installed, trustpoint deleted). */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => { this.listeners.delete(fn); };
  }

  /** Every key pair's, then every trustpoint's material, by label and name (for saving; includes private keys). */
  material(): PkiMaterial[] { return [...this.keys.material(), ...this.all().map((t) => t.material())]; }

  /** The trustpoints whose router certificate uses key pair `label`. */
  usingKeyPair(label: string): Trustpoint[] { return this.all().filter((t) => t.keyPairLabel === label); }

  /**
   * `crypto key zeroize rsa LABEL`: wipe the key pair and drop the router certificates that use it (a
   * certificate without its private key cannot sign). Returns the trustpoints that lost their certificate.
   */
  zeroizeKeyPair(label: string): Trustpoint[] | undefined {
    if (!this.keys.get(label)) return undefined;
    const users = this.usingKeyPair(label);
    for (const t of users) t.dropIdentity();
    this.keys.zeroize(label);
    return users;
  }

  /** `crypto key generate rsa LABEL` (replacing one): the new pair; router certificates of the old one are dropped. */
  async generateKeyPair(label: string, bits: number, now: Date): Promise<{ keypair: RsaKeyPair; dropped: Trustpoint[] }> {
    const keypair = await this.keys.generate(label, bits, now);
    const dropped = this.usingKeyPair(label).filter((t) => t.privateKey !== keypair.key);
    for (const t of dropped) t.dropIdentity();
    return { keypair, dropped };
  }

  /**
   * Load saved material (at start-up). Each item is checked as if imported by hand (CA flag, key belongs
   * to the certificate); an item that fails is skipped whole and reported — the rest still load. No
   * change notifications while restoring.
   */
  async restore(items: readonly PkiMaterial[]): Promise<string[]> {
    if (!Array.isArray(items)) return ['pki: malformed saved material (not a list)'];
    const errors: string[] = [];
    items = items.filter((x) => {
      const ok = !!x && typeof x === 'object';
      if (!ok) errors.push('pki: malformed saved item');
      return ok;
    });
    this.restoring = true;
    try {
      // key pairs first: a trustpoint's certificate may name one
      for (const m of items.filter(isKeyPairMaterial)) {
        try {
          if (typeof m.privateKey !== 'string' || typeof m.created !== 'string') throw new Error('pki: malformed saved key pair');
          this.keys.put(await RsaKeyPair.fromMaterial(m), false);
        } catch (e) {
          errors.push(`key pair ${typeof m.label === 'string' ? m.label : '(invalid)'}: ${(e as Error).message.replace(/^pki: /, '')}`);
        }
      }
      for (const m of items.filter((x) => !isKeyPairMaterial(x)) as TrustpointMaterial[]) {
        if (!m || typeof m.name !== 'string' || !Array.isArray(m.cas)) { errors.push('pki: malformed saved trustpoint'); continue; }
        const tp = new Trustpoint(m.name, () => this.emit());
        try {
          for (const pem of m.cas) await tp.addCa(pem);
          if (m.keypair !== undefined) {
            if (m.certificate === undefined || m.privateKey !== undefined) throw new Error('pki: a key pair label goes with a certificate and no private key');
            const kp = this.keys.get(m.keypair);
            if (!kp) throw new Error(`pki: key pair ${m.keypair} of its router certificate is missing`);
            await tp.setIdentityWithKeyPair(m.certificate, kp);
          } else if (m.certificate !== undefined || m.privateKey !== undefined) {
            if (m.certificate === undefined || m.privateKey === undefined) throw new Error('pki: certificate and private key must be saved together');
            await tp.setIdentity(m.certificate, m.privateKey);
          }
          this.map.get(m.name)?.wipe();
          this.map.set(m.name, tp);
        } catch (e) {
          tp.wipe();
          errors.push(`trustpoint ${m.name}: ${(e as Error).message.replace(/^pki: /, '')}`);
        }
      }
    } finally {
      this.restoring = false;
    }
    return errors;
  }

  private emit(): void {
    if (this.restoring) return;
    for (const fn of this.listeners) fn();
  }

  names(): string[] { return [...this.map.keys()].sort(); }
  all(): Trustpoint[] { return this.names().map((n) => this.map.get(n)!); }
}

/** PKCS#8 DER from PEM; a PKCS#1 `RSA PRIVATE KEY` is refused with the conversion to use. */
export function pkcs8FromPem(pem: string): Bytes {
  let blocks: x509.PemStruct[];
  try {
    blocks = x509.PemConverter.decodeWithHeaders(pem);
  } catch (e) {
    throw new Error(`pki: private key is not PEM: ${(e as Error).message}`);
  }
  const b = blocks.find((x) => x.type === 'PRIVATE KEY');
  if (b) return new Uint8Array(b.rawData);
  if (blocks.some((x) => x.type === 'RSA PRIVATE KEY')) {
    throw new Error('pki: PKCS#1 RSA PRIVATE KEY given; convert it with `openssl pkcs8 -topk8 -nocrypt`');
  }
  if (blocks.some((x) => x.type === 'ENCRYPTED PRIVATE KEY')) throw new Error('pki: encrypted private keys are not supported');
  throw new Error('pki: no PRIVATE KEY block in PEM');
}

// ---- certification path validation ---------------------------------------------------------------------

export type ChainFailure =
  | 'expired' | 'not-yet-valid' | 'unknown-issuer' | 'bad-signature' | 'not-ca' | 'path-length'
  | 'key-usage' | 'unsupported-algorithm' | 'no-trust-anchor';

export type ChainResult =
  | { ok: true; path: readonly Certificate[] }
  | { ok: false; code: ChainFailure; reason: string; subject: string };

/** More than this many certificates between leaf and anchor is refused (a loop or a hostile chain). */
export const MAX_CHAIN = 8;

const fail = (code: ChainFailure, cert: Certificate, reason: string): ChainResult =>
  ({ ok: false, code, reason, subject: cert.subject });
const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');

/**
 * Validate `leaf` up to a CA certificate of `trustpoint` at time `now`, using `intermediates` (e.g. the
 * further CERT payloads) to bridge. On success `path` runs leaf → … → trust anchor.
 *
 * Checks, leaf first, each certificate: validity at `now`; an issuer found by name (intermediate or anchor)
 * whose signature over it verifies; that issuer has basicConstraints cA and, when KeyUsage is present,
 * keyCertSign; every pathLenConstraint holds. The anchor's own validity is checked too (strongSwan does).
 */
export async function validateChain(
  leaf: Certificate, intermediates: readonly Certificate[], trustpoint: Trustpoint, now: Date,
): Promise<ChainResult> {
  if (trustpoint.caCertificates.length === 0) {
    return fail('no-trust-anchor', leaf, `trustpoint ${trustpoint.name} has no CA certificate`);
  }
  // A path found before is found again while the trusted CAs are the same and every certificate on it is
  // still valid: its signatures do not change. Only successes are kept; a failure is worked out each time.
  const key = `${trustpoint.version}|${leaf.fingerprint}|${intermediates.map((c) => c.fingerprint).join(',')}`;
  let cache = validated.get(trustpoint);
  const hit = cache?.get(key);
  const t = now.getTime();
  if (hit && t >= hit.from && t <= hit.until) return { ok: true, path: hit.path };
  const r = await buildPath([leaf], intermediates, trustpoint, now);
  if (r.ok) {
    if (!cache) validated.set(trustpoint, (cache = new Map()));
    cache.delete(key);
    cache.set(key, { path: r.path, from: Math.max(...r.path.map((c) => c.notBefore.getTime())), until: Math.min(...r.path.map((c) => c.notAfter.getTime())) });
    if (cache.size > VALIDATED_MAX) cache.delete(cache.keys().next().value!);
  }
  return r;
}

const VALIDATED_MAX = 32;
const validated = new WeakMap<Trustpoint, Map<string, { path: readonly Certificate[]; from: number; until: number }>>();

/**
 * Depth-first path building (RFC 4158's idea, without its scoring): from the last certificate of `path`,
 * every issuer candidate by name — anchors first — whose signature verifies is tried in turn, so a wrong
 * branch (a cross-certificate to a root we do not trust, an intermediate renewed under the same name) is
 * left for the next one. The answer is the first path that ends at an anchor; otherwise the most telling
 * failure: one met beyond a verified issuer, else the bad signature or the unknown issuer.
 */
async function buildPath(path: Certificate[], intermediates: readonly Certificate[], trustpoint: Trustpoint, now: Date): Promise<ChainResult> {
  const cur = path[path.length - 1];
  const v = checkValidity(cur, now);
  if (v) return v;
  if (path.length > 1 && trustpoint.caCertificates.some((a) => a.fingerprint === cur.fingerprint)) {
    return checkPathLength(path); // reached a trusted CA that was also sent as an intermediate
  }
  const candidates = issuerCandidates(cur, trustpoint.caCertificates, intermediates.filter((c) => !path.includes(c)));
  if (!candidates.length) return fail('unknown-issuer', cur, `issuer '${cur.issuer}' of '${cur.subject}' is not a trusted CA`);
  const sa = cur.signatureAlgorithm;
  if (!sa.scheme || !sa.hash) return fail('unsupported-algorithm', cur, `certificate '${cur.subject}' is signed with unsupported ${sa.name}`);
  let deeper: ChainResult | undefined;
  for (const { c, anchor } of candidates) {
    if (!(await verifySignedBy(cur, c))) continue;
    const r = await throughIssuer(path, c, anchor, intermediates, trustpoint, now);
    if (r.ok) return r;
    deeper ??= r;
  }
  return deeper ?? fail('bad-signature', cur, `signature of '${cur.subject}' does not verify with the key of '${cur.issuer}' (${sa.name})`);
}

/** One verified issuer of the path's last certificate: a CA? an anchor (done) or further up? */
async function throughIssuer(path: Certificate[], issuer: Certificate, anchor: boolean, intermediates: readonly Certificate[],
  trustpoint: Trustpoint, now: Date): Promise<ChainResult> {
  const caCheck = checkIssuerIsCa(issuer, path[path.length - 1]);
  if (caCheck) return caCheck;
  const next = [...path, issuer];
  if (anchor) return checkValidity(issuer, now) ?? checkPathLength(next);
  if (next.length > MAX_CHAIN) return fail('path-length', path[0], `chain longer than ${MAX_CHAIN} certificates`);
  return buildPath(next, intermediates, trustpoint, now);
}

/**
 * pathLenConstraint (RFC 5280 §4.2.1.9): the number of non-self-issued intermediate CA certificates below a
 * CA in the path may not exceed its constraint. path = [leaf, ca1, ca2, …, anchor].
 */
function checkPathLength(path: Certificate[]): ChainResult {
  for (let i = 1; i < path.length; i++) {
    const limit = path[i].basicConstraints?.pathLength;
    if (limit === undefined) continue;
    const below = path.slice(1, i).filter((c) => !c.selfIssued).length;
    if (below > limit) {
      return fail('path-length', path[i],
        `path length constraint exceeded: '${path[i].subject}' allows ${limit} intermediate CA(s) below it, chain has ${below}`);
    }
  }
  return { ok: true, path };
}

function checkValidity(c: Certificate, now: Date): ChainResult | undefined {
  const v = validityAt(c, now);
  if (v === 'expired') return fail('expired', c, `certificate '${c.subject}' expired on ${iso(c.notAfter)} (now ${iso(now)})`);
  if (v === 'not-yet-valid') return fail('not-yet-valid', c, `certificate '${c.subject}' not valid before ${iso(c.notBefore)} (now ${iso(now)})`);
  return undefined;
}

function checkIssuerIsCa(issuer: Certificate, child: Certificate): ChainResult | undefined {
  if (!issuer.basicConstraints?.ca) {
    return fail('not-ca', issuer, `issuer '${issuer.subject}' of '${child.subject}' is not a CA (basicConstraints cA flag missing)`);
  }
  if (issuer.keyUsage && !issuer.keyUsage.includes('keyCertSign')) {
    return fail('key-usage', issuer, `issuer '${issuer.subject}' may not sign certificates (keyUsage lacks keyCertSign)`);
  }
  return undefined;
}

/** Issuer candidates of `cert` by name: trusted anchors first, then the certificates the peer sent. */
function issuerCandidates(cert: Certificate, anchors: readonly Certificate[], intermediates: readonly Certificate[]): { c: Certificate; anchor: boolean }[] {
  return [
    ...anchors.filter((a) => sameName(a.x509.subjectName, cert.x509.issuerName)).map((c) => ({ c, anchor: true })),
    ...intermediates.filter((a) => sameName(a.x509.subjectName, cert.x509.issuerName)).map((c) => ({ c, anchor: false })),
  ];
}

/** WebCrypto verification of `cert`'s signature with `issuer`'s public key (PKCS#1 v1.5 or PSS parameters from the certificate). */
export async function verifySignedBy(cert: Certificate, issuer: Certificate): Promise<boolean> {
  try {
    return await cert.x509.verify({ publicKey: issuer.x509.publicKey, signatureOnly: true }, globalThis.crypto);
  } catch {
    return false;
  }
}

// ---- identities (RFC 4945 §3.1) ------------------------------------------------------------------------

/** The IKE identity to check against an end-entity certificate. A DN is its text or its DER (ID_DER_ASN1_DN). */
export type CertIdentity =
  | { type: 'fqdn'; name: string }
  | { type: 'ipv4'; address: string }
  | { type: 'email'; address: string }
  | { type: 'dn'; dn: string | Bytes };

export type IdentityResult = { ok: true; matched: string } | { ok: false; reason: string };

/**
 * RFC 4945 §3.1: ID_FQDN against a subjectAltName dNSName (case-insensitive, no wildcards), ID_IPV4_ADDR
 * against an iPAddress SAN (byte comparison), ID_RFC822_ADDR against an rfc822Name, ID_DER_ASN1_DN against
 * the subject DN (RFC 5280 §7.1 style: same attribute types in the same order, values compared
 * case-insensitively with runs of white space folded). The subject's CN is never used for FQDN matching.
 */
export function identityMatches(cert: Certificate, id: CertIdentity): IdentityResult {
  switch (id.type) {
    case 'fqdn': {
      const want = id.name.replace(/\.$/, '').toLowerCase();
      const hit = cert.san.dns.find((d) => d.replace(/\.$/, '').toLowerCase() === want);
      return hit ? { ok: true, matched: `subjectAltName dNSName ${hit}` }
        : { ok: false, reason: `fqdn ${id.name} is not a subjectAltName dNSName of '${cert.subject}' (${list(cert.san.dns)})` };
    }
    case 'ipv4': {
      const want = ipv4Bytes(id.address);
      const hit = want && cert.san.ip.find((a) => { const b = ipv4Bytes(a); return !!b && b.every((x, i) => x === want[i]); });
      return hit ? { ok: true, matched: `subjectAltName iPAddress ${hit}` }
        : { ok: false, reason: `address ${id.address} is not a subjectAltName iPAddress of '${cert.subject}' (${list(cert.san.ip)})` };
    }
    case 'email': {
      // local part is case-sensitive in principle (RFC 5280 §4.2.1.6), the host part is not; IKE peers compare whole
      const hit = cert.san.email.find((e) => e.toLowerCase() === id.address.toLowerCase());
      return hit ? { ok: true, matched: `subjectAltName rfc822Name ${hit}` }
        : { ok: false, reason: `${id.address} is not a subjectAltName rfc822Name of '${cert.subject}' (${list(cert.san.email)})` };
    }
    case 'dn': {
      let name: x509.Name;
      try {
        name = new x509.Name(typeof id.dn === 'string' ? id.dn : id.dn.slice());
      } catch {
        return { ok: false, reason: 'identity is not a distinguished name' };
      }
      return sameName(name, cert.x509.subjectName) ? { ok: true, matched: `subject ${cert.subject}` }
        : { ok: false, reason: `dn '${name.toString()}' is not the subject '${cert.subject}'` };
    }
  }
}

const list = (xs: readonly string[]) => (xs.length ? `has ${xs.join(', ')}` : 'none');

function ipv4Bytes(s: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s.trim());
  if (!m) return undefined;
  const b = m.slice(1).map(Number);
  return b.every((x) => x <= 255) ? b : undefined;
}

/** RDN sequences equal: same attribute types in order, values equal after case and white-space folding. */
export function sameName(a: x509.Name, b: x509.Name): boolean {
  const norm = (n: x509.Name) => JSON.stringify(n.toJSON().map((rdn) =>
    Object.entries(rdn).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
      .map(([t, vs]) => [t, vs.map((v) => v.trim().replace(/\s+/g, ' ').toLowerCase())])));
  return norm(a) === norm(b);
}
