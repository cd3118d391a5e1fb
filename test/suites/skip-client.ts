// Dynamic PPK over SKIP (draft-cisco-skip-02) between two in-process routers, each with its own key server
// (src/skip/server.ts) and the pair between them simulated as a QKD link (src/skip/pair.ts); and the
// SkipClient alone against that server and against broken ones. No network: the routers' keySourceFetch
// hands the request to the KeyServer object.
import { VirtualTime } from '../../src/util/clock.js';
import { env } from '../support/env.js';
import { equal, ok } from '../support/assert.js';
import { SimWire, pairConfig, routerFromText, run, until } from '../support/sim.js';
import type { Router, RouterOptions } from '../../src/router/router.js';
import { KeyServer } from '../../src/skip/server.js';
import { KeyPair } from '../../src/skip/pair.js';
import { SkipClient, SkipFailure, type SkipFetch } from '../../src/skip/client.js';
import { showSksProfiles } from '../../src/cli/show/ipsec.js';
import { hex } from '../../src/crypto/bytes.js';

const KME_A = '192.0.2.34', KME_B = '192.0.2.35', PORT = 10001;

function random(n: number): Uint8Array { const b = new Uint8Array(n); crypto.getRandomValues(b); return b; }

/** Two key servers KP_A and KP_B joined by a simulated QKD link. */
function keyServers(time: VirtualTime, remoteA: string[] = ['KP_B'], remoteB: string[] = ['KP_A']) {
  const link = new KeyPair({ a: 'KP_A', b: 'KP_B' });
  const kpA = new KeyServer({ localSystemID: 'KP_A', remoteSystemIDs: remoteA, pair: link.a, random, clock: time });
  const kpB = new KeyServer({ localSystemID: 'KP_B', remoteSystemIDs: remoteB, pair: link.b, random, clock: time });
  return { link, kpA, kpB };
}

/** A fetch that reaches `server` (any host: each router has its own fetch), recording every URL. */
function fetchTo(server: KeyServer, log: string[] = []): SkipFetch & { log: string[] } {
  const f = async (url: string, init?: RequestInit) => { log.push(url); return server.fetch(new Request(url, init)); };
  return Object.assign(f, { log });
}

const unreachable: SkipFetch = async () => { throw new TypeError('connect ECONNREFUSED'); };

/** Replace the answer to requests whose path matches `path` by `status` (the rest goes to `inner`). */
function failing(inner: SkipFetch, path: RegExp, status: number, body = '{"status":0,"message":"injected"}'): SkipFetch {
  return async (url, init) => (path.test(new URL(url).pathname) ? new Response(body, { status }) : inner(url, init));
}

interface DynOptions {
  ppkA?: string; ppkB?: string;
  /** Replace or wrap a router's fetch (given the fetch to its own key server). */
  fetchA?: (own: SkipFetch) => SkipFetch; fetchB?: (own: SkipFetch) => SkipFetch;
  optsA?: Partial<RouterOptions>; optsB?: Partial<RouterOptions>;
  remoteA?: string[]; remoteB?: string[];
}

async function dynPair(o: DynOptions = {}) {
  const { core } = await env();
  const time = new VirtualTime();
  const wire = new SimWire(time, 7);
  const kp = keyServers(time, o.remoteA, o.remoteB);
  const fa = fetchTo(kp.kpA), fb = fetchTo(kp.kpB);
  const sks = (ip: string) => `sks profile Qkd type remote\n kme server ipv4 ${ip} port ${PORT}\n!\n`;
  const a = routerFromText(core, time, wire, pairConfig('A', { ppkA: o.ppkA ?? 'ppk dynamic Qkd required' }) + sks(KME_A),
    { keySourceFetch: o.fetchA ? o.fetchA(fa) : fa, ...o.optsA });
  const b = routerFromText(core, time, wire, pairConfig('B', { ppkB: o.ppkB ?? 'ppk dynamic Qkd required' }) + sks(KME_B),
    { keySourceFetch: o.fetchB ? o.fetchB(fb) : fb, ...o.optsB });
  return { time, wire, a, b, ...kp, fa, fb };
}

function upActive(r: Router): boolean { return r.ops.ikeSessions().some((s) => s.status === 'UP-ACTIVE'); }
function qr(r: Router): string | undefined { return r.ops.ikeSessions()[0]?.ikeSas[0]?.quantumResistance; }
function trace(r: Router): string { return r.traceLog.map((e) => e.text).join('\n'); }

async function pingOk(time: VirtualTime, r: Router, dst: string, count = 3): Promise<number> {
  let n = 0, done = false;
  void r.ops.ping({ destination: dst, count, size: 100, timeoutSec: 2 }, (x) => { if (x.ok) n++; }).then(() => { done = true; });
  await until(time, () => done, 60_000, 'ping to finish');
  return n;
}

export function skipClientSuite(): void {
  describe('SKIP client: dynamic PPK between two routers, each with its own key server', () => {
    it('both required: up, "Enabled with dynamic PPK", same PPK on both sides (ping), the draft flow on the wire', async () => {
      const { time, a, b, fa, fb, kpA, kpB } = await dynPair();
      await until(time, () => upActive(a) && upActive(b), 20_000, 'UP-ACTIVE with dynamic PPK');
      equal(qr(a), 'Enabled with dynamic PPK', 'A quantum resistance');
      equal(qr(b), 'Enabled with dynamic PPK', 'B quantum resistance');
      equal(await pingOk(time, a, '192.0.2.2'), 3, 'ping A→B through PPK-derived keys');
      equal(await pingOk(time, b, '192.0.2.1'), 3, 'ping B→A');
      // A: its own capabilities, then a new key for B's KP (learnt from B's USE_PPK data)
      ok(fa.log.some((u) => u === `https://${KME_A}:${PORT}/capabilities`), `A asked its KP for capabilities: ${fa.log.join(' ')}`);
      const newKey = fa.log.find((u) => /\/key\?/.test(u));
      equal(newKey, `https://${KME_A}:${PORT}/key?remoteSystemID=KP_B`, 'A: GET /key?remoteSystemID=KP_B');
      // B: the key by id for A's KP (learnt from A's USE_PPK data); the keyId went as ASCII hex in PPK_IDENTITY
      const byId = fb.log.find((u) => /\/key\/[0-9a-f]+\?/.test(u));
      ok(byId && /remoteSystemID=KP_A$/.test(byId), `B: GET /key/{keyId}?remoteSystemID=KP_A (${byId})`);
      const keyId = /\/key\/([0-9a-f]+)\?/.exec(byId!)![1];
      ok(trace(b).includes(`using PPK for PPK_ID '${keyId}'`), 'the PPK_ID is the keyId as ASCII hex');
      equal(kpA.stats.issued, 1, 'KP_A issued one key');
      equal(kpB.stats.delivered, 1, 'KP_B delivered it once');
      // keyId one-shot: asking again for the same keyId is refused (the KP zeroized it)
      const again = new SkipClient({ profile: 'T', server: { host: KME_B, port: PORT }, fetch: fb, time });
      let err: unknown;
      try { await again.keyById(keyId, 'KP_A'); } catch (e) { err = e; }
      ok(err instanceof SkipFailure && err.kind === 'http' && err.status === 400, `second GET /key/${keyId} refused with 400: ${err}`);
      // show sks profile from the counters
      const shown = showSksProfiles(a.ops.sksProfiles()).join('\n');
      ok(/Reachability\s+: Reachable/.test(shown), shown);
      ok(/Local System ID\s+: KP_A/.test(shown) && /Remote System ID\s+: KP_B/.test(shown), shown);
      ok(/Keys fetched\s+: 1/.test(shown) && /Keys failed\s+: 0/.test(shown), shown);
      ok(/KME Server\s+: 192\.0\.2\.34:10001/.test(shown), shown);
      const shownB = showSksProfiles(b.ops.sksProfiles(), 'Qkd').join('\n');
      ok(/Local System ID\s+: KP_B/.test(shownB) && /Keys fetched\s+: 1/.test(shownB), shownB);
    });

    it('raw keyId on the wire and no data in USE_PPK (the configurable choices): up with dynamic PPK', async () => {
      const opts: Partial<RouterOptions> = { dynamicPpk: { keyIdEncoding: 'raw', usePpkData: 'none' } };
      const { time, a, b, fb } = await dynPair({ optsA: opts, optsB: opts });
      await until(time, () => upActive(a) && upActive(b), 20_000, 'UP-ACTIVE (raw keyId, empty USE_PPK)');
      equal(qr(a), 'Enabled with dynamic PPK', 'A');
      equal(qr(b), 'Enabled with dynamic PPK', 'B');
      equal(await pingOk(time, a, '192.0.2.2'), 3, 'ping');
      ok(fb.log.some((u) => /\/key\/[0-9a-f]{32}\?remoteSystemID=KP_A$/.test(u)), 'B found KP_A as its KP\'s only remote system ID');
    });

    it('no data in USE_PPK and a KP with several remote system IDs: the trace says why there is no PPK', async () => {
      const opts: Partial<RouterOptions> = { dynamicPpk: { usePpkData: 'none' } };
      const { time, a, b } = await dynPair({ optsA: opts, optsB: opts, remoteA: ['KP_B', 'KP_C'] });
      await run(time, 5000);
      ok(!upActive(a) && !upActive(b), 'nothing up');
      ok(/PPK required but not available: cannot tell the peer's key source: .*lists 2 remote system IDs \(KP_B, KP_C\)/.test(trace(a)), trace(a));
    });

    it('key source unreachable, PPK required: the SA fails and the trace says why; show sks profile says Unreachable', async () => {
      const { time, a, b } = await dynPair({ fetchA: () => unreachable });
      await run(time, 5000);
      ok(!upActive(a) && !upActive(b), 'nothing up');
      ok(trace(a).includes(`PPK required but not available: key source ${KME_A}:${PORT} (sks profile Qkd) is unreachable: connect ECONNREFUSED`), trace(a));
      const shown = showSksProfiles(a.ops.sksProfiles()).join('\n');
      ok(/Reachability\s+: Unreachable/.test(shown) && /Keys failed\s+: [1-9]/.test(shown) && /Last error\s+: .*ECONNREFUSED/.test(shown), shown);
    });

    it('key source unreachable, PPK not required: up without PPK (Quantum resistance Disabled)', async () => {
      const { time, a, b } = await dynPair({ fetchA: () => unreachable, ppkA: 'ppk dynamic Qkd', ppkB: 'ppk dynamic Qkd' });
      await until(time, () => upActive(a) && upActive(b), 20_000, 'UP-ACTIVE without PPK');
      equal(qr(a), 'Disabled', 'A');
      equal(qr(b), 'Disabled', 'B');
      ok(/no PPK \(key source .* is unreachable.*\): continuing without \(PPK not required\)/.test(trace(a)), trace(a));
      equal(await pingOk(time, a, '192.0.2.2'), 3, 'ping');
    });

    it("responder's key source answers 500, PPK not required: NO_PPK_AUTH fallback, up without PPK", async () => {
      const { time, a, b } = await dynPair({ ppkA: 'ppk dynamic Qkd', ppkB: 'ppk dynamic Qkd', fetchB: (own) => failing(own, /^\/key\//, 500) });
      await until(time, () => upActive(a) && upActive(b), 20_000, 'UP-ACTIVE via NO_PPK_AUTH');
      equal(qr(a), 'Disabled', 'A');
      equal(qr(b), 'Disabled', 'B');
      ok(/answered GET \/key\/[0-9a-f]+ with HTTP 500 \(key provider internal error\): injected/.test(trace(b)), trace(b));
      ok(/using NO_PPK_AUTH/.test(trace(b)), 'B used NO_PPK_AUTH');
    });

    for (const [status, path, who, re] of [
      [503, /^\/key$/, 'A', /PPK required but not available: .*GET \/key with HTTP 503 \(key provider out of entropy or keys\)/],
      [404, /^\/capabilities$/, 'A', /PPK required but not available: .*GET \/capabilities with HTTP 404 \(no such SKIP path\)/],
      [400, /^\/key\//, 'B', /PPK '[0-9a-f]+' not available: .*HTTP 400 \(malformed keyId or key not found\)[\s\S]*AUTHENTICATION_FAILED: PPK required/],
    ] as const) {
      it(`HTTP ${status} on ${path.source} with PPK required: no SA, the trace on ${who} names the status`, async () => {
        const wrap = (own: SkipFetch) => failing(own, path, status);
        const { time, a, b } = await dynPair(who === 'A' ? { fetchA: wrap } : { fetchB: wrap });
        await run(time, 5000);
        ok(!upActive(a) && !upActive(b), 'nothing up');
        const t = trace(who === 'A' ? a : b);
        ok(re.test(t), t);
      });
    }

    it('a slow key link: the responder\'s KP answers 503 + Retry-After, the client retries and the SA comes up with the PPK', async () => {
      const { time, a, b, link, fb } = await dynPair();
      await link.slow(500);
      await until(time, () => upActive(a) && upActive(b), 20_000, 'UP-ACTIVE after a retry');
      equal(qr(b), 'Enabled with dynamic PPK', 'B');
      equal(fb.log.filter((u) => /\/key\/[0-9a-f]+\?/.test(u)).length, 2, 'one 503, one retry');
    });

    it('a key source that never answers: timeout (injected timers) fails the required PPK', async () => {
      const hang: SkipFetch = () => new Promise<Response>(() => {});
      const { time, a, b } = await dynPair({ fetchA: () => hang });
      await run(time, 10_000);
      ok(!upActive(a) && !upActive(b), 'nothing up');
      ok(/PPK required but not available: key source 192\.0\.2\.34:10001 \(sks profile Qkd\) did not answer GET \/capabilities within 3000 ms/.test(trace(a)), trace(a));
    });
  });

  describe('SkipClient against the key server and broken ones', () => {
    it('capabilities (cached), newKey with size, keyById, counters', async () => {
      const time = new VirtualTime();
      const { kpA, kpB } = keyServers(time);
      const fa = fetchTo(kpA), fb = fetchTo(kpB);
      const ca = new SkipClient({ profile: 'A', server: { host: 'kme-a.lab', port: 443 }, fetch: fa, time });
      const cb = new SkipClient({ profile: 'B', server: { host: '2001:db8::34', port: 10001 }, fetch: fb, time });
      equal(ca.counters.reachability, 'Not contacted', 'before');
      const caps = await ca.capabilities();
      equal(caps.localSystemID, 'KP_A', 'localSystemID');
      equal(caps.remoteSystemID.join(), 'KP_B', 'remoteSystemID');
      await ca.capabilities();
      equal(fa.log.filter((u) => u.endsWith('/capabilities')).length, 1, 'capabilities cached');
      equal(await ca.soleRemoteSystemId(), 'KP_B', 'sole remote');
      const k = await ca.newKey('KP_B', 512);
      equal(k.key.length, 64, '512-bit key');
      ok(fa.log.includes('https://kme-a.lab:443/key?remoteSystemID=KP_B&size=512'), fa.log.join(' '));
      const k2 = await cb.keyById(k.keyId.toUpperCase(), 'KP_A');
      equal(hex(k2.key), hex(k.key), 'the same key on both ends');
      ok(fb.log.some((u) => u.startsWith('https://[2001:db8::34]:10001/key/')), 'IPv6 host in brackets');
      equal(ca.counters.keysFetched, 1, 'A fetched');
      equal(cb.counters.keysFetched, 1, 'B fetched');
      equal(ca.counters.reachability, 'Reachable', 'reachable');
    });

    it('malformed answers become typed failures with clear messages', async () => {
      const time = new VirtualTime();
      const canned = (status: number, body: string): SkipFetch => async () => new Response(body, { status });
      const cases: [SkipFetch, 'capabilities' | 'newKey', string, RegExp][] = [
        [canned(200, 'not json'), 'capabilities', 'malformed', /body that is not JSON/],
        [canned(200, '{"entropy":true,"key":true,"algorithm":"QKD","localSystemID":"X","remoteSystemID":[]}'), 'capabilities', 'malformed', /"remoteSystemID" is not a non-empty array/],
        [canned(200, '{"entropy":true,"key":true,"algorithm":"QKD","remoteSystemID":["Y"]}'), 'capabilities', 'malformed', /"localSystemID"/],
        [canned(503, ''), 'capabilities', 'http', /HTTP 503/],
        [unreachable, 'capabilities', 'unreachable', /is unreachable: connect ECONNREFUSED/],
      ];
      for (const [fetch, what, kind, re] of cases) {
        const c = new SkipClient({ profile: 'P', server: { host: '192.0.2.34', port: 10001 }, fetch, time });
        let err: unknown;
        try { await (what === 'capabilities' ? c.capabilities() : c.newKey('KP_B')); } catch (e) { err = e; }
        ok(err instanceof SkipFailure && err.kind === kind && re.test(err.message), `${kind}: ${err}`);
        ok(c.counters.lastError === (err as Error).message, 'last error kept');
      }
      // a key body without a hex key
      let n = 0;
      const keyBad: SkipFetch = async (url) => new Response(new URL(url).pathname === '/capabilities'
        ? '{"entropy":true,"key":true,"algorithm":"QKD","localSystemID":"X","remoteSystemID":["Y"]}' : (n++, '{"keyId":"abcd","key":"xyz"}'));
      const c = new SkipClient({ profile: 'P', server: { host: '192.0.2.34', port: 10001 }, fetch: keyBad, time });
      let err: unknown;
      try { await c.newKey('Y'); } catch (e) { err = e; }
      ok(err instanceof SkipFailure && /"key" is not a hex string/.test(err.message), String(err));
      equal(c.counters.keysFailed, 1, 'counted as failed');
      equal(n, 1, 'one key request');
      // no transport at all
      const none = new SkipClient({ profile: 'P', server: { host: '192.0.2.34', port: 10001 }, time });
      try { await none.capabilities(); err = undefined; } catch (e) { err = e; }
      ok(err instanceof SkipFailure && /no key source transport/.test(err.message), String(err));
    });

    it('timeout via the injected timers', async () => {
      const time = new VirtualTime();
      const c = new SkipClient({ profile: 'P', server: { host: '192.0.2.34', port: 10001 }, fetch: () => new Promise(() => {}), time, timeoutMs: 500 });
      let err: unknown;
      const p = c.capabilities().catch((e) => { err = e; });
      await run(time, 600);
      await p;
      ok(err instanceof SkipFailure && err.kind === 'timeout' && /within 500 ms/.test(err.message), String(err));
      equal(c.counters.reachability, 'Unreachable', 'unreachable after a timeout');
    });
  });
}
