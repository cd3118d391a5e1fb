// webswan crypto core: the WebAssembly module's exports. Memory layout and key lifetime are owned by
// the TypeScript binding (src/crypto/core.ts); everything here works on caller-provided pointers and
// a few fixed scratch areas, and allocates nothing at run time.
export { ctEqual as ct_equal, wipe } from './ct';
export {
  HASH_SHA1, HASH_SHA256, HASH_SHA384, HASH_SHA512, HASH_CTX_SIZE, hash_init, hash_update, hash_final,
} from './hash';
export { HMAC_CTX_SIZE, hmac_init, hmac_mac, prf, prf_plus } from './hmac';
export { AES_CTX_SIZE, aes_init, aes_ecb_encrypt, aes_ecb_decrypt, aes_cbc_encrypt, aes_cbc_decrypt, aes_ctr32 } from './aes';
export { GHASH_KEY_SIZE, ghash_init, ghash_update, ghash_output } from './ghash';
export { GCM_CTX_SIZE, gcm_init, gcm_seal, gcm_open } from './gcm';
export { REPLAY_MAX_WINDOW } from './replay';
export { rng_discard } from './rng';
export {
  ESP_SA_SIZE, ESP_MAX_PAYLOAD, ESP_MAX_OVERHEAD,
  ESP_CIPHER_AES_CBC, ESP_CIPHER_AES_GCM16,
  ESP_INTEG_NONE, ESP_INTEG_SHA1_96, ESP_INTEG_SHA256_128, ESP_INTEG_SHA384_192, ESP_INTEG_SHA512_256,
  ESP_ERR_SHORT, ESP_ERR_ALIGN, ESP_ERR_REPLAY, ESP_ERR_ICV, ESP_ERR_PAD, ESP_ERR_SPI, ESP_ERR_SEQ_OVERFLOW,
  ESP_ERR_TOO_BIG, ESP_ERR_BAD_SA, ESP_ERR_PARAM,
  esp_init, esp_wipe, esp_encap, esp_decap, esp_next_header, esp_iv_len, esp_icv_len, esp_seq, esp_top,
  esp_packets, esp_bytes, esp_drops, esp_set_seq,
} from './esp';

/** First byte after the static data: the binding manages memory from here on. */
export function heap_base(): usize { return __heap_base; }

/** 1 in the relaxed-SIMD build, 0 in the baseline build (the binding reports which one it loaded). */
export const CORE_RELAXED_SIMD: u32 = ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
