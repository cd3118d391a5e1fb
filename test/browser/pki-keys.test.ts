// Chromium: on-box RSA key pairs, PKCS#10 enrollment and import without the key, on the browser's WebCrypto.
import { installBrowserEnv } from './env-browser.js';
import { pkiKeysSuite } from '../suites/pki-keys.js';

installBrowserEnv();
pkiKeysSuite();
