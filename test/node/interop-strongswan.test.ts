// webswan against strongSwan 5.9.8 (charon with kernel-libipsec) in network namespaces: both roles, an
// algorithm matrix, identities, failures, the RFC 8784 PPK matrix, rekeying, deletes, DPD and tshark
// decryption of the capture with webswan's key log. Helpers: test/support/interop.ts.
// Needs root (namespaces); skipped only when not root.
import { describe, it, type TestContext } from 'node:test';
import { join } from 'node:path';
import { canUseNetns, sleep, withTopology } from '../support/netns.js';
import { type Capture, type ChildSa, type IkeSa, pingFrom, startCapture, tsharkDecrypt } from '../support/strongswan-peer.js';
import { equal, ok } from '../support/assert.js';
import {
  type Algorithms, type CaseOptions, type Pair, type PairOptions, type PpkSide, DEFAULT_ALGS, PPK_ID, PPK_X, PPK_Y, S_INNER,
  SW_LIST_DH, SW_LIST_ESP_AUTH, SW_LIST_ESP_ENC, SW_LIST_IKE_ENC, SW_LIST_INTEG, SW_LIST_PRF, W_INNER,
  diagnostics, startPair, waitCharonLog, waitFor, waitTrace, waitUp,
} from '../support/interop.js';

const timings: string[] = [];

function skipUnlessRoot(t: TestContext): boolean {
  if (process.getuid?.() !== 0) { t.skip('needs root for network namespaces'); return true; }
  ok(canUseNetns(), 'root but `ip netns` does not work');
  return false;
}

/** Run one case in a fresh topology; records its wall time. */
async function inPair<T>(t: TestContext, o: PairOptions, fn: (p: Pair) => Promise<T>): Promise<T | undefined> {
  if (skipUnlessRoot(t)) return undefined;
  const t0 = Date.now();
  try {
    return await withTopology(async (topo) => {
      const p = await startPair(topo, o);
      return fn(p);
    });
  } finally {
    timings.push(`${t.name.split(' ')[0]} ${Date.now() - t0}`);
  }
}

/** Bring the pair up (strongSwan initiates when it is the initiator) and check both views agree. */
async function up(p: Pair): Promise<void> {
  if (p.opts.initiator === 'strongswan') {
    const r = await p.charon.initiate('net', 'tun', { check: false, timeoutMs: 5000 });
    ok(/initiate completed successfully/.test(r.stdout), `swanctl --initiate: ${r.stdout}${await diagnostics(p)}`);
  }
  const { sw, ws } = await waitUp(p);
  equal(sw.initiator, p.opts.initiator === 'strongswan', 'strongSwan role');
  equal(ws.fields.Role, p.opts.initiator === 'strongswan' ? 'Responder' : 'Initiator', 'webswan role');
  equal(ws.fields['Local SPI'].toLowerCase(), sw.initiator ? sw.responderSpi : sw.initiatorSpi, 'IKE SPI (ours)');
  equal(ws.fields['Remote SPI'].toLowerCase(), sw.initiator ? sw.initiatorSpi : sw.responderSpi, 'IKE SPI (peer)');
  const [c] = sw.children;
  const [spiIn, spiOut] = ws.children[0]['ESP SPI IN/OUT'].split(' / ').map((x) => x.replace(/^0x/, ''));
  equal(spiIn, c.spiOut, 'ESP SPI webswan in = strongSwan out');
  equal(spiOut, c.spiIn, 'ESP SPI webswan out = strongSwan in');
}

/** IKE SAs in `show ikev2 sa` (a session groups all IKE SAs with one peer). */
async function ikeSaCount(p: Pair): Promise<number> {
  return ((await p.webswan.cli('show ikev2 sa')).match(/^IKE SA ID/gm) ?? []).length;
}

/** strongSwan lists a rekeyed Child SA as DELETED for a while (delete_rekeyed_delay): the live one. */
function installed(sw: IkeSa): ChildSa {
  const c = sw.children.filter((x) => x.state === 'INSTALLED');
  equal(c.length, 1, `strongSwan INSTALLED Child SAs (${sw.children.map((x) => `${x.spiIn} ${x.state}`).join(', ')})`);
  return c[0];
}

/** Pings both ways, 100 %, and equal packet counters on both ends (fresh: the Child SA carried nothing before). */
async function pingBothWays(p: Pair, count = 3, o: { fresh?: boolean } = {}): Promise<void> {
  const a = await pingFrom(p.s, S_INNER, W_INNER, count, { intervalS: 0.05 });
  equal(a.received, count, `ping from strongSwan's side (${a.output})${await diagnostics(p)}`);
  const b = await p.webswan.ping(S_INNER, count);
  equal(b.received, count, `webswan ping ${S_INNER}: ${b.output}${await diagnostics(p)}`);
  const [sw] = await p.charon.listSas();
  const c = installed(sw);
  const [ws] = await p.webswan.ipsecSa();
  ok(ws, 'show ipsec sa interface tunnel-ip1 detail shows the SA');
  if (o.fresh ?? true) equal(c.packetsIn, 2 * count, 'strongSwan packets in');
  equal(Number(ws.outbound.Packets), c.packetsIn, 'webswan packets out = strongSwan packets in');
  equal(Number(ws.inbound.Packets), c.packetsOut, 'webswan packets in = strongSwan packets out');
  equal(Number(ws.outbound.Bytes), c.bytesIn, 'webswan bytes out = strongSwan bytes in');
  equal(Number(ws.inbound.Bytes), c.bytesOut, 'webswan bytes in = strongSwan bytes out');
}

/**
 * Every IKE_AUTH, CREATE_CHILD_SA and INFORMATIONAL message in pcap decrypted with a correct checksum and
 * every ESP packet with a correct ICV and an ICMP packet inside, with the Wireshark tables in keyDir.
 * Returns a summary (message counts) to compare captures.
 */
async function checkDecryption(pcap: string, keyDir: string): Promise<string> {
  const v = await tsharkDecrypt(pcap, keyDir, ['-V']);
  const frames = v.split(/\n(?=Frame \d+: )/);
  const ike = frames.filter((f) => /Exchange type: (IKE_AUTH|CREATE_CHILD_SA|INFORMATIONAL) \(3[567]\)/.test(f));
  const count = (re: RegExp) => ike.filter((f) => re.test(f)).length;
  const auth = count(/Exchange type: IKE_AUTH/), ccs = count(/Exchange type: CREATE_CHILD_SA/), info = count(/Exchange type: INFORMATIONAL/);
  equal(auth, 2, `${pcap}: IKE_AUTH messages`);
  ok(ccs >= 6, `${pcap}: 3 CREATE_CHILD_SA exchanges expected, got ${ccs} messages`);
  ok(info >= 6, `${pcap}: 3 INFORMATIONAL exchanges expected, got ${info} messages`);
  for (const f of ike) {
    ok(/Decrypted Data/.test(f) && /Integrity Checksum Data: [0-9a-f]+ .*\[correct\]/.test(f),
      `${pcap}: not decrypted with a correct checksum: ${f.split('\n')[0]}\n${f.slice(0, 3000)}`);
  }
  const esp = frames.filter((f) => /Encapsulating Security Payload/.test(f));
  ok(esp.length >= 16, `${pcap}: ESP packets: ${esp.length}`);
  for (const f of esp) {
    ok(/ESP ICV: [0-9a-f]+ .*\[correct\]/.test(f) && /Internet Control Message Protocol/.test(f),
      `${pcap}: ESP not decrypted with a correct ICV: ${f.split('\n')[0]}\n${f.slice(-2500)}`);
  }
  return `IKE_AUTH ${auth}, CREATE_CHILD_SA ${ccs}, INFORMATIONAL ${info}, ESP ${esp.length}`;
}

describe('interop with strongSwan 5.9.8', () => {
  it('1 webswan initiator, strongSwan responder: PSK, IPv4 identities, pings, counters', async (t) => {
    await inPair(t, {}, async (p) => {
      await up(p);
      await pingBothWays(p, 5);
    });
  });

  it('2 strongSwan initiator, webswan responder (set responder-only)', async (t) => {
    await inPair(t, { initiator: 'strongswan' }, async (p) => {
      await up(p);
      await pingBothWays(p, 5);
    });
  });

  it('2b strongSwan initiator with local_ts 0.0.0.0/0, remote_ts 192.0.2.0/24: webswan accepts the selectors', async (t) => {
    await inPair(t, { initiator: 'strongswan', swLocalTs: '0.0.0.0/0', swRemoteTs: '192.0.2.0/24' }, async (p) => {
      await up(p);
      const [ws] = await p.webswan.sessions(true);
      equal(ws.children[0]['Local Selector'], '192.0.2.0/0 - 192.0.2.255/65535', 'webswan local selector');
      equal(ws.children[0]['Remote Selector'], '0.0.0.0/0 - 255.255.255.255/65535', 'webswan remote selector');
      await pingBothWays(p, 3);
    });
  });

  // every IOS XR value at least once with webswan as initiator and once as responder
  const matrix: Partial<Algorithms>[] = [
    { ikeEnc: 'aes-cbc-128', ikeInteg: 'sha-1', prf: 'sha-1', dh: 19, espEnc: 'esp-aes', espAuth: 'esp-hmac-sha1' },
    { ikeEnc: 'aes-cbc-192', ikeInteg: 'sha-256', prf: 'sha-256', dh: 20, espEnc: 'esp-192-aes', espAuth: 'esp-hmac-sha-256' },
    { ikeEnc: 'aes-cbc-256', ikeInteg: 'sha-384', prf: 'sha-384', dh: 21, espEnc: 'esp-256-aes', espAuth: 'esp-hmac-sha-384' },
    { ikeEnc: 'aes-cbc-128', ikeInteg: 'sha-512', prf: 'sha-512', dh: 20, espEnc: 'esp-256-aes', espAuth: 'esp-hmac-sha-512' },
    { ikeEnc: 'aes-gcm-128', prf: 'sha-256', dh: 21, espEnc: 'esp-gcm-128' },
    { ikeEnc: 'aes-gcm-256', prf: 'sha-512', dh: 19, espEnc: 'esp-gcm-256' },
  ];
  const rotate = <T>(l: T[], n: number) => [...l.slice(n), ...l.slice(0, n)];
  const espParts = matrix.map((m) => ({ espEnc: m.espEnc, espAuth: m.espAuth }));
  const cases: { initiator: 'webswan' | 'strongswan'; algs: Partial<Algorithms> }[] = [
    ...matrix.map((m) => ({ initiator: 'webswan' as const, algs: m })),
    // responder side: the same IKE sets with the ESP sets shifted, so other pairings are tried as well
    ...matrix.map((m, i) => ({ initiator: 'strongswan' as const, algs: { ...m, ...rotate(espParts, 2)[i], prf: rotate(matrix, 1)[i].prf } })),
  ];
  for (const [i, c] of cases.entries()) {
    const a = { ...DEFAULT_ALGS, ...c.algs };
    const name = `3.${i + 1} algorithms, ${c.initiator} initiates: ${a.ikeEnc}${a.ikeInteg && !a.ikeEnc.includes('gcm') ? `/${a.ikeInteg}` : ''}/prf ${a.prf}/dh ${a.dh}; ` +
      `${a.espEnc}${a.espAuth && !a.espEnc.includes('gcm') ? `/${a.espAuth}` : ''}`;
    it(name, async (t) => {
      await inPair(t, { initiator: c.initiator, algs: a }, async (p) => {
        await up(p);
        const [sw] = await p.charon.listSas();
        const [enc, bits] = SW_LIST_IKE_ENC[a.ikeEnc];
        equal(`${sw.encrAlg}-${sw.encrKeysize}`, `${enc}-${bits}`, 'IKE encryption');
        equal(sw.integAlg, a.ikeEnc.includes('gcm') ? undefined : SW_LIST_INTEG[a.ikeInteg!], 'IKE integrity');
        equal(sw.prfAlg, SW_LIST_PRF[a.prf], 'PRF');
        equal(sw.dhGroup, SW_LIST_DH[a.dh], 'DH group');
        const ch = sw.children[0];
        const [cenc, cbits] = SW_LIST_ESP_ENC[a.espEnc];
        equal(`${ch.encrAlg}-${ch.encrKeysize}`, `${cenc}-${cbits}`, 'ESP encryption');
        equal(ch.integAlg, a.espEnc.includes('gcm') ? undefined : SW_LIST_ESP_AUTH[a.espAuth!], 'ESP integrity');
        const [ws] = await p.webswan.sessions(true);
        equal(ws.fields['PRF/Hash/DH Group'].split('/')[2], String(a.dh), 'webswan DH group');
        await pingBothWays(p, 2);
      });
    });
  }

  it('4.1 FQDN identities: identity local fqdn, match identity remote fqdn (webswan initiates)', async (t) => {
    await inPair(t, { webswanId: 'fqdn routerA.example.com', webswanMatch: 'fqdn routerB.example.com', strongswanId: 'routerB.example.com' }, async (p) => {
      await up(p);
      const [sw] = await p.charon.listSas();
      equal(sw.localId, 'routerB.example.com', 'strongSwan local id');
      equal(sw.remoteId, 'routerA.example.com', 'strongSwan remote id');
      const [ws] = await p.webswan.sessions(true);
      equal(ws.fields['Local ID'], 'routerA.example.com', 'webswan Local ID');
      equal(ws.fields['Remote ID'], 'routerB.example.com', 'webswan Remote ID');
      await pingBothWays(p, 2);
    });
  });

  it('4.2 FQDN identities: match identity remote fqdn domain (strongSwan initiates)', async (t) => {
    await inPair(t, {
      initiator: 'strongswan', webswanId: 'fqdn routerA.example.com', webswanMatch: 'fqdn domain example.com', strongswanId: 'routerB.example.com',
    }, async (p) => {
      await up(p);
      const [sw] = await p.charon.listSas();
      equal(sw.remoteId, 'routerA.example.com', 'strongSwan remote id');
      const [ws] = await p.webswan.sessions(true);
      equal(ws.fields['Remote ID'], 'routerB.example.com', 'webswan Remote ID');
      await pingBothWays(p, 2);
    });
  });

  it('5.1 PSK mismatch, webswan initiates: AUTHENTICATION_FAILED on both sides', async (t) => {
    await inPair(t, { pskWebswan: 'not-the-same-psk' }, async (p) => {
      await waitCharonLog(p, /MAC mismatched/);
      await waitCharonLog(p, /generating IKE_AUTH response 1 \[ N\(AUTH_FAILED\) \]/);
      await waitTrace(p, /IKE_AUTH failed: peer answered AUTHENTICATION_FAILED/);
      equal((await p.webswan.sessions()).filter((s) => s.status.startsWith('UP')).length, 0, 'no webswan session up');
      equal((await p.charon.listSas()).length, 0, 'no strongSwan SA');
    });
  });

  it('5.2 PSK mismatch, strongSwan initiates: AUTHENTICATION_FAILED on both sides', async (t) => {
    await inPair(t, { initiator: 'strongswan', pskWebswan: 'not-the-same-psk' }, async (p) => {
      const r = await p.charon.initiate('net', 'tun', { check: false, timeoutMs: 5000 });
      ok(!/completed successfully/.test(r.stdout), 'initiate fails');
      await waitCharonLog(p, /parsed IKE_AUTH response 1 \[ N\(AUTH_FAILED\) \]/);
      await waitCharonLog(p, /received AUTHENTICATION_FAILED notify error/);
      await waitTrace(p, /AUTHENTICATION_FAILED: the AUTH payload of 10\.77\.0\.2 does not verify/);
      equal((await p.webswan.sessions()).filter((s) => s.status.startsWith('UP')).length, 0, 'no webswan session up');
    });
  });

  it('5.3 IKE proposal mismatch, webswan initiates: NO_PROPOSAL_CHOSEN on both sides', async (t) => {
    await inPair(t, { swProposals: 'aes128-sha1-prfsha1-ecp521' }, async (p) => {
      await waitCharonLog(p, /received proposals unacceptable/);
      await waitCharonLog(p, /generating IKE_SA_INIT response 0 \[ N\(NO_PROP\) \]/);
      await waitTrace(p, /IKE_SA_INIT failed: peer answered NO_PROPOSAL_CHOSEN/);
      equal((await p.charon.listSas()).length, 0, 'no strongSwan SA');
    });
  });

  it('5.4 IKE proposal mismatch, strongSwan initiates: NO_PROPOSAL_CHOSEN on both sides', async (t) => {
    await inPair(t, { initiator: 'strongswan', swProposals: 'aes128-sha1-prfsha1-ecp521' }, async (p) => {
      const r = await p.charon.initiate('net', 'tun', { check: false, timeoutMs: 5000 });
      ok(!/completed successfully/.test(r.stdout), 'initiate fails');
      await waitCharonLog(p, /received NO_PROPOSAL_CHOSEN notify error/);
      await waitTrace(p, /NO_PROPOSAL_CHOSEN: received proposals IKE:AES_CBC_128\/HMAC_SHA1_96\/PRF_HMAC_SHA1\/ECP_521/);
    });
  });

  it('5.5 ESP proposal mismatch, webswan initiates: NO_PROPOSAL_CHOSEN for the Child SA on both sides', async (t) => {
    await inPair(t, { swEspProposals: 'aes128gcm16' }, async (p) => {
      await waitCharonLog(p, /generating IKE_AUTH response 1 \[ IDr AUTH N\(NO_PROP\) \]/);
      await waitTrace(p, /no Child SA: peer answered NO_PROPOSAL_CHOSEN/);
      const [ws] = await p.webswan.sessions();
      ok(!ws || ws.status !== 'UP-ACTIVE', 'no Child SA on webswan');
    });
  });

  // RFC 8784 (strongswan-peer.md §2): each row with webswan in one role and charon in the other; the
  // outcome must be what two charons do. A initiates, B responds; 'other' = a PPK_ID the peer does not use.
  type Outcome = 'ppk' | 'no-ppk' | 'fail';
  const X = PPK_X, Y = PPK_Y, OTHER = 'otherPpkId';
  const AUTH_FAILED_RECEIVED = /IKE_AUTH failed: peer answered AUTHENTICATION_FAILED/;
  const ppkRows: { row: string; webswan: 'A' | 'B'; ws?: PpkSide; sw?: PpkSide; outcome: Outcome; what: string; swLog?: RegExp; wsTrace?: RegExp }[] = [
    { row: 'M1', webswan: 'A', ws: { id: PPK_ID, key: X, required: true }, sw: { id: PPK_ID, key: Y, required: true }, outcome: 'fail', what: 'both required, different PPKs',
      swLog: /tried 1 shared key for .* but MAC mismatched/, wsTrace: AUTH_FAILED_RECEIVED },
    { row: 'M2', webswan: 'B', sw: { id: PPK_ID, key: X }, ws: { id: PPK_ID, key: Y }, outcome: 'fail', what: 'both optional, different PPKs',
      swLog: /received AUTHENTICATION_FAILED notify error/, wsTrace: /using PPK for PPK_ID 'ppkTestId1'[^]*AUTHENTICATION_FAILED: the AUTH payload of routerB\.example\.com does not verify/ },
    { row: 'M3', webswan: 'A', ws: { id: PPK_ID, key: X }, sw: { id: OTHER, key: X }, outcome: 'fail', what: 'responder requires another PPK_ID',
      swLog: /received PPK_ID 'ppkTestId1', but require 'otherPpkId'/, wsTrace: AUTH_FAILED_RECEIVED },
    { row: 'M4', webswan: 'A', ws: { id: PPK_ID, key: X }, sw: { id: PPK_ID }, outcome: 'no-ppk', what: 'responder names a PPK_ID but has no PPK',
      wsTrace: /parsed IKE_SA_INIT response 0 \[ (?![^\]]*USE_PPK)/ },
    { row: 'M5', webswan: 'B', sw: { id: PPK_ID, key: X }, outcome: 'no-ppk', what: 'responder without PPK' },
    { row: 'M6', webswan: 'A', ws: { id: PPK_ID, key: X, required: true }, outcome: 'fail', what: 'initiator requires, responder without PPK',
      wsTrace: /PPK required but peer does not support PPK/ },
    { row: 'M7', webswan: 'B', ws: { id: PPK_ID, key: X, required: true }, outcome: 'fail', what: 'responder requires, initiator without PPK',
      swLog: /received AUTHENTICATION_FAILED notify error/, wsTrace: /AUTHENTICATION_FAILED: PPK required but peer does not support PPK/ },
    { row: 'M8', webswan: 'A', ws: { id: PPK_ID, key: X }, sw: { idInConn: false, secretId: OTHER, key: X }, outcome: 'no-ppk', what: 'responder has a PPK for another PPK_ID only: NO_PPK_AUTH fallback',
      swLog: /no PPK available, using NO_PPK_AUTH notify/ },
    { row: 'M9', webswan: 'B', sw: { id: PPK_ID, key: X }, ws: { id: PPK_ID, key: X }, outcome: 'ppk', what: 'both optional, same PPK',
      swLog: /using PPK for PPK_ID 'ppkTestId1'/ },
    { row: 'M10', webswan: 'A', ws: { id: PPK_ID, key: X, required: true }, sw: { idInConn: false, secretId: PPK_ID, key: X }, outcome: 'ppk', what: 'initiator requires, responder has the PPK',
      swLog: /using PPK for PPK_ID 'ppkTestId1'/ },
  ];
  for (const r of ppkRows) {
    const initiator = r.webswan === 'A' ? 'webswan' as const : 'strongswan' as const;
    it(`6.${r.row} PPK, webswan is ${r.webswan}: ${r.what} → ${r.outcome}`, async (t) => {
      const o: CaseOptions = { initiator, ppkWebswan: r.ws, ppkStrongswan: r.sw, webswanId: 'fqdn routerA.example.com',
        webswanMatch: 'fqdn routerB.example.com', strongswanId: 'routerB.example.com' };
      await inPair(t, o, async (p) => {
        if (r.outcome === 'fail') {
          if (initiator === 'strongswan') {
            const res = await p.charon.initiate('net', 'tun', { check: false, timeoutMs: 4000 });
            ok(!/completed successfully/.test(res.stdout), `strongSwan's initiate must fail:${await diagnostics(p)}`);
          }
          await waitTrace(p, /IKE SA 1 deleted/, 5000);
          equal((await p.webswan.sessions()).filter((x) => x.status.startsWith('UP')).length, 0, 'no webswan session up');
          equal((await p.charon.listSas()).filter((x) => x.state === 'ESTABLISHED').length, 0, `no strongSwan SA up${await diagnostics(p)}`);
        } else {
          await up(p);
          const [sw] = await p.charon.listSas();
          const [ws] = await p.webswan.sessions(true);
          equal(sw.ppk, r.outcome === 'ppk', 'strongSwan uses the PPK');
          equal(ws.fields['Quantum resistance'], r.outcome === 'ppk' ? 'Enabled with manual PPK' : 'Disabled', 'webswan Quantum resistance');
          await pingBothWays(p, 2);
        }
        if (r.swLog) await waitCharonLog(p, r.swLog, 2000);
        if (r.wsTrace) await waitTrace(p, r.wsTrace, 2000);
      });
    });
  }

  // Rekeying under traffic: pings from strongSwan's side every 20 ms and from webswan back to back, across
  // the rekey; nothing may be lost. `trigger` starts the rekey once the pings run.
  async function rekeyUnderTraffic(p: Pair, trigger: () => Promise<unknown>, done: () => Promise<boolean>): Promise<void> {
    const fromS = pingFrom(p.s, S_INNER, W_INNER, 75, { intervalS: 0.02, waitS: 1 });
    let wsSent = 0, wsReceived = 0, stop = false;
    const fromW = (async () => {
      while (!stop) {
        const r = await p.webswan.ping(S_INNER, 10);
        wsSent += r.sent; wsReceived += r.received;
        await sleep(20);
      }
    })();
    let a: Awaited<typeof fromS>;
    try {
      await sleep(300);
      await trigger();
      await waitFor(async () => done(), 4000, async () => `rekey not finished${await diagnostics(p)}`);
      a = await fromS;
    } finally {
      stop = true;
      await fromW.catch(() => undefined);
    }
    equal(a.received, a.transmitted, `pings from strongSwan's side across the rekey (${a.output.split('\n').slice(-3).join(' ')})${await diagnostics(p)}`);
    equal(wsReceived, wsSent, `webswan pings across the rekey${await diagnostics(p)}`);
    ok(wsSent >= 20, `webswan sent ${wsSent} pings`);
  }

  /** After a rekey: one IKE SA with one Child SA on each side, SPIs agreeing, and pings still pass. */
  async function settled(p: Pair, old: { ike: string; child: string }): Promise<void> {
    const [sw] = await waitFor(async () => {
      const l = await p.charon.listSas();
      return l.length === 1 && l[0].children.filter((c) => c.state === 'INSTALLED').length === 1 ? l : undefined;
    }, 3000, async () => `strongSwan keeps more than one SA${await diagnostics(p)}`);
    const ws = await waitFor(async () => {
      const l = await p.webswan.sessions(true);
      return l.length === 1 && l[0].children.length === 1 ? l[0] : undefined;
    }, 3000, async () => `webswan keeps more than one SA${await diagnostics(p)}`);
    const ours = sw.initiator ? sw.responderSpi : sw.initiatorSpi;
    equal(ws.fields['Local SPI'].toLowerCase(), ours, 'IKE SPI after the rekey');
    const [spiIn, spiOut] = ws.children[0]['ESP SPI IN/OUT'].split(' / ').map((x) => x.replace(/^0x/, ''));
    equal(spiIn, installed(sw).spiOut, 'ESP SPI webswan in = strongSwan out');
    equal(spiOut, installed(sw).spiIn, 'ESP SPI webswan out = strongSwan in');
    ok(`${sw.initiatorSpi}/${installed(sw).spiIn}` !== `${old.ike}/${old.child}`, 'something was rekeyed');
    await pingBothWays(p, 2, { fresh: false });
  }

  const snapshot = async (p: Pair) => { const [sw] = await p.charon.listSas(); return { ike: sw.initiatorSpi, child: installed(sw).spiIn, sw }; };

  it('7.1 Child SA rekey started by strongSwan (swanctl --rekey --child), pings across: no loss', async (t) => {
    await inPair(t, {}, async (p) => {
      await up(p);
      const old = await snapshot(p);
      await rekeyUnderTraffic(p, () => p.charon.rekeyChild('net'), async () => {
        const [sw] = await p.charon.listSas();
        const live = sw.children.filter((c) => c.state === 'INSTALLED');
        return live.length === 1 && live[0].spiIn !== old.child;
      });
      await settled(p, old);
      await waitCharonLog(p, /generating INFORMATIONAL request \d+ \[ D \]/);
      equal((await p.charon.listSas())[0].initiatorSpi, old.ike, 'same IKE SA');
    });
  });

  it('7.2 IKE SA rekey started by strongSwan (swanctl --rekey --ike), strongSwan initiator: no loss', async (t) => {
    await inPair(t, { initiator: 'strongswan' }, async (p) => {
      await up(p);
      const old = await snapshot(p);
      await rekeyUnderTraffic(p, () => p.charon.rekeyIke('tun'), async () => {
        const l = await p.charon.listSas();
        return l.length === 1 && l[0].initiatorSpi !== old.ike && l[0].state === 'ESTABLISHED';
      });
      await settled(p, old);
      equal(installed((await p.charon.listSas())[0]).spiIn, old.child, 'the Child SA moved to the new IKE SA unchanged');
    });
  });

  it('7.3 Child SA rekey started by webswan (clear ipsec sa), with PFS group 20: no loss', async (t) => {
    await inPair(t, { algs: { pfs: 20 }, initiator: 'strongswan' }, async (p) => {
      await up(p);
      const old = await snapshot(p);
      await rekeyUnderTraffic(p, () => p.webswan.cli('clear ipsec sa interface tunnel-ip1'), async () => {
        const [sw] = await p.charon.listSas();
        const live = sw.children.filter((c) => c.state === 'INSTALLED');
        return live.length === 1 && live[0].spiIn !== old.child;
      });
      await settled(p, old);
      await waitCharonLog(p, /parsed CREATE_CHILD_SA request \d+ \[ N\(REKEY_SA\) SA No KE TSi TSr \]/);
      equal(installed((await p.charon.listSas())[0]).dhGroup, 'ECP_384', 'PFS group of the new Child SA');
    });
  });

  it('7.4 IKE SA rekey started by webswan (lifetime 120 s, WEBSWAN_REKEY_FRACTION): no loss', async (t) => {
    await inPair(t, { ikeLifetime: 120, webswanStart: { env: { WEBSWAN_REKEY_FRACTION: '0.012' } } }, async (p) => {
      await up(p);
      const old = await snapshot(p);
      await rekeyUnderTraffic(p, async () => undefined, async () => {
        const l = await p.charon.listSas();
        return l.length === 1 && l[0].initiatorSpi !== old.ike && l[0].state === 'ESTABLISHED';
      });
      await settled(p, old);
      await waitCharonLog(p, /parsed CREATE_CHILD_SA request \d+ \[ SA No KE \]/);
      await waitCharonLog(p, /IKE_SA tun\[\d+\] rekeyed|rekeyed/);
    });
  });

  it('8.1 delete from webswan (clear ikev2 sa): strongSwan drops the IKE SA', async (t) => {
    await inPair(t, { initiator: 'strongswan' }, async (p) => {
      await up(p);
      await p.webswan.cli('clear ikev2 sa');
      await waitCharonLog(p, /received DELETE for IKE_SA tun\[\d+\]/, 3000);
      await waitFor(async () => (await p.charon.listSas()).length === 0, 3000, async () => `strongSwan keeps the SA${await diagnostics(p)}`);
      equal((await p.webswan.sessions()).length, 0, 'webswan has no session');
    });
  });

  it('8.2 delete from strongSwan (swanctl --terminate --ike): webswan drops the IKE SA', async (t) => {
    await inPair(t, {}, async (p) => {
      await up(p);
      await p.charon.terminate({ ike: 'tun' });
      await waitTrace(p, /parsed INFORMATIONAL request \d+ \[ D \]/, 3000);
      // webswan initiates again after 5 s (reconnectSec): look before that
      await waitFor(async () => (await p.webswan.sessions()).length === 0, 3000, async () => `webswan keeps the SA${await diagnostics(p)}`);
      equal((await p.webswan.ipsecSa()).length, 0, 'no IPsec SA on tunnel-ip1');
    });
  });

  it('8.3 Child SA delete from strongSwan (swanctl --terminate --child): webswan keeps the IKE SA only', async (t) => {
    await inPair(t, {}, async (p) => {
      await up(p);
      const [sw] = await p.charon.listSas();
      await p.charon.terminate({ childId: installed(sw).uniqueid });
      await waitTrace(p, /received DELETE for ESP CHILD_SA/, 3000);
      const [ws] = await waitFor(async () => {
        const l = await p.webswan.sessions(true);
        return l.length === 1 && l[0].children.length === 0 ? l : undefined;
      }, 3000, async () => `webswan keeps the Child SA${await diagnostics(p)}`);
      equal(ws.status, 'UP-IDLE', 'webswan session status');
      equal((await p.charon.listSas())[0].state, 'ESTABLISHED', 'strongSwan keeps the IKE SA');
    });
  });

  it('9.1 DPD: charon killed (SIGKILL), webswan declares the peer dead (WEBSWAN_DPD_SEC=1)', async (t) => {
    const env = { WEBSWAN_DPD_SEC: '1', WEBSWAN_RETRANSMIT_MS: '300', WEBSWAN_RETRANSMIT_BASE: '1', WEBSWAN_RETRANSMIT_TRIES: '2' };
    await inPair(t, { initiator: 'strongswan', webswanStart: { env } }, async (p) => {
      await up(p);
      await sleep(1500); // a liveness check or two while charon is alive: answered
      equal((await p.webswan.sessions())[0]?.status, 'UP-ACTIVE', `still up while charon answers${await diagnostics(p)}`);
      await waitCharonLog(p, /parsed INFORMATIONAL request \d+ \[ \]/, 1000);
      await p.charon.kill();
      await waitTrace(p, /did not answer liveness check \(2 retransmissions\): declaring it dead/, 4000);
      equal((await p.webswan.sessions()).length, 0, 'webswan removed the SA');
      equal((await p.webswan.ipsecSa()).length, 0, 'no IPsec SA on tunnel-ip1');
    });
  });

  it('9.2 DPD the other way: webswan killed (SIGKILL), strongSwan (dpd_delay 1 s) declares it dead', async (t) => {
    await inPair(t, {
      swConn: { dpd_delay: '1s' }, charonSettings: { retransmit_timeout: 0.5, retransmit_base: 1, retransmit_tries: 2 },
    }, async (p) => {
      await up(p);
      await sleep(1500); // strongSwan's liveness checks are answered while webswan runs
      await waitCharonLog(p, /generating INFORMATIONAL request \d+ \[ \]\n(?:.*\n)*?.*parsed INFORMATIONAL response \d+ \[ \]/, 1000);
      await p.webswan.process.kill();
      await waitCharonLog(p, /giving up after 2 retransmits/, 5000);
      await waitFor(async () => (await p.charon.listSas()).length === 0, 2000, async () => `strongSwan keeps the SA${await diagnostics(p)}`);
    });
  });

  it('11 both ends initiate (strongSwan start_action = start, webswan not responder-only): one IKE SA remains on each, the same one', async (t) => {
    await inPair(t, { swChild: { start_action: 'start' }, charonSettings: { retransmit_timeout: 0.3, retransmit_base: 1, retransmit_tries: 6 } }, async (p) => {
      await waitUp(p);
      // both come up; the one whose SPI pair sorts last is deleted 2 s (webswan initiated it) or 4 s later
      await waitTrace(p, /IKE SA \d+ duplicates IKE SA \d+ \(both ends initiated\)/, 5000);
      const one = await waitFor(async () => {
        const sw = (await p.charon.listSas()).filter((x) => x.state === 'ESTABLISHED');
        const ws = await p.webswan.sessions(true);
        return sw.length === 1 && await ikeSaCount(p) === 1 ? { sw: sw[0], ws: ws[0] } : undefined;
      }, 8000, async () => `not one IKE SA on each side${await diagnostics(p)}`);
      ok(/initiating IKE_SA tun\[\d+\] to 10\.77\.0\.1/.test(p.charon.log()), 'strongSwan initiated');
      ok(/initiating IKE_SA to 10\.77\.0\.2/.test(await p.webswan.trace()), 'webswan initiated');
      await sleep(3000); // nothing else is deleted or set up again
      const sw = (await p.charon.listSas()).filter((x) => x.state === 'ESTABLISHED');
      const ws = await p.webswan.sessions(true);
      equal(sw.length, 1, `strongSwan: one IKE SA${await diagnostics(p)}`);
      equal(await ikeSaCount(p), 1, 'webswan: one IKE SA');
      equal(sw[0].initiatorSpi, one.sw.initiatorSpi, 'strongSwan: the same IKE SA as before');
      const ours = ws[0].fields['Local SPI'].toLowerCase(), theirs = ws[0].fields['Remote SPI'].toLowerCase();
      ok([sw[0].initiatorSpi, sw[0].responderSpi].includes(ours) && [sw[0].initiatorSpi, sw[0].responderSpi].includes(theirs),
        `the same SPIs on both ends (webswan ${ours}/${theirs}, strongSwan ${sw[0].initiatorSpi}/${sw[0].responderSpi})`);
      await pingBothWays(p, 3, { fresh: false });
    });
  });

  it('10 tshark decrypts the veth capture with webswan\'s --keylog: IKE_AUTH, CREATE_CHILD_SA, INFORMATIONAL, ESP', async (t) => {
    let cap: Capture | undefined;
    await inPair(t, {
      algs: { pfs: 21 }, capture: true,
      beforeWebswan: async (q) => { cap = await startCapture(q.topo, q.w, q.veth[0], join(q.topo.dir, 'veth.pcap')); },
    }, async (p) => {
      await up(p);
      await pingBothWays(p, 2);
      await p.charon.rekeyChild('net');                       // CREATE_CHILD_SA (strongSwan → webswan) + Delete
      await waitFor(async () => (await p.webswan.sessions(true))[0]?.children.length === 1, 3000, () => 'old Child SA deleted');
      await p.webswan.cli('clear ipsec sa interface tunnel-ip1'); // CREATE_CHILD_SA (webswan → strongSwan) + Delete
      await waitCharonLog(p, /parsed CREATE_CHILD_SA request \d+ \[ N\(REKEY_SA\) SA No KE TSi TSr \]/, 3000);
      await p.charon.rekeyIke('tun');                         // CREATE_CHILD_SA for the IKE SA
      await waitFor(async () => (await p.webswan.sessions()).length === 1 && (await p.charon.listSas()).length === 1, 3000, () => 'rekeys settled');
      await sleep(300);
      await pingBothWays(p, 2, { fresh: false });
      await p.webswan.cli('clear ikev2 sa');                  // INFORMATIONAL Delete
      await waitFor(async () => (await p.charon.listSas()).length === 0, 3000, () => 'deleted');
      await cap!.stop();
      await p.webswan.stop(); // --pcap complete
      const keys = join(p.topo.dir, 'keylog');
      const veth = await checkDecryption(cap!.pcap, keys);
      const own = await checkDecryption(join(p.topo.dir, 'webswan.pcap'), keys);
      equal(own, veth, 'webswan --pcap holds the same messages as the veth capture');
    });
  });
});

process.on('exit', () => { if (timings.length) console.log(`# interop timings (case ms): ${timings.join(', ')}`); });
