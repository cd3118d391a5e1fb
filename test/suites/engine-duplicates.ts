// Both ends initiating (no `set responder-only`, IOS XR's default): the duplicate IKE SAs it leaves, and the
// scenarios a review of that rule found (docs/engine.md, Decisions → "Both ends initiating"):
// a simultaneous IKE rekey (RFC 7296 §2.8.2) is not a duplicate even when the redundant SA's Delete is lost;
// an initiator behind a NAT that never completes its own SA still gets traffic through the peer's; the peer
// deleting the SA both ends agreed to keep does not make either end reconnect.
import { equal, ok } from '../support/assert.js';
import { hex } from '../../src/crypto/bytes.js';
import { run, until } from '../support/sim.js';
import type { Router } from '../../src/router/router.js';
import type { VirtualTime } from '../../src/util/clock.js';
import { pair, upActive } from './engine.js';

async function pingOk(time: VirtualTime, r: Router, dst: string, count = 5): Promise<number> {
  let n = 0, done = false;
  void r.ops.ping({ destination: dst, count, size: 100, timeoutSec: 2 }, (x) => { if (x.ok) n++; }).then(() => { done = true; });
  await until(time, () => done, 60_000, 'ping');
  return n;
}

const established = (r: Router) => r.engine.list().filter((s) => s.state === 'established');

export function engineDuplicatesSuite(): void {
  describe('IKEv2 engine: both ends initiating', () => {
    it('simultaneous IKE rekey with the redundant SA\'s Delete lost once: §2.8.2 decides, no duplicate rule, no ping lost', async () => {
      for (const seed of [21, 22, 23, 24]) {
        const { time, wire, a, b } = await pair({}, seed);
        await until(time, () => upActive(a) && upActive(b), 10_000, 'UP-ACTIVE');
        const byAddr: Record<string, Router> = { '10.77.0.1': a, '10.77.0.2': b };
        let lost = 0;
        wire.filter = (d) => {
          // drop the first INFORMATIONAL request sent on an SA its sender found redundant (its Delete)
          const m = d.data;
          if (lost || d.dport !== 4500 || m.length < 32 || (m[0] | m[1] | m[2] | m[3]) !== 0) return true;
          const h = m.subarray(4);
          const key = `${hex(h.subarray(0, 8))}:${hex(h.subarray(8, 16))}`;
          const r = byAddr[d.src];
          const s = r.engine.list().find((x) => x.spiKey === key);
          if (h[18] === 37 && !(h[19] & 0x20) && s && r.traceLog.some((e) => e.text.includes(`our new IKE SA ${s.id} is redundant`))) { lost++; return false; }
          return true;
        };
        a.engine.startIkeRekey(a.engine.list()[0]);
        b.engine.startIkeRekey(b.engine.list()[0]);
        let sent = 0, got = 0;
        for (let i = 0; i < 30; i++) {
          sent++;
          void a.ops.ping({ destination: '192.0.2.2', count: 1, size: 100, timeoutSec: 1 }, (x) => { if (x.ok) got++; });
          await run(time, 1000);
        }
        ok(a.traceLog.some((e) => /simultaneous IKE rekey/.test(e.text)) || b.traceLog.some((e) => /simultaneous IKE rekey/.test(e.text)), `a collision happened (seed ${seed})`);
        equal(lost, 1, `the redundant SA's Delete was dropped once (seed ${seed})`);
        ok(![a, b].some((r) => r.traceLog.some((e) => /duplicates IKE SA/.test(e.text))), `the rekey is not taken for a duplicate (seed ${seed})`);
        equal(got, sent, `one ping a second for 30 s across the collision (seed ${seed})`);
        equal(established(a).length, 1, 'A: one IKE SA');
        equal(established(b).length, 1, 'B: one IKE SA');
        equal(established(a)[0].spiKey, established(b)[0].spiKey, 'the same one');
      }
    });

    it('the initiator behind a NAT that drops unsolicited inbound: its own SA never completes, the peer\'s carries traffic both ways', async () => {
      const { time, wire, a, b } = await pair({ responderOnlyB: false }, 1);
      // A (10.77.0.1) behind a port-translating NAT: its ports appear as +20000; nothing reaches A's own ports
      wire.rewrite = (d) => {
        if (d.src === '10.77.0.1') return { ...d, sport: d.sport + 20000 };
        if (d.dst === '10.77.0.1' && d.dport > 20000) return { ...d, dport: d.dport - 20000 };
        return d;
      };
      wire.filter = (d) => !(d.dst === '10.77.0.1' && d.dport <= 20000);
      await until(time, () => upActive(a) && upActive(b), 10_000, 'UP-ACTIVE');
      equal(await pingOk(time, a, '192.0.2.2'), 5, 'ping A → B');
      equal(await pingOk(time, b, '192.0.2.1'), 5, 'ping B → A');
      await run(time, 200_000); // B's own attempts towards A time out again and again meanwhile
      equal(await pingOk(time, b, '192.0.2.1'), 5, 'ping B → A after 200 s');
      equal(await pingOk(time, a, '192.0.2.2'), 5, 'ping A → B after 200 s');
    });

    it('the peer deletes the SA both ends would keep (a uniqueness rule): the other serves the tunnel, nobody reconnects', async () => {
      for (const seed of [1, 2, 3, 4]) {
        const { time, wire, a, b } = await pair({ responderOnlyB: false }, seed);
        wire.impair = { jitterMs: 5 };
        await until(time, () => established(a).length === 2 && established(b).length === 2, 10_000, `both ends hold both SAs (seed ${seed})`);
        await run(time, 50);
        const line = a.traceLog.find((e) => /duplicates IKE SA/.test(e.text))!.text;
        const keepA = a.engine.list().find((s) => s.id === Number(/keeping IKE SA (\d+)/.exec(line)![1]))!;
        const keepB = b.engine.list().find((s) => s.spiKey === keepA.spiKey)!;
        const inits = () => wire.log.filter((l) => l.d.dport === 500 && l.d.data[18] === 34 && !(l.d.data[19] & 0x20)).length;
        const before = inits();
        void b.engine.deleteSa(keepB, 'uniqueness policy (test)');
        await run(time, 30_000);
        equal(inits(), before, `no new IKE_SA_INIT (seed ${seed})`);
        equal(established(a).length, 1, 'A: one IKE SA');
        equal(established(b).length, 1, 'B: one IKE SA');
        equal(established(a)[0].spiKey, established(b)[0].spiKey, 'the same one');
        equal(await pingOk(time, a, '192.0.2.2'), 5, 'ping A → B');
        equal(await pingOk(time, b, '192.0.2.1'), 5, 'ping B → A');
      }
    });
  });
}
