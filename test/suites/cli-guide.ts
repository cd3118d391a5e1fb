// The seed guide replayed through the console: every configuration block of "Implementing IPsec"
// typed as the guide shows it, each invalid line of the guide rejected precisely, and the resulting
// running configuration — compared with hand-written transcripts in test/vectors/ios-xr-guide.
import { Console } from '../../src/cli/console.js';
import { runTranscript } from '../../src/cli/transcript.js';
import { emptyConfig } from '../../src/config/model.js';
import { loadConfig } from '../../src/config/load.js';
import { renderConfig } from '../../src/config/render.js';
import { sameConfig } from '../../src/config/model.js';
import { ConfigStore } from '../../src/config/store.js';
import { ManualClock } from '../../src/util/clock.js';
import type { RouterOps } from '../../src/cli/state.js';
import { FixtureOps } from '../support/fixture-ops.js';
import { env } from '../support/env.js';
import { diffTranscript, parseTranscript } from '../support/transcript.js';
import { equal, ok } from '../support/assert.js';

/** 2024-02-12 10:29:44.738 UTC, the date of the guide's transcripts. */
export const GUIDE_TIME = Date.UTC(2024, 1, 12, 10, 29, 44, 738);

export async function replay(file: string, setup?: (store: ConfigStore) => void, ops?: RouterOps): Promise<void> {
  const t = parseTranscript(await (await env()).text(`ios-xr-guide/${file}`));
  const clock = new ManualClock(GUIDE_TIME);
  const store = new ConfigStore(clock, t.hostname === 'ios' ? emptyConfig() : { ...emptyConfig(), hostname: t.hostname });
  setup?.(store);
  const sink = { text: '' };
  const con = new Console({ store, clock, ops, write: (s) => { sink.text += s; } });
  await runTranscript(con, t.inputs, (x) => { sink.text += x; });
  const d = diffTranscript(t.lines, sink.text);
  ok(d === null, `${file}: ${d}`);
}

const GUIDE_TRANSCRIPTS = [
  'router1-initiator.txt', 'router2-responder.txt',
  'ppk-dynamic-initiator.txt', 'ppk-dynamic-responder.txt', 'ppk-manual-initiator.txt', 'ppk-manual-responder.txt',
];

export function cliGuideSuite(): void {
  describe('the guide, typed into the console', () => {
    for (const f of GUIDE_TRANSCRIPTS) it(f, () => replay(f));
  });

  describe("the guide's show transcripts, from the router state they describe", () => {
    for (const n of ['ppk-dynamic-initiator', 'ppk-manual-responder', 'mgmt', 'summary']) {
      it(n, async () => replay(`state-${n}.txt`, undefined, new FixtureOps(await (await env()).vectors(`ios-xr-guide/state-${n}.json`))));
    }
  });

  describe("the guide's running-config listings, loaded as configuration files", () => {
    for (const n of [1, 2]) {
      it(`Router ${n}: loads without an error and shows back canonically, and the canonical text loads to the same model`, async () => {
        const text = await (await env()).text(`ios-xr-guide/router${n}-running-config.cfg`);
        const r = loadConfig(text);
        equal(r.errors.length, 0, `load errors: ${JSON.stringify(r.errors)}`);
        equal(r.commitErrors.length, 0, 'commit errors');
        await replay(`router${n}-running-config.txt`, (store) => store.load(r.config, 'startup'));
        const again = loadConfig(renderConfig(r.config));
        equal(again.errors.length, 0, 'canonical text loads cleanly');
        ok(sameConfig(again.config, r.config), 'same configuration after the round trip');
      });
    }
  });
}
