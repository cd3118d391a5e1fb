// node-crypto: an ESP peer on node:crypto (OpenSSL) — a cipher and an HMAC object per packet
// (createCipheriv / createHmac; the API has no reusable keyed contexts), setAutoPadding(false) and our
// own RFC 4303 padding. Keys become KeyObjects once per SA. CBC IVs come from a 4 KiB pool refilled
// by randomFillSync, as the WASM core pools its IVs. Same packet rules as the WebCrypto peer.
import * as nc from 'node:crypto';
import type { Bytes } from '../../src/crypto/index.js';
import type { EspEndpoint, EspKeys, EspSuite, Impl, Mac, Prf } from './harness.js';
import { readBe32, sameBytes, stripTrailer, writeBe32, writePlaintext } from './suites.js';

const HASH = { 'hmac-sha1-96': 'sha1', 'hmac-sha256-128': 'sha256' } as const;

class IvPool {
  private readonly pool = Buffer.alloc(4096);
  private pos = 4096;
  take(dst: Bytes, off: number): void {
    if (this.pos === 4096) { nc.randomFillSync(this.pool); this.pos = 0; }
    dst.set(this.pool.subarray(this.pos, this.pos + 16), off);
    this.pool.fill(0, this.pos, this.pos + 16);
    this.pos += 16;
  }
}

class GcmPeer implements EspEndpoint {
  readonly sync = true;
  private seq = 0;
  private readonly alg: nc.CipherGCMTypes;
  private readonly key: nc.KeyObject;
  private readonly nonce = Buffer.alloc(12);
  private readonly rxNonce = Buffer.alloc(12);
  private readonly pt = Buffer.alloc(65536 + 64);

  constructor(encKey: Bytes, private readonly spi: number) {
    const aes = encKey.subarray(0, encKey.length - 4);
    this.alg = `aes-${aes.length * 8}-gcm` as nc.CipherGCMTypes;
    this.key = nc.createSecretKey(aes);
    this.nonce.set(encKey.subarray(encKey.length - 4));
    this.rxNonce.set(encKey.subarray(encKey.length - 4));
  }

  encap(inner: Bytes): Bytes {
    const seq = ++this.seq;
    const n = writePlaintext(this.pt, 0, inner, 4);
    const pkt = Buffer.allocUnsafe(16 + n + 16);
    writeBe32(pkt, 0, this.spi);
    writeBe32(pkt, 4, seq);
    writeBe32(this.nonce, 8, seq); // nonce = salt ‖ IV, IV = the 64-bit sequence number
    pkt.set(this.nonce.subarray(4), 8);
    const c = nc.createCipheriv(this.alg, this.key, this.nonce);
    c.setAAD(pkt.subarray(0, 8));
    pkt.set(c.update(this.pt.subarray(0, n)), 16);
    c.final();
    pkt.set(c.getAuthTag(), 16 + n);
    return pkt;
  }

  decap(pkt: Bytes): Bytes | null {
    if (pkt.length < 8 + 8 + 4 + 16 || readBe32(pkt, 0) !== this.spi) return null;
    this.rxNonce.set(pkt.subarray(8, 16), 4);
    const d = nc.createDecipheriv(this.alg, this.key, this.rxNonce);
    d.setAAD(pkt.subarray(0, 8));
    d.setAuthTag(pkt.subarray(pkt.length - 16));
    const pt = d.update(pkt.subarray(16, pkt.length - 16));
    try { d.final(); } catch { return null; } // tag mismatch
    return stripTrailer(pt);
  }
}

class CbcPeer implements EspEndpoint {
  readonly sync = true;
  private seq = 0;
  private readonly alg: string;
  private readonly hash: string;
  private readonly key: nc.KeyObject;
  private readonly macKey: nc.KeyObject;
  private readonly icvLen: number;
  private readonly pt = Buffer.alloc(65536 + 64);
  private readonly ivs = new IvPool();

  constructor(suite: EspSuite, keys: EspKeys, private readonly spi: number) {
    if (suite.integ === 'none') throw new Error('node-crypto peer: CBC without integrity is not benchmarked');
    this.alg = `aes-${keys.encKey.length * 8}-cbc`;
    this.hash = HASH[suite.integ];
    this.key = nc.createSecretKey(keys.encKey);
    this.macKey = nc.createSecretKey(keys.integKey);
    this.icvLen = suite.icvLen;
  }

  encap(inner: Bytes): Bytes {
    const n = writePlaintext(this.pt, 0, inner, 16);
    const pkt = Buffer.allocUnsafe(24 + n + this.icvLen);
    writeBe32(pkt, 0, this.spi);
    writeBe32(pkt, 4, ++this.seq);
    this.ivs.take(pkt, 8);
    const c = nc.createCipheriv(this.alg, this.key, pkt.subarray(8, 24)).setAutoPadding(false);
    pkt.set(c.update(this.pt.subarray(0, n)), 24);
    c.final();
    const mac = nc.createHmac(this.hash, this.macKey).update(pkt.subarray(0, 24 + n)).digest();
    mac.copy(pkt, 24 + n, 0, this.icvLen);
    return pkt;
  }

  decap(pkt: Bytes): Bytes | null {
    const n = pkt.length - 24 - this.icvLen;
    if (n < 16 || n % 16 !== 0 || readBe32(pkt, 0) !== this.spi) return null;
    const mac = nc.createHmac(this.hash, this.macKey).update(pkt.subarray(0, 24 + n)).digest();
    if (!sameBytes(mac, 0, pkt, 24 + n, this.icvLen)) return null;
    const d = nc.createDecipheriv(this.alg, this.key, pkt.subarray(8, 24)).setAutoPadding(false);
    const pt = d.update(pkt.subarray(24, 24 + n));
    d.final();
    return stripTrailer(pt);
  }
}

const prfPlus: Prf = {
  sync: true,
  derive(key, seed, len) {
    const k = nc.createSecretKey(key); // a new SKEYSEED every derivation
    const out = new Uint8Array(len);
    const n = new Uint8Array(1);
    let t: Bytes = new Uint8Array(0);
    for (let i = 1, o = 0; o < len; i++, o += 32) {
      n[0] = i;
      t = nc.createHmac('sha256', k).update(t).update(seed).update(n).digest();
      out.set(t.subarray(0, Math.min(32, len - o)), o);
    }
    return out;
  },
};

export const nodeCryptoImpl: Impl = {
  name: 'node-crypto',
  esp: async (suite, keys) => suite.cipher === 'aes-gcm-16' ? new GcmPeer(keys.encKey, keys.spi) : new CbcPeer(suite, keys, keys.spi),
  async hmacSha256(key): Promise<Mac> {
    const k = nc.createSecretKey(key);
    return { sync: true, mac: (msg) => nc.createHmac('sha256', k).update(msg).digest() };
  },
  prfPlusSha256: prfPlus,
};
