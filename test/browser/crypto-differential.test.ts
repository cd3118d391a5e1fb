// Chromium: the WASM core against WebCrypto on random inputs, both directions.
import { installBrowserEnv } from './env-browser.js';
import { differentialSuite } from '../suites/differential.js';

installBrowserEnv();
differentialSuite();
