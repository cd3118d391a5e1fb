// Chromium: both ends initiating, duplicate IKE SAs and the scenarios around them, with WebCrypto ECDH.
import { installBrowserEnv } from './env-browser.js';
import { engineDuplicatesSuite } from '../suites/engine-duplicates.js';

installBrowserEnv();
engineDuplicatesSuite();
