// SKIP key-server conformance (draft-cisco-skip-02 §3–4), one suite over every way the server runs: in
// process, the Node HTTPS `webswan kme` (TLS-PSK), and the dist/edge module under workerd and Deno. A
// target is two fetch-like functions (one per Key Provider of a pair) and the QKD link's controls; every
// target is configured as SKIP_SUITE_CONFIG says, so the glob cases mean the same everywhere.
//
//   encryptor A ── GET /key?remoteSystemID=KP_B_LOC2 ──▶ KP_A_LOC1 ══ QKD link ══▶ KP_B_LOC2
//   encryptor B ── GET /key/{keyId}?remoteSystemID=KP_A_LOC1 ──▶ KP_B_LOC2 (once)
import { equal, ok } from '../support/assert.js';

/** The pair every target runs. */
export const SKIP_SUITE_CONFIG = {
  a: { id: 'KP_A_LOC1', remotes: ['KP_B_LOC?', 'KP_[XY]*'] },
  b: { id: 'KP_B_LOC2', remotes: ['KP_A_*', 'KP_[!ABXY]_LAB'] },
} as const;

export type SkipFetch = (path: string, init?: { method?: string }) => Promise<Response>;

export interface SkipTarget {
  /** `path` is the API path with query ("/key?remoteSystemID=…"); each function reaches one end. */
  a: SkipFetch;
  b: SkipFetch;
  link: {
    cut(): Promise<void>;
    restore(): Promise<void>;
    slow(ms: number): Promise<void>;
    budget(bits: number | null): Promise<void>;
  };
  /** How many keys the keyId-uniqueness case draws (default 10,000). */
  uniqueKeys?: number;
}

const A = SKIP_SUITE_CONFIG.a.id;
const B = SKIP_SUITE_CONFIG.b.id;
const HEX = /^[0-9a-f]*$/;

async function body(res: Response, status: number, what: string): Promise<any> {
  const text = await res.text();
  equal(res.status, status, `${what}: status (body ${text.slice(0, 200)})`);
  equal(res.headers.get('content-type'), 'application/json', `${what}: content-type`);
  try { return JSON.parse(text); } catch { throw new Error(`${what}: body is not JSON: ${text.slice(0, 200)}`); }
}

async function expectError(res: Promise<Response>, status: number, what: string, message?: RegExp): Promise<any> {
  const b = await body(await res, status, what);
  equal(Object.keys(b).sort().join(','), 'message,status', `${what}: error body fields`);
  equal(b.status, status, `${what}: body.status`);
  ok(typeof b.message === 'string' && b.message.length > 0, `${what}: body.message`);
  if (message) ok(message.test(b.message), `${what}: message '${b.message}' should match ${message}`);
  return b;
}

function keyShape(k: any, keyBits: number, what: string): { keyId: string; key: string } {
  equal(Object.keys(k).sort().join(','), 'key,keyId', `${what}: key response fields`);
  ok(typeof k.keyId === 'string' && HEX.test(k.keyId), `${what}: keyId hex (${k.keyId})`);
  equal(k.keyId.length, 32, `${what}: keyId is 128 bits`);
  ok(typeof k.key === 'string' && HEX.test(k.key), `${what}: key hex`);
  equal(k.key.length, keyBits / 4, `${what}: key length in hex digits`);
  return k;
}

const newKey = (f: SkipFetch, remote: string, size?: number) =>
  f(`/key?remoteSystemID=${encodeURIComponent(remote)}${size === undefined ? '' : `&size=${size}`}`);
const keyById = (f: SkipFetch, keyId: string, remote: string) =>
  f(`/key/${keyId}?remoteSystemID=${encodeURIComponent(remote)}`);

/** A client that retries on 503 (honouring Retry-After up to `stepMs`) until `deadlineMs`. */
async function retrying(call: () => Promise<Response>, stepMs: number, deadlineMs: number, between?: (n: number) => Promise<void>) {
  const end = Date.now() + deadlineMs;
  for (let n = 0; ; n++) {
    const res = await call();
    if (res.status !== 503 || Date.now() > end) return { res, attempts: n + 1 };
    ok(res.headers.get('retry-after') !== null, '503 carries Retry-After');
    await res.arrayBuffer();
    await between?.(n);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

async function pool<T>(n: number, width: number, job: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, n) }, async () => {
    while (next < n) { const i = next++; out[i] = await job(i); }
  }));
  return out;
}

export function skipServerSuite(name: string, target: () => SkipTarget): void {
  describe(`SKIP key server conformance (${name})`, () => {
    it('GET /capabilities: the Table 4 fields, exactly, on both ends', async () => {
      const t = target();
      for (const [f, cfg] of [[t.a, SKIP_SUITE_CONFIG.a], [t.b, SKIP_SUITE_CONFIG.b]] as const) {
        const c = await body(await f('/capabilities'), 200, `${cfg.id} capabilities`);
        equal(Object.keys(c).sort().join(','), 'algorithm,entropy,key,localSystemID,remoteSystemID', 'capability fields');
        equal(c.entropy, true, 'entropy');
        equal(c.key, true, 'key');
        ok(typeof c.algorithm === 'string' && c.algorithm.length > 0 && c.algorithm.length <= 16, 'algorithm');
        equal(c.localSystemID, cfg.id, 'localSystemID');
        equal(JSON.stringify(c.remoteSystemID), JSON.stringify(cfg.remotes), 'remoteSystemID (globs as configured)');
      }
    });

    it('GET /key then GET /key/{keyId} at the other end: same key, served once (then 400)', async () => {
      const t = target();
      const k = keyShape(await body(await newKey(t.a, B), 200, 'A: new key'), 256, 'A');
      const got = keyShape(await body(await keyById(t.b, k.keyId, A), 200, 'B: key by id'), 256, 'B');
      equal(got.keyId, k.keyId, 'same keyId');
      equal(got.key, k.key, 'same key at both ends');
      await expectError(keyById(t.b, k.keyId, A), 400, 'B: second fetch of the same keyId', /not found/);
      // the issuing end keeps no copy either
      await expectError(keyById(t.a, k.keyId, B), 400, 'A: its own key by id');
      // and the other direction
      const k2 = keyShape(await body(await newKey(t.b, A), 200, 'B: new key'), 256, 'B→A');
      equal((await body(await keyById(t.a, k2.keyId.toUpperCase(), B), 200, 'A: key by id, upper-case keyId')).key, k2.key, 'B→A key');
    });

    it('GET /key size: bits, multiples of 8 within bounds; anything else 400', async () => {
      const t = target();
      for (const bits of [8, 128, 256, 512, 8192]) {
        const k = keyShape(await body(await newKey(t.a, B, bits), 200, `size=${bits}`), bits, `size=${bits}`);
        equal((await body(await keyById(t.b, k.keyId, A), 200, `B size=${bits}`)).key, k.key, `size=${bits} at B`);
      }
      for (const bad of ['0', '7', '12', '8200', '16384', '-8', 'abc', '1e3', '', '256.0', '0x100']) {
        await expectError(t.a(`/key?remoteSystemID=${B}&size=${encodeURIComponent(bad)}`), 400, `size=${bad}`, /size/);
      }
    });

    it('remoteSystemID: required, matched against the configured globs, and only the paired end gets keys', async () => {
      const t = target();
      await expectError(t.a('/key'), 400, 'no remoteSystemID', /required/);
      await expectError(t.a('/key?remoteSystemID='), 400, 'empty remoteSystemID', /required/);
      await expectError(newKey(t.a, 'KP_B_LOC22'), 400, "'?' is one character", /unknown/);
      await expectError(newKey(t.a, 'KP_Z'), 400, 'no glob matches', /unknown/);
      await expectError(newKey(t.a, 'kp_b_loc2'), 400, 'globs are case-sensitive', /unknown/);
      await expectError(newKey(t.a, 'KP_X_ANY'), 400, "'[XY]*' matches but no link to it", /no key link/);
      await expectError(newKey(t.b, 'KP_A_LAB'), 400, "'KP_A_*' matches but no link to it", /no key link/);
      const k = await body(await newKey(t.a, B), 200, 'A: new key');
      await expectError(keyById(t.b, k.keyId, 'KP_C_LAB'), 400, "'[!ABXY]' matches, but KP_C_LAB did not issue it", /not found/);
      await expectError(keyById(t.b, k.keyId, 'KP_B_LAB'), 400, "'[!ABXY]' excludes B", /unknown/);
      await expectError(keyById(t.b, k.keyId, 'Mallory'), 400, 'unknown remote', /unknown/);
      // none of the refusals consumed the key
      equal((await body(await keyById(t.b, k.keyId, A), 200, 'B: key by id after refusals')).key, k.key, 'key intact');
    });

    it('GET /key/{keyId}: malformed or unknown keyIds are 400', async () => {
      const t = target();
      for (const bad of ['xyz', 'abc', 'zz', 'a'.repeat(258), '%00', '12%2034', '', '%201234', '0x12']) {
        await expectError(t.b(`/key/${bad}?remoteSystemID=${A}`), 400, `keyId '${bad.slice(0, 20)}'`, /malformed/);
      }
      await expectError(keyById(t.b, '00'.repeat(16), A), 400, 'well-formed unknown keyId', /not found/);
      await expectError(keyById(t.b, '1726e9AE76234FB1dd1283d4dca1911e1f93864d70f3069e', A), 400, "the draft's example keyId", /not found/);
    });

    it('GET /entropy: 256 bits by default, minentropy in bits, bad values 400', async () => {
      const t = target();
      const e = await body(await t.a('/entropy'), 200, 'entropy');
      equal(Object.keys(e).sort().join(','), 'minentropy,randomStr', 'entropy fields');
      ok(HEX.test(e.randomStr) && e.randomStr.length === 64, 'randomStr 256 bits hex');
      equal(e.minentropy, 256, 'minentropy');
      const e2 = await body(await t.a('/entropy?minentropy=128'), 200, 'entropy 128');
      equal(e2.randomStr.length, 32, 'randomStr 128 bits');
      equal(e2.minentropy, 128, 'minentropy 128');
      ok(e2.randomStr !== e.randomStr.slice(0, 32), 'fresh randomness');
      const e3 = await body(await t.b('/entropy?minentropy=12'), 200, 'entropy 12');
      equal(e3.randomStr.length, 4, 'rounded up to whole bytes');
      equal(e3.minentropy, 16, 'minentropy reports what was delivered');
      for (const bad of ['0', '-1', 'x', '', '99999', '1.5']) {
        await expectError(t.a(`/entropy?minentropy=${bad}`), 400, `minentropy=${bad}`, /minentropy/);
      }
    });

    it('404 for paths outside Table 2, 405 "Only \'GET\' is supported" for other methods', async () => {
      const t = target();
      for (const p of ['/', '/capabilities/', '/Capabilities', '/keys', '/key/00/11', '/entropy/1', '/capabilities/x']) {
        await expectError(t.a(p), 404, `GET ${p}`);
      }
      for (const [m, p] of [['POST', '/key'], ['PUT', '/capabilities'], ['DELETE', `/key/${'00'.repeat(16)}`], ['PATCH', '/entropy'], ['OPTIONS', '/key']]) {
        const res = await t.a(p, { method: m });
        equal(res.headers.get('allow'), 'GET', `${m} ${p}: Allow`);
        await expectError(Promise.resolve(res), 405, `${m} ${p}`, /^Only 'GET' is supported$/);
      }
      const head = await t.a('/capabilities', { method: 'HEAD' });
      equal(head.status, 405, 'HEAD');
    });

    it('keyIds are unique (never reused) over many keys from both ends', async () => {
      const t = target();
      const n = t.uniqueKeys ?? 10000;
      const ids = await pool(n, 32, async (i) => {
        const k = await body(await newKey(i % 2 ? t.b : t.a, i % 2 ? A : B, 8), 200, `key ${i}`);
        return k.keyId as string;
      });
      equal(new Set(ids).size, n, `${n} distinct keyIds`);
      // drain them (one-shot also at scale), a sample strictly
      await pool(n, 32, async (i) => {
        const res = await keyById(i % 2 ? t.a : t.b, ids[i], i % 2 ? B : A);
        equal(res.status, 200, `drain ${i}`);
        await res.arrayBuffer();
      });
    });

    it('concurrent clients: 100 parallel new keys, 100 parallel fetches, one winner per keyId', async () => {
      const t = target();
      const keys = await Promise.all(Array.from({ length: 100 }, () => newKey(t.a, B).then((r) => body(r, 200, 'parallel new key'))));
      equal(new Set(keys.map((k) => k.keyId)).size, 100, 'distinct keyIds');
      const got = await Promise.all(keys.map((k) => keyById(t.b, k.keyId, A).then((r) => body(r, 200, 'parallel fetch'))));
      for (let i = 0; i < 100; i++) equal(got[i].key, keys[i].key, `key ${i} matches`);
      // 100 clients race for one keyId: exactly one gets it
      const k = await body(await newKey(t.a, B), 200, 'contended key');
      const race = await Promise.all(Array.from({ length: 100 }, () => keyById(t.b, k.keyId, A)));
      const statuses = race.map((r) => r.status);
      equal(statuses.filter((s) => s === 200).length, 1, 'one 200');
      equal(statuses.filter((s) => s === 400).length, 99, 'ninety-nine 400');
      await Promise.all(race.map((r) => r.arrayBuffer()));
    });

    it('QKD link cut: new keys 503, keys already sent still arrive, a retrying client succeeds after restore', async () => {
      const t = target();
      const before = await body(await newKey(t.a, B), 200, 'before the cut');
      await t.link.cut();
      try {
        await expectError(newKey(t.a, B), 503, 'A: link cut', /down/);
        await expectError(newKey(t.b, A), 503, 'B: link cut', /down/);
        equal((await body(await keyById(t.b, before.keyId, A), 200, 'key sent before the cut')).key, before.key, 'arrived');
        const { res, attempts } = await retrying(() => newKey(t.a, B), 20, 5000, async (n) => { if (n === 2) await t.link.restore(); });
        const k = await body(res, 200, 'retry after restore');
        ok(attempts >= 3, `retried (${attempts} attempts)`);
        equal((await body(await keyById(t.b, k.keyId, A), 200, 'B after restore')).key, k.key, 'key after restore');
      } finally {
        await t.link.restore();
      }
    });

    it('QKD link slowed: the key is 503 at the other end until it arrives; a retrying client gets it', async () => {
      const t = target();
      await t.link.slow(300);
      try {
        const k = await body(await newKey(t.a, B), 200, 'A: new key (slow link)');
        const early = await expectError(keyById(t.b, k.keyId, A), 503, 'B: key in transit', /transit/);
        ok(early, 'early fetch refused');
        const started = Date.now();
        const { res, attempts } = await retrying(() => keyById(t.b, k.keyId, A), 50, 5000);
        const got = await body(res, 200, 'B: retry');
        equal(got.key, k.key, 'same key after the delay');
        ok(attempts >= 2 && Date.now() - started >= 100, `waited for the link (${attempts} attempts)`);
        await expectError(keyById(t.b, k.keyId, A), 400, 'still one-shot');
      } finally {
        await t.link.slow(0);
      }
    });

    it('QKD link out of keys: 503 once the budget is spent, 200 again after a refill', async () => {
      const t = target();
      await t.link.budget(512);
      try {
        await body(await newKey(t.a, B), 200, 'first 256 bits');
        await expectError(newKey(t.b, A, 512), 503, 'larger than what is left', /out of keys/);
        await body(await newKey(t.b, A), 200, 'second 256 bits');
        await expectError(newKey(t.a, B), 503, 'budget spent', /out of keys/);
        await expectError(newKey(t.a, B, 8), 503, 'even one byte', /out of keys/);
        const { res } = await retrying(() => newKey(t.a, B), 20, 5000, async (n) => { if (n === 1) await t.link.budget(1024); });
        await body(res, 200, 'after refill');
      } finally {
        await t.link.budget(null);
      }
    });
  });
}
