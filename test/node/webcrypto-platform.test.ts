// The WebCrypto platform (what browsers, Deno and workerd use for ECDH/RSA) also under Node's WebCrypto:
// RFC 5903 known answers and the Wycheproof ECDH/RSA cases.
import { installNodeEnv } from './env-node.js';
import { webCryptoPlatform } from '../../src/crypto/index.js';
import { setEnv } from '../support/env.js';
import { katSuite } from '../suites/kat.js';
import { wycheproofSuite } from '../suites/wycheproof.js';

const base = installNodeEnv();
setEnv(base.then((e) => ({ ...e, platform: webCryptoPlatform })));
describe('with the WebCrypto platform in Node', () => {
  katSuite();
  wycheproofSuite();
});
