// IKEv2 key derivation (RFC 7296 §2.13, §2.14, §2.17, §2.18) and the RFC 8784 §3 PPK re-derivation,
// as pure functions of their inputs: no protocol state here (that lives in src/ike).
import type { Core } from './core.js';
import { type Bytes, concat } from './bytes.js';
import { type HashAlg, DIGEST_LEN, prf, prfPlus } from './hash.js';

/** Key lengths of a negotiated IKE SA suite, in bytes (integ 0 and salt included in encr for AEAD). */
export interface IkeKeyLengths {
  integ: number;
  encr: number;
}

export interface IkeKeys {
  skD: Bytes; skAi: Bytes; skAr: Bytes; skEi: Bytes; skEr: Bytes; skPi: Bytes; skPr: Bytes;
}

/** SKEYSEED = prf(Ni | Nr, g^ir) (§2.14). */
export function skeyseed(core: Core, alg: HashAlg, ni: Bytes, nr: Bytes, gir: Bytes): Bytes {
  return prf(core, alg, concat(ni, nr), gir);
}

/** SKEYSEED for a rekeyed IKE SA: prf(SK_d (old), g^ir (new) | Ni | Nr) (§2.18). */
export function rekeySkeyseed(core: Core, alg: HashAlg, skdOld: Bytes, girNew: Bytes, ni: Bytes, nr: Bytes): Bytes {
  return prf(core, alg, skdOld, concat(girNew, ni, nr));
}

/**
 * {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr) (§2.14).
 * SK_d, SK_pi and SK_pr are as long as the PRF output.
 */
export function ikeKeys(core: Core, alg: HashAlg, seed: Bytes, ni: Bytes, nr: Bytes, spii: Bytes, spir: Bytes,
  lens: IkeKeyLengths): IkeKeys {
  const p = DIGEST_LEN[alg];
  const sizes = [p, lens.integ, lens.integ, lens.encr, lens.encr, p, p];
  const km = prfPlus(core, alg, seed, concat(ni, nr, spii, spir), sizes.reduce((a, b) => a + b, 0));
  const [skD, skAi, skAr, skEi, skEr, skPi, skPr] = split(km, sizes);
  km.fill(0);
  return { skD, skAi, skAr, skEi, skEr, skPi, skPr };
}

/**
 * RFC 8784 §3: SK_d = prf+(PPK, SK_d'), SK_pi = prf+(PPK, SK_pi'), SK_pr = prf+(PPK, SK_pr'), each as
 * long as the PRF output. The other keys are unchanged. Returns a new IkeKeys.
 */
export function ppkMix(core: Core, alg: HashAlg, ppk: Bytes, keys: IkeKeys): IkeKeys {
  const p = DIGEST_LEN[alg];
  return {
    ...keys,
    skD: prfPlus(core, alg, ppk, keys.skD, p),
    skPi: prfPlus(core, alg, ppk, keys.skPi, p),
    skPr: prfPlus(core, alg, ppk, keys.skPr, p),
  };
}

export interface ChildKeyLengths {
  encr: number; // including the 4-byte salt for AES-GCM
  integ: number;
}

export interface ChildKeys { encrI: Bytes; integI: Bytes; encrR: Bytes; integR: Bytes }

/**
 * KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr) (§2.17); the initiator-to-responder keys come first,
 * encryption before integrity.
 */
export function childKeys(core: Core, alg: HashAlg, skd: Bytes, ni: Bytes, nr: Bytes, lens: ChildKeyLengths,
  girNew?: Bytes): ChildKeys {
  const seed = girNew ? concat(girNew, ni, nr) : concat(ni, nr);
  const sizes = [lens.encr, lens.integ, lens.encr, lens.integ];
  const km = prfPlus(core, alg, skd, seed, sizes.reduce((a, b) => a + b, 0));
  const [encrI, integI, encrR, integR] = split(km, sizes);
  km.fill(0);
  seed.fill(0);
  return { encrI, integI, encrR, integR };
}

function split(b: Bytes, sizes: number[]): Bytes[] {
  const out: Bytes[] = [];
  let o = 0;
  for (const n of sizes) { out.push(b.slice(o, o + n)); o += n; }
  return out;
}

/** Wipe every key of a set (when an SA dies). */
export function wipeKeys(keys: IkeKeys | ChildKeys): void {
  for (const v of Object.values(keys)) if (v instanceof Uint8Array) v.fill(0);
}
