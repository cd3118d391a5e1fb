// node:test entry: a correctly keyed hostile initiator against a certificate responder (mutated IKE_AUTH
// plaintext, SKF streams). WEBSWAN_CERT_FUZZ_CASES sets the campaign's size (npm test: 300; npm run fuzz:
// 20,000), WEBSWAN_CERT_FUZZ_SEED the seed.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { installNodeEnv } from './env-node.js';
import { engineCertFuzzSuite } from '../suites/engine-cert-fuzz.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (() => void) | undefined;
const num = (v: string | undefined): number | undefined => (v ? Number(v.replace(/[_,]/g, '')) : undefined);

installNodeEnv();
engineCertFuzzSuite({
  cases: num(process.env.WEBSWAN_CERT_FUZZ_CASES),
  seed: num(process.env.WEBSWAN_CERT_FUZZ_SEED),
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
