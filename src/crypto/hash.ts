// SHA-1/2 (FIPS 180-4), HMAC (RFC 2104) and the IKEv2 prf / prf+ (RFC 7296 §2.13) on the WASM core.
import type { Core } from './core.js';
import { type Bytes, assertBytes } from './bytes.js';

export type HashAlg = 'sha1' | 'sha256' | 'sha384' | 'sha512';
export const HASH_ALGS: readonly HashAlg[] = ['sha1', 'sha256', 'sha384', 'sha512'];
const HASH_ID: Record<HashAlg, number> = { sha1: 1, sha256: 2, sha384: 3, sha512: 4 };
export const DIGEST_LEN: Record<HashAlg, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };
export const BLOCK_LEN: Record<HashAlg, number> = { sha1: 64, sha256: 64, sha384: 128, sha512: 128 };

function algId(alg: HashAlg): number {
  const id = HASH_ID[alg];
  if (id === undefined) throw new Error(`hash: unknown algorithm ${String(alg)}`);
  return id;
}

/** Incremental hash; the context lives in WASM memory until digest() or dispose(). */
export class Hasher {
  private ctx: number;
  private readonly size: number;
  constructor(private readonly core: Core, readonly alg: HashAlg) {
    this.size = core.constant('HASH_CTX_SIZE');
    this.ctx = core.alloc(this.size);
    core.x.hash_init(this.ctx, algId(alg));
  }
  update(data: Bytes): this {
    if (this.ctx === 0) throw new Error('hash: update after digest');
    assertBytes('hash data', data);
    const chunk = 65536;
    for (let o = 0; o < data.length; o += chunk) {
      const part = data.subarray(o, Math.min(data.length, o + chunk));
      const io = this.core.io(part.length);
      this.core.put(io, part);
      this.core.x.hash_update(this.ctx, io, part.length);
    }
    return this;
  }
  digest(): Bytes {
    if (this.ctx === 0) throw new Error('hash: digest called twice');
    const io = this.core.io(64);
    this.core.x.hash_final(this.ctx, io);
    const out = this.core.get(io, DIGEST_LEN[this.alg]);
    this.dispose();
    return out;
  }
  dispose(): void {
    if (this.ctx !== 0) { this.core.release(this.ctx, this.size); this.ctx = 0; }
  }
}

export function hash(core: Core, alg: HashAlg, data: Bytes): Bytes {
  return new Hasher(core, alg).update(data).digest();
}

/** A keyed HMAC: the pad midstates are computed once, then every mac() costs only the message. */
export class HmacKey {
  private ctx: number;
  private readonly size: number;
  constructor(private readonly core: Core, readonly alg: HashAlg, key: Bytes) {
    assertBytes('hmac key', key);
    this.size = core.constant('HMAC_CTX_SIZE');
    this.ctx = core.alloc(this.size);
    const io = core.io(key.length);
    core.put(io, key);
    core.x.hmac_init(this.ctx, algId(alg), io, key.length);
    core.x.wipe(io, key.length);
  }
  /** The MAC of `data`, truncated to `outLen` bytes (default: full length, as a PRF). */
  mac(data: Bytes, outLen = DIGEST_LEN[this.alg]): Bytes {
    if (this.ctx === 0) throw new Error('hmac: key disposed');
    assertBytes('hmac data', data);
    if (!Number.isInteger(outLen) || outLen < 1 || outLen > DIGEST_LEN[this.alg]) {
      throw new RangeError(`hmac: output length ${outLen} out of range`);
    }
    const io = this.core.io(data.length + 64);
    this.core.put(io, data);
    const out = io + ((data.length + 15) & ~15);
    this.core.x.hmac_mac(this.ctx, io, data.length, out);
    const mac = this.core.get(out, outLen);
    this.core.x.wipe(io, out + 64 - io); // the message may be a secret (g^ir, a PPK, a key pad)
    return mac;
  }
  dispose(): void {
    if (this.ctx !== 0) { this.core.release(this.ctx, this.size); this.ctx = 0; }
  }
}

export function hmac(core: Core, alg: HashAlg, key: Bytes, data: Bytes, outLen?: number): Bytes {
  const k = new HmacKey(core, alg, key);
  try { return k.mac(data, outLen); } finally { k.dispose(); }
}

/** prf(K, S) of RFC 7296 §2.13 for PRF_HMAC_* — full-length HMAC. */
export function prf(core: Core, alg: HashAlg, key: Bytes, data: Bytes): Bytes {
  return hmac(core, alg, key, data);
}

/** prf+(K, S) of RFC 7296 §2.13, `len` bytes (at most 255 PRF blocks). */
export function prfPlus(core: Core, alg: HashAlg, key: Bytes, seed: Bytes, len: number): Bytes {
  assertBytes('prf+ key', key);
  assertBytes('prf+ seed', seed);
  if (!Number.isInteger(len) || len < 0 || len > 255 * DIGEST_LEN[alg]) {
    throw new RangeError(`prf+: ${len} bytes asked, at most ${255 * DIGEST_LEN[alg]} possible`);
  }
  const a = (n: number) => (n + 15) & ~15;
  const io = core.io(a(key.length) + a(seed.length) + a(len));
  const seedP = io + a(key.length), outP = seedP + a(seed.length);
  core.put(io, key);
  core.put(seedP, seed);
  const rc = core.x.prf_plus(algId(alg), io, key.length, seedP, seed.length, outP, len);
  const out = core.get(outP, len);
  core.x.wipe(io, outP + len - io);
  if (rc !== 0) throw new Error(`prf+: core error ${rc}`);
  return out;
}
