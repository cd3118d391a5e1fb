// Constant-time helpers shared by every primitive (STYLE.md §5): comparisons that never exit early,
// and wiping. Memory stores are observable in WebAssembly, so no optimiser removes a wipe.

/** 1 if the `len` bytes at a and b are equal, else 0; time depends on `len` only. */
export function ctEqual(a: usize, b: usize, len: usize): i32 {
  let diff: u32 = 0;
  let i: usize = 0;
  for (; i + 8 <= len; i += 8) {
    const d = load<u64>(a + i) ^ load<u64>(b + i);
    diff |= <u32>(d | (d >> 32));
  }
  for (; i < len; i++) diff |= <u32>(load<u8>(a + i) ^ load<u8>(b + i));
  // (diff - 1) >> 31 is 1 exactly when diff == 0, without a branch on diff
  return <i32>(((<u64>diff) - 1) >> 63);
}

/** Overwrite `len` bytes with zeros. */
export function wipe(ptr: usize, len: usize): void {
  memory.fill(ptr, 0, len);
}

@inline export function loadBe32(p: usize): u32 { return bswap<u32>(load<u32>(p)); }
@inline export function storeBe32(p: usize, v: u32): void { store<u32>(p, bswap<u32>(v)); }
@inline export function loadBe64(p: usize): u64 { return bswap<u64>(load<u64>(p)); }
@inline export function storeBe64(p: usize, v: u64): void { store<u64>(p, bswap<u64>(v)); }
