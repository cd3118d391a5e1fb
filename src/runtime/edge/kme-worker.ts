// Edge runtimes (workerd, Deno): one simulated SKIP key-server pair (src/skip/) behind `export default
// { fetch }`, bundled to dist/edge/kme-edge.mjs.
//
//   /a/capabilities, /a/key, /a/key/{keyId}, /a/entropy   Key Provider A (KME_A_ID, default "KP_A")
//   /b/…                                                  Key Provider B (KME_B_ID, default "KP_B")
//   GET /link                                              the QKD link's state (outside the SKIP API)
//   POST /link?cut=0|1&delayMs=N&budgetBits=N|unlimited    change it (unless KME_LINK_CONTROL = "off")
//   anything else: 404 with a SKIP error body
//
// Both ends live in one worker so the pairing state is one `PairStorage`. Configuration comes from the
// worker's env bindings (workerd: text bindings in kme-workerd.capnp; Deno: environment variables, read
// only with --allow-env): KME_A_ID, KME_B_ID, KME_A_REMOTES, KME_B_REMOTES (comma-separated globs;
// default: the other end's ID), KME_ENTROPY ("off" disables /entropy), KME_LINK_CONTROL.
//
// State lives in the isolate's memory (MemoryPairStorage): keys survive as long as the isolate. For a
// deployment with several isolates or restarts, put the pair in a Durable Object and implement
// PairStorage over its transactional storage (see the hook in src/skip/storage.ts).
import { KeyPair } from '../../skip/pair.js';
import { KeyServer } from '../../skip/server.js';
import type { SkipErrorBody } from '../../skip/types.js';

type Env = Record<string, unknown>;

interface PairState { pair: KeyPair; a: KeyServer; b: KeyServer; linkControl: boolean }
let state: PairState | null = null;

function setting(env: Env | undefined, name: string): string | undefined {
  const v = env?.[name];
  if (typeof v === 'string') return v;
  const deno = (globalThis as { Deno?: { env: { get(k: string): string | undefined } } }).Deno;
  try { return deno?.env.get(name); } catch { return undefined; } // no --allow-env: defaults
}

const random = (n: number): Uint8Array => {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
};

function init(env: Env | undefined): PairState {
  const idA = setting(env, 'KME_A_ID') || 'KP_A';
  const idB = setting(env, 'KME_B_ID') || 'KP_B';
  const list = (v: string | undefined, dflt: string) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : [dflt]);
  const entropy = setting(env, 'KME_ENTROPY') !== 'off';
  const pair = new KeyPair({ a: idA, b: idB });
  const mk = (id: string, remotes: string[], prefix: string) =>
    new KeyServer({ localSystemID: id, remoteSystemIDs: remotes, pair: pair.end(id), random, entropy, prefix });
  return {
    pair,
    a: mk(idA, list(setting(env, 'KME_A_REMOTES'), idB), '/a'),
    b: mk(idB, list(setting(env, 'KME_B_REMOTES'), idA), '/b'),
    linkControl: setting(env, 'KME_LINK_CONTROL') !== 'off',
  };
}

function jsonError(status: number, message: string): Response {
  const body: SkipErrorBody = { status, message };
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
}

async function link(s: PairState, req: Request, url: URL): Promise<Response> {
  if (req.method === 'POST') {
    if (!s.linkControl) return jsonError(403, 'link control is off');
    const q = url.searchParams;
    const cut = q.get('cut'), delay = q.get('delayMs'), budget = q.get('budgetBits');
    if (cut !== null && cut !== '0' && cut !== '1') return jsonError(400, 'cut must be 0 or 1');
    if (delay !== null && !/^\d{1,7}$/.test(delay)) return jsonError(400, 'delayMs must be milliseconds');
    if (budget !== null && budget !== 'unlimited' && !/^\d{1,12}$/.test(budget)) return jsonError(400, 'budgetBits must be bits or "unlimited"');
    if (cut !== null) await (cut === '1' ? s.pair.cut() : s.pair.restore());
    if (delay !== null) await s.pair.slow(Number(delay));
    if (budget !== null) await s.pair.budget(budget === 'unlimited' ? null : Number(budget));
  } else if (req.method !== 'GET') {
    return jsonError(405, "Only 'GET' and 'POST' are supported on /link");
  }
  return Response.json(await s.pair.link(), { headers: { 'cache-control': 'no-store' } });
}

export default {
  async fetch(req: Request, env?: Env): Promise<Response> {
    state ??= init(env);
    const url = new URL(req.url);
    const p = url.pathname;
    if (p === '/a' || p.startsWith('/a/')) return state.a.fetch(req);
    if (p === '/b' || p.startsWith('/b/')) return state.b.fetch(req);
    if (p === '/link') return link(state, req, url);
    return jsonError(404, 'not found');
  },
};
