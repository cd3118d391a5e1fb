// node:test entry for captures and key logs: the shared suite, then tshark (Wireshark 4.0) reading what
// the writers produce — IPv4/UDP checksums Good, and the strongSwan recipe's own IKE_AUTH and ESP packets
// decrypted with nothing but the key tables KeyLog writes (CBC/HMAC and GCM).
import { execFileSync, spawnSync } from 'node:child_process';
import { it as tsharkIt } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installNodeEnv } from './env-node.js';
import { captureSuite, recipeEspEvents, recipeIkeEvent, type RecipeKeys } from '../suites/capture.js';
import { PcapWriter, datagramToIpv4, pcapHeader, pcapRecord } from '../../src/capture/pcap.js';
import { KeyLog } from '../../src/capture/keylog.js';
import { concat, fromHex } from '../../src/crypto/index.js';
import type { Datagram } from '../../src/router/types.js';
import { Prng } from '../support/env.js';
import { equal, ok } from '../support/assert.js';

const env = installNodeEnv();
captureSuite();

const hasTshark = spawnSync('tshark', ['--version'], { encoding: 'utf8' }).status === 0;
const skip = hasTshark ? false : 'tshark not installed (apt-get install tshark)';

/** tshark on a file with a private configuration directory (so nothing of the user's profile applies). */
function tshark(pcap: string, configDir: string, args: string[]): string {
  return execFileSync('tshark', ['-r', pcap, ...args], {
    encoding: 'utf8', env: { ...process.env, WIRESHARK_CONFIG_DIR: configDir }, stdio: ['ignore', 'pipe', 'pipe'],
  });
}

interface RecipeWire extends RecipeKeys {
  ike_sa_init_request: string; ike_sa_init_response: string;
  wire_extra: { ike_auth_request: string; ike_auth_response: string;
    esp_first_out: { raw: string }; esp_first_in: { raw: string } };
}

describe('captures read by tshark', () => {
  let dir = '';
  before(() => { dir = mkdtempSync(join(tmpdir(), 'webswan-capture-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  tsharkIt('every record: addresses, ports, length and time as written; IPv4 and UDP checksums Good', { skip }, () => {
    const r = new Prng(101);
    const w = new PcapWriter();
    const sent: { d: Datagram; at: Date }[] = [];
    for (let i = 0; i < 60; i++) {
      const d: Datagram = {
        src: `10.${r.int(256)}.${r.int(256)}.${1 + r.int(254)}`, sport: [500, 4500, 1024 + r.int(60000)][r.int(3)],
        dst: `192.168.${r.int(256)}.${1 + r.int(254)}`, dport: [500, 4500][r.int(2)], data: r.bytes(i === 0 ? 0 : r.int(1500)),
      };
      sent.push({ d, at: new Date(Date.UTC(2026, 1, 3, 4, 5, 6) + i * 1234) });
    }
    // a payload whose UDP checksum computes to zero (sent as ffff)
    const z: Datagram = { src: '10.77.0.1', sport: 4500, dst: '10.77.0.2', dport: 4500, data: fromHex('00000000deadbeef0000') };
    z.data.set(datagramToIpv4(z).subarray(26, 28), 8);
    sent.push({ d: z, at: new Date(Date.UTC(2026, 1, 3, 4, 5, 7)) });
    const file = join(dir, 'checksums.pcap');
    writeFileSync(file, concat(w.header, ...sent.map((s, i) => w.record({ direction: i % 2 ? 'in' : 'out', at: s.at, datagram: s.d }))));
    const out = tshark(file, dir, ['-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE', '-T', 'fields',
      '-e', 'ip.src', '-e', 'ip.dst', '-e', 'udp.srcport', '-e', 'udp.dstport', '-e', 'udp.length',
      '-e', 'ip.checksum.status', '-e', 'udp.checksum.status', '-e', 'frame.time_epoch']);
    const rows = out.trimEnd().split('\n').map((l) => l.split('\t'));
    equal(rows.length, sent.length, 'records');
    rows.forEach((f, i) => {
      const { d, at } = sent[i];
      equal(f.slice(0, 5).join(' '), `${d.src} ${d.dst} ${d.sport} ${d.dport} ${d.data.length + 8}`, `record ${i + 1} addresses/ports/length`);
      ok(f[5] === '1' || f[5] === 'Good', `record ${i + 1}: ip.checksum.status ${f[5]}, want Good (1)`);
      ok(f[6] === '1' || f[6] === 'Good', `record ${i + 1}: udp.checksum.status ${f[6]}, want Good (1)`);
      equal(Number(f[7]).toFixed(3), (at.getTime() / 1000).toFixed(3), `record ${i + 1} time`);
    });
  });

  for (const name of ['recipe', 'recipe-gcm']) {
    tsharkIt(`${name}: IKE_AUTH and ESP decrypted by tshark with only KeyLog's three files as its configuration`, { skip }, async () => {
      const v = await (await env).vectors<RecipeWire>(`strongswan/${name}.json`);
      const A = v.child_sa.outer.initiator, B = v.child_sa.outer.responder;
      const marker = new Uint8Array(4); // RFC 3948 non-ESP marker on port 4500
      const frames: Datagram[] = [
        { src: A, sport: 500, dst: B, dport: 500, data: fromHex(v.ike_sa_init_request) },
        { src: B, sport: 500, dst: A, dport: 500, data: fromHex(v.ike_sa_init_response) },
        { src: A, sport: 4500, dst: B, dport: 4500, data: concat(marker, fromHex(v.wire_extra.ike_auth_request)) },
        { src: B, sport: 4500, dst: A, dport: 4500, data: concat(marker, fromHex(v.wire_extra.ike_auth_response)) },
        { src: A, sport: 4500, dst: B, dport: 4500, data: fromHex(v.wire_extra.esp_first_out.raw) },
        { src: B, sport: 4500, dst: A, dport: 4500, data: fromHex(v.wire_extra.esp_first_in.raw) },
      ];
      const file = join(dir, `${name}.pcap`);
      const t0 = Date.UTC(2026, 0, 1);
      writeFileSync(file, concat(pcapHeader(), ...frames.map((d, i) => pcapRecord(new Date(t0 + i), datagramToIpv4(d, { id: i + 1 })))));
      const log = new KeyLog();
      log.add(recipeIkeEvent(v));
      for (const e of recipeEspEvents(v)) log.add(e);
      const conf = mkdtempSync(join(dir, `${name}-wireshark-`));
      for (const [f, body] of Object.entries(log.files())) writeFileSync(join(conf, f), body);

      const summary = tshark(file, conf, []);
      const icmp = summary.split('\n').filter((l) => /ICMP .*Echo \(ping\) (request|reply)/.test(l));
      equal(icmp.length, 2, `both ESP packets decrypted to ICMP echo:\n${summary}`);
      ok(/192\.0\.2\.1 → 192\.0\.2\.2/.test(icmp[0]), `inner addresses: ${icmp[0]}`);
      const detail = tshark(file, conf, ['-V']);
      ok(detail.includes('ID_FQDN: routerA.example.com') && detail.includes('ID_FQDN: routerB.example.com'), 'IKE_AUTH decrypted: both identities');
      const ikeIcv = detail.split('\n').filter((l) => l.includes('Integrity Checksum Data'));
      equal(ikeIcv.length, 2, 'IKE_AUTH request and response checked');
      ok(ikeIcv.every((l) => l.includes('[correct]')), `IKE integrity correct:\n${ikeIcv.join('\n')}`);
      if (!name.endsWith('gcm')) {
        const espIcv = detail.split('\n').filter((l) => /ESP ICV:/.test(l));
        equal(espIcv.length, 2, `ESP ICVs:\n${espIcv.join('\n')}`);
        ok(espIcv.every((l) => l.includes('[correct]')), `ESP ICVs correct:\n${espIcv.join('\n')}`);
      }
    });
  }
});
