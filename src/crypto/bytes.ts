// Byte helpers shared by every layer: one `Bytes` alias (STYLE.md: noble's lesson), hex, concat.
export type Bytes = Uint8Array;

export function hex(b: Bytes): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i].toString(16).padStart(2, '0');
  return s;
}

export function fromHex(s: string): Bytes {
  const clean = s.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) throw new Error(`bytes: not a hex string: ${s.slice(0, 40)}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function concat(...parts: Bytes[]): Bytes {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

export function utf8(s: string): Bytes { return new TextEncoder().encode(s); }

/** Constant-time equality for secrets held in JS (ICVs are compared inside WASM). */
export function ctEqual(a: Bytes, b: Bytes): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

export function wipeBytes(b: Bytes): void { b.fill(0); }

export function assertBytes(name: string, b: unknown, ...lengths: number[]): asserts b is Bytes {
  if (!(b instanceof Uint8Array)) throw new TypeError(`${name}: expected Uint8Array`);
  if (lengths.length > 0 && !lengths.includes(b.length)) {
    throw new RangeError(`${name}: length ${b.length}, expected ${lengths.join(' or ')}`);
  }
}
