// webswan-wasm: the implementation under test, through its fastest public API — EspSa.encapInto /
// decapInto into preallocated buffers, HmacKey.mac with the key set up once, prfPlus.
import { type Bytes, type Core, EspSa, HmacKey, prfPlus } from '../../src/crypto/index.js';
import type { EspEndpoint, EspKeys, EspSuite, Impl, Mac } from './harness.js';

const MAX_PACKET = 65536 + 128;

/** The view buf[0…n], reused while n repeats, so a fixed-size stream does not create a view per packet. */
class Views {
  private last: Bytes;
  constructor(readonly buf: Bytes) { this.last = buf.subarray(0, 0); }
  get(n: number): Bytes { return n === this.last.length ? this.last : (this.last = this.buf.subarray(0, n)); }
}

class WebswanEsp implements EspEndpoint {
  readonly sync = true;
  private readonly tx: EspSa;
  private rx: EspSa;
  private readonly out = new Views(new Uint8Array(MAX_PACKET));
  private readonly inner = new Views(new Uint8Array(MAX_PACKET));

  constructor(private readonly core: Core, private readonly suite: EspSuite, private readonly keys: EspKeys) {
    this.tx = this.sa();
    this.rx = this.sa();
  }

  private sa(): EspSa {
    const { spi, encKey, integKey } = this.keys;
    return new EspSa(this.core, { spi, cipher: this.suite.cipher, encKey, integ: this.suite.integ, integKey });
  }

  encap(inner: Bytes): Bytes {
    const n = this.tx.encapInto(inner, this.out.buf);
    if (n < 0) throw new Error(`webswan encap: error ${-n}`);
    return this.out.get(n);
  }

  decap(packet: Bytes): Bytes | null {
    const n = this.rx.decapInto(packet, this.inner.buf);
    return n < 0 ? null : this.inner.get(n);
  }

  rewind(): void {
    this.rx.dispose();
    this.rx = this.sa();
  }

  dispose(): void { this.tx.dispose(); this.rx.dispose(); }
}

export function webswanImpl(core: Core): Impl {
  return {
    name: 'webswan-wasm',
    esp: async (suite, keys) => new WebswanEsp(core, suite, keys),
    async hmacSha256(key): Promise<Mac> {
      const k = new HmacKey(core, 'sha256', key);
      return { sync: true, mac: (msg) => k.mac(msg), dispose: () => k.dispose() };
    },
    prfPlusSha256: { sync: true, derive: (key, seed, len) => prfPlus(core, 'sha256', key, seed, len) },
  };
}
