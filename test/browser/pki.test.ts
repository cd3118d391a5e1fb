// Chromium: the shared PKI suite (strongSwan-made certificates, path validation, identities, trustpoints,
// lab CA) on the browser's WebCrypto and the ESM build of @peculiar/x509.
import { installBrowserEnv } from './env-browser.js';
import { pkiSuite } from '../suites/pki.js';
import { pkiChainSuite } from '../suites/pki-chain.js';

installBrowserEnv();
pkiSuite();
pkiChainSuite();
