// node:test entry: configuration → negotiation decisions (proposals, policy, profile, keyring, PPK).
import { installNodeEnv } from './env-node.js';
import { ikePolicySuite } from '../suites/ike-policy.js';

installNodeEnv();
ikePolicySuite();
