// Random bytes for CBC IVs, drawn from the host's CSPRNG (crypto.getRandomValues) through the
// `env.random` import. Refilled 4 KiB at a time so a packet does not pay a host call; bytes are wiped
// from the pool as they are handed out.
import { wipe } from './ct';

// @ts-ignore: decorator
@external("env", "random")
declare function hostRandom(ptr: usize, len: usize): void;

const POOL_SIZE: usize = 4096;
const POOL = memory.data(<i32>POOL_SIZE, 16);
let pos: usize = POOL_SIZE;

export function randomBytes(dst: usize, n: usize): void {
  while (n > 0) {
    if (pos == POOL_SIZE) { hostRandom(POOL, POOL_SIZE); pos = 0; }
    const take = min(n, POOL_SIZE - pos);
    memory.copy(dst, POOL + pos, take);
    wipe(POOL + pos, take);
    pos += take; dst += take; n -= take;
  }
}

/** Drop whatever the pool holds (e.g. before a snapshot of memory is taken). */
export function rng_discard(): void {
  wipe(POOL, POOL_SIZE);
  pos = POOL_SIZE;
}
