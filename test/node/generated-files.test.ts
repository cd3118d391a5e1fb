// Generated sources are committed; they must match what their generators produce now.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from './env-node.js';

describe('generated files are up to date', () => {
  for (const tool of ['gen-aes-vperm.mjs', 'gen-sha-constants.mjs', 'gen-selftest-vectors.mjs', 'gen-yang-help.mjs']) {
    it(tool, () => {
      // throws (non-zero exit) when the committed output differs
      execFileSync(process.execPath, [join(projectRoot(), 'tools', tool), '--check'], { stdio: 'pipe' });
    });
  }
  it('the KAT vector files still agree with node:crypto', () => {
    execFileSync(process.execPath, [join(projectRoot(), 'test', 'vectors', 'kat', 'verify-with-node-crypto.mjs')], { stdio: 'pipe' });
  });
});
