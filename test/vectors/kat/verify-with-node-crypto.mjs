#!/usr/bin/env node
// Recomputes every expected value in the known-answer JSON files of this
// directory with node:crypto (OpenSSL), an implementation independent of the
// project's own code, so that a transcription error in a vector is caught.
//
// Usage: node verify-with-node-crypto.mjs [directory]
// (default: the directory this script is in). Uses only node:crypto and node:fs.
// Prints one line per file and a closing "N passed, N failed" line; exits 1 on
// any failure.
import { createCipheriv, createDecipheriv, createHash, createHmac, createECDH, ECDH } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';

const dir = process.argv[2] ? new URL(`file://${process.argv[2].replace(/\/?$/, '/')}`) : new URL('.', import.meta.url);
const B = (hex) => Buffer.from(hex, 'hex');
const cat = (...xs) => Buffer.concat(xs.map((x) => (typeof x === 'string' ? B(x) : x)));

let passed = 0;
let failed = 0;
let fileFailed = 0;
function check(ok, what) {
  if (ok) return true;
  fileFailed++;
  console.log(`    FAIL: ${what}`);
  return false;
}
const eq = (got, want, what) => check(Buffer.isBuffer(got) ? got.toString('hex') === want : got === want, `${what}: got ${Buffer.isBuffer(got) ? got.toString('hex') : got}, want ${want}`);

function aes(mode, key, iv, data, decrypt) {
  const alg = `aes-${key.length * 4}-${mode}`;
  const c = decrypt ? createDecipheriv(alg, B(key), iv === null ? null : B(iv)) : createCipheriv(alg, B(key), iv === null ? null : B(iv));
  c.setAutoPadding(false);
  return cat(c.update(B(data)), c.final());
}
function gcmEncrypt(key, iv, pt, aad) {
  const c = createCipheriv(`aes-${key.length * 4}-gcm`, B(key), B(iv), { authTagLength: 16 });
  if (aad.length) c.setAAD(B(aad));
  const ct = cat(c.update(B(pt)), c.final());
  return { ct, tag: c.getAuthTag() };
}
function gcmDecrypt(key, iv, ct, aad, tag) {
  const d = createDecipheriv(`aes-${key.length * 4}-gcm`, B(key), B(iv), { authTagLength: 16 });
  if (aad.length) d.setAAD(B(aad));
  d.setAuthTag(B(tag));
  return cat(d.update(B(ct)), d.final());
}
const hmac = (hash, key, data) => createHmac(hash, B(key)).update(typeof data === 'string' ? B(data) : data).digest();
function prfPlus(hash, key, seed, len) {
  const out = [];
  let t = Buffer.alloc(0);
  let total = 0;
  for (let n = 1; total < len; n++) {
    if (n > 255) throw new Error('prf+ counter overflow');
    t = hmac(hash, key, cat(t, seed, Buffer.from([n])));
    out.push(t);
    total += t.length;
  }
  return Buffer.concat(out).subarray(0, len);
}

const checkers = {
  'aes-fips197.json'(c) {
    eq(aes('ecb', c.key, null, c.plaintext, false), c.ciphertext, 'encrypt');
    eq(aes('ecb', c.key, null, c.ciphertext, true), c.plaintext, 'decrypt');
  },
  'aes-cbc-sp800-38a.json'(c) {
    eq(aes('cbc', c.key, c.iv, c.plaintext, false), c.ciphertext, 'encrypt');
    eq(aes('cbc', c.key, c.iv, c.ciphertext, true), c.plaintext, 'decrypt');
  },
  'aes-gcm-spec.json'(c) {
    const { ct, tag } = gcmEncrypt(c.key, c.iv, c.plaintext, c.aad);
    eq(ct, c.ciphertext, 'ciphertext');
    eq(tag, c.tag, 'tag');
    eq(gcmDecrypt(c.key, c.iv, c.ciphertext, c.aad, c.tag), c.plaintext, 'decrypt');
  },
  'esp-gcm-draft-mcgrew-gcm-test-01.json'(c) {
    const nonce = c.salt + c.iv;
    eq(nonce, c.nonce, 'nonce = salt|iv');
    eq(c.aad, c.spi + c.seq, 'aad = spi|seq');
    check(c.esn === (c.seq.length === 16), 'esn flag');
    const { ct, tag } = gcmEncrypt(c.key, nonce, c.plaintext, c.aad);
    eq(ct, c.ciphertext, 'ciphertext');
    eq(tag, c.tag, 'tag');
    eq(gcmDecrypt(c.key, nonce, c.ciphertext, c.aad, c.tag), c.plaintext, 'decrypt');
    eq(c.packet, c.spi + c.seq.slice(-8) + c.iv + c.ciphertext + c.tag, 'packet = spi|seq(low 32)|iv|ciphertext|tag');
    // ESP trailer of the plaintext: ... pad (1,2,..) | pad length | next header
    const p = B(c.plaintext);
    const padLen = p[p.length - 2];
    const pad = p.subarray(p.length - 2 - padLen, p.length - 2);
    check(pad.every((b, i) => b === i + 1), 'plaintext ends with ESP padding 1..n, pad length, next header');
  },
  'esp-cbc-rfc3602.json'(c) {
    eq(aes('cbc', c.key, c.iv, c.plaintext, false), c.ciphertext, 'encrypt');
    eq(aes('cbc', c.key, c.iv, c.ciphertext, true), c.plaintext, 'decrypt');
    if (c.packet !== undefined) {
      const seq = c.seq.toString(16).padStart(8, '0');
      eq(c.packet, c.spi + seq + c.iv + c.ciphertext, 'packet = spi|seq|iv|ciphertext');
      const p = aes('cbc', c.key, c.iv, c.ciphertext, true);
      const nh = p[p.length - 1];
      const padLen = p[p.length - 2];
      const pad = p.subarray(p.length - 2 - padLen, p.length - 2);
      eq(nh, c.next_header, 'next header (decrypted)');
      check(pad.every((b, i) => b === i + 1), 'default padding 1..n (decrypted)');
      eq(p.subarray(0, p.length - 2 - padLen), c.payload, 'payload (decrypted)');
      eq(c.mode, c.next_header === 4 ? 'tunnel' : 'transport', 'mode');
    }
  },
  'sha-fips180.json'(c) {
    for (const alg of ['sha1', 'sha256', 'sha384', 'sha512']) {
      const hsh = createHash(alg);
      if (c.message_repeat) {
        const chunk = Buffer.from(c.message_repeat.text.repeat(1000), 'latin1');
        const n = c.message_repeat.count;
        if (n % 1000 !== 0) throw new Error('count not a multiple of 1000');
        for (let i = 0; i < n / 1000; i++) hsh.update(chunk);
      } else hsh.update(B(c.message_hex));
      eq(hsh.digest(), c[alg], alg);
    }
  },
  'hmac-rfc2202.json'(c) {
    const d = hmac('sha1', c.key, c.data);
    eq(d, c.digest, 'HMAC-SHA-1');
    if (c.digest_96 !== undefined) eq(d.subarray(0, 12), c.digest_96, 'HMAC-SHA-1-96');
  },
  'hmac-rfc4231.json'(c) {
    for (const alg of ['sha256', 'sha384', 'sha512']) {
      let d = hmac(alg, c.key, c.data);
      if (c.truncate_bits) d = d.subarray(0, c.truncate_bits / 8);
      eq(d, c[alg], `HMAC-${alg}`);
    }
  },
  'hmac-rfc4868.json'(c) {
    const d = hmac(c.hash, c.key, c.data);
    eq(d, c.prf_output, `PRF-HMAC-${c.hash}`);
    if (c.icv !== undefined) {
      eq(c.icv.length * 4, c.icv_bits, 'icv length');
      eq(d.subarray(0, c.icv_bits / 8), c.icv, 'truncated ICV');
    }
  },
  'ecdh-rfc5903.json'(c) {
    const curve = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' }[c.curve];
    const order = {
      'P-256': 'ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551',
      'P-384': 'ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973',
      'P-521': '01' + 'f'.repeat(65) + 'a51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409',
    }[c.curve];
    eq(c.group, { 'P-256': 19, 'P-384': 20, 'P-521': 21 }[c.curve], 'group number');
    const ei = createECDH(curve);
    ei.setPrivateKey(B(c.i));
    eq(ei.getPublicKey(), '04' + c.gix + c.giy, 'g^i = i*G');
    const er = createECDH(curve);
    er.setPrivateKey(B(c.r));
    eq(er.getPublicKey(), '04' + c.grx + c.gry, 'g^r = r*G');
    eq(ei.computeSecret(B('04' + c.grx + c.gry)), c.girx, 'initiator computeSecret = girx');
    eq(er.computeSecret(B('04' + c.gix + c.giy)), c.girx, 'responder computeSecret = girx');
    // full point g^ir = (i*r mod n)*G, which also checks the y coordinate
    const n = BigInt('0x' + order);
    const ir = (BigInt('0x' + c.i) * BigInt('0x' + c.r)) % n;
    const e = createECDH(curve);
    e.setPrivateKey(B(ir.toString(16).padStart(c.i.length, '0')));
    eq(e.getPublicKey(), '04' + c.girx + c.giry, 'g^ir = (i*r)*G, x and y');
    eq(ECDH.convertKey(B('04' + c.girx + c.giry), curve, undefined, 'hex', 'uncompressed'), '04' + c.girx + c.giry, 'g^ir on curve');
    eq(c.ke_i, c.gix + c.giy, 'ke_i = gix|giy');
    eq(c.ke_r, c.grx + c.gry, 'ke_r = grx|gry');
    eq(c.shared_secret, c.girx, 'shared_secret = girx');
    for (const [p, data, who] of [[c.ke_i_payload, c.ke_i, 'KEi'], [c.ke_r_payload, c.ke_r, 'KEr']]) {
      if (p === undefined) continue;
      const hdr = '0000' + (8 + data.length / 2).toString(16).padStart(4, '0') + c.group.toString(16).padStart(4, '0') + '0000';
      eq(p, hdr + data, `${who} payload = header|data`);
    }
  },
  'ikev2-kdf-sp800-135.json'(c) {
    const prfLen = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 }[c.hash];
    const skeyseed = hmac(c.hash, c.ni + c.nr, c.gir);
    if (c.skeyseed !== undefined) eq(skeyseed, c.skeyseed, 'SKEYSEED = prf(Ni|Nr, g^ir)');
    const dkm = prfPlus(c.hash, skeyseed, cat(c.ni, c.nr, c.spii, c.spir), c.dkm_bytes);
    if (c.dkm !== undefined) eq(dkm, c.dkm, 'DKM = prf+(SKEYSEED, Ni|Nr|SPIi|SPIr)');
    const skd = dkm.subarray(0, prfLen);
    if (c.dkm_child !== undefined) eq(prfPlus(c.hash, skd, cat(c.ni, c.nr), c.dkm_child.length / 2), c.dkm_child, 'DKM(Child SA) = prf+(SK_d, Ni|Nr)');
    if (c.dkm_child_dh !== undefined) eq(prfPlus(c.hash, skd, cat(c.gir_new, c.ni, c.nr), c.dkm_child_dh.length / 2), c.dkm_child_dh, 'DKM(Child SA D-H) = prf+(SK_d, g^ir(new)|Ni|Nr)');
    if (c.skeyseed_rekey !== undefined) eq(hmac(c.hash, skd, cat(c.gir_new, c.ni, c.nr)), c.skeyseed_rekey, 'SKEYSEED(rekey) = prf(SK_d, g^ir(new)|Ni|Nr)');
    if (c.key !== undefined) eq(prfPlus(c.hash, c.key, B(c.seed), c.out.length / 2), c.out, 'prf+(key, seed)');
  },
};

const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
for (const f of files) {
  const doc = JSON.parse(readFileSync(new URL(f, dir), 'utf8'));
  const run = checkers[f];
  if (!run) {
    console.log(`${f}: no checker, FAILED`);
    failed++;
    continue;
  }
  for (const k of ['source', 'licence', 'verified']) if (typeof doc[k] !== 'string' || !doc[k]) { console.log(`${f}: missing "${k}"`); failed++; }
  let ok = 0;
  for (const c of doc.cases) {
    fileFailed = 0;
    // every hex-looking field must be lowercase, even-length, no spaces
    for (const [k, v] of Object.entries(c)) if (typeof v === 'string' && /^[0-9a-fA-F]*$/.test(v) && !/(name|text|note|origin|curve|hash|mode|direction)$/.test(k)) check(v === v.toLowerCase() && v.length % 2 === 0, `${k} not lowercase even-length hex`);
    try {
      run(c);
    } catch (e) {
      check(false, `exception ${e.message}`);
    }
    if (fileFailed) {
      console.log(`  ^ in ${f}: ${c.name}`);
      failed++;
    } else {
      passed++;
      ok++;
    }
  }
  console.log(`${f}: ${ok}/${doc.cases.length} cases verified`);
}
console.log(`node ${process.versions.node}, OpenSSL ${process.versions.openssl}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
