// Node entry of the benchmarks (bundled by the bench tools into build/bench/bench-node.mjs): runs
// webswan-wasm, WebCrypto (Node's globalThis.crypto.subtle), node:crypto and hash-wasm, verified
// against node:crypto. Also hands the tools the report formatter and the core's file names.
import { readFile } from 'node:fs/promises';
import * as os from 'node:os';
import { join } from 'node:path';
import { CORE_FILES, bestCoreVariant, loadCore } from '../../src/crypto/index.js';
import { nodeRef } from '../support/ref-node.js';
import { hashWasmImpl } from './impl-hashwasm.js';
import { nodeCryptoImpl } from './impl-node.js';
import { webCryptoImpl } from './impl-webcrypto.js';
import { webswanImpl } from './impl-webswan.js';
import type { BenchResult } from './report.js';
import { type RunOptions, runBench } from './run.js';

export { formatTables, formatTargets } from './report.js';
export { CORE_FILES };

/** Run in this process, with the core build the loader would pick here, read from `asmDir`. */
export async function runNode(asmDir: string, o: RunOptions): Promise<BenchResult> {
  const variant = bestCoreVariant();
  const core = await loadCore(await readFile(join(asmDir, CORE_FILES[variant])));
  const impls = [webswanImpl(core), webCryptoImpl, nodeCryptoImpl, await hashWasmImpl()];
  const res = await runBench(impls, nodeRef, 'node', o);
  const cpus = os.cpus();
  res.env = {
    ...res.env, coreVariant: variant, coreFile: CORE_FILES[variant], node: process.version, v8: process.versions.v8,
    openssl: process.versions.openssl, platform: `${process.platform}-${process.arch}`, cpus: cpus.length, cpuModel: cpus[0]?.model,
  };
  return res;
}
