// node:test entry: the WASM core against node:crypto (OpenSSL) on random inputs.
import { installNodeEnv } from './env-node.js';
import { differentialSuite } from '../suites/differential.js';

installNodeEnv();
differentialSuite();
