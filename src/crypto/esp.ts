// One ESP security association (RFC 4303, tunnel mode) on the WASM core: keys, sequence counter and
// anti-replay window live in WASM memory and are wiped by dispose(). encap/decap never throw on packet
// contents: they return a result with a reason code (STYLE.md §4), which counters and traces use.
import type { Core } from './core.js';
import { type Bytes, assertBytes } from './bytes.js';

export type EspCipher = 'aes-cbc' | 'aes-gcm-16';
export type EspInteg = 'none' | 'hmac-sha1-96' | 'hmac-sha256-128' | 'hmac-sha384-192' | 'hmac-sha512-256';

const CIPHER_ID: Record<EspCipher, number> = { 'aes-cbc': 1, 'aes-gcm-16': 2 };
const INTEG_ID: Record<EspInteg, number> = {
  none: 0, 'hmac-sha1-96': 1, 'hmac-sha256-128': 2, 'hmac-sha384-192': 3, 'hmac-sha512-256': 4,
};
export const INTEG_KEY_LEN: Record<EspInteg, number> = {
  none: 0, 'hmac-sha1-96': 20, 'hmac-sha256-128': 32, 'hmac-sha384-192': 48, 'hmac-sha512-256': 64,
};

/** Reason codes of asm/esp.ts; checked against the module's exports when an SA is created. */
export const ESP_ERRORS = {
  1: 'short', 2: 'align', 3: 'replay', 4: 'icv', 5: 'pad', 6: 'spi', 7: 'seq-overflow', 8: 'too-big', 9: 'bad-sa',
} as const;
export type EspErrorReason = (typeof ESP_ERRORS)[keyof typeof ESP_ERRORS];
const EXPORT_NAME: Record<EspErrorReason, string> = {
  short: 'ESP_ERR_SHORT', align: 'ESP_ERR_ALIGN', replay: 'ESP_ERR_REPLAY', icv: 'ESP_ERR_ICV', pad: 'ESP_ERR_PAD',
  spi: 'ESP_ERR_SPI', 'seq-overflow': 'ESP_ERR_SEQ_OVERFLOW', 'too-big': 'ESP_ERR_TOO_BIG', 'bad-sa': 'ESP_ERR_BAD_SA',
};

export const NEXT_HEADER_IPV4 = 4;
export const DEFAULT_REPLAY_WINDOW = 1024;

export interface EspSaParams {
  spi: number;
  cipher: EspCipher;
  /** AES key; for AES-GCM followed by the 4-byte salt (RFC 4106 §8.1), as IKEv2 KEYMAT delivers it. */
  encKey: Bytes;
  integ?: EspInteg;
  integKey?: Bytes;
  /** Anti-replay window in packets (default 1024, at most 1984). */
  replayWindow?: number;
}

export type EspResult =
  | { ok: true; packet: Bytes; nextHeader: number }
  | { ok: false; reason: EspErrorReason };

export interface EspStats {
  packets: number;
  bytes: number;
  drops: Record<EspErrorReason, number>;
}

let checkedCore: Core | undefined;
function checkCodes(core: Core): void {
  if (checkedCore === core) return;
  for (const [code, reason] of Object.entries(ESP_ERRORS)) {
    if (core.constant(EXPORT_NAME[reason]) !== Number(code)) throw new Error(`esp: reason code table out of date (${reason})`);
  }
  checkedCore = core;
}

export class EspSa {
  readonly spi: number;
  readonly cipher: EspCipher;
  readonly integ: EspInteg;
  readonly ivLen: number;
  readonly icvLen: number;
  private sa: number;
  private readonly size: number;

  constructor(private readonly core: Core, params: EspSaParams) {
    checkCodes(core);
    const { spi, cipher, encKey } = params;
    const integ = params.integ ?? 'none';
    const window = params.replayWindow ?? DEFAULT_REPLAY_WINDOW;
    if (!Number.isInteger(spi) || spi < 256 || spi > 0xffffffff) throw new RangeError(`esp: SPI ${spi} (1–255 are reserved)`);
    if (CIPHER_ID[cipher] === undefined) throw new Error(`esp: unknown cipher ${String(cipher)}`);
    if (INTEG_ID[integ] === undefined) throw new Error(`esp: unknown integrity ${String(integ)}`);
    if (cipher === 'aes-gcm-16') {
      assertBytes('esp gcm key+salt', encKey, 20, 28, 36);
      if (integ !== 'none') throw new Error('esp: AES-GCM takes no integrity transform');
    } else {
      assertBytes('esp cbc key', encKey, 16, 24, 32);
    }
    const integKey = params.integKey ?? new Uint8Array(0);
    assertBytes('esp integrity key', integKey, INTEG_KEY_LEN[integ]);
    const maxWindow = core.constant('REPLAY_MAX_WINDOW');
    if (!Number.isInteger(window) || window < 1 || window > maxWindow) throw new RangeError(`esp: replay window ${window} (1–${maxWindow})`);

    this.spi = spi; this.cipher = cipher; this.integ = integ;
    this.size = core.constant('ESP_SA_SIZE');
    this.sa = core.alloc(this.size);
    const io = core.io(128);
    core.put(io, encKey);
    core.put(io + 64, integKey);
    const rc = core.x.esp_init(this.sa, CIPHER_ID[cipher], io, encKey.length, INTEG_ID[integ], io + 64, integKey.length, spi >>> 0, window);
    core.x.wipe(io, 128);
    if (rc !== 0) { this.dispose(); throw new Error(`esp: SA initialisation failed (${rc})`); }
    this.ivLen = core.x.esp_iv_len(this.sa);
    this.icvLen = core.x.esp_icv_len(this.sa);
  }

  private live(): number {
    if (this.sa === 0) throw new Error('esp: SA disposed');
    return this.sa;
  }

  /** Largest overhead an encapsulation adds to the inner packet. */
  get maxOverhead(): number { return 8 + this.ivLen + 15 + 2 + this.icvLen; }

  /**
   * Encapsulate an inner packet (default next header 4, IPv4 in tunnel mode). `iv` fixes the CBC IV
   * and exists for known-answer tests only; normally the IV comes from the CSPRNG.
   */
  encap(inner: Bytes, opts: { nextHeader?: number; iv?: Bytes } = {}): EspResult {
    const sa = this.live();
    assertBytes('esp inner packet', inner);
    const nh = opts.nextHeader ?? NEXT_HEADER_IPV4;
    if (!Number.isInteger(nh) || nh < 0 || nh > 255) throw new RangeError(`esp: next header ${nh}`);
    if (opts.iv && (this.cipher !== 'aes-cbc' || opts.iv.length !== 16)) throw new Error('esp: a fixed IV is for AES-CBC known-answer tests');
    const off = 8 + this.ivLen;
    const io = this.core.io(off + inner.length + 64 + 32); // packet, trailer, ICV, then a fixed IV
    this.core.put(io + off, inner);
    let ivP = 0;
    if (opts.iv) { ivP = io + ((off + inner.length + 64 + 15) & ~15); this.core.put(ivP, opts.iv); }
    const n = this.core.x.esp_encap(sa, io, inner.length, nh, ivP);
    if (n < 0) return { ok: false, reason: ESP_ERRORS[-n as keyof typeof ESP_ERRORS] };
    return { ok: true, packet: this.core.get(io, n), nextHeader: nh }; // encrypted in place: no plaintext left
  }

  /**
   * Encapsulate into a caller-provided buffer (no allocation): returns the packet length, or the
   * negated reason code. `out` needs inner.length + maxOverhead bytes (checked before a sequence
   * number is spent).
   */
  encapInto(inner: Bytes, out: Bytes, nextHeader = NEXT_HEADER_IPV4): number {
    const sa = this.live();
    if (inner.length > 65535) return -8; // too-big, as the core would say
    if (out.length < inner.length + this.maxOverhead) throw new RangeError('esp: output buffer too small');
    if (!Number.isInteger(nextHeader) || nextHeader < 0 || nextHeader > 255) throw new RangeError(`esp: next header ${nextHeader}`);
    const off = 8 + this.ivLen;
    const io = this.core.io(off + inner.length + 64);
    this.core.mem.set(inner, io + off);
    const n = this.core.x.esp_encap(sa, io, inner.length, nextHeader, 0);
    if (n > 0) out.set(this.core.mem.subarray(io, io + n));
    return n;
  }

  /** Verify, replay-check and decrypt an ESP packet (starting at the SPI). */
  decap(packet: Bytes): EspResult {
    const sa = this.live();
    assertBytes('esp packet', packet);
    if (packet.length > 65535 + this.maxOverhead) return { ok: false, reason: 'too-big' };
    const io = this.core.io(packet.length + 16);
    this.core.put(io, packet);
    const n = this.core.x.esp_decap(sa, io, packet.length);
    if (n < 0) { this.core.x.wipe(io, packet.length); return { ok: false, reason: ESP_ERRORS[-n as keyof typeof ESP_ERRORS] }; }
    const off = 8 + this.ivLen;
    const inner = this.core.get(io + off, n);
    this.core.x.wipe(io, packet.length);
    return { ok: true, packet: inner, nextHeader: this.core.x.esp_next_header(sa) };
  }

  /**
   * Decapsulate into a caller-provided buffer (no allocation): returns the inner length or the
   * negated reason code. `out` needs packet.length bytes at most.
   */
  decapInto(packet: Bytes, out: Bytes): number {
    const sa = this.live();
    if (packet.length > 65535 + this.maxOverhead) return -8;
    const io = this.core.io(packet.length + 16);
    this.core.mem.set(packet, io);
    const n = this.core.x.esp_decap(sa, io, packet.length);
    if (n > 0) {
      const off = io + 8 + this.ivLen;
      if (out.length < n) { this.core.x.wipe(io, packet.length); throw new RangeError('esp: output buffer too small'); }
      out.set(this.core.mem.subarray(off, off + n));
    }
    this.core.x.wipe(io, packet.length); // no plaintext left behind in WASM memory
    return n;
  }

  /** Test hook: jump the outbound counter (sequence-overflow tests). */
  setSeqForTest(seq: number): void { this.core.x.esp_set_seq(this.live(), BigInt(seq)); }

  /** Last outbound sequence number used (0 before the first packet). */
  get seq(): number { return Number(this.core.x.esp_seq(this.live())); }

  stats(): EspStats {
    const sa = this.live();
    const drops = {} as Record<EspErrorReason, number>;
    for (const [code, reason] of Object.entries(ESP_ERRORS)) drops[reason] = this.core.x.esp_drops(sa, Number(code));
    return { packets: Number(this.core.x.esp_packets(sa)), bytes: Number(this.core.x.esp_bytes(sa)), drops };
  }

  /** Wipe keys, counters and window from WASM memory; the SA cannot be used afterwards. */
  dispose(): void {
    if (this.sa !== 0) { this.core.release(this.sa, this.size); this.sa = 0; }
  }

  get disposed(): boolean { return this.sa === 0; }
}
