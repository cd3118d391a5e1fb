// Chromium: known answers, Wycheproof, strongSwan schedules and ESP behaviour.
import { installBrowserEnv } from './env-browser.js';
import { katSuite } from '../suites/kat.js';
import { wycheproofSuite } from '../suites/wycheproof.js';
import { strongswanSuite } from '../suites/strongswan.js';
import { espSuite } from '../suites/esp.js';

installBrowserEnv();
katSuite();
wycheproofSuite();
strongswanSuite();
espSuite();

describe('build of the core under test', () => {
  it('Chromium has relaxed SIMD, so the app runs the relaxed-SIMD build', async () => {
    const { env } = await import('../support/env.js');
    const { equal } = await import('../support/assert.js');
    equal((await env()).core.variant, 'relaxed-simd', 'variant');
  });
});
