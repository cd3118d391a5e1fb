// Platform on node:crypto — for Node only (the web bundles never import this file). node:crypto's
// ECDH is 3× faster than Node's WebCrypto (../shared/reference/perf-anchors.md §B).
import * as nc from 'node:crypto';
import type { Bytes } from './bytes.js';
import type { HashAlg } from './hash.js';
import {
  type DhGroup, type EcdhKeyPair, type Platform, type RsaPrivateKey, type RsaPublicKey, checkKe, groupInfo,
} from './platform.js';

const CURVE: Record<DhGroup, string> = { 19: 'prime256v1', 20: 'secp384r1', 21: 'secp521r1' };

interface NodePair extends EcdhKeyPair { readonly handle: nc.ECDH }

export const nodePlatform: Platform = {
  name: 'node-crypto',

  async ecdhGenerate(group) {
    groupInfo(group);
    const ecdh = nc.createECDH(CURVE[group]);
    ecdh.generateKeys();
    return { group, publicKe: new Uint8Array(ecdh.getPublicKey().subarray(1)), handle: ecdh } satisfies NodePair;
  },

  async ecdhImport(group, d, publicKe) {
    const { coord } = groupInfo(group);
    checkKe(group, publicKe);
    if (d.length !== coord) throw new RangeError(`ecdh: private scalar must be ${coord} bytes`);
    const ecdh = nc.createECDH(CURVE[group]);
    ecdh.setPrivateKey(Buffer.from(d));
    const derived = new Uint8Array(ecdh.getPublicKey().subarray(1));
    if (Buffer.compare(Buffer.from(derived), Buffer.from(publicKe)) !== 0) {
      throw new Error('ecdh: public value does not belong to the private scalar');
    }
    return { group, publicKe: derived, handle: ecdh } satisfies NodePair;
  },

  async ecdhDerive(pair, peerKe) {
    checkKe(pair.group, peerKe);
    try {
      return new Uint8Array((pair as NodePair).handle.computeSecret(Buffer.concat([Buffer.of(4), peerKe])));
    } catch {
      throw new Error(`ecdh: group ${pair.group} public value is not a point on the curve`);
    }
  },

  async rsaImportPublic(spkiDer) {
    const handle = nc.createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
    if (handle.asymmetricKeyType !== 'rsa') throw new Error('rsa: not an RSA public key');
    return { kind: 'rsa-public', bits: handle.asymmetricKeyDetails?.modulusLength ?? 0, handle } satisfies RsaPublicKey;
  },

  async rsaImportPrivate(pkcs8Der) {
    // a Buffer view of the caller's bytes, not a copy (Buffer.from would copy into the shared pool, unwipeable)
    const handle = nc.createPrivateKey({ key: Buffer.from(pkcs8Der.buffer, pkcs8Der.byteOffset, pkcs8Der.byteLength), format: 'der', type: 'pkcs8' });
    if (handle.asymmetricKeyType !== 'rsa') throw new Error('rsa: not an RSA private key');
    return { kind: 'rsa-private', bits: handle.asymmetricKeyDetails?.modulusLength ?? 0, handle } satisfies RsaPrivateKey;
  },

  async rsaGenerate(bits) {
    const { privateKey, publicKey } = await new Promise<nc.KeyPairKeyObjectResult>((resolve, reject) =>
      nc.generateKeyPair('rsa', { modulusLength: bits, publicExponent: 0x10001 }, (e, pub, priv) => (e ? reject(e) : resolve({ publicKey: pub, privateKey: priv }))));
    const exported = privateKey.export({ format: 'der', type: 'pkcs8' });
    const pkcs8 = new Uint8Array(exported);
    exported.fill(0); // the copy is the caller's to keep and wipe
    const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
    return { key: { kind: 'rsa-private', bits, handle: privateKey } satisfies RsaPrivateKey, spki, pkcs8 };
  },

  async rsaSign(key, hash, scheme, data) {
    return new Uint8Array(nc.sign(hash, data, signOpts(key.handle as nc.KeyObject, hash, scheme)));
  },

  async rsaVerify(key, hash, scheme, data, signature) {
    try {
      return nc.verify(hash, data, signOpts(key.handle as nc.KeyObject, hash, scheme), signature);
    } catch {
      return false;
    }
  },
};

function signOpts(key: nc.KeyObject, hash: HashAlg, scheme: 'pkcs1' | 'pss') {
  const saltLength = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 }[hash];
  return scheme === 'pss'
    ? { key, padding: nc.constants.RSA_PKCS1_PSS_PADDING, saltLength }
    : { key, padding: nc.constants.RSA_PKCS1_PADDING };
}
