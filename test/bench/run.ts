// One benchmark run, the same in Node and Chromium: fixtures (keys, inner packets, decap pools), the
// correctness checks, the interleaved timing rounds, and the targets evaluated on the result. The
// runtime entry (node-main.ts, browser-page.ts) decides which implementations and reference exist.
import type { RefCrypto } from '../support/ref.js';
import { type Impl, measureAll } from './harness.js';
import { type BenchResult, type Runtime, evaluateTargets } from './report.js';
import { POOL_PACKETS, makeCells, makeFixtures } from './suites.js';
import { verify } from './verify.js';

export interface RunOptions {
  quick: boolean;
  progress?: (msg: string) => void;
}

/** Seconds per cell and round; about 150 s (Node, 70 cells) and 100 s (Chromium, 48 cells) in all. */
export const TIMING = {
  full: { seconds: 0.6, warmup: 0.1, rounds: 3 },
  quick: { seconds: 0.15, warmup: 0.03, rounds: 3 },
};

export async function runBench(impls: Impl[], ref: RefCrypto, runtime: Runtime, o: RunOptions): Promise<BenchResult> {
  const webswan = impls.find((i) => i.name === 'webswan-wasm');
  if (!webswan?.esp) throw new Error('bench: webswan-wasm is missing');
  const t0 = performance.now();
  o.progress?.('preparing keys and decap pools');
  const fixtures = await makeFixtures(webswan);
  o.progress?.('verifying every implementation against webswan and the reference');
  const checks = await verify(impls, webswan, ref, fixtures);
  const cells = makeCells(impls, fixtures);
  const timing = o.quick ? TIMING.quick : TIMING.full;
  o.progress?.(`${checks} checks passed; timing ${cells.length} cells × ${timing.rounds} rounds × ${timing.seconds} s`);
  const { rows, noisiest } = await measureAll(cells, { ...timing, progress: o.progress });
  return {
    rows,
    targets: evaluateTargets(rows, runtime),
    env: {
      runtime, quick: o.quick, ...timing, cells: cells.length, checksPassed: checks, decapPoolPackets: POOL_PACKETS,
      impls: impls.map((i) => i.name), benchSeconds: Math.round(performance.now() - t0) / 1000, noisiestCells: noisiest,
    },
  };
}
