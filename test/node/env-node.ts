// The Node test environment: the core from build/asm, node:crypto as platform and reference, and
// node:test's functions installed as the globals the shared suites use.
import * as nt from 'node:test';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCoreNode } from '../../src/crypto/load-node.js';
import { nodePlatform } from '../../src/crypto/node-platform.js';
import { type TestEnv, setEnv } from '../support/env.js';
import { nodeRef } from '../support/ref-node.js';

Object.assign(globalThis, { describe: nt.describe, it: nt.it, before: nt.before, after: nt.after });

export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'asm'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('test: project root not found');
    dir = up;
  }
  return dir;
}

export function installNodeEnv(): Promise<TestEnv> {
  const root = projectRoot();
  const env = (async (): Promise<TestEnv> => ({
    name: 'node',
    core: await loadCoreNode(),
    platform: nodePlatform,
    ref: nodeRef,
    vectors: async (p: string) => JSON.parse(await readFile(join(root, 'test', 'vectors', p), 'utf8')),
    text: (p: string) => readFile(join(root, 'test', 'vectors', p), 'utf8'),
  }))();
  setEnv(env);
  return env;
}
