// What is measured: the three ESP suites × three payload sizes × encap/decap, HMAC-SHA-256 over the
// ESP-CBC authenticated region, and IKEv2 prf+ key derivation — turned into Cells for the harness,
// for whichever implementations the runtime has. Also the RFC 4303 trailer helpers the peers share.
import type { Bytes } from '../../src/crypto/index.js';
import type { Cell, EspKeys, EspSuite, Impl } from './harness.js';
import { runner } from './harness.js';

export const ESP_SUITES: readonly EspSuite[] = [
  { id: 'aes256gcm', title: 'AES-256-GCM-16', cipher: 'aes-gcm-16', aesKeyLen: 32, integ: 'none', integKeyLen: 0, icvLen: 16 },
  { id: 'aes256cbc-sha256', title: 'AES-256-CBC + HMAC-SHA-256-128', cipher: 'aes-cbc', aesKeyLen: 32, integ: 'hmac-sha256-128', integKeyLen: 32, icvLen: 16 },
  { id: 'aes128cbc-sha1', title: 'AES-128-CBC + HMAC-SHA1-96', cipher: 'aes-cbc', aesKeyLen: 16, integ: 'hmac-sha1-96', integKeyLen: 20, icvLen: 12 },
];

export const PAYLOAD_SIZES = [64, 512, 1400] as const;
/** Packets per decap pool: every pass over it gets a fresh receiving SA (anti-replay). */
export const POOL_PACKETS = 2048;
export const PRF_KEY_LEN = 32;
/** Ni ‖ Nr ‖ SPIi ‖ SPIr. */
export const PRF_SEED_LEN = 32 + 32 + 8 + 8;
export const PRF_OUT_LEN = 224;
export const NEXT_HEADER = 4;

/** The ESP-CBC authenticated region for a payload: SPI ‖ seq ‖ IV ‖ ciphertext (padded to 16). */
export const hmacSizeFor = (payload: number) => 8 + 16 + padded(payload, 16);

/** Length of payload ‖ padding ‖ pad length ‖ next header, for a cipher block of `block` bytes. */
export function padded(len: number, block: number): number {
  return len + 2 + ((block - ((len + 2) % block)) % block);
}

/** Write inner ‖ 1, 2, 3, … ‖ pad length ‖ next header at dst[off…] (RFC 4303 §2.4); returns its length. */
export function writePlaintext(dst: Bytes, off: number, inner: Bytes, block: number, nh = NEXT_HEADER): number {
  const total = padded(inner.length, block);
  const pad = total - inner.length - 2;
  dst.set(inner, off);
  let p = off + inner.length;
  for (let i = 1; i <= pad; i++) dst[p++] = i;
  dst[p++] = pad;
  dst[p] = nh;
  return total;
}

/** The inner packet of a decrypted payload, or null when the padding is not 1, 2, 3, … (RFC 4303 §2.4). */
export function stripTrailer(pt: Bytes): Bytes | null {
  if (pt.length < 2) return null;
  const pad = pt[pt.length - 2];
  if (pad + 2 > pt.length) return null;
  const inner = pt.length - 2 - pad;
  let bad = 0;
  for (let i = 0; i < pad; i++) bad |= pt[inner + i] ^ (i + 1);
  return bad === 0 ? pt.subarray(0, inner) : null;
}

export function writeBe32(dst: Bytes, off: number, v: number): void {
  dst[off] = v >>> 24; dst[off + 1] = (v >>> 16) & 255; dst[off + 2] = (v >>> 8) & 255; dst[off + 3] = v & 255;
}
export function readBe32(src: Bytes, off: number): number {
  return ((src[off] << 24) | (src[off + 1] << 16) | (src[off + 2] << 8) | src[off + 3]) >>> 0;
}

/** Compare without an early exit (the ICV compare of the peers). */
export function sameBytes(a: Bytes, ai: number, b: Bytes, bi: number, len: number): boolean {
  let d = 0;
  for (let i = 0; i < len; i++) d |= a[ai + i] ^ b[bi + i];
  return d === 0;
}

export function random(n: number): Bytes {
  const b = new Uint8Array(n);
  globalThis.crypto.getRandomValues(b);
  return b;
}

export function espKeys(s: EspSuite): EspKeys {
  const extra = s.cipher === 'aes-gcm-16' ? 4 : 0;
  return { spi: 0x1000 + Math.floor(Math.random() * 0xffff), encKey: random(s.aesKeyLen + extra), integKey: random(s.integKeyLen) };
}

/** Everything the cells of one run share: keys, inner packets, the decap pools and the HMAC/prf inputs. */
export interface Fixtures {
  keys: Map<string, EspKeys>;
  inner: Map<number, Bytes>;
  /** Per `${suite}/${size}`: POOL_PACKETS packets with sequence numbers 1…POOL_PACKETS. */
  pools: Map<string, Bytes[]>;
  macKey: Bytes;
  macMsg: Map<number, Bytes>;
  prfKey: Bytes;
  prfSeed: Bytes;
}

/** Keys and inputs; the decap pools are encapsulated by `sender` (webswan, checked against the peers). */
export async function makeFixtures(sender: Impl): Promise<Fixtures> {
  const f: Fixtures = {
    keys: new Map(), inner: new Map(), pools: new Map(), macKey: random(32), macMsg: new Map(),
    prfKey: random(PRF_KEY_LEN), prfSeed: random(PRF_SEED_LEN),
  };
  for (const size of PAYLOAD_SIZES) {
    const inner = random(size);
    inner[0] = 0x45; // looks like an IPv4 header; the transform does not care
    f.inner.set(size, inner);
    f.macMsg.set(hmacSizeFor(size), random(hmacSizeFor(size)));
  }
  for (const s of ESP_SUITES) {
    const keys = espKeys(s);
    f.keys.set(s.id, keys);
    for (const size of PAYLOAD_SIZES) {
      const ep = await sender.esp!(s, keys);
      const pool: Bytes[] = [];
      for (let i = 0; i < POOL_PACKETS; i++) pool.push((await ep.encap(f.inner.get(size)!)).slice());
      ep.dispose?.();
      f.pools.set(`${s.id}/${size}`, pool);
    }
  }
  return f;
}

/** The cells of a run, grouped so that the peers of one suite/op/size are adjacent. */
export function makeCells(impls: Impl[], f: Fixtures): Cell[] {
  const cells: Cell[] = [];
  for (const s of ESP_SUITES) {
    for (const size of PAYLOAD_SIZES) {
      const keys = f.keys.get(s.id)!, inner = f.inner.get(size)!, pool = f.pools.get(`${s.id}/${size}`)!;
      for (const im of impls) {
        if (!im.esp) continue;
        cells.push({
          impl: im.name, op: 'esp-encap', suite: s.id, size, bytes: size,
          async start() {
            const ep = await im.esp!(s, keys);
            return runner(ep.sync, () => ep.encap(inner), () => ep.dispose?.(), `${im.name} encap`);
          },
        });
      }
      for (const im of impls) {
        if (!im.esp) continue;
        cells.push({
          impl: im.name, op: 'esp-decap', suite: s.id, size, bytes: size,
          async start() {
            const ep = await im.esp!(s, keys);
            let i = 0;
            const next = () => {
              if (i === pool.length) { i = 0; ep.rewind?.(); }
              return ep.decap(pool[i++]);
            };
            return runner(ep.sync, next, () => ep.dispose?.(), `${im.name} decap`);
          },
        });
      }
    }
  }
  for (const [size, msg] of f.macMsg) {
    for (const im of impls) {
      cells.push({
        impl: im.name, op: 'hmac', suite: 'hmac-sha256', size, bytes: size,
        async start() {
          const m = await im.hmacSha256(f.macKey);
          return runner(m.sync, () => m.mac(msg), () => m.dispose?.(), `${im.name} hmac`);
        },
      });
    }
  }
  for (const im of impls) {
    cells.push({
      impl: im.name, op: 'prf+', suite: 'prf-hmac-sha256', size: PRF_OUT_LEN, bytes: PRF_OUT_LEN,
      async start() {
        const p = im.prfPlusSha256;
        return runner(p.sync, () => p.derive(f.prfKey, f.prfSeed, PRF_OUT_LEN), undefined, `${im.name} prf+`);
      },
    });
  }
  return cells;
}
