// AUTH payload computation for shared keys (RFC 7296 §2.15) and the RFC 8784 §3 NO_PPK_AUTH variant:
//   InitiatorSignedOctets = RealMessage1 | NonceRData | prf(SK_pi, RestOfInitIDPayload)
//   ResponderSignedOctets = RealMessage2 | NonceIData | prf(SK_pr, RestOfRespIDPayload)
//   AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"), <SignedOctets>)
// NO_PPK_AUTH carries the same value computed with SK_pi' (the key before PPK mixing), no method octet.
import type { Core } from '../crypto/core.js';
import { type Bytes, concat, ctEqual, utf8 } from '../crypto/bytes.js';
import { type HashAlg, prf } from '../crypto/hash.js';

const KEY_PAD = utf8('Key Pad for IKEv2');

/** RestOfInitIDPayload / RestOfRespIDPayload: ID type, three reserved octets, identification data. */
export function restOfIdPayload(idType: number, data: Bytes): Bytes {
  const b = new Uint8Array(4 + data.length);
  b[0] = idType;
  b.set(data, 4);
  return b;
}

/** The octets an AUTH payload is computed over. */
export function signedOctets(core: Core, alg: HashAlg, realMessage: Bytes, peerNonce: Bytes, skP: Bytes,
  idType: number, idData: Bytes): Bytes {
  return concat(realMessage, peerNonce, prf(core, alg, skP, restOfIdPayload(idType, idData)));
}

/** AUTH data for a shared key (method 2). */
export function pskAuth(core: Core, alg: HashAlg, psk: Bytes, octets: Bytes): Bytes {
  const k = prf(core, alg, psk, KEY_PAD);
  const out = prf(core, alg, k, octets);
  k.fill(0);
  return out;
}

/** Verify a shared-key AUTH in constant time. */
export function verifyPskAuth(core: Core, alg: HashAlg, psk: Bytes, octets: Bytes, received: Bytes): boolean {
  const expect = pskAuth(core, alg, psk, octets);
  const ok = ctEqual(expect, received);
  expect.fill(0);
  return ok;
}
