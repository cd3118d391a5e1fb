// Chromium: the engine's rekey races and failure paths with WebCrypto ECDH.
import { installBrowserEnv } from './env-browser.js';
import { engineRacesSuite } from '../suites/engine-races.js';

installBrowserEnv();
engineRacesSuite();
