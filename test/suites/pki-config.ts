// Certificates configured only through IOS XR commands (issue 6, "Certificates"; docs/pki.md): two
// in-process routers get a trustpoint (`crypto ca trustpoint`), the lab CA's certificate pasted into
// `crypto ca authenticate`, their certificate and PKCS#8 key pasted into `crypto ca import … certificate`,
// and an ikev2 profile with `authentication local|remote rsa-signature` + `pki trustpoint` and no keyring.
// Also: `crypto ca enroll` against the built-in lab CA, `show crypto ca certificates`, secrets never
// printed, malformed PEM refused with a clear error.
import { VirtualTime } from '../../src/util/clock.js';
import { env } from '../support/env.js';
import { equal, ok } from '../support/assert.js';
import { SimWire, flush, untilPaced as until } from '../support/sim.js';
import { Router } from '../../src/router/router.js';
import { loadConfig } from '../../src/config/load.js';
import { renderConfig } from '../../src/config/render.js';
import { sameConfig } from '../../src/config/model.js';
import { LabCa, type IssuedIdentity } from '../../src/pki/lab-ca.js';

const START = new Date(Date.UTC(2026, 0, 1));
const A_ID = 'routerA.example.com', B_ID = 'routerB.example.com';

/** A router on `wire` with an empty configuration and a console whose output is collected. */
export async function bareRouter(time: VirtualTime, wire: SimWire, labCa?: LabCa) {
  const { core } = await env();
  const r = new Router({ core, time, wire, labCa });
  wire.attach(r);
  let out = '';
  const con = r.console((t) => { out += t; });
  /** Type lines (each as if entered at the prompt); returns what they printed. */
  const type = async (...lines: string[]): Promise<string> => {
    const from = out.length;
    for (const l of lines) { await con.input(l); await flush(); }
    return out.slice(from);
  };
  return { r, con, type, output: () => out };
}

/** What a user pastes: the PEM lines, then the blank line that ends the paste. */
export const pasted = (pem: string) => [...pem.trim().split('\n'), ''];

export function tunnelConfig(side: 'A' | 'B', ids: { A: string; B: string } = { A: A_ID, B: B_ID }): string[] {
  const me = side === 'A' ? 1 : 2, peer = side === 'A' ? 2 : 1;
  const [myId, peerId] = side === 'A' ? [ids.A, ids.B] : [ids.B, ids.A];
  return [
    'configure',
    'interface GigabitEthernet0/0/0/0', ` ipv4 address 10.77.0.${me} 255.255.255.0`, '!',
    'ikev2 proposal P1', ' encryption aes-cbc-256', ' integrity sha-256', ' prf sha-256', ' dh-group 20', '!',
    'ikev2 policy POL', ` match address local 10.77.0.${me}`, ' proposal P1', '!',
    'ikev2 profile PROF',
    ` identity local fqdn ${myId}`,
    ` match identity remote fqdn ${peerId}`,
    ' authentication local rsa-signature',
    ' authentication remote rsa-signature',
    ' pki trustpoint LAB',
    ' lifetime 600', '!',
    'ipsec transform-set TS', ' transform esp-256-aes esp-hmac-sha-256', ' mode tunnel', '!',
    'ipsec profile IPP', ' set ikev2-profile PROF', ' set transform-set TS', ...(side === 'B' ? [' set responder-only'] : []), '!',
    'interface tunnel-ip1', ` ipv4 address 192.0.2.${me} 255.255.255.0`, ' tunnel mode ipsec ipv4',
    ' tunnel source GigabitEthernet0/0/0/0', ` tunnel destination 10.77.0.${peer}`, ' tunnel protection ipsec profile IPP', '!',
    'commit', 'end',
  ];
}

export const upActive = (r: Router) => r.ops.ikeSessions().some((s) => s.status === 'UP-ACTIVE');

export function pkiConfigSuite(): void {
  describe('IOS XR PKI commands: trustpoints, pasted certificates, rsa-signature profiles', () => {
    let ca: LabCa;
    let idA: IssuedIdentity, idB: IssuedIdentity, idOther: IssuedIdentity;

    before(async () => {
      ca = await LabCa.create({ bits: 2048, now: new Date(START.getTime() - 30 * 86_400_000), dn: 'C=XX, O=lab, CN=lab Test CA' });
      const now = new Date(START.getTime() - 86_400_000);
      [idA, idB, idOther] = await Promise.all([ca.issue({ fqdn: A_ID, now }), ca.issue({ fqdn: B_ID, now }), ca.issue({ fqdn: 'x.example.com', now })]);
    });

    it('the trustpoint submode: prompt, running-config, round trip, no', async () => {
      const time = new VirtualTime(START.getTime());
      const { type, con, r } = await bareRouter(time, new SimWire(time, 1));
      await type('configure', 'crypto ca trustpoint LAB');
      equal(con.prompt, 'RP/0/RP0/CPU0:ios(config-trustp)#', 'prompt');
      const errs = await type(' enrollment url lab://ca', ' subject-name CN=routerA.example.com,O=lab', ' ip-address 10.77.0.1', ' rsakeypair LABKEY', ' crl optional', 'commit');
      ok(!errs.includes('%'), errs);
      const run = await type('do show running-config crypto');
      ok(run.includes('crypto ca trustpoint LAB\n enrollment url lab://ca\n subject-name CN=routerA.example.com,O=lab\n ip-address 10.77.0.1\n rsakeypair LABKEY\n crl optional\n!'), run);
      const text = renderConfig(r.store.running);
      const back = loadConfig(text);
      equal(back.errors.length, 0, JSON.stringify(back.errors));
      ok(sameConfig(back.config, r.store.running), 'round trip');
      await type('no crypto ca trustpoint LAB', 'commit');
      const after = await type('do show running-config');
      ok(!after.includes('trustpoint'), after);
    });

    it('two routers configured only by commands reach UP-ACTIVE with RSA/RSA; no keyring, secrets never shown', async () => {
      const time = new VirtualTime(START.getTime());
      const wire = new SimWire(time, 1);
      const A = await bareRouter(time, wire), B = await bareRouter(time, wire);
      for (const [R, side, id] of [[A, 'A', idA], [B, 'B', idB]] as const) {
        const cn = side === 'A' ? A_ID : B_ID;
        let o = await R.type('configure', `hostname ${side}`, 'crypto ca trustpoint LAB', ' enrollment terminal', ` subject-name CN=${cn}`, ' crl optional', '!', 'commit', 'end');
        ok(!o.includes('%'), o);
        o = await R.type('crypto ca authenticate LAB', ...pasted(ca.certificatePem));
        ok(o.includes('Enter the base 64 encoded certificate.') && o.includes('End with a blank line or the word "quit" on a line by itself'), o);
        ok(o.includes('CN=lab Test CA') && o.includes('SHA1 Fingerprint'), `CA shown before accepting:\n${o}`);
        equal(R.con.prompt, 'Do you accept this certificate? [yes/no]: ', 'asks');
        o = await R.type('yes');
        ok(!o.includes('%'), o);
        o = await R.type('crypto ca import LAB certificate', ...pasted(id.certificatePem), ...pasted(id.privateKeyPem));
        ok(o.includes('Enter the private key of this certificate'), o);
        ok(o.includes(`installed in trustpoint LAB`), o);
        o = await R.type(...tunnelConfig(side));
        ok(!/%/.test(o), o);
      }
      await until(time, () => upActive(A.r) && upActive(B.r), 30_000, 'UP-ACTIVE');
      const det = await A.type('show ikev2 session detail');
      ok(/Authentication\(Sign\/Verify\)\s+: RSA\/RSA/.test(det), det);
      const traceA = A.r.traceLog.map((e) => e.text).join('\n');
      ok(traceA.includes(`authentication of '${A_ID}' (myself) with RSA_EMSA_PKCS1_SHA2_256 (method 14) successful`), `SHA-256 certificate, SHA-256 AUTH:\n${traceA}`);
      ok(/Remote ID\s+: routerB\.example\.com/.test(det), det);
      const detB = await B.type('show ikev2 session detail');
      ok(/Authentication\(Sign\/Verify\)\s+: RSA\/RSA/.test(detB), detB);

      const certs = await A.type('show crypto ca certificates');
      ok(certs.includes('Trustpoint       : LAB') && certs.includes('CA certificate') && certs.includes('Router certificate'), certs);
      ok(certs.includes('C=XX, O=webswan lab, CN=routerA.example.com') && certs.includes('Issued By      :'), certs);
      ok(certs.includes(idA.certificate.fingerprint.replace(/:/g, '')), 'SHA-256 fingerprint shown');
      ok(certs.includes('Public Key     : RSA (2048 bits)'), certs);
      ok(certs.includes('Private key    : present (not exportable)'), certs);
      const keyBody = idA.privateKeyPem.split('\n')[1];
      ok(!certs.includes('PRIVATE KEY') && !certs.includes(keyBody), 'no key material in show crypto ca certificates');
      // the console echoes nothing itself; what was pasted is never printed back
      ok(!A.output().includes(keyBody), 'the private key is never printed');
      const run = await A.type('show running-config');
      ok(!run.includes('BEGIN') && !run.includes(keyBody) && !run.includes('keyring'), run);
      ok(run.includes('crypto ca trustpoint LAB') && run.includes(' authentication local rsa-signature') && run.includes(' pki trustpoint LAB'), run);
    });

    it('a certificate from an intermediate CA: the intermediate is sent in a second CERT; a peer trusting only the root accepts', async () => {
      // strongSwan pki vectors (test/vectors/pki): routerS is issued by 'lab Sub CA', itself issued by 'lab Test CA'
      const v = async (n: string) => (await env()).text(`pki/${n}`);
      const time = new VirtualTime(Date.UTC(2027, 5, 1));
      const wire = new SimWire(time, 1);
      const A = await bareRouter(time, wire), B = await bareRouter(time, wire);
      const ids = { A: 'routerS.example.com', B: 'routerA.example.com' };
      const setup: [typeof A, 'A' | 'B', string, string, string][] = [
        [A, 'A', (await v('ca.crt')).trim() + '\n' + (await v('sub-ca.crt')).trim(), await v('routerS.crt'), await v('routerS.key')],
        [B, 'B', await v('ca.crt'), await v('routerA.crt'), await v('routerA.key')],
      ];
      for (const [R, side, cas, cert, key] of setup) {
        await R.type('configure', `hostname ${side}`, 'crypto ca trustpoint LAB', ' enrollment terminal', '!', 'commit', 'end');
        await R.type('crypto ca authenticate LAB', ...pasted(cas), 'yes');
        const o = await R.type('crypto ca import LAB certificate', ...pasted(cert), ...pasted(key), ...tunnelConfig(side, ids));
        ok(o.includes('installed in trustpoint LAB') && !/%(?! Router certificate)/.test(o), o);
      }
      equal(A.r.trustpoints.get('LAB')!.caCertificates.length, 2, 'A trusts the root and the intermediate');
      await until(time, () => upActive(A.r) && upActive(B.r), 30_000, 'UP-ACTIVE');
      const trace = (R: typeof A) => R.r.traceLog.map((e) => e.text).join('\n');
      ok(/generating IKE_AUTH request 1 \[ IDi CERT CERT /.test(trace(A)), `A sends its certificate and the intermediate:\n${trace(A)}`);
      ok(/generating IKE_AUTH response 1 \[ IDr CERT AUTH /.test(trace(B)), `B sends one CERT (issued by the root):\n${trace(B)}`);
      ok(trace(B).includes("authentication of 'routerS.example.com' with"), trace(B));
    });

    it('certificates signed with SHA-384 make the AUTH signatures SHA-384 (RFC 7427; no IOS XR knob for the hash)', async () => {
      // strongSwan's `auth = pubkey-sha384` on the verifier demands SHA-384 of the chain and of AUTH alike
      // (test/node/interop-cert.test.ts case 2); before, a command-configured router always signed with SHA-256
      const now = new Date(START.getTime() - 86_400_000);
      const [id384A, id384B] = await Promise.all([ca.issue({ fqdn: A_ID, now, hash: 'sha384' }), ca.issue({ fqdn: B_ID, now, hash: 'sha384' })]);
      const time = new VirtualTime(START.getTime());
      const wire = new SimWire(time, 1);
      const A = await bareRouter(time, wire), B = await bareRouter(time, wire);
      for (const [R, side, id] of [[A, 'A', id384A], [B, 'B', id384B]] as const) {
        await R.type('configure', `hostname ${side}`, 'crypto ca trustpoint LAB', ' enrollment terminal', '!', 'commit', 'end');
        await R.type('crypto ca authenticate LAB', ...pasted(ca.certificatePem), 'yes');
        const o = await R.type('crypto ca import LAB certificate', ...pasted(id.certificatePem), ...pasted(id.privateKeyPem), ...tunnelConfig(side));
        ok(o.includes('installed in trustpoint LAB') && !/%(?! Router certificate)/.test(o), o);
      }
      await until(time, () => upActive(A.r) && upActive(B.r), 30_000, 'UP-ACTIVE');
      const trace = (R: typeof A) => R.r.traceLog.map((e) => e.text).join('\n');
      for (const [R, me, peer] of [[A, A_ID, B_ID], [B, B_ID, A_ID]] as const) {
        ok(trace(R).includes(`authentication of '${me}' (myself) with RSA_EMSA_PKCS1_SHA2_384 (method 14) successful`), trace(R));
        ok(trace(R).includes(`authentication of '${peer}' with sha384WithRSAEncryption (method 14) successful`), trace(R));
      }
    });

    it('crypto ca enroll against the built-in lab CA (enrollment url lab://ca)', async () => {
      const time = new VirtualTime(START.getTime());
      const { type, con } = await bareRouter(time, new SimWire(time, 1), ca);
      await type('configure', 'crypto ca trustpoint LAB', ' enrollment url lab://ca', ` subject-name CN=${A_ID}`, ' ip-address 10.77.0.1', 'commit', 'end');
      let o = await type('crypto ca enroll LAB');
      ok(o.includes('authenticate it first'), o);
      o = await type('crypto ca authenticate LAB');
      ok(o.includes('CN=lab Test CA') && !o.includes('Enter the base 64'), o);
      equal(con.prompt, 'Do you accept this certificate? [yes/no]: ', 'asks');
      await type('yes');
      o = await type('crypto ca enroll LAB');
      ok(o.includes('installed in trustpoint LAB'), o);
      o = await type('show crypto ca certificates LAB');
      ok(o.includes('Router certificate') && o.includes(`DNS:${A_ID}`) && o.includes('IP:10.77.0.1'), o);
      o = await type('clear crypto ca certificates LAB', 'show crypto ca certificates');
      ok(!o.includes('Router certificate'), o);
    });

    it('malformed PEM, a foreign key, a PKCS#1 key and an unconfigured trustpoint are refused with clear errors', async () => {
      const time = new VirtualTime(START.getTime());
      const { type, con } = await bareRouter(time, new SimWire(time, 1));
      let o = await type('crypto ca authenticate NOPE');
      ok(o.includes('% Trustpoint NOPE is not configured'), o);
      await type('configure', 'crypto ca trustpoint LAB', ' enrollment terminal', 'commit', 'end');
      o = await type('crypto ca import LAB certificate');
      ok(o.includes('has no CA certificate'), o);
      o = await type('crypto ca authenticate LAB', '-----BEGIN CERTIFICATE-----', 'bm90IGEgY2VydGlmaWNhdGU=', '-----END CERTIFICATE-----', '');
      ok(/% Invalid certificate: .+/.test(o), o);
      equal(con.prompt, 'RP/0/RP0/CPU0:ios#', 'back at the prompt');
      o = await type('crypto ca authenticate LAB', 'hello', 'quit');
      ok(/% Invalid certificate: .+/.test(o), o);
      o = await type('crypto ca authenticate LAB', ...pasted(idA.certificatePem));
      ok(o.includes('is not a CA certificate'), o);
      await type('crypto ca authenticate LAB', ...pasted(ca.certificatePem), 'yes');
      o = await type('crypto ca import LAB certificate', ...pasted(idA.certificatePem), ...pasted(idOther.privateKeyPem));
      ok(o.includes('% Invalid private key: the private key does not belong to certificate'), o);
      o = await type('crypto ca import LAB certificate', ...pasted(idA.certificatePem), '-----BEGIN RSA PRIVATE KEY-----', 'MIIB', '-----END RSA PRIVATE KEY-----', '');
      ok(o.includes('% Invalid private key:') && o.includes('openssl pkcs8 -topk8'), o);
      o = await type('show crypto ca certificates');
      ok(o.includes('CA certificate') && !o.includes('Router certificate'), `nothing half-installed:\n${o}`);
    });
  });
}
