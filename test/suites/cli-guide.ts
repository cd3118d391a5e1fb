// The seed guide replayed through the console: every configuration block of "Implementing IPsec"
// typed as the guide shows it, each invalid line of the guide rejected precisely, and the resulting
// running configuration — compared with hand-written transcripts in test/vectors/ios-xr-guide.
import { loadConfig } from '../../src/config/load.js';
import { renderConfig } from '../../src/config/render.js';
import { sameConfig } from '../../src/config/model.js';
import { FixtureOps } from '../support/fixture-ops.js';
import { env } from '../support/env.js';
import { equal, ok } from '../support/assert.js';
import { replay } from './cli-support.js';

const GUIDE_TRANSCRIPTS = [
  'router1-initiator.txt', 'router2-responder.txt',
  'ppk-dynamic-initiator.txt', 'ppk-dynamic-responder.txt', 'ppk-manual-initiator.txt', 'ppk-manual-responder.txt',
];

export function cliGuideSuite(): void {
  describe('the guide, typed into the console', () => {
    for (const f of GUIDE_TRANSCRIPTS) it(f, () => replay(`ios-xr-guide/${f}`));
  });

  describe("the guide's show transcripts, from the router state they describe", () => {
    for (const n of ['ppk-dynamic-initiator', 'ppk-manual-responder', 'mgmt', 'summary']) {
      it(n, async () => replay(`ios-xr-guide/state-${n}.txt`, undefined, new FixtureOps(await (await env()).vectors(`ios-xr-guide/state-${n}.json`))));
    }
  });

  describe("the guide's running-config listings, loaded as configuration files", () => {
    for (const n of [1, 2]) {
      it(`Router ${n}: loads without an error and shows back canonically, and the canonical text loads to the same model`, async () => {
        const text = await (await env()).text(`ios-xr-guide/router${n}-running-config.cfg`);
        const r = loadConfig(text);
        equal(r.errors.length, 0, `load errors: ${JSON.stringify(r.errors)}`);
        equal(r.commitErrors.length, 0, 'commit errors');
        await replay(`ios-xr-guide/router${n}-running-config.txt`, (store) => store.load(r.config, 'startup'));
        const again = loadConfig(renderConfig(r.config));
        equal(again.errors.length, 0, 'canonical text loads cleanly');
        ok(sameConfig(again.config, r.config), 'same configuration after the round trip');
      });
    }
  });
}
