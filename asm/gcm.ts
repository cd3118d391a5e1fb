// AES-GCM (NIST SP 800-38D §7) for any IV length and tag lengths 1–16, as RFC 4106 ESP and IKEv2
// (RFC 5282) use it: there the nonce is salt(4) ‖ IV(8) and the tag 16 bytes. Decryption verifies the
// tag in constant time before any plaintext is produced (SP 800-38D §7.2, STYLE.md §5).
//
// Context layout (GCM_CTX_SIZE bytes): 0 AES context   512 GHASH key.
import { AES_CTX_SIZE, aes_init, aes_ctr32, encryptBlock } from './aes';
import { GHASH_KEY_SIZE, ghash_init, ghash_update, ghash_output } from './ghash';
import { ctEqual, wipe, storeBe64 } from './ct';

export const GCM_CTX_SIZE: u32 = AES_CTX_SIZE + GHASH_KEY_SIZE;
const O_GHASH: usize = AES_CTX_SIZE;

const J0 = memory.data(16, 16);
const CTR = memory.data(16, 16);
const ACC = memory.data(16, 16);
const BLK = memory.data(16, 16);
const TAG = memory.data(16, 16);

/** Key a GCM context with a 16/24/32-byte AES key; returns 0 or -1. */
export function gcm_init(ctx: usize, key: usize, keyLen: usize): i32 {
  if (aes_init(ctx, key, keyLen) != 0) return -1;
  v128.store(BLK, encryptBlock(ctx, i64x2.splat(0)));
  ghash_init(ctx + O_GHASH, BLK);
  wipe(BLK, 16);
  return 0;
}

/** J0 from the IV (SP 800-38D §7.1 step 2) into J0, and inc32(J0) into CTR. */
function prepareCounter(ctx: usize, iv: usize, ivLen: usize): void {
  if (ivLen == 12) {
    memory.copy(J0, iv, 12);
    store<u32>(J0, 0x01000000, 12); // big-endian 1
  } else {
    memory.fill(ACC, 0, 16);
    ghash_update(ctx + O_GHASH, ACC, iv, ivLen);
    memory.fill(BLK, 0, 8);
    storeBe64(BLK + 8, <u64>ivLen << 3);
    ghash_update(ctx + O_GHASH, ACC, BLK, 16);
    ghash_output(ACC, J0);
  }
  memory.copy(CTR, J0, 16);
  const n = bswap<u32>(load<u32>(CTR, 12)) + 1;
  store<u32>(CTR, bswap<u32>(n), 12);
}

/** The full 16-byte tag over AAD and ciphertext into TAG. */
function computeTag(ctx: usize, aad: usize, aadLen: usize, ct: usize, len: usize): void {
  const gk = ctx + O_GHASH;
  memory.fill(ACC, 0, 16);
  ghash_update(gk, ACC, aad, aadLen);
  ghash_update(gk, ACC, ct, len);
  storeBe64(BLK, <u64>aadLen << 3);
  storeBe64(BLK + 8, <u64>len << 3);
  ghash_update(gk, ACC, BLK, 16);
  ghash_output(ACC, TAG);
  v128.store(TAG, v128.xor(v128.load(TAG), encryptBlock(ctx, v128.load(J0))));
}

function scrub(): void {
  wipe(J0, 16); wipe(CTR, 16); wipe(ACC, 16); wipe(BLK, 16); wipe(TAG, 16);
}

/** Encrypt `len` bytes src → dst (in place allowed) and write a `tagLen`-byte tag; returns 0 or -1. */
export function gcm_seal(ctx: usize, iv: usize, ivLen: usize, aad: usize, aadLen: usize,
  src: usize, dst: usize, len: usize, tag: usize, tagLen: usize): i32 {
  if (ivLen == 0 || tagLen == 0 || tagLen > 16) return -1;
  prepareCounter(ctx, iv, ivLen);
  aes_ctr32(ctx, CTR, src, dst, len);
  computeTag(ctx, aad, aadLen, dst, len);
  memory.copy(tag, TAG, tagLen);
  scrub();
  return 0;
}

/**
 * Verify the tag, then decrypt src → dst. Returns 0, -1 for bad parameters, -2 when the tag does not
 * match — in which case nothing is written to dst.
 */
export function gcm_open(ctx: usize, iv: usize, ivLen: usize, aad: usize, aadLen: usize,
  src: usize, dst: usize, len: usize, tag: usize, tagLen: usize): i32 {
  if (ivLen == 0 || tagLen == 0 || tagLen > 16) return -1;
  prepareCounter(ctx, iv, ivLen);
  computeTag(ctx, aad, aadLen, src, len);
  if (!ctEqual(TAG, tag, tagLen)) { scrub(); return -2; }
  aes_ctr32(ctx, CTR, src, dst, len);
  scrub();
  return 0;
}
