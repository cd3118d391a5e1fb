// Node: find and load build/asm/webswan-core.wasm (next to a bundle in dist/, or in the source tree),
// and use node:crypto for ECDH/RSA.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Core, loadCore } from './core.js';
import { usePlatform } from './platform.js';
import { nodePlatform } from './node-platform.js';

export const CORE_FILE = 'webswan-core.wasm';

export function findCoreWasm(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    for (const candidate of [join(dir, CORE_FILE), join(dir, 'build', 'asm', CORE_FILE)]) {
      if (existsSync(candidate)) return candidate;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`core: ${CORE_FILE} not found (run npm run build)`);
    dir = up;
  }
}

export async function loadCoreNode(path = findCoreWasm()): Promise<Core> {
  usePlatform(nodePlatform);
  return loadCore(await readFile(path));
}
