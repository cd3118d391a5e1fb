// The benchmark harness, shared by Node and Chromium: what an implementation offers (Impl), what is
// measured (Cell), and the timing loop. Every cell runs for a fixed wall time after a warm-up; all
// cells are measured in interleaved rounds (peers of one suite/op/size back to back, their order
// rotated every round) and the median rate per cell is reported. Sync implementations are called in a
// plain loop, async ones are awaited one call at a time — one call per operation either way.
import type { Bytes } from '../../src/crypto/index.js';

export type ImplName = 'webswan-wasm' | 'webcrypto' | 'node-crypto' | 'hash-wasm';
export type OpName = 'esp-encap' | 'esp-decap' | 'hmac' | 'prf+';
export type SuiteId = 'aes256gcm' | 'aes256cbc-sha256' | 'aes128cbc-sha1' | 'hmac-sha256' | 'prf-hmac-sha256';
export type Maybe<T> = T | Promise<T>;

/** One result row (the JSON output's `rows`). mbps: 1e6 bytes/s of payload (bytes hashed, bytes derived). */
export interface Row { impl: ImplName; op: OpName; suite: SuiteId; size: number; pps: number; mbps: number }

/** The SA parameters of one ESP benchmark suite, in EspSa's vocabulary. */
export interface EspSuite {
  id: SuiteId;
  title: string;
  cipher: 'aes-cbc' | 'aes-gcm-16';
  /** AES key length; GCM keys carry 4 more bytes of salt (RFC 4106 §8.1). */
  aesKeyLen: 16 | 32;
  integ: 'none' | 'hmac-sha1-96' | 'hmac-sha256-128';
  integKeyLen: number;
  icvLen: number;
}

export interface EspKeys { spi: number; encKey: Bytes; integKey: Bytes }

/**
 * Both directions of one SA for one implementation. Packets are complete: `encap` returns SPI ‖ seq ‖
 * IV ‖ ciphertext ‖ ICV, `decap` the inner packet (null when anything is wrong). A returned view may
 * be overwritten by the next call.
 */
export interface EspEndpoint {
  readonly sync: boolean;
  encap(inner: Bytes): Maybe<Bytes>;
  decap(packet: Bytes): Maybe<Bytes | null>;
  /** Start another pass over the same packets (a receiver with an anti-replay window needs a fresh SA). */
  rewind?(): void;
  dispose?(): void;
}

export interface Mac { readonly sync: boolean; mac(msg: Bytes): Maybe<Bytes>; dispose?(): void }
export interface Prf { readonly sync: boolean; derive(key: Bytes, seed: Bytes, len: number): Maybe<Bytes> }

/** What one implementation offers; an absent member means "no rows for it". */
export interface Impl {
  readonly name: ImplName;
  esp?(suite: EspSuite, keys: EspKeys): Promise<EspEndpoint>;
  /** HMAC-SHA-256 keyed once, full 32-byte output per message. */
  hmacSha256(key: Bytes): Promise<Mac>;
  /** prf+ of RFC 7296 §2.13 with PRF_HMAC_SHA2_256, keyed per derivation. */
  prfPlusSha256: Prf;
}

/** n operations in a row; returns a promise only when the implementation is async. */
export interface Runner { run(n: number): Maybe<void>; dispose(): void }

export interface Cell {
  impl: ImplName; op: OpName; suite: SuiteId; size: number;
  /** Bytes counted per operation for MB/s. */
  bytes: number;
  /** Fresh state (SAs, keys, pool position) for one measurement; set-up is not timed. */
  start(): Promise<Runner>;
}

export interface TimingOptions {
  /** Measured wall time per cell and round, in seconds. */
  seconds: number;
  warmup: number;
  rounds: number;
  progress?: (msg: string) => void;
}

/** Results are folded into this so no engine can prove the work unused. */
export let sink = 0;

/** A Runner over `call`, which yields a byte string (or null = failure, which aborts the benchmark). */
export function runner(sync: boolean, call: () => Maybe<Bytes | null>, dispose: () => void = () => {}, what = 'operation'): Runner {
  const fail = () => { throw new Error(`bench: ${what} failed inside the timed loop`); };
  if (sync) {
    const f = call as () => Bytes | null;
    return {
      run(n) {
        let acc = 0;
        for (let i = 0; i < n; i++) { const r = f(); if (r === null) fail(); else acc += r.length; }
        sink += acc;
      },
      dispose,
    };
  }
  return {
    async run(n) {
      let acc = 0;
      for (let i = 0; i < n; i++) { const r = await call(); if (r === null) fail(); else acc += r.length; }
      sink += acc;
    },
    dispose,
  };
}

/** Run for `seconds` of wall time in batches of about 2 ms; returns operations and elapsed ms. */
async function runFor(r: Runner, seconds: number): Promise<{ ops: number; ms: number }> {
  const limit = seconds * 1000;
  let batch = 1, ops = 0, ms = 0;
  const t0 = performance.now();
  for (;;) {
    const p = r.run(batch);
    if (p) await p;
    ops += batch;
    ms = performance.now() - t0;
    if (ms >= limit) return { ops, ms };
    batch = ms < 1 ? batch * 2 : Math.max(1, Math.min(batch * 2, Math.round((ops / ms) * 2)));
  }
}

/** Operations per second of one cell: a fresh runner, a warm-up, then the measured run. */
async function measure(cell: Cell, o: TimingOptions): Promise<number> {
  const r = await cell.start();
  try {
    await runFor(r, o.warmup);
    const { ops, ms } = await runFor(r, o.seconds);
    return (ops / ms) * 1000;
  } finally {
    r.dispose();
  }
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const groupKey = (c: Cell) => `${c.suite}/${c.op}/${c.size}`;

/** How far a cell's rounds disagree: (max − min) / median, in percent. */
export interface Spread { cell: string; pct: number }

/**
 * Measure every cell `rounds` times, interleaved; the median rate per cell, and the `worst` cells
 * whose rounds disagreed most (a sign of a noisy machine).
 */
export async function measureAll(cells: Cell[], o: TimingOptions, worst = 5): Promise<{ rows: Row[]; noisiest: Spread[] }> {
  const groups = new Map<string, number[]>();
  cells.forEach((c, i) => {
    const k = groupKey(c);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(i);
  });
  const rates: number[][] = cells.map(() => []);
  for (let round = 0; round < o.rounds; round++) {
    let done = 0;
    for (const [key, idx] of groups) {
      o.progress?.(`round ${round + 1}/${o.rounds}: ${key} (${++done}/${groups.size})`);
      for (let j = 0; j < idx.length; j++) {
        const i = idx[(j + round) % idx.length]; // rotate who goes first
        rates[i].push(await measure(cells[i], o));
      }
    }
  }
  const rows = cells.map((c, i): Row => {
    const pps = median(rates[i]);
    return { impl: c.impl, op: c.op, suite: c.suite, size: c.size, pps: Math.round(pps), mbps: round2((pps * c.bytes) / 1e6) };
  });
  const noisiest = cells.map((c, i): Spread => ({
    cell: `${c.impl} ${groupKey(c)}`,
    pct: Math.round(((Math.max(...rates[i]) - Math.min(...rates[i])) / median(rates[i])) * 100),
  })).sort((a, b) => b.pct - a.pct).slice(0, worst);
  return { rows, noisiest };
}

const round2 = (x: number) => Math.round(x * 100) / 100;
