// node:test entry: a correctly keyed hostile initiator against a certificate responder (mutated IKE_AUTH
// plaintext, SKF streams). WEBSWAN_CERT_FUZZ_CASES sets the campaign's size (npm test: 300; npm run fuzz:
// 20,000), WEBSWAN_CERT_FUZZ_SEED the seed.
import { installNodeEnv } from './env-node.js';
import { envNumber, nodeFuzzHooks } from './fuzz-hooks.js';
import { engineCertFuzzSuite } from '../suites/engine-cert-fuzz.js';

installNodeEnv();
engineCertFuzzSuite({
  cases: envNumber(process.env.WEBSWAN_CERT_FUZZ_CASES),
  seed: envNumber(process.env.WEBSWAN_CERT_FUZZ_SEED),
  ...nodeFuzzHooks(),
});
