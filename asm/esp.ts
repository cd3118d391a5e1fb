// ESP packet transform, tunnel mode (RFC 4303), for AES-CBC (RFC 3602) with HMAC-SHA1-96 (RFC 2404) /
// HMAC-SHA-256-128, -384-192, -512-256 (RFC 4868), and AES-GCM with a 16-byte ICV (RFC 4106).
//
// Outbound:  seq++ → trailer (padding 1,2,3…, pad length, next header) → SPI ‖ seq → IV → encrypt → ICV
//   CBC IV:  16 bytes from the CSPRNG pool;  GCM IV: the 64-bit sequence number, never repeated
//            because the 32-bit counter refuses to wrap (SEQ_OVERFLOW: rekey first).
// Inbound:   length checks → SPI → replay check (no state change) → ICV/tag verified in constant time
//            → only then advance the window → decrypt → padding and pad length validated.
// Nothing is allocated per packet: the caller's buffer is transformed in place. The packet area starts
// at `pkt`; the payload sits at pkt + 8 + ivLen on both paths.
//
// SA layout (ESP_SA_SIZE bytes, owned by the caller, wiped by esp_wipe):
//   0 u32 magic   4 u32 cipher   8 u32 integ   12 u32 spi   16 u64 seq (outbound: last sent)
//   24 u64 top (inbound: highest accepted)   32 u32 window   36 u32 ivLen   40 u32 icvLen
//   44 u32 block   48 u8[4] salt   52 u32 last next header   56 u64 packets   64 u64 bytes
//   72 u32[16] drops by reason   136 cipher context (GCM_CTX_SIZE)   HMAC context   replay ring
import { AES_CTX_SIZE, aes_init, aes_cbc_encrypt, aes_cbc_decrypt } from './aes';
import { GCM_CTX_SIZE, gcm_init, gcm_seal, gcm_open } from './gcm';
import { HMAC_CTX_SIZE, hmac_init, hmac_mac } from './hmac';
import { HASH_SHA1, HASH_SHA256, HASH_SHA384, HASH_SHA512, hashDigestLen } from './hash';
import { REPLAY_RING_BITS, REPLAY_MAX_WINDOW, replayFresh, replayAccept } from './replay';
import { randomBytes } from './rng';
import { ctEqual, wipe, loadBe32, storeBe32, storeBe64 } from './ct';

export const ESP_CIPHER_AES_CBC: u32 = 1;
export const ESP_CIPHER_AES_GCM16: u32 = 2;
export const ESP_INTEG_NONE: u32 = 0;
export const ESP_INTEG_SHA1_96: u32 = 1;
export const ESP_INTEG_SHA256_128: u32 = 2;
export const ESP_INTEG_SHA384_192: u32 = 3;
export const ESP_INTEG_SHA512_256: u32 = 4;

// Reason codes, returned negated by esp_encap / esp_decap and counted per SA.
export const ESP_ERR_SHORT: i32 = 1;        // shorter than header + IV + minimal payload + ICV
export const ESP_ERR_ALIGN: i32 = 2;        // ciphertext not a multiple of the cipher's block
export const ESP_ERR_REPLAY: i32 = 3;       // duplicate, zero, or left of the window
export const ESP_ERR_ICV: i32 = 4;          // integrity check / GCM tag failed
export const ESP_ERR_PAD: i32 = 5;          // padding not 1,2,3,… or pad length too long
export const ESP_ERR_SPI: i32 = 6;          // packet is for another SA
export const ESP_ERR_SEQ_OVERFLOW: i32 = 7; // outbound counter exhausted: the SA must be rekeyed
export const ESP_ERR_TOO_BIG: i32 = 8;      // payload larger than ESP_MAX_PAYLOAD
export const ESP_ERR_BAD_SA: i32 = 9;       // SA not initialised or already wiped
export const ESP_ERR_PARAM: i32 = 10;       // bad algorithm, key length or window at esp_init

export const ESP_MAX_PAYLOAD: u32 = 65535;
export const ESP_MAX_OVERHEAD: u32 = 8 + 16 + 15 + 2 + 32; // header, IV, pad, trailer, ICV

const MAGIC: u32 = 0x45535031; // "ESP1"
const O_MAGIC = 0, O_CIPHER = 4, O_INTEG = 8, O_SPI = 12, O_SEQ = 16, O_TOP = 24, O_WINDOW = 32;
const O_IVLEN = 36, O_ICVLEN = 40, O_BLOCK = 44, O_SALT = 48, O_NH = 52, O_PKTS = 56, O_BYTES = 64;
const O_DROPS: usize = 72;
const O_CIPHER_CTX: usize = 136;
const O_HMAC: usize = O_CIPHER_CTX + GCM_CTX_SIZE;
const O_RING: usize = (O_HMAC + HMAC_CTX_SIZE + 15) & ~15;
export const ESP_SA_SIZE: u32 = <u32>(O_RING + (REPLAY_RING_BITS >> 3));

const DIGEST = memory.data(64, 16);
const NONCE = memory.data(16, 16);
const IVBUF = memory.data(16, 16);

function hashFor(integ: u32): u32 {
  if (integ == ESP_INTEG_SHA1_96) return HASH_SHA1;
  if (integ == ESP_INTEG_SHA256_128) return HASH_SHA256;
  if (integ == ESP_INTEG_SHA384_192) return HASH_SHA384;
  if (integ == ESP_INTEG_SHA512_256) return HASH_SHA512;
  return 0;
}

/**
 * Key an SA. GCM keys carry their 4-byte salt at the end (RFC 4106 §8.1: 20, 28 or 36 bytes) and take
 * no integrity transform. HMAC keys are as long as the hash output (RFC 2404, RFC 4868 §2.1).
 * `window` is the anti-replay window in packets (1 … REPLAY_MAX_WINDOW). Returns 0 or -ESP_ERR_PARAM.
 */
export function esp_init(sa: usize, cipher: u32, key: usize, keyLen: usize, integ: u32, ikey: usize,
  ikeyLen: usize, spi: u32, window: u32): i32 {
  wipe(sa, ESP_SA_SIZE);
  if (window == 0 || window > REPLAY_MAX_WINDOW) return -ESP_ERR_PARAM;
  if (cipher == ESP_CIPHER_AES_GCM16) {
    if (integ != ESP_INTEG_NONE || keyLen < 20) return -ESP_ERR_PARAM;
    if (gcm_init(sa + O_CIPHER_CTX, key, keyLen - 4) != 0) return -ESP_ERR_PARAM;
    memory.copy(sa + O_SALT, key + keyLen - 4, 4);
    store<u32>(sa, 8, O_IVLEN);
    store<u32>(sa, 16, O_ICVLEN);
    store<u32>(sa, 4, O_BLOCK);
  } else if (cipher == ESP_CIPHER_AES_CBC) {
    if (aes_init(sa + O_CIPHER_CTX, key, keyLen) != 0) return -ESP_ERR_PARAM;
    store<u32>(sa, 16, O_IVLEN);
    store<u32>(sa, 16, O_BLOCK);
    if (integ != ESP_INTEG_NONE) { // confidentiality-only CBC exists for RFC 3602's test packets only
      const alg = hashFor(integ);
      if (alg == 0 || ikeyLen != <usize>hashDigestLen(alg)) { wipe(sa, ESP_SA_SIZE); return -ESP_ERR_PARAM; }
      hmac_init(sa + O_HMAC, alg, ikey, ikeyLen);
      // HMAC-SHA1-96 (RFC 2404) keeps 12 bytes; the SHA-2 ICVs keep half the output (RFC 4868 §2.3)
      store<u32>(sa, alg == HASH_SHA1 ? 12 : hashDigestLen(alg) >> 1, O_ICVLEN);
    }
  } else {
    return -ESP_ERR_PARAM;
  }
  store<u32>(sa, cipher, O_CIPHER);
  store<u32>(sa, integ, O_INTEG);
  store<u32>(sa, spi, O_SPI);
  store<u32>(sa, window, O_WINDOW);
  store<u32>(sa, MAGIC, O_MAGIC);
  return 0;
}

/** Wipe every key and all state of an SA. */
export function esp_wipe(sa: usize): void { wipe(sa, ESP_SA_SIZE); }

function drop(sa: usize, reason: i32): i32 {
  const p = sa + O_DROPS + (<usize>reason << 2);
  store<u32>(p, load<u32>(p) + 1);
  return -reason;
}

/**
 * Encapsulate the `payloadLen`-byte inner packet found at pkt + 8 + ivLen. Returns the ESP packet
 * length (the packet starts at pkt) or a negated reason code. `ivOverride`, when non-zero, points to a
 * 16-byte CBC IV to use instead of a random one — for known-answer tests only.
 */
export function esp_encap(sa: usize, pkt: usize, payloadLen: u32, nextHeader: u32, ivOverride: usize): i32 {
  if (load<u32>(sa, O_MAGIC) != MAGIC) return -ESP_ERR_BAD_SA;
  if (payloadLen > ESP_MAX_PAYLOAD) return drop(sa, ESP_ERR_TOO_BIG);
  const seq64 = load<u64>(sa, O_SEQ);
  if (seq64 >= 0xffffffff) return drop(sa, ESP_ERR_SEQ_OVERFLOW);
  const seq = <u32>seq64 + 1;
  store<u64>(sa, <u64>seq, O_SEQ);
  const ivLen = <usize>load<u32>(sa, O_IVLEN), icvLen = <usize>load<u32>(sa, O_ICVLEN);
  const block = load<u32>(sa, O_BLOCK);
  const padLen = (block - ((payloadLen + 2) & (block - 1))) & (block - 1);
  const body = pkt + 8 + ivLen;
  let t = body + payloadLen;
  for (let i: u32 = 1; i <= padLen; i++) store<u8>(t++, <u8>i);
  store<u8>(t++, <u8>padLen);
  store<u8>(t++, <u8>nextHeader);
  const ctLen = <usize>(payloadLen + padLen + 2);
  storeBe32(pkt, load<u32>(sa, O_SPI));
  storeBe32(pkt + 4, seq);
  const cc = sa + O_CIPHER_CTX;
  if (load<u32>(sa, O_CIPHER) == ESP_CIPHER_AES_GCM16) {
    storeBe64(pkt + 8, <u64>seq);
    memory.copy(NONCE, sa + O_SALT, 4);
    memory.copy(NONCE + 4, pkt + 8, 8);
    gcm_seal(cc, NONCE, 12, pkt, 8, body, body, ctLen, body + ctLen, 16);
  } else {
    if (ivOverride != 0) memory.copy(pkt + 8, ivOverride, 16);
    else randomBytes(pkt + 8, 16);
    memory.copy(IVBUF, pkt + 8, 16);
    aes_cbc_encrypt(cc, IVBUF, body, body, ctLen);
    if (icvLen > 0) {
      hmac_mac(sa + O_HMAC, pkt, 8 + ivLen + ctLen, DIGEST);
      memory.copy(body + ctLen, DIGEST, icvLen);
    }
  }
  store<u64>(sa, load<u64>(sa, O_PKTS) + 1, O_PKTS);
  store<u64>(sa, load<u64>(sa, O_BYTES) + <u64>payloadLen, O_BYTES);
  return 8 + <i32>ivLen + <i32>ctLen + <i32>icvLen;
}

/**
 * Decapsulate the `len`-byte ESP packet at `pkt` in place. Returns the inner packet length (the inner
 * packet is at pkt + 8 + ivLen; its next header is read with esp_next_header) or a negated reason code.
 */
export function esp_decap(sa: usize, pkt: usize, len: u32): i32 {
  if (load<u32>(sa, O_MAGIC) != MAGIC) return -ESP_ERR_BAD_SA;
  const ivLen = <usize>load<u32>(sa, O_IVLEN), icvLen = <usize>load<u32>(sa, O_ICVLEN);
  const block = <usize>load<u32>(sa, O_BLOCK);
  if (<usize>len < 8 + ivLen + icvLen + block) return drop(sa, ESP_ERR_SHORT);
  if (loadBe32(pkt) != load<u32>(sa, O_SPI)) return drop(sa, ESP_ERR_SPI);
  const seq = <u64>loadBe32(pkt + 4);
  const ring = sa + O_RING;
  const top = load<u64>(sa, O_TOP);
  if (!replayFresh(ring, top, <u64>load<u32>(sa, O_WINDOW), seq)) return drop(sa, ESP_ERR_REPLAY);
  const ctLen = <usize>len - 8 - ivLen - icvLen;
  if ((ctLen & (block - 1)) != 0) return drop(sa, ESP_ERR_ALIGN);
  const body = pkt + 8 + ivLen;
  const cc = sa + O_CIPHER_CTX;
  if (load<u32>(sa, O_CIPHER) == ESP_CIPHER_AES_GCM16) {
    memory.copy(NONCE, sa + O_SALT, 4);
    memory.copy(NONCE + 4, pkt + 8, 8);
    if (gcm_open(cc, NONCE, 12, pkt, 8, body, body, ctLen, body + ctLen, 16) != 0) return drop(sa, ESP_ERR_ICV);
    store<u64>(sa, replayAccept(ring, top, seq), O_TOP);
  } else {
    if (icvLen > 0) {
      hmac_mac(sa + O_HMAC, pkt, 8 + ivLen + ctLen, DIGEST);
      const ok = ctEqual(DIGEST, body + ctLen, icvLen);
      wipe(DIGEST, 64);
      if (!ok) return drop(sa, ESP_ERR_ICV);
    }
    store<u64>(sa, replayAccept(ring, top, seq), O_TOP);
    memory.copy(IVBUF, pkt + 8, 16);
    aes_cbc_decrypt(cc, IVBUF, body, body, ctLen);
  }
  const padLen = <usize>load<u8>(body + ctLen - 2);
  if (padLen + 2 > ctLen) return drop(sa, ESP_ERR_PAD);
  const payloadLen = ctLen - 2 - padLen;
  let bad: u32 = 0; // RFC 4303 §2.4: padding bytes are 1, 2, 3, …
  for (let i: usize = 0; i < padLen; i++) bad |= <u32>load<u8>(body + payloadLen + i) ^ <u32>(i + 1);
  if (bad != 0) return drop(sa, ESP_ERR_PAD);
  store<u32>(sa, <u32>load<u8>(body + ctLen - 1), O_NH);
  store<u64>(sa, load<u64>(sa, O_PKTS) + 1, O_PKTS);
  store<u64>(sa, load<u64>(sa, O_BYTES) + <u64>payloadLen, O_BYTES);
  return <i32>payloadLen;
}

export function esp_next_header(sa: usize): u32 { return load<u32>(sa, O_NH); }
export function esp_iv_len(sa: usize): u32 { return load<u32>(sa, O_IVLEN); }
export function esp_icv_len(sa: usize): u32 { return load<u32>(sa, O_ICVLEN); }
export function esp_seq(sa: usize): u64 { return load<u64>(sa, O_SEQ); }
export function esp_top(sa: usize): u64 { return load<u64>(sa, O_TOP); }
export function esp_packets(sa: usize): u64 { return load<u64>(sa, O_PKTS); }
export function esp_bytes(sa: usize): u64 { return load<u64>(sa, O_BYTES); }
export function esp_drops(sa: usize, reason: i32): u32 { return load<u32>(sa + O_DROPS + (<usize>reason << 2)); }

/** Test hook: set the outbound counter (to reach SEQ_OVERFLOW without 2^32 packets). */
export function esp_set_seq(sa: usize, seq: u64): void { store<u64>(sa, seq, O_SEQ); }
