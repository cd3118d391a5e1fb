// webswan's IKEv2 certificate authentication against strongSwan 5.9.8 (charon with kernel-libipsec) in network
// namespaces, both roles: RFC 7296 §3.6/§3.7 CERT and CERTREQ with X.509 made by strongSwan's `pki`, RFC 7427
// Digital Signature AUTH (method 14) with SHA-256 and SHA-384, RFC 7383 IKE fragmentation (SKF, payload 53)
// in both directions, RFC 8784 manual PPK on top of certificates, and the refusals (a CA the verifier does
// not trust, an expired certificate) with each verifier's reason. tshark decrypts every capture with
// webswan's --keylog. webswan is configured only with IOS XR commands; its certificates are pasted into
// `crypto ca authenticate` / `crypto ca import` on its console. Helpers: test/support/interop-cert.ts.
// Needs root (namespaces); skipped only when not root.
import { describe, it, type TestContext } from 'node:test';
import { canUseNetns, sleep, withTopology } from '../support/netns.js';
import { pingFrom, tsharkDecrypt } from '../support/strongswan-peer.js';
import { equal, ok } from '../support/assert.js';
import { PPK_ID, PPK_X, S_ADDR, S_INNER, W_ADDR, W_INNER, diagnostics, waitCharonLog, waitTrace, waitUp } from '../support/interop.js';
import {
  type CertCase, type CertPair, type CertSet, A_FQDN, B_FQDN, TRUSTPOINT, certSet, charonAuthScheme, startCertPair, tunnelUp,
} from '../support/interop-cert.js';

const timings: string[] = [];
type Role = 'webswan' | 'strongswan';
const ROLES: Role[] = ['webswan', 'strongswan'];

function skipUnlessRoot(t: TestContext): boolean {
  if (process.getuid?.() !== 0) { t.skip('needs root for network namespaces'); return true; }
  ok(canUseNetns(), 'root but `ip netns` does not work');
  return false;
}

async function inCertPair(t: TestContext, make: (s: CertSet) => CertCase | Promise<CertCase>, fn: (p: CertPair) => Promise<void>): Promise<void> {
  if (skipUnlessRoot(t)) return;
  const set = await certSet();
  const t0 = Date.now();
  try {
    const c = await make(set);
    await withTopology(async (topo) => fn(await startCertPair(topo, c)));
  } finally {
    timings.push(`${t.name.split(' ')[0]} ${Date.now() - t0}`);
  }
}

/** Up in the case's roles; SPIs, roles and identities agree; webswan shows RSA/RSA. */
async function up(p: CertPair): Promise<void> {
  if (p.cert.initiator === 'strongswan') {
    const r = await p.charon.initiate('net', 'tun', { check: false, timeoutMs: 8000 });
    ok(/initiate completed successfully/.test(r.stdout), `swanctl --initiate: ${r.stdout}${await diagnostics(p)}`);
  }
  const { sw, ws } = await waitUp(p, 10_000);
  equal(sw.initiator, p.cert.initiator === 'strongswan', 'strongSwan role');
  equal(ws.fields.Role, p.cert.initiator === 'strongswan' ? 'Responder' : 'Initiator', 'webswan role');
  equal(ws.fields['Local SPI'].toLowerCase(), sw.initiator ? sw.responderSpi : sw.initiatorSpi, 'IKE SPI');
  equal(sw.localId, B_FQDN, 'strongSwan local id');
  equal(sw.remoteId, A_FQDN, 'strongSwan remote id (matched against the SAN of webswan\'s certificate)');
  equal(ws.fields['Local ID'], A_FQDN, 'webswan Local ID');
  equal(ws.fields['Remote ID'], B_FQDN, 'webswan Remote ID');
  equal(ws.fields['Authentication(Sign/Verify)'], 'RSA/RSA', 'show ikev2 session detail: Authentication(Sign/Verify)');
}

/** Pings both ways, all answered, and both ends' packet and byte counters agree. */
async function pingBothWays(p: CertPair, count = 3): Promise<void> {
  const a = await pingFrom(p.s, S_INNER, W_INNER, count, { intervalS: 0.05 });
  equal(a.received, count, `ping from strongSwan's side (${a.output})${await diagnostics(p)}`);
  const b = await p.webswan.ping(S_INNER, count);
  equal(b.received, count, `webswan ping ${S_INNER}: ${b.output}${await diagnostics(p)}`);
  const [sw] = await p.charon.listSas();
  const c = sw.children.find((x) => x.state === 'INSTALLED')!;
  const [ws] = await p.webswan.ipsecSa();
  equal(c.packetsIn, 2 * count, 'strongSwan packets in');
  equal(Number(ws.outbound.Packets), c.packetsIn, 'webswan packets out = strongSwan packets in');
  equal(Number(ws.inbound.Packets), c.packetsOut, 'webswan packets in = strongSwan packets out');
  equal(Number(ws.outbound.Bytes), c.bytesIn, 'webswan bytes out = strongSwan bytes in');
  equal(Number(ws.inbound.Bytes), c.bytesOut, 'webswan bytes in = strongSwan bytes out');
}

/**
 * charon's log names the scheme of each signature: its own (`(myself)`) and the one it verified from webswan,
 * exactly once each; charon also names the CA it trusted.
 */
function charonSchemes(p: CertPair, own: string, peer: string, caDn: string): void {
  const log = p.charon.log();
  equal(charonAuthScheme(log, B_FQDN, true).join(', '), own, `charon's own signature scheme`);
  equal(charonAuthScheme(log, A_FQDN, false).join(', '), peer, `scheme of webswan's signature as charon verified it`);
  ok(log.includes(`using trusted ca certificate "${caDn}"`), `charon trusts "${caDn}"`);
  // the certificate charon took for the id routerA.example.com (RFC 4945 §3.1: the FQDN is its SAN dNSName)
  ok(log.includes(`using certificate "${p.cert.webswanCert.subject}"`), `charon used webswan's certificate for ${A_FQDN}`);
}

interface Decrypted {
  authFrames: number;
  /** SKF frames of IKE_AUTH from each side. */
  fragments: { fromW: number; fromS: number };
  /** The AlgorithmIdentifier of each side's AUTH payload as tshark names it, e.g. `1.2.840.113549.1.1.11 (sha256WithRSAEncryption)`. */
  authAlg: { fromW: string; fromS: string };
  esp: number; frames: string[];
}

/**
 * tshark with webswan's key log: every encrypted IKE message (IKE_AUTH, fragments included) decrypted with a
 * correct checksum, every ESP packet with a correct ICV and ICMP inside; AUTH method 14 and X.509 CERT payloads
 * in the decrypted IKE_AUTH of both sides.
 */
async function checkDecryption(p: CertPair, pings: number): Promise<Decrypted> {
  await p.capture!.stop();
  const v = await tsharkDecrypt(p.capture!.pcap, p.keylog!, ['-V']);
  const frames = v.split(/\n(?=Frame \d+: )/);
  const enc = frames.filter((f) => /Exchange type: (IKE_AUTH|CREATE_CHILD_SA|INFORMATIONAL) \(3[567]\)/.test(f));
  const auth = enc.filter((f) => /Exchange type: IKE_AUTH \(35\)/.test(f));
  ok(auth.length >= 2, `${p.capture!.pcap}: IKE_AUTH frames: ${auth.length}`);
  for (const f of enc) {
    ok(/Decrypted Data/.test(f) && /Integrity Checksum Data: [0-9a-f]+ .*\[correct\]/.test(f),
      `not decrypted with a correct checksum: ${f.split('\n')[0]}\n${f.slice(0, 3000)}`);
  }
  const from = (f: string, src: string) => f.includes(`Internet Protocol Version 4, Src: ${src},`);
  const authAlg = { fromW: '', fromS: '' };
  for (const [src, who, key] of [[W_ADDR, 'webswan', 'fromW'], [S_ADDR, 'strongSwan', 'fromS']] as const) {
    const mine = auth.filter((f) => from(f, src)).join('\n');
    const m = /Authentication Method: Digital Signature \(14\)\n[^]*?ASN\.1 Data: [0-9a-f]+\n\s+SEQUENCE\n\s+OID: (\S+ \(\w+\))/.exec(mine);
    ok(m, `${who}'s IKE_AUTH: AUTH method 14 with an AlgorithmIdentifier\n${mine.slice(-6000)}`);
    authAlg[key] = m[1];
    ok(/Certificate Encoding: X\.509 Certificate - Signature \(4\)/.test(mine), `${who}'s IKE_AUTH: CERT (X.509 - Signature)`);
    const auths = mine.match(/\n\s+Payload: Authentication \(39\)\n/g) ?? [];
    equal(auths.length, 1, `${who}: one IKE_AUTH message decrypted whole (reassembled when fragmented)`);
  }
  const esp = frames.filter((f) => /Encapsulating Security Payload/.test(f));
  ok(esp.length >= 4 * pings, `ESP packets: ${esp.length}`);
  for (const f of esp) {
    ok(/ESP ICV: [0-9a-f]+ .*\[correct\]/.test(f) && /Internet Control Message Protocol/.test(f),
      `ESP not decrypted with a correct ICV: ${f.split('\n')[0]}\n${f.slice(-2500)}`);
  }
  const skf = (src: string) => auth.filter((f) => from(f, src) && /\n\s+Payload: Encrypted and Authenticated Fragment \(53\)\n/.test(f)).length;
  return { authFrames: auth.length, fragments: { fromW: skf(W_ADDR), fromS: skf(S_ADDR) }, authAlg, esp: esp.length, frames };
}

const SHA256_RSA = '1.2.840.113549.1.1.11 (sha256WithRSAEncryption)', SHA384_RSA = '1.2.840.113549.1.1.12 (sha384WithRSAEncryption)';
const roleName = (r: Role) => (r === 'webswan' ? 'webswan initiates' : 'strongSwan initiates');

/** IKE_SA_INIT of both sides announced IKEV2_FRAGMENTATION_SUPPORTED (RFC 7383 §2.3), as tshark reads them. */
function bothAnnounceFragmentation(d: Decrypted): void {
  const init = d.frames.filter((f) => /Exchange type: IKE_SA_INIT \(34\)/.test(f));
  for (const src of [W_ADDR, S_ADDR]) {
    const f = init.find((x) => x.includes(`Internet Protocol Version 4, Src: ${src},`));
    ok(f && /Notify Message Type: IKEV2_FRAGMENTATION_SUPPORTED \(16430\)/.test(f), `IKE_SA_INIT from ${src} announces IKEV2_FRAGMENTATION_SUPPORTED`);
  }
}

/** A failure: nothing up on either side afterwards. */
async function nothingUp(p: CertPair): Promise<void> {
  equal((await p.webswan.sessions()).filter((x) => x.status.startsWith('UP')).length, 0, 'no webswan session up');
  equal((await p.charon.listSas()).filter((x) => x.state === 'ESTABLISHED').length, 0, `no strongSwan IKE SA established${await diagnostics(p)}`);
}

async function charonInitiateFails(p: CertPair): Promise<void> {
  const r = await p.charon.initiate('net', 'tun', { check: false, timeoutMs: 5000 });
  ok(!/completed successfully/.test(r.stdout), `strongSwan's initiate must fail:${r.stdout}${await diagnostics(p)}`);
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('interop with strongSwan 5.9.8: certificate authentication', () => {
  for (const [i, initiator] of ROLES.entries()) {
    it(`1.${i + 1} RSA 2048, SHA-256 certificates, RFC 7427 AUTH, ${roleName(initiator)}: up, pings, RSA_EMSA_PKCS1_SHA2_256 both ways`, async (t) => {
      await inCertPair(t, (s) => ({
        initiator, webswanCa: s.ca, webswanCert: s.a2048, charonCas: [s.ca], charonCert: s.b2048, capture: true,
      }), async (p) => {
        await up(p);
        await pingBothWays(p);
        charonSchemes(p, 'RSA_EMSA_PKCS1_SHA2_256', 'RSA_EMSA_PKCS1_SHA2_256', p.cert.charonCas[0].dn);
        await waitTrace(p, /authentication of 'routerB\.example\.com' with sha256WithRSAEncryption \(method 14\) successful/);
        const d = await checkDecryption(p, 3);
        equal(d.authAlg.fromW, SHA256_RSA, 'tshark: AlgorithmIdentifier of webswan\'s AUTH');
        equal(d.authAlg.fromS, SHA256_RSA, 'tshark: AlgorithmIdentifier of charon\'s AUTH');
      });
    });
  }

  for (const [i, initiator] of ROLES.entries()) {
    it(`2.${i + 1} RSA 3072, SHA-384 certificates and SHA-384 AUTH (charon: auth = pubkey-sha384 both ways), ${roleName(initiator)}`, async (t) => {
      await inCertPair(t, (s) => ({
        initiator, webswanCa: s.ca384, webswanCert: s.a3072, charonCas: [s.ca384], charonCert: s.b3072, capture: true,
        charonLocalAuth: 'pubkey-sha384', charonRemoteAuth: 'pubkey-sha384',
      }), async (p) => {
        await up(p);
        await pingBothWays(p);
        charonSchemes(p, 'RSA_EMSA_PKCS1_SHA2_384', 'RSA_EMSA_PKCS1_SHA2_384', p.cert.charonCas[0].dn);
        await waitTrace(p, /authentication of 'routerB\.example\.com' with sha384WithRSAEncryption \(method 14\) successful/);
        const d = await checkDecryption(p, 3);
        ok(d.fragments.fromW > 1 && d.fragments.fromS > 1, `IKE_AUTH in SKF both ways: ${JSON.stringify(d.fragments)}`);
        equal(d.authAlg.fromW, SHA384_RSA, 'tshark: AlgorithmIdentifier of webswan\'s AUTH');
        equal(d.authAlg.fromS, SHA384_RSA, 'tshark: AlgorithmIdentifier of charon\'s AUTH');
      });
    });
  }

  // RFC 7383: with RSA 3072 keys, CERT + CERTREQ + AUTH exceed 1280 bytes; charon unconstrained signs with
  // the hash that matches its key strength, webswan with its certificate's hash
  for (const [i, initiator] of ROLES.entries()) {
    it(`3.${i + 1} fragmented IKE_AUTH (RSA 3072 + CERT + CERTREQ > 1280 bytes), ${roleName(initiator)}: SKF (53) both directions`, async (t) => {
      await inCertPair(t, (s) => ({
        initiator, webswanCa: s.ca384, webswanCert: s.a3072, charonCas: [s.ca384], charonCert: s.b3072, capture: true,
      }), async (p) => {
        await up(p);
        await pingBothWays(p, 2);
        charonSchemes(p, 'RSA_EMSA_PKCS1_SHA2_256', 'RSA_EMSA_PKCS1_SHA2_384', p.cert.charonCas[0].dn);
        const frag = p.charon.log().match(/(generating|parsed) IKE_AUTH (request|response) 1 \[ EF\(\d\/\d\) \]/g) ?? [];
        ok(frag.some((l) => l.startsWith('generating')) && frag.some((l) => l.startsWith('parsed')), `charon sent and received EF: ${frag.join('; ')}`);
        const d = await checkDecryption(p, 2);
        bothAnnounceFragmentation(d);
        equal(d.authAlg.fromW, SHA384_RSA, 'tshark: AlgorithmIdentifier of webswan\'s AUTH');
        equal(d.authAlg.fromS, SHA256_RSA, 'tshark: AlgorithmIdentifier of charon\'s AUTH');
        ok(d.fragments.fromW >= 2, `webswan → charon: IKE_AUTH in ${d.fragments.fromW} SKF fragments`);
        ok(d.fragments.fromS >= 2, `charon → webswan: IKE_AUTH in ${d.fragments.fromS} SKF fragments`);
        const plain = d.frames.filter((f) => /Exchange type: IKE_AUTH \(35\)/.test(f) && /\n\s+Payload: Encrypted and Authenticated \(46\)\n/.test(f));
        equal(plain.length, 0, 'no IKE_AUTH message in a plain SK payload');
        const big = d.frames.map((f) => Number(/\[Reassembled ISAKMP length: (\d+)\]/.exec(f)?.[1] ?? 0)).filter((n) => n);
        ok(big.length === 2 && big.every((n) => n > 1280), `both IKE_AUTH messages reassembled, each above 1280 bytes: ${big}`);
        const ipLen = d.frames.filter((f) => /Payload: Encrypted and Authenticated Fragment \(53\)/.test(f)).map((f) => Number(/Total Length: (\d+)/.exec(f)![1]));
        ok(ipLen.every((n) => n <= 1280), `every SKF datagram fits in 1280 bytes of IPv4: ${ipLen}`);
      });
    });
  }

  for (const [i, initiator] of ROLES.entries()) {
    it(`4.${i + 1} certificates + manual PPK (RFC 8784, required both sides), ${roleName(initiator)}: Quantum resistance enabled`, async (t) => {
      await inCertPair(t, (s) => ({
        initiator, webswanCa: s.ca, webswanCert: s.a2048, charonCas: [s.ca], charonCert: s.b2048, capture: true,
        ppkWebswan: { id: PPK_ID, key: PPK_X, required: true }, ppkStrongswan: { id: PPK_ID, key: PPK_X, required: true },
      }), async (p) => {
        await up(p);
        const [sw] = await p.charon.listSas();
        equal(sw.ppk, true, 'strongSwan lists the IKE SA with ppk=yes');
        const [ws] = await p.webswan.sessions(true);
        equal(ws.fields['Quantum resistance'], 'Enabled with manual PPK', 'webswan Quantum resistance');
        await waitCharonLog(p, new RegExp(`using PPK for PPK_ID '${PPK_ID}'`));
        // PPK_IDENTITY both ways, and no NO_PPK_AUTH (charon: N(NO_PPK)) as both sides require the PPK
        const req = /(?:parsed|generating) IKE_AUTH request 1 \[ (IDi [^\]]*)\]/.exec(p.charon.log())?.[1] ?? '';
        const resp = /(?:parsed|generating) IKE_AUTH response 1 \[ (IDr [^\]]*)\]/.exec(p.charon.log())?.[1] ?? '';
        ok(req.includes('N(PPK_ID)') && !req.includes('N(NO_PPK)'), `IKE_AUTH request: [ ${req}]`);
        ok(resp.includes('N(PPK_ID)'), `IKE_AUTH response: [ ${resp}]`);
        charonSchemes(p, 'RSA_EMSA_PKCS1_SHA2_256', 'RSA_EMSA_PKCS1_SHA2_256', p.cert.charonCas[0].dn);
        await pingBothWays(p);
        const d = await checkDecryption(p, 3);
        equal(`${d.authAlg.fromW} / ${d.authAlg.fromS}`, `${SHA256_RSA} / ${SHA256_RSA}`, 'tshark: AlgorithmIdentifiers of both AUTH payloads');
      });
    });
  }

  // 5.1/5.2: each side's certificate comes from a CA the other does not trust; the responder verifies first
  it('5.1 wrong CAs, webswan initiates: charon does not trust webswan\'s issuer → AUTHENTICATION_FAILED', async (t) => {
    await inCertPair(t, (s) => ({
      initiator: 'webswan', webswanCa: s.otherCa, webswanCert: s.aOther, charonCas: [s.ca], charonCert: s.b2048,
    }), async (p) => {
      const set = await certSet();
      await waitCharonLog(p, new RegExp(`no issuer certificate found for "${esc(set.aOther.subject)}"`));
      await waitCharonLog(p, new RegExp(`issuer is "${esc(set.otherCa.dn)}"`));
      await waitCharonLog(p, /no trusted RSA public key found for 'routerA\.example\.com'/);
      await waitCharonLog(p, /generating IKE_AUTH response 1 \[ N\(AUTH_FAILED\) \]/);
      await waitTrace(p, /IKE_AUTH failed: peer answered AUTHENTICATION_FAILED/);
      await nothingUp(p);
    });
  });

  it('5.2 wrong CAs, strongSwan initiates: webswan does not trust charon\'s issuer → AUTHENTICATION_FAILED, trace names it', async (t) => {
    await inCertPair(t, (s) => ({
      initiator: 'strongswan', webswanCa: s.otherCa, webswanCert: s.aOther, charonCas: [s.ca], charonCert: s.b2048,
    }), async (p) => {
      const set = await certSet();
      await charonInitiateFails(p);
      await waitCharonLog(p, /parsed IKE_AUTH response 1 \[ N\(AUTH_FAILED\) \]/);
      await waitCharonLog(p, /received AUTHENTICATION_FAILED notify error/);
      const m = await waitTrace(p, /AUTHENTICATION_FAILED: (.*)/);
      ok(m[1] === `certificate of ${B_FQDN} is from an unknown CA (trustpoint ${TRUSTPOINT}): issuer '${set.ca.dn}' of '${set.b2048.subject}' is not a trusted CA`,
        `webswan's reason names the untrusted issuer: ${m[0]}`);
      await nothingUp(p);
    });
  });

  it('5.3 identity not in the certificate (IDi routerC.example.com, SAN routerA.example.com), webswan initiates: charon refuses', async (t) => {
    await inCertPair(t, (s) => ({
      initiator: 'webswan', webswanId: 'routerC.example.com', webswanCa: s.ca, webswanCert: s.a2048, charonCas: [s.ca], charonCert: s.b2048,
    }), async (p) => {
      // RFC 4945 §3.1: the ID must be in the certificate; charon finds no certificate for routerC among what it got
      await waitCharonLog(p, /no trusted RSA public key found for 'routerC\.example\.com'/);
      await waitCharonLog(p, /generating IKE_AUTH response 1 \[ N\(AUTH_FAILED\) \]/);
      ok(!/using certificate "/.test(p.charon.log()), 'charon used no certificate for routerC.example.com');
      await waitTrace(p, /IKE_AUTH failed: peer answered AUTHENTICATION_FAILED/);
      // webswan warned before signing, naming what the certificate carries
      await waitTrace(p, /warning: our identity routerC\.example\.com is not in our own certificate \(fqdn routerC\.example\.com is not a subjectAltName dNSName of '[^']+' \(has routerA\.example\.com\)\)/);
      await nothingUp(p);
    });
  });

  it('6.1 expired certificate, strongSwan initiates with it: webswan refuses, its trace says expired with the dates', async (t) => {
    await inCertPair(t, (s) => ({
      initiator: 'strongswan', webswanCa: s.ca, webswanCert: s.a2048, charonCas: [s.ca], charonCert: s.bExpired,
    }), async (p) => {
      await charonInitiateFails(p);
      await waitCharonLog(p, /received AUTHENTICATION_FAILED notify error/);
      const { bExpired } = await certSet();
      const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');
      const m = await waitTrace(p, /AUTHENTICATION_FAILED: (.*)/);
      ok(m[1].startsWith(`certificate of ${B_FQDN} expired ${iso(bExpired.notAfter).slice(0, 10)}: `) &&
        m[1].includes(`certificate '${bExpired.subject}' expired on ${iso(bExpired.notAfter)} (now ${new Date().getUTCFullYear()}-`),
      `webswan's reason names the end of validity openssl reads (${iso(bExpired.notAfter)}): ${m[0]}`);
      await nothingUp(p);
    });
  });

  it('6.2 certificate that expired after import, webswan initiates with it: charon refuses it (valid from … to …)', async (t) => {
    let expiresAt = 0;
    await inCertPair(t, async (s) => {
      expiresAt = Math.ceil((Date.now() + 5000) / 1000) * 1000;
      const cert = await s.issueA(new Date(expiresAt), 'short');
      return { initiator: 'webswan', webswanCa: s.ca, webswanCert: cert, charonCas: [s.ca], charonCert: s.b2048, keepShutdown: true };
    }, async (p) => {
      ok(Date.now() < expiresAt, 'imported while still valid');
      await sleep(expiresAt - Date.now() + 1100);
      await tunnelUp(p.webswan);
      // charon's %T: `Nov 28 00:30:33 2026` in local time (charon and this process share the time zone)
      const two = (n: number) => String(n).padStart(2, '0');
      const sw = (d: Date) => `${d.toLocaleString('en-US', { month: 'short' })} ${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} ${d.getFullYear()}`;
      const c = p.cert.webswanCert;
      await waitCharonLog(p, new RegExp(`subject certificate invalid \\(valid from ${esc(sw(c.notBefore))} to ${esc(sw(c.notAfter))}\\)`));
      await waitCharonLog(p, /generating IKE_AUTH response 1 \[ N\(AUTH_FAILED\) \]/);
      await waitTrace(p, /IKE_AUTH failed: peer answered AUTHENTICATION_FAILED/);
      await nothingUp(p);
    });
  });

  // 7.x: certificates from an intermediate CA; the verifier trusts only the root and gets the intermediate in a CERT
  it('7.1 webswan\'s certificate from an intermediate CA, charon trusts only the root: webswan sends the intermediate, up', async (t) => {
    await inCertPair(t, (s) => ({
      initiator: 'webswan', webswanCa: s.subBundle, webswanCert: s.aSub, charonCas: [s.ca], charonCert: s.b2048,
    }), async (p) => {
      const set = await certSet();
      await waitUp(p);
      ok(/generating IKE_AUTH request 1 \[ IDi CERT CERT /.test(await p.webswan.trace()), `webswan sends its certificate and the intermediate${await diagnostics(p)}`);
      const log = p.charon.log();
      ok(log.includes(`using untrusted intermediate certificate "${set.subCa.dn}"`), `charon builds the path through the intermediate webswan sent${await diagnostics(p)}`);
      ok(log.includes(`using trusted ca certificate "${set.ca.dn}"`), 'up to the root it trusts');
      await pingBothWays(p, 3);
    });
  });

  it('7.2 charon\'s certificate from an intermediate CA (sent with it), webswan trusts only the root: webswan validates through it, up', async (t) => {
    await inCertPair(t, (s) => ({
      initiator: 'strongswan', webswanCa: s.ca, webswanCert: s.a2048, charonCas: [s.ca], charonCert: s.bSub, charonIntermediates: [s.subCa],
    }), async (p) => {
      const r = await p.charon.initiate('net', 'tun', { check: false, timeoutMs: 8000 });
      ok(/initiate completed successfully/.test(r.stdout), `swanctl --initiate: ${r.stdout}${await diagnostics(p)}`);
      await waitUp(p);
      const trace = await p.webswan.trace();
      ok(/parsed IKE_AUTH request 1 \[ IDi CERT CERT /.test(trace), `charon sends its certificate and the intermediate${await diagnostics(p)}`);
      ok(trace.includes(`authentication of '${B_FQDN}' with`), `webswan verified charon's signature${await diagnostics(p)}`);
      await pingBothWays(p, 3);
    });
  });
});

process.on('exit', () => { if (timings.length) console.log(`# interop-cert timings (case ms): ${timings.join(', ')}`); });
