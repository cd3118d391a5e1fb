// Network namespaces and veth pairs for tests that need a real network (Node, Linux, root).
//
// Everything a test creates carries one prefix, `ws<pid % 10000>` (e.g. namespaces `ws1234a`, `ws1234b`,
// veth ends `ws1234a0`), registered in /run/webswan-netns/<prefix> with the owner's pid and start time.
// withTopology() removes it all in a finally block, in a process 'exit' handler and on SIGINT/SIGTERM;
// and before it starts it removes leftovers of earlier runs whose owner process is gone (crash, SIGKILL).
// Namespaces of other live runs (other engineers, --test-concurrency) are never touched.
//
//   await withTopology(async (topo) => {
//     const [a, b] = await topo.addNamespaces('a', 'b');
//     await topo.addVeth({ ns: a, addr: '10.77.0.1/24' }, { ns: b, addr: '10.77.0.2/24' });
//     await topo.addAddress(a, '192.0.2.1/32');            // on lo
//     const r = await nsExec(a, 'ping', ['-c', '1', '10.77.0.2']);
//     const p = topo.spawn(b, process.execPath, ['bin/webswan.mjs', 'router', ...], { name: 'router-b' });
//     await p.waitForOutput(/listening/, 5000);
//   });
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PREFIX_FAMILY = 'ws';
const REGISTRY = '/run/webswan-netns';
const familyRe = /^ws(\d{1,4})(?![0-9])/;

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The command line, for error messages. */
  cmd: string;
  ms: number;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  input?: string;
  /** Kill the command (SIGKILL) after this many ms; the result then has signal 'SIGKILL'. Default 30 s. */
  timeoutMs?: number;
  /** Throw when the exit code is not 0 (default false). */
  check?: boolean;
}

let cachedCanUse: boolean | undefined;
/** True when this process is root and `ip netns` works (a throw-away namespace can be added and removed). */
export function canUseNetns(): boolean {
  if (cachedCanUse !== undefined) return cachedCanUse;
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return (cachedCanUse = false);
  const probe = `${PREFIX_FAMILY}${process.pid % 10000}probe`;
  const add = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  spawnSync('ip', ['netns', 'del', probe], { encoding: 'utf8' });
  return (cachedCanUse = add.status === 0);
}

/** Run a command on the host (not in a namespace); resolves with its output, never rejects unless check. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const t0 = Date.now();
  const line = [cmd, ...args].join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: opts.env ? { ...process.env, ...opts.env } : process.env, cwd: opts.cwd, stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '', stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.on('error', (e) => { clearTimeout(timer); reject(new Error(`${line}: ${e.message}`)); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const r: RunResult = { code, signal, stdout, stderr, cmd: line, ms: Date.now() - t0 };
      if (opts.check && code !== 0) reject(new Error(`${line}: exit ${code ?? signal}\n${stderr}${stdout}`));
      else resolve(r);
    });
    if (opts.input !== undefined) child.stdin!.on('error', () => { /* exited without reading */ }).end(opts.input);
  });
}

/** Run a command inside network namespace `ns` (`ip netns exec ns cmd args`). */
export function nsExec(ns: string, cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return run('ip', ['netns', 'exec', ns, cmd, ...args], opts);
}

/** `ip -n ns args…`, throwing on failure. */
export function ipIn(ns: string, ...args: string[]): Promise<RunResult> {
  return run('ip', ['-n', ns, ...args], { check: true });
}

// ------------------------------------------------------------------ long-lived processes

export interface SpawnOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Label for messages; default the command's base name. */
  name?: string;
  /** Also append stdout+stderr to this file. */
  logFile?: string;
}

export interface NsProcess {
  readonly name: string;
  readonly ns: string | null;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Everything written to stdout and stderr so far (interleaved in arrival order). */
  output(): string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of re in the output (polling the captured text); rejects after timeoutMs or if the process exits first. */
  waitForOutput(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly running: boolean;
  /** Send `signal` (default SIGTERM); after graceMs send SIGKILL; resolves once it exited. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL, resolves once it exited. */
  kill(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Every long-lived process spawned through this module that has not exited yet: killed on cleanup. */
const live = new Set<NsProcess>();

/**
 * Start a long-lived process, in network namespace `ns` (or on the host when ns is null), output captured.
 * `ip netns exec` execs the command, so pid is the command's own pid.
 */
export function spawnIn(ns: string | null, cmd: string, args: string[], opts: SpawnOptions = {}): NsProcess {
  const argv = ns ? ['ip', 'netns', 'exec', ns, cmd, ...args] : [cmd, ...args];
  const child = spawn(argv[0], argv.slice(1), {
    env: opts.env ? { ...process.env, ...opts.env } : process.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const name = opts.name ?? cmd.split('/').pop()!;
  let out = '', so = '', se = '';
  const sink = (which: 'o' | 'e') => (d: string) => {
    out += d;
    if (which === 'o') so += d; else se += d;
    if (opts.logFile) try { appendFileSync(opts.logFile, d); } catch { /* dir removed on cleanup */ }
  };
  child.stdout!.setEncoding('utf8').on('data', sink('o'));
  child.stderr!.setEncoding('utf8').on('data', sink('e'));
  let running = true;
  let spawnError: Error | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('error', (e) => { spawnError = e; running = false; live.delete(p); resolve({ code: null, signal: null }); });
    child.on('exit', (code, signal) => { running = false; live.delete(p); resolve({ code, signal }); });
  });
  const p: NsProcess = {
    name, ns, pid: child.pid ?? -1, child, exited,
    get running() { return running; },
    output: () => out, stdout: () => so, stderr: () => se,
    async waitForOutput(re, timeoutMs = 10_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const m = out.match(re);
        if (m) return m;
        if (!running) throw new Error(`${name} exited (${spawnError?.message ?? 'see output'}) before printing ${re}; output:\n${out.slice(-2000)}`);
        if (Date.now() > end) throw new Error(`${name}: no ${re} within ${timeoutMs} ms; output:\n${out.slice(-2000)}`);
        await sleep(20);
      }
    },
    async stop(signal = 'SIGTERM', graceMs = 3000) {
      if (!running) return exited;
      child.kill(signal);
      const t = setTimeout(() => { if (running) child.kill('SIGKILL'); }, graceMs);
      const r = await exited;
      clearTimeout(t);
      return r;
    },
    async kill() {
      if (running) child.kill('SIGKILL');
      return exited;
    },
  };
  if (child.pid) live.add(p);
  return p;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ------------------------------------------------------------------ topology with guaranteed cleanup

export interface VethEnd {
  ns: string;
  /** Interface name; default `<ns>0`, `<ns>1`, … (at most 15 characters). */
  ifname?: string;
  /** Address with prefix length, e.g. 10.77.0.1/24. */
  addr?: string;
}

export interface Topology {
  /** `ws<pid % 10000>` (or the next free one): every namespace and interface name starts with it. */
  readonly prefix: string;
  /** A private temporary directory for this topology (logs, configs, captures). */
  readonly dir: string;
  readonly namespaces: readonly string[];
  /** Add namespaces `<prefix><name>` with lo up; returns their full names. */
  addNamespaces(...names: string[]): Promise<string[]>;
  /** Add a veth pair between two namespaces (created directly inside them), addresses added, links up. Returns the interface names. */
  addVeth(a: VethEnd, b: VethEnd): Promise<[string, string]>;
  /** Add an address (default on lo) in namespace ns. */
  addAddress(ns: string, addr: string, dev?: string): Promise<void>;
  exec(ns: string, cmd: string, args: string[], opts?: RunOptions): Promise<RunResult>;
  /** A long-lived process in ns, killed on cleanup; its output also goes to <dir>/<name>.log. */
  spawn(ns: string | null, cmd: string, args: string[], opts?: SpawnOptions): NsProcess;
  /** Kill processes, delete namespaces, unregister. Idempotent. Called by withTopology. */
  cleanup(): Promise<void>;
}

interface Owner { pid: number; start: string | null }

function procStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return f[0] === 'Z' || f[0] === 'X' ? null : f[19] ?? null; // field 3: state (a zombie is dead), field 22: starttime
  } catch { return null; }
}

function ownerAlive(prefix: string): boolean {
  try {
    const o = JSON.parse(readFileSync(join(REGISTRY, prefix), 'utf8')) as Owner;
    return o.pid !== process.pid && procStart(o.pid) === o.start;
  } catch { return false; }
}

function listNetns(): string[] {
  const r = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  return (r.stdout ?? '').split('\n').map((l) => l.split(' ')[0]).filter(Boolean);
}

function listHostLinks(): string[] {
  const r = spawnSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
  return (r.stdout ?? '').split('\n').map((l) => /^\d+: ([^:@]+)/.exec(l)?.[1]).filter((x): x is string => !!x);
}

/** Kill every process still in ns (SIGKILL, by pid) and delete it. Synchronous: usable from 'exit'. */
function destroyNetnsSync(ns: string): void {
  const pids = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).stdout ?? '';
  for (const pid of pids.split(/\s+/).filter(Boolean).map(Number)) {
    if (pid !== process.pid) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  }
  spawnSync('ip', ['netns', 'del', ns], { encoding: 'utf8' });
}

/** The leftovers of earlier runs in our prefix family whose owner is gone: processes, namespaces, host links, registry entries. */
export function cleanupStale(): string[] {
  const removed: string[] = [];
  const stale = (name: string) => { const m = familyRe.exec(name); return m && !ownerAlive(`${PREFIX_FAMILY}${m[1]}`) ? m[0] : null; };
  for (const ns of listNetns()) if (stale(ns) && !activeNamespaces().has(ns)) { destroyNetnsSync(ns); removed.push(`netns ${ns}`); }
  for (const link of listHostLinks()) if (stale(link) && !activePrefixes.has(familyRe.exec(link)![0])) {
    spawnSync('ip', ['link', 'del', link]); removed.push(`link ${link}`);
  }
  // temporary directories of crashed or failed runs: kept for a day for post-mortems
  for (const f of readdirSync(tmpdir())) {
    const m = /^webswan-(ws\d{1,4})-/.exec(f);
    if (!m || activePrefixes.has(m[1]) || ownerAlive(m[1])) continue;
    try { if (Date.now() - statSync(join(tmpdir(), f)).mtimeMs > 86_400_000) { rmSync(join(tmpdir(), f), { recursive: true, force: true }); removed.push(`dir ${f}`); } } catch { /* */ }
  }
  if (existsSync(REGISTRY)) for (const f of readdirSync(REGISTRY)) {
    if (familyRe.test(f) && !activePrefixes.has(f) && !ownerAlive(f)) { try { unlinkSync(join(REGISTRY, f)); } catch { /* */ } }
  }
  return removed;
}

/** Everything named with one of our family prefixes that still exists (for assertions after cleanup). */
export function leftovers(prefix: string): string[] {
  const hit = (n: string) => n.startsWith(prefix) && !/\d/.test(n[prefix.length] ?? '');
  return [...listNetns().filter(hit).map((n) => `netns ${n}`), ...listHostLinks().filter(hit).map((n) => `link ${n}`)];
}

const activePrefixes = new Set<string>();
const activeTopologies = new Set<TopologyImpl>();
const activeNamespaces = () => new Set([...activeTopologies].flatMap((t) => t.namespaces));

function cleanupAllSync(): void {
  for (const p of live) try { p.child.kill('SIGKILL'); } catch { /* */ }
  for (const t of activeTopologies) t.cleanupSync();
}
let handlersInstalled = false;
function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', cleanupAllSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      cleanupAllSync();
      process.kill(process.pid, sig); // the default action now that our listener is gone
    });
  }
}

function claimPrefix(): string {
  mkdirSync(REGISTRY, { recursive: true });
  for (let k = 0; k < 10000; k++) {
    const prefix = `${PREFIX_FAMILY}${(process.pid + k) % 10000}`;
    if (activePrefixes.has(prefix) || ownerAlive(prefix)) continue;
    // not ours and no live owner: anything left under this prefix is stale
    try { unlinkSync(join(REGISTRY, prefix)); } catch { /* none */ }
    try { // exclusive create: of two processes racing for one prefix, one wins
      writeFileSync(join(REGISTRY, prefix), JSON.stringify({ pid: process.pid, start: procStart(process.pid) } satisfies Owner), { flag: 'wx' });
    } catch { continue; }
    for (const ns of listNetns()) if (familyRe.exec(ns)?.[0] === prefix) destroyNetnsSync(ns);
    activePrefixes.add(prefix);
    return prefix;
  }
  throw new Error('netns: no free prefix');
}

class TopologyImpl implements Topology {
  readonly prefix: string;
  readonly dir: string;
  readonly namespaces: string[] = [];
  private procs: NsProcess[] = [];
  private vethCount = new Map<string, number>();
  private done = false;

  constructor() {
    this.prefix = claimPrefix();
    this.dir = mkdtempSync(join(tmpdir(), `webswan-${this.prefix}-`));
    activeTopologies.add(this);
  }

  async addNamespaces(...names: string[]): Promise<string[]> {
    const full: string[] = [];
    for (const n of names) {
      const ns = `${this.prefix}${n}`;
      if (!/^[a-z]/i.test(n) || ns.length > 13) throw new Error(`netns: bad namespace name ${n} (letter first, short)`);
      this.namespaces.push(ns); // before creating: cleanup must see it even if the next step fails
      await run('ip', ['netns', 'add', ns], { check: true });
      await ipIn(ns, 'link', 'set', 'lo', 'up');
      full.push(ns);
    }
    return full;
  }

  private ifname(ns: string): string {
    const i = this.vethCount.get(ns) ?? 0;
    this.vethCount.set(ns, i + 1);
    return `${ns}${i}`;
  }

  async addVeth(a: VethEnd, b: VethEnd): Promise<[string, string]> {
    for (const e of [a, b]) if (!this.namespaces.includes(e.ns)) throw new Error(`netns: ${e.ns} is not part of this topology`);
    const ia = a.ifname ?? this.ifname(a.ns), ib = b.ifname ?? this.ifname(b.ns);
    for (const n of [ia, ib]) if (n.length > 15 || !n.startsWith(this.prefix)) throw new Error(`netns: bad interface name ${n}`);
    // created inside the namespaces: nothing ever appears in the host's namespace
    await run('ip', ['link', 'add', ia, 'netns', a.ns, 'type', 'veth', 'peer', 'name', ib, 'netns', b.ns], { check: true });
    for (const [e, n] of [[a, ia], [b, ib]] as const) {
      if (e.addr) await ipIn(e.ns, 'addr', 'add', e.addr, 'dev', n);
      await ipIn(e.ns, 'link', 'set', n, 'up');
    }
    return [ia, ib];
  }

  async addAddress(ns: string, addr: string, dev = 'lo'): Promise<void> {
    await ipIn(ns, 'addr', 'add', addr, 'dev', dev);
  }

  exec(ns: string, cmd: string, args: string[], opts?: RunOptions): Promise<RunResult> {
    return nsExec(ns, cmd, args, opts);
  }

  spawn(ns: string | null, cmd: string, args: string[], opts: SpawnOptions = {}): NsProcess {
    const name = opts.name ?? cmd.split('/').pop()!;
    const p = spawnIn(ns, cmd, args, { logFile: join(this.dir, `${name}.log`), ...opts, name });
    this.procs.push(p);
    return p;
  }

  async cleanup(): Promise<void> {
    if (this.done) return;
    // the namespaces' own processes first, gracefully (charon removes its TUN device and routes)
    await Promise.all(this.procs.map((p) => p.stop('SIGTERM', 2000)));
    this.cleanupSync();
  }

  cleanupSync(): void {
    if (this.done) return;
    for (const p of this.procs) if (p.running) try { p.child.kill('SIGKILL'); } catch { /* */ }
    for (const ns of this.namespaces) destroyNetnsSync(ns);
    // belt and braces: a veth end that somehow landed in the host namespace
    for (const l of listHostLinks()) if (familyRe.exec(l)?.[0] === this.prefix) spawnSync('ip', ['link', 'del', l]);
    try { unlinkSync(join(REGISTRY, this.prefix)); } catch { /* */ }
    activePrefixes.delete(this.prefix);
    activeTopologies.delete(this);
    this.done = true;
  }
}

export interface TopologyOptions {
  /** Keep the temporary directory: 'always', 'never', or 'on-failure' (default; the error message names it). WEBSWAN_KEEP_NETNS_DIR=1 forces 'always'. */
  keepDir?: 'always' | 'never' | 'on-failure';
}

/**
 * Run fn with a fresh topology and always clean it up: processes killed, namespaces (and with them the
 * veths) deleted — also on exceptions, and on process exit or SIGINT/SIGTERM. Stale leftovers of crashed
 * earlier runs are removed first.
 */
export async function withTopology<T>(fn: (topo: Topology) => Promise<T>, opts: TopologyOptions = {}): Promise<T> {
  if (!canUseNetns()) throw new Error('netns: needs root and a working `ip netns` (check canUseNetns() first)');
  installHandlers();
  cleanupStale();
  const topo = new TopologyImpl();
  const keep = process.env.WEBSWAN_KEEP_NETNS_DIR === '1' ? 'always' : opts.keepDir ?? 'on-failure';
  let failed = false;
  try {
    return await fn(topo);
  } catch (e) {
    failed = true;
    if (keep !== 'never' && e instanceof Error) e.message += `\n(netns: test files kept in ${topo.dir})`;
    throw e;
  } finally {
    await topo.cleanup();
    if (keep === 'never' || (keep === 'on-failure' && !failed)) rmSync(topo.dir, { recursive: true, force: true });
  }
}

/** Synchronous helper for ad-hoc scripts: the names of the namespaces that exist now. */
export function netnsList(): string[] { return listNetns(); }
