// Self-test of the interop harness (test/support/netns.ts, test/support/strongswan-peer.ts): two strongSwan
// 5.9.8 charons in two network namespaces joined by a veth pair, a PSK tunnel, pings through it, counters
// on both ends, a capture decrypted by tshark with the keys from charon's log, and no leftovers.
// Needs root (namespaces); skipped only when not root.
import { describe, it } from 'node:test';
import { join } from 'node:path';
import { canUseNetns, leftovers, withTopology } from '../support/netns.js';
import { type ConnectionConfig, pingFrom, startCapture, startCharon, tsharkDecrypt } from '../support/strongswan-peer.js';
import { equal, ok } from '../support/assert.js';

const OA = '10.77.0.1', OB = '10.77.0.2', IA = '192.0.2.1', IB = '192.0.2.2';

function conn(me: string, peer: string, id: string, peerId: string, ts: string, peerTs: string): ConnectionConfig {
  return {
    name: 'tun', local_addrs: me, remote_addrs: peer, proposals: 'aes256-sha256-ecp256',
    local: { id }, remote: { id: peerId }, psk: 'this-is-a-test-psk-0123456789',
    children: [{ name: 'net', local_ts: `${ts}/32`, remote_ts: `${peerTs}/32`, esp_proposals: 'aes256-sha256' }],
  };
}

describe('strongSwan interop harness', () => {
  it('two charons: PSK tunnel, ping, equal counters, tshark decryption, clean teardown', async (t) => {
    if (process.getuid?.() !== 0) { t.skip('needs root for network namespaces'); return; }
    ok(canUseNetns(), 'root but `ip netns` does not work');
    const t0 = Date.now();
    const times: string[] = [];
    const mark = (what: string) => times.push(`${what} ${Date.now() - t0} ms`);
    let prefix = '';
    await withTopology(async (topo) => {
      prefix = topo.prefix;
      const [a, b] = await topo.addNamespaces('a', 'b');
      const [va] = await topo.addVeth({ ns: a, addr: `${OA}/24` }, { ns: b, addr: `${OB}/24` });
      await topo.addAddress(a, `${IA}/32`);
      await topo.addAddress(b, `${IB}/32`);
      mark('topology');
      const [A, B] = await Promise.all([
        startCharon({ topo, ns: a, name: 'A', connections: [conn(OA, OB, 'routerA.example.com', 'routerB.example.com', IA, IB)] }),
        startCharon({ topo, ns: b, name: 'B', connections: [conn(OB, OA, 'routerB.example.com', 'routerA.example.com', IB, IA)] }),
      ]);
      mark('charons up');
      const pcap = join(topo.dir, 'tunnel.pcap');
      const cap = await startCapture(topo, a, va, pcap);
      mark('capture');

      const init = await A.initiate('net', 'tun');
      ok(/initiate completed successfully/.test(init.stdout), init.stdout);
      await B.waitForLog(/CHILD_SA net\{\d+\} established/, 5000);
      mark('initiated');

      const p1 = await pingFrom(a, IA, IB, 3);
      equal(p1.received, 3, `pings A→B answered (${p1.output})`);
      equal(p1.lossPct, 0, 'loss');
      mark('ping');

      const [sa] = await A.listSas();
      const [sb] = await B.listSas();
      ok(sa && sb, 'one IKE_SA on each side');
      equal(sa.state, 'ESTABLISHED', 'A state');
      equal(sb.state, 'ESTABLISHED', 'B state');
      equal(sa.initiator, true, 'A initiated');
      equal(sb.initiator, false, 'B responded');
      equal(sa.initiatorSpi, sb.initiatorSpi, 'SPIi');
      equal(sa.responderSpi, sb.responderSpi, 'SPIr');
      equal(sa.dhGroup, 'ECP_256', 'DH group');
      equal(`${sa.encrAlg}-${sa.encrKeysize}/${sa.integAlg}/${sa.prfAlg}`, 'AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256', 'IKE proposal');
      equal(sa.ppk, false, 'no PPK');
      equal(sa.localPort, 4500, 'NAT-T port (libipsec forces UDP encapsulation)');
      const [ca] = sa.children, [cb] = sb.children;
      ok(ca && cb, 'one CHILD_SA each');
      equal(ca.state, 'INSTALLED', 'child state');
      equal(ca.encap, true, 'ESP in UDP');
      equal(ca.spiOut, cb.spiIn, 'A out = B in');
      equal(ca.spiIn, cb.spiOut, 'A in = B out');
      equal(ca.localTs.join(), `${IA}/32`, 'local TS');
      equal(ca.packetsOut, 3, 'A packets out');
      equal(ca.packetsIn, 3, 'A packets in');
      equal(ca.packetsOut, cb.packetsIn, 'packets A→B');
      equal(ca.packetsIn, cb.packetsOut, 'packets B→A');
      equal(ca.bytesOut, cb.bytesIn, 'bytes A→B');
      equal(ca.bytesIn, cb.bytesOut, 'bytes B→A');
      ok(ca.bytesOut >= 3 * 84, `bytes out ${ca.bytesOut}`);
      mark('list-sas');

      await cap.stop();
      const keys = await A.writeWiresharkKeys(join(topo.dir, 'wsprofile'));
      const fields = await tsharkDecrypt(pcap, keys, ['-Y', 'icmp', '-T', 'fields', '-e', 'esp.spi', '-e', 'icmp.type', '-e', 'ip.src']);
      const icmp = fields.trim().split('\n').filter(Boolean);
      equal(icmp.length, 6, `decrypted ICMP packets in the capture:\n${fields}`);
      ok(icmp.some((l) => l.includes(`0x${ca.spiOut}`) && /\t8\t/.test(l)), `echo request in SPI ${ca.spiOut}:\n${fields}`);
      const auth = await tsharkDecrypt(pcap, keys, ['-Y', 'isakmp.exchangetype == 35', '-V']);
      ok(/ID_FQDN: routerA\.example\.com/.test(auth) && /\[correct\]/.test(auth), 'IKE_AUTH decrypted with a correct ICV');
      mark('tshark');

      ok(/Sk_ei secret => 32 bytes/.test(A.log()), 'keys in charon.log');
      await A.terminate({ ike: 'tun' });
      await B.waitForLog(/deleting IKE_SA tun\[\d+\]|IKE_SA deleted/, 5000);
      equal((await B.listSas()).length, 0, 'B has no SA after terminate');
      mark('terminate');
    });
    mark('cleanup');
    const left = leftovers(prefix);
    equal(left.length, 0, `leftovers with prefix ${prefix}: ${left.join(', ')}`);
    console.log(`# harness timings: ${times.join(', ')}`);
  });
});
