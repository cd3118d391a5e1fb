// node:test entry: the IKEv2 message codec — strongSwan messages, round trips, rules, malformed input.
import { installNodeEnv } from './env-node.js';
import { ikeCodecSuite } from '../suites/ike-codec.js';
import { ikeCodecMalformedSuite } from '../suites/ike-codec-malformed.js';

installNodeEnv();
ikeCodecSuite();
ikeCodecMalformedSuite();
