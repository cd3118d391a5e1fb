// Loads the WebAssembly crypto core (asm/) and owns its memory: the layout of key contexts, a scratch
// I/O area, and key lifetime (wiped on dispose). One Core per router — one owner, no sharing across
// workers (ARCHITECTURE.md). Works in browsers, Web Workers, Node, Deno and workerd: the caller hands
// in a compiled WebAssembly.Module (required on workerd, which forbids compiling at run time), the
// bytes, or a fetch Response.
import { fillRandom } from './random.js';

export interface CoreExports {
  memory: WebAssembly.Memory;
  heap_base(): number;
  ct_equal(a: number, b: number, len: number): number;
  wipe(p: number, len: number): void;
  HASH_CTX_SIZE: WebAssembly.Global;
  hash_init(ctx: number, alg: number): number;
  hash_update(ctx: number, p: number, len: number): void;
  hash_final(ctx: number, out: number): void;
  HMAC_CTX_SIZE: WebAssembly.Global;
  hmac_init(ctx: number, alg: number, key: number, keyLen: number): number;
  hmac_mac(ctx: number, p: number, len: number, out: number): void;
  prf(alg: number, key: number, keyLen: number, data: number, dataLen: number, out: number): number;
  prf_plus(alg: number, key: number, keyLen: number, seed: number, seedLen: number, out: number, outLen: number): number;
  AES_CTX_SIZE: WebAssembly.Global;
  aes_init(ctx: number, key: number, keyLen: number): number;
  aes_ecb_encrypt(ctx: number, src: number, dst: number, len: number): void;
  aes_ecb_decrypt(ctx: number, src: number, dst: number, len: number): void;
  aes_cbc_encrypt(ctx: number, iv: number, src: number, dst: number, len: number): void;
  aes_cbc_decrypt(ctx: number, iv: number, src: number, dst: number, len: number): void;
  aes_ctr32(ctx: number, ctr: number, src: number, dst: number, len: number): void;
  GCM_CTX_SIZE: WebAssembly.Global;
  gcm_init(ctx: number, key: number, keyLen: number): number;
  gcm_seal(ctx: number, iv: number, ivLen: number, aad: number, aadLen: number, src: number, dst: number,
    len: number, tag: number, tagLen: number): number;
  gcm_open(ctx: number, iv: number, ivLen: number, aad: number, aadLen: number, src: number, dst: number,
    len: number, tag: number, tagLen: number): number;
  REPLAY_MAX_WINDOW: WebAssembly.Global;
  rng_discard(): void;
  ESP_SA_SIZE: WebAssembly.Global;
  ESP_MAX_PAYLOAD: WebAssembly.Global;
  ESP_MAX_OVERHEAD: WebAssembly.Global;
  esp_init(sa: number, cipher: number, key: number, keyLen: number, integ: number, ikey: number, ikeyLen: number,
    spi: number, window: number): number;
  esp_wipe(sa: number): void;
  esp_encap(sa: number, pkt: number, payloadLen: number, nextHeader: number, ivOverride: number): number;
  esp_decap(sa: number, pkt: number, len: number): number;
  esp_next_header(sa: number): number;
  esp_iv_len(sa: number): number;
  esp_icv_len(sa: number): number;
  esp_seq(sa: number): bigint;
  esp_top(sa: number): bigint;
  esp_packets(sa: number): bigint;
  esp_bytes(sa: number): bigint;
  esp_drops(sa: number, reason: number): number;
  esp_set_seq(sa: number, seq: bigint): void;
  [name: string]: unknown;
}

export type CoreSource = WebAssembly.Module | BufferSource | Response | PromiseLike<Response>;

/**
 * The core is built twice: with baseline SIMD, and with relaxed SIMD as well, whose swizzle skips
 * the index fix-up V8 adds on x64 (same results for the indices the core uses; asm/aes.ts). Engines
 * with relaxed SIMD (Chromium ≥ 114, Deno, workerd) load the second.
 */
export type CoreVariant = 'simd' | 'relaxed-simd';
export const CORE_FILES: Record<CoreVariant, string> = { simd: 'webswan-core.wasm', 'relaxed-simd': 'webswan-core-rsimd.wasm' };

// (module (func (result v128) (i8x16.relaxed_swizzle (v128.const 0) (v128.const 0))))
const ZERO16 = new Array<number>(16).fill(0);
const RELAXED_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00,
  0x0a, 0x2b, 0x01, 0x29, 0x00, 0xfd, 0x0c, ...ZERO16, 0xfd, 0x0c, ...ZERO16, 0xfd, 0x80, 0x02, 0x0b,
]);

/** The faster build this engine can run. */
export function bestCoreVariant(): CoreVariant {
  return WebAssembly.validate(RELAXED_PROBE) ? 'relaxed-simd' : 'simd';
}

const PAGE = 65536;
const IO_MIN = 65536 + 512;

/**
 * The loaded core. Contexts are carved from linear memory above the static data with a free list per
 * size; `io()` is one scratch area through which every call passes its data (the core is used by one
 * event loop only, so a single scratch area suffices).
 */
export class Core {
  readonly x: CoreExports;
  private top: number;
  private readonly free = new Map<number, number[]>();
  private ioPtr = 0;
  private ioCap = 0;
  private view: Uint8Array;
  private live = 0;

  constructor(instance: WebAssembly.Instance) {
    this.x = instance.exports as unknown as CoreExports;
    this.top = align16(this.x.heap_base());
    this.view = new Uint8Array(this.x.memory.buffer);
    this.io(IO_MIN);
  }

  /** A Uint8Array over all of linear memory, renewed after memory grows. */
  get mem(): Uint8Array {
    if (this.view.buffer !== this.x.memory.buffer) this.view = new Uint8Array(this.x.memory.buffer);
    return this.view;
  }

  /** Reserve `size` bytes (16-byte aligned) for a key context. */
  alloc(size: number): number {
    size = align16(size);
    const list = this.free.get(size);
    const reused = list?.pop();
    this.live++;
    if (reused !== undefined) return reused;
    const p = this.top;
    this.ensure(p + size);
    this.top = p + size;
    return p;
  }

  /** Wipe and release a context. */
  release(p: number, size: number): void {
    size = align16(size);
    this.x.wipe(p, size);
    let list = this.free.get(size);
    if (!list) { list = []; this.free.set(size, list); }
    list.push(p);
    this.live--;
  }

  /** Number of contexts allocated and not yet released (tests use it to prove keys are released). */
  get liveContexts(): number { return this.live; }

  /** The scratch I/O area, grown to at least `len` bytes. Valid until the next call to io(). */
  io(len: number): number {
    if (len > this.ioCap) {
      const cap = Math.max(IO_MIN, align16(len));
      if (this.ioPtr !== 0) this.x.wipe(this.ioPtr, this.ioCap);
      this.ioPtr = this.top;
      this.ensure(this.ioPtr + cap);
      this.top = this.ioPtr + cap;
      this.ioCap = cap;
    }
    return this.ioPtr;
  }

  /** Copy bytes into memory at p. */
  put(p: number, b: Uint8Array): void { this.mem.set(b, p); }

  /** Copy `len` bytes out of memory at p. */
  get(p: number, len: number): Uint8Array { return this.mem.slice(p, p + len); }

  /** Wipe the scratch area (after handling secrets that passed through it). */
  scrubIo(): void { this.x.wipe(this.ioPtr, this.ioCap); }

  private ensure(end: number): void {
    const have = this.x.memory.buffer.byteLength;
    if (end > have) this.x.memory.grow(Math.ceil((end - have) / PAGE));
  }

  /** Which build is loaded. */
  get variant(): CoreVariant { return this.constant('CORE_RELAXED_SIMD') === 1 ? 'relaxed-simd' : 'simd'; }

  /** Read an exported WASM constant. */
  constant(name: string): number {
    const g = this.x[name];
    if (!(g instanceof WebAssembly.Global)) throw new Error(`core: missing export ${name}`);
    return Number(g.value);
  }
}

function align16(n: number): number { return (n + 15) & ~15; }

function imports(memoryRef: { m?: WebAssembly.Memory }): WebAssembly.Imports {
  return {
    env: {
      random(ptr: number, len: number): void {
        // fresh view each call: memory may have grown since the last one
        fillRandom(new Uint8Array(memoryRef.m!.buffer, ptr, len));
      },
      abort(): void { throw new Error('core: WebAssembly abort'); },
    },
  };
}

/** Instantiate the core from a compiled module, its bytes, or a fetch Response. */
export async function loadCore(source: CoreSource): Promise<Core> {
  const ref: { m?: WebAssembly.Memory } = {};
  let instance: WebAssembly.Instance;
  if (source instanceof WebAssembly.Module) {
    instance = await WebAssembly.instantiate(source, imports(ref));
  } else if (isResponseLike(source)) {
    const res = await source;
    if (!res.ok) throw new Error(`core: fetching the WebAssembly module failed (HTTP ${res.status})`);
    if (typeof WebAssembly.instantiateStreaming === 'function' && res.headers.get('content-type')?.startsWith('application/wasm')) {
      instance = (await WebAssembly.instantiateStreaming(res, imports(ref))).instance;
    } else {
      instance = (await WebAssembly.instantiate(await res.arrayBuffer(), imports(ref))).instance;
    }
  } else {
    instance = (await WebAssembly.instantiate(source as BufferSource, imports(ref))).instance;
  }
  ref.m = (instance.exports as unknown as CoreExports).memory;
  return new Core(instance);
}

function isResponseLike(s: CoreSource): s is Response | PromiseLike<Response> {
  return (typeof Response !== 'undefined' && s instanceof Response) || typeof (s as PromiseLike<Response>).then === 'function';
}
