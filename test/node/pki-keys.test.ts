// node:test entry: on-box RSA key pairs, PKCS#10 enrollment and import without the key (IOS XR commands).
import { installNodeEnv } from './env-node.js';
import { pkiKeysSuite } from '../suites/pki-keys.js';

installNodeEnv();
pkiKeysSuite();
