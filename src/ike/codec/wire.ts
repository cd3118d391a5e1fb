// Byte-level helpers shared by the IKEv2 payload codecs (RFC 7296 §3): big-endian reads, a small growing
// writer, and the DecodeError constructors. Decoding never throws on input (STYLE.md §4); encoders
// throw `codec: …` only for values a caller should never have built.
import type { Bytes } from '../../crypto/bytes.js';
import type { Decoded, DecodeError } from './types.js';

export const u16 = (b: Bytes, o: number): number => (b[o] << 8) | b[o + 1];
export const u32 = (b: Bytes, o: number): number => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;

export function good<T>(value: T): Decoded<T> { return { ok: true, value }; }

export function bad(reason: 'length' | 'syntax', detail: string): { ok: false; error: DecodeError } {
  return { ok: false, error: { reason, detail } };
}

function check(name: string, v: number, max: number): number {
  if (!Number.isInteger(v) || v < 0 || v > max) throw new RangeError(`codec: ${name} ${v} out of range 0..${max}`);
  return v;
}

/** An append-only big-endian byte writer with 16-bit length back-patching. */
export class Writer {
  private buf = new Uint8Array(256);
  private n = 0;

  private room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.n + k) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
  }
  get length(): number { return this.n; }
  u8(v: number, name = 'octet'): this { this.room(1); this.buf[this.n++] = check(name, v, 0xff); return this; }
  u16(v: number, name = 'u16'): this {
    check(name, v, 0xffff);
    this.room(2); this.buf[this.n++] = v >>> 8; this.buf[this.n++] = v & 0xff; return this;
  }
  u32(v: number, name = 'u32'): this {
    check(name, v, 0xffffffff);
    this.room(4);
    this.buf[this.n++] = v >>> 24; this.buf[this.n++] = (v >>> 16) & 0xff;
    this.buf[this.n++] = (v >>> 8) & 0xff; this.buf[this.n++] = v & 0xff;
    return this;
  }
  zeros(k: number): this { this.room(k); this.buf.fill(0, this.n, this.n + k); this.n += k; return this; }
  bytes(b: Bytes): this { this.room(b.length); this.buf.set(b, this.n); this.n += b.length; return this; }
  /** Write a 16-bit length at `at` covering from `from` to the current end. */
  patchLength(at: number, from: number, name: string): this {
    const len = check(name, this.n - from, 0xffff);
    this.buf[at] = len >>> 8; this.buf[at + 1] = len & 0xff;
    return this;
  }
  finish(): Bytes { return this.buf.slice(0, this.n); }
}
