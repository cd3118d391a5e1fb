// Chromium runs the relaxed-SIMD build of the core; the baseline-SIMD build (what Node 20 runs) gets the
// known-answer, strongSwan and ESP suites here too, so both builds are proven in the browser.
import { installBrowserEnv } from './env-browser.js';
import { katSuite } from '../suites/kat.js';
import { strongswanSuite } from '../suites/strongswan.js';
import { espSuite } from '../suites/esp.js';
import { env } from '../support/env.js';
import { equal } from '../support/assert.js';

installBrowserEnv('simd');
describe('baseline-SIMD build of the core in Chromium', () => {
  it('is the build under test', async () => equal((await env()).core.variant, 'simd', 'variant'));
  katSuite();
  strongswanSuite();
  espSuite();
});
