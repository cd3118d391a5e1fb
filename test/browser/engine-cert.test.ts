// Chromium: IKEv2 certificate authentication between two routers with WebCrypto RSA.
import { installBrowserEnv } from './env-browser.js';
import { engineCertSuite } from '../suites/engine-cert.js';

installBrowserEnv();
engineCertSuite();
