// Platform on WebCrypto (browsers, Web Workers, Deno, workerd, and Node's globalThis.crypto).
import { type Bytes, concat } from './bytes.js';
import type { HashAlg } from './hash.js';
import {
  type DhGroup, type EcdhKeyPair, type Platform, type RsaPrivateKey, type RsaPublicKey, type RsaScheme,
  checkKe, groupInfo, setDefaultPlatform,
} from './platform.js';

const HASH_NAME: Record<HashAlg, string> = { sha1: 'SHA-1', sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' };
const SALT_LEN: Record<HashAlg, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

const b64url = (b: Bytes) => {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

/** WebCrypto's types want ArrayBuffer-backed views; ours never use SharedArrayBuffer. */
const ab = (b: Bytes) => b as Uint8Array<ArrayBuffer>;

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error('crypto: WebCrypto is not available here (a secure context is required)');
  return s;
}

interface WebPair extends EcdhKeyPair { readonly handle: CryptoKey }

async function rawPublic(group: DhGroup, key: CryptoKey): Promise<Bytes> {
  const raw = new Uint8Array(await subtle().exportKey('raw', key));
  const { coord } = groupInfo(group);
  if (raw.length !== 1 + 2 * coord || raw[0] !== 4) throw new Error('ecdh: unexpected public key encoding');
  return raw.slice(1);
}

export const webCryptoPlatform: Platform = {
  name: 'webcrypto',

  async ecdhGenerate(group) {
    const { curve } = groupInfo(group);
    const pair = await subtle().generateKey({ name: 'ECDH', namedCurve: curve }, false, ['deriveBits']) as CryptoKeyPair;
    return { group, publicKe: await rawPublic(group, pair.publicKey), handle: pair.privateKey } satisfies WebPair;
  },

  async ecdhImport(group, d, publicKe) {
    const { curve, coord } = groupInfo(group);
    checkKe(group, publicKe);
    if (d.length !== coord) throw new RangeError(`ecdh: private scalar must be ${coord} bytes`);
    const jwk: JsonWebKey = {
      kty: 'EC', crv: curve, d: b64url(d), x: b64url(publicKe.subarray(0, coord)), y: b64url(publicKe.subarray(coord)),
    };
    const handle = await subtle().importKey('jwk', jwk, { name: 'ECDH', namedCurve: curve }, false, ['deriveBits']);
    return { group, publicKe: publicKe.slice(), handle } satisfies WebPair;
  },

  async ecdhDerive(pair, peerKe) {
    const { curve, bits } = groupInfo(pair.group);
    checkKe(pair.group, peerKe);
    let peer: CryptoKey;
    try {
      peer = await subtle().importKey('raw', ab(concat(Uint8Array.of(4), peerKe)), { name: 'ECDH', namedCurve: curve }, false, []);
    } catch {
      throw new Error(`ecdh: group ${pair.group} public value is not a point on the curve`);
    }
    const secret = await subtle().deriveBits({ name: 'ECDH', public: peer }, (pair as WebPair).handle, bits);
    return new Uint8Array(secret);
  },

  async rsaImportPublic(spkiDer) {
    const handle = await subtle().importKey('spki', ab(spkiDer), { name: 'RSA-PSS', hash: 'SHA-256' }, true, ['verify']);
    const bits = (handle.algorithm as RsaHashedKeyAlgorithm).modulusLength;
    return { kind: 'rsa-public', bits, handle: spkiDer.slice() } satisfies RsaPublicKey;
  },

  async rsaImportPrivate(pkcs8Der) {
    const handle = await subtle().importKey('pkcs8', ab(pkcs8Der), { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['sign']);
    const bits = (handle.algorithm as RsaHashedKeyAlgorithm).modulusLength;
    return { kind: 'rsa-private', bits, handle: pkcs8Der } satisfies RsaPrivateKey;
  },

  // Generated extractable once (the PKCS#8 bytes are what the key store persists); used, like an imported
  // key, through a non-extractable import per signature.
  async rsaGenerate(bits) {
    const pair = await subtle().generateKey(
      { name: 'RSA-PSS', modulusLength: bits, publicExponent: Uint8Array.of(1, 0, 1), hash: 'SHA-256' }, true, ['sign', 'verify']);
    const pkcs8 = new Uint8Array(await subtle().exportKey('pkcs8', pair.privateKey));
    const spki = new Uint8Array(await subtle().exportKey('spki', pair.publicKey));
    return { key: await webCryptoPlatform.rsaImportPrivate(pkcs8), spki, pkcs8 };
  },

  // WebCrypto binds a key to one (scheme, hash) pair; keep the DER and import per use.
  async rsaSign(key, hash, scheme, data) {
    const alg = rsaAlg(scheme, hash);
    const k = await subtle().importKey('pkcs8', ab(key.handle as Bytes), alg, false, ['sign']);
    return new Uint8Array(await subtle().sign(signParams(scheme, hash), k, ab(data)));
  },

  async rsaVerify(key, hash, scheme, data, signature) {
    const alg = rsaAlg(scheme, hash);
    const k = await subtle().importKey('spki', ab(key.handle as Bytes), alg, false, ['verify']);
    try {
      return await subtle().verify(signParams(scheme, hash), k, ab(signature), ab(data));
    } catch {
      return false;
    }
  },
};

function rsaAlg(scheme: RsaScheme, hash: HashAlg): RsaHashedImportParams {
  return { name: scheme === 'pss' ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5', hash: HASH_NAME[hash] };
}
function signParams(scheme: RsaScheme, hash: HashAlg): AlgorithmIdentifier | RsaPssParams {
  return scheme === 'pss' ? { name: 'RSA-PSS', saltLength: SALT_LEN[hash] } : { name: 'RSASSA-PKCS1-v1_5' };
}

setDefaultPlatform(() => webCryptoPlatform);
