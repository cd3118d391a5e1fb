/**
 * Two SKIP key servers (Key Providers) whose out-of-band synchronisation is simulated as a QKD link.
 * draft-cisco-skip-02 §2 leaves KP↔KP synchronisation out of scope (QKD, PQC, a trusted third party…);
 * here it is one shared `PairStorage`:
 *
 *   encryptor A ── GET /key?remoteSystemID=KP_B ──▶ KP_A ──(link: cut? budget? delay)──▶ KP_B store
 *   encryptor B ── GET /key/{keyId}?remoteSystemID=KP_A ──▶ KP_B: the key, once, then gone
 *
 * The link can be cut (new keys fail: 503), slowed (a key reaches the other end `delayMs` later; fetching
 * it before then is 503, so a retrying client gets it), or given a budget of key bits that runs out (503
 * until `refill`). KeyIds are reserved in the shared store, so neither end ever reissues one.
 */
import type { Bytes } from '../crypto/bytes.js';
import { type LinkState, MemoryPairStorage, type PairStorage, type TakeResult } from './storage.js';

export type IssueResult = { ok: true } | { ok: false; reason: 'link-down' | 'exhausted' };

/** One end of a pair, as its KeyServer sees it. */
export interface PairEnd {
  readonly localSystemID: string;
  /** The other end's system ID: the only remote this end shares a link with. */
  readonly peerSystemID: string;
  reserveKeyId(keyId: string): Promise<boolean>;
  /** Sends a copy of a freshly issued key to the other end (the caller keeps and later wipes its own). */
  issue(keyId: string, key: Bytes, now: number): Promise<IssueResult>;
  /** A key `from` issued for this end, removed when returned (left in place for any other `from`). */
  take(keyId: string, from: string, now: number): Promise<TakeResult>;
}

export interface KeyPairOptions {
  a: string;
  b: string;
  storage?: PairStorage;
  link?: Partial<LinkState>;
}

export class KeyPair {
  readonly storage: PairStorage;
  readonly a: PairEnd;
  readonly b: PairEnd;

  constructor(opts: KeyPairOptions) {
    if (opts.a === opts.b) throw new Error('skip pair: the two ends need different system IDs');
    this.storage = opts.storage ?? new MemoryPairStorage();
    if (opts.link) void this.storage.setLink(opts.link);
    this.a = this.makeEnd(opts.a, opts.b);
    this.b = this.makeEnd(opts.b, opts.a);
  }

  end(systemID: string): PairEnd {
    if (systemID === this.a.localSystemID) return this.a;
    if (systemID === this.b.localSystemID) return this.b;
    throw new Error(`skip pair: no end '${systemID}'`);
  }

  /** Cuts the link: new keys fail with 503 until `restore()`. */
  cut(): Promise<LinkState> { return this.storage.setLink({ cut: true }); }
  restore(): Promise<LinkState> { return this.storage.setLink({ cut: false }); }
  /** Keys reach the other end `ms` after they were issued. */
  slow(ms: number): Promise<LinkState> { return this.storage.setLink({ delayMs: Math.max(0, ms) }); }
  /** Remaining key material in bits (`null`: unlimited). */
  budget(bits: number | null): Promise<LinkState> { return this.storage.setLink({ budgetBits: bits }); }
  link(): Promise<LinkState> { return this.storage.getLink(); }

  private makeEnd(local: string, peer: string): PairEnd {
    const st = this.storage;
    return {
      localSystemID: local,
      peerSystemID: peer,
      reserveKeyId: (keyId) => st.reserveKeyId(keyId),
      async issue(keyId, key, now) {
        const link = await st.getLink();
        if (link.cut) return { ok: false, reason: 'link-down' };
        if (!(await st.spendBudget(key.length * 8))) return { ok: false, reason: 'exhausted' };
        await st.putKey(peer, keyId, { key: key.slice(), from: local, readyAt: now + link.delayMs });
        return { ok: true };
      },
      take: (keyId, from, now) => st.takeKey(local, keyId, from, now),
    };
  }
}
