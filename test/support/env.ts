// What a shared test suite needs from the runtime it runs in: the core, the platform (ECDH/RSA), an
// independent reference implementation to compare against, and access to test/vectors.
import type { Core, Platform } from '../../src/crypto/index.js';
import type { RefCrypto } from './ref.js';

export interface TestEnv {
  name: 'node' | 'chromium';
  core: Core;
  platform: Platform;
  ref: RefCrypto;
  /** Parse a JSON file below test/vectors/. */
  vectors<T = any>(path: string): Promise<T>;
  /** A text file below test/vectors/. */
  text(path: string): Promise<string>;
}

let current: Promise<TestEnv> | undefined;
export function setEnv(env: Promise<TestEnv>): void { current = env; }
export function env(): Promise<TestEnv> {
  if (!current) throw new Error('test: no environment installed by the entry file');
  return current;
}

/** Deterministic pseudo-random numbers for reproducible random cases (xoshiro128**; never for keys in use). */
export class Prng {
  private a: number; private b: number; private c: number; private d: number;
  constructor(seed: number) {
    // splitmix32 to spread the seed over the state
    let x = seed >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next(); this.b = next(); this.c = next(); this.d = next();
  }
  u32(): number {
    const r = Math.imul(((Math.imul(this.b, 5) << 7) | (Math.imul(this.b, 5) >>> 25)), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a; this.d ^= this.b; this.b ^= this.c; this.a ^= this.d;
    this.c ^= t;
    this.d = (this.d << 11) | (this.d >>> 21);
    return r;
  }
  /** Uniform-enough integer in [0, n) for n ≤ 2^32. */
  int(n: number): number {
    if (n > 0x100000000) throw new RangeError('Prng.int: n too large');
    return Math.floor((this.u32() / 0x100000000) * n);
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      let v = this.u32();
      for (let j = 0; j < 4 && i + j < n; j++) { out[i + j] = v & 0xff; v >>>= 8; }
    }
    return out;
  }
}
