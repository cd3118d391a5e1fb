// The lab's saved state in IndexedDB: the current lab's name and both routers' configurations (as
// `show running-config` prints them: keys in type 7), so a reload — online or offline — comes back to
// where the user was. One record under a fixed key; nothing else is stored.
// Certificates live outside the configurations (each router's TrustpointStore) and the lab CA in the
// key-server worker: their material — PEM certificates and PKCS#8 private keys — is saved in the same
// record (`pki`), in this origin's IndexedDB only. It is never exported, shared, shown or logged.
// Each router's list (`A`, `B`: PkiMaterial, src/pki/trustpoint.ts) holds its trustpoints and, since `crypto
// key generate rsa`, its key pairs (entries with `kind: 'rsa-keypair'`, label, created, PKCS#8 private key);
// records saved before key pairs existed hold trustpoints only and load unchanged.
import type { LabCaMaterial } from '../pki/lab-ca.js';
import type { PkiMaterial } from '../pki/trustpoint.js';

/** The lab's certificates: the lab CA, and each router's trustpoints and key pairs (private keys included). */
export interface SavedPki {
  ca?: LabCaMaterial;
  A?: PkiMaterial[];
  B?: PkiMaterial[];
}

export interface SavedLab {
  /** The preset the configurations started from, if any. */
  name?: string;
  configA: string;
  configB: string;
  /** Absent in labs saved before certificates (and when there are none). */
  pki?: SavedPki;
  savedAt: number;
}

const STORE = 'lab';
const KEY = 'current';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('store: IndexedDB request failed'));
  });
}

export class LabStore {
  private db?: Promise<IDBDatabase>;

  constructor(readonly dbName = 'webswan-lab') {}

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise<IDBDatabase>((resolve, reject) => {
      if (typeof indexedDB === 'undefined') { reject(new Error('store: IndexedDB is not available')); return; }
      const r = indexedDB.open(this.dbName, 1);
      r.onupgradeneeded = () => { if (!r.result.objectStoreNames.contains(STORE)) r.result.createObjectStore(STORE); };
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error ?? new Error('store: cannot open IndexedDB'));
      r.onblocked = () => reject(new Error('store: IndexedDB upgrade blocked by another tab'));
    });
    return this.db;
  }

  private async tx(mode: IDBTransactionMode): Promise<IDBObjectStore> {
    return (await this.open()).transaction(STORE, mode).objectStore(STORE);
  }

  async load(): Promise<SavedLab | undefined> {
    const v = await request((await this.tx('readonly')).get(KEY));
    return isSavedLab(v) ? withSanePki(v) : undefined;
  }

  async save(lab: SavedLab): Promise<void> {
    const s = await this.tx('readwrite');
    await request(s.put({ ...lab }, KEY));
  }

  async clear(): Promise<void> {
    await request((await this.tx('readwrite')).delete(KEY));
  }

  async close(): Promise<void> {
    if (this.db) (await this.db.catch(() => undefined))?.close();
    this.db = undefined;
  }

  /** Removes the whole database (tests). */
  static async destroy(dbName: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const r = indexedDB.deleteDatabase(dbName);
      r.onsuccess = () => resolve();
      r.onerror = () => reject(r.error ?? new Error('store: cannot delete IndexedDB'));
      r.onblocked = () => resolve();
    });
  }
}

/**
 * A saved record whose certificate part is damaged still restores its configurations: router lists that are
 * not lists are dropped (each router then says its trustpoints are empty), the rest goes to
 * TrustpointStore.restore, which checks every item.
 */
function withSanePki(v: SavedLab): SavedLab {
  if (!v.pki) return v;
  const pki = { ...v.pki };
  for (const r of ['A', 'B'] as const) if (pki[r] !== undefined && !Array.isArray(pki[r])) delete pki[r];
  return { ...v, pki };
}

function isSavedLab(v: unknown): v is SavedLab {
  if (!v || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return typeof o.configA === 'string' && typeof o.configB === 'string' && (o.name === undefined || typeof o.name === 'string')
    && (o.pki === undefined || (!!o.pki && typeof o.pki === 'object'));
}
