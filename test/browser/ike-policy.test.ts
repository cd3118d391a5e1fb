// Chromium: configuration → negotiation decisions (proposals, policy, profile, keyring, PPK), on the
// browser's JavaScript engine.
import { installBrowserEnv } from './env-browser.js';
import { ikePolicySuite } from '../suites/ike-policy.js';

installBrowserEnv();
ikePolicySuite();
