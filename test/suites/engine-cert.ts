// IKEv2 certificate authentication between two in-process routers (issue 6, "Certificates"): a lab CA
// issues certificates for A and B, and the routers' plans get certificates, keys and trustpoints through
// their LocalPolicy (the IOS XR grammar for trustpoints does not exist yet). RFC 7427 method 14 with
// SHA-256/384 (PKCS#1 v1.5 and PSS), method 1, RSA 2048 and 3072, RFC 7383 fragmentation with
// retransmission of every fragment, certificate + manual PPK (and NO_PPK_AUTH with a signature), and the
// refusals: unknown CA, expired certificate, identity not in the SAN, certificate where a PSK is expected.
import { VirtualTime } from '../../src/util/clock.js';
import { env } from '../support/env.js';
import { equal, ok } from '../support/assert.js';
import { SimWire, pairConfig, routerFromText, untilPaced as until, type PairOptions } from '../support/sim.js';
import type { Router } from '../../src/router/router.js';
import type { AuthPlan, LocalPolicy } from '../../src/ike/plan.js';
import { LabCa, type LabKeySize, type LabHash } from '../../src/pki/lab-ca.js';
import { Trustpoint } from '../../src/pki/trustpoint.js';
import { decodeMessage } from '../../src/ike/codec/message.js';
import { PayloadType } from '../../src/ike/codec/constants.js';
import { upActive } from './engine.js';

export const START = new Date(Date.UTC(2026, 0, 1));
export const A_ID = 'routerA.example.com', B_ID = 'routerB.example.com';

/** A trustpoint trusting `ca` with an identity issued by `issuer` (default `ca`) for `fqdn`. */
export async function trustpointFor(ca: LabCa, fqdn: string, o: { bits?: LabKeySize; hash?: LabHash; now?: Date; lifetimeDays?: number; issuer?: LabCa } = {}) {
  const tp = new Trustpoint('LAB');
  await tp.addCa(ca.certificatePem);
  const id = await (o.issuer ?? ca).issue({ fqdn, bits: o.bits, hash: o.hash, now: o.now ?? new Date(START.getTime() - 86_400_000), lifetimeDays: o.lifetimeDays });
  await tp.setIdentity(id.certificatePem, id.privateKeyPem);
  return tp;
}

/** Give a router's plans (initiator and responder) certificate authentication; `extra` overrides. */
export function useCertificates(r: Router, tp: Trustpoint, extra: Partial<AuthPlan> = {}): void {
  const pol = r.policy;
  const tunnels = pol.tunnels.bind(pol), responder = pol.responderPlan.bind(pol);
  const add = <T extends AuthPlan>(p: T): T => ({
    ...p, auth: 'rsa-signature', verify: 'rsa-signature', trustpoint: tp,
    cert: { chain: [tp.certificate!], key: tp.privateKey! }, ...extra,
  });
  pol.tunnels = () => tunnels().map(add);
  pol.responderPlan = (l, a, id) => { const p = responder(l, a, id); return 'error' in p ? p : add(p); };
  (pol as LocalPolicy).certificates = () => ({ certReq: tp.certReqHashes() });
}

export const fqdnPair = (o: PairOptions = {}): PairOptions => ({
  idA: `fqdn ${A_ID}`, idB: `fqdn ${B_ID}`, matchA: `fqdn ${B_ID}`, matchB: `fqdn ${A_ID}`, ...o,
});

async function certPair(tpA: Trustpoint, tpB: Trustpoint, o: { pair?: PairOptions; a?: Partial<AuthPlan>; b?: Partial<AuthPlan>; seed?: number } = {}) {
  const { core } = await env();
  const time = new VirtualTime(START.getTime());
  const wire = new SimWire(time, o.seed ?? 1);
  const a = routerFromText(core, time, wire, pairConfig('A', fqdnPair(o.pair)));
  const b = routerFromText(core, time, wire, pairConfig('B', fqdnPair(o.pair)));
  useCertificates(a, tpA, o.a);
  useCertificates(b, tpB, o.b);
  return { time, wire, a, b };
}

async function run(time: VirtualTime, ms: number): Promise<void> {
  const end = time.ms + ms;
  await until(time, () => time.ms >= end, ms + 1, 'run');
}

const traceOf = (r: Router) => r.traceLog.map((e) => e.text).join('\n');

function has(r: Router, re: RegExp, what: string): void {
  ok(re.test(traceOf(r)), `${what}: ${re} not in the trace of ${r.store.running.hostname}:\n${traceOf(r).slice(-3000)}`);
}

export async function pingOk(time: VirtualTime, r: Router, dst: string, count = 3): Promise<number> {
  let n = 0, done = false;
  void r.ops.ping({ destination: dst, count, size: 100, timeoutSec: 2 }, (x) => { if (x.ok) n++; }).then(() => { done = true; });
  await until(time, () => done, 60_000, 'ping');
  return n;
}

export function engineCertSuite(): void {
  describe('IKEv2 engine: certificate authentication (RSA, RFC 7427)', () => {
    let ca: LabCa, otherCa: LabCa;
    let tpA: Trustpoint, tpB: Trustpoint;

    before(async () => {
      const now = new Date(START.getTime() - 30 * 86_400_000);
      [ca, otherCa] = await Promise.all([LabCa.create({ bits: 2048, now, dn: 'C=XX, O=lab, CN=lab Test CA' }),
        LabCa.create({ bits: 2048, now, dn: 'C=XX, O=other, CN=Other CA' })]);
      [tpA, tpB] = await Promise.all([trustpointFor(ca, A_ID), trustpointFor(ca, B_ID)]);
    });

    it('RSA 2048, method 14 with SHA-256: CERT, CERTREQ, HASH_ALG; UP-ACTIVE and ping', async () => {
      const { time, a, b } = await certPair(tpA, tpB);
      const sent: { exchange: number; response: boolean; types: number[]; certEnc: number[] }[] = [];
      a.onMessage((e) => {
        if (e.kind === 'ike' && e.dir === 'out') {
          sent.push({ exchange: e.exchange, response: e.response, types: e.payloads.map((p) => p.type),
            certEnc: e.payloads.filter((p) => p.type === PayloadType.CERT || p.type === PayloadType.CERTREQ).map((p) => (p as { encoding: number }).encoding) });
        }
      });
      await until(time, () => upActive(a) && upActive(b), 20_000, 'UP-ACTIVE');
      has(a, /authentication of 'routerA.example.com' \(myself\) with RSA_EMSA_PKCS1_SHA2_256 \(method 14\) successful/, 'A signs');
      has(b, /authentication of 'routerA.example.com' with sha256WithRSAEncryption \(method 14\) successful/, 'B verifies A');
      has(a, /authentication of 'routerB.example.com' with sha256WithRSAEncryption \(method 14\) successful/, 'A verifies B');
      has(b, /using trusted ca certificate "C=XX, O=lab, CN=lab Test CA"/, 'B names the CA');
      has(a, /parsed IKE_SA_INIT response 0 \[[^\]]*CERTREQ[^\]]*N\(HASH_ALG\)/, 'B sends CERTREQ and SIGNATURE_HASH_ALGORITHMS');
      has(a, /generating IKE_SA_INIT request 0 \[[^\]]*N\(HASH_ALG\)/, 'A sends SIGNATURE_HASH_ALGORITHMS');
      const authReq = sent.find((m) => m.exchange === 35 && !m.response)!;
      ok(authReq.types.includes(PayloadType.CERT) && authReq.types.includes(PayloadType.CERTREQ), `IKE_AUTH request payloads ${authReq.types}`);
      equal(authReq.certEnc.join(','), '4,4', 'CERT and CERTREQ with encoding 4');
      equal(await pingOk(time, a, '192.0.2.2'), 3, 'ping through the tunnel');
      equal(a.ops.ikeSessions()[0].ikeSas[0].localId ?? A_ID, A_ID, 'local id');
    });

    it('RSA 3072 keys with SHA-384 signatures', async () => {
      const [a3, b3] = await Promise.all([trustpointFor(ca, A_ID, { bits: 3072, hash: 'sha384' }), trustpointFor(ca, B_ID, { bits: 3072, hash: 'sha384' })]);
      const { time, a, b } = await certPair(a3, b3, { a: { sigHash: 'sha384' }, b: { sigHash: 'sha384' } });
      await until(time, () => upActive(a) && upActive(b), 20_000, 'UP-ACTIVE');
      has(a, /\(myself\) with RSA_EMSA_PKCS1_SHA2_384 \(method 14\) successful/, 'A signs with SHA-384');
      has(b, /with sha384WithRSAEncryption \(method 14\) successful/, 'B verifies SHA-384');
      has(a, /with sha384WithRSAEncryption \(method 14\) successful/, 'A verifies SHA-384');
    });

    it('SHA-512 and RSASSA-PSS signatures (method 14)', async () => {
      const { time, a, b } = await certPair(tpA, tpB, { a: { sigHash: 'sha512' }, b: { sigScheme: 'pss' } });
      await until(time, () => upActive(a) && upActive(b), 20_000, 'UP-ACTIVE');
      has(b, /with sha512WithRSAEncryption \(method 14\) successful/, 'B verifies SHA-512');
      has(a, /with RSASSA-PSS \(SHA-256\) \(method 14\) successful/, 'A verifies PSS');
    });

    it('method 1 (RSA Digital Signature, SHA-1) both ways', async () => {
      const { time, a, b } = await certPair(tpA, tpB, { a: { authMethod: 1 }, b: { authMethod: 1 } });
      await until(time, () => upActive(a) && upActive(b), 20_000, 'UP-ACTIVE');
      has(b, /authentication of 'routerA.example.com' with RSA signature with SHA-1 \(method 1\) successful/, 'B verifies method 1');
      has(a, /authentication of 'routerB.example.com' with RSA signature with SHA-1 \(method 1\) successful/, 'A verifies method 1');
    });

    it('fragmented IKE_AUTH (RFC 7383): low threshold, a lost fragment, all fragments retransmitted', async () => {
      const { time, wire, a, b } = await certPair(tpA, tpB, { a: { fragmentSize: 576 }, b: { fragmentSize: 576 } });
      let aTo4500 = 0, droppedOne = false;
      wire.filter = (d) => {
        if (d.src === '10.77.0.1' && d.dport === 4500 && ++aTo4500 === 2) { droppedOne = true; return false; }
        return true;
      };
      const sizes: number[] = [];
      const origFilter = wire.filter;
      wire.filter = (d) => { if (d.dport === 4500 || d.sport === 4500) sizes.push(d.data.length); return origFilter(d); };
      await until(time, () => upActive(a) && upActive(b), 60_000, 'UP-ACTIVE');
      ok(droppedOne, 'a fragment was dropped');
      has(a, /splitting IKE_AUTH request 1 into [3-9] fragments \[ EF\(1\/\d\)/, 'A fragments its IKE_AUTH request');
      has(b, /splitting IKE_AUTH response 1 into [3-9] fragments/, 'B fragments its IKE_AUTH response');
      has(a, /retransmitting IKE_AUTH request 1/, 'A retransmits');
      // the IKE packet (IPv4 20 + UDP 8 + the 4500 datagram including the non-ESP marker) stays within 576
      ok(sizes.every((s) => s + 28 <= 576), `datagram sizes ${sizes.join(',')}`);
      const frag = wire.log.find((e) => e.d.dport === 4500 && e.d.data.length > 4 && decodeMessage(e.d.data.subarray(4)).ok
        && (decodeMessage(e.d.data.subarray(4)) as { value: { payloads: { type: number }[] } }).value.payloads.some((p) => p.type === PayloadType.SKF));
      ok(frag, 'SKF payloads on the wire');
      equal(await pingOk(time, a, '192.0.2.2'), 3, 'ping');
    });

    it('default threshold 1280: a 2048-bit certificate already fragments IKE_AUTH, like strongSwan', async () => {
      const { time, a, b } = await certPair(tpA, tpB);
      await until(time, () => upActive(a) && upActive(b), 20_000, 'UP-ACTIVE');
      has(a, /splitting IKE_AUTH request 1 into 2 fragments/, 'two fragments');
    });

    it('certificate + manual PPK (required): Quantum resistance enabled', async () => {
      const ppk = 'ppk manual id ppktestid key 0123456789abcdef0123456789abcdef required';
      const { time, a, b } = await certPair(tpA, tpB, { pair: { ppkA: ppk, ppkB: ppk } });
      await until(time, () => upActive(a) && upActive(b), 20_000, 'UP-ACTIVE');
      equal(a.ops.ikeSessions()[0].ikeSas[0].quantumResistance, 'Enabled with manual PPK', 'A');
      equal(b.ops.ikeSessions()[0].ikeSas[0].quantumResistance, 'Enabled with manual PPK', 'B');
      has(b, /with sha256WithRSAEncryption \(method 14\) successful/, 'signature with the PPK keys');
      equal(await pingOk(time, a, '192.0.2.2'), 3, 'ping');
    });

    it('certificate + optional PPK the responder lacks: NO_PPK_AUTH carries a signature', async () => {
      const { time, a, b } = await certPair(tpA, tpB, {
        pair: { ppkA: 'ppk manual id ppkA key 0123456789abcdef0123456789abcdef', ppkB: 'ppk manual id otherid key fedcba9876543210fedcba9876543210' },
      });
      await until(time, () => upActive(a) && upActive(b), 20_000, 'UP-ACTIVE');
      has(b, /using NO_PPK_AUTH/, 'B falls back to NO_PPK_AUTH');
      has(b, /authentication of 'routerA.example.com' with sha256WithRSAEncryption \(method 14\) successful/, 'NO_PPK_AUTH signature verifies');
      equal(a.ops.ikeSessions()[0].ikeSas[0].quantumResistance, 'Disabled', 'no PPK');
    });

    it('wrong CA: AUTHENTICATION_FAILED, the trace says unknown CA', async () => {
      const foreignA = await trustpointFor(ca, A_ID, { issuer: otherCa });
      const { time, a, b } = await certPair(foreignA, tpB);
      await run(time, 5000);
      ok(!upActive(a) && !upActive(b), 'nothing up');
      has(b, /AUTHENTICATION_FAILED: certificate of routerA.example.com is from an unknown CA \(trustpoint LAB\)/, 'B says unknown CA');
      has(a, /peer answered AUTHENTICATION_FAILED/, 'A learns AUTHENTICATION_FAILED');
    });

    it('expired certificate rejected, with the date', async () => {
      const old = await trustpointFor(ca, A_ID, { now: new Date('2024-01-01T00:00:00Z'), lifetimeDays: 366 });
      const { time, a, b } = await certPair(old, tpB);
      await run(time, 5000);
      ok(!upActive(a) && !upActive(b), 'nothing up');
      has(b, /AUTHENTICATION_FAILED: certificate of routerA.example.com expired 2025-01-01/, 'B says expired');
      has(a, /peer answered AUTHENTICATION_FAILED/, 'A learns AUTHENTICATION_FAILED');
    });

    it('identity not in the SAN rejected', async () => {
      const { time, a, b } = await certPair(tpA, tpB, { pair: { idA: 'fqdn routerX.example.com', matchB: 'fqdn routerX.example.com' } });
      await run(time, 5000);
      ok(!upActive(a) && !upActive(b), 'nothing up');
      has(b, /AUTHENTICATION_FAILED: IDi routerX.example.com not in the certificate's SAN/, 'B says SAN');
    });

    it("responder's certificate from an unknown CA: the initiator refuses it", async () => {
      const foreignB = await trustpointFor(ca, B_ID, { issuer: otherCa });
      const { time, a, b } = await certPair(tpA, foreignB);
      await run(time, 5000);
      ok(!upActive(a), 'A not up');
      has(a, /AUTHENTICATION_FAILED: certificate of routerB.example.com is from an unknown CA/, 'A says unknown CA');
    });

    it('a certificate where the profile expects a pre-shared key is refused', async () => {
      const { time, a, b } = await certPair(tpA, tpB, { b: { verify: 'psk' } });
      await run(time, 5000);
      ok(!upActive(a) && !upActive(b), 'nothing up');
      has(b, /AUTHENTICATION_FAILED: peer uses auth method 14, profile PROF expects pre-shared key/, 'B says why');
    });

    it('certificate one way, pre-shared key the other', async () => {
      const { time, a, b } = await certPair(tpA, tpB, { a: { verify: 'psk' }, b: { auth: 'psk' } });
      await until(time, () => upActive(a) && upActive(b), 20_000, 'UP-ACTIVE');
      has(b, /authentication of 'routerA.example.com' with sha256WithRSAEncryption/, 'B verifies A by certificate');
    });
  });
}
