// `show crypto ca certificates [NAME]`: IOS XR's layout (Trustpoint header, "CA certificate" and "Router
// certificate" sections with Serial Number, Subject, Issued By, Validity Start/End, SHA1 Fingerprint).
// webswan adds, marked as its own in docs/pki.md: the SHA-256 fingerprint, the public key size, the SANs
// and the signature algorithm. Private keys are never shown (only that one is present).
// `show crypto key mypubkey rsa [LABEL]`: IOS XR's key layout (Key label, Type, Size, Created, Data: the
// SubjectPublicKeyInfo DER in groups of 8 hex digits, 8 groups a line) — the public half only.
import type { Certificate } from '../../pki/certificate.js';
import type { RsaKeyPair } from '../../pki/keypairs.js';
import type { Trustpoint } from '../../pki/trustpoint.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** `07:51:49 UTC Wed Jul 13 2022`, IOS XR's certificate time format. */
export function certTime(d: Date): string {
  return `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} UTC ${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${d.getUTCFullYear()}`;
}

const plainHex = (colon: string) => colon.replace(/:/g, '');

/** The lines describing one certificate (indented two spaces, as under "CA certificate"). */
export function certificateLines(c: Certificate): string[] {
  const san = [...c.san.dns.map((d) => `DNS:${d}`), ...c.san.ip.map((i) => `IP:${i}`), ...c.san.email.map((e) => `email:${e}`)];
  return [
    `  Serial Number  : ${c.serialNumber.toUpperCase()}`,
    '  Subject:',
    `        ${c.subject}`,
    '  Issued By      :',
    `        ${c.issuer}`,
    `  Validity Start : ${certTime(c.notBefore)}`,
    `  Validity End   : ${certTime(c.notAfter)}`,
    ...(san.length ? [`  Subject Alt Name: ${san.join(', ')}`] : []),
    `  Public Key     : ${c.publicKeyAlgorithm === 'rsa' ? 'RSA' : c.publicKeyAlgorithm} (${c.publicKeyBits} bits)`,
    `  Signature      : ${c.signatureAlgorithm.name}`,
    '  SHA1 Fingerprint:',
    `         ${plainHex(c.fingerprintSha1)}`,
    '  SHA256 Fingerprint:',
    `         ${plainHex(c.fingerprint)}`,
  ];
}

export function showCryptoCaCertificates(tps: readonly Trustpoint[]): string[] {
  const out: string[] = [];
  for (const tp of tps) {
    out.push('', `Trustpoint       : ${tp.name}`, '==================================================');
    for (const ca of tp.caCertificates) out.push('CA certificate', ...certificateLines(ca));
    const own = tp.certificate;
    if (own) {
      out.push('Router certificate', '  Key usage      : General Purpose', '  Status         : Available', ...certificateLines(own),
        ...(tp.keyPairLabel ? [`  Key pair       : ${tp.keyPairLabel}`] : []),
        `  Private key    : ${tp.privateKey ? 'present (not exportable)' : 'missing'}`);
    }
    out.push(`Associated Trustpoint: ${tp.name}`);
  }
  return out;
}

/** SPKI DER as IOS XR prints key data: uppercase hex in groups of 8 digits, 8 groups a line, each line indented one space. */
export function keyDataLines(der: Uint8Array): string[] {
  const hex = [...der].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
  const groups = hex.match(/.{1,8}/g) ?? [];
  const out: string[] = [];
  for (let i = 0; i < groups.length; i += 8) out.push(' ' + groups.slice(i, i + 8).join(' '));
  return out;
}

export function showCryptoKeyMypubkey(kps: readonly RsaKeyPair[]): string[] {
  const out: string[] = [];
  for (const kp of kps) {
    if (out.length) out.push('');
    out.push(`Key label: ${kp.label}`, 'Type     : RSA General purpose', `Size     : ${kp.bits}`, `Created  : ${certTime(kp.created)}`,
      'Data     :', ...keyDataLines(kp.spki));
  }
  return out;
}
