#!/usr/bin/env node
// npm test: everything, on a fresh Debian 12 machine as root.
//   1. system packages (tools/setup-system.sh: apt-get installs what is missing, or says what to install)
//   2. build (WASM core, web app, CLI, edge module)     3. type check (tsc)
//   4. Node tests (node:test)                          5. browser tests (web-test-runner, headless Chromium)
// Every step runs even when an earlier test step failed, so one run reports everything; the exit code
// is non-zero if any step failed. `--fuzz` runs the long differential and console fuzzing campaigns instead (Node).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const fuzz = process.argv.includes('--fuzz');
const results = [];

function step(name, cmd, args, { env = {}, fatal = false } = {}) {
  console.log(`\n=== ${name} ===`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  results.push({ name, ok, secs });
  console.log(`=== ${name}: ${ok ? 'ok' : `FAILED (exit ${r.status ?? r.signal})`} in ${secs} s ===`);
  if (!ok && fatal) finish();
  return ok;
}

function finish() {
  console.log('\n=== summary ===');
  for (const r of results) console.log(`${r.ok ? 'ok    ' : 'FAILED'}  ${r.name} (${r.secs} s)`);
  const failed = results.filter((r) => !r.ok).length;
  console.log(failed ? `\n${failed} step(s) failed` : '\nall steps passed');
  process.exit(failed ? 1 : 0);
}

const node = process.execPath;
step('system packages', 'bash', [join(root, 'tools', 'setup-system.sh')], { fatal: true });
step('build', node, [join(root, 'tools', 'build.mjs')], { fatal: true });
step('type check', node, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', root], { fatal: false });
step('transpile tests', node, [join(root, 'tools', 'build-node-tests.mjs')], { fatal: true });

const nodeTests = readdirSync(join(root, 'build', 'node-test', 'test', 'node'))
  .filter((f) => f.endsWith('.test.js')).map((f) => join('build', 'node-test', 'test', 'node', f));
if (fuzz) {
  step('differential fuzzing (Node, 1,000,000 cases per primitive and ESP suite)', node,
    ['--test', '--test-reporter=spec', join('build', 'node-test', 'test', 'node', 'crypto-differential.test.js')],
    { env: { WEBSWAN_DIFF_CASES: process.env.WEBSWAN_DIFF_CASES ?? '1000000' } });
  step('IOS XR console fuzzing (Node, 1,000,000 random mutations of valid commands)', node,
    ['--test', '--test-reporter=spec', join('build', 'node-test', 'test', 'node', 'ios-xr.test.js')],
    { env: { WEBSWAN_CLI_FUZZ_CASES: process.env.WEBSWAN_CLI_FUZZ_CASES ?? '1000000' } });
  step('IKE/ESP responder fuzzing (Node, 1,000,000 mutated datagrams against an established tunnel)', node,
    ['--test', '--test-reporter=spec', join('build', 'node-test', 'test', 'node', 'engine-fuzz.test.js')],
    { env: { WEBSWAN_ENGINE_FUZZ_CASES: process.env.WEBSWAN_ENGINE_FUZZ_CASES ?? '1000000' } });
  step('certificate responder fuzzing (Node, 20,000 hostile IKE_AUTH requests and SKF streams, correctly keyed)', node,
    ['--test', '--test-reporter=spec', join('build', 'node-test', 'test', 'node', 'engine-cert-fuzz.test.js')],
    { env: { WEBSWAN_CERT_FUZZ_CASES: process.env.WEBSWAN_CERT_FUZZ_CASES ?? '20000' } });
  step('certificate and key paste fuzzing (Node, 5,000 fast-check runs per property)', node,
    ['--test', '--test-reporter=spec', join('build', 'node-test', 'test', 'node', 'pki-paste-fuzz.test.js')],
    { env: { WEBSWAN_PASTE_FUZZ_RUNS: process.env.WEBSWAN_PASTE_FUZZ_RUNS ?? '5000' } });
  finish();
}
step(`Node tests (${nodeTests.length} files)`, node, ['--test', '--test-reporter=spec', '--test-concurrency=2', ...nodeTests]);
step('browser tests (web-test-runner, headless Chromium)', node,
  [join(root, 'node_modules', '@web', 'test-runner', 'dist', 'bin.js'), '--config', 'web-test-runner.config.mjs'],
  { env: { CHROME_PATH: process.env.CHROME_PATH ?? '/usr/bin/chromium' } });
finish();
