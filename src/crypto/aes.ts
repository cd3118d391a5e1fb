// AES (FIPS-197) in ECB / CBC (SP 800-38A) / CTR, and AES-GCM (SP 800-38D) on the WASM core, with
// optional PKCS#7 padding for CBC (RFC 5652 §6.3) — ESP never pads that way, callers outside ESP may.
import type { Core } from './core.js';
import { type Bytes, assertBytes } from './bytes.js';

/** An expanded AES key in WASM memory: the raw key passes through the scratch area and is wiped. */
abstract class KeyedContext {
  protected ctx: number;
  constructor(protected readonly core: Core, private readonly size: number, key: Bytes,
    init: 'aes_init' | 'gcm_init') {
    assertBytes(init === 'aes_init' ? 'aes key' : 'gcm key', key, 16, 24, 32);
    this.ctx = core.alloc(size);
    const io = core.io(32);
    core.put(io, key);
    core.x[init](this.ctx, io, key.length);
    core.x.wipe(io, 32);
  }
  protected live(): number {
    if (this.ctx === 0) throw new Error('aes: key disposed');
    return this.ctx;
  }
  /** Wipe the expanded key from WASM memory. */
  dispose(): void {
    if (this.ctx !== 0) { this.core.release(this.ctx, this.size); this.ctx = 0; }
  }
}

const a16 = (n: number) => (n + 15) & ~15;

export class AesKey extends KeyedContext {
  constructor(core: Core, key: Bytes) { super(core, core.constant('AES_CTX_SIZE'), key, 'aes_init'); }

  private blocks(fn: 'aes_ecb_encrypt' | 'aes_ecb_decrypt', data: Bytes): Bytes {
    if (data.length % 16 !== 0) throw new RangeError('aes: ECB data must be whole blocks');
    const io = this.core.io(data.length);
    this.core.put(io, data);
    this.core.x[fn](this.live(), io, io, data.length);
    const out = this.core.get(io, data.length);
    this.core.x.wipe(io, data.length);
    return out;
  }
  ecbEncrypt(data: Bytes): Bytes { return this.blocks('aes_ecb_encrypt', data); }
  ecbDecrypt(data: Bytes): Bytes { return this.blocks('aes_ecb_decrypt', data); }

  cbcEncrypt(iv: Bytes, data: Bytes, opts: { pkcs7?: boolean } = {}): Bytes {
    assertBytes('cbc iv', iv, 16);
    let pt = data;
    if (opts.pkcs7) {
      const n = 16 - (data.length % 16);
      pt = new Uint8Array(data.length + n);
      pt.set(data);
      pt.fill(n, data.length);
    } else if (data.length % 16 !== 0) {
      throw new RangeError('aes: CBC data must be whole blocks');
    }
    return this.cbc('aes_cbc_encrypt', iv, pt);
  }

  /** Raw CBC decryption; with pkcs7, returns null when the padding is invalid. */
  cbcDecrypt(iv: Bytes, data: Bytes, opts: { pkcs7?: boolean } = {}): Bytes | null {
    assertBytes('cbc iv', iv, 16);
    if (data.length % 16 !== 0) {
      if (opts.pkcs7) return null;
      throw new RangeError('aes: CBC data must be whole blocks');
    }
    if (opts.pkcs7 && data.length === 0) return null;
    const pt = this.cbc('aes_cbc_decrypt', iv, data);
    return opts.pkcs7 ? unpadPkcs7(pt) : pt;
  }

  private cbc(fn: 'aes_cbc_encrypt' | 'aes_cbc_decrypt', iv: Bytes, data: Bytes): Bytes {
    const io = this.core.io(16 + data.length);
    this.core.put(io, iv);
    this.core.put(io + 16, data);
    this.core.x[fn](this.live(), io, io + 16, io + 16, data.length);
    const out = this.core.get(io + 16, data.length);
    this.core.x.wipe(io, 16 + data.length);
    return out;
  }

  /** CTR with GCM's 32-bit big-endian counter (inc32) in the last 4 bytes of `counter`. */
  ctr32(counter: Bytes, data: Bytes): Bytes {
    assertBytes('ctr counter block', counter, 16);
    const io = this.core.io(16 + data.length);
    this.core.put(io, counter);
    this.core.put(io + 16, data);
    this.core.x.aes_ctr32(this.live(), io, io + 16, io + 16, data.length);
    const out = this.core.get(io + 16, data.length);
    this.core.x.wipe(io, 16 + data.length);
    return out;
  }
}

/** PKCS#7 unpadding without data-dependent branches on the padding bytes; null when invalid. */
function unpadPkcs7(pt: Bytes): Bytes | null {
  const n = pt[pt.length - 1];
  let bad = ((n - 1) >>> 31) | ((16 - n) >>> 31); // n == 0 or n > 16
  for (let i = 1; i <= 16; i++) {
    const inPad = ((i - n - 1) >>> 31) & 1; // 1 when i <= n
    bad |= inPad & ((pt[pt.length - i] ^ n) !== 0 ? 1 : 0);
  }
  return bad ? null : pt.slice(0, pt.length - n);
}

export class GcmKey extends KeyedContext {
  constructor(core: Core, key: Bytes) { super(core, core.constant('GCM_CTX_SIZE'), key, 'gcm_init'); }

  /** Encrypt; returns ciphertext ‖ tag (`tagLen` bytes, 1–16, default 16). */
  seal(iv: Bytes, plaintext: Bytes, aad: Bytes = new Uint8Array(0), tagLen = 16): Bytes {
    this.check(iv, aad, tagLen);
    const { io, ivP, aadP, dataP, tagP } = this.layout(iv, aad, plaintext.length);
    this.core.put(dataP, plaintext);
    const rc = this.core.x.gcm_seal(this.live(), ivP, iv.length, aadP, aad.length, dataP, dataP, plaintext.length, tagP, tagLen);
    if (rc !== 0) throw new Error(`gcm: seal failed (${rc})`);
    const out = new Uint8Array(plaintext.length + tagLen);
    out.set(this.core.mem.subarray(dataP, dataP + plaintext.length));
    out.set(this.core.mem.subarray(tagP, tagP + tagLen), plaintext.length);
    this.core.x.wipe(io, tagP + 16 - io);
    return out;
  }

  /** Verify and decrypt ciphertext ‖ tag; null when the tag does not match (nothing is decrypted). */
  open(iv: Bytes, sealed: Bytes, aad: Bytes = new Uint8Array(0), tagLen = 16): Bytes | null {
    this.check(iv, aad, tagLen);
    assertBytes('gcm input', sealed);
    if (sealed.length < tagLen) return null;
    const len = sealed.length - tagLen;
    const { io, ivP, aadP, dataP, tagP } = this.layout(iv, aad, len);
    this.core.put(dataP, sealed.subarray(0, len));
    this.core.put(tagP, sealed.subarray(len));
    const rc = this.core.x.gcm_open(this.live(), ivP, iv.length, aadP, aad.length, dataP, dataP, len, tagP, tagLen);
    const out = rc === 0 ? this.core.get(dataP, len) : null;
    this.core.x.wipe(io, tagP + 16 - io);
    if (rc === -1) throw new Error('gcm: bad parameters');
    return out;
  }

  private check(iv: Bytes, aad: Bytes, tagLen: number): void {
    assertBytes('gcm iv', iv);
    assertBytes('gcm aad', aad);
    if (iv.length === 0) throw new RangeError('gcm: empty IV');
    if (!Number.isInteger(tagLen) || tagLen < 1 || tagLen > 16) throw new RangeError(`gcm: tag length ${tagLen}`);
  }

  private layout(iv: Bytes, aad: Bytes, len: number) {
    const io = this.core.io(a16(iv.length) + a16(aad.length) + a16(len) + 16);
    const ivP = io, aadP = ivP + a16(iv.length), dataP = aadP + a16(aad.length), tagP = dataP + a16(len);
    this.core.put(ivP, iv);
    this.core.put(aadP, aad);
    return { io, ivP, aadP, dataP, tagP };
  }
}
