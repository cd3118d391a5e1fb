// The browser lab's presets (src/lab/labs.ts) between two engines in one process on virtual time: every
// configuration loads without a refused line, the good labs reach UP-ACTIVE (manual PPK: quantum-safe;
// certificates: RSA/RSA), and the broken ones never do and fail for the reason their description gives.
// A lab's setup lines (authenticate the lab CA, enrol) are typed into each router's console first, with a
// lab CA shared by both routers, as the browser lab's key-server worker shares its one.
import { VirtualTime } from '../../src/util/clock.js';
import { loadConfig } from '../../src/config/load.js';
import { LABS, findLab } from '../../src/lab/labs.js';
import { LabKeySource } from '../../src/lab/key-source.js';
import { LabCa } from '../../src/pki/lab-ca.js';
import type { Router } from '../../src/router/router.js';
import { env } from '../support/env.js';
import { equal, ok } from '../support/assert.js';
import { SimWire, flush, routerFromText, run } from '../support/sim.js';
import { explain } from '../../src/lab/explain.js';

const WHY: Record<string, RegExp> = {
  'broken-psk-mismatch': /pre-shared key mismatch/,
  'broken-proposal-mismatch': /NO_PROPOSAL_CHOSEN/,
  'broken-ppk-required-one-side': /PPK required but peer does not support PPK/,
  'broken-wrong-remote-identity': /identity fqdn RouterB\.example\.com does not match/,
  'broken-cert-identity': /AUTHENTICATION_FAILED: IDi RouterA\.example\.com not in the certificate's SAN: fqdn RouterA\.example\.com is not a subjectAltName dNSName of 'C=XX, O=webswan lab, CN=RouterA' \(has RouterA\)/,
};

/** `run`, but in 100 ms steps with real pauses: RSA and X.509 work completes on WebCrypto's own threads. */
async function runWithPauses(time: VirtualTime, ms: number): Promise<void> {
  const end = time.ms + ms;
  while (time.ms < end) {
    await flush();
    await new Promise((r) => setTimeout(r, 2));
    await run(time, Math.min(100, end - time.ms));
  }
}

/** Types `lines` into a router's console; returns what it printed. */
async function typeLines(r: Router, lines: readonly string[]): Promise<string> {
  let out = '';
  const con = r.console((t) => { out += t; });
  for (const l of lines) { await con.input(l); await flush(); }
  return out;
}

export function labPresetsSuite(): void {
  describe('lab presets', () => {
    let ca: LabCa;
    // one CA for every lab, valid from before the simulated clock's start (VirtualTime: 2026-01-01)
    before(async () => { ca = await LabCa.create({ bits: 2048, hash: 'sha256', now: new Date(Date.UTC(2025, 11, 1)) }); });

    it('has the guide\'s labs and the broken variants, with unique names', () => {
      const names = LABS.map((l) => l.name);
      equal(new Set(names).size, names.length, 'unique names');
      for (const n of ['psk-ipv4', 'psk-fqdn', 'psk-domain', 'ppk-manual', 'ppk-dynamic', 'certificates', ...Object.keys(WHY)]) ok(findLab(n), `lab ${n}`);
      for (const l of LABS) {
        equal(l.broken, l.name.startsWith('broken-'), `${l.name}: broken flag`);
        ok(l.title && l.description, `${l.name}: title and description`);
        ok(/set responder-only/.test(l.configB) && !/set responder-only/.test(l.configA), `${l.name}: B is the responder`);
        ok(/interface GigabitEthernet0\/0\/0\/0\n ipv4 address/.test(l.configA + l.configB), `${l.name}: addresses on Gi0/0/0/0`);
        // setup lines only where certificates are enrolled, and then on both routers
        const certs = /authentication local rsa-signature/.test(l.configA);
        equal(JSON.stringify(l.setup?.A ?? []), JSON.stringify(certs ? ['crypto ca authenticate LAB', 'yes', 'crypto ca enroll LAB'] : []), `${l.name}: setup of A`);
        equal(JSON.stringify(l.setup?.B ?? []), JSON.stringify(l.setup?.A ?? []), `${l.name}: setup of B`);
      }
    });

    for (const lab of LABS) {
      it(`${lab.name}: ${lab.broken ? 'does not come up, for the intended reason' : 'reaches UP-ACTIVE'}`, async () => {
        for (const [side, text] of [['A', lab.configA], ['B', lab.configB]] as const) {
          const r = loadConfig(text);
          equal(JSON.stringify([...r.errors, ...r.commitErrors]), '[]', `${lab.name} ${side}: configuration loads cleanly`);
        }
        const { core } = await env();
        const time = new VirtualTime();
        const wire = new SimWire(time, 7);
        // the lab's key source (both KPs and their QKD link), in process: what the key-server worker serves
        const ks = new LabKeySource();
        const keySourceFetch = (url: string, init?: RequestInit) => ks.fetch(url, init);
        const a = routerFromText(core, time, wire, lab.configA, { keySourceFetch, labCa: ca });
        const b = routerFromText(core, time, wire, lab.configB, { keySourceFetch, labCa: ca });
        // the setup runs before virtual time moves, so A initiates with its certificate in place
        for (const [r, lines] of [[b, lab.setup?.B], [a, lab.setup?.A]] as const) {
          if (!lines) continue;
          const out = await typeLines(r, lines);
          ok(/installed in trustpoint LAB/.test(out), `${lab.name}: enrolled\n${out}`);
        }
        const trace: string[] = [];
        a.onTrace((e) => trace.push(`A ${e.text}`));
        b.onTrace((e) => trace.push(`B ${e.text}`));
        await (lab.setup ? runWithPauses(time, 5000) : run(time, 5000));
        const status = (r: typeof a) => r.ops.ikeSessions().map((s) => s.status);
        if (lab.broken) {
          ok(!status(a).includes('UP-ACTIVE') && !status(b).includes('UP-ACTIVE'), `${lab.name}: not up`);
          ok(trace.some((l) => WHY[lab.name].test(l)), `${lab.name}: trace says ${WHY[lab.name]}`);
        } else {
          ok(status(a).includes('UP-ACTIVE') && status(b).includes('UP-ACTIVE'), `${lab.name}: UP-ACTIVE on both (${status(a)} / ${status(b)})`);
          const sa = a.ops.ikeSessions()[0].ikeSas[0];
          const want = lab.name === 'ppk-manual' ? 'Enabled with manual PPK' : lab.name === 'ppk-dynamic' ? 'Enabled with dynamic PPK' : 'Disabled';
          equal(sa.quantumResistance, want, `${lab.name}: quantum resistance`);
          const auth = lab.setup ? 'RSA/RSA' : 'PSK/PSK';
          for (const r of [a, b]) equal(`${r.ops.ikeSessions()[0].ikeSas[0].authSign}/${r.ops.ikeSessions()[0].ikeSas[0].authVerify}`, auth, `${lab.name}: authentication`);
        }
      });
    }
  });

  describe('lab presets: certificate failures, explained from the engine\'s real trace', () => {
    let ca: LabCa, otherCa: LabCa;
    before(async () => {
      const now = new Date(Date.UTC(2025, 11, 1));
      [ca, otherCa] = await Promise.all([LabCa.create({ bits: 2048, hash: 'sha256', now }),
        LabCa.create({ bits: 2048, hash: 'sha256', now, dn: 'C=XX, O=elsewhere, CN=Other CA' })]);
    });

    /** The Certificates lab (or `preset`), each router with its own lab CA and setup; every explanation. */
    async function certRun(o: { caA?: LabCa; caB?: LabCa; setupA?: boolean; preset?: string }) {
      const lab = findLab(o.preset ?? 'certificates')!;
      const { core } = await env();
      const time = new VirtualTime();
      const wire = new SimWire(time, 7);
      const a = routerFromText(core, time, wire, lab.configA, { labCa: o.caA ?? ca });
      const b = routerFromText(core, time, wire, lab.configB, { labCa: o.caB ?? ca });
      await typeLines(b, lab.setup!.B);
      if (o.setupA !== false) await typeLines(a, lab.setup!.A);
      await runWithPauses(time, 3000);
      const says = (r: Router, n: 'A' | 'B') => r.traceLog.map((e) => explain(e.text, n)).filter((x): x is string => !!x);
      return { a, b, A: says(a, 'A'), B: says(b, 'B'), trace: [...a.traceLog.map((e) => `A ${e.text}`), ...b.traceLog.map((e) => `B ${e.text}`)].join('\n') };
    }
    const has = (got: string[], res: RegExp[], trace: string) =>
      ok(got.some((x) => res.every((re) => re.test(x))), `should say ${res.join(' & ')}; said:\n${got.join('\n')}\ntrace:\n${trace}`);

    it('identity not in the certificate (broken-cert-identity): B names the identity, the certificate\'s name and the fix', async () => {
      const r = await certRun({ preset: 'broken-cert-identity' });
      has(r.B, [/^Router A identifies itself as RouterA\.example\.com, but its certificate does not carry that name/, /has RouterA\)/, /subject-name/, /crypto ca enroll/], r.trace);
      has(r.A, [/Router B refused Router A's authentication \(AUTHENTICATION_FAILED\)/, /certificates/], r.trace);
    });

    it('untrusted CA: B trusts another CA than the one that issued A\'s certificate', async () => {
      const r = await certRun({ caB: otherCa });
      has(r.B, [/^Router B does not trust the CA that issued Router A's certificate \(RouterA\.example\.com\)/, /trustpoint LAB/, /crypto ca authenticate LAB/], r.trace);
    });

    it('no certificate enrolled: A\'s trustpoint is empty (an imported lab before enrolment)', async () => {
      const r = await certRun({ setupA: false });
      ok(!r.a.ops.ikeSessions().some((s) => s.status === 'UP-ACTIVE'), 'A not up');
      has(r.A, [/^Router A has no certificate of its own to sign with: profile ikev2_prof_cert_P1/, /crypto ca authenticate <trustpoint>, answer yes, then crypto ca enroll/], r.trace);
    });

    it('expired and not yet valid certificates (the engine\'s wording, src/ike/tasks/ike-auth.ts)', () => {
      const expired = explain("IKE SA 2: AUTHENTICATION_FAILED: certificate of RouterA.example.com expired 2025-01-01: certificate 'C=XX, O=webswan lab, CN=RouterA.example.com' expired on 2025-01-01T00:00:00Z (now 2026-01-01T00:00:00Z)", 'B') ?? '';
      ok(/^Router A's certificate \(RouterA\.example\.com\) expired on 2025-01-01, so Router B refuses it — enrol Router A again/.test(expired), expired);
      const early = explain('AUTHENTICATION_FAILED: certificate of RouterB.example.com not valid before 2027-01-01: …', 'A') ?? '';
      ok(/^Router B's certificate \(RouterB\.example\.com\) is not valid before 2027-01-01/.test(early), early);
      const none = explain('no certificate and key for profile ikev2_prof_cert_P1 (authentication local rsa-signature)', 'A') ?? '';
      ok(/^Router A has no certificate of its own to sign with: profile ikev2_prof_cert_P1/.test(none) && /crypto ca enroll/.test(none), none);
      ok(/^Router B has no certificate of its own/.test(explain('AUTHENTICATION_FAILED: no certificate and key for profile P (authentication local rsa-signature)', 'B') ?? ''), 'responder side');
    });
  });
}
