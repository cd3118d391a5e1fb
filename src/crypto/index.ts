// src/crypto — the only door to cryptography (ARCHITECTURE.md): the WASM core binding (hashes, HMAC,
// prf+, AES, GCM, ESP) and the platform's WebCrypto / node:crypto for ECDH and RSA. Knows no protocol.
import './webcrypto.js';

export { type Bytes, hex, fromHex, concat, utf8, ctEqual } from './bytes.js';
export { Core, loadCore, type CoreSource, type CoreVariant, CORE_FILES, bestCoreVariant } from './core.js';
export { type Random, randomBytes, fillRandom } from './random.js';
export { type HashAlg, HASH_ALGS, DIGEST_LEN, BLOCK_LEN, Hasher, hash, HmacKey, hmac, prf, prfPlus } from './hash.js';
export { AesKey, GcmKey } from './aes.js';
export {
  EspSa, type EspSaParams, type EspCipher, type EspInteg, type EspResult, type EspStats, type EspErrorReason,
  ESP_ERRORS, INTEG_KEY_LEN, NEXT_HEADER_IPV4, DEFAULT_REPLAY_WINDOW,
} from './esp.js';
export {
  type IkeKeys, type IkeKeyLengths, type ChildKeys, type ChildKeyLengths,
  skeyseed, rekeySkeyseed, ikeKeys, ppkMix, childKeys, wipeKeys,
} from './kdf.js';
export {
  type Platform, type DhGroup, type EcdhKeyPair, type RsaPublicKey, type RsaPrivateKey, type RsaScheme,
  GROUPS, platform, usePlatform, checkKe,
} from './platform.js';
export { webCryptoPlatform } from './webcrypto.js';
export { selftest, type SelftestReport, type SelftestCheck } from './selftest.js';
