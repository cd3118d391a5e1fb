// `webswan router --pki-dir DIR`: certificates and keys installed with the IOS XR commands (`crypto ca
// authenticate` + paste + yes, `crypto ca import … certificate` + paste of certificate and PKCS#8 key) survive
// a SIGTERM and a new start, as on a router that reloads. Checked on real processes: DIR created 0700, one file
// per trustpoint (mode 0600), `show crypto ca certificates` after the restart, `clear crypto ca certificates`
// and `no crypto ca trustpoint` persisted, a damaged file and a refused key reported without their contents
// while the other trustpoint loads, a trustpoint left out of the configuration not loaded (file kept), a file
// readable by others refusing the start (as ssh does), and the private key never in any output. In process:
// a burst of store changes ends with the files equal to the final state and no temporary file left.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from './env-node.js';
import { PkiDir, PkiDirError } from '../../src/runtime/node/pki-dir.js';
import { TrustpointStore } from '../../src/pki/trustpoint.js';
import { equal, ok } from '../support/assert.js';

const root = projectRoot();
const bin = join(root, 'bin', 'webswan.mjs');
const vec = (f: string) => readFileSync(join(root, 'test', 'vectors', 'pki', f), 'utf8');
// a loopback address of its own (all of 127/8 is local on Linux), per process: two runs may overlap
const ADDR = `127.93.${process.pid % 250}.1`;
const CA = vec('ca.crt'), CERT = vec('routerA.crt'), KEY = vec('routerA.key'), OTHER_KEY = vec('routerB.key');
/** Every base64 line of the two private keys: none may ever appear in an output. */
const KEY_LINES = [KEY, OTHER_KEY].flatMap((k) => k.split('\n').filter((l) => l && !l.startsWith('-----')));

const config = (trustpoints: string[]) => `hostname PKI1\ninterface GigabitEthernet0/0/0/0\n ipv4 address ${ADDR} 255.0.0.0\n!\n` +
  trustpoints.map((t) => `crypto ca trustpoint ${t}\n enrollment terminal\n subject-name CN=routerA.example.com\n!\n`).join('');

interface Run { status: number | null; stdout: string; stderr: string }

function run(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d: Buffer) => { stdout += d; });
    p.stderr.on('data', (d: Buffer) => { stderr += d; });
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function until(what: string, cond: () => boolean, ms = 10000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface RouterProc { p: ChildProcess; out: () => string; exited: Promise<number | null> }

/** `webswan router`; resolves once it runs (or has exited: see `exited`). */
async function startRouter(args: string[]): Promise<RouterProc> {
  const p = spawn(process.execPath, [bin, 'router', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  p.stdout!.on('data', (d: Buffer) => { out += d; });
  p.stderr!.on('data', (d: Buffer) => { out += d; });
  const exited = new Promise<number | null>((resolve) => p.on('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => { gone = true; });
  await until('the router to start', () => gone || /router \S+ running/.test(out));
  return { p, out: () => out, exited };
}

const pasted = (pem: string) => [...pem.trim().split('\n'), ''];
const mode = (f: string) => (statSync(f).mode & 0o777).toString(8);

describe('webswan router --pki-dir: trustpoints survive a restart', () => {
  let dir = '', pki = '', cfg = '', sock = '';
  let r: RouterProc | undefined;
  const outputs: string[] = [];
  const cli = async (...lines: string[]) => {
    const c = await run(['cli', '--control', sock, ...lines.flatMap((l) => ['-c', l])]);
    outputs.push(c.stdout, c.stderr);
    equal(c.status, 0, `cli exit status (stderr: ${c.stderr})`);
    return c.stdout;
  };
  const start = async (trustpoints = ['LAB', 'LAB2']) => {
    if (r && r.p.exitCode === null) { r.p.kill('SIGKILL'); await r.exited; } // left by a failed case
    writeFileSync(cfg, config(trustpoints));
    r = await startRouter(['--config', cfg, '--control', sock, '--pki-dir', pki]);
    ok(r.p.exitCode === null, `router running:\n${r.out()}`);
    return r;
  };
  const stop = async () => {
    r!.p.kill('SIGTERM');
    equal(await r!.exited, 0, `exit status:\n${r!.out()}`);
    outputs.push(r!.out());
    r = undefined;
  };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'webswan-pki-'));
    pki = join(dir, 'pki'); cfg = join(dir, 'r.cfg'); sock = join(dir, 'r.sock');
  });
  after(async () => {
    if (r && r.p.exitCode === null) { r.p.kill('SIGKILL'); await r.exited; }
    rmSync(dir, { recursive: true, force: true });
  });

  it('installs a CA and a router certificate + key by the CLI; DIR is created 0700, one file per trustpoint, 0600', async () => {
    await start();
    equal(mode(pki), '700', 'DIR mode');
    let o = await cli('crypto ca authenticate LAB', ...pasted(CA), 'yes');
    ok(o.includes('CN=lab Test CA') && o.includes('SHA256 Fingerprint:') && !o.includes('%'), o);
    o = await cli('crypto ca import LAB certificate', ...pasted(CERT), ...pasted(KEY));
    ok(o.includes('Router certificate and private key installed in trustpoint LAB'), o);
    o = await cli('crypto ca authenticate LAB2', ...pasted(CA), 'yes');
    ok(!o.includes('%'), o);
    await until('both files', () => existsSync(join(pki, 'LAB.json')) && existsSync(join(pki, 'LAB2.json')));
    await until('LAB.json with the key', () => readFileSync(join(pki, 'LAB.json'), 'utf8').includes('privateKey'));
    equal(readdirSync(pki).sort().join(' '), 'LAB.json LAB2.json', 'files (no temporary file left)');
    for (const f of ['LAB.json', 'LAB2.json']) equal(mode(join(pki, f)), '600', `${f} mode`);
    const m = JSON.parse(readFileSync(join(pki, 'LAB.json'), 'utf8'));
    equal(m.name, 'LAB', 'name');
    equal(m.cas.length, 1, 'one CA');
    ok(typeof m.certificate === 'string' && m.certificate.includes('BEGIN CERTIFICATE'), 'certificate');
    ok(typeof m.privateKey === 'string' && m.privateKey.includes('BEGIN PRIVATE KEY'), 'PKCS#8 key');
    await stop();
  });

  it('after SIGTERM and a new start, show crypto ca certificates has both certificates and the key', async () => {
    await start();
    ok(/pki: trustpoint LAB restored from .*LAB\.json: 1 CA certificate\(s\), router certificate and key/.test(r!.out()), r!.out());
    ok(/pki: trustpoint LAB2 restored from .*LAB2\.json: 1 CA certificate\(s\)\n/.test(r!.out()), r!.out());
    const o = await cli('show crypto ca certificates');
    ok(o.includes('Trustpoint       : LAB\n') && o.includes('Trustpoint       : LAB2\n'), o);
    ok(o.includes('CN=lab Test CA') && o.includes('Router certificate') && o.includes('CN=routerA.example.com'), o);
    ok(o.includes('Private key    : present (not exportable)'), o);
    equal((o.match(/CA certificate/g) ?? []).length, 2, `a CA certificate in each trustpoint:\n${o}`);
    const lab2 = await cli('show crypto ca certificates LAB2');
    ok(!lab2.includes('Router certificate'), lab2);
  });

  it('clear crypto ca certificates NAME deletes its file; the next start has no certificates there', async () => {
    const o = await cli('clear crypto ca certificates LAB2');
    ok(!o.includes('%'), o);
    await until('LAB2.json removed', () => !existsSync(join(pki, 'LAB2.json')));
    ok(existsSync(join(pki, 'LAB.json')), 'LAB kept');
    await stop();
    await start();
    ok(!r!.out().includes('trustpoint LAB2 restored'), r!.out());
    const show = await cli('show crypto ca certificates');
    ok(show.includes('Trustpoint       : LAB\n') && !show.includes('Trustpoint       : LAB2\n'), show);
    await cli('crypto ca authenticate LAB2', ...pasted(CA), 'yes');
    await until('LAB2.json back', () => existsSync(join(pki, 'LAB2.json')));
    await stop();
  });

  it('a damaged file: a clear error without its contents, the file left in place, the other trustpoint loaded', async () => {
    const labFile = join(pki, 'LAB.json');
    const good = readFileSync(labFile, 'utf8');
    const damaged = good.slice(0, Math.floor(good.length * 0.6));
    writeFileSync(labFile, damaged, { mode: 0o600 });
    await start();
    ok(/pki: .*LAB\.json: not valid JSON \(\d+ bytes; damaged or truncated\); trustpoint LAB not loaded \(file left in place\)/.test(r!.out()), r!.out());
    ok(r!.out().includes('trustpoint LAB2 restored'), r!.out());
    let o = await cli('show crypto ca certificates');
    ok(o.includes('Trustpoint       : LAB2\n') && !o.includes('Router certificate'), o);
    // a change elsewhere does not touch (or delete) the damaged file
    await cli('clear crypto ca certificates LAB2');
    await until('LAB2.json removed', () => !existsSync(join(pki, 'LAB2.json')));
    equal(readFileSync(labFile, 'utf8'), damaged, 'damaged file untouched');
    await cli('crypto ca authenticate LAB2', ...pasted(CA), 'yes');
    await until('LAB2.json back', () => existsSync(join(pki, 'LAB2.json')));
    await stop();

    // well-formed, but the key is another certificate's: TrustpointStore.restore refuses it
    const m = JSON.parse(good);
    writeFileSync(labFile, JSON.stringify({ ...m, privateKey: OTHER_KEY }), { mode: 0o600 });
    await start();
    ok(/pki: .*LAB\.json: refused: trustpoint LAB: the private key does not belong to certificate .*\(file left in place\)/.test(r!.out()), r!.out());
    o = await cli('show crypto ca certificates');
    ok(o.includes('Trustpoint       : LAB2\n') && !o.includes('Trustpoint       : LAB\n'), o);
    // installing again by hand replaces the refused file
    await cli('crypto ca authenticate LAB', ...pasted(CA), 'yes');
    await cli('crypto ca import LAB certificate', ...pasted(CERT), ...pasted(KEY));
    await until('LAB.json rewritten', () => JSON.parse(readFileSync(labFile, 'utf8')).privateKey !== OTHER_KEY);
    await stop();
  });

  it('a trustpoint not in the configuration is not loaded and its file is kept; no crypto ca trustpoint at commit deletes it', async () => {
    await start(['LAB']);
    ok(/pki: .*LAB2\.json: trustpoint LAB2 is not in the configuration: not loaded \(file left in place\)/.test(r!.out()), r!.out());
    let o = await cli('show crypto ca certificates');
    ok(o.includes('Trustpoint       : LAB\n') && !o.includes('LAB2'), o);
    ok(existsSync(join(pki, 'LAB2.json')), 'LAB2.json kept');
    await stop();
    await start();
    ok(r!.out().includes('trustpoint LAB2 restored'), r!.out());
    o = await cli('configure', 'no crypto ca trustpoint LAB2', 'commit', 'end');
    ok(!o.includes('%'), o);
    await until('LAB2.json removed at commit', () => !existsSync(join(pki, 'LAB2.json')));
    ok(existsSync(join(pki, 'LAB.json')), 'LAB kept');
    await stop();
  });

  it('a trustpoint file readable by others, or a DIR writable by others, refuses the start (as ssh does)', async () => {
    const labFile = join(pki, 'LAB.json');
    const before = readFileSync(labFile, 'utf8');
    chmodSync(labFile, 0o644);
    let c = await run(['router', '--config', cfg, '--pki-dir', pki]);
    equal(c.status, 1, `exit status:\n${c.stderr}`);
    ok(c.stderr.includes(`${labFile}: permissions 0644 are too open; it holds a private key: chmod 600 ${labFile}; refusing to start`), c.stderr);
    outputs.push(c.stdout, c.stderr);
    equal(readFileSync(labFile, 'utf8'), before, 'file untouched');
    chmodSync(labFile, 0o600);
    chmodSync(pki, 0o777);
    c = await run(['router', '--config', cfg, '--pki-dir', pki]);
    equal(c.status, 1, `exit status:\n${c.stderr}`);
    ok(c.stderr.includes(`--pki-dir ${pki}: writable by group or others (mode 0777)`), c.stderr);
    outputs.push(c.stdout, c.stderr);
    chmodSync(pki, 0o700);
  });

  it('the private keys were never in any output (router stdout/stderr, cli)', () => {
    ok(outputs.length > 10, 'outputs collected');
    for (const o of outputs) for (const l of KEY_LINES) ok(!o.includes(l), `key material in an output:\n${o.slice(0, 500)}`);
    for (const o of outputs) ok(!/PRIVATE KEY-----\s*\n[A-Za-z0-9+/]/.test(o), 'no PEM private key');
  });

  it('usage: --pki-dir in --help; without a value it is a usage error', async () => {
    const h = await run(['--help']);
    ok(/router --config FILE .*\[--pki-dir PKIDIR\]/.test(h.stdout), h.stdout);
    const u = await run(['router', '--config', cfg, '--pki-dir']);
    equal(u.status, 2, 'usage error');
    ok(u.stderr.includes('router: --pki-dir needs a value'), u.stderr);
  });
});

describe('PkiDir, in process', () => {
  it('a burst of changes is written in order: the files end equal to the final state, no temporary file left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webswan-pkidir-'));
    try {
      const logs: string[] = [];
      const d = new PkiDir(join(dir, 'p'), (t) => logs.push(t));
      const store = new TrustpointStore();
      await d.restoreInto(store, new Set());
      const others = ['other-ca.crt', 'sub-ca.crt'].map(vec);
      const work: Promise<unknown>[] = [];
      for (let i = 0; i < 20; i++) work.push(store.ensure(`T${i % 5}`).addCa(i % 2 ? CA : others[i % 4 === 0 ? 0 : 1]));
      work.push(store.ensure('T0').setIdentity(CERT, KEY));
      await Promise.all(work);
      store.delete('T3');
      store.ensure('EMPTY');
      await d.idle();
      const files = readdirSync(join(dir, 'p')).sort();
      equal(files.join(' '), 'T0.json T1.json T2.json T4.json', 'one file per non-empty trustpoint, none for deleted or empty ones');
      for (const f of files) {
        equal(mode(join(dir, 'p', f)), '600', `${f} mode`);
        const m = JSON.parse(readFileSync(join(dir, 'p', f), 'utf8'));
        equal(JSON.stringify(m), JSON.stringify(store.get(f.replace('.json', ''))!.material()), `${f} = the store's material`);
      }
      for (const l of logs) for (const k of KEY_LINES) ok(!l.includes(k), 'no key in the log');
      // a second PkiDir on the same DIR restores exactly what is there
      const again = new TrustpointStore();
      const names = await new PkiDir(join(dir, 'p'), () => {}).restoreInto(again, new Set(['T0', 'T1', 'T2', 'T3', 'T4']));
      equal(names.join(' '), 'T0 T1 T2 T4', 'restored');
      ok(again.get('T0')!.certificate !== undefined && again.get('T0')!.privateKey !== undefined, 'T0 identity restored');
      let refused: unknown;
      chmodSync(join(dir, 'p', 'T1.json'), 0o640);
      try { new PkiDir(join(dir, 'p'), () => {}).load(new Set(['T1'])); } catch (e) { refused = e; }
      ok(refused instanceof PkiDirError && /permissions 0640 are too open/.test(refused.message), String(refused));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
