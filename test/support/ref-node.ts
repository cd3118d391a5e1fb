// RefCrypto on node:crypto (OpenSSL).
import * as nc from 'node:crypto';
import type { RefCrypto } from './ref.js';

const u8 = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.length).slice();
const bits = (key: Uint8Array) => key.length * 8;

export const nodeRef: RefCrypto = {
  name: 'node-crypto',
  gcmMinIv192: 1,
  async sha(alg, data) { return u8(nc.createHash(alg).update(data).digest()); },
  async hmac(alg, key, data) { return u8(nc.createHmac(alg, key).update(data).digest()); },
  async cbcEncrypt(key, iv, data) {
    const c = nc.createCipheriv(`aes-${bits(key)}-cbc`, key, iv).setAutoPadding(false);
    return u8(Buffer.concat([c.update(data), c.final()]));
  },
  async cbcDecrypt(key, iv, data) {
    const c = nc.createDecipheriv(`aes-${bits(key)}-cbc`, key, iv).setAutoPadding(false);
    return u8(Buffer.concat([c.update(data), c.final()]));
  },
  async ctr32(key, counter, data) {
    // OpenSSL's CTR increments all 128 bits; GCM's inc32 wraps the low 32. Split at the wrap.
    const view = new DataView(counter.buffer, counter.byteOffset, 16);
    const room = (2 ** 32 - view.getUint32(12)) * 16;
    const first = data.subarray(0, Math.min(data.length, room));
    const a = nc.createCipheriv(`aes-${bits(key)}-ctr`, key, counter).update(first);
    if (first.length === data.length) return u8(a);
    const wrapped = counter.slice(); new DataView(wrapped.buffer).setUint32(12, 0);
    return u8(Buffer.concat([a, nc.createCipheriv(`aes-${bits(key)}-ctr`, key, wrapped).update(data.subarray(room))]));
  },
  async gcmSeal(key, iv, aad, pt) {
    const c = nc.createCipheriv(`aes-${bits(key)}-gcm` as nc.CipherGCMTypes, key, iv);
    c.setAAD(aad);
    return u8(Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]));
  },
  async gcmOpen(key, iv, aad, sealed) {
    const d = nc.createDecipheriv(`aes-${bits(key)}-gcm` as nc.CipherGCMTypes, key, iv);
    d.setAAD(aad);
    d.setAuthTag(sealed.subarray(sealed.length - 16));
    try {
      return u8(Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]));
    } catch {
      return null;
    }
  },
};
