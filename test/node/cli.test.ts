// The `webswan` command as users run it (bin/webswan.mjs → dist/node/webswan.mjs).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './env-node.js';
import { equal, ok } from '../support/assert.js';

const root = projectRoot();
const webswan = (...args: string[]) => spawnSync(process.execPath, [join(root, 'bin', 'webswan.mjs'), ...args], { encoding: 'utf8' });

describe('webswan CLI', () => {
  it('--version prints the package version', () => {
    const r = webswan('--version');
    equal(r.status, 0, 'exit code');
    equal(r.stdout.trim(), `webswan ${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}`, 'output');
  });

  it('selftest passes and says what it checked', () => {
    const r = webswan('selftest');
    equal(r.status, 0, `exit code (stderr: ${r.stderr})`);
    ok(/selftest: \d+ passed, 0 failed/.test(r.stdout), 'summary line');
    ok(r.stdout.includes('strongSwan 5.9.8'), 'strongSwan schedule check listed');
    ok(r.stdout.includes('via node-crypto'), 'Node uses node:crypto for ECDH');
  });

  it('selftest --json is machine readable', () => {
    const r = webswan('selftest', '--json');
    equal(r.status, 0, 'exit code');
    const report = JSON.parse(r.stdout);
    equal(report.ok, true, 'ok');
    ok(report.checks.length >= 29 && report.checks.every((c: { ok: boolean }) => c.ok), 'every check passed');
    equal(report.variant, 'simd', 'Node 20 has no relaxed SIMD: the baseline build');
  });

  it('unknown commands and options are refused with usage and exit code 2', () => {
    for (const args of [['frobnicate'], ['selftest', '--jsn'], []]) {
      const r = webswan(...args);
      equal(r.status, 2, `exit code for ${args.join(' ') || '(nothing)'}`);
      ok(/usage: webswan/.test(r.stdout + r.stderr), 'usage shown');
    }
  });
});
