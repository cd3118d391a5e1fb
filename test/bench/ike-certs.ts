// Certificate authentication for the in-process handshake benchmark (npm run bench:ike,
// test/bench/ike-handshake.ts): the lab CA's certificates, made once per run, installed the way a router
// holds them (a TrustpointStore handed to ConfigPolicy, as Router does — test/suites/pki-config.ts), the two
// routers' IOS XR configurations with `authentication local|remote rsa-signature` + `pki trustpoint`, and the
// two "alone" ceilings of the certificate rows:
//  - RSA-only: what one handshake asks of the platform's RSA, sequential — 2 × rsaImportPublic (each side
//    imports the peer's leaf key), 2 × rsaSign (AUTH, RFC 7427 method 14, SHA-256, PKCS#1 v1.5) and
//    2 × rsaVerify;
//  - X.509-only: what one handshake asks of src/pki, sequential — on each side parseCertificate of the peer's
//    CERT, validateChain against the trustpoint (the CA's signature over the leaf, checked by @peculiar/x509
//    on WebCrypto, not through the Platform) and identityMatches of the peer's FQDN against the SAN.
// The lab CA is RSA 3072 (LabCa's default) and signs the leaves with SHA-256, so ConfigPolicy's certSigHash
// picks SHA-256 for AUTH; leaves are RSA 2048 or RSA 3072.
import { randomBytes } from '../../src/crypto/random.js';
import type { Platform } from '../../src/crypto/platform.js';
import { parseCertificate } from '../../src/pki/certificate.js';
import { LabCa, type IssuedIdentity, type LabKeySize } from '../../src/pki/lab-ca.js';
import { type Trustpoint, TrustpointStore, identityMatches, pkcs8FromPem, validateChain } from '../../src/pki/trustpoint.js';

export const A_FQDN = 'routerA.example.com';
export const B_FQDN = 'routerB.example.com';
export const TRUSTPOINT = 'LAB';
export const CA_DN = 'C=XX, O=webswan bench, CN=bench Lab CA';

/** One side's credentials: its TrustpointStore (CA + own certificate and key) and what it was made from. */
export interface CertSide { fqdn: string; store: TrustpointStore; tp: Trustpoint; issued: IssuedIdentity }
export interface CertMaterial { bits: LabKeySize; caPem: string; a: CertSide; b: CertSide }

async function side(ca: LabCa, fqdn: string, bits: LabKeySize): Promise<CertSide> {
  const issued = await ca.issue({ fqdn, bits, hash: 'sha256' });
  const store = new TrustpointStore();
  const tp = store.ensure(TRUSTPOINT);
  await tp.addCa(ca.certificatePem);
  await tp.setIdentity(issued.certificatePem, issued.privateKeyPem);
  return { fqdn, store, tp, issued };
}

/** One CA, and per key size a certificate for A and one for B (through the current platform(): call after usePlatform). */
export async function makeCertMaterial(sizes: readonly LabKeySize[]): Promise<Map<LabKeySize, CertMaterial>> {
  const ca = await LabCa.create({ dn: CA_DN, bits: 3072, hash: 'sha256' });
  const out = new Map<LabKeySize, CertMaterial>();
  for (const bits of sizes) {
    const [a, b] = await Promise.all([side(ca, A_FQDN, bits), side(ca, B_FQDN, bits)]);
    for (const s of [a, b]) {
      if (s.issued.certificate.publicKeyBits !== bits) throw new Error(`bench:ike: ${s.fqdn}'s certificate has ${s.issued.certificate.publicKeyBits} bits, not ${bits}`);
    }
    out.set(bits, { bits, caPem: ca.certificatePem, a, b });
  }
  return out;
}

/**
 * test/support/sim.ts's pairConfig with certificates instead of the pre-shared key: FQDN identities (the
 * leaves' SAN), rsa-signature both ways, `pki trustpoint LAB`; with a PPK, a keyring holding only the PPK
 * (`keyring ppk KR`). A initiates; B is responder-only.
 */
export function certConfig(sideName: 'A' | 'B', o: { dh: string; ppkLine?: string }): string {
  const me = sideName === 'A' ? 1 : 2, peer = sideName === 'A' ? 2 : 1;
  const [myId, peerId] = sideName === 'A' ? [A_FQDN, B_FQDN] : [B_FQDN, A_FQDN];
  const ppk = o.ppkLine
    ? `keyring KR\n peer PEER\n  address 10.77.0.${peer} 255.255.255.255\n  ${o.ppkLine}\n !\n!\n` : '';
  return `hostname ${sideName}
interface GigabitEthernet0/0/0/0
 ipv4 address 10.77.0.${me} 255.255.255.0
!
crypto ca trustpoint ${TRUSTPOINT}
 enrollment terminal
 subject-name CN=${myId}
!
ikev2 proposal P1
 encryption aes-cbc-256
 integrity sha-256
 prf sha-256
 dh-group ${o.dh}
!
ikev2 policy POL
 match address local 10.77.0.${me}
 proposal P1
!
${ppk}ikev2 profile PROF
 identity local fqdn ${myId}
 match identity remote fqdn ${peerId}
${ppk ? ' keyring ppk KR\n' : ''} authentication local rsa-signature
 authentication remote rsa-signature
 pki trustpoint ${TRUSTPOINT}
 lifetime 600
!
ipsec transform-set TS
 transform esp-256-aes esp-hmac-sha-256
 mode tunnel
!
ipsec profile IPP
 set ikev2-profile PROF
 set transform-set TS
 set security-association lifetime seconds 600
${sideName === 'B' ? ' set responder-only\n' : ''}!
interface tunnel-ip1
 ipv4 address 192.0.2.${me} 255.255.255.0
 tunnel mode ipsec ipv4
 tunnel source GigabitEthernet0/0/0/0
 tunnel destination 10.77.0.${peer}
 tunnel protection ipsec profile IPP
!
`;
}

/** Handshake-equivalents per second of the platform's RSA alone (see the header), sequential. */
export async function timeRsaOnly(pl: Platform, m: CertMaterial, seconds: number): Promise<number> {
  const keys = await Promise.all([m.a, m.b].map(async (s) => ({
    priv: await pl.rsaImportPrivate(pkcs8FromPem(s.issued.privateKeyPem)), spki: s.issued.certificate.spki,
  })));
  const octets = randomBytes(420); // about what AUTH signs with group 19: IKE_SA_INIT message + nonce + prf output
  const t0 = performance.now(), end = t0 + seconds * 1000;
  let n = 0;
  do {
    for (const k of keys) {
      const pub = await pl.rsaImportPublic(k.spki);
      const sig = await pl.rsaSign(k.priv, 'sha256', 'pkcs1', octets);
      if (!(await pl.rsaVerify(pub, 'sha256', 'pkcs1', octets, sig))) throw new Error('bench:ike: RSA signature does not verify');
    }
    n++;
  } while (performance.now() < end);
  return (n / (performance.now() - t0)) * 1000;
}

/** Handshake-equivalents per second of src/pki's certificate checks alone (see the header), sequential. */
export async function timeX509Only(m: CertMaterial, seconds: number): Promise<number> {
  // each side checks the other's certificate against its own trustpoint
  const checks = [{ der: m.b.issued.certificate.der, tp: m.a.tp, fqdn: B_FQDN }, { der: m.a.issued.certificate.der, tp: m.b.tp, fqdn: A_FQDN }];
  const t0 = performance.now(), end = t0 + seconds * 1000;
  let n = 0;
  do {
    for (const c of checks) {
      const leaf = await parseCertificate(c.der);
      const chain = await validateChain(leaf, [], c.tp, new Date());
      if (!chain.ok) throw new Error(`bench:ike: chain does not validate: ${chain.reason}`);
      if (!identityMatches(leaf, { type: 'fqdn', name: c.fqdn }).ok) throw new Error(`bench:ike: ${c.fqdn} not in the certificate`);
    }
    n++;
  } while (performance.now() < end);
  return (n / (performance.now() - t0)) * 1000;
}
