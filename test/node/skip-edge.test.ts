// node:test entry: the SKIP conformance suite against dist/edge/kme-edge.mjs — the key-server pair as an
// edge module (`export default { fetch }`) — under workerd (a generated capnp with the suite's system IDs
// as text bindings) and Deno (`deno serve`, the IDs as environment variables, --allow-env for them only,
// no other permission but the listening socket), both installed from npm, over HTTP on 127.0.0.1. The
// QKD link is driven through the module's POST /link. Needs `npm run build`.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { projectRoot } from './env-node.js';
import { SKIP_SUITE_CONFIG, skipServerSuite, type SkipTarget } from '../suites/skip-server.js';
import { equal, ok } from '../support/assert.js';

const root = projectRoot();
const edge = join(root, 'dist', 'edge');
const req = createRequire(join(root, 'package.json'));
const children = new Set<ChildProcess>();
process.on('exit', () => { for (const c of children) c.kill('SIGKILL'); });
const C = SKIP_SUITE_CONFIG;
const ENV = {
  KME_A_ID: C.a.id, KME_B_ID: C.b.id, KME_A_REMOTES: C.a.remotes.join(','), KME_B_REMOTES: C.b.remotes.join(','),
};

function workerdBin(): string {
  return process.env.WORKERD_BIN ?? (req('workerd') as { default: string }).default;
}
function denoBin(): string {
  if (process.env.DENO_BIN) return process.env.DENO_BIN;
  const pkg = ({ 'linux-x64': 'linux-x64-glibc', 'linux-arm64': 'linux-arm64-glibc', 'darwin-x64': 'darwin-x64', 'darwin-arm64': 'darwin-arm64' } as Record<string, string>)[`${process.platform}-${process.arch}`];
  return join(dirname(req.resolve(`@deno/${pkg}/package.json`)), 'deno');
}

interface Running { child: ChildProcess; exited: Promise<number | null>; port: number; output: () => string }

function start(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, fd3: boolean): Promise<Running> {
  const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe', ...(fd3 ? ['pipe' as const] : [])] });
  children.add(child);
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d) => { out += d; });
  child.stderr!.setEncoding('utf8').on('data', (d) => { out += d; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => { children.delete(child); resolve(code); }));
  return new Promise<Running>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${cmd}: not listening after 20 s: ${out.slice(0, 500)}`)), 20000);
    const done = (port: number) => { clearTimeout(t); resolve({ child, exited, port, output: () => out }); };
    void exited.then((code) => { clearTimeout(t); reject(new Error(`${cmd} exited (${code}): ${out.slice(0, 500)}`)); });
    if (fd3) {
      // workerd reports {"event":"listen","socket":"http","port":N} on the control fd once listening
      let buf = '';
      const ctl = child.stdio[3] as NodeJS.ReadableStream;
      ctl.setEncoding('utf8');
      ctl.on('data', (d: string) => {
        buf += d;
        for (const line of buf.split('\n')) {
          try { const ev = JSON.parse(line); if (ev.event === 'listen' && ev.socket === 'http') done(ev.port); } catch { /* partial */ }
        }
      });
    } else {
      // deno serve: "Listening on http://127.0.0.1:PORT/"
      const check = () => { const m = /Listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out); if (m) done(Number(m[1])); };
      child.stdout!.on('data', check);
      child.stderr!.on('data', check);
    }
  });
}

async function stop(r: Running | undefined): Promise<void> {
  if (!r) return;
  r.child.kill('SIGTERM');
  const t = setTimeout(() => r.child.kill('SIGKILL'), 3000);
  await r.exited;
  clearTimeout(t);
}

function httpTarget(port: number): SkipTarget {
  const base = `http://127.0.0.1:${port}`;
  const link = async (q: string) => {
    const res = await fetch(`${base}/link?${q}`, { method: 'POST' });
    equal(res.status, 200, `POST /link?${q} (${await res.text()})`);
  };
  const f = (prefix: string) => (path: string, init?: { method?: string }) =>
    fetch(`${base}${prefix}${path}`, { method: init?.method ?? 'GET', signal: AbortSignal.timeout(20000) });
  return {
    a: f('/a'), b: f('/b'),
    link: {
      cut: () => link('cut=1'), restore: () => link('cut=0'),
      slow: (ms) => link(`delayMs=${ms}`), budget: (bits) => link(`budgetBits=${bits ?? 'unlimited'}`),
    },
  };
}

function edgeExtras(name: string, target: () => SkipTarget & { base: string }): void {
  it(`${name}: outside the two prefixes is 404; /link reports the link`, async () => {
    const t = target();
    equal((await fetch(`${t.base}/capabilities`)).status, 404, 'no unprefixed API');
    equal((await fetch(`${t.base}/c/capabilities`)).status, 404, 'no third end');
    const l = await (await fetch(`${t.base}/link`)).json();
    equal(JSON.stringify(l), '{"cut":false,"delayMs":0,"budgetBits":null}', 'link state');
    equal((await fetch(`${t.base}/link?cut=2`, { method: 'POST' })).status, 400, 'bad link control');
  });
}

describe('SKIP key server on edge runtimes', () => {
  before(() => { ok(existsSync(join(edge, 'kme-edge.mjs')), 'dist/edge/kme-edge.mjs is built (npm run build)'); });

  describe('workerd', () => {
    let w: Running | undefined;
    let dir = '';
    let t: SkipTarget & { base: string };
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'webswan-kme-workerd-'));
      copyFileSync(join(edge, 'kme-edge.mjs'), join(dir, 'kme-edge.mjs'));
      const bindings = Object.entries(ENV).map(([k, v]) => `(name = "${k}", text = "${v}")`).join(', ');
      writeFileSync(join(dir, 'kme.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "kme", worker = .kme) ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "kme") ],
);
const kme :Workerd.Worker = (
  modules = [ (name = "kme-edge.mjs", esModule = embed "kme-edge.mjs") ],
  bindings = [ ${bindings} ],
  compatibilityDate = "2026-11-01",
);
`);
      w = await start(workerdBin(), ['serve', 'kme.capnp', '--socket-addr', 'http=127.0.0.1:0', '--control-fd', '3'], dir, process.env, true);
      t = { ...httpTarget(w.port), base: `http://127.0.0.1:${w.port}` };
    });
    after(async () => { await stop(w); if (dir) rmSync(dir, { recursive: true, force: true }); });
    it('the shipped kme-workerd.capnp parses and serves', async () => {
      const r = await start(workerdBin(), ['serve', 'kme-workerd.capnp', '--socket-addr', 'http=127.0.0.1:0', '--control-fd', '3'], edge, process.env, true);
      try {
        const c = await (await fetch(`http://127.0.0.1:${r.port}/b/capabilities`)).json();
        equal(c.localSystemID, 'KP_B', 'default B');
      } finally { await stop(r); }
    });
    edgeExtras('workerd', () => t);
    skipServerSuite('workerd', () => t);
  });

  describe('deno', () => {
    let d: Running | undefined;
    let denoDir = '';
    let t: SkipTarget & { base: string };
    before(async () => {
      denoDir = mkdtempSync(join(tmpdir(), 'webswan-deno-'));
      d = await start(denoBin(), ['serve', '--no-config', '--no-lock', '--no-remote', '--no-npm', '--no-prompt',
        `--allow-env=${Object.keys(ENV).join(',')}`, '--host', '127.0.0.1', '--port', '0', 'kme-edge.mjs'],
      edge, { ...process.env, ...ENV, DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' }, false);
      t = { ...httpTarget(d.port), base: `http://127.0.0.1:${d.port}` };
    });
    after(async () => { await stop(d); if (denoDir) rmSync(denoDir, { recursive: true, force: true }); });
    edgeExtras('deno', () => t);
    skipServerSuite('deno', () => t);
  });
});
