// Two webswan routers in one process (virtual time, simulated wire): every exchange of RFC 7296 between
// them, as configured with the guide's commands. Interop with strongSwan is test/node/interop-*.test.ts.
import { VirtualTime } from '../../src/util/clock.js';
import { env } from '../support/env.js';
import { equal, ok } from '../support/assert.js';
import { SimWire, pairConfig, routerFromText, run, until, type PairOptions } from '../support/sim.js';
import type { Router } from '../../src/router/router.js';
import type { MessageEvent } from '../../src/router/types.js';
import { decodeMessage } from '../../src/ike/codec/message.js';
import { SkCipher, openMessage } from '../../src/ike/codec/sk.js';

export async function pair(o: PairOptions = {}, seed = 1) {
  const { core } = await env();
  const time = new VirtualTime();
  const wire = new SimWire(time, seed);
  const a = routerFromText(core, time, wire, pairConfig('A', o));
  const b = routerFromText(core, time, wire, pairConfig('B', o));
  return { time, wire, a, b };
}

export function upActive(r: Router): boolean {
  return r.ops.ikeSessions().some((s) => s.status === 'UP-ACTIVE');
}

async function pingOk(time: VirtualTime, r: Router, dst: string, count = 5): Promise<number> {
  let okN = 0;
  const p = r.ops.ping({ destination: dst, count, size: 100, timeoutSec: 2 }, (x) => { if (x.ok) okN++; });
  let done = false;
  void p.then(() => { done = true; });
  await until(time, () => done, 60_000, 'ping to finish');
  return okN;
}

export function engineSuite(): void {
  describe('IKEv2 engine: two routers', () => {
    it('PSK: IKE_SA_INIT + IKE_AUTH bring tunnel-ip1 UP-ACTIVE; ping crosses the tunnel', async () => {
      const { time, a, b } = await pair();
      await until(time, () => upActive(a) && upActive(b), 10_000, 'UP-ACTIVE');
      const sa = a.ops.ikeSessions()[0].ikeSas[0];
      equal(sa.role, 'Initiator', "sa.role, 'Initiator'");
      equal(sa.encryption, 'AES-CBC', "sa.encryption, 'AES-CBC'");
      equal(sa.keySize, 256, 'sa.keySize, 256');
      equal(sa.dhGroup, 20, 'sa.dhGroup, 20');
      equal(b.ops.ikeSessions()[0].ikeSas[0].role, 'Responder', "b.ops.ikeSessions()[0].ikeSas[0].role, 'Responder'");
      equal(await pingOk(time, a, '192.0.2.2'), 5, "await pingOk(time, a, '192.0.2.2'), 5");
      equal(await pingOk(time, b, '192.0.2.1'), 5, "await pingOk(time, b, '192.0.2.1'), 5");
      const [ia] = a.ops.ipsecSas(), [ib] = b.ops.ipsecSas();
      equal(ia.outbound.spi, ib.inbound.spi, 'ia.outbound.spi, ib.inbound.spi');
      equal(ia.outbound.packets, ib.inbound.packets, 'ia.outbound.packets, ib.inbound.packets');
      equal(ia.inbound.packets, 10, 'ia.inbound.packets, 10');
    });

    it('lifetimes of 600 s: Child SAs and the IKE SA rekey before expiry, traffic never stops', async () => {
      const { time, a, b } = await pair({ pfs: 'group19' });
      await until(time, () => upActive(a) && upActive(b), 10_000, 'UP-ACTIVE');
      const firstIke = a.engine.list()[0];
      const firstSpi = a.ops.ipsecSas()[0].inbound.spi;
      let sent = 0, got = 0;
      // a ping every 2 s of virtual time across 25 minutes: several child and IKE rekeys
      for (let t = 0; t < 1500; t += 2) {
        sent++;
        void a.ops.ping({ destination: '192.0.2.2', count: 1, size: 100, timeoutSec: 2 }, (r) => { if (r.ok) got++; });
        await run(time, 2000);
      }
      await run(time, 3000);
      equal(got, sent, 'no ping lost across rekeys');
      ok(a.ops.ipsecSas()[0].inbound.spi !== firstSpi, 'child SA was rekeyed');
      ok(!a.engine.list().includes(firstIke), 'IKE SA was rekeyed');
      equal(a.engine.list().filter((s) => s.state === 'established').length, 1, 'one IKE SA on A');
      equal(b.engine.list().filter((s) => s.state === 'established').length, 1, 'one IKE SA on B');
      ok(upActive(a) && upActive(b), 'both up after the rekeys');
      const trace = a.traceLog.map((e) => e.text).join('\n');
      ok(/Child SA rekeyed/.test(trace), 'trace names child rekeys');
      ok(/rekeyed: new IKE SA/.test(trace), 'trace names IKE rekeys');
    });

    it('retransmission: the tunnel comes up through 30 % loss, duplication and reordering', async () => {
      for (const seed of [1, 2, 3, 4, 5]) {
        const { time, wire, a, b } = await pair({}, seed);
        wire.impair = { loss: 0.3, duplicate: 0.1, reorder: 0.2, jitterMs: 3 };
        await until(time, () => upActive(a) && upActive(b), 600_000, `UP-ACTIVE with loss (seed ${seed})`);
        equal(a.engine.list().filter((s) => s.state === 'established').length, 1, "a.engine.list().filter((s) => s.state === 'established').len");
      }
    });

    it('DPD (ikev2 global dpd 10 2): a peer that stops answering is declared dead, and the initiator tries again', async () => {
      const { time, wire, a, b } = await pair({ globalA: 'ikev2 global dpd 10 2' });
      await until(time, () => upActive(a) && upActive(b), 10_000, 'UP-ACTIVE');
      wire.filter = (d) => d.src !== '10.77.0.2'; // B goes silent
      const ms = await until(time, () => a.engine.list().every((s) => s.state !== 'established'), 400_000, 'A declares B dead');
      // idle 10 s (checked every 10 s: the check fires 10–20 s after B's last word), then the R-U-THERE
      // and 5 retransmissions 2 s apart: dead 12 s after the first check
      ok(ms >= 22_000 && ms <= 32_000, `dead after 10–20 s idle + 6 × 2 s (${ms} ms)`);
      const checks = a.traceLog.filter((e) => /retransmitting INFORMATIONAL request/.test(e.text));
      equal(checks.length, 5, 'the liveness check is sent again 5 times');
      ok(a.traceLog.some((e) => /declaring it dead/.test(e.text)), 'trace says the peer is dead');
      wire.filter = undefined;
      await until(time, () => upActive(a), 120_000, 'A reconnects once B answers again');
    });

    it('both ends initiate (no responder-only): one IKE SA and one Child SA pair remain, the same on both, traffic flows', async () => {
      for (const seed of [1, 2, 3, 4]) {
        const { time, wire, a, b } = await pair({ responderOnlyB: false }, seed);
        wire.impair = { jitterMs: 5 };
        await until(time, () => upActive(a) && upActive(b), 10_000, `UP-ACTIVE (seed ${seed})`);
        await run(time, 5000);
        ok(a.traceLog.some((e) => /duplicates IKE SA/.test(e.text)) && b.traceLog.some((e) => /duplicates IKE SA/.test(e.text)),
          `both initiated and both saw the duplicate (seed ${seed})`);
        const live = (r: Router) => r.engine.list().filter((s) => s.state === 'established');
        equal(live(a).length, 1, `A keeps one IKE SA (seed ${seed})`);
        equal(live(b).length, 1, `B keeps one IKE SA (seed ${seed})`);
        equal(live(a)[0].spiKey, live(b)[0].spiKey, 'the same one');
        equal(live(a)[0].children.length, 1, 'one Child SA pair');
        equal(a.ops.ipsecSas().length, 1, 'show ipsec sa: one SA');
        equal(await pingOk(time, a, '192.0.2.2'), 5, 'ping A → B');
        equal(await pingOk(time, b, '192.0.2.1'), 5, 'ping B → A');
        await run(time, 30_000);
        equal(live(a).length + live(b).length, 2, 'no reconnect makes a new duplicate');
      }
    });

    it('no dpd configured: no liveness check (IOS XR default); committing ikev2 global dpd starts it on the live SA', async () => {
      const { time, wire, a, b } = await pair();
      await until(time, () => upActive(a) && upActive(b), 10_000, 'UP-ACTIVE');
      wire.filter = (d) => d.src !== '10.77.0.2';
      await run(time, 120_000);
      ok(upActive(a), 'still up after 2 silent minutes');
      ok(!a.traceLog.some((e) => /liveness check/.test(e.text)), 'no liveness check sent');
      const cfg = a.store.running;
      cfg.ikev2Global = { dpd: { interval: 10, retry: 2 } };
      a.store.load(cfg);
      const ms = await until(time, () => a.engine.list().every((s) => s.state !== 'established'), 60_000, 'A declares B dead');
      ok(ms <= 32_000, `dead within one check period + 12 s of the commit (${ms} ms)`);
    });

    it('ikev2 global retransmission 3: a request is given up 2 + 4 + 8 = 14 s after it was sent', async () => {
      const { time, wire, a } = await pair({ globalA: 'ikev2 global retransmission 3' });
      wire.filter = (d) => d.src !== '10.77.0.2'; // B never answers
      const t0 = time.now().getTime();
      await until(time, () => a.traceLog.some((e) => /no response|giving up|gave up|dead/i.test(e.text)), 60_000, 'A gives up');
      const at = time.now().getTime() - t0;
      ok(at >= 14_000 && at < 15_000, `given up at ${at} ms`);
      equal(a.traceLog.filter((e) => /retransmitting IKE_SA_INIT request 0/.test(e.text)).length, 2, 'sent again after 2 s and 6 s');
    });

    it('PSK mismatch: AUTHENTICATION_FAILED on both sides, nothing established', async () => {
      const { time, a, b } = await pair({ pskB: 'wrong-key' });
      await run(time, 3000);
      ok(!upActive(a) && !upActive(b), 'nothing up');
      ok(b.traceLog.some((e) => /AUTHENTICATION_FAILED/.test(e.text)), 'responder says why');
      ok(a.traceLog.some((e) => /AUTHENTICATION_FAILED/.test(e.text)), 'initiator says why');
    });

    it('proposal mismatch: NO_PROPOSAL_CHOSEN names what was offered and what was acceptable', async () => {
      const { time, a, b } = await pair();
      b.store.load({ ...b.store.running, ikev2Proposals: { P1: { encryption: ['aes-cbc-128'], integrity: ['sha-1'], prf: ['sha-1'], dhGroup: [21] } } });
      await run(time, 3000);
      ok(!upActive(a), 'A not up');
      const t = b.traceLog.map((e) => e.text).find((x) => /NO_PROPOSAL_CHOSEN/.test(x));
      ok(t && /AES_CBC_256/.test(t) && /AES_CBC_128/.test(t), `trace: ${t}`);
      ok(a.traceLog.some((e) => /NO_PROPOSAL_CHOSEN/.test(e.text)), 'initiator learns NO_PROPOSAL_CHOSEN');
    });

    it('manual PPK on both sides: Quantum resistance enabled, keys re-derived (RFC 8784)', async () => {
      const ppk = 'ppk manual id ppktestid key 0123456789abcdef0123456789abcdef required';
      const { time, a, b } = await pair({ ppkA: ppk, ppkB: ppk });
      await until(time, () => upActive(a) && upActive(b), 10_000, 'UP-ACTIVE');
      equal(a.ops.ikeSessions()[0].ikeSas[0].quantumResistance, 'Enabled with manual PPK', "a.ops.ikeSessions()[0].ikeSas[0].quantumResistance, 'Enabled");
      equal(b.ops.ikeSessions()[0].ikeSas[0].quantumResistance, 'Enabled with manual PPK', "b.ops.ikeSessions()[0].ikeSas[0].quantumResistance, 'Enabled");
      equal(await pingOk(time, a, '192.0.2.2'), 5, "await pingOk(time, a, '192.0.2.2'), 5");
    });

    it('PPK required on the responder only: AUTHENTICATION_FAILED; optional on the initiator only: up without PPK', async () => {
      const req = 'ppk manual id ppktestid key 0123456789abcdef0123456789abcdef required';
      const opt = 'ppk manual id ppktestid key 0123456789abcdef0123456789abcdef';
      let p = await pair({ ppkB: req });
      await run(p.time, 3000);
      ok(!upActive(p.a) && p.b.traceLog.some((e) => /PPK required/.test(e.text)), 'required PPK refused');
      p = await pair({ ppkA: opt });
      await until(p.time, () => upActive(p.a) && upActive(p.b), 10_000, 'UP-ACTIVE without PPK');
      equal(p.a.ops.ikeSessions()[0].ikeSas[0].quantumResistance, 'Disabled', "p.a.ops.ikeSessions()[0].ikeSas[0].quantumResistance, 'Disab");
      p = await pair({ ppkA: opt, ppkB: 'ppk manual id ppktestid key another-key-another-key-another-k' });
      await run(p.time, 3000);
      ok(!upActive(p.a), 'a wrong PPK fails, no fallback (as strongSwan)');
    });

    it('clear ikev2 sa: Delete reaches the peer; the initiator brings the tunnel back', async () => {
      const { time, a, b } = await pair();
      await until(time, () => upActive(a) && upActive(b), 10_000, 'UP-ACTIVE');
      const first = b.engine.list()[0];
      equal(b.ops.clearIkeSa(), 1, 'b.ops.clearIkeSa(), 1');
      await until(time, () => !a.engine.list().some((s) => s.state === 'established' && s.remoteId), 5_000, 'A sees the Delete');
      await until(time, () => upActive(a) && upActive(b), 60_000, 'back up');
      ok(!b.engine.list().includes(first), 'the cleared SA is gone');
    });

    it('simultaneous Child SA rekey (RFC 7296 §2.8.1): one new pair survives, traffic continues', async () => {
      for (const seed of [11, 12, 13, 14]) {
        const { time, a, b } = await pair({ pfs: 'group19' }, seed);
        await until(time, () => upActive(a) && upActive(b), 10_000, 'UP-ACTIVE');
        const [sa, sb] = [a.engine.list()[0], b.engine.list()[0]];
        const [ca, cb] = [sa.children[0], sb.children[0]];
        a.engine.startChildRekey(sa, ca);
        b.engine.startChildRekey(sb, cb);
        await run(time, 5000);
        const liveA = sa.children.filter((c) => !c.disposed), liveB = sb.children.filter((c) => !c.disposed);
        equal(liveA.length, 1, `A keeps one Child SA (seed ${seed})`);
        equal(liveB.length, 1, `B keeps one Child SA (seed ${seed})`);
        equal(liveA[0].spiIn, liveB[0].spiOut, 'the survivors are the two halves of one pair');
        ok(ca.disposed && cb.disposed, 'the old pair is gone and wiped');
        equal(await pingOk(time, a, '192.0.2.2'), 5, 'ping after the collision');
      }
    });

    it('simultaneous IKE SA rekey (RFC 7296 §2.8.2): one new IKE SA survives with the Child SA', async () => {
      for (const seed of [21, 22, 23]) {
        const { time, a, b } = await pair({}, seed);
        await until(time, () => upActive(a) && upActive(b), 10_000, 'UP-ACTIVE');
        const [sa, sb] = [a.engine.list()[0], b.engine.list()[0]];
        a.engine.startIkeRekey(sa);
        b.engine.startIkeRekey(sb);
        await run(time, 5000);
        const la = a.engine.list().filter((s) => s.state === 'established'), lb = b.engine.list().filter((s) => s.state === 'established');
        equal(la.length, 1, `one IKE SA on A (seed ${seed})`);
        equal(lb.length, 1, `one IKE SA on B (seed ${seed})`);
        ok(la[0] !== sa && lb[0] !== sb, 'both are new');
        equal(la[0].spiKey, lb[0].spiKey, 'the same IKE SA on both sides');
        equal(la[0].children.length, 1, 'the Child SA moved to it');
        equal(await pingOk(time, a, '192.0.2.2'), 5, 'ping after the collision');
        // and the survivor still works for exchanges
        a.engine.startChildRekey(la[0], la[0].children[0]);
        await run(time, 3000);
        equal(await pingOk(time, b, '192.0.2.1'), 5, 'ping after a later child rekey');
      }
    });

    it('make-before-break: a child rekey under steady traffic loses no packet', async () => {
      const { time, a, b } = await pair({ pfs: 'group21' });
      await until(time, () => upActive(a) && upActive(b), 10_000, 'UP-ACTIVE');
      let got = 0, sent = 0;
      for (let i = 0; i < 200; i++) {
        if (i === 50) a.engine.startChildRekey(a.engine.list()[0], a.engine.list()[0].children[0]);
        if (i === 120) b.engine.startChildRekey(b.engine.list()[0], b.engine.list()[0].children[0]);
        sent += 2;
        void a.ops.ping({ destination: '192.0.2.2', count: 1, size: 100, timeoutSec: 2 }, (r) => { if (r.ok) got++; });
        void b.ops.ping({ destination: '192.0.2.1', count: 1, size: 100, timeoutSec: 2 }, (r) => { if (r.ok) got++; });
        await run(time, 1);
      }
      await run(time, 3000);
      equal(got, sent, 'every echo answered');
      equal(a.dataplane.drops['no-sa'] ?? 0, 0, 'no packet without an SA');
      equal(b.dataplane.drops['unknown-spi'] ?? 0, 0, 'no packet to an SPI the receiver did not know');
    });

    it('INVALID_KE_PAYLOAD: the initiator retries with the group the responder asks for', async () => {
      const { time, a, b } = await pair({ dh: '19 20' });
      // B accepts only group 20; A offers 19 first and sends a group 19 KE
      b.store.load({ ...b.store.running, ikev2Proposals: { P1: { ...b.store.running.ikev2Proposals.P1, dhGroup: [20] } } });
      await until(time, () => upActive(a) && upActive(b), 10_000, 'UP-ACTIVE');
      equal(a.ops.ikeSessions()[0].ikeSas[0].dhGroup, 20, 'group 20 negotiated');
      ok(a.traceLog.some((e) => /peer wants DH group 20 instead of 19/.test(e.text)), 'trace shows the retry');
    });

    it('COOKIE: a responder under load asks for a cookie, the initiator returns it', async () => {
      const { core } = await env();
      const time = new VirtualTime();
      const wire = new SimWire(time, 3);
      const a = routerFromText(core, time, wire, pairConfig('A'));
      const b = routerFromText(core, time, wire, pairConfig('B'), { cookieThreshold: -1 });
      await until(time, () => upActive(a) && upActive(b), 10_000, 'UP-ACTIVE');
      ok(a.traceLog.some((e) => /cookie/.test(e.text)), 'initiator saw the cookie request');
      ok(b.traceLog.some((e) => /N\(COOKIE\)/.test(e.text)), 'second request carried it');
    });

    it('keys are wiped when an SA dies', async () => {
      const { time, a, b } = await pair();
      await until(time, () => upActive(a) && upActive(b), 10_000, 'UP-ACTIVE');
      const sa = a.engine.list()[0];
      const keys = sa.keys!, child = sa.children[0];
      a.ops.clearIkeSa();
      await run(time, 3000);
      ok(Object.values(keys).every((k) => k.every((x: number) => x === 0)), 'SK_* zeroed');
      ok(child.disposed && child.inbound.disposed && child.outbound.disposed, 'ESP SAs disposed (WASM memory wiped)');
    });

    it('syslog to a logging host behind the tunnel goes through it; nothing leaves in clear', async () => {
      const { time, wire, a, b } = await pair();
      a.store.load({ ...a.store.running, loggingHosts: [{ address: '192.0.2.2', vrf: 'default' }] });
      await until(time, () => upActive(a) && upActive(b), 10_000, 'UP-ACTIVE');
      await run(time, 1000);
      ok(b.host.stats().udpIn >= 1, 'B received syslog over the tunnel');
      const clear = wire.log.filter((l) => l.d.dport !== 500 && l.d.dport !== 4500);
      equal(clear.length, 0, 'only IKE and ESP on the wire');
      // a destination outside every tunnel subnet is not routed at all
      let done = false;
      void a.ops.ping({ destination: '198.51.100.7', count: 2, size: 100, timeoutSec: 1 }, () => {}).then(() => { done = true; });
      await until(time, () => done, 10_000, 'ping to finish');
      ok(a.counters.noRoute >= 2, 'unroutable packets are counted, not sent');
    });

    it('NAT traversal: behind a port-translating NAT the initiator floats to 4500 and sends keepalives', async () => {
      const { time, wire, a, b } = await pair();
      // A's packets leave with source ports 500→20500 and 4500→24500, and replies are mapped back
      wire.rewrite = (d) => {
        if (d.src === '10.77.0.1') return { ...d, sport: d.sport + 20000 };
        if (d.dst === '10.77.0.1' && d.dport > 20000) return { ...d, dport: d.dport - 20000 };
        return d;
      };
      await until(time, () => upActive(a) && upActive(b), 10_000, 'UP-ACTIVE');
      const sa = a.engine.list()[0];
      ok(sa.natLocal, 'A detects that it is behind a NAT');
      ok(b.engine.list()[0].natRemote, 'B detects the NAT in front of A');
      equal(b.engine.list()[0].remote.port, 24500, 'B answers the translated port');
      equal(await pingOk(time, b, '192.0.2.1'), 5, 'ESP in UDP through the NAT');
      await run(time, 61_000);
      const ka = wire.log.filter((l) => l.d.src === '10.77.0.1' && l.d.data.length === 1 && l.d.data[0] === 0xff);
      ok(ka.length >= 2, `keepalives sent (${ka.length})`);
      equal(b.counters.keepalivesIn, ka.length, 'B counts them');
      ok(!b.engine.list()[0].natLocal, 'B is not behind a NAT');
      equal(wire.log.filter((l) => l.d.src === '10.77.0.2' && l.d.data.length === 1).length, 0, 'B sends no keepalives');
    });

    it('shutdown on tunnel-ip1 deletes the SAs; no shutdown brings the tunnel back', async () => {
      const { time, a, b } = await pair();
      await until(time, () => upActive(a) && upActive(b), 10_000, 'UP-ACTIVE');
      const cfg = a.store.running;
      cfg.interfaces['tunnel-ip1'].shutdown = true;
      a.store.load(cfg);
      await until(time, () => b.engine.list().length === 0 && a.engine.list().length === 0, 10_000, 'SAs deleted');
      cfg.interfaces['tunnel-ip1'].shutdown = false;
      a.store.load(cfg);
      await until(time, () => upActive(a) && upActive(b), 10_000, 'UP-ACTIVE again');
    });

    it('INITIAL_CONTACT: when the initiator restarts, the responder drops the stale SAs at once', async () => {
      const { core } = await env();
      const { time, wire, a, b } = await pair();
      await until(time, () => upActive(a) && upActive(b), 10_000, 'UP-ACTIVE');
      const stale = b.engine.list()[0];
      // A crashes (no Delete: its SAs just vanish) and comes back with the same configuration
      for (const sa of a.engine.list()) a.engine.remove(sa, 'crash');
      const a2 = routerFromText(core, time, wire, pairConfig('A')); // takes over 10.77.0.1 on the wire
      await until(time, () => upActive(a2) && b.engine.list().filter((s) => s.state === 'established').length === 1 && !b.engine.list().includes(stale),
        10_000, 'B keeps only the new IKE SA');
      ok(b.traceLog.some((e) => /INITIAL_CONTACT/.test(e.text)), 'trace says why');
      equal(await pingOk(time, a2, '192.0.2.2'), 5, 'ping through the new SA');
    });

    it('message events (the lab ladder): payloads in clear, with keys that really open the wire bytes', async () => {
      const { core } = await env();
      const { time, a, b } = await pair();
      const events: MessageEvent[] = [];
      a.onMessage((e) => events.push(e));
      await until(time, () => upActive(a) && upActive(b), 10_000, 'UP-ACTIVE');
      equal(await pingOk(time, a, '192.0.2.2', 2), 2, 'ping');
      const ike = events.filter((e): e is Extract<MessageEvent, { kind: 'ike' }> => e.kind === 'ike');
      equal(ike.map((e) => `${e.dir}:${e.exchange}:${e.response}`).slice(0, 4).join(' '), 'out:34:false in:34:true out:35:false in:35:true', 'ladder order');
      const authReq = ike[2];
      ok(authReq.payloads.some((p) => p.type === 35), 'IDi visible in clear');
      const msg = decodeMessage(authReq.raw);
      ok(msg.ok, 'raw decodes');
      const sk = new SkCipher(core, { cipher: 'aes-cbc', integ: 'sha256', icvLen: 16 }, { encr: authReq.keys!.skEi, integ: authReq.keys!.skAi });
      const opened = openMessage(sk, authReq.raw, msg.value);
      sk.dispose();
      ok(opened.ok && opened.value.length === authReq.payloads.length, 'SK_ei/SK_ai from the event open the wire message');
      const esp = events.filter((e) => e.kind === 'esp');
      equal(esp.length, 4, 'two echo requests out, two replies in');
      ok(esp.every((e) => e.kind === 'esp' && e.inner[9] === 1 && e.encKey.length === 32), 'inner ICMP and the ESP keys');
    });

    it('retransmissions are visible to the lab ladder and the trace', async () => {
      const { time, wire, a, b } = await pair();
      const events: MessageEvent[] = [];
      a.onMessage((e) => events.push(e));
      let dropped = 0;
      wire.filter = (d) => { if (d.src === '10.77.0.1' && dropped < 1) { dropped++; return false; } return true; };
      await until(time, () => upActive(a) && upActive(b), 30_000, 'UP-ACTIVE');
      const re = events.filter((e) => e.kind === 'ike' && e.retransmission);
      equal(re.length, 1, 'one retransmission event');
      ok(re[0].kind === 'ike' && re[0].exchange === 34 && !re[0].response, 'the IKE_SA_INIT request was sent again');
      ok(a.traceLog.some((e) => /retransmitting IKE_SA_INIT request 0/.test(e.text)), 'trace says so');
    });

    it('router shutdown (SIGTERM) sends Delete: the peer removes the SAs at once', async () => {
      const { time, a, b } = await pair();
      await until(time, () => upActive(a) && upActive(b), 10_000, 'UP-ACTIVE');
      let done = false;
      void a.shutdown().then(() => { done = true; });
      await until(time, () => done, 5_000, 'shutdown to finish');
      await run(time, 100);
      equal(b.engine.list().length, 0, 'B has no SA left');
      ok(b.traceLog.some((e) => /received DELETE for IKE SA/.test(e.text)), 'B logged the Delete');
    });
  });
}
