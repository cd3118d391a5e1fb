// node:test entry: the responder of an established tunnel under mutated IKE and ESP datagrams.
// WEBSWAN_ENGINE_FUZZ_CASES sets the mixed campaign's size (npm test: the default; npm run fuzz: 1,000,000),
// WEBSWAN_ENGINE_FUZZ_CLASS_CASES the per-class runs', WEBSWAN_ENGINE_FUZZ_SEED the seed.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { installNodeEnv } from './env-node.js';
import { engineFuzzSuite } from '../suites/engine-fuzz.js';

// a full GC for the heap bound, without needing `node --expose-gc`
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (() => void) | undefined;

const num = (v: string | undefined): number | undefined => (v ? Number(v.replace(/[_,]/g, '')) : undefined);

installNodeEnv();
engineFuzzSuite({
  cases: num(process.env.WEBSWAN_ENGINE_FUZZ_CASES),
  classCases: num(process.env.WEBSWAN_ENGINE_FUZZ_CLASS_CASES),
  seed: num(process.env.WEBSWAN_ENGINE_FUZZ_SEED),
  gc: typeof gc === 'function' ? gc : undefined,
  heapUsed: () => process.memoryUsage().heapUsed,
  watchEscapes(onEscape) {
    const rej = (e: unknown): void => onEscape('unhandledRejection', e);
    const exc = (e: unknown): void => onEscape('uncaughtException', e);
    process.on('unhandledRejection', rej);
    process.on('uncaughtException', exc);
    return () => { process.off('unhandledRejection', rej); process.off('uncaughtException', exc); };
  },
});
