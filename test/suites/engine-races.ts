// Races and failure paths of rekeying (RFC 7296 §2.8, §2.8.1, §2.8.2, §2.25), found by reviewing the engine:
// each test is a concrete scenario that once broke a tunnel — a lost request in a rekey collision, an IKE
// rekey crossing a Child SA exchange, slow key generation reordering a collision, an IKE SA that lost its
// Child SA, INVALID_KE_PAYLOAD on an IKE rekey, an SA deleted while a PFS derivation is pending.
import { env } from '../support/env.js';
import { equal, ok } from '../support/assert.js';
import { run, until, flush } from '../support/sim.js';
import { type Platform, usePlatform } from '../../src/crypto/platform.js';
import type { Datagram } from '../../src/router/types.js';
import type { Router } from '../../src/router/router.js';
import type { VirtualTime } from '../../src/util/clock.js';
import { pair, upActive } from './engine.js';

/** An IKE message inside a datagram: exchange type and response flag (after the non-ESP marker on 4500). */
function ike(d: Datagram): { exchange: number; response: boolean } | undefined {
  const o = d.dport === 4500 ? 4 : 0, m = d.data;
  if (m.length < o + 28 || (d.dport === 4500 && (m[0] | m[1] | m[2] | m[3]) !== 0)) return undefined;
  return { exchange: m[o + 18], response: (m[o + 19] & 0x20) !== 0 };
}

async function pingOk(time: VirtualTime, r: Router, dst: string, count = 3): Promise<number> {
  let n = 0, done = false;
  void r.ops.ping({ destination: dst, count, size: 100, timeoutSec: 2 }, (x) => { if (x.ok) n++; }).then(() => { done = true; });
  await until(time, () => done, 60_000, 'ping');
  return n;
}

const live = (r: Router) => r.engine.list().filter((s) => s.state !== 'dead');

/** Run with a platform whose ECDH takes `turns` extra event-loop turns (WebCrypto can be that slow). */
async function withSlowEcdh<T>(turns: () => number, fn: () => Promise<T>): Promise<T> {
  const base: Platform = (await env()).platform;
  // extra turns of the same kind sim.flush() yields, so virtual time waits for them (as it does for real ECDH)
  const wait = async () => { for (let i = 0; i < turns(); i++) await flush(1); };
  usePlatform({
    ...base,
    ecdhGenerate: async (g) => { await wait(); return base.ecdhGenerate(g); },
    ecdhDerive: async (p, k) => { await wait(); return base.ecdhDerive(p, k); },
  });
  try { return await fn(); } finally { usePlatform(base); }
}

export function engineRacesSuite(): void {
  describe('IKEv2 engine: rekey races and failure paths', () => {
    it('simultaneous IKE rekey with the responder\'s request lost once: the children survive on one SA', async () => {
      const { time, wire, a, b } = await pair({});
      await until(time, () => upActive(a) && upActive(b), 10_000, 'UP-ACTIVE');
      let dropped = false;
      wire.filter = (d) => {
        const m = ike(d);
        if (!dropped && d.src === '10.77.0.2' && m?.exchange === 36 && !m.response) { dropped = true; return false; }
        return true;
      };
      a.engine.startIkeRekey(a.engine.list()[0]);
      b.engine.startIkeRekey(b.engine.list()[0]);
      await run(time, 30_000);
      ok(dropped, 'B\'s request was dropped');
      equal(live(a).length, 1, 'one IKE SA on A');
      equal(live(b).length, 1, 'one IKE SA on B');
      equal(live(b)[0].children.length, 1, 'B\'s Child SA moved to the surviving SA');
      ok(live(b)[0].timers.has('ike-rekey'), 'and it has its timers');
      equal(await pingOk(time, a, '192.0.2.2'), 3, 'A→B');
      equal(await pingOk(time, b, '192.0.2.1'), 3, 'B→A');
    });

    it('an IKE rekey due while a Child SA rekey is open waits for it: no one-way outage', async () => {
      const { time, a, b } = await pair({});
      await until(time, () => upActive(a) && upActive(b), 10_000, 'UP-ACTIVE');
      const sa = a.engine.list()[0];
      a.engine.startChildRekey(sa, sa.children[0]);
      a.engine.startIkeRekey(sa);
      await run(time, 5000);
      equal(live(a).length, 1, 'one IKE SA on A');
      equal(live(b).length, 1, 'one IKE SA on B');
      ok(live(a)[0] !== sa, 'the IKE SA was rekeyed after the Child SA');
      equal(live(b)[0].children.filter((c) => !c.disposed).length, 1, 'one Child SA on B');
      ok(live(b)[0].children.every((c) => c.outboundReady), 'B sends on the new Child SA');
      equal(await pingOk(time, b, '192.0.2.1'), 3, 'B→A');
      equal((a.dataplane.drops['unknown-spi'] ?? 0) + (b.dataplane.drops['unknown-spi'] ?? 0), 0, 'no packet to an unknown SPI');
    });

    it('simultaneous IKE rekey with slow key generation: still one IKE SA with the Child SA on each side', async () => {
      let slow = 0;
      await withSlowEcdh(() => slow, async () => {
        for (const seed of [21, 22, 23, 24, 25, 26, 27, 28, 29, 30]) {
          const { time, wire, a, b } = await pair({}, seed);
          await until(time, () => upActive(a) && upActive(b), 10_000, 'UP-ACTIVE');
          // B's request reaches A just before B's response to A's request (back to back)
          let held: Datagram | 'done' | undefined;
          wire.filter = (d) => {
            const m = ike(d);
            if (d.src !== '10.77.0.2' || m?.exchange !== 36) return true;
            if (!m.response && !held) { held = { ...d, data: d.data.slice() }; return false; }
            if (m.response && held && held !== 'done') { a.receive(held); held = 'done'; a.receive({ ...d, data: d.data.slice() }); return false; }
            return true;
          };
          a.engine.startIkeRekey(a.engine.list()[0]);
          b.engine.startIkeRekey(b.engine.list()[0]);
          await flush();
          slow = 2;
          await run(time, 20_000);
          wire.filter = undefined;
          slow = 0;
          equal(live(a).length, 1, `one IKE SA on A (seed ${seed})`);
          equal(live(b).length, 1, `one IKE SA on B (seed ${seed})`);
          equal(live(a)[0].spiKey, live(b)[0].spiKey, `the same one (seed ${seed})`);
          equal(await pingOk(time, a, '192.0.2.2'), 3, `ping (seed ${seed})`);
        }
      });
    });

    it('an IKE SA left without a Child SA asks for one until the peer\'s configuration allows it', async () => {
      const { time, a, b } = await pair({});
      const good = b.store.running;
      b.store.load({ ...good, transformSets: { TS: { ...good.transformSets.TS, encryption: 'esp-gcm-128', auth: undefined } } });
      await run(time, 5000);
      ok(a.ops.ikeSessions()[0]?.status === 'UP-IDLE', 'IKE SA up, no Child SA');
      b.store.load(good);
      await until(time, () => upActive(a) && upActive(b), 180_000, 'UP-ACTIVE after the fix');
      equal(await pingOk(time, a, '192.0.2.2'), 3, 'ping');
    });

    it('an IKE rekey answered with INVALID_KE_PAYLOAD is retried once with the group asked for', async () => {
      const { time, a, b } = await pair({ dh: '19 20' });
      b.store.load({ ...b.store.running, ikev2Proposals: { P1: { ...b.store.running.ikev2Proposals.P1, dhGroup: [20, 19] } } });
      await until(time, () => upActive(a) && upActive(b), 10_000, 'UP-ACTIVE');
      const sb = b.engine.list()[0];
      b.engine.startIkeRekey(sb);
      await run(time, 20_000);
      const fails = b.traceLog.filter((e) => /IKE SA rekey failed/.test(e.text)).length;
      ok(fails <= 1, `at most one failed attempt (${fails})`);
      ok(!b.engine.list().includes(sb), 'the IKE SA was rekeyed');
      equal(await pingOk(time, a, '192.0.2.2'), 3, 'ping');
    });

    it('an IKE SA deleted while a PFS derivation is pending: no unhandled rejection, no stuck state', async () => {
      let slow = 0;
      const rejections: unknown[] = [];
      const hook = (e: unknown) => { rejections.push(e); };
      const g = globalThis as { process?: { on(e: string, f: (x: unknown) => void): void; off(e: string, f: (x: unknown) => void): void } };
      g.process?.on('unhandledRejection', hook);
      try {
        await withSlowEcdh(() => slow, async () => {
          const { time, wire, a, b } = await pair({ pfs: 'group19' });
          await until(time, () => upActive(a) && upActive(b), 10_000, 'UP-ACTIVE');
          const sa = a.engine.list()[0];
          let seen = false;
          wire.filter = (d) => {
            const m = ike(d);
            if (!seen && d.src === '10.77.0.2' && m?.exchange === 36 && m.response) {
              seen = true; slow = 30;
              a.receive({ ...d, data: d.data.slice() });
              queueMicrotask(() => b.ops.clearIkeSa());
              return false;
            }
            return true;
          };
          a.engine.startChildRekey(sa, sa.children[0]);
          await run(time, 5000);
          slow = 0;
          await run(time, 30_000);
          ok(seen, 'the rekey response arrived');
          await until(time, () => upActive(a) && upActive(b), 60_000, 'the tunnel comes back');
        });
      } finally { g.process?.off('unhandledRejection', hook); }
      equal(rejections.length, 0, `no unhandled rejection (${String(rejections[0])})`);
    });
  });
}
