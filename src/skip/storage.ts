/**
 * The pairing state of a simulated key-server pair (src/skip/pair.ts) behind one storage interface.
 *
 * What is stored:
 *   - every keyId ever issued by either end (draft-cisco-skip-02 §4.2.1: keyIds are never reused);
 *   - keys waiting at the receiving end until its encryptor fetches them once by keyId (§4.2.2: the KP
 *     zeroizes its copy after delivery), each with the issuing end's system ID and the time it arrives;
 *   - the QKD link's state (cut, delay, remaining key budget).
 *
 * Every operation is one async call and must be atomic on its own: `takeKey` checks and removes in one
 * step, so two concurrent `GET /key/{keyId}` can never both succeed, and `reserveKeyId`/`spendBudget`
 * are test-and-set. The in-memory implementation gets this from the single-threaded event loop.
 *
 * Durable store hook: implement `PairStorage` over a store with single-writer transactions, e.g. a
 * Cloudflare Durable Object (`state.storage.transaction(async (tx) => …)` per method, keys
 * `id:<keyId>`, `key:<owner>:<keyId>`, `link`), or Deno KV (`kv.atomic().check(…).set/delete(…)`).
 * Workers KV alone is eventually consistent and cannot give one-shot keys; put it behind a Durable Object.
 * A durable store keeps key bytes as a hex/base64 string; it must delete the record in `takeKey` (the
 * strongest zeroization a JavaScript store can promise: strings cannot be overwritten in place).
 */
import type { Bytes } from '../crypto/bytes.js';

/** A key waiting at `owner` for its encryptor's `GET /key/{keyId}`. */
export interface StoredKey {
  key: Bytes;
  /** System ID of the end that issued it (the only `remoteSystemID` that may fetch it). */
  from: string;
  /** Milliseconds since the epoch when it arrives over the (possibly slowed) link. */
  readyAt: number;
}

export interface LinkState {
  /** A cut link issues no new keys (GET /key → 503); keys already in transit still arrive. */
  cut: boolean;
  /** Transit time of a key from the issuing end to the other end, in ms. */
  delayMs: number;
  /** Key material the link can still deliver, in bits; `null` = unlimited. */
  budgetBits: number | null;
}

export type TakeResult = { kind: 'key'; stored: StoredKey } | { kind: 'pending'; readyAt: number } | { kind: 'missing' };

export interface PairStorage {
  /** Records keyId as issued; false when it was issued before (the caller draws another). */
  reserveKeyId(keyId: string): Promise<boolean>;
  putKey(owner: string, keyId: string, k: StoredKey): Promise<void>;
  /**
   * Atomically: a ready key issued by `from` is removed and returned; one still in transit is left in
   * place; one issued by another end is 'missing' and left in place (a wrong caller cannot burn it).
   */
  takeKey(owner: string, keyId: string, from: string, now: number): Promise<TakeResult>;
  getLink(): Promise<LinkState>;
  setLink(patch: Partial<LinkState>): Promise<LinkState>;
  /** Atomically takes `bits` from the budget; false (and nothing taken) when fewer remain. */
  spendBudget(bits: number): Promise<boolean>;
  /** Keys stored at `owner` (ready or in transit): for `show`/tests, never their bytes. */
  pendingCount(owner: string): Promise<number>;
}

export class MemoryPairStorage implements PairStorage {
  private issued = new Set<string>();
  private keys = new Map<string, Map<string, StoredKey>>();
  private link: LinkState = { cut: false, delayMs: 0, budgetBits: null };

  constructor(link?: Partial<LinkState>) { Object.assign(this.link, link); }

  async reserveKeyId(keyId: string): Promise<boolean> {
    if (this.issued.has(keyId)) return false;
    this.issued.add(keyId);
    return true;
  }

  async putKey(owner: string, keyId: string, k: StoredKey): Promise<void> {
    let m = this.keys.get(owner);
    if (!m) this.keys.set(owner, (m = new Map()));
    m.set(keyId, k);
  }

  async takeKey(owner: string, keyId: string, from: string, now: number): Promise<TakeResult> {
    const m = this.keys.get(owner);
    const k = m?.get(keyId);
    if (!m || !k || k.from !== from) return { kind: 'missing' };
    if (k.readyAt > now) return { kind: 'pending', readyAt: k.readyAt };
    m.delete(keyId);
    return { kind: 'key', stored: k };
  }

  async getLink(): Promise<LinkState> { return { ...this.link }; }

  async setLink(patch: Partial<LinkState>): Promise<LinkState> {
    Object.assign(this.link, patch);
    return { ...this.link };
  }

  async spendBudget(bits: number): Promise<boolean> {
    if (this.link.budgetBits === null) return true;
    if (this.link.budgetBits < bits) return false;
    this.link.budgetBits -= bits;
    return true;
  }

  async pendingCount(owner: string): Promise<number> { return this.keys.get(owner)?.size ?? 0; }
}
