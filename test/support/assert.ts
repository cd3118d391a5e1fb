// Small assertions with byte-aware messages, the same in Chromium and Node.
import { hex } from '../../src/crypto/index.js';

export class AssertionError extends Error {}

export function ok(cond: unknown, msg: string): asserts cond {
  if (!cond) throw new AssertionError(msg);
}

export function equal<T>(got: T, want: T, msg: string): void {
  if (got !== want) throw new AssertionError(`${msg}: got ${String(got)}, want ${String(want)}`);
}

export function bytesEqual(got: Uint8Array | null | undefined, want: Uint8Array | string, msg: string): void {
  if (got != null && typeof want !== 'string' && got.length === want.length) {
    let same = true;
    for (let i = 0; i < got.length; i++) if (got[i] !== want[i]) { same = false; break; }
    if (same) return; // the fast path: hex only to explain a mismatch
  }
  const w = typeof want === 'string' ? want : hex(want);
  const g = got == null ? String(got) : hex(got);
  if (g !== w) {
    let at = 0;
    while (at < g.length && g[at] === w[at]) at++;
    throw new AssertionError(`${msg}: differs at byte ${at >> 1}\n  got  ${g.slice(0, 160)}\n  want ${w.slice(0, 160)}`);
  }
}

export async function rejects(p: Promise<unknown>, msg: string): Promise<void> {
  let threw = false;
  try { await p; } catch { threw = true; }
  if (!threw) throw new AssertionError(`${msg}: expected a rejection`);
}

export function throws(fn: () => unknown, msg: string): void {
  let threw = false;
  try { fn(); } catch { threw = true; }
  if (!threw) throw new AssertionError(`${msg}: expected an exception`);
}
