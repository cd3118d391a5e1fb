// `webswan router` and `webswan cli` as processes, the way an operator runs them (as root, on loopback
// addresses of their own): UDP 500/4500 bound on every interface address and re-bound after a commit,
// datagrams in the pcap while the router runs, Wireshark key files, the control socket (mode 0600, one
// router per socket, stale sockets replaced), console sessions through it (-c, piped, a terminal), and a
// clean stop on SIGTERM. Bad configurations and unreachable sockets fail with exit status 1.
import { type ChildProcess, spawn } from 'node:child_process';
import * as dgram from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from './env-node.js';
import { UdpHost } from '../../src/runtime/node/udp.js';
import { KeyLogDir, PcapFile } from '../../src/runtime/node/capture-files.js';
import { ikev2TableLine, espSaLine } from '../../src/capture/keylog.js';
import type { Datagram } from '../../src/router/types.js';
import { recipeEspEvents, recipeIkeEvent } from '../suites/capture.js';
import { equal, ok } from '../support/assert.js';

const root = projectRoot();
const bin = join(root, 'bin', 'webswan.mjs');
// loopback addresses no other test uses (all of 127/8 is local on Linux)
const A1 = '127.91.0.1', A2 = '127.91.0.2', A3 = '127.91.0.3', B1 = '127.91.1.1', C1 = '127.91.2.1', C2 = '127.91.2.2';

const config = (host: string, ...addrs: string[]) => `hostname ${host}\n` +
  addrs.map((a, i) => `interface GigabitEthernet0/0/0/${i}\n ipv4 address ${a} 255.0.0.0\n!\n`).join('');

interface Run { status: number | null; stdout: string; stderr: string }

function run(args: string[], input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d: Buffer) => { stdout += d; });
    p.stderr.on('data', (d: Buffer) => { stderr += d; });
    p.on('close', (status) => resolve({ status, stdout, stderr }));
    p.stdin.end(input ?? '');
  });
}

async function until(what: string, cond: () => boolean, ms = 10000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface RouterProc { p: ChildProcess; stderr: () => string; exited: Promise<number | null> }

async function startRouter(args: string[]): Promise<RouterProc> {
  const p = spawn(process.execPath, [bin, 'router', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  p.stderr!.on('data', (d: Buffer) => { err += d; });
  const exited = new Promise<number | null>((resolve) => p.on('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => { gone = true; });
  await until('the router to start', () => gone || /router \S+ running/.test(err));
  if (gone) throw new Error(`router exited during startup:\n${err}`);
  return { p, stderr: () => err, exited };
}

interface Record { src: string; dst: string; sport: number; dport: number; data: Buffer }

/** The IPv4/UDP records of a LINKTYPE_RAW pcap (as much as has been written so far). */
function readPcap(file: string): Record[] {
  const b = readFileSync(file);
  const out: Record[] = [];
  if (b.length < 24) return out;
  equal(b.readUInt32LE(0), 0xa1b2c3d4, 'pcap magic');
  equal(b.readUInt32LE(20), 101, 'LINKTYPE_RAW');
  for (let o = 24; o + 16 <= b.length;) {
    const len = b.readUInt32LE(o + 8);
    if (o + 16 + len > b.length) break;
    const pkt = b.subarray(o + 16, o + 16 + len);
    out.push({ src: [...pkt.subarray(12, 16)].join('.'), dst: [...pkt.subarray(16, 20)].join('.'),
      sport: pkt.readUInt16BE(20), dport: pkt.readUInt16BE(22), data: pkt.subarray(28) });
    o += 16 + len;
  }
  return out;
}

function sendUdp(to: string, port: number, data: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    s.bind(0, '127.0.0.1', () => {
      const sport = s.address().port;
      s.send(data, port, to, (e) => { s.close(); if (e) reject(e); else resolve(sport); });
    });
  });
}

describe('webswan router and webswan cli', () => {
  let dir = '', sock = '', pcap = '', keys = '', cfg = '';
  let r: RouterProc | undefined;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'webswan-router-'));
    sock = join(dir, 'control.sock'); pcap = join(dir, 'wire.pcap'); keys = join(dir, 'keys'); cfg = join(dir, 'r1.cfg');
    writeFileSync(cfg, config('R1', A1, A2));
    r = await startRouter(['--config', cfg, '--control', sock, '--pcap', pcap, '--keylog', keys]);
  });
  after(async () => {
    if (r && r.p.exitCode === null) { r.p.kill('SIGKILL'); await r.exited; }
    rmSync(dir, { recursive: true, force: true });
  });

  it('binds UDP 500 and 4500 on each interface address and logs them (no secrets) on stderr', () => {
    for (const a of [A1, A2]) for (const port of [500, 4500]) ok(r!.stderr().includes(`listening on UDP ${a}:${port}`), r!.stderr());
    ok(r!.stderr().includes(`router R1 running: UDP ${A1}:500, ${A1}:4500, ${A2}:500, ${A2}:4500; control ${sock}`), r!.stderr());
  });

  it('datagrams received on each socket are in the pcap while the router runs, with the socket\'s address and port', async () => {
    const sent: { dst: string; dport: number; sport: number; data: Buffer }[] = [];
    for (const dst of [A1, A2]) {
      for (const dport of [500, 4500]) {
        const data = Buffer.from(`probe ${dst}:${dport}`);
        sent.push({ dst, dport, data, sport: await sendUdp(dst, dport, data) });
      }
    }
    await until('four records in the pcap', () => readPcap(pcap).length >= 4, 5000);
    const recs = readPcap(pcap);
    for (const s of sent) {
      const m = recs.find((x) => x.data.equals(s.data));
      ok(m, `record for ${s.data}`);
      equal(`${m.src}:${m.sport} -> ${m.dst}:${m.dport}`, `127.0.0.1:${s.sport} -> ${s.dst}:${s.dport}`, 'addresses and ports');
    }
  });

  it('the control socket is a socket of mode 0600 owned by the router\'s user; keylog files are 0600', () => {
    const st = statSync(sock);
    ok(st.isSocket(), 'a socket');
    equal((st.mode & 0o777).toString(8), '600', 'mode');
    equal(st.uid, process.getuid!(), 'owner');
    for (const f of ['ikev2_decryption_table', 'esp_sa', 'preferences']) {
      equal((statSync(join(keys, f)).mode & 0o777).toString(8), '600', `${f} mode`);
    }
    equal(readFileSync(join(keys, 'preferences'), 'utf8'), 'esp.enable_encryption_decode: TRUE\nesp.enable_authentication_check: TRUE\n', 'preferences');
    equal(readFileSync(join(keys, 'ikev2_decryption_table'), 'utf8'), '', 'no IKE SA yet');
  });

  it('cli -c "show running-config": the console\'s output, exactly', async () => {
    const c = await run(['cli', '--control', sock, '-c', 'show running-config']);
    equal(c.status, 0, `exit status (stderr: ${c.stderr})`);
    equal(c.stderr, '', 'stderr');
    ok(/^\w{3} \w{3} +\d+ \d\d:\d\d:\d\d\.\d{3} UTC\nBuilding configuration\.\.\.\n/.test(c.stdout), c.stdout);
    ok(c.stdout.endsWith(`!\nhostname R1\n!\ninterface GigabitEthernet0/0/0/0\n ipv4 address ${A1} 255.0.0.0\n!\n` +
      `interface GigabitEthernet0/0/0/1\n ipv4 address ${A2} 255.0.0.0\n!\nend\n`), c.stdout);
    ok(!c.stdout.includes('RP/0/RP0/CPU0:'), 'no prompts with -c');
  });

  it('several -c lines run in one session: configure, hostname, commit, show', async () => {
    const c = await run(['cli', '--control', sock, '-c', 'configure', '-c', 'hostname R9', '-c', 'commit', '-c', 'show running-config hostname']);
    equal(c.status, 0, `exit status (stderr: ${c.stderr})`);
    ok(c.stdout.endsWith('!\nhostname R9\n!\nend\n'), c.stdout);
    const again = await run(['cli', '--control', sock, '-c', 'show running-config hostname']);
    ok(again.stdout.endsWith('!\nhostname R9\n!\nend\n'), 'committed: a new session sees it');
    const q = await run(['cli', '--control', sock, '-c', 'show ip?']);
    equal(q.stdout, '  ip     IPv4 information (alias of ipv4)\n  ipsec  IPsec information\n  ipv4   IPv4 information\n', 'a line ending in ? shows the help');
  });

  it('a commit that changes the interface addresses re-binds the UDP sockets', async () => {
    const c = await run(['cli', '--control', sock, '-c', 'configure', '-c', 'interface GigabitEthernet0/0/0/1',
      '-c', `ipv4 address ${A3} 255.0.0.0`, '-c', 'commit']);
    equal(c.status, 0, `exit status (stderr: ${c.stderr})`);
    await until('the new address bound', () => r!.stderr().includes(`listening on UDP ${A3}:4500`) && r!.stderr().includes(`closed UDP ${A2}:4500`), 5000);
    const data = Buffer.from('after the re-bind');
    await sendUdp(A3, 4500, data);
    await until('the datagram in the pcap', () => readPcap(pcap).some((x) => x.data.equals(data) && x.dst === A3 && x.dport === 4500), 5000);
  });

  it('from a pipe: prompt, line and output, like webswan console', async () => {
    const c = await run(['cli', '--control', sock], 'show running-config hostname\nconfigure\nhostname R5\nend\nno\nexit\nshow clock\n');
    equal(c.status, 0, `exit status (stderr: ${c.stderr})`);
    ok(c.stdout.startsWith('RP/0/RP0/CPU0:R9#show running-config hostname\n'), c.stdout);
    ok(c.stdout.includes('!\nhostname R9\n!\nend\nRP/0/RP0/CPU0:R9#configure\n'), c.stdout);
    ok(c.stdout.includes('\nRP/0/RP0/CPU0:R9(config)#hostname R5\nRP/0/RP0/CPU0:R9(config)#end\n' +
      'Uncommitted changes found, commit them before exiting(yes/no/cancel)? [cancel]: no\n'), `a question is a prompt too: ${c.stdout}`);
    ok(c.stdout.endsWith('RP/0/RP0/CPU0:R9#exit\n'), `stops at exit, the rest unread: ${c.stdout}`);
  });

  it('on a terminal: Tab completes, ? shows help without taking the line, Enter runs it', async () => {
    // script(1) gives the cli a pseudo-terminal; each key goes once the previous one is on the screen
    const p = spawn('script', ['-qfc', `${process.execPath} ${bin} cli --control ${sock}`, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    p.stdout.on('data', (d: Buffer) => { screen += d.toString(); });
    const plain = () => screen.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r/g, '');
    const waitFor = (text: string) => until(`the terminal to show ${JSON.stringify(text)}:\n${plain()}`, () => plain().includes(text) || p.exitCode !== null, 15000)
      .then(() => { if (!plain().includes(text)) throw new Error(`cli exited before showing ${JSON.stringify(text)}:\n${plain()}`); });
    try {
      await waitFor('RP/0/RP0/CPU0:R9#');
      p.stdin.write('conf'); await waitFor('R9#conf');
      p.stdin.write('\t'); await waitFor('R9#configure ');
      p.stdin.write('\r'); await waitFor('R9(config)#');
      p.stdin.write('ikev2 profile PR lifetime '); await waitFor('lifetime ');
      p.stdin.write('?'); await waitFor('<120-86400>  Enter the lifetime value in seconds');
      p.stdin.write('600\r'); await waitFor('lifetime 600\n');
      p.stdin.write('end\r'); await waitFor('Uncommitted changes found');
      p.stdin.write('no\r'); await waitFor('[cancel]: no\nRP/0/RP0/CPU0:R9#');
      p.stdin.write('exit\r');
      await new Promise<void>((resolve) => { if (p.exitCode !== null) resolve(); else p.on('exit', () => resolve()); });
      equal(p.exitCode, 0, 'exit status');
    } finally {
      if (p.exitCode === null) p.kill();
    }
  });

  it('a second router on the same control socket is refused; the first keeps running', async () => {
    const c = await run(['router', '--config', cfg, '--control', sock]);
    equal(c.status, 1, 'exit status');
    ok(c.stderr.includes(`another router is already serving ${sock}`), c.stderr);
    equal(r!.p.exitCode, null, 'first router still running');
  });

  it('SIGTERM: exit 0, the control socket removed', async () => {
    r!.p.kill('SIGTERM');
    equal(await r!.exited, 0, `exit status (stderr: ${r!.stderr()})`);
    ok(!existsSync(sock), 'socket removed');
    ok(r!.stderr().includes('router R9 stopped'), r!.stderr());
  });

  it('cli without a router: exit 1 and why', async () => {
    const c = await run(['cli', '--control', sock, '-c', 'show clock']);
    equal(c.status, 1, 'exit status');
    ok(c.stderr.includes(`cannot connect to ${sock}`), c.stderr);
  });

  it('a stale socket left by a router that was killed is replaced', async () => {
    const b = join(dir, 'b.cfg');
    writeFileSync(b, config('RB', B1));
    const k = await startRouter(['--config', b, '--control', sock]);
    k.p.kill('SIGKILL');
    await k.exited;
    ok(existsSync(sock), 'the killed router left its socket behind');
    const n = await startRouter(['--config', b, '--control', sock]);
    try {
      const c = await run(['cli', '--control', sock, '-c', 'show running-config hostname']);
      ok(c.stdout.endsWith('hostname RB\n!\nend\n'), c.stdout);
    } finally {
      n.p.kill('SIGINT');
      equal(await n.exited, 0, 'SIGINT: exit 0');
    }
    ok(!existsSync(sock), 'socket removed');
  });

  it('a configuration with errors: exit 1, each error on stderr; a missing file: exit 1', async () => {
    const bad = join(dir, 'bad.cfg');
    writeFileSync(bad, `hostname X\ninterface GigabitEthernet0/0/0/0\n ipv4 address ${B1} 255.0.0.0\n bogus line\n!\n`);
    const c = await run(['router', '--config', bad, '--control', join(dir, 'bad.sock')]);
    equal(c.status, 1, 'exit status');
    ok(c.stderr.includes(`${bad}:4: bogus line\n`) && c.stderr.includes("% Invalid input detected at '^' marker."), c.stderr);
    ok(!existsSync(join(dir, 'bad.sock')), 'no control socket');
    const m = await run(['router', '--config', join(dir, 'missing.cfg')]);
    equal(m.status, 1, 'missing file');
    ok(m.stderr.includes('cannot read'), m.stderr);
    const u = await run(['router']);
    equal(u.status, 2, 'no --config: usage');
    ok(u.stderr.includes('--config FILE is required'), u.stderr);
  });
});

describe('the Node router\'s host adapters, in process', () => {
  it('UdpHost: a datagram in names the socket it arrived on; wire.send leaves from the socket of (src, sport)', async () => {
    const got: Datagram[] = [];
    const logs: string[] = [];
    const host = new UdpHost((d) => got.push(d), (t) => logs.push(t));
    const peer = dgram.createSocket('udp4');
    try {
      await host.follow([C1]);
      equal(host.keys().join(' '), `${C1}:500 ${C1}:4500`, 'bound');
      await new Promise<void>((resolve) => peer.bind(0, '127.0.0.1', () => resolve()));
      const pport = peer.address().port;
      const heard: { data: string; from: string }[] = [];
      peer.on('message', (m, ri) => heard.push({ data: m.toString(), from: `${ri.address}:${ri.port}` }));
      peer.send('to 4500', 4500, C1);
      await until('the datagram', () => got.length === 1);
      equal(`${got[0].src}:${got[0].sport} -> ${got[0].dst}:${got[0].dport} ${Buffer.from(got[0].data)}`, `127.0.0.1:${pport} -> ${C1}:4500 to 4500`, 'received');
      host.wire.send({ src: C1, sport: 4500, dst: '127.0.0.1', dport: pport, data: Buffer.from('from 4500') });
      host.wire.send({ src: C1, sport: 500, dst: '127.0.0.1', dport: pport, data: Buffer.from('from 500') });
      await until('both replies', () => heard.length === 2);
      ok(heard.some((h) => h.data === 'from 4500' && h.from === `${C1}:4500`), JSON.stringify(heard));
      ok(heard.some((h) => h.data === 'from 500' && h.from === `${C1}:500`), JSON.stringify(heard));
      host.wire.send({ src: C2, sport: 500, dst: '127.0.0.1', dport: pport, data: new Uint8Array(1) });
      ok(logs.includes(`no UDP socket on ${C2}:500; dropped a datagram to 127.0.0.1:${pport}`), logs.join('\n'));
      await host.follow([C2]);
      equal(host.keys().join(' '), `${C2}:500 ${C2}:4500`, 'moved to the new address');
      ok(logs.includes(`closed UDP ${C1}:500`), logs.join('\n'));
    } finally {
      host.close();
      peer.close();
    }
  });

  it('KeyLogDir: the three files rewritten per new SA, nothing left half-written; PcapFile: records as they come', () => {
    const dir = mkdtempSync(join(tmpdir(), 'webswan-keylogdir-'));
    try {
      const v = JSON.parse(readFileSync(join(root, 'test', 'vectors', 'strongswan', 'recipe.json'), 'utf8'));
      const k = new KeyLogDir(join(dir, 'keys'), () => {});
      equal(readdirSync(join(dir, 'keys')).sort().join(' '), 'esp_sa ikev2_decryption_table preferences', 'files at start');
      k.add(recipeIkeEvent(v));
      for (const e of recipeEspEvents(v)) k.add(e);
      k.add(recipeIkeEvent(v));
      equal(readFileSync(join(dir, 'keys', 'ikev2_decryption_table'), 'utf8'), ikev2TableLine(recipeIkeEvent(v)) + '\n', 'IKE table');
      equal(readFileSync(join(dir, 'keys', 'esp_sa'), 'utf8'), recipeEspEvents(v).map((e) => espSaLine(e) + '\n').join(''), 'ESP table');
      equal(readdirSync(join(dir, 'keys')).length, 3, 'no temporary files left');
      equal((statSync(join(dir, 'keys')).mode & 0o777).toString(8), '700', 'directory mode');

      const p = new PcapFile(join(dir, 'w.pcap'), () => {});
      equal(readFileSync(join(dir, 'w.pcap')).length, 24, 'header at once');
      p.write({ direction: 'out', at: new Date(), datagram: { src: C1, sport: 500, dst: C2, dport: 500, data: Buffer.from('x') } });
      equal(readPcap(join(dir, 'w.pcap')).length, 1, 'a record at once');
      p.close();
      p.write({ direction: 'out', at: new Date(), datagram: { src: C1, sport: 500, dst: C2, dport: 500, data: Buffer.from('y') } });
      equal(readPcap(join(dir, 'w.pcap')).length, 1, 'nothing after close');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
