// node:test entry: the WASM core against node:crypto (OpenSSL) on random inputs.
import { installNodeEnv } from './env-node.js';
import { differentialSuite } from '../suites/differential.js';

installNodeEnv();
// npm run fuzz raises the case count (WEBSWAN_DIFF_CASES); npm test uses the default 10,000.
differentialSuite(Number(process.env.WEBSWAN_DIFF_CASES ?? 0) || undefined);
