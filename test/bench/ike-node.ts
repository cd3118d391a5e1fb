// Node entry of npm run bench:ike (bundled by tools/bench-ike.mjs into build/bench/bench-ike-node.mjs):
// the in-process handshake benchmark (test/bench/ike-handshake.ts) on node:crypto ECDH — the platform
// `webswan router` uses (src/crypto/load-node.ts) — and the WASM core; the webswan ↔ strongSwan
// time-to-UP-ACTIVE measurement (test/bench/ike-strongswan.ts); and the report formatter for both.
import { readFile } from 'node:fs/promises';
import * as os from 'node:os';
import { join } from 'node:path';
import { CORE_FILES, bestCoreVariant, loadCore } from '../../src/crypto/index.js';
import { usePlatform } from '../../src/crypto/platform.js';
import { nodePlatform } from '../../src/crypto/node-platform.js';
import { type IkeBenchResult, type IkeRunOptions, runIkeBench } from './ike-handshake.js';

export { formatHandshakes, formatInterop, formatTarget } from './ike-report.js';
export { runInterop } from './ike-strongswan.js';
export { CORE_FILES };

export async function runIkeNode(asmDir: string, o: IkeRunOptions): Promise<IkeBenchResult> {
  usePlatform(nodePlatform);
  const variant = bestCoreVariant();
  const core = await loadCore(await readFile(join(asmDir, CORE_FILES[variant])));
  const res = await runIkeBench(core, 'node', o);
  const cpus = os.cpus();
  res.env = {
    ...res.env, coreVariant: variant, coreFile: CORE_FILES[variant], node: process.version, v8: process.versions.v8,
    openssl: process.versions.openssl, platformOs: `${process.platform}-${process.arch}`, cpus: cpus.length, cpuModel: cpus[0]?.model,
  };
  return res;
}
