// Chromium: the IKEv2 message codec — strongSwan messages, round trips, rules, malformed input.
import { installBrowserEnv } from './env-browser.js';
import { ikeCodecSuite } from '../suites/ike-codec.js';
import { ikeCodecMalformedSuite } from '../suites/ike-codec-malformed.js';

installBrowserEnv();
ikeCodecSuite();
ikeCodecMalformedSuite();
