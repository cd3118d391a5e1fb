// X.509 groundwork for IKEv2 certificate authentication (src/pki/): certificates made by strongSwan's `pki`
// (test/vectors/pki/, see its README) parsed field by field, RFC 5280 path validation with each failure's
// reason, RFC 4945 identity matching, trustpoints, and the lab CA's certificates read back, validated and
// used for RSA signatures through the platform. Expected values are written out from `openssl x509 -text`
// of the vectors (and OpenSSL's SHA-256 fingerprints in fingerprints.txt), not from @peculiar/x509.
import { usePlatform } from '../../src/crypto/platform.js';
import { type Certificate, parseCertificate, parseCertificates } from '../../src/pki/certificate.js';
import { LabCa } from '../../src/pki/lab-ca.js';
import { Trustpoint, TrustpointStore, identityMatches, validateChain } from '../../src/pki/trustpoint.js';
import { env } from '../support/env.js';
import { equal, ok, rejects } from '../support/assert.js';

/** Inside every vector's validity (they were issued 2026-11-27 for 10 years). */
export const NOW = new Date('2027-06-01T00:00:00Z');
const same = (got: unknown, want: unknown, msg: string) => equal(JSON.stringify(got), JSON.stringify(want), msg);

export const vector = async (name: string) => (await env()).text(`pki/${name}`);
const cert = async (name: string) => parseCertificate(await vector(name));

async function trustpoint(...cas: string[]): Promise<Trustpoint> {
  const tp = new Trustpoint('LAB');
  for (const c of cas) await tp.addCa(await vector(c));
  return tp;
}

async function expectFailure(leaf: Certificate, inter: Certificate[], tp: Trustpoint, code: string, text: RegExp, now = NOW) {
  const r = await validateChain(leaf, inter, tp, now);
  ok(!r.ok, `${leaf.subject}: expected ${code}, chain validated`);
  equal(r.code, code, `${leaf.subject}: code (${r.reason})`);
  ok(text.test(r.reason), `${leaf.subject}: reason '${r.reason}' should match ${text}`);
}

export function pkiSuite(): void {
  before(async () => usePlatform((await env()).platform));

  describe('pki: certificates made by strongSwan pki', () => {
    it('parses the RSA 3072 / SHA-384 root CA', async () => {
      const c = await cert('ca.crt');
      equal(c.subject, 'C=XX, O=lab, CN=lab Test CA', 'subject');
      equal(c.issuer, c.subject, 'issuer');
      ok(c.selfIssued, 'self-issued');
      same(c.basicConstraints, { ca: true }, 'basicConstraints');
      equal(c.publicKeyAlgorithm, 'rsa', 'key type');
      equal(c.publicKeyBits, 3072, 'key size');
      same(c.signatureAlgorithm, { name: 'sha384WithRSAEncryption', scheme: 'pkcs1', hash: 'sha384' }, 'signature');
      ok(c.notAfter.getTime() - c.notBefore.getTime() >= 3649 * 86_400_000, 'lifetime 3650 days');
    });

    it('parses the RSA 2048 / SHA-256 leaf as strongSwan issues it', async () => {
      const c = await cert('routerA.crt');
      equal(c.subject, 'C=XX, O=lab, CN=routerA.example.com', 'subject');
      equal(c.issuer, 'C=XX, O=lab, CN=lab Test CA', 'issuer');
      same(c.san, { dns: ['routerA.example.com'], ip: [], email: [] }, 'SAN');
      same(c.extKeyUsage, ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.8.2.2'], 'EKU OIDs');
      same(c.extKeyUsageNames, ['serverAuth', 'ikeIntermediate'], 'EKU names');
      equal(c.basicConstraints, undefined, 'no basicConstraints');
      equal(c.publicKeyBits, 2048, 'key size');
      same(c.signatureAlgorithm, { name: 'sha256WithRSAEncryption', scheme: 'pkcs1', hash: 'sha256' }, 'signature');
      const k = await (await env()).platform.rsaImportPublic(c.spki);
      equal(k.bits, 2048, 'SPKI imports through the platform');
    });

    it('parses the RSA 3072 / SHA-384 leaf and the RSA-PSS one with IP and e-mail SANs', async () => {
      const b = await cert('routerB.crt');
      equal(b.publicKeyBits, 3072, 'B key size');
      equal(b.signatureAlgorithm.hash, 'sha384', 'B hash');
      const c = await cert('routerC.crt');
      same(c.signatureAlgorithm, { name: 'rsassaPss-sha256', scheme: 'pss', hash: 'sha256' }, 'C signature');
      same(c.san, { dns: ['routerC.example.com'], ip: ['10.77.0.3'], email: ['admin@example.com'] }, 'C SAN');
    });

    it('reads pathLenConstraint and the validity of the expired vector', async () => {
      same((await cert('sub-ca.crt')).basicConstraints, { ca: true, pathLength: 0 }, 'sub CA');
      const e = await cert('expired.crt');
      equal(e.notBefore.toISOString(), '2020-01-01T00:00:00.000Z', 'notBefore');
      equal(e.notAfter.toISOString(), '2021-01-01T00:00:00.000Z', 'notAfter');
    });

    it('fingerprints equal OpenSSL’s, and DER and PEM parse alike', async () => {
      const lines = (await vector('fingerprints.txt')).trim().split('\n');
      equal(lines.length, 13, 'fingerprints.txt');
      for (const line of lines) {
        const [file, fp] = line.split(' ');
        equal((await cert(file)).fingerprint, fp, file);
      }
      const a = await cert('routerA.crt');
      equal((await parseCertificate(a.der)).fingerprint, a.fingerprint, 'DER');
      equal((await parseCertificate(a.pem)).fingerprint, a.fingerprint, 'PEM round trip');
      equal(a.spkiSha1.length, 20, 'CERTREQ hash');
    });

    it('parses a PEM bundle in order and refuses garbage with a pki: message', async () => {
      const both = await parseCertificates((await vector('sub-ca.crt')) + (await vector('ca.crt')));
      same(both.map((c) => c.subject), ['C=XX, O=lab, CN=lab Sub CA', 'C=XX, O=lab, CN=lab Test CA'], 'bundle');
      await rejects(parseCertificate(new Uint8Array([0x30, 0x03, 1, 2, 3])), 'DER garbage');
      await rejects(parseCertificates(await vector('routerA.key')), 'a key is not a certificate');
    });
  });

  describe('pki: certification path validation', () => {
    it('accepts leaves signed with PKCS#1 v1.5 SHA-256/384 and RSA-PSS', async () => {
      const tp = await trustpoint('ca.crt');
      for (const f of ['routerA.crt', 'routerB.crt', 'routerC.crt']) {
        const r = await validateChain(await cert(f), [], tp, NOW);
        ok(r.ok, `${f}: ${r.ok ? '' : r.reason}`);
        equal(r.path.length, 2, `${f}: path`);
      }
    });

    it('bridges through an intermediate CA, and says so when it is missing', async () => {
      const tp = await trustpoint('ca.crt');
      const s = await cert('routerS.crt'), sub = await cert('sub-ca.crt');
      const r = await validateChain(s, [await cert('routerA.crt'), sub], tp, NOW);
      ok(r.ok, r.ok ? '' : r.reason);
      same(r.path.map((c) => c.subject), ['C=XX, O=lab, CN=routerS.example.com', 'C=XX, O=lab, CN=lab Sub CA', 'C=XX, O=lab, CN=lab Test CA'], 'path');
      await expectFailure(s, [], tp, 'unknown-issuer', /issuer 'C=XX, O=lab, CN=lab Sub CA' of .* is not a trusted CA/);
    });

    it('rejects expired and not-yet-valid certificates', async () => {
      const tp = await trustpoint('ca.crt');
      await expectFailure(await cert('expired.crt'), [], tp, 'expired', /expired on 2021-01-01T00:00:00Z/);
      await expectFailure(await cert('future.crt'), [], tp, 'not-yet-valid', /not valid before 2040-01-01T00:00:00Z/);
      await expectFailure(await cert('routerA.crt'), [], tp, 'expired', /routerA.* expired/, new Date('2040-01-01T00:00:00Z'));
    });

    it('rejects a leaf of another CA (wrong CA) and accepts it with that CA', async () => {
      await expectFailure(await cert('routerX.crt'), [], await trustpoint('ca.crt'), 'unknown-issuer', /Other Test CA/);
      ok((await validateChain(await cert('routerX.crt'), [], await trustpoint('ca.crt', 'other-ca.crt'), NOW)).ok, 'two anchors');
      const none = await validateChain(await cert('routerA.crt'), [], new Trustpoint('EMPTY'), NOW);
      ok(!none.ok && none.code === 'no-trust-anchor', 'empty trustpoint');
    });

    it('rejects a tampered signature and a tampered body', async () => {
      const tp = await trustpoint('ca.crt');
      const a = await cert('routerA.crt');
      const sig = a.der.slice();
      sig[sig.length - 1] ^= 0x01;
      await expectFailure(await parseCertificate(sig), [], tp, 'bad-signature', /does not verify with the key of 'C=XX, O=lab, CN=lab Test CA'/);
      // flip one letter of the SAN: still well-formed, no longer what the CA signed
      const body = a.der.slice();
      const at = indexOf(body, new TextEncoder().encode('routerA.example.com'));
      ok(at > 0, 'SAN bytes found');
      body[at + 6] ^= 0x20; // 'A' → 'a'
      await expectFailure(await parseCertificate(body), [], tp, 'bad-signature', /does not verify/);
    });

    it('enforces the CA flag and pathLenConstraint', async () => {
      const tp = await trustpoint('ca.crt');
      await expectFailure(await cert('notca.crt'), [await cert('routerA.crt')], tp, 'not-ca', /CN=routerA.example.com' of .* is not a CA/);
      await expectFailure(await cert('routerT.crt'), [await cert('subsub-ca.crt'), await cert('sub-ca.crt')], tp, 'path-length',
        /'C=XX, O=lab, CN=lab Sub CA' allows 0 intermediate CA\(s\) below it, chain has 1/);
    });
  });

  describe('pki: identities (RFC 4945 §3.1)', () => {
    it('matches FQDN against SAN dNSName, case-insensitively, never against CN alone', async () => {
      const a = await cert('routerA.crt');
      ok(identityMatches(a, { type: 'fqdn', name: 'ROUTERA.Example.com' }).ok, 'case-insensitive');
      const r = identityMatches(a, { type: 'fqdn', name: 'routerB.example.com' });
      ok(!r.ok && /routerB.example.com is not a subjectAltName dNSName .* \(has routerA.example.com\)/.test(r.reason), r.ok ? '' : r.reason);
      ok(!identityMatches(await cert('ca.crt'), { type: 'fqdn', name: 'lab Test CA' }).ok, 'CN is not a dNSName');
    });

    it('matches IPv4 and e-mail SANs', async () => {
      const c = await cert('routerC.crt');
      ok(identityMatches(c, { type: 'ipv4', address: '10.77.0.3' }).ok, 'IPv4');
      ok(!identityMatches(c, { type: 'ipv4', address: '10.77.0.4' }).ok, 'other IPv4');
      ok(!identityMatches(await cert('routerA.crt'), { type: 'ipv4', address: '10.77.0.3' }).ok, 'no IP SAN');
      ok(identityMatches(c, { type: 'email', address: 'admin@example.com' }).ok, 'rfc822Name');
    });

    it('matches a DN given as text or as DER (ID_DER_ASN1_DN)', async () => {
      const a = await cert('routerA.crt');
      ok(identityMatches(a, { type: 'dn', dn: 'C=XX, O=lab, CN=routerA.example.com' }).ok, 'text');
      ok(identityMatches(a, { type: 'dn', dn: 'C=xx,  O=LAB, CN=RouterA.example.com' }).ok, 'value case and spaces folded');
      ok(identityMatches(a, { type: 'dn', dn: a.subjectDer }).ok, 'DER');
      ok(!identityMatches(a, { type: 'dn', dn: 'C=XX, O=lab, CN=routerB.example.com' }).ok, 'other CN');
      ok(!identityMatches(a, { type: 'dn', dn: 'O=lab, C=XX, CN=routerA.example.com' }).ok, 'RDN order matters');
    });
  });

  describe('pki: what is remembered between handshakes', () => {
    it('the same DER parses to the same certificate; other bytes do not; a refused DER is refused again', async () => {
      const pem = await vector('routerA.crt');
      const der = (await parseCertificate(pem)).der;
      const a = await parseCertificate(der.slice()), b = await parseCertificate(der.slice());
      ok(a === b, 'one parse for the same bytes');
      const other = await cert('routerB.crt');
      ok(other !== a && other.subject !== a.subject, 'another certificate');
      const bad = der.slice(); bad[bad.length - 1] ^= 0xff; // the signature's last byte: still parses
      const c = await parseCertificate(bad);
      ok(c !== a && c.fingerprint !== a.fingerprint, 'changed bytes are another certificate');
      for (let i = 0; i < 2; i++) await rejects(parseCertificate(der.subarray(0, 100)), `a truncated DER is refused (${i + 1})`);
    });

    it('a validated path is found again only while the CAs are the same and every certificate is still valid', async () => {
      const tp = await trustpoint('ca.crt');
      const leaf = await cert('routerA.crt');
      const first = await validateChain(leaf, [], tp, NOW);
      ok(first.ok, 'valid');
      const again = await validateChain(leaf, [], tp, NOW);
      ok(again.ok && again.path === (first as { path: unknown }).path, 'remembered');
      const later = new Date(leaf.notAfter.getTime() + 1000);
      const expired = await validateChain(leaf, [], tp, later);
      ok(!expired.ok && expired.code === 'expired', `after notAfter: ${expired.ok ? 'ok' : expired.reason}`);
      // the bad signature of a certificate signed by another CA with the same name is never remembered as good
      const forged = await cert('routerX.crt');
      await expectFailure(forged, [], tp, 'unknown-issuer', /not a trusted CA/);
      tp.wipe();
      await expectFailure(leaf, [], tp, 'no-trust-anchor', /no CA certificate/);
      await tp.addCa(await vector('other-ca.crt'));
      await expectFailure(leaf, [], tp, 'unknown-issuer', /not a trusted CA/);
    });
  });

  describe('pki: trustpoints', () => {
    it('holds CA certificates and the router identity, and checks that key and certificate belong together', async () => {
      const store = new TrustpointStore();
      const tp = store.ensure('LAB');
      equal(store.ensure('LAB'), tp, 'ensure is idempotent');
      await tp.addCa(await vector('ca.crt'));
      await tp.addCa(await vector('ca.crt'));
      equal(tp.caCertificates.length, 1, 'duplicate CA ignored');
      await rejects(tp.addCa(await vector('routerA.crt')), 'a leaf is not a CA');
      await rejects(tp.setIdentity(await vector('routerA.crt'), await vector('routerB.key')), 'wrong key');
      const c = await tp.setIdentity(await vector('routerA.crt'), await vector('routerA.key'));
      equal(c.subject, 'C=XX, O=lab, CN=routerA.example.com', 'identity');
      equal(tp.privateKey?.bits, 2048, 'key imported');
      equal(tp.certReqHashes().length, 20, 'CERTREQ: one SHA-1 per CA');
      same(store.names(), ['LAB'], 'names');
    });

    it('refuses a PKCS#1 key with the command that converts it', async () => {
      const pkcs1 = '-----BEGIN RSA PRIVATE KEY-----\nMAA=\n-----END RSA PRIVATE KEY-----\n';
      const tp = new Trustpoint('X');
      try {
        await tp.setIdentity(await vector('routerA.crt'), pkcs1);
        ok(false, 'accepted PKCS#1');
      } catch (e) {
        ok(/openssl pkcs8 -topk8/.test((e as Error).message), (e as Error).message);
      }
    });

    it('signs with the trustpoint key; the peer verifies with the certificate (RFC 7427 schemes)', async () => {
      const { platform } = await env();
      const tp = new Trustpoint('LAB');
      await tp.setIdentity(await vector('routerB.crt'), await vector('routerB.key'));
      const pub = await platform.rsaImportPublic(tp.certificate!.spki);
      const data = new TextEncoder().encode('InitiatorSignedOctets');
      for (const scheme of ['pkcs1', 'pss'] as const) {
        for (const hash of ['sha256', 'sha384', 'sha512'] as const) {
          const sig = await platform.rsaSign(tp.privateKey!, hash, scheme, data);
          equal(sig.length, 384, `${scheme}/${hash}: RSA 3072 signature size`);
          ok(await platform.rsaVerify(pub, hash, scheme, data, sig), `${scheme}/${hash}`);
        }
      }
    });

    it('saves its material and restores it in a new store; bad items are skipped with the reason', async () => {
      const store = new TrustpointStore();
      let changes = 0;
      store.onChange(() => changes++);
      const tp = store.ensure('LAB');
      await tp.addCa(await vector('ca.crt'));
      await tp.setIdentity(await vector('routerA.crt'), await vector('routerA.key'));
      equal(changes, 2, 'a change per addCa / setIdentity');
      const saved = JSON.parse(JSON.stringify(store.material())) as ReturnType<TrustpointStore['material']>;
      equal(saved.length, 1, 'one trustpoint');
      ok(/BEGIN PRIVATE KEY/.test(saved[0].privateKey ?? ''), 'the key is saved as PKCS#8 PEM');

      const again = new TrustpointStore();
      let restoredChanges = 0;
      again.onChange(() => restoredChanges++);
      const bad = { name: 'BAD', cas: [await vector('ca.crt')], certificate: await vector('routerA.crt'), privateKey: await vector('routerB.key') };
      const errors = await again.restore([...saved, bad, { name: 'HALF', cas: [], certificate: await vector('routerA.crt') }]);
      equal(errors.length, 2, `two items refused: ${errors.join(' | ')}`);
      ok(/trustpoint BAD: .*does not belong/.test(errors[0]), errors[0]);
      ok(/trustpoint HALF: .*together/.test(errors[1]), errors[1]);
      same(again.names(), ['LAB'], 'only the good trustpoint');
      const r = again.get('LAB')!;
      equal(r.certificate?.fingerprint, tp.certificate?.fingerprint, 'same certificate');
      equal(r.caCertificates[0].fingerprint, tp.caCertificates[0].fingerprint, 'same CA');
      const { platform } = await env();
      const data = new TextEncoder().encode('restored key signs');
      const sig = await platform.rsaSign(r.privateKey!, 'sha256', 'pkcs1', data);
      ok(await platform.rsaVerify(await platform.rsaImportPublic(tp.certificate!.spki), 'sha256', 'pkcs1', data, sig), 'restored key is the certificate key');
      equal(restoredChanges, 0, 'restoring does not notify');
      const junk = new TrustpointStore();
      for (const bad of ['text', { length: 2 }, null] as unknown[]) {
        const e = await junk.restore(bad as never);
        ok(e.length === 1 && /malformed saved material/.test(e[0]), `not a list (${JSON.stringify(bad)}): ${e.join(' | ')}`);
      }
      const mixed = await junk.restore([null, 'x', 7] as never);
      equal(mixed.length, 3, `each item that is not an object is reported: ${mixed.join(' | ')}`);
      equal(junk.names().length, 0, 'nothing restored from junk');
      ok(again.delete('LAB'), 'delete');
      equal(restoredChanges, 1, 'delete notifies');
    });
  });

  describe('pki: lab CA', () => {
    let ca: LabCa;
    before(async () => { ca = await LabCa.create({ now: NOW }); });

    it('makes an RSA 3072 / SHA-384 root with deterministic names', async () => {
      const c = ca.certificate;
      equal(c.subject, 'C=XX, O=webswan lab, CN=webswan Lab CA', 'subject');
      equal(c.publicKeyBits, 3072, 'bits');
      equal(c.signatureAlgorithm.name, 'sha384WithRSAEncryption', 'signature');
      same(c.basicConstraints, { ca: true }, 'CA');
      same(c.keyUsage, ['keyCertSign', 'cRLSign'], 'keyUsage');
      equal(c.serialNumber, '01', 'serial');
      const back = await parseCertificate(ca.certificatePem);
      equal(back.fingerprint, c.fingerprint, 'PEM parses back');
    });

    it('issues router certificates like pki --san --flag serverAuth --flag ikeIntermediate', async () => {
      const tp = new Trustpoint('LAB-CA');
      await tp.addCa(ca.certificatePem);
      for (const [fqdn, bits, hash] of [['routerA.lab.example', 2048, 'sha256'], ['routerB.lab.example', 3072, 'sha384']] as const) {
        const id = await ca.issue({ fqdn, bits, hash, now: NOW, ipv4: ['192.0.2.1'] });
        const c = await parseCertificate(id.certificatePem);
        equal(c.subject, `C=XX, O=webswan lab, CN=${fqdn}`, 'subject');
        equal(c.issuer, ca.certificate.subject, 'issuer');
        same(c.san, { dns: [fqdn], ip: ['192.0.2.1'], email: [] }, 'SAN');
        same(c.extKeyUsageNames, ['serverAuth', 'ikeIntermediate'], 'EKU');
        equal(c.publicKeyBits, bits, 'bits');
        equal(c.signatureAlgorithm.hash, hash, 'hash');
        const r = await validateChain(c, [], tp, NOW);
        ok(r.ok, r.ok ? '' : r.reason);
        ok(identityMatches(c, { type: 'fqdn', name: fqdn }).ok, 'identity');
        await tp.setIdentity(id.certificatePem, id.privateKeyPem);
        const data = new TextEncoder().encode(`AUTH ${fqdn}`);
        const { platform } = await env();
        const sig = await platform.rsaSign(tp.privateKey!, hash, 'pss', data);
        ok(await platform.rsaVerify(await platform.rsaImportPublic(c.spki), hash, 'pss', data, sig), 'signature verifies');
      }
    });

    it('counts serial numbers and can sign with RSA-PSS', async () => {
      const pss = await LabCa.create({ now: NOW, bits: 2048, hash: 'sha256', scheme: 'pss', dn: 'CN=PSS Lab CA' });
      const a = await pss.issue({ fqdn: 'a.example', now: NOW });
      const b = await pss.issue({ fqdn: 'b.example', now: NOW });
      same([a.certificate.serialNumber, b.certificate.serialNumber], ['02', '03'], 'serials');
      equal(a.certificate.signatureAlgorithm.scheme, 'pss', 'scheme');
      const tp = new Trustpoint('PSS');
      await tp.addCa(pss.certificatePem);
      ok((await validateChain(b.certificate, [], tp, NOW)).ok, 'validates');
      await expectFailure(b.certificate, [], tp, 'expired', /expired/, new Date(NOW.getTime() + 400 * 86_400_000));
      await rejects(pss.issue({ fqdn: 'not a host' }), 'bad FQDN');
    });

    it('is saved as material and re-created from it: same CA, serials go on, earlier certificates still chain', async () => {
      const small = await LabCa.create({ now: NOW, bits: 2048, hash: 'sha256', scheme: 'pss', dn: 'CN=Saved Lab CA' });
      const before = await small.issue({ fqdn: 'a.example', now: NOW });
      const m = small.material();
      same([m.scheme, m.nextSerial, m.certificate === small.certificatePem], ['pss', 3, true], 'material');
      ok(m.privateKey.startsWith('-----BEGIN PRIVATE KEY-----'), 'PKCS#8 PEM');
      const back = await LabCa.fromMaterial(JSON.parse(JSON.stringify(m)));
      equal(back.certificate.fingerprint, small.certificate.fingerprint, 'same CA certificate');
      const after = await back.issue({ fqdn: 'b.example', now: NOW });
      equal(after.certificate.serialNumber, '03', 'serials continue');
      equal(after.certificate.signatureAlgorithm.scheme, 'pss', 'same scheme');
      const tp = new Trustpoint('SAVED');
      await tp.addCa(small.certificatePem);
      ok((await validateChain(after.certificate, [], tp, NOW)).ok, 'issued after the restore: chains to the saved CA');
      ok((await validateChain(before.certificate, [], tp, NOW)).ok, 'issued before: still chains');
      const refusal = async (p: Promise<unknown>) => { try { await p; return 'accepted'; } catch (e) { return (e as Error).message; } };

      ok(/does not belong/.test(await refusal(LabCa.fromMaterial({ ...m, privateKey: before.privateKeyPem }))), 'another key');
      ok(/not a CA certificate/.test(await refusal(LabCa.fromMaterial({ ...m, certificate: before.certificatePem }))), 'a leaf certificate');
      ok(/bad next serial/.test(await refusal(LabCa.fromMaterial({ ...m, nextSerial: 0 }))), 'serial');
      ok(/unknown signature scheme/.test(await refusal(LabCa.fromMaterial({ ...m, scheme: 'md5' as 'pss' }))), 'scheme');
      ok(/^lab-ca: /.test(await refusal(LabCa.fromMaterial({ ...m, privateKey: 'garbage' }))), 'not PEM');
    });
  });
}

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
