// Node: find and load build/asm/webswan-core.wasm (next to a bundle in dist/, or in the source tree),
// and use node:crypto for ECDH/RSA.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Core, type CoreVariant, CORE_FILES, bestCoreVariant, loadCore } from './core.js';
import { usePlatform } from './platform.js';
import { nodePlatform } from './node-platform.js';

export function findCoreWasm(variant: CoreVariant = bestCoreVariant(), from: string = import.meta.url): string {
  const file = CORE_FILES[variant];
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    for (const candidate of [join(dir, file), join(dir, 'build', 'asm', file)]) {
      if (existsSync(candidate)) return candidate;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`core: ${file} not found (run npm run build)`);
    dir = up;
  }
}

/** Load the core (the best build this Node can run, unless `variant` says which) on node:crypto. */
export async function loadCoreNode(variant?: CoreVariant): Promise<Core> {
  usePlatform(nodePlatform);
  return loadCore(await readFile(findCoreWasm(variant)));
}
