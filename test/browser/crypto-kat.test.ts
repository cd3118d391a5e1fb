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
