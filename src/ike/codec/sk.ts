// The SK payload's protection (RFC 7296 §3.14) with AES-CBC + HMAC, or AES-GCM with a 16-byte ICV
// (RFC 5282), and its fragmented form SKF (RFC 7383).
//
// Flow, sealing:  payloads → encodePayloads → ‖ padding ‖ pad length → IV (CBC: random; GCM: counter)
//                 → CBC: encrypt, then ICV = HMAC(header ‖ SK header ‖ IV ‖ ciphertext)
//                   GCM: AAD = IKE header ‖ SK header (SKF: through Total Fragments), nonce = salt ‖ IV
// Flow, opening:  lengths → ICV / tag verified in constant time, before anything is decrypted
//                 ('integrity') → decrypt → pad length bounded ('decrypt') → decodePayloads.
//
// One SkCipher per direction of an IKE SA holds the keys in WASM memory; dispose() wipes them.
import type { Core } from '../../crypto/core.js';
import { type Bytes, concat, ctEqual } from '../../crypto/bytes.js';
import { AesKey, GcmKey } from '../../crypto/aes.js';
import { type HashAlg, HmacKey } from '../../crypto/hash.js';
import { GENERIC_HEADER_LEN, IKE_HEADER_LEN, PayloadType } from './constants.js';
import type { DecodeError, Decoded, IkeHeader, IkeMessage, Payload, SkPayload, SkfPayload } from './types.js';
import {
  type HeaderFields, decodeHeader, decodePayload, decodePayloads, encodeHeader, encodePayloads, isRaw,
} from './message.js';
import { Writer, bad, good, u16 } from './wire.js';

export interface SkSuite {
  cipher: 'aes-cbc' | 'aes-gcm-16';
  /** aes-cbc only: the HMAC of the integrity transform. */
  integ?: HashAlg;
  /** aes-cbc: sha1 12, sha256 16, sha384 24, sha512 32; aes-gcm-16: 16. */
  icvLen: number;
}

/** Keys for one direction (SK_ei/SK_ai or SK_er/SK_ar); for GCM `encr` ends with the 4-byte salt. */
export interface SkKeys { encr: Bytes; integ: Bytes }

const ICV_LEN: Record<HashAlg, number> = { sha1: 12, sha256: 16, sha384: 24, sha512: 32 };
const GCM_SALT = 4, GCM_IV = 8, GCM_ICV = 16, CBC_BLOCK = 16;
const IV_LIMIT = 0xffffffffffffffffn;

export class SkCipher {
  readonly ivLen: number;
  readonly icvLen: number;
  /** Plaintext (payloads ‖ padding ‖ pad length) is a multiple of this. */
  readonly blockLen: number;
  private aes?: AesKey;
  private gcm?: GcmKey;
  private hmac?: HmacKey;
  private salt = new Uint8Array(0);
  private counter = 0n;

  constructor(core: Core, readonly suite: SkSuite, keys: SkKeys) {
    if (suite.cipher === 'aes-cbc') {
      if (!suite.integ || suite.icvLen !== ICV_LEN[suite.integ]) {
        throw new Error(`sk: aes-cbc needs an integrity algorithm with its ICV length (${suite.integ}/${suite.icvLen})`);
      }
      if (keys.integ.length === 0) throw new RangeError('sk: empty integrity key');
      this.aes = new AesKey(core, keys.encr);
      this.hmac = new HmacKey(core, suite.integ, keys.integ);
      this.ivLen = CBC_BLOCK; this.blockLen = CBC_BLOCK; this.icvLen = suite.icvLen;
    } else if (suite.cipher === 'aes-gcm-16') {
      if (suite.icvLen !== GCM_ICV || suite.integ) throw new Error('sk: aes-gcm-16 has a 16-byte ICV and no integrity algorithm');
      this.gcm = new GcmKey(core, keys.encr.subarray(0, keys.encr.length - GCM_SALT));
      this.salt = keys.encr.slice(keys.encr.length - GCM_SALT);
      this.ivLen = GCM_IV; this.blockLen = 1; this.icvLen = GCM_ICV;
    } else {
      throw new Error(`sk: unknown cipher ${String(suite.cipher)}`);
    }
  }

  /** The next IV: 16 random bytes for CBC; for GCM a 64-bit counter that refuses to wrap (RFC 5282 §3). */
  nextIv(random: (n: number) => Bytes): Bytes {
    if (!this.gcm) return random(CBC_BLOCK);
    if (this.counter >= IV_LIMIT) throw new Error('sk: GCM IV counter exhausted; rekey the IKE SA');
    this.counter += 1n;
    const iv = new Uint8Array(GCM_IV);
    new DataView(iv.buffer).setBigUint64(0, this.counter);
    return iv;
  }

  /**
   * Protect `plaintext` (payloads ‖ padding ‖ pad length, whole blocks); `prefix` is everything before
   * the IV (IKE header ‖ SK header, or through Total Fragments for SKF), with final lengths.
   * Returns IV ‖ ciphertext ‖ ICV.
   */
  seal(prefix: Bytes, plaintext: Bytes, iv: Bytes): Bytes {
    if (iv.length !== this.ivLen) throw new RangeError(`sk: IV of ${iv.length} bytes`);
    if (plaintext.length % this.blockLen !== 0 || plaintext.length === 0) throw new RangeError('sk: plaintext not padded');
    if (this.gcm) return concat(iv, this.gcm.seal(concat(this.salt, iv), plaintext, prefix, GCM_ICV));
    const ct = this.live(this.aes).cbcEncrypt(iv, plaintext);
    const icv = this.live(this.hmac).mac(concat(prefix, iv, ct), this.icvLen);
    return concat(iv, ct, icv);
  }

  /** Verify, then decrypt IV ‖ ciphertext ‖ ICV; returns the payload bytes with the padding removed. */
  open(prefix: Bytes, body: Bytes): Decoded<Bytes> {
    const ctLen = body.length - this.ivLen - this.icvLen;
    if (ctLen < 1 || ctLen % this.blockLen !== 0) return bad('length', `encrypted payload of ${body.length} bytes`);
    const iv = body.subarray(0, this.ivLen);
    let pt: Bytes | null;
    if (this.gcm) {
      pt = this.gcm.open(concat(this.salt, iv), body.subarray(this.ivLen), prefix, GCM_ICV);
      if (!pt) return integrity('AES-GCM tag mismatch');
    } else {
      const ct = body.subarray(this.ivLen, this.ivLen + ctLen);
      const icv = this.live(this.hmac).mac(concat(prefix, body.subarray(0, this.ivLen + ctLen)), this.icvLen);
      if (!ctEqual(icv, body.subarray(this.ivLen + ctLen))) return integrity('integrity checksum mismatch');
      pt = this.live(this.aes).cbcDecrypt(iv, ct) as Bytes;
    }
    const padLen = pt[pt.length - 1];
    if (padLen + 1 > pt.length) return { ok: false, error: { reason: 'decrypt', detail: `pad length ${padLen} in ${pt.length} bytes` } };
    return good(pt.subarray(0, pt.length - 1 - padLen));
  }

  /** Wipe the keys (WASM memory and the GCM salt); the cipher is unusable afterwards. */
  dispose(): void {
    this.aes?.dispose(); this.gcm?.dispose(); this.hmac?.dispose();
    this.salt.fill(0);
  }

  private live<T>(k: T | undefined): T {
    if (!k) throw new Error('sk: wrong key for this suite');
    return k;
  }
}

const integrity = (detail: string): { ok: false; error: DecodeError } => ({ ok: false, error: { reason: 'integrity', detail } });

export interface SealOptions {
  /** Pad the plaintext up to a multiple of this (hides the length); a multiple of the block length. */
  padTo?: number;
  /** Test only: a fixed IV (for reproducing a captured message). It does not advance the GCM counter. */
  iv?: Bytes;
  /** Test only: the padding bytes themselves (default: zeros, which RFC 7296 §3.14 allows). */
  padding?: Bytes;
}

/** payloads ‖ padding ‖ pad length, a multiple of the cipher's block length. */
function pad(c: SkCipher, inner: Bytes, opts: SealOptions): Bytes {
  let n: number;
  if (opts.padding) {
    n = opts.padding.length;
  } else {
    const unit = opts.padTo ?? c.blockLen;
    if (!Number.isInteger(unit) || unit < 1 || unit % c.blockLen !== 0) throw new RangeError(`sk: padTo ${unit}`);
    n = (unit - ((inner.length + 1) % unit)) % unit;
  }
  if (n > 255 || (inner.length + n + 1) % c.blockLen !== 0) throw new RangeError(`sk: ${n} padding bytes`);
  const out = new Uint8Array(inner.length + n + 1);
  out.set(inner);
  if (opts.padding) out.set(opts.padding, inner.length);
  out[out.length - 1] = n;
  return out;
}

/** A whole message whose only payload is SK, protecting `inner` (RFC 7296 §3.14). */
export function sealMessage(c: SkCipher, h: HeaderFields, inner: Payload[], random: (n: number) => Bytes,
  opts: SealOptions = {}): Bytes {
  const { first, bytes } = encodePayloads(inner);
  const plain = pad(c, bytes, opts);
  const skLen = GENERIC_HEADER_LEN + c.ivLen + plain.length + c.icvLen;
  const prefix = concat(encodeHeader(h, PayloadType.SK, IKE_HEADER_LEN + skLen),
    new Writer().u8(first).u8(0).u16(skLen, 'SK payload length').finish());
  return concat(prefix, c.seal(prefix, plain, opts.iv ?? c.nextIv(random)));
}

/**
 * Locate the last payload (SK or SKF) of `raw` with the help of its decoded form, and decode it and the
 * header again from `raw` itself: what gets authenticated is what gets used.
 */
function lastPayload<T extends SkPayload | SkfPayload>(raw: Bytes, msg: IkeMessage, type: T['type']):
  Decoded<{ at: number; p: T; header: IkeHeader }> {
  const last = msg.payloads[msg.payloads.length - 1];
  if (!last || isRaw(last) || last.type !== type) return bad('syntax', `last payload is not ${type === PayloadType.SK ? 'SK' : 'SKF'}`);
  const at = raw.length - GENERIC_HEADER_LEN - (type === PayloadType.SKF ? 4 : 0) - (last as T).body.length;
  if (at < IKE_HEADER_LEN || u16(raw, at + 2) !== raw.length - at) return bad('syntax', 'message does not match its decoded form');
  const header = decodeHeader(raw);
  if (!header.ok) return header;
  const p = decodePayload(type, raw.subarray(at + GENERIC_HEADER_LEN), raw[at]);
  if (!p.ok) return p;
  return good({ at, p: p.value as T, header: header.value });
}

/** Verify and decrypt the SK payload of a decoded message; returns the inner payloads. */
export function openMessage(c: SkCipher, raw: Bytes, msg: IkeMessage): Decoded<Payload[]> {
  const l = lastPayload<SkPayload>(raw, msg, PayloadType.SK);
  if (!l.ok) return l;
  const inner = c.open(raw.subarray(0, l.value.at + GENERIC_HEADER_LEN), l.value.p.body);
  if (!inner.ok) return inner;
  return decodePayloads(l.value.p.inner, inner.value);
}

/**
 * The inner payloads as SKF fragments (RFC 7383 §2.5): each fragment message carries at most
 * `maxFragmentPayload` bytes of the encoded payload chain (before padding, IV and ICV).
 */
export function sealFragments(c: SkCipher, h: HeaderFields, inner: Payload[], random: (n: number) => Bytes,
  maxFragmentPayload: number, opts: { ivs?: Bytes[] } = {}): Bytes[] {
  if (!Number.isInteger(maxFragmentPayload) || maxFragmentPayload < 1) throw new RangeError(`sk: fragment size ${maxFragmentPayload}`);
  const { first, bytes } = encodePayloads(inner);
  const total = Math.max(1, Math.ceil(bytes.length / maxFragmentPayload));
  if (total > 0xffff) throw new RangeError(`sk: ${total} fragments`);
  const out: Bytes[] = [];
  for (let i = 0; i < total; i++) {
    const plain = pad(c, bytes.subarray(i * maxFragmentPayload, (i + 1) * maxFragmentPayload), {});
    const skfLen = GENERIC_HEADER_LEN + 4 + c.ivLen + plain.length + c.icvLen;
    const prefix = concat(encodeHeader(h, PayloadType.SKF, IKE_HEADER_LEN + skfLen),
      new Writer().u8(i === 0 ? first : 0).u8(0).u16(skfLen, 'SKF payload length').u16(i + 1).u16(total).finish());
    out.push(concat(prefix, c.seal(prefix, plain, opts.ivs?.[i] ?? c.nextIv(random))));
  }
  return out;
}

export type Reassembly = { done: false; received: number; total: number } | { done: true; payloads: Payload[] };

/**
 * Collects the SKF fragments of one message (RFC 7383 §2.6). Every fragment is authenticated and
 * decrypted before it is stored; a fragment of another message ID starts over; a larger Total
 * Fragments than seen so far discards what was collected (the sender re-fragmented), a smaller one is
 * dropped (§2.6.2). Bounded in fragments and bytes.
 */
export class Reassembler {
  private messageId = -1;
  private exchange = -1;
  private total = 0;
  private first = 0;
  private parts = new Map<number, Bytes>();
  private bytes = 0;

  readonly maxFragments: number;
  readonly maxBytes: number;
  constructor(opts: { maxFragments?: number; maxBytes?: number } = {}) {
    this.maxFragments = opts.maxFragments ?? 64;
    this.maxBytes = opts.maxBytes ?? 65536;
  }

  /** One fragment, opened with `c` (the inbound SK cipher of the IKE SA at the time). */
  add(c: SkCipher, raw: Bytes, msg: IkeMessage): Decoded<Reassembly> {
    const l = lastPayload<SkfPayload>(raw, msg, PayloadType.SKF);
    if (!l.ok) return l;
    const f = l.value.p;
    if (f.total > this.maxFragments) return bad('syntax', `${f.total} fragments, at most ${this.maxFragments}`);
    const chunk = c.open(raw.subarray(0, l.value.at + GENERIC_HEADER_LEN + 4), f.body);
    if (!chunk.ok) return chunk;
    const h = l.value.header;
    if (h.messageId !== this.messageId || f.total > this.total) this.reset(h.messageId, h.exchange, f.total);
    else if (f.total < this.total) return bad('syntax', `stale fragment: total ${f.total}, expected ${this.total}`);
    else if (h.exchange !== this.exchange) return bad('syntax', 'fragments of one message with different exchange types');
    if (!this.parts.has(f.fragment)) {
      if (this.bytes + chunk.value.length > this.maxBytes) {
        this.reset(-1, -1, 0);
        return bad('length', `reassembled message over ${this.maxBytes} bytes`);
      }
      this.parts.set(f.fragment, chunk.value.slice());
      this.bytes += chunk.value.length;
      if (f.fragment === 1) this.first = f.inner;
    }
    if (this.parts.size < this.total) return good({ done: false, received: this.parts.size, total: this.total });
    const all: Bytes[] = [];
    for (let i = 1; i <= this.total; i++) all.push(this.parts.get(i) as Bytes);
    const first = this.first;
    this.reset(-1, -1, 0);
    const d = decodePayloads(first, concat(...all));
    return d.ok ? good({ done: true, payloads: d.value }) : d;
  }

  private reset(messageId: number, exchange: number, total: number): void {
    this.messageId = messageId; this.exchange = exchange; this.total = total;
    this.parts = new Map(); this.bytes = 0; this.first = 0;
  }
}
