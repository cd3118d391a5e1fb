// The crypto core's self-test on the edge runtimes it targets: workerd (Cloudflare's runtime, as a
// fetch handler with the .wasm declared in capnp) and Deno (source-phase .wasm import), both installed
// from npm. Runs dist/edge/ as built by `npm run build`. The native binaries are started directly
// (the node_modules/.bin shims would not pass workerd's control fd on), and always killed.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { projectRoot } from './env-node.js';
import { equal, ok } from '../support/assert.js';

const root = projectRoot();
const edge = join(root, 'dist', 'edge');
const req = createRequire(join(root, 'package.json'));
const children = new Set<ChildProcess>();
process.on('exit', () => { for (const c of children) c.kill('SIGKILL'); });

function workerdBin(): string {
  return process.env.WORKERD_BIN ?? (req('workerd') as { default: string }).default;
}
function denoBin(): string {
  if (process.env.DENO_BIN) return process.env.DENO_BIN;
  const pkg = ({ 'linux-x64': 'linux-x64-glibc', 'linux-arm64': 'linux-arm64-glibc', 'darwin-x64': 'darwin-x64', 'darwin-arm64': 'darwin-arm64' } as Record<string, string>)[`${process.platform}-${process.arch}`];
  return join(dirname(req.resolve(`@deno/${pkg}/package.json`)), 'deno');
}

function run(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; fd3?: boolean }) {
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe', ...(opts.fd3 ? ['pipe' as const] : [])] });
  children.add(child);
  let out = '', err = '';
  child.stdout!.setEncoding('utf8').on('data', (d) => { out += d; });
  child.stderr!.setEncoding('utf8').on('data', (d) => { err += d; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => { children.delete(child); resolve(code); }));
  return { child, exited, output: () => ({ out, err }) };
}

function timeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: ReturnType<typeof setTimeout>;
  return Promise.race([p, new Promise<T>((_, rej) => { t = setTimeout(() => rej(new Error(`${what} timed out after ${ms} ms`)), ms); })])
    .finally(() => clearTimeout(t));
}

function checkReport(name: string, report: any): void {
  ok(report && typeof report === 'object', `${name}: a JSON report`);
  ok(report.ok === true, `${name}: self-test failed: ${JSON.stringify(report.checks?.filter((c: any) => !c.ok) ?? report.error)}`);
  ok(report.passed >= 29, `${name}: ${report.passed} checks passed`);
  equal(report.failed, 0, `${name}: failures`);
  equal(report.platform, 'webcrypto', `${name}: ECDH on the runtime's WebCrypto`);
  equal(report.variant, 'relaxed-simd', `${name}: the relaxed-SIMD build (both runtimes have relaxed SIMD)`);
}

describe('edge runtimes', () => {
  before(() => { ok(existsSync(join(edge, 'webswan-edge.mjs')), 'dist/edge is built (npm run build)'); });

  it('workerd: GET /selftest on the fetch handler', async () => {
    const w = run(workerdBin(), ['serve', 'workerd.capnp', '--socket-addr', 'http=127.0.0.1:0', '--control-fd', '3'], { cwd: edge, fd3: true });
    try {
      // workerd reports {"event":"listen","socket":"http","port":N} on the control fd once listening
      const port = await timeout(new Promise<number>((resolve, reject) => {
        let buf = '';
        (w.child.stdio[3] as NodeJS.ReadableStream).setEncoding('utf8');
        (w.child.stdio[3] as NodeJS.ReadableStream).on('data', (d: string) => {
          buf += d;
          for (const line of buf.split('\n')) {
            try { const ev = JSON.parse(line); if (ev.event === 'listen' && ev.socket === 'http') resolve(ev.port); } catch { /* partial line */ }
          }
        });
        w.exited.then((code) => reject(new Error(`workerd exited (${code}): ${w.output().err}`)));
      }), 20000, 'workerd start');
      const res = await fetch(`http://127.0.0.1:${port}/selftest`, { signal: AbortSignal.timeout(20000) });
      const report = await res.json();
      checkReport('workerd', report);
      equal(res.status, 200, 'HTTP status');
      equal(report.runtime, 'Cloudflare-Workers', 'runs inside workerd');
      equal((await fetch(`http://127.0.0.1:${port}/nope`)).status, 404, 'unknown path');
    } finally {
      w.child.kill('SIGTERM');
      const t = setTimeout(() => w.child.kill('SIGKILL'), 3000);
      await w.exited;
      clearTimeout(t);
    }
  });

  it('deno: the self-test as a script, with no permissions and no network', async () => {
    const denoDir = mkdtempSync(join(tmpdir(), 'webswan-deno-'));
    try {
      const d = run(denoBin(), ['run', '--no-config', '--no-lock', '--no-remote', '--no-npm', '--no-prompt', '--quiet', 'deno-entry.mjs'],
        { cwd: edge, env: { ...process.env, DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' } });
      const code = await timeout(d.exited, 60000, 'deno');
      const { out, err } = d.output();
      let report: any;
      try { report = JSON.parse(out); } catch { throw new Error(`deno: no JSON on stdout (exit ${code}): ${out.slice(0, 300)} ${err.slice(0, 300)}`); }
      checkReport('deno', report);
      ok(/Deno/.test(report.runtime), `runs inside Deno (${report.runtime})`);
      equal(code, 0, 'exit code');
    } finally {
      rmSync(denoDir, { recursive: true, force: true });
    }
  });
});
