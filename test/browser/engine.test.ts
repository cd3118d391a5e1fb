// Chromium: two routers negotiating over a simulated wire with WebCrypto ECDH — the engine the browser
// lab runs.
import { installBrowserEnv } from './env-browser.js';
import { engineSuite } from '../suites/engine.js';

installBrowserEnv();
engineSuite();
