// node:test entry: hostile certificate and key pastes at `crypto ca authenticate` / `crypto ca import`.
// WEBSWAN_PASTE_FUZZ_RUNS sets fast-check's runs per property (npm test: 150; npm run fuzz: 5,000),
// WEBSWAN_PASTE_FUZZ_SEED the seed.
import { installNodeEnv } from './env-node.js';
import { envNumber, nodeFuzzHooks } from './fuzz-hooks.js';
import { pkiPasteFuzzSuite } from '../suites/pki-paste-fuzz.js';

installNodeEnv();
pkiPasteFuzzSuite({
  runs: envNumber(process.env.WEBSWAN_PASTE_FUZZ_RUNS),
  seed: envNumber(process.env.WEBSWAN_PASTE_FUZZ_SEED),
  watchEscapes: nodeFuzzHooks().watchEscapes,
});
