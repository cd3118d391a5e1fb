// Chromium: the lab's ladder entries and failure explanations, from two routers on the browser's engine
// (WebCrypto ECDH), exactly as the router workers produce them.
import { installBrowserEnv } from './env-browser.js';
import { labLadderSuite } from '../suites/lab-ladder.js';

installBrowserEnv();
labLadderSuite();
