// Chromium: the browser lab's presets between two engines on a simulated wire (WebCrypto ECDH).
import { installBrowserEnv } from './env-browser.js';
import { labPresetsSuite } from '../suites/lab-presets.js';

installBrowserEnv();
labPresetsSuite();
