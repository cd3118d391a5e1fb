/**
 * A SKIP Key Provider (draft-cisco-skip-02 §4) written against the standard fetch API, so the same object
 * serves Node (src/runtime/node/kme-cmd.ts), edge runtimes (src/runtime/edge/kme-worker.ts) and the
 * browser lab's worker.
 *
 *   GET /capabilities                              → 200 SkipCapabilities                (§4.1, Table 4)
 *   GET /key?remoteSystemID=X[&size=bits]          → 200 {keyId, key}; 400; 503          (§4.2, Tables 6–7)
 *   GET /key/{keyId}?remoteSystemID=X              → 200 {keyId, key} once; 400; 503     (§4.2.2)
 *   GET /entropy[?minentropy=bits]                 → 200 {randomStr, minentropy}; 400; 503 (§4.3, Tables 8–9)
 *   any other path → 404; any other method → 405 "Only 'GET' is supported" (Table 3); a failure inside → 500.
 *
 * Choices where the draft is silent (docs/skip.md): error bodies are `{"status", "message"}`; a key still in
 * transit on a slowed link is 503 with Retry-After (the keyId is right, the key is not there yet); keyIds
 * are matched case-insensitively and issued in lower case; `remoteSystemID` must match one of the
 * configured (glob) IDs *and* be the paired end for keys to flow.
 */
import { hex, type Bytes } from '../crypto/bytes.js';
import { type Clock, systemClock } from '../util/clock.js';
import type { PairEnd } from './pair.js';
import {
  SKIP_CONTENT_TYPE, SKIP_DEFAULT_ENTROPY_BITS, SKIP_DEFAULT_KEYID_BITS, SKIP_DEFAULT_KEY_BITS, SKIP_MAX_ENTROPY_BITS,
  SKIP_MAX_KEY_BITS, SKIP_MIN_KEY_BITS,
  type SkipCapabilities, type SkipEntropyResponse, type SkipErrorBody, type SkipKeyResponse,
} from './types.js';

export interface KeyServerOptions {
  localSystemID: string;
  /** Advertised remote system IDs; entries may be POSIX globs (`*`, `?`, `[list]`, `[!list]`). */
  remoteSystemIDs: string[];
  pair: PairEnd;
  /** Cryptographically strong random bytes (crypto.getRandomValues in production). */
  random: (n: number) => Uint8Array;
  clock?: Clock;
  /** Whether GET /entropy is served (false: capabilities say so and /entropy is 503). Default true. */
  entropy?: boolean;
  /** The `algorithm` capability (≤16 bytes guaranteed to fit any client). Default "QKD". */
  algorithm?: string;
  /** keyId length in bits (default 128, §4.2.1). */
  keyIdBits?: number;
  /** Path prefix the API lives under (e.g. "/a" serves "/a/capabilities"). Default "". */
  prefix?: string;
  /** Diagnostics (never key material): internal errors and refused requests. */
  log?: (line: string) => void;
}

export interface KeyServerStats { issued: number; delivered: number; refused: number; unavailable: number; errors: number }

/** The longest system ID / keyId accepted on a request (the draft asks for ≥32 bytes of system ID). */
const MAX_ID_CHARS = 256;
const MAX_KEYID_HEX = 256;
const KEYID_DRAWS = 8;

class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly retryAfterSec?: number) { super(message); }
}

export class KeyServer {
  readonly localSystemID: string;
  readonly remoteSystemIDs: readonly string[];
  readonly stats: KeyServerStats = { issued: 0, delivered: 0, refused: 0, unavailable: 0, errors: 0 };
  private readonly pair: PairEnd;
  private readonly random: (n: number) => Uint8Array;
  private readonly clock: Clock;
  private readonly entropy: boolean;
  private readonly algorithm: string;
  private readonly keyIdBytes: number;
  private readonly prefix: string;
  private readonly log: (line: string) => void;
  private readonly globs: RegExp[];

  constructor(opts: KeyServerOptions) {
    if (!opts.localSystemID) throw new Error('skip server: localSystemID is required');
    if (!opts.remoteSystemIDs.length) throw new Error('skip server: at least one remoteSystemID is required');
    if (opts.pair.localSystemID !== opts.localSystemID) throw new Error('skip server: pair end belongs to another system ID');
    const keyIdBits = opts.keyIdBits ?? SKIP_DEFAULT_KEYID_BITS;
    if (keyIdBits % 8 || keyIdBits < 64 || keyIdBits > MAX_KEYID_HEX * 4) throw new Error('skip server: keyIdBits must be a multiple of 8 in 64..1024');
    this.localSystemID = opts.localSystemID;
    this.remoteSystemIDs = [...opts.remoteSystemIDs];
    this.globs = this.remoteSystemIDs.map(globToRegExp);
    this.pair = opts.pair;
    this.random = opts.random;
    this.clock = opts.clock ?? systemClock;
    this.entropy = opts.entropy ?? true;
    this.algorithm = opts.algorithm ?? 'QKD';
    this.keyIdBytes = keyIdBits / 8;
    this.prefix = (opts.prefix ?? '').replace(/\/+$/, '');
    this.log = opts.log ?? (() => {});
  }

  /** Is `id` one of the configured remote system IDs (glob match)? */
  knowsRemote(id: string): boolean { return this.globs.some((g) => g.test(id)); }

  async fetch(req: Request): Promise<Response> {
    let url: URL;
    try { url = new URL(req.url); } catch { return errorResponse(400, 'malformed request URL'); }
    let path = url.pathname;
    if (this.prefix) {
      if (path !== this.prefix && !path.startsWith(this.prefix + '/')) return errorResponse(404, 'not found');
      path = path.slice(this.prefix.length);
    }
    const route = matchRoute(path);
    if (!route) return errorResponse(404, 'not found');
    if (req.method !== 'GET') return errorResponse(405, "Only 'GET' is supported", { allow: 'GET' });
    try {
      switch (route.kind) {
        case 'capabilities': return json(200, this.capabilities());
        case 'key': return json(200, await this.newKey(url.searchParams));
        case 'key-by-id': return json(200, await this.keyById(route.keyId, url.searchParams));
        case 'entropy': return json(200, this.randomString(url.searchParams));
      }
    } catch (e) {
      if (e instanceof HttpError) {
        if (e.status === 503) this.stats.unavailable++; else this.stats.refused++;
        this.log(`${req.method} ${path}: ${e.status} ${e.message}`);
        return errorResponse(e.status, e.message, e.retryAfterSec ? { 'retry-after': String(e.retryAfterSec) } : undefined);
      }
      this.stats.errors++;
      this.log(`${req.method} ${path}: 500 ${e instanceof Error ? e.message : String(e)}`);
      return errorResponse(500, 'internal error');
    }
  }

  capabilities(): SkipCapabilities {
    return {
      entropy: this.entropy, key: true, algorithm: this.algorithm,
      localSystemID: this.localSystemID, remoteSystemID: [...this.remoteSystemIDs],
    };
  }

  private remote(q: URLSearchParams): string {
    const id = q.get('remoteSystemID');
    if (id === null || id === '') throw new HttpError(400, 'remoteSystemID is required');
    if (id.length > MAX_ID_CHARS) throw new HttpError(400, 'remoteSystemID is too long');
    if (!this.knowsRemote(id)) throw new HttpError(400, `unknown remoteSystemID '${id}'`);
    return id;
  }

  private async newKey(q: URLSearchParams): Promise<SkipKeyResponse> {
    const remote = this.remote(q);
    const bits = parseBits(q.get('size'), 'size', SKIP_DEFAULT_KEY_BITS, SKIP_MIN_KEY_BITS, SKIP_MAX_KEY_BITS, true);
    if (remote !== this.pair.peerSystemID) throw new HttpError(400, `no key link to remoteSystemID '${remote}'`);
    const keyId = await this.freshKeyId();
    const key = this.random(bits / 8);
    try {
      const sent = await this.pair.issue(keyId, key, this.clock.now().getTime());
      if (!sent.ok) {
        throw new HttpError(503, sent.reason === 'link-down' ? `key link to '${remote}' is down` : `out of keys for '${remote}'`, 1);
      }
      this.stats.issued++;
      return { keyId, key: hex(key) };
    } finally {
      key.fill(0); // our copy: the other end holds its own until its encryptor fetches it
    }
  }

  private async freshKeyId(): Promise<string> {
    for (let i = 0; i < KEYID_DRAWS; i++) {
      const id = hex(this.random(this.keyIdBytes));
      if (await this.pair.reserveKeyId(id)) return id;
    }
    throw new Error('no unused keyId after repeated draws (broken random source?)');
  }

  private async keyById(rawId: string, q: URLSearchParams): Promise<SkipKeyResponse> {
    if (!/^[0-9a-fA-F]+$/.test(rawId) || rawId.length % 2 || rawId.length > MAX_KEYID_HEX) {
      throw new HttpError(400, 'malformed keyId');
    }
    const keyId = rawId.toLowerCase();
    const remote = this.remote(q);
    const now = this.clock.now().getTime();
    const got = await this.pair.take(keyId, remote, now);
    if (got.kind === 'missing') throw new HttpError(400, `key '${keyId}' not found for remoteSystemID '${remote}'`);
    if (got.kind === 'pending') {
      throw new HttpError(503, `key '${keyId}' is still in transit`, Math.max(1, Math.ceil((got.readyAt - now) / 1000)));
    }
    const key: Bytes = got.stored.key;
    try {
      this.stats.delivered++;
      return { keyId, key: hex(key) };
    } finally {
      key.fill(0); // §4.2.2: zeroize after delivery
    }
  }

  private randomString(q: URLSearchParams): SkipEntropyResponse {
    const bits = parseBits(q.get('minentropy'), 'minentropy', SKIP_DEFAULT_ENTROPY_BITS, 1, SKIP_MAX_ENTROPY_BITS, false);
    if (!this.entropy) throw new HttpError(503, 'no entropy source');
    const bytes = Math.ceil(bits / 8);
    const r = this.random(bytes);
    try {
      return { randomStr: hex(r), minentropy: bytes * 8 };
    } finally {
      r.fill(0);
    }
  }
}

type Route = { kind: 'capabilities' | 'key' | 'entropy' } | { kind: 'key-by-id'; keyId: string };

function matchRoute(path: string): Route | null {
  if (path === '/capabilities') return { kind: 'capabilities' };
  if (path === '/key') return { kind: 'key' };
  if (path === '/entropy') return { kind: 'entropy' };
  const m = /^\/key\/([^/]*)$/.exec(path);
  return m ? { kind: 'key-by-id', keyId: m[1] } : null;
}

function parseBits(v: string | null, name: string, dflt: number, min: number, max: number, bytewise: boolean): number {
  if (v === null) return dflt;
  if (!/^[0-9]{1,6}$/.test(v)) throw new HttpError(400, `${name} must be a decimal number of bits`);
  const n = Number(v);
  if (n < min || n > max) throw new HttpError(400, `${name} must be in ${min}..${max} bits`);
  if (bytewise && n % 8) throw new HttpError(400, `${name} must be a multiple of 8 bits`);
  return n;
}

function json(status: number, body: unknown, headers?: Record<string, string>): Response {
  return new Response(JSON.stringify(body), {
    status, headers: { 'content-type': SKIP_CONTENT_TYPE, 'cache-control': 'no-store', ...headers },
  });
}

function errorResponse(status: number, message: string, headers?: Record<string, string>): Response {
  const body: SkipErrorBody = { status, message };
  return json(status, body, headers);
}

/**
 * POSIX fnmatch(3) without flags, as the draft's system-ID globs: `*`, `?`, `[list]`, `[!list]` (ranges
 * `a-z`; `]` first in a list is literal; an unclosed `[` is literal), anything else literal.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '^';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      let j = i + 1;
      const negate = glob[j] === '!';
      if (negate) j++;
      let body = '';
      if (glob[j] === ']') { body += '\\]'; j++; }
      while (j < glob.length && glob[j] !== ']') {
        const ch = glob[j];
        body += ch === '-' && body !== '' && glob[j + 1] !== ']' ? '-' : ch.replace(/[\\\]^-]/g, '\\$&');
        j++;
      }
      if (j >= glob.length) { re += '\\['; continue; } // unclosed: a literal '['
      re += `[${negate ? '^' : ''}${body}]`;
      i = j;
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(re + '$', 's');
}
