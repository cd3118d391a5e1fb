// Wycheproof (C2SP, Apache-2.0): valid, invalid and acceptable cases for AES-CBC-PKCS5, AES-GCM, HMAC,
// ECDH (WebCrypto JWK and raw point encodings) and RSA PKCS#1 v1.5 signatures. Every case runs;
// "acceptable" ones may go either way but must not crash.
import {
  AesKey, GcmKey, HmacKey, fromHex as h, concat, type HashAlg, type DhGroup,
} from '../../src/crypto/index.js';
import { env } from '../support/env.js';
import { bytesEqual, equal, ok } from '../support/assert.js';

interface Group<T> { tests: T[]; [k: string]: any }
interface File<T> { numberOfTests: number; testGroups: Group<T>[] }

function count(f: File<unknown>): number { return f.testGroups.reduce((n, g) => n + g.tests.length, 0); }

const b64url = (s: string) => {
  const b = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4));
  return Uint8Array.from(b, (c) => c.charCodeAt(0));
};
const GROUP: Record<string, DhGroup> = { secp256r1: 19, secp384r1: 20, secp521r1: 21, 'P-256': 19, 'P-384': 20, 'P-521': 21 };
const COORD: Record<DhGroup, number> = { 19: 32, 20: 48, 21: 66 };
function leftPad(b: Uint8Array, n: number): Uint8Array {
  if (b.length > n) return b.subarray(b.length - n); // a scalar with a leading zero byte
  const out = new Uint8Array(n); out.set(b, n - b.length); return out;
}

export function wycheproofSuite(): void {
  describe('Wycheproof', () => {
    it('AES-CBC-PKCS5: every case', async () => {
      const { core, vectors } = await env();
      const f = await vectors<File<any>>('wycheproof/aes_cbc_pkcs5_test.json');
      let n = 0;
      for (const g of f.testGroups) for (const t of g.tests) {
        const k = new AesKey(core, h(t.key));
        const pt = k.cbcDecrypt(h(t.iv), h(t.ct), { pkcs7: true });
        if (t.result === 'valid') {
          bytesEqual(pt, t.msg, `tc ${t.tcId} decrypt`);
          bytesEqual(k.cbcEncrypt(h(t.iv), h(t.msg), { pkcs7: true }), t.ct, `tc ${t.tcId} encrypt`);
        } else if (t.result === 'invalid') {
          equal(pt, null, `tc ${t.tcId} (${t.comment}) must be rejected`);
        }
        k.dispose(); n++;
      }
      equal(n, count(f), 'all cases ran');
    });

    it('AES-GCM: every case (IV sizes 0–2056 bits)', async () => {
      const { core, vectors } = await env();
      const f = await vectors<File<any>>('wycheproof/aes_gcm_test.json');
      let n = 0;
      for (const g of f.testGroups) for (const t of g.tests) {
        n++;
        const key = h(t.key), iv = h(t.iv);
        if (![16, 24, 32].includes(key.length) || iv.length === 0) {
          ok(t.result === 'invalid', `tc ${t.tcId}: parameters we refuse must be invalid ones`);
          let threw = false;
          let k: GcmKey | undefined;
          try { k = new GcmKey(core, key); k.seal(iv, h(t.msg), h(t.aad)); } catch { threw = true; } finally { k?.dispose(); }
          ok(threw, `tc ${t.tcId}: refused`);
          continue;
        }
        const k = new GcmKey(core, key);
        const tagLen = g.tagSize / 8;
        const opened = k.open(iv, h(t.ct + t.tag), h(t.aad), tagLen);
        if (t.result === 'valid') {
          bytesEqual(opened, t.msg, `tc ${t.tcId} open`);
          bytesEqual(k.seal(iv, h(t.msg), h(t.aad), tagLen), t.ct + t.tag, `tc ${t.tcId} seal`);
        } else if (t.result === 'invalid') {
          equal(opened, null, `tc ${t.tcId} (${t.comment}) must be rejected`);
        }
        k.dispose();
      }
      equal(n, count(f), 'all cases ran');
    });

    for (const alg of ['sha1', 'sha256', 'sha384', 'sha512'] as HashAlg[]) {
      it(`HMAC-${alg.toUpperCase()}: every case (truncated tags included)`, async () => {
        const { core, vectors } = await env();
        const f = await vectors<File<any>>(`wycheproof/hmac_${alg}_test.json`);
        let n = 0;
        for (const g of f.testGroups) for (const t of g.tests) {
          const k = new HmacKey(core, alg, h(t.key));
          const tag = h(t.tag);
          const mac = k.mac(h(t.msg), g.tagSize / 8);
          const match = tag.length === g.tagSize / 8 && mac.every((b, i) => b === tag[i]);
          if (t.result === 'valid') ok(match, `tc ${t.tcId} (${t.comment})`);
          if (t.result === 'invalid') ok(!match, `tc ${t.tcId} (${t.comment}) must not verify`);
          k.dispose(); n++;
        }
        equal(n, count(f), 'all cases ran');
      });
    }

    for (const curve of ['secp256r1', 'secp384r1', 'secp521r1']) {
      it(`ECDH ${curve}, WebCrypto JWK encoding: every case`, async () => {
        const { platform, vectors } = await env();
        const f = await vectors<File<any>>(`wycheproof/ecdh_${curve}_webcrypto_test.json`);
        let n = 0;
        for (const g of f.testGroups) for (const t of g.tests) {
          n++;
          const group = GROUP[t.private.crv];
          const coord = COORD[group];
          const pub = t.public;
          let shared: Uint8Array | null = null;
          try {
            if (pub.kty !== 'EC' || GROUP[pub.crv] !== group) throw new Error('other curve');
            const ke = concat(leftPad(b64url(pub.x), coord), leftPad(b64url(pub.y), coord));
            if (b64url(pub.x).length > coord || b64url(pub.y).length > coord) throw new Error('oversized coordinate');
            const mine = await platform.ecdhImport(group, leftPad(b64url(t.private.d), coord),
              concat(leftPad(b64url(t.private.x), coord), leftPad(b64url(t.private.y), coord)));
            shared = await platform.ecdhDerive(mine, ke);
          } catch { shared = null; }
          if (t.result === 'valid') bytesEqual(shared, t.shared, `tc ${t.tcId} (${t.comment})`);
          if (t.result === 'invalid') equal(shared, null, `tc ${t.tcId} (${t.comment}) must be rejected`);
        }
        equal(n, count(f), 'all cases ran');
      });

      it(`ECDH ${curve}, raw points as IKEv2 KE data: every case`, async () => {
        const { platform, vectors } = await env();
        const f = await vectors<File<any>>(`wycheproof/ecdh_${curve}_ecpoint_test.json`);
        const group = GROUP[curve], coord = COORD[group];
        let n = 0, valid = 0;
        for (const g of f.testGroups) for (const t of g.tests) {
          n++;
          const point = h(t.public);
          // IKEv2 carries only x ‖ y (RFC 5903 §7): an uncompressed point minus 0x04; anything else
          // (compressed, infinity, wrong length) cannot even be expressed and must be refused.
          const ke = point.length === 1 + 2 * coord && point[0] === 4 ? point.subarray(1) : point;
          let shared: Uint8Array | null = null;
          try {
            const priv = leftPad(h(t.private), coord);
            const pair = await importScalar(platform, group, priv);
            shared = await platform.ecdhDerive(pair, ke);
          } catch { shared = null; }
          const expressible = point.length === 1 + 2 * coord && point[0] === 4;
          if (t.result === 'valid' && expressible) { bytesEqual(shared, t.shared, `tc ${t.tcId} (${t.comment})`); valid++; }
          else if (t.result === 'invalid' || !expressible) equal(shared, null, `tc ${t.tcId} (${t.comment}) must be rejected`);
        }
        equal(n, count(f), 'all cases ran');
        ok(valid > 100, 'most valid cases were exercised');
      });
    }

    for (const sha of ['sha256', 'sha384', 'sha512'] as HashAlg[]) {
      it(`RSA PKCS#1 v1.5 2048-bit ${sha} verification: every case`, async () => {
        const { platform, vectors } = await env();
        const f = await vectors<File<any>>(`wycheproof/rsa_signature_2048_${sha}_test.json`);
        let n = 0;
        for (const g of f.testGroups) {
          const key = await platform.rsaImportPublic(h(g.publicKeyDer));
          for (const t of g.tests) {
            const verified = await platform.rsaVerify(key, sha, 'pkcs1', h(t.msg), h(t.sig));
            if (t.result === 'valid') ok(verified, `tc ${t.tcId} (${t.comment})`);
            if (t.result === 'invalid') ok(!verified, `tc ${t.tcId} (${t.comment}) must not verify`);
            n++;
          }
        }
        equal(n, count(f), 'all cases ran');
      });
    }
  });
}

/** The platform imports a private scalar together with its public point; derive that point first. */
async function importScalar(platform: import('../../src/crypto/index.js').Platform, group: DhGroup, d: Uint8Array) {
  const cache = scalarCache.get(platform) ?? new Map<string, Promise<any>>();
  scalarCache.set(platform, cache);
  const id = `${group}:${Array.from(d).join(',')}`;
  let p = cache.get(id);
  if (!p) {
    p = publicFor(group, d).then((pub) => platform.ecdhImport(group, d, pub));
    cache.set(id, p);
  }
  return p;
}
const scalarCache = new Map<unknown, Map<string, Promise<any>>>();

/** g^d through WebCrypto: import the scalar as PKCS#8 and export the public key via JWK. */
async function publicFor(group: DhGroup, d: Uint8Array): Promise<Uint8Array> {
  const curve = ({ 19: 'P-256', 20: 'P-384', 21: 'P-521' } as const)[group];
  const s = globalThis.crypto.subtle;
  // WebCrypto cannot import a bare scalar; sign it into a PKCS#8 structure (RFC 5915 ECPrivateKey)
  const oid = { 19: '2a8648ce3d030107', 20: '2b81040022', 21: '2b81040023' }[group];
  const ecpk = der(0x30, concat(der(0x02, Uint8Array.of(1)), der(0x04, d)));
  const algId = der(0x30, concat(der(0x06, h('2a8648ce3d0201')), der(0x06, h(oid))));
  const pkcs8 = der(0x30, concat(der(0x02, Uint8Array.of(0)), algId, der(0x04, ecpk)));
  const key = await s.importKey('pkcs8', pkcs8 as Uint8Array<ArrayBuffer>, { name: 'ECDH', namedCurve: curve }, true, ['deriveBits']);
  const jwk = await s.exportKey('jwk', key);
  const c = COORD[group];
  return concat(leftPad(b64url(jwk.x!), c), leftPad(b64url(jwk.y!), c));
}

function der(tag: number, body: Uint8Array): Uint8Array {
  const n = body.length;
  const len = n < 128 ? Uint8Array.of(n) : n < 256 ? Uint8Array.of(0x81, n) : Uint8Array.of(0x82, n >> 8, n & 255);
  return concat(Uint8Array.of(tag), len, body);
}
