// The browser lab's key source (issue [5/5]): the two SKIP Key Providers of src/skip (KP_A for router A,
// KP_B for router B, one KeyPair joined by the simulated QKD link), addressed as the lab's `sks profile`s
// name them (LAB_KEY_SOURCES). It runs in the key-server worker (src/runtime/worker/kme-worker.ts); tests
// use it in process.
//
//   router A ── GET https://192.0.2.34:10001/key?remoteSystemID=KP_B ──▶ KP_A ═ QKD link ═▶ KP_B ◀── router B
import { KeyPair } from '../skip/pair.js';
import { KeyServer } from '../skip/server.js';
import { LAB_KEY_SOURCES, type KeySourceAction, type KeySourceReply, type KeySourceRequest, type KeySourceStatus, type RouterName } from './protocol.js';

interface End { router: RouterName; systemID: string; host: string; port: number; server: KeyServer; reachable: boolean; requests: number }

export class LabKeySource {
  readonly pair: KeyPair;
  private readonly ends: End[];

  constructor(opts: { log?: (line: string) => void } = {}) {
    const [a, b] = LAB_KEY_SOURCES;
    this.pair = new KeyPair({ a: a.systemID, b: b.systemID });
    this.ends = LAB_KEY_SOURCES.map((e) => ({
      ...e, reachable: true, requests: 0,
      server: new KeyServer({
        localSystemID: e.systemID,
        remoteSystemIDs: [e.systemID === a.systemID ? b.systemID : a.systemID],
        pair: this.pair.end(e.systemID),
        random: (n) => crypto.getRandomValues(new Uint8Array(n)),
        log: opts.log ? (line) => opts.log!(`${e.systemID}: ${line}`) : undefined,
      }),
    }));
  }

  /** The KP at the URL's host:port (https default port 443), if it is there and answering. */
  private endFor(url: URL): End | undefined {
    const port = Number(url.port || (url.protocol === 'http:' ? 80 : 443));
    return this.ends.find((e) => e.host === url.hostname && e.port === port);
  }

  /** A fetch as the routers' SkipClient makes it; rejects (TypeError) where a real fetch would: nobody there. */
  async fetch(url: string, init?: RequestInit): Promise<Response> {
    const u = new URL(url);
    const end = this.endFor(u);
    if (!end) throw new TypeError(`connection refused: no key server at ${u.host}`);
    if (!end.reachable) throw new TypeError(`connection refused: key server ${end.systemID} at ${u.host} is down`);
    end.requests++;
    return end.server.fetch(new Request(url, { method: init?.method ?? 'GET' }));
  }

  /** The MessagePort protocol: one request in, one reply out (status, headers, body text). */
  async handle(req: KeySourceRequest): Promise<KeySourceReply> {
    try {
      const res = await this.fetch(req.url, { method: req.method });
      return { id: req.id, status: res.status, headers: [...res.headers.entries()], body: await res.text() };
    } catch (e) {
      return { id: req.id, error: (e as Error).message };
    }
  }

  async control(a: KeySourceAction): Promise<KeySourceStatus> {
    switch (a.op) {
      case 'status': break;
      case 'cut': await this.pair.cut(); break;
      case 'restore': await this.pair.restore(); break;
      case 'slow': await this.pair.slow(a.ms); break;
      case 'budget': await this.pair.budget(a.bits); break;
      case 'reachable': for (const e of this.ends) if (e.router === a.router) e.reachable = a.reachable; break;
      case 'reset':
        await this.pair.storage.setLink({ cut: false, delayMs: 0, budgetBits: null });
        for (const e of this.ends) e.reachable = true;
        break;
      default: throw new Error(`key source: unknown action ${JSON.stringify(a)}`);
    }
    return this.status();
  }

  async status(): Promise<KeySourceStatus> {
    const link = await this.pair.link();
    return {
      link: { cut: link.cut, delayMs: link.delayMs, budgetBits: link.budgetBits },
      ends: await Promise.all(this.ends.map(async (e) => ({
        router: e.router, systemID: e.systemID, address: `${e.host}:${e.port}`, reachable: e.reachable,
        stats: { ...e.server.stats }, pending: await this.pair.storage.pendingCount(e.systemID), requests: e.requests,
      }))),
    };
  }
}
