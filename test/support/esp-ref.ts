// An ESP packet builder/parser (RFC 4303, RFC 3602, RFC 4106) written independently of src/ and asm/,
// on the reference crypto (WebCrypto / node:crypto): the other side of the differential ESP tests
// and the peer implementations in the benchmarks.
import { type Bytes, type EspCipher, type EspInteg, concat } from '../../src/crypto/index.js';
import type { RefCrypto } from './ref.js';

export interface RefSa {
  spi: number;
  cipher: EspCipher;
  encKey: Bytes;
  integ: EspInteg;
  integKey: Bytes;
}

const ICV: Record<EspInteg, [alg: 'sha1' | 'sha256' | 'sha384' | 'sha512' | null, len: number]> = {
  none: [null, 0], 'hmac-sha1-96': ['sha1', 12], 'hmac-sha256-128': ['sha256', 16],
  'hmac-sha384-192': ['sha384', 24], 'hmac-sha512-256': ['sha512', 32],
};

function be32(n: number): Bytes { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, n >>> 0); return b; }

function trailer(len: number, block: number, nh: number): Bytes {
  const pad = (block - ((len + 2) % block)) % block;
  const t = new Uint8Array(pad + 2);
  for (let i = 0; i < pad; i++) t[i] = i + 1;
  t[pad] = pad; t[pad + 1] = nh;
  return t;
}

export async function refEncap(ref: RefCrypto, sa: RefSa, seq: number, inner: Bytes, iv: Bytes, nh = 4): Promise<Bytes> {
  const head = concat(be32(sa.spi), be32(seq));
  if (sa.cipher === 'aes-gcm-16') {
    const key = sa.encKey.subarray(0, sa.encKey.length - 4), salt = sa.encKey.subarray(sa.encKey.length - 4);
    const sealed = await ref.gcmSeal(key, concat(salt, iv), head, concat(inner, trailer(inner.length, 4, nh)));
    return concat(head, iv, sealed);
  }
  const ct = await ref.cbcEncrypt(sa.encKey, iv, concat(inner, trailer(inner.length, 16, nh)));
  const [alg, len] = ICV[sa.integ];
  const body = concat(head, iv, ct);
  return alg ? concat(body, (await ref.hmac(alg, sa.integKey, body)).subarray(0, len)) : body;
}

/** The inner packet and next header, or null when anything is wrong (no replay window here). */
export async function refDecap(ref: RefCrypto, sa: RefSa, pkt: Bytes): Promise<{ inner: Bytes; nh: number } | null> {
  const dv = new DataView(pkt.buffer, pkt.byteOffset, pkt.length);
  if (pkt.length < 8 || dv.getUint32(0) !== sa.spi >>> 0) return null;
  let pt: Bytes | null;
  if (sa.cipher === 'aes-gcm-16') {
    if (pkt.length < 8 + 8 + 4 + 16) return null;
    const key = sa.encKey.subarray(0, sa.encKey.length - 4), salt = sa.encKey.subarray(sa.encKey.length - 4);
    pt = await ref.gcmOpen(key, concat(salt, pkt.subarray(8, 16)), pkt.subarray(0, 8), pkt.subarray(16));
  } else {
    const [alg, len] = ICV[sa.integ];
    if (pkt.length < 8 + 16 + 16 + len || (pkt.length - 24 - len) % 16 !== 0) return null;
    if (alg) {
      const mac = (await ref.hmac(alg, sa.integKey, pkt.subarray(0, pkt.length - len))).subarray(0, len);
      const got = pkt.subarray(pkt.length - len);
      if (mac.some((b, i) => b !== got[i])) return null;
    }
    pt = await ref.cbcDecrypt(sa.encKey, pkt.subarray(8, 24), pkt.subarray(24, pkt.length - len));
  }
  if (!pt || pt.length < 2) return null;
  const pad = pt[pt.length - 2];
  if (pad + 2 > pt.length) return null;
  for (let i = 0; i < pad; i++) if (pt[pt.length - 2 - pad + i] !== i + 1) return null;
  return { inner: pt.slice(0, pt.length - 2 - pad), nh: pt[pt.length - 1] };
}
