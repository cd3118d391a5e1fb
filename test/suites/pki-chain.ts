// The CERT payloads a router sends (src/router/plan.ts ownChain, RFC 7296 §3.6): its certificate and the
// trustpoint's intermediates above it, so a peer that trusts only the root can build the path — also when two
// intermediates share a name (a CA renewed with a new key) or a cross-certificate sits in the trustpoint. The
// verdict is the peer's validateChain over what was sent (signatures checked by WebCrypto); certificates are
// made here with @peculiar/x509's generator.
import * as x509 from '../../src/pki/x509.js';
import { Trustpoint, validateChain } from '../../src/pki/trustpoint.js';
import { toPem } from '../../src/pki/certificate.js';
import { ownChain } from '../../src/router/plan.js';
import { ok } from '../support/assert.js';

const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
type Issuer = { keys: CryptoKeyPair; x: x509.X509Certificate };
let serial = 1;
const gen = async () => crypto.subtle.generateKey(alg, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
const caExt = () => [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)];
const validity = () => { const now = Date.now(); return { notBefore: new Date(now - 60_000), notAfter: new Date(now + 86_400_000) }; };

async function root(dn: string): Promise<Issuer> {
  const keys = await gen();
  const x = await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: `0${serial++}`, name: dn, ...validity(), keys, signingAlgorithm: alg, extensions: caExt() }, crypto);
  return { keys, x };
}
async function issue(subject: string, keys: CryptoKeyPair, by: Issuer, ca: boolean): Promise<Issuer> {
  const x = await x509.X509CertificateGenerator.create({
    serialNumber: `0${serial++}`, subject, issuer: by.x.subjectName, ...validity(), publicKey: keys.publicKey, signingKey: by.keys.privateKey,
    signingAlgorithm: alg, extensions: ca ? caExt() : [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'a.example' }])],
  }, crypto);
  return { keys, x };
}
async function withLeaf(tp: Trustpoint, leaf: Issuer): Promise<void> {
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', leaf.keys.privateKey));
  await tp.setIdentity(leaf.x.toString('pem'), toPem(pkcs8, 'PRIVATE KEY'));
}
/** What a peer trusting only `anchor` says of the chain `tp` sends. */
async function peerVerdict(tp: Trustpoint, anchor: Issuer): Promise<string> {
  const chain = ownChain(tp);
  const peer = new Trustpoint('PEER');
  await peer.addCa(anchor.x.toString('pem'));
  const r = await validateChain(chain[0], chain.slice(1), peer, new Date());
  return r.ok ? 'ok' : `${r.code}: ${r.reason}`;
}

export function pkiChainSuite(): void {
  describe('pki: the certificates we send (CERT payloads)', () => {
    it('an intermediate renewed under the same name: both go, the peer picks the one that signed our certificate', async () => {
      const r1 = await root('CN=Root One');
      const subOld = await issue('CN=Sub CA', await gen(), r1, true);
      const subNew = await issue('CN=Sub CA', await gen(), r1, true);
      const leaf = await issue('CN=a.example', await gen(), subNew, false);
      const tp = new Trustpoint('A');
      for (const c of [r1, subOld, subNew]) await tp.addCa(c.x.toString('pem'));
      await withLeaf(tp, leaf);
      const v = await peerVerdict(tp, r1);
      ok(v === 'ok', `peer trusting Root One: ${v}`);
      ok(ownChain(tp).length === 3, 'leaf + both Sub CA certificates');
    });

    it('a cross-certificate from another root first in the trustpoint: the peer still finds the path to its root', async () => {
      const [r1, r2] = [await root('CN=Root One'), await root('CN=Root Two')];
      const subKeys = await gen();
      const subCross = await issue('CN=Sub X', subKeys, r2, true);
      const sub1 = await issue('CN=Sub X', subKeys, r1, true);
      const leaf = await issue('CN=a.example', await gen(), sub1, false);
      const tp = new Trustpoint('A');
      for (const c of [r2, subCross, r1, sub1]) await tp.addCa(c.x.toString('pem'));
      await withLeaf(tp, leaf);
      const v = await peerVerdict(tp, r1);
      ok(v === 'ok', `peer trusting Root One: ${v}`);
      const v2 = await peerVerdict(tp, r2);
      ok(v2 === 'ok', `peer trusting Root Two (through the cross-certificate): ${v2}`);
    });
  });
}
