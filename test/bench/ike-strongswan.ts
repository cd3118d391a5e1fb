// Time to UP-ACTIVE over real UDP between separate processes (npm run bench:ike, Node, root): strongSwan
// 5.9.8 charon ↔ charon next to charon ↔ webswan, webswan ↔ charon and webswan ↔ webswan, measured in one
// run with the rounds interleaved (one set-up of every pair per round, N rounds, medians) — first with a
// pre-shared key, then with RSA 2048 certificates (a second, identical topology with fresh daemons).
//
// Topology: four network namespaces on one bridge (a fifth namespace holds the bridge):
//   A = charon 10.77.0.1   B = charon 10.77.0.2   W = `webswan router` 10.77.0.3   R = `webswan router` 10.77.0.4
// Every pair: PSK, IKE AES-CBC-256/HMAC-SHA-256/PRF-SHA-256/ECP-256 (group 19), ESP AES-CBC-256/HMAC-SHA-256,
// IPv4-address identities. Certificate rows: the same algorithms, FQDN identities, `auth = pubkey` on charon
// and `authentication local|remote rsa-signature` + `pki trustpoint BENCH` on webswan, RFC 7427 SHA-256
// signatures both ways, certificates from strongSwan's `pki` (test/bench/ike-strongswan-cert.ts; webswan gets
// them over its control socket with `crypto ca authenticate` / `crypto ca import` before any set-up). charon with the harness's plugins (kernel-libipsec: ESP in user space, routes
// and policies installed) and low log levels (no key dumps); webswan routers on node:crypto. W initiates
// (tunnel-ip1 → B, tunnel-ip2 → R, both shut down between measurements); R is responder-only.
//
// Two numbers per set-up:
//  - "command → up": wall time from the command that starts it to the initiator reporting it established.
//    charon initiators: `swanctl --initiate --child … --ike …` (waits for the CHILD_SA; includes starting
//    the swanctl process and the vici round trip — the `swanctl --stats` baseline below is that overhead
//    alone). webswan initiators: over a control-socket session (`debug ikev2` on, in configuration mode
//    with `interface tunnel-ip<n>` / `no shutdown` already typed) from sending `commit` to receiving the
//    trace line "IKE_SA … established" (the Child SA is installed in the same turn of the event loop, so
//    `show ikev2 session` says UP-ACTIVE from then on).
//  - "first message → up": inside the initiator — charon: log timestamps (ms) of "initiating IKE_SA" →
//    "CHILD_SA … established"; webswan: arrival times at the control client of the trace lines
//    "initiating IKE_SA" → "IKE_SA … established". This is the protocol + crypto + both daemons' work,
//    without the command's own overhead.
// Between set-ups the SA is torn down (swanctl --terminate / `shutdown` + commit, which sends Delete) and
// the run waits until both ends have forgotten it.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ControlClient } from '../../src/runtime/node/control.js';
import { type NsProcess, type Topology, canUseNetns, run, sleep, withTopology } from '../support/netns.js';
import { type Charon, type ConnectionConfig, CHARON, startCharon } from '../support/strongswan-peer.js';
import { type BenchCerts, FQDN, TRUSTPOINT, charonFiles, installOnWebswan, makePkiCerts } from './ike-strongswan-cert.js';

const IP = { A: '10.77.0.1', B: '10.77.0.2', W: '10.77.0.3', R: '10.77.0.4' } as const;
const INNER = { A: '192.0.2.1', B: '192.0.2.2', W: '192.0.2.3', R: '192.0.2.4' } as const;
const PSK = 'bench-ike-psk-0123456789';
const LOG_LEVELS = { default: 1, ike: 1, chd: 1, cfg: 1, knl: 1, esp: 0, net: 0, enc: 0, dmn: 1, mgr: 1, lib: 1 };

export type PairId = 'charon→charon' | 'charon→webswan' | 'webswan→charon' | 'webswan→webswan';
export const PAIRS: PairId[] = ['charon→charon', 'charon→webswan', 'webswan→charon', 'webswan→webswan'];

/** The strongSwan rows' authentication: pre-shared key, or RSA 2048 certificates. */
export type InteropAuth = 'psk' | 'rsa2048';

export interface InteropRow {
  pair: PairId;
  auth: InteropAuth;
  initiator: string;
  responder: string;
  /** How "command → up" was measured. */
  method: string;
  n: number;
  /** Medians and spread in ms. */
  commandMs: number; commandMinMs: number; commandMaxMs: number;
  firstMsgMs: number | null;
  samples: { commandMs: number; firstMsgMs: number | null }[];
}

export interface InteropResult {
  skipped?: string;
  /** Why the certificate rows are missing (the PSK rows ran). */
  certSkipped?: string;
  /** The certificate rows failed: the error (tools/bench-ike.mjs prints it and exits 1). */
  certError?: string;
  rows: InteropRow[];
  /** `swanctl --stats` wall time (median): starting swanctl + one vici round trip. */
  swanctlBaselineMs?: number;
  definition: string;
  env: Record<string, unknown>;
}

export const DEFINITION = 'command → up: charon initiator = wall time of `swanctl --initiate` (returns once the CHILD_SA is ' +
  'established; includes starting swanctl and the vici round trip); webswan initiator = `commit` of `no shutdown` on ' +
  'the tunnel-ip interface over a control session → the trace line "IKE_SA … established" (Child SA installed in the ' +
  'same turn: UP-ACTIVE). first message → up: inside the initiator, "initiating IKE_SA" → established ' +
  '(charon: its log timestamps; webswan: arrival of its trace lines at the control client).';

const median = (xs: number[]) => { const s = [...xs].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const r1 = (x: number) => Math.round(x * 10) / 10;

/** W's or R's configuration; with `certs`, rsa-signature both ways with FQDN identities instead of the keyring. */
function webswanConfig(me: 'W' | 'R', certs?: BenchCerts): string {
  const peers = me === 'W' ? (['B', 'R'] as const) : (['B', 'W'] as const);
  const auth = certs
    ? ` identity local fqdn ${FQDN[me]}
${peers.map((p) => ` match identity remote fqdn ${FQDN[p]}`).join('\n')}
 authentication local rsa-signature
 authentication remote rsa-signature
 pki trustpoint ${TRUSTPOINT}`
    : `${peers.map((p) => ` match identity remote address ${IP[p]} 255.255.255.255`).join('\n')}
 keyring KR
 authentication local pre-shared`;
  return `hostname ${me}
interface GigabitEthernet0/0/0/0
 ipv4 address ${IP[me]} 255.255.255.0
!
${certs ? `crypto ca trustpoint ${TRUSTPOINT}\n enrollment terminal\n subject-name CN=${FQDN[me]}\n!\n` : ''}ikev2 proposal P1
 encryption aes-cbc-256
 integrity sha-256
 prf sha-256
 dh-group 19
!
ikev2 policy POL
 match address local ${IP[me]}
 proposal P1
!
${certs ? '' : `keyring KR
${peers.map((p) => ` peer ${p}\n  address ${IP[p]} 255.255.255.255\n  pre-shared-key ${PSK}\n !`).join('\n')}
!
`}ikev2 profile PROF
${auth}
 lifetime 86400
!
ipsec transform-set TS
 transform esp-256-aes esp-hmac-sha-256
 mode tunnel
!
ipsec profile IPP
 set ikev2-profile PROF
 set transform-set TS
 set security-association lifetime seconds 3600
${me === 'R' ? ' set responder-only\n' : ''}!
${peers.map((p, i) => `interface tunnel-ip${i + 1}
 ipv4 address 172.16.${i + 1}.${me === 'W' ? 1 : 2} 255.255.255.0
 tunnel mode ipsec ipv4
 tunnel source GigabitEthernet0/0/0/0
 tunnel destination ${IP[p]}
 tunnel protection ipsec profile IPP
${me === 'W' ? ' shutdown\n' : ''}!`).join('\n')}
`;
}

function charonConn(me: 'A' | 'B', peer: 'A' | 'B' | 'W' | 'R', cert: boolean): ConnectionConfig {
  const ids = cert
    ? { local: { id: FQDN[me], auth: 'pubkey', certs: 'charon.crt' }, remote: { id: FQDN[peer], auth: 'pubkey' } }
    : { local: { id: IP[me] }, remote: { id: IP[peer] }, psk: PSK };
  return {
    name: `tun${peer}`, local_addrs: IP[me], remote_addrs: IP[peer], proposals: 'aes256-sha256-ecp256', ...ids, dpd_delay: 0,
    children: [{ name: `net${peer}`, local_ts: `${INNER[me]}/32`, remote_ts: `${INNER[peer]}/32`, esp_proposals: 'aes256-sha256' }],
  };
}

/** A control-socket session with `debug ikev2` on; trace lines are time-stamped on arrival. */
class Session {
  private lines: { at: number; text: string }[] = [];
  private constructor(readonly c: ControlClient) {
    let partial = '';
    c.onOut = (t) => {
      const at = performance.now();
      partial += t;
      const parts = partial.split('\n');
      partial = parts.pop()!;
      for (const p of parts) this.lines.push({ at, text: p });
    };
  }
  static async open(path: string): Promise<Session> {
    const s = new Session(await ControlClient.connect(path));
    await s.line('terminal length 0');
    await s.line('debug ikev2');
    return s;
  }
  async line(l: string): Promise<void> {
    const d = await this.c.request({ line: l });
    if (d.closed) throw new Error(`webswan control: session closed after ${l}`);
  }
  mark(): number { return this.lines.length; }
  async waitFor(re: RegExp, from: number, timeoutMs = 10_000): Promise<{ at: number; text: string }> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      for (let i = from; i < this.lines.length; i++) if (re.test(this.lines[i].text)) return this.lines[i];
      if (Date.now() > end) throw new Error(`webswan control: no ${re} within ${timeoutMs} ms; last lines:\n${this.lines.slice(-15).map((l) => l.text).join('\n')}`);
      await new Promise<void>((r) => setImmediate(r));
    }
  }
  textSince(m: number): string { return this.lines.slice(m).map((l) => l.text).join('\n'); }
  count(re: RegExp): number { return this.lines.filter((l) => re.test(l.text)).length; }
  close(): void { this.c.close(); }
}

/** HH:MM:SS.mmm at the start of a charon log line → ms of the day. */
function logMs(line: string): number | null {
  const m = /^(\d\d):(\d\d):(\d\d)\.(\d{3})/.exec(line);
  return m ? ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + Number(m[4]) : null;
}

/** "initiating IKE_SA" → "CHILD_SA … established" in the initiator's log written after `since`. */
function charonFirstMsg(log: string, since: number, ike: string, child: string): number | null {
  const lines = log.slice(since).split('\n');
  const a = lines.find((l) => l.includes(`initiating IKE_SA ${ike}[`));
  const b = lines.find((l) => new RegExp(`CHILD_SA ${child}\\{\\d+\\} established`).test(l));
  const ta = a ? logMs(a) : null, tb = b ? logMs(b) : null;
  return ta !== null && tb !== null ? tb - ta : null;
}

async function charonNoSa(c: Charon, ike: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while ((await c.listSas({ ike })).length) {
    if (Date.now() > end) throw new Error(`charon ${c.name}: IKE_SA ${ike} still there after ${timeoutMs} ms`);
    await sleep(10);
  }
}

const esc = (x: string) => x.replace(/\./g, '\\.');

/**
 * Every set-up of the certificate rounds really used certificates: each verifier logged the peer's RSA
 * signature as verified once per set-up (charon: `authentication of 'ID' with RSA_EMSA_PKCS1_SHA2_256
 * successful`, after validating the certificate; webswan: `using trusted ca certificate "…"` and
 * `authentication of 'ID' with sha256WithRSAEncryption (method 14) successful`).
 */
function checkCertAuth(n: number, d: { A: Charon; B: Charon; W: Session; R: Session }): void {
  const charonRe = (id: string) => new RegExp(`authentication of '${esc(id)}' with RSA_EMSA_PKCS1_SHA2_256 successful`, 'g');
  const webswanRe = (id: string) => new RegExp(`authentication of '${esc(id)}' with sha256WithRSAEncryption \\(method 14\\) successful`);
  const found: [string, number][] = [
    ['charon A verified B (charon→charon)', d.A.log().match(charonRe(FQDN.B))?.length ?? 0],
    ['charon B verified A (charon→charon)', d.B.log().match(charonRe(FQDN.A))?.length ?? 0],
    ['charon B verified R (charon→webswan)', d.B.log().match(charonRe(FQDN.R))?.length ?? 0],
    ['charon B verified W (webswan→charon)', d.B.log().match(charonRe(FQDN.W))?.length ?? 0],
    ['webswan R verified B (charon→webswan)', d.R.count(webswanRe(FQDN.B))],
    ['webswan W verified B (webswan→charon)', d.W.count(webswanRe(FQDN.B))],
    ['webswan W verified R (webswan→webswan)', d.W.count(webswanRe(FQDN.R))],
    ['webswan R verified W (webswan→webswan)', d.R.count(webswanRe(FQDN.W))],
    ['webswan W validated certificates up to the bench CA', d.W.count(/using trusted ca certificate "C=XX, O=webswan bench, CN=bench Root CA"/) / 2],
    ['webswan R validated certificates up to the bench CA', d.R.count(/using trusted ca certificate "C=XX, O=webswan bench, CN=bench Root CA"/) / 2],
  ];
  const bad = found.filter(([, k]) => k < n);
  if (bad.length) throw new Error(`bench:ike (certificates): expected ${n} per check: ${bad.map(([w, k]) => `${w}: ${k}`).join('; ')}`);
}

export interface InteropOptions {
  /** Set-ups per pair. */
  n: number;
  /** The bundled `webswan` CLI (src/runtime/node/cli.ts). */
  webswanCli: string;
  progress?: (msg: string) => void;
}

export async function runInterop(o: InteropOptions): Promise<InteropResult> {
  const base = { rows: [], definition: DEFINITION, env: {} };
  if (process.getuid?.() !== 0) return { ...base, skipped: 'skipped (needs root)' };
  if (!existsSync(CHARON)) return { ...base, skipped: `skipped (no ${CHARON})` };
  if (!canUseNetns()) return { ...base, skipped: 'skipped (ip netns does not work here)' };
  const say = o.progress ?? (() => {});
  const psk = await withTopology(async (topo) => measure(topo, o, say), { keepDir: 'on-failure' });
  if (!existsSync('/usr/bin/pki')) return { ...psk, certSkipped: 'certificate rows skipped (no /usr/bin/pki)' };
  say('strongSwan: RSA 2048 certificates with pki');
  let certs: BenchCerts, cert: InteropResult;
  try {
    certs = await makePkiCerts();
    cert = await withTopology(async (topo) => measure(topo, o, say, certs), { keepDir: 'on-failure' });
  } catch (e) {
    // keep the PSK rows; the caller reports the failure
    return { ...psk, certSkipped: 'certificate rows failed (see the error above)', certError: (e as Error)?.stack ?? String(e) };
  }
  return {
    ...psk, rows: [...psk.rows, ...cert.rows],
    env: { ...psk.env, cert: { pkiSeconds: certs.seconds, leafBits: certs.bits, caBits: 3072, hash: 'sha256' } },
  };
}

/** One topology, four daemons, N interleaved rounds of the four pairs; `certs`: the certificate rows. */
async function measure(topo: Topology, o: InteropOptions, say0: (m: string) => void, certs?: BenchCerts): Promise<InteropResult> {
  const auth: InteropAuth = certs ? 'rsa2048' : 'psk';
  const say = (m: string) => say0(certs ? m.replace('strongSwan:', 'strongSwan (certificates):') : m);
  const [s, a, b, w, r] = await topo.addNamespaces('s', 'a', 'b', 'w', 'r');
  await topo.exec(s, 'ip', ['link', 'add', 'br0', 'type', 'bridge'], { check: true });
  await topo.exec(s, 'ip', ['link', 'set', 'br0', 'up'], { check: true });
  for (const [ns, k] of [[a, 'A'], [b, 'B'], [w, 'W'], [r, 'R']] as const) {
    const [, sw] = await topo.addVeth({ ns, addr: `${IP[k]}/24` }, { ns: s });
    await topo.exec(s, 'ip', ['link', 'set', sw, 'master', 'br0'], { check: true });
    await topo.addAddress(ns, `${INNER[k]}/32`);
  }
  say('strongSwan: topology up; starting charon A, B and webswan W, R');
  const charonOpts = { topo, logLevels: LOG_LEVELS };
  const [A, B] = await Promise.all([
    startCharon({ ...charonOpts, ns: a, name: 'A', connections: [charonConn('A', 'B', !!certs)], ...(certs ? { files: charonFiles(certs, 'A') } : {}) }),
    startCharon({
      ...charonOpts, ns: b, name: 'B', connections: [charonConn('B', 'A', !!certs), charonConn('B', 'W', !!certs), charonConn('B', 'R', !!certs)],
      ...(certs ? { files: charonFiles(certs, 'B') } : {}),
    }),
  ]);
  const routers: Record<'W' | 'R', { proc: NsProcess; ctl: string }> = {} as never;
  for (const [k, ns] of [['W', w], ['R', r]] as const) {
    const cfg = join(topo.dir, `${k}.cfg`), ctl = join(topo.dir, `${k}.sock`);
    writeFileSync(cfg, webswanConfig(k, certs));
    const proc = topo.spawn(ns, process.execPath, [o.webswanCli, 'router', '--config', cfg, '--control', ctl], { name: `webswan-${k}` });
    await proc.waitForOutput(/router \S+ running/, 15_000);
    routers[k] = { proc, ctl };
    if (certs) await installOnWebswan(ctl, certs, k);
  }
  if (certs) say('strongSwan: certificates installed on W and R through their control sockets');
  const W = await Session.open(routers.W.ctl), R = await Session.open(routers.R.ctl);
  const samples: Record<PairId, { commandMs: number; firstMsgMs: number | null }[]> = {
    'charon→charon': [], 'charon→webswan': [], 'webswan→charon': [], 'webswan→webswan': [],
  };

  const viaSwanctl = async (c: Charon, peer: 'A' | 'B' | 'W' | 'R', responderGone: () => Promise<void>) => {
    const since = c.log().length;
    const t0 = performance.now();
    const res = await c.initiate(`net${peer}`, `tun${peer}`, { check: false });
    const ms = performance.now() - t0;
    if (res.code !== 0 || !/initiate completed successfully/.test(res.stdout)) throw new Error(`charon ${c.name} → ${peer}: ${res.stdout}${res.stderr}`);
    await sleep(20); // the log line is flushed by now (flush_line), but let the daemon finish its turn
    const first = charonFirstMsg(c.log(), since, `tun${peer}`, `net${peer}`);
    await c.terminate({ ike: `tun${peer}` });
    await charonNoSa(c, `tun${peer}`);
    await responderGone();
    return { commandMs: ms, firstMsgMs: first };
  };
  const webswanNoSa = async (sess: Session, peerAddr: string, timeoutMs = 5000) => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const m = sess.mark();
      await sess.line('show ikev2 session');
      await sleep(0);
      const text = sess.textSince(m);
      if (!text.includes(peerAddr)) return;
      if (Date.now() > end) throw new Error(`webswan: session with ${peerAddr} still there after ${timeoutMs} ms:\n${text}`);
      await sleep(10);
    }
  };
  const viaWebswan = async (tunnel: string, responderGone: () => Promise<void>) => {
    await W.line('configure');
    await W.line(`interface ${tunnel}`);
    await W.line('no shutdown');
    const m = W.mark();
    const t0 = performance.now();
    await W.line('commit');
    const up = await W.waitFor(/IKE_SA \d+ established between/, m);
    const init = await W.waitFor(/initiating IKE_SA/, m);
    const sample = { commandMs: up.at - t0, firstMsgMs: up.at - init.at };
    const m2 = W.mark();
    await W.line('shutdown');
    await W.line('commit');
    await W.line('end');
    await W.waitFor(/deleted/, m2);
    await responderGone();
    return sample;
  };

  // the swanctl overhead alone: process start + one vici round trip
  const base: number[] = [];
  for (let i = 0; i < 5; i++) { const t0 = performance.now(); await A.swanctl(['--stats']); base.push(performance.now() - t0); }

  // one untimed warm-up set-up of every pair (first connections, JIT, caches), then N interleaved rounds
  for (let round = 0; round <= o.n; round++) {
    say(round === 0 ? 'strongSwan: warm-up round' : `strongSwan: round ${round}/${o.n}`);
    const got: [PairId, { commandMs: number; firstMsgMs: number | null }][] = [];
    got.push(['charon→charon', await viaSwanctl(A, 'B', () => charonNoSa(B, 'tunA'))]);
    got.push(['charon→webswan', await viaSwanctl(B, 'R', () => webswanNoSa(R, IP.B))]);
    got.push(['webswan→charon', await viaWebswan('tunnel-ip1', () => charonNoSa(B, 'tunW'))]);
    got.push(['webswan→webswan', await viaWebswan('tunnel-ip2', () => webswanNoSa(R, IP.W))]);
    if (round > 0) for (const [k, v] of got) samples[k].push(v);
  }
  if (certs) checkCertAuth(o.n + 1, { A, B, W, R });
  W.close(); R.close();

  const swanctlVersion = (await run('swanctl', ['--version'])).stdout.trim();
  const method = (p: PairId) => (p.startsWith('charon') ? 'swanctl --initiate' : 'control: commit no shutdown');
  const rows = PAIRS.map((p): InteropRow => {
    const xs = samples[p].map((x) => x.commandMs);
    const fs = samples[p].map((x) => x.firstMsgMs).filter((x): x is number => x !== null);
    const [ini, resp] = p.split('→');
    return {
      pair: p, auth, initiator: ini, responder: resp, method: method(p), n: xs.length,
      commandMs: r1(median(xs)), commandMinMs: r1(Math.min(...xs)), commandMaxMs: r1(Math.max(...xs)),
      firstMsgMs: fs.length ? r1(median(fs)) : null,
      samples: samples[p].map((x) => ({ commandMs: r1(x.commandMs), firstMsgMs: x.firstMsgMs === null ? null : r1(x.firstMsgMs) })),
    };
  });
  return {
    rows, swanctlBaselineMs: r1(median(base)), definition: DEFINITION,
    env: { strongswan: swanctlVersion, charonLogLevels: LOG_LEVELS, rounds: o.n, webswanCli: o.webswanCli },
  };
}
