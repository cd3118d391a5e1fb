// Dynamic PPK over SKIP between two `webswan router` processes on real UDP, each with its own key server over
// TLS-PSK (issue [5/5], Proof). Three network namespaces:
//   r1 ── veth 10.10.10.0/24 (IKE/ESP) ── r2
//   r1 ── veth 10.70.1.0/24 ── k ── veth 10.70.2.0/24 ── r2
// `webswan kme` in k serves both ends of one pair (KP_A on 10.70.1.2:10001 for router1, KP_B on
// 10.70.2.2:10002 for router2) over TLS-PSK, each listener with its own PSK (--psk-* for KP_A,
// --peer-psk-* for KP_B); each router has `sks profile QKD type remote` with `kme server ipv4 … port …` and
// `kme psk id … key seven …` holding its own KP's PSK, and `ppk dynamic QKD required` in its keyring.
// Checked: UP-ACTIVE with `Quantum resistance : Enabled with dynamic PPK` on both, ping 100 % both ways,
// `show sks profile` (Reachable, system IDs, keys fetched); then the kme is stopped and `clear ikev2 sa`:
// with `required` no SA comes up and the initiator's trace says the key source is unreachable; after
// `ppk dynamic QKD` (not required) on both (router2 is `set responder-only`), the SA comes up without PPK (`Disabled`).
// Finally tshark decrypts router1's capture with its --keylog: every IKE checksum and ESP ICV [correct].
// Needs root (namespaces); skipped only when not root.
import { describe, it } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './env-node.js';
import { type NsProcess, type Topology, canUseNetns, run, sleep, withTopology } from '../support/netns.js';
import { equal, ok } from '../support/assert.js';
import { type7Encode } from '../../src/config/type7.js';
import { tsharkDecrypt } from '../support/strongswan-peer.js';

const bin = join(projectRoot(), 'bin', 'webswan.mjs');
const PSK_HEX = '5b0e2f8d9c41a7e3b6d2f0c8a4e19b7d3c5a8f6e2d1b0c9a7e4f3d2c1b0a9f8e';
const PSK_ID = 'routers';
/** Router1's credential with KP_A, router2's with KP_B: two SKIP clients, two PSKs. */
const PSK_A = { id: 'router1', hex: '3a91c4e07f2b58d6a1e9c3f5072b4d8e6f1a3c5e7092b4d6f8a1c3e5079b2d4f' };
const PSK_B = { id: 'router2', hex: 'c7d2e9f4a1b6085c3e7f9a2d4b6c8e0f1a3b5d7e9f0c2a4b6d8e1f3a5c7b9d0e' };

interface Side { responderOnly?: boolean; name: string; hostname: string; mgmt: string; peerMgmt: string; tunnel: string; peerTunnel: string; kme: string; port: number; psk: { id: string; hex: string } }

const config = (s: Side, required: boolean) => `hostname ${s.hostname}
!
sks profile QKD type remote
 kme server ipv4 ${s.kme} port ${s.port}
 kme psk id ${s.psk.id} key seven ${type7Encode(s.psk.hex)}
!
ikev2 proposal prop1
 prf sha-256
 dh-group 20
 integrity sha-256
 encryption aes-cbc-256
!
ikev2 policy pol1
 match address local ${s.mgmt}
 proposal prop1
!
keyring k1
 peer init
  ppk dynamic QKD${required ? ' required' : ''}
  pre-shared-key password 0822455D0A16
  address ${s.peerMgmt} 255.255.255.0
 !
!
ikev2 profile p1
 keyring k1
 keyring ppk k1
 match identity remote address ${s.peerMgmt} 255.255.255.0
!
ipsec transform-set ts1
 mode tunnel
 transform esp-192-aes esp-hmac-sha-256
!
ipsec profile test1
 set ikev2-profile p1
 set transform-set ts1${s.responderOnly ? '\n set responder-only' : ''}
!
interface GigabitEthernet0/1/0/0
 ipv4 address ${s.mgmt} 255.255.255.0
!
interface tunnel-ip1
 ipv4 address ${s.tunnel} 255.255.255.224
 tunnel mode ipsec ipv4
 tunnel source GigabitEthernet0/1/0/0
 tunnel destination ${s.peerMgmt}
 tunnel protection ipsec profile test1
!
end
`;

interface RouterRun { name: string; sock: string; proc: NsProcess; side: Side }

/**
 * tshark reads router1's capture with its --keylog directory: every encrypted IKE message decrypted with a
 * correct checksum, every ESP packet with a correct ICV and ICMP inside — the keys exported for the SAs made
 * with the dynamic PPK (RFC 8784: SK_d, SK_pi, SK_pr from the PPK) open the wire bytes. Returns the
 * PPK_IDENTITY data seen in IKE_AUTH (tshark 4.0 names neither USE_PPK 16435 nor PPK_IDENTITY 16436).
 */
async function checkCapture(topo: Topology, name: string): Promise<{ useppk: number; ppkIds: string[]; esp: number; ike: number }> {
  const text = await tsharkDecrypt(join(topo.dir, `${name}.pcap`), join(topo.dir, `${name}-keys`), ['-V']);
  const frames = text.split(/^(?=Frame \d+: )/m).filter((f) => f.startsWith('Frame '));
  const out = { useppk: 0, ppkIds: [] as string[], esp: 0, ike: 0 };
  for (const f of frames) {
    const head = f.slice(0, f.indexOf('\n'));
    const ex = /Exchange type: (\S+)/.exec(f)?.[1];
    if (ex === 'IKE_SA_INIT') { if (/Notify Message Type: .*\(16435\)/.test(f)) out.useppk++; continue; }
    if (ex) {
      out.ike++;
      ok(/Decrypted Data \(\d+ bytes\)/.test(f) && /Integrity Checksum Data: [0-9a-f]+ .*\[correct\]/.test(f), `${head} (${ex}): not decrypted with a correct checksum\n${f.slice(0, 3000)}`);
      const ppk = /Notify Message Type: .*\(16436\)\n\s*Notification DATA: (\S+)/.exec(f);
      if (ex === 'IKE_AUTH' && ppk) out.ppkIds.push(ppk[1]);
      continue;
    }
    ok(/Encapsulating Security Payload/.test(f), `${head}: neither IKE nor ESP\n${f.slice(0, 2000)}`);
    out.esp++;
    ok(/ESP ICV: [0-9a-f]+ .*\[correct\]/.test(f) && /Internet Control Message Protocol/.test(f), `${head}: ESP not decrypted with a correct ICV\n${f.slice(-2000)}`);
  }
  return out;
}

async function cli(r: RouterRun, ...cmds: string[]): Promise<string> {
  const res = await run(process.execPath, [bin, 'cli', '--control', r.sock, ...cmds.flatMap((c) => ['-c', c])], { timeoutMs: 10_000 });
  if (res.code !== 0) throw new Error(`${r.name}: ${res.cmd}: exit ${res.code ?? res.signal}\n${res.stderr}${res.stdout}`);
  return res.stdout;
}

function startRouter(topo: Topology, ns: string, side: Side): RouterRun {
  const cfg = join(topo.dir, `${side.name}.cfg`);
  writeFileSync(cfg, config(side, true));
  const sock = join(topo.dir, `${side.name}.sock`);
  const capture = ['--pcap', join(topo.dir, `${side.name}.pcap`), '--keylog', join(topo.dir, `${side.name}-keys`)];
  const proc = topo.spawn(ns, process.execPath, [bin, 'router', '--config', cfg, '--control', sock, ...capture], {
    name: side.name, env: { WEBSWAN_RETRANSMIT_MS: '500', WEBSWAN_RETRANSMIT_TRIES: '3' },
  });
  return { name: side.name, sock, proc, side };
}

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>, explain: () => Promise<string> | string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out (${ms} ms) waiting for ${what}\n${await explain()}`);
    await sleep(100);
  }
}

const upActive = (o: string) => /^Status\s+: UP-ACTIVE$/m.test(o);
const qr = (o: string) => /^Quantum resistance\s+: (.*)$/m.exec(o)?.[1];

describe('dynamic PPK over SKIP between two webswan routers in netns (TLS-PSK key servers)', () => {
  it('up with dynamic PPK; key source gone: required → no SA, optional → up without PPK', { timeout: 60_000 }, async (t) => {
    if (process.getuid?.() !== 0) { t.skip('needs root for network namespaces'); return; }
    ok(canUseNetns(), 'root but `ip netns` does not work');
    await withTopology(async (topo) => {
      const [n1, n2, nk] = await topo.addNamespaces('r1', 'r2', 'k');
      await topo.addVeth({ ns: n1, addr: '10.10.10.3/24' }, { ns: n2, addr: '10.10.10.1/24' });
      await topo.addVeth({ ns: n1, addr: '10.70.1.1/24' }, { ns: nk, addr: '10.70.1.2/24' });
      await topo.addVeth({ ns: n2, addr: '10.70.2.1/24' }, { ns: nk, addr: '10.70.2.2/24' });

      const kme = topo.spawn(nk, process.execPath, [bin, 'kme', '--listen', '10.70.1.2:10001', '--id', 'KP_A',
        '--peer', 'KP_B@10.70.2.2:10002', '--psk-identity', PSK_A.id, '--peer-psk-identity', PSK_B.id],
      { name: 'kme', env: { WEBSWAN_KME_PSK_HEX: PSK_A.hex, WEBSWAN_KME_PEER_PSK_HEX: PSK_B.hex } });
      await kme.waitForOutput(/kme KP_B listening/, 10_000);
      ok(/kme KP_A listening on https:\/\/10\.70\.1\.2:10001 \(TLS-PSK identity 'router1'\)/.test(kme.output()) &&
        /kme KP_B listening on https:\/\/10\.70\.2\.2:10002 \(TLS-PSK identity 'router2'\)/.test(kme.output()), `one PSK per listener:\n${kme.output()}`);
      ok(!kme.output().includes(PSK_A.hex) && !kme.output().includes(PSK_B.hex), 'kme does not print the PSKs');

      const s1: Side = { name: 'router1', hostname: 'Initiator', mgmt: '10.10.10.3', peerMgmt: '10.10.10.1', tunnel: '209.165.200.225', peerTunnel: '209.165.200.226', kme: '10.70.1.2', port: 10001, psk: PSK_A };
      const s2: Side = { responderOnly: true, name: 'router2', hostname: 'Responder', mgmt: '10.10.10.1', peerMgmt: '10.10.10.3', tunnel: '209.165.200.226', peerTunnel: '209.165.200.225', kme: '10.70.2.2', port: 10002, psk: PSK_B };
      const r2 = startRouter(topo, n2, s2);
      await r2.proc.waitForOutput(/router \S+ running/, 10_000);
      const r1 = startRouter(topo, n1, s1);
      await r1.proc.waitForOutput(/router \S+ running/, 10_000);
      const evidence = async () => [r1, r2].map((r) => `--- ${r.name}:\n${r.proc.output().slice(-2000)}`).join('\n') +
        `\n--- kme:\n${kme.output().slice(-2000)}\n--- router1 trace:\n${(await cli(r1, 'show ikev2 trace').catch((e) => String(e))).slice(-3000)}`;

      for (const r of [r1, r2]) {
        const o = await until(`${r.name}: UP-ACTIVE`, 10_000, async () => {
          const o = await cli(r, 'show ikev2 session detail');
          return upActive(o) ? o : undefined;
        }, evidence);
        equal(qr(o), 'Enabled with dynamic PPK', `${r.name}: Quantum resistance\n${o}`);
      }
      for (const [me, peer] of [[r1, r2], [r2, r1]] as const) {
        const o = await cli(me, `ping ${peer.side.tunnel}`);
        ok(/^Success rate is 100 percent \(5\/5\)/m.test(o), `${me.name} ping ${peer.side.tunnel}:\n${o}`);
      }
      for (const [r, local, remote] of [[r1, 'KP_A', 'KP_B'], [r2, 'KP_B', 'KP_A']] as const) {
        const o = await cli(r, 'show sks profile');
        ok(/^Reachability\s+: Reachable$/m.test(o), `${r.name} reachable:\n${o}`);
        ok(new RegExp(`^Local System ID\\s+: ${local}$`, 'm').test(o) && new RegExp(`^Remote System ID\\s+: ${remote}$`, 'm').test(o), `${r.name} system IDs:\n${o}`);
        ok(/^Keys fetched\s+: 1$/m.test(o) && /^Keys failed\s+: 0$/m.test(o), `${r.name} keys:\n${o}`);
      }
      for (const r of [r1, r2]) {
        const run = await cli(r, 'show running-config');
        ok(new RegExp(`kme psk id ${r.side.psk.id} key seven [0-9A-F]+$`, 'm').test(run) && !run.includes(r.side.psk.hex), `${r.name}: running-config keeps its PSK type-7:\n${run}`);
        ok(!r.proc.output().includes(PSK_A.hex) && !r.proc.output().includes(PSK_B.hex), `${r.name} does not print a PSK`);
      }

      // the key source goes away; `required`: no SA
      equal((await kme.stop()).code, 0, 'kme exits 0');
      await cli(r1, 'clear ikev2 sa');
      await until('router1: PPK failure in the trace', 10_000, async () => {
        const o = await cli(r1, 'show ikev2 trace');
        return /PPK required but not available: key source 10\.70\.1\.2:10001 \(sks profile QKD\) is unreachable/.test(o) ? o : undefined;
      }, evidence);
      await sleep(1500);
      for (const r of [r1, r2]) ok(!upActive(await cli(r, 'show ikev2 session')), `${r.name}: no SA with PPK required and no key source`);
      const sks1 = await cli(r1, 'show sks profile QKD');
      ok(/^Reachability\s+: Unreachable$/m.test(sks1), `router1 unreachable:\n${sks1}`);

      // not required: up without PPK
      for (const r of [r2, r1]) {
        const o = await cli(r, 'configure', 'keyring k1', 'peer init', 'ppk dynamic QKD', 'commit', 'end');
        ok(!/%|error/i.test(o.replace(/^.*#.*$/gm, '')), `${r.name} commit:\n${o}`);
      }
      await cli(r1, 'clear ikev2 sa');
      for (const r of [r1, r2]) {
        const o = await until(`${r.name}: UP-ACTIVE without PPK`, 12_000, async () => {
          const o = await cli(r, 'show ikev2 session detail');
          return upActive(o) ? o : undefined;
        }, evidence);
        equal(qr(o), 'Disabled', `${r.name}: Quantum resistance without a key source\n${o}`);
      }
      const o = await cli(r1, `ping ${s2.tunnel}`);
      ok(/^Success rate is 100 percent \(5\/5\)/m.test(o), `router1 ping without PPK:\n${o}`);
      ok(/continuing without \(PPK not required\)/.test(await cli(r1, 'show ikev2 trace')), 'router1 trace: continuing without PPK');

      // the whole capture, SAs with and without the dynamic PPK, decrypted by tshark with the exported keys
      equal((await r1.proc.stop()).code, 0, 'router1 exits 0');
      const cap = await checkCapture(topo, 'router1');
      ok(cap.useppk >= 2, `IKE_SA_INIT with USE_PPK: ${cap.useppk}`);
      // RFC 8784 §3: the initiator's PPK_IDENTITY carries PPK_ID_FIXED (2) and the SKIP keyId as ASCII hex
      // (docs/skip-client.md); the responder's carries no data
      const [req, resp] = cap.ppkIds;
      ok(/^02(3[0-9]|6[1-6]){32}$/.test(req ?? ''), `PPK_IDENTITY in the IKE_AUTH request: type 2 + 32 hex digits as ASCII: ${cap.ppkIds.join(', ')}`);
      equal(resp, '<MISSING>', `PPK_IDENTITY in the IKE_AUTH response has no data: ${cap.ppkIds.join(', ')}`);
      ok(cap.esp >= 30, `ESP packets (3 × 5 pings, both ways): ${cap.esp}`);
    });
  });
});

describe('key-source fetch (TLS-PSK, in process)', () => {
  it('the sks profile whose kme server matches the URL gives the PSK; a wrong PSK or identity, or the other end\'s PSK, fails the handshake', async () => {
    const { startKme } = await import('../../src/runtime/node/kme-cmd.js');
    const { createKeySourceFetch, pskKeyBytes } = await import('../../src/runtime/node/key-source.js');
    const { loadConfig } = await import('../../src/config/load.js');
    const h = await startKme({
      listen: { host: '127.0.0.1', port: 0 }, id: 'KP_A', peer: { id: 'KP_B', host: '127.0.0.1', port: 0 },
      remoteIds: ['KP_B'], peerRemoteIds: ['KP_A'], psk: { identity: PSK_ID, key: Buffer.from(PSK_HEX, 'hex') },
      peerPsk: { identity: PSK_B.id, key: Buffer.from(PSK_B.hex, 'hex') },
      entropy: true, linkDelayMs: 0, linkBudgetBits: null,
    });
    try {
      const cfgWith = (id: string, key7: string, port = h.addresses.a.port) => loadConfig(`sks profile QKD type remote\n kme server ipv4 127.0.0.1 port ${port}\n kme psk id ${id} key seven ${key7}\n!\nend\n`).config;
      const url = `https://127.0.0.1:${h.addresses.a.port}/capabilities`;
      const good = createKeySourceFetch({ config: () => cfgWith(PSK_ID, type7Encode(PSK_HEX)) });
      const r = await good(url, { headers: { accept: 'application/json' } });
      equal(r.status, 200, 'capabilities over TLS-PSK');
      equal(((await r.json()) as { localSystemID: string }).localSystemID, 'KP_A', 'KP_A answers');
      // `!clear` is stored type-7; hex text is the octets, other text its UTF-8 bytes
      equal(pskKeyBytes(type7Encode('00ff')).toString('hex'), '00ff', 'hex PSK');
      equal(pskKeyBytes(type7Encode('cisco123')).toString('utf8'), 'cisco123', 'text PSK');
      for (const [id, key] of [[PSK_ID, PSK_HEX.replace(/^5b/, '5c')], ['other', PSK_HEX]]) {
        const bad = createKeySourceFetch({ config: () => cfgWith(id, type7Encode(key)) });
        const err = await bad(url).then(() => undefined, (e: unknown) => e as Error);
        ok(err instanceof TypeError && !err.message.includes(key), `wrong PSK (${id}) fails without printing it: ${String(err)}`);
      }
      // KP_B has its own PSK (--peer-psk-*): router B's profile gets in, router A's does not
      const urlB = `https://127.0.0.1:${h.addresses.b.port}/capabilities`;
      const rb = await createKeySourceFetch({ config: () => cfgWith(PSK_B.id, type7Encode(PSK_B.hex), h.addresses.b.port) })(urlB);
      equal(((await rb.json()) as { localSystemID: string }).localSystemID, 'KP_B', "KP_B answers router B's PSK");
      const cross = await createKeySourceFetch({ config: () => cfgWith(PSK_ID, type7Encode(PSK_HEX), h.addresses.b.port) })(urlB)
        .then(() => undefined, (e: unknown) => e as Error);
      ok(cross instanceof TypeError && !cross.message.includes(PSK_HEX), `router A's PSK at KP_B fails: ${String(cross)}`);
    } finally { await h.close(); }
  });
});
