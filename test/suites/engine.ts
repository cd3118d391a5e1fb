// Two webswan routers in one process (virtual time, simulated wire): every exchange of RFC 7296 between
// them, as configured with the guide's commands. Interop with strongSwan is test/node/interop-*.test.ts.
import { VirtualTime } from '../../src/util/clock.js';
import { env } from '../support/env.js';
import { equal, ok } from '../support/assert.js';
import { SimWire, pairConfig, routerFromText, run, until, type PairOptions } from '../support/sim.js';
import type { Router } from '../../src/router/router.js';

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
      equal(sa.role, 'Initiator');
      equal(sa.encryption, 'AES-CBC');
      equal(sa.keySize, 256);
      equal(sa.dhGroup, 20);
      equal(b.ops.ikeSessions()[0].ikeSas[0].role, 'Responder');
      equal(await pingOk(time, a, '192.0.2.2'), 5);
      equal(await pingOk(time, b, '192.0.2.1'), 5);
      const [ia] = a.ops.ipsecSas(), [ib] = b.ops.ipsecSas();
      equal(ia.outbound.spi, ib.inbound.spi);
      equal(ia.outbound.packets, ib.inbound.packets);
      equal(ia.inbound.packets, 10);
    });
  });
}
