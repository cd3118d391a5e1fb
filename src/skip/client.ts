// SKIP client (draft-cisco-skip-02 §4): what an encryptor asks its Key Provider (KP), one client per
// `sks profile`. It speaks the standard fetch API through an injected `fetch` — the Node runtime gives it
// an HTTPS fetch with TLS-PSK, the browser lab a worker-backed one, tests the in-process KeyServer's — so
// this file knows no sockets and no TLS. Every failure (unreachable KP, HTTP 400/404/405/500/503, timeout,
// a body that is not the draft's JSON) becomes a SkipFailure with a sentence a trace can print, and the
// counters behind `show sks profile` are kept here.
//
//   GET /capabilities                         → {entropy, key, algorithm, localSystemID, remoteSystemID[]}
//   GET /key?remoteSystemID=Bob[&size=bits]   → {keyId, key}   (initiator)
//   GET /key/{keyId}?remoteSystemID=Alice     → {keyId, key}   (responder; one-shot: the KP zeroizes it)
import { type Bytes, fromHex } from '../crypto/bytes.js';
import type { TimeSource } from '../util/clock.js';
import type { SkipCapabilities, SkipKeyResponse } from './types.js';

/** The fetch the client is given (a subset of the WHATWG signature: a URL string). */
export type SkipFetch = (url: string, init?: RequestInit) => Promise<Response>;

export type SkipFailureKind =
  /** the request never got an HTTP response (connection refused, DNS, TLS handshake…) */
  | 'unreachable'
  /** no response within the client's timeout */
  | 'timeout'
  /** an HTTP status other than 200 (400 unknown keyId, 404, 405, 500, 503…) */
  | 'http'
  /** 200, but not the JSON the draft specifies */
  | 'malformed'
  /** the request cannot be made as configured (no fetch, no peer system ID…) */
  | 'config';

export class SkipFailure extends Error {
  constructor(readonly kind: SkipFailureKind, message: string, readonly status?: number, readonly retryAfterSec?: number) {
    super(message);
    this.name = 'SkipFailure';
  }
}

export interface SkipServer {
  /** `kme server ipv4 A.B.C.D` / `ipv6 X:X::X` / `hostname NAME` */
  host: string;
  port: number;
}

export interface SkipClientOptions {
  /** `sks profile NAME` (for messages). */
  profile: string;
  server: SkipServer;
  fetch?: SkipFetch;
  /** Injected timers for the request timeout (virtual time in tests). */
  time?: Pick<TimeSource, 'setTimeout' | 'clearTimeout'>;
  /** Per-request timeout in ms (default 3000: below IKEv2's first retransmission at 4 s). */
  timeoutMs?: number;
  /**
   * `GET /key/{keyId}` answered 503 with Retry-After (a key still on its way between the KPs): retry while the
   * total wait stays within this many ms (default 2000; 0: never retry).
   */
  retryBudgetMs?: number;
  /** URL scheme (default https: SKIP runs over TLS, draft §3). */
  scheme?: 'https' | 'http';
}

export interface SkipCounters {
  reachability: 'Reachable' | 'Unreachable' | 'Not contacted';
  localSystemId?: string;
  remoteSystemIds?: string[];
  keysFetched: number;
  keysFailed: number;
  lastError?: string;
}

export interface SkipKey {
  /** keyId exactly as the KP sent it (hex text, case preserved). */
  keyId: string;
  key: Bytes;
}

const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const DEFAULT_TIMEOUT_MS = 3000;
const DEFAULT_RETRY_BUDGET_MS = 2000;

/** `host:port` as `show sks profile` prints it; IPv6 in brackets in URLs only. */
export function serverText(s: SkipServer): string { return `${s.host}:${s.port}`; }

export class SkipClient {
  readonly counters: SkipCounters = { reachability: 'Not contacted', keysFetched: 0, keysFailed: 0 };
  private caps?: SkipCapabilities;
  private capsPending?: Promise<SkipCapabilities>;

  constructor(private readonly opts: SkipClientOptions) {}

  get profile(): string { return this.opts.profile; }
  get server(): string { return serverText(this.opts.server); }
  /** localSystemID once /capabilities answered (cached). */
  get localSystemId(): string | undefined { return this.caps?.localSystemID; }

  private url(path: string, query: Record<string, string | undefined> = {}): string {
    const { host, port } = this.opts.server;
    const h = host.includes(':') ? `[${host}]` : host;
    const q = Object.entries(query).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${encodeURIComponent(v!)}`).join('&');
    return `${this.opts.scheme ?? 'https'}://${h}:${port}${path}${q ? `?${q}` : ''}`;
  }

  private where(): string { return `key source ${this.server} (sks profile ${this.opts.profile})`; }

  private fail(f: SkipFailure): never {
    this.counters.lastError = f.message;
    if (f.kind === 'unreachable' || f.kind === 'timeout') this.counters.reachability = 'Unreachable';
    throw f;
  }

  /** One GET; resolves with the parsed JSON of a 200 or throws a SkipFailure. */
  private async get(path: string, query?: Record<string, string | undefined>): Promise<unknown> {
    const fetch = this.opts.fetch;
    if (!fetch) this.fail(new SkipFailure('config', `${this.where()} is unreachable: no key source transport in this runtime`));
    const url = this.url(path, query);
    const ms = this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const ctl = typeof AbortController === 'function' ? new AbortController() : undefined;
    let timer: ReturnType<TimeSource['setTimeout']> | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = this.opts.time?.setTimeout(() => { ctl?.abort(); resolve('timeout'); }, ms);
    });
    let res: Response;
    try {
      const r = await Promise.race([fetch(url, { method: 'GET', headers: { accept: 'application/json' }, signal: ctl?.signal }), timeout]);
      if (r === 'timeout') this.fail(new SkipFailure('timeout', `${this.where()} did not answer GET ${path} within ${ms} ms`));
      res = r;
    } catch (e) {
      if (e instanceof SkipFailure) throw e;
      const why = (e as Error)?.message || String(e);
      this.fail(new SkipFailure('unreachable', `${this.where()} is unreachable: ${why}`));
    } finally {
      this.opts.time?.clearTimeout(timer);
    }
    this.counters.reachability = 'Reachable';
    let text: string;
    try { text = await res.text(); } catch (e) {
      this.fail(new SkipFailure('unreachable', `${this.where()} closed the connection during GET ${path}: ${(e as Error).message}`));
    }
    if (res.status !== 200) {
      let detail = '';
      try {
        const b = JSON.parse(text) as { message?: unknown };
        if (b && typeof b.message === 'string') detail = `: ${b.message}`;
      } catch { /* the status is what counts (draft Table 3/7/9) */ }
      const retry = Number(res.headers.get('retry-after'));
      this.fail(new SkipFailure('http', `${this.where()} answered GET ${path} with HTTP ${res.status}${statusMeaning(res.status)}${detail}`, res.status,
        Number.isFinite(retry) && retry >= 0 && res.headers.get('retry-after') !== null ? retry : undefined));
    }
    try { return JSON.parse(text); } catch {
      this.fail(new SkipFailure('malformed', `${this.where()} answered GET ${path} with a body that is not JSON`));
    }
  }

  /** `GET /capabilities` (draft §4.1); cached after the first success, concurrent callers share one request. */
  async capabilities(refresh = false): Promise<SkipCapabilities> {
    if (this.caps && !refresh) return this.caps;
    this.capsPending ??= (async () => {
      try {
        const body = await this.get('/capabilities');
        const c = body as Partial<SkipCapabilities> | null;
        const bad = !c || typeof c !== 'object' ? 'not an object'
          : typeof c.entropy !== 'boolean' ? '"entropy" is not a boolean'
          : typeof c.key !== 'boolean' ? '"key" is not a boolean'
          : typeof c.algorithm !== 'string' ? '"algorithm" is not a string'
          : typeof c.localSystemID !== 'string' || !c.localSystemID ? '"localSystemID" is not a non-empty string'
          : !Array.isArray(c.remoteSystemID) || !c.remoteSystemID.length || !c.remoteSystemID.every((x) => typeof x === 'string')
            ? '"remoteSystemID" is not a non-empty array of strings' : undefined;
        if (bad) this.fail(new SkipFailure('malformed', `${this.where()} sent capabilities the draft does not allow: ${bad}`));
        const caps: SkipCapabilities = {
          entropy: c!.entropy!, key: c!.key!, algorithm: c!.algorithm!, localSystemID: c!.localSystemID!, remoteSystemID: [...c!.remoteSystemID!],
        };
        this.caps = caps;
        this.counters.localSystemId = caps.localSystemID;
        this.counters.remoteSystemIds = caps.remoteSystemID;
        return caps;
      } finally {
        this.capsPending = undefined;
      }
    })();
    return this.capsPending;
  }

  /**
   * The peer's KP system ID when the peer did not say (no data in its USE_PPK): our KP's only
   * remoteSystemID, if it has exactly one that is not a glob.
   */
  async soleRemoteSystemId(): Promise<string> {
    const c = await this.capabilities();
    const plain = c.remoteSystemID.filter((x) => !/[*?[]/.test(x));
    if (c.remoteSystemID.length !== 1 || plain.length !== 1) {
      this.fail(new SkipFailure('config', `cannot tell the peer's key source: it sent no system ID in USE_PPK and ${this.where()} ` +
        `lists ${c.remoteSystemID.length} remote system IDs (${c.remoteSystemID.join(', ')})`));
    }
    return plain[0];
  }

  /** `GET /key?remoteSystemID=…[&size=…]` (draft §4.2): a new key shared with `remoteSystemId`. */
  async newKey(remoteSystemId: string, sizeBits?: number): Promise<SkipKey> {
    return this.counted(async () => {
      const caps = await this.capabilities();
      if (!caps.key) this.fail(new SkipFailure('config', `${this.where()} does not serve keys (capabilities "key": false)`));
      const body = await this.get('/key', { remoteSystemID: remoteSystemId, size: sizeBits === undefined ? undefined : String(sizeBits) });
      return this.parseKey(body, '/key', undefined, sizeBits);
    });
  }

  /** `GET /key/{keyId}?remoteSystemID=…` (draft §4.2): the key the peer's KP handed out as `keyId`. */
  async keyById(keyId: string, remoteSystemId: string): Promise<SkipKey> {
    return this.counted(async () => {
      if (!HEX.test(keyId)) this.fail(new SkipFailure('config', `keyId '${keyId}' is not hexadecimal: not asking ${this.where()}`));
      const path = `/key/${encodeURIComponent(keyId)}`;
      let waited = 0;
      for (;;) {
        try {
          const body = await this.get(path, { remoteSystemID: remoteSystemId });
          return this.parseKey(body, '/key/{keyId}', keyId);
        } catch (e) {
          const f = e as SkipFailure;
          const ms = f.status === 503 && f.retryAfterSec !== undefined ? Math.max(1, f.retryAfterSec) * 1000 : undefined;
          if (ms === undefined || !this.opts.time || waited + ms > (this.opts.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS)) throw e;
          waited += ms;
          await new Promise<void>((r) => { this.opts.time!.setTimeout(r, ms); });
        }
      }
    });
  }

  private async counted(fn: () => Promise<SkipKey>): Promise<SkipKey> {
    try {
      const k = await fn();
      this.counters.keysFetched++;
      return k;
    } catch (e) {
      this.counters.keysFailed++;
      if (!(e instanceof SkipFailure)) this.fail(new SkipFailure('malformed', `${this.where()}: ${(e as Error).message}`));
      throw e;
    }
  }

  private parseKey(body: unknown, path: string, wantId?: string, sizeBits?: number): SkipKey {
    const k = body as Partial<SkipKeyResponse> | null;
    const bad = !k || typeof k !== 'object' ? 'not an object'
      : typeof k.keyId !== 'string' || !HEX.test(k.keyId) ? '"keyId" is not a hex string'
      : typeof k.key !== 'string' || !HEX.test(k.key) ? '"key" is not a hex string'
      : wantId !== undefined && k.keyId.toLowerCase() !== wantId.toLowerCase() ? `"keyId" ${k.keyId} is not the one asked for`
      : sizeBits !== undefined && k.key.length * 4 !== sizeBits ? `"key" has ${k.key.length * 4} bits, ${sizeBits} asked for` : undefined;
    if (bad) this.fail(new SkipFailure('malformed', `${this.where()} answered GET ${path} with a key the draft does not allow: ${bad}`));
    return { keyId: k!.keyId!, key: fromHex(k!.key!) };
  }
}

function statusMeaning(s: number): string {
  switch (s) {
    case 400: return ' (malformed keyId or key not found)';
    case 404: return ' (no such SKIP path)';
    case 405: return ' (method not allowed)';
    case 500: return ' (key provider internal error)';
    case 503: return ' (key provider out of entropy or keys)';
    default: return '';
  }
}
