// webcrypto: an ESP peer on crypto.subtle, as a careful web application would write it. Keys are
// imported once per SA; every packet is a sequence of awaited calls. CBC: random IV from
// crypto.getRandomValues, our RFC 4303 padding, AES-CBC (WebCrypto appends a PKCS#7 block: dropped),
// HMAC sign, truncate. GCM: the 8-byte IV is the sequence number, AAD = SPI ‖ seq. Decap verifies the
// ICV before decrypting; raw CBC decryption appends a forged block that decrypts to valid PKCS#7
// padding (as test/support/ref-webcrypto.ts does).
import type { Bytes } from '../../src/crypto/index.js';
import type { EspEndpoint, EspKeys, EspSuite, Impl, Mac, Prf } from './harness.js';
import { readBe32, sameBytes, stripTrailer, writeBe32, writePlaintext } from './suites.js';

const subtle = () => globalThis.crypto.subtle;
/** WebCrypto's types want ArrayBuffer-backed views; ours are. */
const ab = (b: Bytes) => b as Uint8Array<ArrayBuffer>;
const HASH = { 'hmac-sha1-96': 'SHA-1', 'hmac-sha256-128': 'SHA-256' } as const;
const SIXTEENS = new Uint8Array(16).fill(16);

const importAes = (key: Bytes, name: 'AES-CBC' | 'AES-GCM') =>
  subtle().importKey('raw', ab(key), { name }, false, ['encrypt', 'decrypt']);
const importHmac = (key: Bytes, hash: string) =>
  subtle().importKey('raw', ab(key), { name: 'HMAC', hash }, false, ['sign']);

class GcmPeer implements EspEndpoint {
  readonly sync = false;
  private seq = 0;
  private readonly nonce = new Uint8Array(12);
  private readonly rxNonce = new Uint8Array(12);
  private readonly head = new Uint8Array(8);
  private readonly pt = new Uint8Array(65536 + 64);

  constructor(private readonly key: CryptoKey, salt: Bytes, private readonly spi: number) {
    this.nonce.set(salt);
    this.rxNonce.set(salt);
  }

  async encap(inner: Bytes): Promise<Bytes> {
    const seq = ++this.seq;
    writeBe32(this.head, 0, this.spi);
    writeBe32(this.head, 4, seq);
    writeBe32(this.nonce, 8, seq); // nonce = salt ‖ IV, IV = the 64-bit sequence number
    const n = writePlaintext(this.pt, 0, inner, 4);
    const sealed = new Uint8Array(await subtle().encrypt(
      { name: 'AES-GCM', iv: this.nonce, additionalData: this.head, tagLength: 128 }, this.key, this.pt.subarray(0, n)));
    const pkt = new Uint8Array(16 + sealed.length);
    pkt.set(this.head);
    pkt.set(this.nonce.subarray(4), 8);
    pkt.set(sealed, 16);
    return pkt;
  }

  async decap(pkt: Bytes): Promise<Bytes | null> {
    if (pkt.length < 8 + 8 + 4 + 16 || readBe32(pkt, 0) !== this.spi) return null;
    this.rxNonce.set(pkt.subarray(8, 16), 4);
    let pt: Uint8Array;
    try {
      pt = new Uint8Array(await subtle().decrypt(
        { name: 'AES-GCM', iv: this.rxNonce, additionalData: ab(pkt.subarray(0, 8)), tagLength: 128 }, this.key, ab(pkt.subarray(16))));
    } catch {
      return null; // tag mismatch
    }
    return stripTrailer(pt);
  }
}

class CbcPeer implements EspEndpoint {
  readonly sync = false;
  private seq = 0;
  private readonly pt = new Uint8Array(65536 + 64);
  private readonly ct = new Uint8Array(65536 + 64);

  constructor(private readonly key: CryptoKey, private readonly macKey: CryptoKey, private readonly icvLen: number,
    private readonly spi: number) {}

  async encap(inner: Bytes): Promise<Bytes> {
    const n = writePlaintext(this.pt, 0, inner, 16);
    const pkt = new Uint8Array(8 + 16 + n + this.icvLen);
    writeBe32(pkt, 0, this.spi);
    writeBe32(pkt, 4, ++this.seq);
    const iv = pkt.subarray(8, 24);
    globalThis.crypto.getRandomValues(iv);
    const ct = new Uint8Array(await subtle().encrypt({ name: 'AES-CBC', iv }, this.key, this.pt.subarray(0, n)));
    pkt.set(ct.subarray(0, n), 24); // drop WebCrypto's PKCS#7 block
    const mac = new Uint8Array(await subtle().sign('HMAC', this.macKey, pkt.subarray(0, 24 + n)));
    pkt.set(mac.subarray(0, this.icvLen), 24 + n);
    return pkt;
  }

  async decap(pkt: Bytes): Promise<Bytes | null> {
    const n = pkt.length - 24 - this.icvLen;
    if (n < 16 || n % 16 !== 0 || readBe32(pkt, 0) !== this.spi) return null;
    const mac = new Uint8Array(await subtle().sign('HMAC', this.macKey, ab(pkt.subarray(0, 24 + n))));
    if (!sameBytes(mac, 0, pkt, 24 + n, this.icvLen)) return null;
    // E_K(C_last ⊕ 16×0x10) decrypts, after C_last, to a full PKCS#7 block that WebCrypto then strips
    const forged = new Uint8Array(await subtle().encrypt({ name: 'AES-CBC', iv: ab(pkt.subarray(8 + n, 24 + n)) }, this.key, SIXTEENS));
    this.ct.set(pkt.subarray(24, 24 + n));
    this.ct.set(forged.subarray(0, 16), n);
    const pt = new Uint8Array(await subtle().decrypt({ name: 'AES-CBC', iv: ab(pkt.subarray(8, 24)) }, this.key, this.ct.subarray(0, n + 16)));
    return stripTrailer(pt);
  }
}

async function esp(suite: EspSuite, keys: EspKeys): Promise<EspEndpoint> {
  if (suite.cipher === 'aes-gcm-16') {
    const k = keys.encKey;
    return new GcmPeer(await importAes(k.subarray(0, k.length - 4), 'AES-GCM'), k.subarray(k.length - 4), keys.spi);
  }
  if (suite.integ === 'none') throw new Error('webcrypto peer: CBC without integrity is not benchmarked');
  return new CbcPeer(await importAes(keys.encKey, 'AES-CBC'), await importHmac(keys.integKey, HASH[suite.integ]), suite.icvLen, keys.spi);
}

const prfPlus: Prf = {
  sync: false,
  async derive(key, seed, len) {
    const k = await importHmac(key, 'SHA-256'); // a new SKEYSEED every derivation
    const out = new Uint8Array(len);
    const msg = new Uint8Array(32 + seed.length + 1);
    let t = msg.subarray(32); // T0 is empty: the first message is S ‖ 0x01
    msg.set(seed, 32);
    for (let i = 1, o = 0; o < len; i++, o += 32) {
      msg[msg.length - 1] = i;
      const block = new Uint8Array(await subtle().sign('HMAC', k, t));
      out.set(block.subarray(0, Math.min(32, len - o)), o);
      msg.set(block, 0);
      t = msg;
    }
    return out;
  },
};

export const webCryptoImpl: Impl = {
  name: 'webcrypto',
  esp,
  async hmacSha256(key): Promise<Mac> {
    const k = await importHmac(key, 'SHA-256');
    return { sync: false, mac: async (msg) => new Uint8Array(await subtle().sign('HMAC', k, ab(msg))) };
  },
  prfPlusSha256: prfPlus,
};
