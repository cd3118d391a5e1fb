// Chromium, end to end below the UI: two router workers joined by a real WebRTC data channel (unordered,
// no retransmissions) whose ends live in the workers, driven through LabController / window.webswanLab —
// the presets come up (or, broken, explain why), the tunnel survives loss and reordering, a cut cable
// stops traffic, captures and key files come out, and the lab survives reload, export/import and a URL.
import { LabController } from '../../web/lab/controller.js';
import { LabStore } from '../../src/lab/store.js';
import type { LabEvent, RouterName } from '../../src/lab/protocol.js';
import { equal, ok } from '../support/assert.js';
import { PAGE, sleep, waitUp } from './lab-support.js';

async function upActive(lab: LabController, r: RouterName): Promise<boolean> {
  return /UP-ACTIVE/.test(await lab.exec(r, 'show ikev2 session'));
}

function events(lab: LabController): { all: LabEvent[]; stop: () => void } {
  const all: LabEvent[] = [];
  const stop = lab.on((e) => all.push(e));
  return { all, stop };
}

/** Every record of a LINKTYPE_RAW pcap as (IPv4 packet). */
function pcapPackets(b: Uint8Array): Uint8Array[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: Uint8Array[] = [];
  for (let o = 24; o + 16 <= b.length;) {
    const len = v.getUint32(o + 8, true);
    out.push(b.subarray(o + 16, o + 16 + len));
    o += 16 + len;
  }
  return out;
}

describe('browser lab: two router workers over a WebRTC data channel', function () {
  let lab: LabController;
  const DB = `webswan-lab-test-${Date.now()}`;

  before(async () => {
    lab = await LabController.create({ store: DB, url: PAGE, initial: false });
  });
  after(async () => {
    lab?.dispose();
    await LabStore.destroy(DB);
  });

  it('installs window.webswanLab with both routers and every lab', () => {
    equal(window.webswanLab, lab, 'window.webswanLab');
    equal(lab.routers().join(','), 'A,B', 'routers');
    const names = lab.labs().map((l) => l.name);
    for (const n of ['psk-ipv4', 'psk-fqdn', 'psk-domain', 'ppk-manual', 'broken-psk-mismatch', 'broken-proposal-mismatch',
      'broken-ppk-required-one-side', 'broken-wrong-remote-identity']) ok(names.includes(n), `lab ${n}`);
  });

  it('the link is an unordered, maxRetransmits 0 channel that lives in the workers, not in the page', async () => {
    const info = await lab.linkInfo();
    for (const r of ['A', 'B'] as const) {
      equal(info[r]?.ordered, false, `${r}: unordered`);
      equal(info[r]?.maxRetransmits, 0, `${r}: maxRetransmits 0`);
      equal(info[r]?.readyState, 'open', `${r}: open in the worker`);
    }
    const ch = lab.pageChannel!;
    ok(ch, 'the page kept its (transferred) handle');
    equal(ch.onmessage, null, 'the page never listens on the channel');
    // Chromium neuters a transferred RTCDataChannel: it reports 'closed' here and refuses to send
    equal(ch.readyState, 'closed', 'readyState of the transferred channel in the page');
    let threw = '';
    try { ch.send(new Uint8Array(4)); } catch (e) { threw = (e as Error).name; }
    equal(threw, 'InvalidStateError', 'send from the page throws');
  });

  it('psk-ipv4: both routers reach UP-ACTIVE and ping crosses the tunnel (!!!!!)', async () => {
    const ev = events(lab);
    await lab.load('psk-ipv4');
    equal(lab.currentLab(), 'psk-ipv4', 'current lab');
    const loaded = performance.now();
    await waitUp(lab);
    console.log(`psk-ipv4: UP-ACTIVE on both at most ${Math.round(performance.now() - loaded)} ms after load() resolved (polled)`);
    const ping = await lab.exec('A', 'ping 192.0.2.2');
    ok(ping.includes('!!!!!') && /Success rate is 100 percent \(5\/5\)/.test(ping), `ping output: ${ping}`);
    const detail = await lab.exec('B', 'show ikev2 session detail');
    ok(/Role\s*: Responder/.test(detail), `B is the responder: ${detail}`);
    await sleep(300);
    ev.stop();
    const kinds = new Set(ev.all.map((e) => e.kind));
    for (const k of ['ladder', 'wire', 'trace', 'state']) ok(kinds.has(k as LabEvent['kind']), `${k} events`);
    const ladder = lab.ladder();
    ok(ladder.some((e) => e.kind === 'ike' && e.summary.startsWith('IKE_SA_INIT request')), 'ladder has IKE_SA_INIT');
    ok(ladder.some((e) => e.kind === 'ike' && e.summary.startsWith('IKE_AUTH response') && e.keys?.SK_ei), 'ladder has IKE_AUTH with keys');
    ok(ladder.some((e) => e.kind === 'esp' && /ICMP echo request/.test(e.summary)), 'ladder has ESP with the ping inside');
    ok(ladder.every((e, i) => i === 0 || e.id > ladder[i - 1].id), 'ladder ids increase');
    ok(ladder.some((e) => e.router === 'A') && ladder.some((e) => e.router === 'B'), 'ladder entries of both routers');
    const st = await lab.state();
    equal(`${st.A.name} ${st.A.hostname} ${st.A.addresses}`, 'A RouterA 198.51.100.5', 'state of A');
    equal(`${st.B.name} ${st.B.hostname} ${st.B.addresses}`, 'B RouterB 198.51.100.21', 'state of B');
    equal(st.A.tunnels[0]?.state, 'up', 'state: A tunnel up');
    equal(st.B.tunnels[0]?.state, 'up', 'state: B tunnel up');
    ok(st.A.tunnels[0].packetsOut >= 5 && st.B.tunnels[0].packetsIn >= 5, 'state: counters');
    for (const r of ['A', 'B'] as const) {
      const last = ev.all.filter((e): e is Extract<LabEvent, { kind: 'state' }> => e.kind === 'state' && e.state.name === r).pop();
      equal(last?.state.tunnels[0]?.state, 'up', `last state event of ${r} says up`);
      equal(last?.state.hostname, `Router${r}`, `state events of ${r} carry its hostname`);
    }
    ok(ev.all.some((e) => e.kind === 'trace' && e.router === 'B') && ev.all.some((e) => e.kind === 'wire' && e.router === 'B'), 'events of B are named B');
  });

  it('pcap starts with the pcap magic and holds the IKE datagrams; key files have the SAs', async () => {
    const pcap = await lab.pcap('A');
    equal([...pcap.subarray(0, 4)].map((x) => x.toString(16)).join(''), 'd4c3b2a1', 'pcap magic (little-endian)');
    const pk = pcapPackets(pcap);
    const ike = pk.filter((p) => p[9] === 17 && ((p[22] << 8) | p[23]) === 500);
    ok(ike.length >= 2, `IKE_SA_INIT on UDP 500 (${ike.length})`);
    const natt = pk.filter((p) => p[9] === 17 && ((p[22] << 8) | p[23]) === 4500);
    ok(natt.length >= 2 + 10, `IKE_AUTH and ESP on UDP 4500 (${natt.length})`);
    ok(pk.every((p) => p[0] === 0x45), 'every record is an IPv4 packet');
    const keys = await lab.keyFiles();
    ok(keys.ikev2_decryption_table.split('\n').filter(Boolean).length >= 1, 'an IKE SA line');
    ok(keys.esp_sa.split('\n').filter(Boolean).length >= 2, 'both ESP directions');
    ok(/esp\.enable_encryption_decode: TRUE/.test(keys.preferences), 'preferences');
  });

  it('cutting the cable stops traffic', async () => {
    const ev = events(lab);
    await lab.setImpairment('A', { cut: true });
    try {
      const ping = await lab.exec('A', 'ping 192.0.2.2 count 2 timeout 1');
      ok(!ping.includes('!') && /Success rate is 0 percent/.test(ping), `ping across a cut cable: ${ping}`);
      ok(ev.all.some((e) => e.kind === 'wire' && e.router === 'A' && e.dropped === 'cable cut'), 'wire events say cable cut');
      ok(ev.all.some((e) => e.kind === 'impairment' && e.router === 'A' && e.impairment.cut === true), 'the impairment is announced to the views');
    } finally {
      await lab.setImpairment('A', {});
      ev.stop();
    }
    const again = await lab.exec('A', 'ping 192.0.2.2 count 3');
    ok(again.includes('!!!'), `ping after the cable is back: ${again}`);
  });

  it('duplicates are dropped by anti-replay, corrupted ESP by the ICV check', async () => {
    const ev = events(lab);
    const before = (await lab.state()).B.tunnels[0].drops;
    try {
      await lab.setImpairment('A', { duplicatePct: 100 });
      const dup = await lab.exec('A', 'ping 192.0.2.2 count 3');
      ok(/Success rate is 100 percent \(3\/3\)/.test(dup), `ping with every datagram duplicated: ${dup}`);
      ok(ev.all.filter((e) => e.kind === 'wire' && e.mark === 'duplicate').length >= 3, 'duplicates on the wire');
      await lab.setImpairment('A', { corruptPct: 100 });
      const bad = await lab.exec('A', 'ping 192.0.2.2 count 2 timeout 1');
      ok(/Success rate is 0 percent/.test(bad), `ping with every datagram corrupted: ${bad}`);
      const after = (await lab.state()).B.tunnels[0].drops;
      ok(after - before >= 5, `B counts the duplicates and the corrupted packets as drops (${before} → ${after})`);
    } finally {
      await lab.setImpairment('A', {});
      ev.stop();
    }
  });

  it('ppk-manual: quantum resistance enabled with manual PPK on both sides', async () => {
    await lab.load('ppk-manual');
    await waitUp(lab);
    for (const r of ['A', 'B'] as const) {
      const d = await lab.exec(r, 'show ikev2 session detail');
      ok(/Quantum resistance\s*: Enabled with manual PPK/.test(d), `${r}: ${d}`);
    }
    const ping = await lab.exec('A', 'ping 209.165.200.226');
    ok(ping.includes('!!!!!'), `ping: ${ping}`);
    const st = await lab.state();
    ok(st.A.tunnels[0].quantumSafe && st.B.tunnels[0].quantumSafe, 'state: quantum-safe');
  });

  for (const broken of ['broken-psk-mismatch', 'broken-proposal-mismatch', 'broken-ppk-required-one-side', 'broken-wrong-remote-identity']) {
    it(`${broken}: does not come up and explains why`, async () => {
      const ev = events(lab);
      await lab.load(broken);
      const t0 = performance.now();
      while (!ev.all.some((e) => e.kind === 'explain') && performance.now() - t0 < 10000) await sleep(50);
      await sleep(500);
      ev.stop();
      const explained = ev.all.filter((e): e is Extract<LabEvent, { kind: 'explain' }> => e.kind === 'explain');
      ok(explained.length >= 1, `${broken}: an explain event`);
      ok(!(await upActive(lab, 'A')) && !(await upActive(lab, 'B')), `${broken}: not UP-ACTIVE`);
    });
  }

  it('with 20 % loss and reordering on the wire the tunnel still comes up', async () => {
    const ev = events(lab);
    // seeds chosen so that A's first datagram (IKE_SA_INIT) is among the lost: the retransmission shows
    await lab.setImpairment('A', { lossPct: 20, reorderPct: 30, jitterMs: 10, seed: 39 });
    await lab.setImpairment('B', { lossPct: 20, reorderPct: 30, jitterMs: 10, seed: 2 });
    try {
      await lab.load('psk-ipv4');
      const ms = await waitUp(lab, 90000);
      const count = (f: (e: Extract<LabEvent, { kind: 'wire' }>) => boolean) => ev.all.filter((e) => e.kind === 'wire' && f(e)).length;
      console.log(`UP-ACTIVE after ${Math.round(ms)} ms with ${count((e) => !!e.dropped)} datagrams lost, ${count((e) => e.mark === 'reordered')} reordered`);
      const ping = await lab.exec('A', 'ping 192.0.2.2 count 20 timeout 1');
      const m = /Success rate is (\d+) percent/.exec(ping);
      // each echo crosses the lossy wire twice: 0.8 × 0.8 = 64 % expected
      ok(m && Number(m[1]) >= 30 && Number(m[1]) < 100, `ping through 20 % loss each way: ${ping}`);
      ok(count((e) => e.dropped === 'lost (impairment)') > 0, 'datagrams were lost');
      ok(count((e) => e.mark === 'reordered') > 0, 'datagrams were reordered');
    } finally {
      await lab.setImpairment('A', {});
      await lab.setImpairment('B', {});
      ev.stop();
    }
  });

  it('IndexedDB: a new controller restores the lab and its edited configuration', async () => {
    await lab.load('psk-fqdn');
    for (const l of ['configure', 'hostname Alpha', 'commit', 'end']) await lab.exec('A', l);
    ok((await lab.runningConfig('A')).includes('hostname Alpha'), 'committed');
    await sleep(100);
    const again = await LabController.create({ store: DB, url: PAGE, install: false });
    try {
      equal(again.currentLab(), 'psk-fqdn', 'restored lab name');
      ok((await again.runningConfig('A')).includes('hostname Alpha'), 'restored A configuration');
      ok((await again.runningConfig('B')).includes('identity local fqdn RouterB.example.com'), 'restored B configuration');
    } finally {
      again.dispose();
    }
  });

  it('export → import round trip; keys travel as type 7, never in clear', async () => {
    await lab.load('psk-ipv4');
    const json = await lab.exportLab();
    ok(!json.includes('cisco123'), 'no clear-text pre-shared key');
    ok(/pre-shared-key password [0-9A-F]+/.test(JSON.parse(json).configs.A), 'type 7 key');
    const other = await LabController.create({ store: false, url: PAGE, initial: false, install: false });
    try {
      await other.importLab(json);
      equal(other.currentLab(), 'psk-ipv4', 'imported name');
      equal(await other.runningConfig('A'), await lab.runningConfig('A'), 'A identical');
      equal(await other.runningConfig('B'), await lab.runningConfig('B'), 'B identical');
      await waitUp(other);
    } finally {
      other.dispose();
    }
    let err = '';
    try { await lab.importLab('{"format":"something-else"}'); } catch (e) { err = (e as Error).message; }
    ok(/^lab: /.test(err), `a foreign document is refused: ${err}`);
  });

  it('shareUrl → a page opened with it loads that lab', async () => {
    await lab.load('ppk-manual');
    const url = await lab.shareUrl();
    ok(url.startsWith(`${PAGE}#lab=`), `url: ${url.slice(0, 60)}…`);
    ok(/^[A-Za-z0-9_-]+$/.test(url.split('#lab=')[1]), 'base64url fragment');
    const opened = await LabController.create({ store: false, url, install: false });
    try {
      equal(opened.currentLab(), 'ppk-manual', 'lab from the URL');
      equal(await opened.runningConfig('A'), await lab.runningConfig('A'), 'A from the URL');
      equal(await opened.runningConfig('B'), await lab.runningConfig('B'), 'B from the URL');
    } finally {
      opened.dispose();
    }
  });
});
