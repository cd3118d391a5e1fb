// The IOS XR certificate workflow with the key kept on the box, proved against tools we did not write
// (docs/pki.md; RFC 2986): a router generates its RSA key (`crypto key generate rsa`), trusts a CA made by
// strongSwan's `pki` (`crypto ca authenticate`), prints a PKCS#10 request (`crypto ca enroll` with `enrollment
// terminal`); OpenSSL verifies the request's self-signature and reads its subject and subjectAltName
// (`openssl req -verify`); strongSwan's `pki --issue --type pkcs10` signs it; `crypto ca import … certificate`
// takes the certificate alone. Then: two routers configured this way come UP-ACTIVE with RSA/RSA (in
// process), and a `webswan router --pki-dir` keeps the key pair across a restart (DIR/keys/LABEL.json, 0600)
// with the imported certificate still bound to it, until `crypto key zeroize rsa` removes both.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installNodeEnv, projectRoot } from './env-node.js';
import { equal, ok } from '../support/assert.js';
import { SimWire } from '../support/sim.js';
import { VirtualTime } from '../../src/util/clock.js';
import { bareRouter, pasted, tunnelConfig, upActive } from '../suites/pki-config.js';
import { untilPaced as until } from '../support/sim.js';
import { PkiDir, PkiDirError } from '../../src/runtime/node/pki-dir.js';
import { TrustpointStore } from '../../src/pki/trustpoint.js';

installNodeEnv();
const root = projectRoot();
const bin = join(root, 'bin', 'webswan.mjs');
const ADDR = `127.94.${process.pid % 250}.1`;

/** strongSwan's pki (TZ=UTC: it reads times as local time); its stderr (plugin notices) is not output. */
const pki = (args: string[]) => execFileSync('pki', args, { env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
/** OpenSSL: stdout and stderr together (it reports the verification on stderr). */
function openssl(args: string[]): { status: number | null; out: string } {
  const x = spawnSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: x.status, out: `${x.stdout}${x.stderr}` };
}
const csrOf = (out: string) => /-----BEGIN CERTIFICATE REQUEST-----[\s\S]+?-----END CERTIFICATE REQUEST-----/.exec(out)?.[0];

describe('PKCS#10 from the console: OpenSSL verifies it, strongSwan pki signs it, webswan imports the certificate alone', () => {
  let dir = '', caCrt = '', caKey = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'webswan-csr-'));
    caKey = join(dir, 'ca.key'); caCrt = join(dir, 'ca.crt');
    writeFileSync(caKey, pki(['--gen', '--type', 'rsa', '--size', '2048', '--outform', 'pem']));
    writeFileSync(caCrt, pki(['--self', '--ca', '--lifetime', '3650', '--in', caKey, '--dn', 'C=XX, O=strongSwan, CN=strongSwan Test CA', '--outform', 'pem']));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** strongSwan signs `csrPem` (SANs taken from the request) and says what it issued. */
  const issue = (csrPem: string, name: string) => {
    const f = join(dir, `${name}.csr`);
    writeFileSync(f, csrPem + '\n');
    const cert = pki(['--issue', '--type', 'pkcs10', '--in', f, '--cacert', caCrt, '--cakey', caKey,
      '--flag', 'serverAuth', '--flag', 'ikeIntermediate', '--lifetime', '30', '--outform', 'pem']);
    writeFileSync(join(dir, `${name}.crt`), cert);
    return { cert, printed: pki(['--print', '--in', join(dir, `${name}.crt`)]), file: f };
  };

  it('two routers with keys generated on the box and certificates signed by strongSwan come UP-ACTIVE with RSA/RSA', async () => {
    const time = new VirtualTime(Date.now() + 60_000); // a minute on: pki's notBefore is its "now", to the second
    const wire = new SimWire(time, 1);
    const A = await bareRouter(time, wire), B = await bareRouter(time, wire);
    const sides = [
      { R: A, side: 'A', fqdn: 'routerA.example.com', ip: '10.77.0.1', gen: ['crypto key generate rsa', '2048'], label: 'the_default', bits: 2048 },
      { R: B, side: 'B', fqdn: 'routerB.example.com', ip: '10.77.0.2', gen: ['crypto key generate rsa general-keys RB', '3072'], label: 'RB', bits: 3072 },
    ] as const;
    for (const { R, side, fqdn, ip, gen, label, bits } of sides) {
      let o = await R.type('configure', `hostname ${side}`, 'crypto ca trustpoint LAB', ' enrollment terminal', ` subject-name CN=${fqdn},O=webswan`,
        ` ip-address ${ip}`, ...(label === 'the_default' ? [] : [` rsakeypair ${label}`]), '!', 'commit', 'end');
      ok(!o.includes('%'), o);
      o = await R.type(...gen);
      ok(o.includes('[OK]'), o);
      await R.type('crypto ca authenticate LAB', ...pasted(readFileSync(caCrt, 'utf8')), 'yes');
      o = await R.type('crypto ca enroll LAB');
      const csr = csrOf(o);
      ok(csr, `a request:\n${o}`);
      const { cert, printed, file } = issue(csr!, side);
      // OpenSSL: the self-signature verifies, the subject and the subjectAltName are those configured
      const v = openssl(['req', '-in', file, '-verify', '-noout', '-subject']);
      equal(v.status, 0, v.out);
      ok(v.out.includes('Certificate request self-signature verify OK'), v.out);
      ok(v.out.includes(`subject=CN = ${fqdn}, O = webswan`), v.out);
      const text = openssl(['req', '-in', file, '-noout', '-text']).out;
      ok(text.includes(`DNS:${fqdn}, IP Address:${ip}`), text);
      ok(text.includes(`Public-Key: (${bits} bit)`) && text.includes('sha256WithRSAEncryption'), text);
      // a request whose signature is damaged is refused by the same check
      const der = Buffer.from(csr!.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64');
      der[der.length - 5] ^= 1;
      const bad = join(dir, `${side}-bad.csr`);
      writeFileSync(bad, der);
      // (OpenSSL 3.0 exits 0 either way and says which on stderr)
      const vb = openssl(['req', '-in', bad, '-inform', 'DER', '-verify', '-noout']).out;
      ok(vb.includes('self-signature verify failure') && !vb.includes('verify OK'), `a damaged signature fails verification: ${vb}`);
      // strongSwan signed it for the subject and names asked for
      ok(printed.includes(`subject:  "CN=${fqdn}, O=webswan"`), printed);
      ok(printed.includes(`altNames:  ${fqdn}, ${ip}`), printed);
      ok(printed.includes(`pubkey:    RSA ${bits} bits`), printed);
      o = await R.type('crypto ca import LAB certificate', ...pasted(cert));
      ok(o.includes(`% Router certificate installed in trustpoint LAB (key pair ${label})`), o);
      ok(!o.includes('private key'), o);
      o = await R.type(...tunnelConfig(side));
      ok(!/%/.test(o), o);
    }
    await until(time, () => upActive(A.r) && upActive(B.r), 30_000, 'UP-ACTIVE');
    for (const { R } of sides) {
      const det = await R.type('show ikev2 session detail');
      ok(/Authentication\(Sign\/Verify\)\s+: RSA\/RSA/.test(det), det);
    }
  });

  it('a subject-name CN that is an IPv4 address goes into the request as an iPAddress, not a dNSName (RFC 5280 §4.2.1.6)', async () => {
    const time = new VirtualTime(Date.now());
    const R = await bareRouter(time, new SimWire(time, 1));
    let o = await R.type('configure', 'hostname C', 'crypto ca trustpoint LAB', ' enrollment terminal', ' subject-name CN=10.1.2.3', '!', 'commit', 'end');
    ok(!o.includes('%'), o);
    await R.type('crypto key generate rsa', '2048');
    await R.type('crypto ca authenticate LAB', ...pasted(readFileSync(caCrt, 'utf8')), 'yes');
    o = await R.type('crypto ca enroll LAB');
    const csr = csrOf(o);
    ok(csr, `a request:\n${o}`);
    const file = join(dir, 'ipcn.csr');
    writeFileSync(file, csr!);
    const text = openssl(['req', '-in', file, '-noout', '-text']).out;
    ok(/X509v3 Subject Alternative Name:\s*\n\s*IP Address:10\.1\.2\.3\s*\n/.test(text) && !text.includes('DNS:10.1.2.3'), text);
  });

  it('--pki-dir key files: too open refuses the start (as ssh); damaged or misnamed files are logged without contents and skipped', async () => {
    const d = join(dir, 'kd');
    mkdirSync(join(d, 'keys'), { recursive: true, mode: 0o700 });
    chmodSync(d, 0o700);
    const store = new TrustpointStore();
    await store.keys.generate('GOOD', 2048, new Date());
    const good = JSON.stringify(store.keys.get('GOOD')!.material());
    writeFileSync(join(d, 'keys', 'GOOD.json'), good, { mode: 0o644 });
    chmodSync(join(d, 'keys', 'GOOD.json'), 0o644);
    const logs: string[] = [];
    let refused = '';
    try { new PkiDir(d, (t) => logs.push(t)).load(new Set()); } catch (e) { ok(e instanceof PkiDirError, String(e)); refused = (e as Error).message; }
    ok(/keys\/GOOD\.json: permissions 0644 are too open; it holds a private key/.test(refused), refused);
    chmodSync(join(d, 'keys', 'GOOD.json'), 0o600);
    writeFileSync(join(d, 'keys', 'BAD.json'), '{"kind":"rsa-keypair","label":"BAD","privateKey":"MIIEv', { mode: 0o600 });
    writeFileSync(join(d, 'keys', 'OTHER.json'), good, { mode: 0o600 });
    const fresh = new TrustpointStore();
    await new PkiDir(d, (t) => logs.push(t)).restoreInto(fresh, new Set());
    equal(fresh.keys.labels().join(','), 'GOOD', 'only the good key pair loads');
    const text = logs.join('\n');
    ok(text.includes('BAD.json: not valid JSON') && text.includes('OTHER.json: names key pair GOOD, not OTHER'), text);
    ok(text.includes('key pair GOOD restored from'), text);
    ok(!text.includes('MIIEv') && !text.includes('BEGIN'), 'no key material logged');
  });

  describe('webswan router --pki-dir keeps the key pair across a restart', () => {
    let pkiDir = '', cfg = '', sock = '';
    let r: { p: ChildProcess; out: () => string; exited: Promise<number | null> } | undefined;
    const outputs: string[] = [];
    const cli = (...lines: string[]) => new Promise<string>((resolve, reject) => {
      const p = spawn(process.execPath, [bin, 'cli', '--control', sock, ...lines.flatMap((l) => ['-c', l])], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '', err = '';
      p.stdout.on('data', (d: Buffer) => { out += d; });
      p.stderr.on('data', (d: Buffer) => { err += d; });
      p.on('close', (status) => { outputs.push(out, err); status === 0 ? resolve(out) : reject(new Error(`cli exit ${status}: ${err}`)); });
    });
    const start = async () => {
      const p = spawn(process.execPath, [bin, 'router', '--config', cfg, '--control', sock, '--pki-dir', pkiDir], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      p.stdout!.on('data', (d: Buffer) => { out += d; });
      p.stderr!.on('data', (d: Buffer) => { out += d; });
      const exited = new Promise<number | null>((resolve) => p.on('exit', (code) => resolve(code)));
      const t0 = Date.now();
      while (!/router \S+ running/.test(out)) {
        if (p.exitCode !== null || Date.now() - t0 > 10_000) throw new Error(`router did not start:\n${out}`);
        await new Promise((res) => setTimeout(res, 20));
      }
      r = { p, out: () => out, exited };
    };
    const stop = async () => {
      r!.p.kill('SIGTERM');
      equal(await r!.exited, 0, r!.out());
      outputs.push(r!.out());
    };
    const waitFor = async (what: string, cond: () => boolean) => {
      const t0 = Date.now();
      while (!cond()) {
        if (Date.now() - t0 > 10_000) throw new Error(`timed out waiting for ${what}`);
        await new Promise((res) => setTimeout(res, 20));
      }
    };
    const mode = (f: string) => (statSync(f).mode & 0o777).toString(8);
    before(() => {
      pkiDir = join(dir, 'pki'); cfg = join(dir, 'r.cfg'); sock = join(dir, 'r.sock');
      writeFileSync(cfg, `hostname PKI2\ninterface GigabitEthernet0/0/0/0\n ipv4 address ${ADDR} 255.0.0.0\n!\n`
        + 'crypto ca trustpoint LAB\n enrollment terminal\n subject-name CN=routerK.example.com\n!\n');
    });
    after(async () => { if (r && r.p.exitCode === null) { r.p.kill('SIGKILL'); await r.exited; } });

    it('generate, enroll, strongSwan signs, import; SIGTERM; restart: the same key and the certificate bound to it; zeroize removes both', async () => {
      await start();
      let o = await cli('crypto key generate rsa', '2048');
      ok(o.includes('[OK]'), o);
      const keyFile = join(pkiDir, 'keys', 'the_default.json'), tpFile = join(pkiDir, 'LAB.json');
      await waitFor('the key file', () => existsSync(keyFile));
      equal(mode(join(pkiDir, 'keys')), '700', 'DIR/keys mode');
      equal(mode(keyFile), '600', 'key file mode');
      const saved = JSON.parse(readFileSync(keyFile, 'utf8'));
      equal(saved.kind, 'rsa-keypair', 'kind');
      equal(saved.label, 'the_default', 'label');
      ok(saved.privateKey.startsWith('-----BEGIN PRIVATE KEY-----'), 'PKCS#8');
      const pubBefore = (await cli('show crypto key mypubkey rsa')).replace(/^.*UTC\n/, '');
      ok(pubBefore.includes('Key label: the_default') && pubBefore.includes('Size     : 2048'), pubBefore);
      await cli('crypto ca authenticate LAB', ...pasted(readFileSync(caCrt, 'utf8')), 'yes');
      o = await cli('crypto ca enroll LAB');
      const { cert } = issue(csrOf(o)!, 'K');
      o = await cli('crypto ca import LAB certificate', ...pasted(cert));
      ok(o.includes('% Router certificate installed in trustpoint LAB (key pair the_default)'), o);
      await waitFor('LAB.json with the certificate', () => existsSync(tpFile) && readFileSync(tpFile, 'utf8').includes('"keypair"'));
      const tp = JSON.parse(readFileSync(tpFile, 'utf8'));
      equal(tp.keypair, 'the_default', 'the trustpoint names its key pair');
      ok(tp.privateKey === undefined, 'no second copy of the key');
      await stop();

      await start();
      ok(r!.out().includes('key pair the_default restored from') && r!.out().includes('router certificate (key pair the_default)'), r!.out());
      const pubAfter = (await cli('show crypto key mypubkey rsa')).replace(/^.*UTC\n/, '');
      equal(pubAfter, pubBefore, 'the same key pair after the restart');
      o = await cli('show crypto ca certificates LAB');
      ok(o.includes('Router certificate') && o.includes('CN=routerK.example.com') && o.includes('  Key pair       : the_default'), o);
      // zeroize: the certificate of the key goes with it, and so do the files
      o = await cli('crypto key zeroize rsa', 'yes');
      ok(o.includes('% Router certificate of trustpoint LAB removed with key pair the_default'), o);
      await waitFor('the key file deleted', () => !existsSync(keyFile));
      await waitFor('LAB.json without the certificate', () => !JSON.parse(readFileSync(tpFile, 'utf8')).certificate);
      equal(JSON.parse(readFileSync(tpFile, 'utf8')).certificate, undefined, 'certificate gone from LAB.json');
      await stop();
      const keyLines = saved.privateKey.split('\n').filter((l: string) => l && !l.startsWith('-----'));
      ok(!outputs.some((t) => keyLines.some((l: string) => t.includes(l))), 'the private key is in no output');
    });
  });
});
