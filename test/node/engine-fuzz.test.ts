// node:test entry: the responder of an established tunnel under mutated IKE and ESP datagrams.
// WEBSWAN_ENGINE_FUZZ_CASES sets the mixed campaign's size (npm test: the default; npm run fuzz: 1,000,000),
// WEBSWAN_ENGINE_FUZZ_CLASS_CASES the per-class runs', WEBSWAN_ENGINE_FUZZ_SEED the seed.
import { installNodeEnv } from './env-node.js';
import { envNumber, nodeFuzzHooks } from './fuzz-hooks.js';
import { engineFuzzSuite } from '../suites/engine-fuzz.js';

installNodeEnv();
engineFuzzSuite({
  cases: envNumber(process.env.WEBSWAN_ENGINE_FUZZ_CASES),
  classCases: envNumber(process.env.WEBSWAN_ENGINE_FUZZ_CLASS_CASES),
  seed: envNumber(process.env.WEBSWAN_ENGINE_FUZZ_SEED),
  ...nodeFuzzHooks(),
});
