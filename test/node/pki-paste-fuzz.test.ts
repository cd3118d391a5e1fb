// node:test entry: hostile certificate and key pastes at `crypto ca authenticate` / `crypto ca import`.
// WEBSWAN_PASTE_FUZZ_RUNS sets fast-check's runs per property (npm test: 150; npm run fuzz: 5,000),
// WEBSWAN_PASTE_FUZZ_SEED the seed.
import { installNodeEnv } from './env-node.js';
import { pkiPasteFuzzSuite } from '../suites/pki-paste-fuzz.js';

const num = (v: string | undefined): number | undefined => (v ? Number(v.replace(/[_,]/g, '')) : undefined);

installNodeEnv();
pkiPasteFuzzSuite({
  runs: num(process.env.WEBSWAN_PASTE_FUZZ_RUNS),
  seed: num(process.env.WEBSWAN_PASTE_FUZZ_SEED),
  watchEscapes(onEscape) {
    const rej = (e: unknown): void => onEscape('unhandledRejection', e);
    const exc = (e: unknown): void => onEscape('uncaughtException', e);
    process.on('unhandledRejection', rej);
    process.on('uncaughtException', exc);
    return () => { process.off('unhandledRejection', rej); process.off('uncaughtException', exc); };
  },
});
