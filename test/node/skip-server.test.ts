// node:test entry: the SKIP key server (src/skip) — the conformance suite in process and over the Node
// HTTPS `webswan kme` with TLS-PSK (TLS 1.2 DHE-PSK-AES256-CBC-SHA384, a PSK client in node:https), plus what
// only an in-process server can show: 500 from a failing store, zeroized key buffers, /entropy switched
// off; TLS 1.3 PSK, certificates, wrong PSKs, each listener with its own PSK (--peer-psk-*: a client with
// the other end's PSK fails the handshake; without it one PSK serves both); and the `webswan kme` command
// itself (dist/node).
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from './env-node.js';
import { KeyPair } from '../../src/skip/pair.js';
import { KeyServer, globToRegExp } from '../../src/skip/server.js';
import { MemoryPairStorage, type StoredKey } from '../../src/skip/storage.js';
import { parseKmeArgs, startKme, type KmeHandle } from '../../src/runtime/node/kme-cmd.js';
import { SKIP_SUITE_CONFIG, skipServerSuite, type SkipFetch, type SkipTarget } from '../suites/skip-server.js';
import { equal, ok, throws } from '../support/assert.js';

const C = SKIP_SUITE_CONFIG;
const PSK_HEX = '6b6d652d7073' + '5a'.repeat(26);
const PSK = { identity: 'router-a', key: Buffer.from(PSK_HEX, 'hex') };
/** KP_B's own PSK (--peer-psk-*): router B's credential. */
const PEER_PSK_HEX = '6b6d652d62' + 'c3'.repeat(27);
const PEER_PSK = { identity: 'router-b', key: Buffer.from(PEER_PSK_HEX, 'hex') };
const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));

function inProcess(opts: { storage?: MemoryPairStorage; entropy?: boolean; random?: (n: number) => Uint8Array } = {}) {
  const pair = new KeyPair({ a: C.a.id, b: C.b.id, storage: opts.storage });
  const mk = (cfg: { id: string; remotes: readonly string[] }) => new KeyServer({
    localSystemID: cfg.id, remoteSystemIDs: [...cfg.remotes], pair: pair.end(cfg.id), random: opts.random ?? random, entropy: opts.entropy,
  });
  const a = mk(C.a), b = mk(C.b);
  const f = (s: KeyServer): SkipFetch => (path, init) => s.fetch(new Request(`http://kp${path}`, { method: init?.method ?? 'GET' }));
  return { pair, servers: { a, b }, a: f(a), b: f(b) };
}

function pairLink(pair: KeyPair): SkipTarget['link'] {
  return {
    cut: async () => { await pair.cut(); },
    restore: async () => { await pair.restore(); },
    slow: async (ms) => { await pair.slow(ms); },
    budget: async (bits) => { await pair.budget(bits); },
  };
}

interface TlsClient { psk?: { identity: string; key: Buffer }; ciphers?: string; version?: 'TLSv1.2' | 'TLSv1.3'; ca?: Buffer }

/** A fetch-like client over node:https, TLS-PSK or certificates, keep-alive. */
function httpsFetch(port: number, tls: TlsClient, seen?: { cipher?: string; protocol?: string }): SkipFetch & { agent: Agent } {
  const agent = new Agent({
    keepAlive: true, maxSockets: 32,
    ...(tls.psk ? { pskCallback: () => ({ identity: tls.psk!.identity, psk: tls.psk!.key }), checkServerIdentity: () => undefined } : {}),
    ...(tls.ca ? { ca: tls.ca, checkServerIdentity: () => undefined } : {}),
    ciphers: tls.ciphers, minVersion: tls.version, maxVersion: tls.version,
  } as ConstructorParameters<typeof Agent>[0]);
  const f = (path: string, init?: { method?: string }) => new Promise<Response>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: init?.method ?? 'GET', agent }, (res) => {
      const chunks: Buffer[] = [];
      if (seen) {
        const s = res.socket as import('node:tls').TLSSocket;
        seen.cipher = s.getCipher?.().name;
        seen.protocol = s.getProtocol?.() ?? undefined;
      }
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
        const body = init?.method === 'HEAD' ? null : Buffer.concat(chunks);
        resolve(new Response(body, { status: res.statusCode!, headers }));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
  return Object.assign(f, { agent });
}

// ---- in process ------------------------------------------------------------------------------------

{
  const t = inProcess();
  skipServerSuite('in process', () => ({ a: t.a, b: t.b, link: pairLink(t.pair) }));
}

describe('SKIP key server (in process only)', () => {
  it('zeroizes the stored key once delivered, and the issuing copy at once', async () => {
    const storage = new MemoryPairStorage();
    const stored: StoredKey[] = [];
    const put = storage.putKey.bind(storage);
    storage.putKey = async (owner, keyId, k) => { stored.push(k); return put(owner, keyId, k); };
    const issuedBuffers: Uint8Array[] = [];
    const t = inProcess({ storage, random: (n) => { const b = random(n); issuedBuffers.push(b); return b; } });
    const k = await (await t.a(`/key?remoteSystemID=${C.b.id}`)).json();
    ok(issuedBuffers.some((b) => b.length === 32 && b.every((x) => x === 0)), "issuing end's key buffer wiped");
    equal(stored.length, 1, 'one key sent over the link');
    ok(stored[0].key.some((x) => x !== 0), 'waiting key intact');
    equal((await (await t.b(`/key/${k.keyId}?remoteSystemID=${C.a.id}`)).json()).key, k.key, 'delivered');
    ok(stored[0].key.every((x) => x === 0), 'delivered key zeroized');
    equal(await storage.pendingCount(C.b.id), 0, 'nothing left at B');
  });

  it('500 with a SKIP error body when the store fails, and when no fresh keyId can be drawn', async () => {
    const storage = new MemoryPairStorage();
    storage.takeKey = async () => { throw new Error('disk on fire'); };
    const t = inProcess({ storage });
    const res = await t.b(`/key/${'ab'.repeat(16)}?remoteSystemID=${C.a.id}`);
    equal(res.status, 500, 'store failure');
    equal(res.headers.get('content-type'), 'application/json', 'content-type');
    equal(JSON.stringify(await res.json()), '{"status":500,"message":"internal error"}', 'body hides the cause');
    equal(t.servers.b.stats.errors, 1, 'counted');
    const stuck = inProcess({ random: (n) => new Uint8Array(n).fill(7) });
    equal((await stuck.a(`/key?remoteSystemID=${C.b.id}`)).status, 200, 'first keyId');
    equal((await stuck.a(`/key?remoteSystemID=${C.b.id}`)).status, 500, 'the same keyId again is never issued');
  });

  it('/entropy switched off: capabilities say so, GET /entropy is 503', async () => {
    const t = inProcess({ entropy: false });
    equal((await (await t.a('/capabilities')).json()).entropy, false, 'capabilities');
    const res = await t.a('/entropy');
    equal(res.status, 503, 'status');
    equal(JSON.stringify(await res.json()), '{"status":503,"message":"no entropy source"}', 'body');
  });

  it('globs follow fnmatch: *, ?, [list], [!list], ranges, literal metacharacters', () => {
    const m = (g: string, s: string) => globToRegExp(g).test(s);
    ok(m('KP_*_LOC1', 'KP_EAST_LOC1') && !m('KP_*_LOC1', 'KP_EAST_LOC2'), '*');
    ok(m('KP_?', 'KP_A') && !m('KP_?', 'KP_AB') && !m('KP_?', 'KP_'), '?');
    ok(m('KP_[AB]', 'KP_B') && !m('KP_[AB]', 'KP_C'), '[list]');
    ok(m('KP_[!AB]', 'KP_C') && !m('KP_[!AB]', 'KP_A'), '[!list]');
    ok(m('KP_[0-9]', 'KP_7') && !m('KP_[0-9]', 'KP_x'), 'range');
    ok(m('a.b+(c)', 'a.b+(c)') && !m('a.b', 'axb'), 'regex metacharacters are literal');
    ok(m('[]]', ']') && m('x[', 'x['), "']' first in a list, unclosed '['");
  });

  it('refuses bad configuration', () => {
    const pair = new KeyPair({ a: 'A', b: 'B' });
    throws(() => new KeyServer({ localSystemID: 'A', remoteSystemIDs: [], pair: pair.a, random }), 'no remotes');
    throws(() => new KeyServer({ localSystemID: 'B', remoteSystemIDs: ['A'], pair: pair.a, random }), 'wrong end');
    throws(() => new KeyPair({ a: 'A', b: 'A' }), 'same IDs');
  });

  it('parses `webswan kme` options', () => {
    const a = parseKmeArgs(['--listen', '127.0.0.1:10001', '--id', 'KP_A', '--peer', 'KP_B@[::1]:10002', '--psk-identity', 'r1', '--psk-hex', PSK_HEX]);
    ok(typeof a !== 'string', String(a));
    equal(a.peer.host, '::1', 'IPv6 peer');
    equal(a.remoteIds.join(), 'KP_B', 'remote defaults to the peer');
    equal(a.peerRemoteIds.join(), 'KP_A', "peer's remote defaults to us");
    for (const bad of [[], ['--listen', 'x'], ['--listen', '127.0.0.1:1', '--id', 'A', '--peer', 'B@127.0.0.1:2'],
      ['--listen', '127.0.0.1:1', '--id', 'A', '--peer', 'A@127.0.0.1:2', '--psk-identity', 'i', '--psk-hex', PSK_HEX],
      ['--listen', '127.0.0.1:1', '--id', 'A', '--peer', 'B@127.0.0.1:2', '--psk-identity', 'i', '--psk-hex', 'abcd']]) {
      equal(typeof parseKmeArgs(bad), 'string', `refused: ${bad.join(' ')}`);
    }
  });

  it('parses --peer-psk-identity/--peer-psk-hex (or WEBSWAN_KME_PEER_PSK_HEX); without them KP_B has no PSK of its own', () => {
    const base = ['--listen', '127.0.0.1:1', '--id', 'A', '--peer', 'B@127.0.0.1:2', '--psk-identity', 'ra', '--psk-hex', PSK_HEX];
    const one = parseKmeArgs(base);
    ok(typeof one !== 'string' && one.peerPsk === undefined, 'default: the same PSK serves KP_B');
    const two = parseKmeArgs([...base, '--peer-psk-identity', 'rb', '--peer-psk-hex', PEER_PSK_HEX]);
    ok(typeof two !== 'string', String(two));
    equal(`${two.psk!.identity} ${two.psk!.key.toString('hex')}`, `ra ${PSK_HEX}`, "KP_A's PSK");
    equal(`${two.peerPsk!.identity} ${two.peerPsk!.key.toString('hex')}`, `rb ${PEER_PSK_HEX}`, "KP_B's PSK");
    const saved = process.env.WEBSWAN_KME_PEER_PSK_HEX;
    process.env.WEBSWAN_KME_PEER_PSK_HEX = PEER_PSK_HEX;
    try {
      const env = parseKmeArgs([...base, '--peer-psk-identity', 'rb']);
      ok(typeof env !== 'string' && env.peerPsk?.key.toString('hex') === PEER_PSK_HEX, 'from the environment');
    } finally {
      if (saved === undefined) delete process.env.WEBSWAN_KME_PEER_PSK_HEX; else process.env.WEBSWAN_KME_PEER_PSK_HEX = saved;
    }
    for (const [bad, why] of [[['--peer-psk-identity', 'rb'], 'go together'], [['--peer-psk-hex', PEER_PSK_HEX], 'go together'],
      [['--peer-psk-identity', 'rb', '--peer-psk-hex', 'abcd'], "peer's PSK must be 16 to 256 bytes"]] as const) {
      const r = parseKmeArgs([...base, ...bad]);
      ok(typeof r === 'string' && r.includes(why), `refused: ${bad.join(' ')}: ${String(r)}`);
    }
    const noOwn = parseKmeArgs(['--listen', '127.0.0.1:1', '--id', 'A', '--peer', 'B@127.0.0.1:2', '--peer-psk-identity', 'rb', '--peer-psk-hex', PEER_PSK_HEX]);
    ok(typeof noOwn === 'string' && noOwn.includes('TLS needs a PSK'), `KP_A needs a credential too: ${String(noOwn)}`);
  });
});

// ---- Node HTTPS, TLS-PSK -------------------------------------------------------------------------

{
  let h: KmeHandle;
  let target: SkipTarget;
  const seen: { cipher?: string; protocol?: string } = {};
  describe('webswan kme over TLS-PSK', () => {
    before(async () => {
      const a = parseKmeArgs(['--listen', '127.0.0.1:0', '--id', C.a.id, '--peer', `${C.b.id}@127.0.0.1:0`,
        ...C.a.remotes.flatMap((r) => ['--remote-id', r]), ...C.b.remotes.flatMap((r) => ['--peer-remote-id', r]),
        '--psk-identity', PSK.identity, '--psk-hex', PSK_HEX]);
      if (typeof a === 'string') throw new Error(a);
      h = await startKme(a);
      const tls: TlsClient = { psk: PSK, ciphers: 'DHE-PSK-AES256-CBC-SHA384', version: 'TLSv1.2' };
      target = { a: httpsFetch(h.addresses.a.port, tls, seen), b: httpsFetch(h.addresses.b.port, tls), link: pairLink(h.pair) };
    });
    after(async () => {
      (target.a as ReturnType<typeof httpsFetch>).agent.destroy();
      (target.b as ReturnType<typeof httpsFetch>).agent.destroy();
      await h.close();
    });
    it('negotiates the draft\'s TLS 1.2 PSK suite', async () => {
      equal((await target.a('/capabilities')).status, 200, 'capabilities');
      equal(seen.cipher, 'DHE-PSK-AES256-CBC-SHA384', 'cipher');
      equal(seen.protocol, 'TLSv1.2', 'protocol');
    });
    skipServerSuite('Node HTTPS, TLS 1.2 PSK', () => target);
  });
}

describe('webswan kme TLS variants', () => {
  const start = async (extra: string[]) => {
    const a = parseKmeArgs(['--listen', '127.0.0.1:0', '--id', 'KP_A', '--peer', 'KP_B@127.0.0.1:0', ...extra]);
    if (typeof a === 'string') throw new Error(a);
    return startKme(a);
  };
  const capabilities = async (port: number, tls: TlsClient) => {
    const seen: { cipher?: string; protocol?: string } = {};
    const f = httpsFetch(port, tls, seen);
    try {
      const c = await (await f('/capabilities')).json();
      return { id: c.localSystemID as string, ...seen };
    } finally { f.agent.destroy(); }
  };

  it('TLS-PSK: the other draft suite, the IOS XE suite, TLS 1.3 (AES-128-GCM-SHA256 only); wrong PSKs fail', async () => {
    const h = await start(['--psk-identity', PSK.identity, '--psk-hex', PSK_HEX]);
    try {
      for (const [cipher, version] of [['DHE-PSK-AES256-CBC-SHA', 'TLSv1.2'], ['PSK-AES256-GCM-SHA384', 'TLSv1.2'], ['TLS_AES_128_GCM_SHA256', 'TLSv1.3']] as const) {
        const r = await capabilities(h.addresses.b.port, { psk: PSK, ciphers: cipher, version });
        equal(r.id, 'KP_B', `${cipher}: B answers`);
        equal(r.cipher, cipher, `${cipher}: negotiated`);
        equal(r.protocol, version, `${cipher}: version`);
      }
      for (const [what, psk] of [['wrong identity', { identity: 'eve', key: PSK.key }], ['wrong key', { identity: PSK.identity, key: Buffer.alloc(32, 1) }]] as const) {
        let failed = false;
        try { await capabilities(h.addresses.a.port, { psk, ciphers: 'DHE-PSK-AES256-CBC-SHA384', version: 'TLSv1.2' }); } catch { failed = true; }
        ok(failed, `${what}: handshake fails`);
      }
    } finally { await h.close(); }
  });

  it('each listener its own PSK: KP_A accepts only router A\'s, KP_B only router B\'s (TLS 1.2 and 1.3)', async () => {
    const h = await start(['--psk-identity', PSK.identity, '--psk-hex', PSK_HEX, '--peer-psk-identity', PEER_PSK.identity, '--peer-psk-hex', PEER_PSK_HEX]);
    try {
      for (const [cipher, version] of [['DHE-PSK-AES256-CBC-SHA384', 'TLSv1.2'], ['TLS_AES_128_GCM_SHA256', 'TLSv1.3']] as const) {
        equal((await capabilities(h.addresses.a.port, { psk: PSK, ciphers: cipher, version })).id, 'KP_A', `${cipher}: A with A's PSK`);
        equal((await capabilities(h.addresses.b.port, { psk: PEER_PSK, ciphers: cipher, version })).id, 'KP_B', `${cipher}: B with B's PSK`);
        const cross: [string, number, { identity: string; key: Buffer }][] = [
          ["A's PSK at KP_B", h.addresses.b.port, PSK], ["B's PSK at KP_A", h.addresses.a.port, PEER_PSK],
          ["A's identity with B's key at KP_B", h.addresses.b.port, { identity: PSK.identity, key: PEER_PSK.key }],
          ["B's identity with A's key at KP_B", h.addresses.b.port, { identity: PEER_PSK.identity, key: PSK.key }],
        ];
        for (const [what, port, psk] of cross) {
          const err = await capabilities(port, { psk, ciphers: cipher, version }).then(() => undefined, (e: unknown) => e as Error);
          ok(err !== undefined, `${cipher}: ${what}: the handshake fails`);
        }
      }
    } finally { await h.close(); }
  });

  it('certificates: ECDSA P-256, TLS 1.2 ECDHE-ECDSA-AES256-GCM-SHA384 and TLS 1.3 AES-256-GCM-SHA384', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webswan-kme-'));
    try {
      const cert = join(dir, 'kme.crt'), key = join(dir, 'kme.key');
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
        '-subj', '/CN=kme.lab', '-keyout', key, '-out', cert], { stdio: 'ignore' });
      const h = await start(['--cert', cert, '--key', key]);
      try {
        const ca = readFileSync(cert);
        const r12 = await capabilities(h.addresses.a.port, { ca, ciphers: 'ECDHE-ECDSA-AES256-GCM-SHA384', version: 'TLSv1.2' });
        equal(r12.cipher, 'ECDHE-ECDSA-AES256-GCM-SHA384', 'TLS 1.2 cipher');
        const r13 = await capabilities(h.addresses.a.port, { ca, version: 'TLSv1.3' });
        equal(r13.cipher, 'TLS_AES_256_GCM_SHA384', 'TLS 1.3 cipher');
        equal(r13.id, 'KP_A', 'A answers');
      } finally { await h.close(); }
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});

// ---- the command ---------------------------------------------------------------------------------------

describe('webswan kme (dist/node)', () => {
  const cli = join(projectRoot(), 'bin', 'webswan.mjs');
  it('serves both ends, each with its own PSK from the environment, never prints them, stops on SIGTERM', async () => {
    ok(existsSync(join(projectRoot(), 'dist', 'node', 'webswan.mjs')), 'dist/node is built');
    const child = spawn(process.execPath, [cli, 'kme', '--listen', '127.0.0.1:0', '--id', 'KP_A', '--peer', 'KP_B@127.0.0.1:0',
      '--psk-identity', PSK.identity, '--peer-psk-identity', PEER_PSK.identity],
    { env: { ...process.env, WEBSWAN_KME_PSK_HEX: PSK_HEX, WEBSWAN_KME_PEER_PSK_HEX: PEER_PSK_HEX }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { out += d; });
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    try {
      const ports = await new Promise<number[]>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no listening lines: ${out}`)), 10000);
        const check = () => {
          const ps = [...out.matchAll(/listening on https:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
          if (ps.length === 2) { clearTimeout(t); resolve(ps); }
        };
        child.stderr.on('data', check);
        void exited.then((c) => reject(new Error(`exited ${c}: ${out}`)));
      });
      const tls = (psk: TlsClient['psk']): TlsClient => ({ psk, ciphers: 'DHE-PSK-AES256-CBC-SHA384', version: 'TLSv1.2' });
      const fa = httpsFetch(ports[0], tls(PSK)), fb = httpsFetch(ports[1], tls(PEER_PSK));
      try {
        const k = await (await fa('/key?remoteSystemID=KP_B')).json();
        equal((await (await fb(`/key/${k.keyId}?remoteSystemID=KP_A`)).json()).key, k.key, 'key over the two ports');
      } finally { fa.agent.destroy(); fb.agent.destroy(); }
    } finally {
      child.kill('SIGTERM');
      equal(await exited, 0, 'exit code after SIGTERM');
    }
    ok(!out.toLowerCase().includes(PSK_HEX.toLowerCase()) && !out.toLowerCase().includes(PEER_PSK_HEX.toLowerCase()), 'PSKs never printed');
    ok(/kme KP_A listening on \S+ \(TLS-PSK identity 'router-a'\)/.test(out), `says how KP_A authenticates: ${out}`);
    ok(/kme KP_B listening on \S+ \(TLS-PSK identity 'router-b'\)/.test(out), `says how KP_B authenticates: ${out}`);
  });
});
