// The browser lab's presets (src/lab/labs.ts) between two engines in one process on virtual time: every
// configuration loads without a refused line, the good labs reach UP-ACTIVE (manual PPK: quantum-safe),
// and the broken ones never do and fail for the reason their description gives.
import { VirtualTime } from '../../src/util/clock.js';
import { loadConfig } from '../../src/config/load.js';
import { LABS, findLab } from '../../src/lab/labs.js';
import { LabKeySource } from '../../src/lab/key-source.js';
import { env } from '../support/env.js';
import { equal, ok } from '../support/assert.js';
import { SimWire, routerFromText, run } from '../support/sim.js';

const WHY: Record<string, RegExp> = {
  'broken-psk-mismatch': /pre-shared key mismatch/,
  'broken-proposal-mismatch': /NO_PROPOSAL_CHOSEN/,
  'broken-ppk-required-one-side': /PPK required but peer does not support PPK/,
  'broken-wrong-remote-identity': /identity fqdn RouterB\.example\.com does not match/,
};

export function labPresetsSuite(): void {
  describe('lab presets', () => {
    it('has the guide\'s labs and the broken variants, with unique names', () => {
      const names = LABS.map((l) => l.name);
      equal(new Set(names).size, names.length, 'unique names');
      for (const n of ['psk-ipv4', 'psk-fqdn', 'psk-domain', 'ppk-manual', ...Object.keys(WHY)]) ok(findLab(n), `lab ${n}`);
      for (const l of LABS) {
        equal(l.broken, l.name.startsWith('broken-'), `${l.name}: broken flag`);
        ok(l.title && l.description, `${l.name}: title and description`);
        ok(/set responder-only/.test(l.configB) && !/set responder-only/.test(l.configA), `${l.name}: B is the responder`);
        ok(/interface GigabitEthernet0\/0\/0\/0\n ipv4 address/.test(l.configA + l.configB), `${l.name}: addresses on Gi0/0/0/0`);
      }
    });

    for (const lab of LABS) {
      it(`${lab.name}: ${lab.broken ? 'does not come up, for the intended reason' : 'reaches UP-ACTIVE'}`, async () => {
        for (const [side, text] of [['A', lab.configA], ['B', lab.configB]] as const) {
          const r = loadConfig(text);
          equal(JSON.stringify([...r.errors, ...r.commitErrors]), '[]', `${lab.name} ${side}: configuration loads cleanly`);
        }
        const { core } = await env();
        const time = new VirtualTime();
        const wire = new SimWire(time, 7);
        // the lab's key source (both KPs and their QKD link), in process: what the key-server worker serves
        const ks = new LabKeySource();
        const keySourceFetch = (url: string, init?: RequestInit) => ks.fetch(url, init);
        const a = routerFromText(core, time, wire, lab.configA, { keySourceFetch });
        const b = routerFromText(core, time, wire, lab.configB, { keySourceFetch });
        const trace: string[] = [];
        a.onTrace((e) => trace.push(`A ${e.text}`));
        b.onTrace((e) => trace.push(`B ${e.text}`));
        await run(time, 5000);
        const status = (r: typeof a) => r.ops.ikeSessions().map((s) => s.status);
        if (lab.broken) {
          ok(!status(a).includes('UP-ACTIVE') && !status(b).includes('UP-ACTIVE'), `${lab.name}: not up`);
          ok(trace.some((l) => WHY[lab.name].test(l)), `${lab.name}: trace says ${WHY[lab.name]}`);
        } else {
          ok(status(a).includes('UP-ACTIVE') && status(b).includes('UP-ACTIVE'), `${lab.name}: UP-ACTIVE on both (${status(a)} / ${status(b)})`);
          const q = a.ops.ikeSessions()[0].ikeSas[0].quantumResistance;
          const want = lab.name === 'ppk-manual' ? 'Enabled with manual PPK' : lab.name === 'ppk-dynamic' ? 'Enabled with dynamic PPK' : 'Disabled';
          equal(q, want, `${lab.name}: quantum resistance`);
        }
      });
    }
  });
}
