// node:test entry: known answers, Wycheproof, strongSwan schedules and ESP behaviour, in Node.
import { installNodeEnv } from './env-node.js';
import { katSuite } from '../suites/kat.js';
import { wycheproofSuite } from '../suites/wycheproof.js';
import { strongswanSuite } from '../suites/strongswan.js';
import { espSuite } from '../suites/esp.js';

installNodeEnv();
katSuite();
wycheproofSuite();
strongswanSuite();
espSuite();
