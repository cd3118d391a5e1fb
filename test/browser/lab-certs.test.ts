// Chromium, end to end below the UI: the "Certificates" labs. Two router workers over the real WebRTC data
// channel and the key-server worker holding the lab's one CA, which each router reaches over its own
// MessagePort (`enrollment url lab://ca`). Loading the lab types `crypto ca authenticate LAB`, `yes`,
// `crypto ca enroll LAB` into both consoles; the tunnel comes up with RSA signatures both ways; the broken
// variant explains itself and can be fixed; a reload restores the certificates and the CA from IndexedDB;
// an exported or shared lab carries no keys, and an imported one says how to enrol again.
import { LabController } from '../../web/lab/controller.js';
import { LabStore } from '../../src/lab/store.js';
import { labFromUrl } from '../../web/lab/share.js';
import type { LabEvent, RouterName } from '../../src/lab/protocol.js';
import { equal, ok } from '../support/assert.js';
import { bothUp, fields, PAGE, sleep, waitUp } from './lab-support.js';
import type { PkiMaterial, TrustpointMaterial } from '../../src/pki/trustpoint.js';
import { isKeyPairMaterial } from '../../src/pki/keypairs.js';

const ROUTERS: RouterName[] = ['A', 'B'];

/** The SHA256 fingerprints `show crypto ca certificates` prints: [CA, router certificate]. */
const fingerprints = (out: string) => [...out.matchAll(/SHA256 Fingerprint:\s*\n\s*([0-9A-Fa-f:]{64,})/g)].map((m) => m[1]);

const consoleText = (all: LabEvent[], r: RouterName, from = 0) =>
  all.slice(from).filter((e): e is Extract<LabEvent, { kind: 'console' }> => e.kind === 'console' && e.router === r).map((e) => e.text).join('');

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, ms = 15000): Promise<void> {
  const t0 = performance.now();
  while (!(await cond())) {
    if (performance.now() - t0 > ms) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(50);
  }
}

describe('browser lab: Certificates (the lab CA in the key-server worker)', function () {
  let lab: LabController;
  const DB = `webswan-lab-certs-test-${Date.now()}`;
  const all: LabEvent[] = [];

  before(async () => {
    lab = await LabController.create({ store: DB, url: PAGE, initial: false });
    lab.on((e) => all.push(e));
  });
  after(async () => {
    lab?.dispose();
    await LabStore.destroy(DB);
  });

  it('offers "Certificates" and its broken variant', () => {
    const l = lab.labs();
    equal(JSON.stringify(l.find((x) => x.name === 'certificates')), JSON.stringify({ name: 'certificates', title: 'Certificates (RSA signatures)', broken: false }), 'certificates');
    equal(l.find((x) => x.name === 'broken-cert-identity')?.broken, true, 'broken variant');
  });

  it('loading types the enrolment into both terminals; UP-ACTIVE with RSA/RSA, ping 100 %, one CA for both', async () => {
    const from = all.length;
    const t0 = performance.now();
    await lab.load('certificates');
    const dt = await waitUp(lab, 20000);
    console.log(`certificates: load() took ${Math.round(performance.now() - t0 - dt)} ms (CA made, both enrolled); UP-ACTIVE ${Math.round(dt)} ms later`);
    for (const r of ROUTERS) {
      const shown = consoleText(all, r, from);
      ok(shown.includes(`RP/0/RP0/CPU0:Router${r}#crypto ca authenticate LAB\n`), `${r}: the authenticate line as typed\n${shown}`);
      ok(shown.includes('CN=webswan Lab CA') && shown.includes('Do you accept this certificate? [yes/no]: yes\n'), `${r}: the CA offered and accepted\n${shown}`);
      ok(shown.includes(`RP/0/RP0/CPU0:Router${r}#crypto ca enroll LAB\n`) && shown.includes('installed in trustpoint LAB'), `${r}: enrolled\n${shown}`);
      ok(!shown.includes('PRIVATE KEY'), `${r}: no key material on the terminal`);
      const detail = await lab.exec(r, 'show ikev2 session detail');
      equal(fields(detail).get('Authentication(Sign/Verify)')?.[0], 'RSA/RSA', `${r} authentication\n${detail}`);
    }
    const ping = await lab.exec('A', 'ping 192.0.2.2');
    ok(/Success rate is 100 percent \(5\/5\)/.test(ping), `ping: ${ping}`);

    const [ca, cb] = [await lab.exec('A', 'show crypto ca certificates'), await lab.exec('B', 'show crypto ca certificates')];
    ok(/DNS:RouterA\.example\.com/.test(ca) && /IP:198\.51\.100\.5/.test(ca), `A's certificate names\n${ca}`);
    ok(/DNS:RouterB\.example\.com/.test(cb), `B's certificate\n${cb}`);
    const [fa, fb] = [fingerprints(ca), fingerprints(cb)];
    equal(fa.length, 2, `A: CA + router certificate fingerprints\n${ca}`);
    equal(fa[0], fb[0], 'both routers trust the same CA');
    ok(fa[1] !== fb[1], 'each router has its own certificate');
    ok(!ca.includes('BEGIN') && !cb.includes('BEGIN'), 'no PEM in show output');
  });

  it('the certificates and the CA are saved in IndexedDB; a new page restores them and comes up without enrolling', async () => {
    const saved = await new LabStore(DB).load();
    const tp = (l?: PkiMaterial[]) => l?.find((m): m is TrustpointMaterial => !isKeyPairMaterial(m));
    ok(saved?.pki?.ca && tp(saved.pki.A)?.certificate && tp(saved.pki.B)?.privateKey, 'pki saved with the lab');
    const before = fingerprints(await lab.exec('A', 'show crypto ca certificates'));
    const again = await LabController.create({ store: DB, url: PAGE, install: false });
    const seen: LabEvent[] = [];
    again.on((e) => seen.push(e));
    try {
      equal(again.currentLab(), 'certificates', 'restored lab');
      equal(JSON.stringify(fingerprints(await again.exec('A', 'show crypto ca certificates'))), JSON.stringify(before), 'A: the same CA and certificate');
      await waitUp(again, 20000);
      const detail = await again.exec('B', 'show ikev2 session detail');
      equal(fields(detail).get('Authentication(Sign/Verify)')?.[0], 'RSA/RSA', `restored B authentication\n${detail}`);
      ok(!consoleText(seen, 'A').includes('crypto ca enroll'), 'nothing enrolled again');
      // the restored CA goes on issuing: a new enrolment chains to the same CA
      await again.exec('B', 'clear crypto ca certificates LAB');
      for (const l of ['crypto ca authenticate LAB', 'yes', 'crypto ca enroll LAB']) await again.exec('B', l);
      const b = fingerprints(await again.exec('B', 'show crypto ca certificates'));
      equal(b[0], before[0], 'the re-enrolled certificate comes from the restored CA');
      await again.exec('A', 'clear ikev2 sa');
      await waitFor('UP again after re-enrolment', async () => {
        await again.exec('A', 'ping 192.0.2.2 count 1 timeout 1');
        return bothUp(again);
      });
    } finally {
      again.dispose();
    }
  });

  it('a key pair made on a router (crypto key generate rsa) is saved with the lab and restored by a new page', async () => {
    await lab.exec('A', 'crypto key generate rsa general-keys LABKEY');
    const o = await lab.exec('A', '2048');
    ok(o.includes('[OK]'), o);
    const pub = (await lab.exec('A', 'show crypto key mypubkey rsa LABKEY')).replace(/^.*UTC\n/, '');
    ok(pub.includes('Key label: LABKEY'), pub);
    await waitFor('the key pair in IndexedDB', async () =>
      !!(await new LabStore(DB).load())?.pki?.A?.some((m) => isKeyPairMaterial(m) && m.label === 'LABKEY'));
    const again = await LabController.create({ store: DB, url: PAGE, install: false });
    try {
      equal((await again.exec('A', 'show crypto key mypubkey rsa LABKEY')).replace(/^.*UTC\n/, ''), pub, 'the same public key after a reload');
    } finally {
      again.dispose();
    }
  });

  it('export and share carry no keys or certificates; an imported lab says how to enrol, explains, then comes up', async () => {
    await lab.load('certificates');
    const json = await lab.exportLab();
    ok(!/PRIVATE KEY|CERTIFICATE|BEGIN/.test(json), 'no PEM in the exported lab');
    ok(JSON.parse(json).configs.A.includes('crypto ca trustpoint LAB'), 'the trustpoint configuration is exported');
    const doc = labFromUrl(await lab.shareUrl());
    ok(doc && !/PRIVATE KEY|BEGIN/.test(JSON.stringify(doc)), 'no PEM in the shared URL');

    const other = await LabController.create({ store: false, url: PAGE, initial: false, install: false });
    const seen: LabEvent[] = [];
    other.on((e) => seen.push(e));
    try {
      await other.importLab(json);
      for (const r of ROUTERS) {
        const note = consoleText(seen, r);
        ok(note.includes('% Trustpoint LAB holds no router certificate') && note.includes('crypto ca authenticate LAB (answer yes), then crypto ca enroll LAB'),
          `${r}: the terminal says how to enrol\n${note}`);
      }
      await waitFor('an explanation', () => seen.some((e) => e.kind === 'explain'));
      const why = seen.find((e): e is Extract<LabEvent, { kind: 'explain' }> => e.kind === 'explain')!;
      console.log(`imported lab (${why.router}): ${why.text}`);
      ok(/has no certificate of its own|cannot check .* certificate/.test(why.text) && /crypto ca enroll|crypto ca authenticate/.test(why.text), why.text);
      for (const r of ['B', 'A'] as const) {
        for (const l of ['crypto ca authenticate LAB', 'yes', 'crypto ca enroll LAB']) await other.exec(r, l);
      }
      // A tries again on its own (every 5 s); no clear needed
      await waitUp(other, 20000);
    } finally {
      other.dispose();
    }
  });

  it('broken-cert-identity: B explains the name missing from A\'s certificate; fixed on A, it comes up', async () => {
    const from = all.length;
    await lab.load('broken-cert-identity');
    const explains = () => all.slice(from).filter((e): e is Extract<LabEvent, { kind: 'explain' }> => e.kind === 'explain');
    await waitFor('B explains', () => explains().some((e) => e.router === 'B'));
    const b = explains().find((e) => e.router === 'B')!;
    console.log(`broken-cert-identity (B): ${b.text}`);
    ok(/^Router A identifies itself as RouterA\.example\.com, but its certificate does not carry that name/.test(b.text) && /subject-name/.test(b.text), b.text);
    ok(!(await bothUp(lab)), 'not up');
    for (const l of ['configure', 'crypto ca trustpoint LAB', 'subject-name CN=RouterA.example.com', 'commit', 'end', 'crypto ca enroll LAB']) {
      await lab.exec('A', l);
    }
    ok(/DNS:RouterA\.example\.com/.test(await lab.exec('A', 'show crypto ca certificates')), 'A enrolled for its FQDN');
    await waitUp(lab, 20000);
  });
});
