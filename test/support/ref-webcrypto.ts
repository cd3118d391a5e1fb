// RefCrypto on WebCrypto. WebCrypto's AES-CBC always applies PKCS#7, so raw CBC is obtained by
// dropping the padding block on encryption and forging a valid padding block on decryption.
// Chromium's WebCrypto has no 192-bit AES; for those keys @noble/ciphers (audited, pure JS) stands in.
import { cbc, ctr, gcm } from '@noble/ciphers/aes.js';
import type { Bytes, HashAlg } from '../../src/crypto/index.js';
import type { RefCrypto } from './ref.js';

const NAME: Record<HashAlg, string> = { sha1: 'SHA-1', sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' };
const s = () => globalThis.crypto.subtle;
const ab = (b: Bytes) => b as Uint8Array<ArrayBuffer>;
const aes = (key: Bytes, name: string) => s().importKey('raw', ab(key), { name }, false, ['encrypt', 'decrypt']);

/** CTR with GCM's inc32 on a 128-bit-incrementing CTR: split where the low 32 bits wrap. */
function ctr32With(enc: (key: Bytes, counter: Bytes, data: Bytes) => Bytes, key: Bytes, counter: Bytes, data: Bytes): Bytes {
  const room = (2 ** 32 - new DataView(counter.buffer, counter.byteOffset, 16).getUint32(12)) * 16;
  if (data.length <= room) return enc(key, counter, data);
  const wrapped = counter.slice(); new DataView(wrapped.buffer).setUint32(12, 0);
  const out = new Uint8Array(data.length);
  out.set(enc(key, counter, data.subarray(0, room)));
  out.set(enc(key, wrapped, data.subarray(room)), room);
  return out;
}

export const webCryptoRef: RefCrypto = {
  name: 'webcrypto',
  gcmMinIv192: 8,
  async sha(alg, data) { return new Uint8Array(await s().digest(NAME[alg], ab(data))); },
  async hmac(alg, key, data) {
    if (key.length === 0) { // WebCrypto refuses empty HMAC keys; RFC 2104 pads them to zeros anyway
      key = new Uint8Array(alg === 'sha384' || alg === 'sha512' ? 128 : 64);
    }
    const k = await s().importKey('raw', ab(key), { name: 'HMAC', hash: NAME[alg] }, false, ['sign']);
    return new Uint8Array(await s().sign('HMAC', k, ab(data)));
  },
  async cbcEncrypt(key, iv, data) {
    if (key.length === 24) return cbc(key, iv, { disablePadding: true }).encrypt(data);
    const out = new Uint8Array(await s().encrypt({ name: 'AES-CBC', iv: ab(iv) }, await aes(key, 'AES-CBC'), ab(data)));
    return out.slice(0, data.length);
  },
  async cbcDecrypt(key, iv, data) {
    if (data.length === 0) return new Uint8Array(0);
    if (key.length === 24) return cbc(key, iv, { disablePadding: true }).decrypt(data);
    const k = await aes(key, 'AES-CBC');
    const last = data.subarray(data.length - 16);
    const pad = new Uint8Array(await s().encrypt({ name: 'AES-CBC', iv: ab(last) }, k, ab(new Uint8Array(16).fill(16))));
    const full = new Uint8Array(data.length + 16);
    full.set(data); full.set(pad.subarray(0, 16), data.length);
    return new Uint8Array(await s().decrypt({ name: 'AES-CBC', iv: ab(iv) }, k, full));
  },
  async ctr32(key, counter, data) {
    if (key.length === 24) return ctr32With((k, c, d) => ctr(k, c).encrypt(d), key, counter, data);
    return new Uint8Array(await s().encrypt({ name: 'AES-CTR', counter: ab(counter), length: 32 }, await aes(key, 'AES-CTR'), ab(data)));
  },
  async gcmSeal(key, iv, aad, pt) {
    if (key.length === 24) return gcm(key, iv, aad).encrypt(pt);
    return new Uint8Array(await s().encrypt({ name: 'AES-GCM', iv: ab(iv), additionalData: ab(aad), tagLength: 128 }, await aes(key, 'AES-GCM'), ab(pt)));
  },
  async gcmOpen(key, iv, aad, sealed) {
    try {
      if (key.length === 24) return gcm(key, iv, aad).decrypt(sealed);
      return new Uint8Array(await s().decrypt({ name: 'AES-GCM', iv: ab(iv), additionalData: ab(aad), tagLength: 128 }, await aes(key, 'AES-GCM'), ab(sealed)));
    } catch {
      return null;
    }
  },
};
