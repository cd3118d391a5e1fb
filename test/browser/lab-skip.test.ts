// Chromium, end to end below the UI: the "Dynamic PPK (SKIP)" lab. Two router workers over the real WebRTC
// data channel, and the key-server worker (KP_A ═ QKD link ═ KP_B, src/skip) that each router reaches over
// its own MessagePort as its keySourceFetch — both routers reach UP-ACTIVE with a dynamic PPK, ping crosses
// the tunnel, `show sks profile` shows the key sources; with the QKD link cut, `clear ikev2 sa` leaves the
// tunnel down ("required") and an explain event says why; restored, it comes back.
import { LabController } from '../../web/lab/controller.js';
import { LabStore } from '../../src/lab/store.js';
import type { LabEvent, RouterName } from '../../src/lab/protocol.js';
import { equal, ok } from '../support/assert.js';
import { bothUp, fields, PAGE, sleep, waitUp } from './lab-support.js';

const B_TUNNEL = '209.165.200.226';

describe('browser lab: Dynamic PPK (SKIP) with the key server in its own worker', function () {
  let lab: LabController;
  const DB = `webswan-lab-skip-test-${Date.now()}`;
  const all: LabEvent[] = [];

  before(async () => {
    lab = await LabController.create({ store: DB, url: PAGE, initial: false });
    lab.on((e) => all.push(e));
  });
  after(async () => {
    lab?.dispose();
    await LabStore.destroy(DB);
  });

  it('offers the lab as "Dynamic PPK (SKIP)"', () => {
    const l = lab.labs().find((x) => x.name === 'ppk-dynamic');
    ok(l, 'lab ppk-dynamic');
    equal(l!.title, 'Dynamic PPK (SKIP)', 'title');
    equal(l!.broken, false, 'not a broken lab');
  });

  it('comes up with a dynamic PPK on both routers; ping 100 %; show sks profile: Reachable, a key fetched', async () => {
    await lab.load('ppk-dynamic');
    const dt = await waitUp(lab);
    console.log(`ppk-dynamic: UP-ACTIVE on both ${Math.round(dt)} ms after load() resolved (polled)`);
    for (const r of ['A', 'B'] as RouterName[]) {
      const detail = await lab.exec(r, 'show ikev2 session detail');
      equal(fields(detail).get('Quantum resistance')?.[0], 'Enabled with dynamic PPK', `${r} quantum resistance\n${detail}`);
    }
    const ping = await lab.exec('A', `ping ${B_TUNNEL}`);
    ok(/Success rate is 100 percent \(5\/5\)/.test(ping), `ping: ${ping}`);

    for (const [r, server, local, remote] of [['A', '192.0.2.34', 'KP_A', 'KP_B'], ['B', '192.0.2.35', 'KP_B', 'KP_A']] as const) {
      const out = await lab.exec(r, 'show sks profile');
      const f = fields(out);
      equal(f.get('Profile Name')?.[0], 'Qkd', `${r} profile\n${out}`);
      ok(f.get('KME Server')?.[0]?.includes(server), `${r} KME server ${server}\n${out}`);
      equal(f.get('Reachability')?.[0], 'Reachable', `${r} reachability\n${out}`);
      equal(f.get('Local System ID')?.[0], local, `${r} local system ID\n${out}`);
      equal(f.get('Remote System ID')?.[0], remote, `${r} remote system ID\n${out}`);
      ok(Number(f.get('Keys fetched')?.[0]) >= 1, `${r} keys fetched\n${out}`);
      equal(f.get('Keys failed')?.[0], '0', `${r} keys failed\n${out}`);
    }
    const ks = await lab.keySource({ op: 'status' });
    equal(ks.link.cut, false, 'link up');
    const a = ks.ends.find((e) => e.router === 'A')!, b = ks.ends.find((e) => e.router === 'B')!;
    ok(a.stats.issued >= 1 && b.stats.delivered >= 1, `KP_A issued, KP_B delivered: ${JSON.stringify(ks.ends)}`);
    equal(b.pending, 0, 'no key left waiting at KP_B (one-shot)');

    // the key never reached the page: the PPK_IDENTITY on the ladder carries the keyId only
    const auth = lab.ladder().find((e) => e.router === 'A' && e.dir === 'out' && /IKE_AUTH request/.test(e.summary));
    ok(auth, 'A\'s IKE_AUTH request on the ladder');
  });

  it('QKD link cut, clear ikev2 sa: the SA does not come up (required) and an explain event says why', async () => {
    ok(await bothUp(lab), 'up before the cut');
    const cut = await lab.keySource({ op: 'cut' });
    equal(cut.link.cut, true, 'link cut');
    const from = all.length;
    await lab.exec('A', 'clear ikev2 sa');
    // a ping would (re)start the negotiation if the clear alone did not
    const ping = await lab.exec('A', `ping ${B_TUNNEL} count 2 timeout 1`);
    ok(/Success rate is 0 percent/.test(ping), `ping with the QKD link cut: ${ping}`);
    const t0 = performance.now();
    const explains = () => all.slice(from).filter((e): e is Extract<LabEvent, { kind: 'explain' }> => e.kind === 'explain');
    while (!explains().some((e) => /PPK/.test(e.text)) && performance.now() - t0 < 10000) await sleep(50);
    const why = explains().find((e) => /PPK/.test(e.text));
    ok(why, `an explain event about the PPK: ${JSON.stringify(all.slice(from).filter((e) => e.kind === 'trace' || e.kind === 'explain'))}`);
    console.log(`explain (${why!.router}): ${why!.text}`);
    ok(/503|out of|down|key source/i.test(why!.text), `the explanation names the key source's failure: ${why!.text}`);
    const traces = all.slice(from).filter((e): e is Extract<LabEvent, { kind: 'trace' }> => e.kind === 'trace').map((e) => e.text);
    ok(traces.some((t) => /PPK required but not available: key source 192\.0\.2\.34:10001 \(sks profile Qkd\)/.test(t)),
      `A's trace says the PPK is not available:\n${traces.join('\n')}`);
    await sleep(500);
    ok(!(await bothUp(lab)), 'no SA came up without a PPK');
    const sks = fields(await lab.exec('A', 'show sks profile'));
    ok(Number(sks.get('Keys failed')?.[0]) >= 1, `A: a key failed: ${JSON.stringify([...sks])}`);
  });

  it('the link restored: the tunnel comes back with a fresh dynamic PPK', async () => {
    await lab.keySource({ op: 'restore' });
    await lab.exec('A', 'clear ikev2 sa');
    const t0 = performance.now();
    while (!(await bothUp(lab)) && performance.now() - t0 < 15000) {
      await lab.exec('A', `ping ${B_TUNNEL} count 1 timeout 1`);
      await sleep(100);
    }
    await waitUp(lab, 1000);
    const detail = await lab.exec('A', 'show ikev2 session detail');
    equal(fields(detail).get('Quantum resistance')?.[0], 'Enabled with dynamic PPK', `A quantum resistance\n${detail}`);
  });

  it('a budget of 0 bits ("out of keys") also keeps the tunnel down; loading the lab resets the link', async () => {
    await lab.keySource({ op: 'budget', bits: 0 });
    const from = all.length;
    await lab.exec('A', 'clear ikev2 sa');
    await lab.exec('A', `ping ${B_TUNNEL} count 1 timeout 1`);
    const t0 = performance.now();
    const traceSays = () => all.slice(from).some((e) => e.kind === 'trace' && /PPK required but not available: .*503/.test(e.text));
    while (!traceSays() && performance.now() - t0 < 10000) await sleep(50);
    ok(traceSays(), 'A\'s trace: HTTP 503 from the key source');
    ok(!(await bothUp(lab)), 'not up out of keys');
    await lab.load('ppk-dynamic');
    const st = await lab.keySource({ op: 'status' });
    equal(JSON.stringify(st.link), JSON.stringify({ cut: false, delayMs: 0, budgetBits: null }), 'a lab load resets the link');
    await waitUp(lab);
  });
});
