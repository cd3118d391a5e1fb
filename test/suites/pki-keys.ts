// On-box RSA key pairs and PKCS#10 enrollment (docs/pki.md; IOS XR "Implementing Certification Authority
// Interoperability"; RFC 2986): the key store (generation through the platform, the public half only ever
// shown, material round trip, zeroize wiping the PKCS#8 bytes), the request `crypto ca enroll` prints for
// `enrollment terminal` (parsed and its signature checked by @peculiar/x509), `crypto ca import … certificate`
// without a key prompt when the certificate is the trustpoint's key pair, `show crypto key mypubkey rsa`, and
// every refusal as one line. Runs in Node (node:crypto platform) and Chromium (WebCrypto). The same flow
// against strongSwan's `pki` and OpenSSL is test/node/pki-csr.test.ts.
import { VirtualTime } from '../../src/util/clock.js';
import { equal, ok, rejects } from '../support/assert.js';
import { SimWire } from '../support/sim.js';
import { KeyPairStore, RsaKeyPair } from '../../src/pki/keypairs.js';
import { TrustpointStore } from '../../src/pki/trustpoint.js';
import { platform } from '../../src/crypto/platform.js';
import { hex } from '../../src/crypto/bytes.js';
import * as x509 from '../../src/pki/x509.js';
import { bareRouter, pasted, tunnelConfig, upActive } from './pki-config.js';
import { untilPaced as until } from '../support/sim.js';

const START = new Date(Date.UTC(2026, 0, 1));
const DAY = 86_400_000;
const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };

/** A throw-away CA made with @peculiar/x509 in the test (not webswan code) that signs requests as given. */
async function testCa() {
  const keys = await crypto.subtle.generateKey(RSA, true, ['sign', 'verify']) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01', name: 'C=XX, O=keys test, CN=Keys Test CA', keys, signingAlgorithm: RSA,
    notBefore: new Date(START.getTime() - 30 * DAY), notAfter: new Date(START.getTime() + 3650 * DAY),
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
  }, crypto);
  let serial = 2;
  /** Sign a PEM request: its subject, its public key and the subjectAltName it asks for. */
  const sign = async (csrPem: string) => {
    const req = new x509.Pkcs10CertificateRequest(csrPem);
    const san = req.extensions.find((e) => e.type === '2.5.29.17') as x509.SubjectAlternativeNameExtension | undefined;
    const c = await x509.X509CertificateGenerator.create({
      serialNumber: (serial++).toString(16).padStart(2, '0'), subject: req.subjectName, issuer: cert.subjectName,
      notBefore: new Date(START.getTime() - DAY), notAfter: new Date(START.getTime() + 365 * DAY),
      publicKey: await req.publicKey.export(RSA, ['verify'], crypto), signingKey: keys.privateKey, signingAlgorithm: RSA,
      extensions: san ? [san] : [],
    }, crypto);
    return c.toString('pem');
  };
  return { pem: cert.toString('pem'), sign };
}

/** The PEM request of a `crypto ca enroll` output. */
const csrOf = (out: string) => /-----BEGIN CERTIFICATE REQUEST-----[\s\S]+?-----END CERTIFICATE REQUEST-----/.exec(out)?.[0];

export function pkiKeysSuite(): void {
  describe('IOS XR on-box RSA keys: crypto key generate/zeroize rsa, PKCS#10 enrollment, import without the key', () => {
    let ca: Awaited<ReturnType<typeof testCa>>;
    before(async () => { ca = await testCa(); });

    it('the key store: platform-generated key pairs, public half, material round trip, zeroize wipes the PKCS#8 bytes', async () => {
      const store = new KeyPairStore();
      const kp = await store.generate('K1', 2048, START);
      equal(kp.bits, 2048, 'bits');
      const pub = new x509.PublicKey(new Uint8Array(kp.spki).buffer);
      equal(pub.algorithm.name, 'RSASSA-PKCS1-v1_5', 'SPKI is RSA');
      const probe = new TextEncoder().encode('probe');
      const sig = await platform().rsaSign(kp.key, 'sha256', 'pkcs1', probe);
      ok(await platform().rsaVerify(await platform().rsaImportPublic(kp.spki), 'sha256', 'pkcs1', probe, sig), 'signs for its public key');
      const m = kp.material();
      equal(m.kind, 'rsa-keypair', 'kind');
      ok(m.privateKey.startsWith('-----BEGIN PRIVATE KEY-----'), 'PKCS#8 PEM');
      const back = await RsaKeyPair.fromMaterial(JSON.parse(JSON.stringify(m)));
      equal(hex(back.spki), hex(kp.spki), 'the same public key after a round trip');
      equal(back.created.toISOString(), START.toISOString(), 'created');
      ok(await back.matches(kp.spki) && !(await back.matches((await store.generate('K2', 2048, START)).spki)), 'matches its own key only');
      const bytes = kp.pkcs8Der();
      ok(bytes.some((b) => b !== 0), 'key bytes present');
      ok(store.zeroize('K1'), 'zeroized');
      ok(bytes.every((b) => b === 0), 'PKCS#8 bytes overwritten with zeros');
      ok(kp.zeroized && store.get('K1') === undefined, 'gone from the store');
      let threw = false;
      try { void kp.key; } catch { threw = true; }
      ok(threw, 'a zeroized key cannot sign');
      equal(store.labels().join(','), 'K2', 'the other key stays');
      ok(!store.zeroize('K1'), 'no second zeroize');
      await rejects(store.generate('K3', 1024, START), '1024 bits refused');
      await rejects(store.generate('bad/label', 2048, START), 'label with a slash refused');
    });

    it('generate, show, enroll (PKCS#10), import without a key prompt, and two routers UP-ACTIVE with RSA/RSA', async () => {
      const time = new VirtualTime(START.getTime());
      const wire = new SimWire(time, 1);
      const A = await bareRouter(time, wire), B = await bareRouter(time, wire);
      const outs: string[] = [];
      for (const [R, side, fqdn, ip] of [[A, 'A', 'routerA.example.com', '10.77.0.1'], [B, 'B', 'routerB.example.com', '10.77.0.2']] as const) {
        let o = await R.type('configure', `hostname ${side}`, 'crypto ca trustpoint LAB', ' enrollment terminal', ` subject-name CN=${fqdn},O=lab`,
          ` ip-address ${ip}`, '!', 'commit', 'end');
        ok(!o.includes('%'), o);
        o = await R.type('crypto key generate rsa');
        ok(o.includes('The name for the keys will be: the_default'), o);
        equal(R.con.prompt, 'How many bits in the modulus [2048]: ', 'asks the modulus');
        o = await R.type('');
        ok(o.includes('[OK]'), o);
        o = await R.type('show crypto key mypubkey rsa');
        ok(/^Key label: the_default\nType     : RSA General purpose\nSize     : 2048\nCreated  : 00:00:00 UTC Thu Jan 01 2026\nData     :\n 30820122 300D0609 2A864886 F70D0101 01050003 82010F00 3082010A 02820101\n/m.test(o), o);
        await R.type('crypto ca authenticate LAB', ...pasted(ca.pem), 'yes');
        o = await R.type('crypto ca enroll LAB');
        outs.push(o);
        const csrPem = csrOf(o);
        ok(csrPem, `a PEM request:\n${o}`);
        ok(o.includes('---End - This line not part of the certificate request---'), o);
        const req = new x509.Pkcs10CertificateRequest(csrPem!);
        ok(await req.verify(crypto), 'the request is signed by its key (RFC 2986 §4.2)');
        equal(req.subject, `CN=${fqdn}, O=lab`, 'subject');
        const san = req.extensions.find((e) => e.type === '2.5.29.17') as x509.SubjectAlternativeNameExtension;
        equal(JSON.stringify(san.names.toJSON()), JSON.stringify([{ type: 'dns', value: fqdn }, { type: 'ip', value: ip }]), 'SAN');
        const kp = R.r.trustpoints.keys.get('the_default')!;
        equal(hex(new Uint8Array(req.publicKey.rawData)), hex(kp.spki), 'the request carries the key pair');
        o = await R.type('crypto ca import LAB certificate', ...pasted(await ca.sign(csrPem!)));
        ok(o.includes('% Router certificate installed in trustpoint LAB (key pair the_default)'), o);
        ok(!o.includes('private key'), `no key asked:\n${o}`);
        o = await R.type('show crypto ca certificates LAB');
        ok(o.includes('Router certificate') && o.includes('  Key pair       : the_default') && o.includes('present (not exportable)'), o);
        o = await R.type(...tunnelConfig(side));
        ok(!/%/.test(o), o);
      }
      await until(time, () => upActive(A.r) && upActive(B.r), 30_000, 'UP-ACTIVE');
      for (const R of [A, B]) ok(/Authentication\(Sign\/Verify\)\s+: RSA\/RSA/.test(await R.type('show ikev2 session detail')), 'RSA/RSA');
      // the private key never appears: not in any output, nor in the running configuration
      const keyLines = (R: typeof A) => R.r.trustpoints.keys.get('the_default')!.material().privateKey.split('\n').filter((l) => l && !l.startsWith('-----'));
      for (const R of [A, B]) {
        const all = R.output() + (await R.type('show running-config'));
        ok(!keyLines(R).some((l) => all.includes(l)) && !all.includes('PRIVATE KEY'), 'no key material shown');
      }
    });

    it('saved material carries the key pairs: a new store restores the certificate with its key pair; a missing pair is refused', async () => {
      const time = new VirtualTime(START.getTime());
      const { r, type } = await bareRouter(time, new SimWire(time, 1));
      await type('configure', 'crypto ca trustpoint LAB', ' enrollment terminal', ' subject-name CN=r.example.com', ' rsakeypair RK', 'commit', 'end',
        'crypto key generate rsa general-keys RK', '3072', 'crypto ca authenticate LAB', ...pasted(ca.pem), 'yes');
      const o = await type('crypto ca enroll LAB');
      await type('crypto ca import LAB certificate', ...pasted(await ca.sign(csrOf(o)!)));
      const saved = JSON.parse(JSON.stringify(r.trustpoints.material()));
      equal(JSON.stringify(saved.map((m: { kind?: string; name?: string; label?: string }) => m.kind ?? m.name)), '["rsa-keypair","LAB"]', 'key pair first, then the trustpoint');
      const tp = saved[1];
      equal(tp.keypair, 'RK', 'the trustpoint names its key pair');
      ok(tp.privateKey === undefined && tp.certificate.includes('BEGIN CERTIFICATE'), 'no key copy in the trustpoint');
      const again = new TrustpointStore();
      equal((await again.restore(saved)).length, 0, 'restored');
      equal(again.keys.get('RK')!.bits, 3072, '3072 bits');
      equal(again.get('LAB')!.keyPairLabel, 'RK', 'certificate with its key pair');
      ok(again.get('LAB')!.privateKey, 'can sign');
      const third = new TrustpointStore();
      const errors = await third.restore([saved[1]]);
      equal(JSON.stringify(errors), '["trustpoint LAB: key pair RK of its router certificate is missing"]', 'missing key pair');
    });

    it('refusals, one line each: labels, modulus, enroll without key pair/CA/method, foreign certificates, zeroize of a key in use', async () => {
      const time = new VirtualTime(START.getTime());
      const { r, type, con } = await bareRouter(time, new SimWire(time, 1));
      await type('configure', 'hostname R9', 'crypto ca trustpoint LAB', ' enrollment terminal', '!', 'crypto ca trustpoint NOENR', '!',
        'crypto ca trustpoint SCEP', ' enrollment url http://ca.example.com', '!', 'commit', 'end');
      let o = await type('show crypto key mypubkey rsa');
      equal(o.replace(/^.*UTC\n/, ''), '', 'no keys: nothing shown');
      o = await type('show crypto key mypubkey rsa NOPE');
      ok(o.includes('% Key pair NOPE does not exist'), o);
      o = await type('crypto key zeroize rsa NOPE');
      ok(o.includes('% Key pair NOPE does not exist'), o);
      o = await type('crypto key zeroize rsa');
      ok(o.includes('% No RSA keys to remove'), o);
      o = await type('crypto key generate rsa K1', '1024');
      ok(o.includes("% Invalid modulus size '1024'") && !r.trustpoints.keys.get('K1'), o);
      o = await type('crypto key generate rsa K1', 'many');
      ok(o.includes("% Invalid modulus size 'many'"), o);
      o = await type('crypto ca enroll LAB');
      ok(o.includes('% Trustpoint LAB has no CA certificate: authenticate it first'), o);
      await type('crypto ca authenticate LAB', ...pasted(ca.pem), 'yes', 'crypto ca authenticate NOENR', ...pasted(ca.pem), 'yes');
      o = await type('crypto ca enroll LAB');
      ok(o.includes('% Trustpoint LAB uses key pair the_default, which does not exist: generate it first (crypto key generate rsa general-keys)'), o);
      o = await type('crypto ca enroll NOENR');
      ok(o.includes("% Trustpoint NOENR has no enrollment method: configure 'enrollment terminal'"), o);
      o = await type('crypto ca enroll SCEP');
      ok(o.includes('% Enrollment URL http://ca.example.com is not supported (SCEP is not built)'), o);
      o = await type('crypto ca enroll NOPE');
      ok(o.includes('% Trustpoint NOPE is not configured'), o);
      await type('crypto key generate rsa', '', 'crypto key generate rsa OTHER', '2048');
      o = await type('crypto ca enroll LAB');
      ok(o.includes('% The subject name in the certificate will be: CN=R9'), `default subject CN=hostname:\n${o}`);
      const certDefault = await ca.sign(csrOf(o)!);
      // a certificate of another key pair of this router: refused, with the rsakeypair that would take it
      await type('configure', 'crypto ca trustpoint LAB', ' rsakeypair OTHER', 'commit', 'end');
      const certOther = await ca.sign(csrOf(await type('crypto ca enroll LAB'))!);
      await type('configure', 'crypto ca trustpoint LAB', ' no rsakeypair OTHER', 'commit', 'end');
      o = await type('crypto ca import LAB certificate', ...pasted(certOther));
      ok(o.includes("% Certificate refused: its public key is key pair OTHER, but trustpoint LAB uses key pair the_default (configure 'rsakeypair OTHER' to use it)"), o);
      ok(!r.trustpoints.get('LAB')!.certificate, 'nothing installed');
      // a certificate of no key pair here: its private key is asked for (certificates made elsewhere)
      const foreign = await ca.sign(csrOf(await (async () => {
        const other = await bareRouter(time, new SimWire(time, 2));
        await other.type('configure', 'crypto ca trustpoint LAB', ' enrollment terminal', 'commit', 'end', 'crypto key generate rsa', '',
          'crypto ca authenticate LAB', ...pasted(ca.pem), 'yes');
        return other.type('crypto ca enroll LAB');
      })())!);
      o = await type('crypto ca import LAB certificate', ...pasted(foreign));
      ok(o.includes("% The certificate's public key is not a key pair of this router"), o);
      equal(con.prompt, '', 'waiting for the key paste');
      o = await type('quit');
      ok(o.includes('% Invalid private key'), o);
      o = await type('crypto ca import LAB certificate', ...pasted(certDefault));
      ok(o.includes('installed in trustpoint LAB (key pair the_default)'), o);
      // zeroizing (or replacing) a key in use: the router says which certificate goes with it and asks
      o = await type('crypto key zeroize rsa the_default');
      ok(o.includes('% Key pair the_default is in use by the router certificate of trustpoint LAB: zeroizing it removes that certificate'), o);
      equal(con.prompt, 'Do you really want to remove these keys ?? [yes/no]: ', 'asks');
      o = await type('no');
      ok(o.includes('% Zeroize aborted') && r.trustpoints.get('LAB')!.certificate, o);
      o = await type('crypto key generate rsa');
      ok(o.includes('% You already have keys defined for the_default') && o.includes('replacing it removes that certificate'), o);
      equal(con.prompt, 'Do you really want to replace them? [yes/no]: ', 'asks to replace');
      o = await type('no');
      ok(o.includes('% Key generation aborted') && r.trustpoints.get('LAB')!.certificate, o);
      const kp = r.trustpoints.keys.get('the_default')!;
      const bytes = kp.pkcs8Der();
      o = await type('crypto key zeroize rsa the_default', 'yes');
      ok(o.includes('% Router certificate of trustpoint LAB removed with key pair the_default'), o);
      ok(!r.trustpoints.get('LAB')!.certificate && r.trustpoints.get('LAB')!.caCertificates.length === 1, 'the CA certificate stays');
      ok(bytes.every((b) => b === 0) && !r.trustpoints.keys.get('the_default'), 'wiped');
      o = await type('show crypto key mypubkey rsa');
      ok(o.includes('Key label: OTHER') && !o.includes('the_default'), o);
      o = await type('crypto key zeroize rsa', 'yes', 'show crypto key mypubkey rsa');
      ok(!o.includes('Key label'), `all keys zeroized:\n${o}`);
    });
  });
}
