// Anti-replay window (RFC 4303 §3.4.3) as a ring bitmap (RFC 6479): 2048 bits, so a window of up to
// 1984 packets (the ring must keep one spare 64-bit word for advancing). The check never modifies
// state; the window only advances after the ICV has been verified (the caller's order).
export const REPLAY_RING_BITS: u32 = 2048;
export const REPLAY_MAX_WINDOW: u32 = REPLAY_RING_BITS - 64;
const WORDS_MASK: u64 = (REPLAY_RING_BITS >> 6) - 1;

@inline function wordPtr(map: usize, seq: u64): usize { return map + (<usize>((seq >> 6) & WORDS_MASK) << 3); }

/** True if `seq` is new and inside the window whose highest accepted number is `top`. */
export function replayFresh(map: usize, top: u64, window: u64, seq: u64): bool {
  if (seq == 0) return false;           // numbering starts at 1 (RFC 4303 §3.3.3)
  if (seq > top) return true;
  if (top - seq >= window) return false; // left of the window
  return (load<u64>(wordPtr(map, seq)) & (<u64>1 << (seq & 63))) == 0;
}

/** Record `seq` (already checked fresh and authenticated); returns the new top. */
export function replayAccept(map: usize, top: u64, seq: u64): u64 {
  if (seq > top) {
    const from = (top >> 6) + 1, to = seq >> 6;
    if (to >= from && to - from >= (REPLAY_RING_BITS >> 6)) {
      memory.fill(map, 0, REPLAY_RING_BITS >> 3); // jumped past the whole ring
    } else {
      for (let w = from; w <= to; w++) store<u64>(map + (<usize>(w & WORDS_MASK) << 3), 0);
    }
    top = seq;
  }
  const p = wordPtr(map, seq);
  store<u64>(p, load<u64>(p) | (<u64>1 << (seq & 63)));
  return top;
}
