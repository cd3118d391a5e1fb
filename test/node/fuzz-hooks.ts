// What the fuzzing suites need from Node (shared by the node:test entries of engine-fuzz and
// engine-cert-fuzz): a full GC for the heap bound without `node --expose-gc`, the heap size, a watch on
// exceptions that escape to the runtime, and numbers from the environment (`1_000_000` and `1,000,000` too).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export const envNumber = (v: string | undefined): number | undefined => (v ? Number(v.replace(/[_,]/g, '')) : undefined);

export interface FuzzHooks {
  gc?: () => void;
  heapUsed: () => number;
  watchEscapes(onEscape: (what: string, e: unknown) => void): () => void;
}

export function nodeFuzzHooks(): FuzzHooks {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  return {
    gc: typeof gc === 'function' ? gc : undefined,
    heapUsed: () => process.memoryUsage().heapUsed,
    watchEscapes(onEscape) {
      const rej = (e: unknown): void => onEscape('unhandledRejection', e);
      const exc = (e: unknown): void => onEscape('uncaughtException', e);
      process.on('unhandledRejection', rej);
      process.on('uncaughtException', exc);
      return () => { process.off('unhandledRejection', rej); process.off('uncaughtException', exc); };
    },
  };
}
