#!/usr/bin/env node
// Generates asm/aes-tables.ts: the constants of webswan's constant-time "vector permute" AES.
//
// Why: WASM has no AES instructions. A table-driven AES (T-tables, S-box arrays) indexes memory with
// secret bytes and leaks them through the cache. Instead, following the idea of Hamburg's vpaes
// ("Accelerating AES with Vector Permute Instructions", CHES 2009), every non-linear step is done
// with i8x16.swizzle — a 16-entry table lookup held in a register, whose timing does not depend on
// the index — over 4-bit nibbles of a tower-field representation of GF(2^8).
//
// The field: GF(16) = GF(2)[w]/(w^4 + w + 1), and F = GF(16)[θ]/(θ^2 + aθ + a) for the smallest a
// making that polynomial irreducible. A byte (i << 4) | k stands for iθ + k. φ maps the AES field
// GF(2)[x]/(x^8 + x^4 + x^3 + x + 1) isomorphically onto F (x ↦ r, the smallest root of the AES
// polynomial in F); it is GF(2)-linear, so it is applied with two nibble lookups.
//
// Inversion of X = iθ + k (derivation in asm/aes.ts): with j = i ^ k,
//   io = j ^ 1/(1/i ^ a/k),  jo = i ^ 1/(1/j ^ a/k),   1/X = U(io) ^ T(jo)
// where U(n) = ((1+a)/(a²n))θ + 1/n and T(n) = (1/(a²n))θ. 1/0 is encoded 0x80 ("infinity"): any
// further lookup with it yields 0 because i8x16.swizzle returns 0 for indices >= 16.
// Every output table below composes U or T with the linear map a round needs (affine layer,
// MixColumns coefficient, basis change), so one round is 9 swizzles (13 when decrypting).
//
// The generator checks everything it emits: φ is a field isomorphism, the nibble inversion equals
// field inversion for all 256 inputs, the emulated cipher reproduces FIPS-197 Appendix C, and the
// emulated S-box equals the classical one. Run: node tools/gen-aes-vperm.mjs [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const OUT = fileURLToPath(new URL('../asm/aes-tables.ts', import.meta.url));

// ---- arithmetic ---------------------------------------------------------------------------------
function gmul(a, b) { // AES field
  let p = 0;
  for (let i = 0; i < 8; i++) {
    if (b & 1) p ^= a;
    const hi = a & 0x80;
    a = (a << 1) & 0xff;
    if (hi) a ^= 0x1b;
    b >>= 1;
  }
  return p;
}
function ginv(a) { if (a === 0) return 0; for (let b = 1; b < 256; b++) if (gmul(a, b) === 1) return b; throw new Error('no inverse'); }
function g16mul(a, b) { // GF(16) mod w^4 + w + 1
  let p = 0;
  for (let i = 0; i < 4; i++) {
    if (b & 1) p ^= a;
    const hi = a & 8;
    a = (a << 1) & 0xf;
    if (hi) a ^= 3;
    b >>= 1;
  }
  return p;
}
function g16inv(a) { if (a === 0) throw new Error('1/0'); for (let b = 1; b < 16; b++) if (g16mul(a, b) === 1) return b; throw new Error('no inverse'); }

// smallest a with θ^2 + aθ + a irreducible over GF(16)
let A = -1;
for (let a = 2; a < 16 && A < 0; a++) {
  let root = false;
  for (let t = 0; t < 16; t++) if ((g16mul(t, t) ^ g16mul(a, t) ^ a) === 0) root = true;
  if (!root) A = a;
}
const fmul = (X, Y) => { // (iθ + k)(i'θ + k'), θ^2 = aθ + a
  const i = X >> 4, k = X & 15, i2 = Y >> 4, k2 = Y & 15;
  const ii = g16mul(i, i2);
  const hi = g16mul(ii, A) ^ g16mul(i, k2) ^ g16mul(i2, k);
  const lo = g16mul(ii, A) ^ g16mul(k, k2);
  return (hi << 4) | lo;
};
const fpow = (X, n) => { let r = 1; for (let m = 0; m < n; m++) r = fmul(r, X); return r; };
let R = -1;
for (let r = 2; r < 256 && R < 0; r++) {
  if ((fpow(r, 8) ^ fpow(r, 4) ^ fpow(r, 3) ^ r ^ 1) === 0) R = r;
}
const phi = new Array(256), phiInv = new Array(256);
for (let b = 0; b < 256; b++) {
  let v = 0;
  for (let m = 0; m < 8; m++) if ((b >> m) & 1) v ^= fpow(R, m);
  phi[b] = v;
}
for (let b = 0; b < 256; b++) phiInv[phi[b]] = b;
for (let x = 0; x < 256; x++) {
  if (phiInv[phi[x]] !== x) throw new Error('phi is not a bijection');
  for (let y = 0; y < 256; y++) {
    if (phi[x ^ y] !== (phi[x] ^ phi[y])) throw new Error('phi is not additive');
    if (phi[gmul(x, y)] !== fmul(phi[x], phi[y])) throw new Error('phi is not multiplicative');
  }
}

const rotl8 = (b, n) => ((b << n) | (b >> (8 - n))) & 0xff;
const affLin = (b) => b ^ rotl8(b, 1) ^ rotl8(b, 2) ^ rotl8(b, 3) ^ rotl8(b, 4); // FIPS-197 5.1.1 without 0x63
const affLinInv = (b) => rotl8(b, 1) ^ rotl8(b, 3) ^ rotl8(b, 6);
for (let b = 0; b < 256; b++) if (affLinInv(affLin(b)) !== b) throw new Error('affine inverse');
const SBOX = [], INV_SBOX = [];
for (let b = 0; b < 256; b++) { SBOX[b] = affLin(ginv(b)) ^ 0x63; INV_SBOX[SBOX[b]] = b; }
if (SBOX[0x00] !== 0x63 || SBOX[0x53] !== 0xed || SBOX[0xff] !== 0x16) throw new Error('classical S-box wrong');

// ---- nibble tables --------------------------------------------------------------------------------
const INF = 0x80;
const a2 = g16mul(A, A), onePlusA = 1 ^ A;
const t16 = (f) => Array.from({ length: 16 }, (_, n) => f(n));
const INV = t16((n) => (n === 0 ? INF : g16inv(n)));
const AK = t16((n) => (n === 0 ? INF : g16mul(A, g16inv(n))));
const Uvec = (n) => (n === 0 ? 0 : (g16mul(onePlusA, g16inv(g16mul(a2, n))) << 4) | g16inv(n));
const Tvec = (n) => (n === 0 ? 0 : g16inv(g16mul(a2, n)) << 4);
const lin = (Y) => phi[affLin(phiInv[Y])];
const psi = (b) => phi[affLinInv(b)];
const phi2 = phi[2];

const tables = {
  IN_LO: t16((n) => phi[n]), IN_HI: t16((n) => phi[n << 4]),
  INV, AK,
  SB_U: t16((n) => lin(Uvec(n))), SB_T: t16((n) => lin(Tvec(n))),
  SB2_U: t16((n) => fmul(phi2, lin(Uvec(n)))), SB2_T: t16((n) => fmul(phi2, lin(Tvec(n)))),
  SBL_U: t16((n) => affLin(phiInv[Uvec(n)])), SBL_T: t16((n) => affLin(phiInv[Tvec(n)])),
  PSI_LO: t16((n) => psi(n)), PSI_HI: t16((n) => psi(n << 4)),
  D14_U: t16((n) => psi(gmul(14, phiInv[Uvec(n)]))), D14_T: t16((n) => psi(gmul(14, phiInv[Tvec(n)]))),
  D11_U: t16((n) => psi(gmul(11, phiInv[Uvec(n)]))), D11_T: t16((n) => psi(gmul(11, phiInv[Tvec(n)]))),
  D13_U: t16((n) => psi(gmul(13, phiInv[Uvec(n)]))), D13_T: t16((n) => psi(gmul(13, phiInv[Tvec(n)]))),
  D9_U: t16((n) => psi(gmul(9, phiInv[Uvec(n)]))), D9_T: t16((n) => psi(gmul(9, phiInv[Tvec(n)]))),
  DL_U: t16((n) => phiInv[Uvec(n)]), DL_T: t16((n) => phiInv[Tvec(n)]),
  C_ENC: t16(() => phi[0x63]), // affine constant, tower basis (folded into round keys 1..Nr-1)
  C_DEC: t16(() => phi[0x05]), // inverse-affine constant, tower basis (folded into decryption keys)
};
// byte permutations on the column-major AES state (byte 4c + r = row r, column c); out[i] = x[mask[i]]
const SR = t16((i) => 4 * (((i >> 2) + (i & 3)) % 4) + (i & 3));
const INV_SR = t16((i) => 4 * (((i >> 2) - (i & 3) + 4) % 4) + (i & 3));
const ROT = (k) => t16((i) => 4 * (i >> 2) + (((i & 3) + k) % 4));
const then = (first, second) => t16((i) => first[second[i]]); // apply `first`, then `second`
const masks = {
  SR, INV_SR, R1: ROT(1),
  SR_R1: then(SR, ROT(1)), SR_R2: then(SR, ROT(2)), SR_R3: then(SR, ROT(3)),
  R1_INV_SR: then(ROT(1), INV_SR), // InvShiftRows applied after a column rotation
};

// ---- emulation of asm/aes.ts, checked against the classical cipher -----------------------------
const swz = (tbl, idx) => idx.map((x) => (x < 16 ? tbl[x] : 0));
const xor = (a, b) => a.map((x, i) => x ^ b[i]);
const shuf = (m, x) => m.map((i) => x[i]);
const nib = (v, lo, hi) => xor(swz(lo, v.map((x) => x & 15)), swz(hi, v.map((x) => x >> 4)));
function invert(T) {
  const hi = T.map((x) => x >> 4), lo = T.map((x) => x & 15);
  const ak = swz(AK, lo), j = xor(hi, lo);
  const iak = xor(swz(INV, hi), ak), jak = xor(swz(INV, j), ak);
  return [xor(swz(INV, iak), j), xor(swz(INV, jak), hi)];
}
for (let b = 0; b < 256; b++) {
  const [[io], [jo]] = invert([phi[b]]);
  const inv = (io < 16 ? Uvec(io) : 0) ^ (jo < 16 ? Tvec(jo) : 0);
  if (inv !== phi[ginv(b)]) throw new Error(`nibble inversion wrong at ${b}`);
  const [[sio], [sjo]] = invert([phi[b]]);
  const s = swz(tables.SBL_U, [sio])[0] ^ swz(tables.SBL_T, [sjo])[0] ^ 0x63;
  if (s !== SBOX[b]) throw new Error(`S-box wrong at ${b}`);
  const [[dio], [djo]] = invert([psi(b) ^ phi[0x05]]);
  const d = swz(tables.DL_U, [dio])[0] ^ swz(tables.DL_T, [djo])[0];
  if (d !== INV_SBOX[b]) throw new Error(`inverse S-box wrong at ${b}`);
}
function expandKey(key) { // FIPS-197 5.2, classical
  const nk = key.length / 4, nr = nk + 6, w = [];
  for (let i = 0; i < nk; i++) w.push(key.slice(4 * i, 4 * i + 4));
  let rcon = 1;
  for (let i = nk; i < 4 * (nr + 1); i++) {
    let t = w[i - 1].slice();
    if (i % nk === 0) { t = [SBOX[t[1]] ^ rcon, SBOX[t[2]], SBOX[t[3]], SBOX[t[0]]]; rcon = gmul(rcon, 2); }
    else if (nk > 6 && i % nk === 4) t = t.map((x) => SBOX[x]);
    w.push(w[i - nk].map((x, k) => x ^ t[k]));
  }
  return Array.from({ length: nr + 1 }, (_, r) => w.slice(4 * r, 4 * r + 4).flat());
}
const invMixColumns = (s) => t16((i) => {
  const c = i >> 2, r = i & 3, at = (k) => s[4 * c + ((r + k) % 4)];
  return gmul(14, at(0)) ^ gmul(11, at(1)) ^ gmul(13, at(2)) ^ gmul(9, at(3));
});
function encrypt(key, pt) {
  const rk = expandKey(key), nr = rk.length - 1;
  let T = xor(nib(pt, tables.IN_LO, tables.IN_HI), rk[0].map((x) => phi[x]));
  for (let r = 1; r < nr; r++) {
    const [io, jo] = invert(T);
    const s = xor(swz(tables.SB_U, io), swz(tables.SB_T, jo));
    const s2 = xor(swz(tables.SB2_U, io), swz(tables.SB2_T, jo));
    const out = xor(xor(shuf(masks.SR, s2), shuf(masks.SR_R1, xor(s, s2))), xor(shuf(masks.SR_R2, s), shuf(masks.SR_R3, s)));
    T = xor(out, rk[r].map((x) => phi[x] ^ phi[0x63]));
  }
  const [io, jo] = invert(T);
  return xor(shuf(masks.SR, xor(swz(tables.SBL_U, io), swz(tables.SBL_T, jo))), rk[nr].map((x) => x ^ 0x63));
}
function decrypt(key, ct) {
  const rk = expandKey(key), nr = rk.length - 1;
  const kd = (r) => shuf(INV_SR, invMixColumns(rk[r])).map((x) => psi(x) ^ phi[0x05]);
  let W = xor(nib(shuf(INV_SR, ct), tables.PSI_LO, tables.PSI_HI), shuf(INV_SR, rk[nr]).map((x) => psi(x) ^ phi[0x05]));
  for (let r = nr - 1; r >= 1; r--) {
    const [io, jo] = invert(W);
    const v = (U, T) => xor(swz(U, io), swz(T, jo));
    const w2 = xor(v(tables.D13_U, tables.D13_T), shuf(masks.R1, v(tables.D9_U, tables.D9_T)));
    const w1 = xor(v(tables.D11_U, tables.D11_T), shuf(masks.R1, w2));
    W = xor(xor(shuf(INV_SR, v(tables.D14_U, tables.D14_T)), shuf(masks.R1_INV_SR, w1)), kd(r));
  }
  const [io, jo] = invert(W);
  return xor(xor(swz(tables.DL_U, io), swz(tables.DL_T, jo)), rk[0]);
}
const hex = (s) => s.match(/../g).map((h) => parseInt(h, 16));
const toHex = (a) => a.map((x) => x.toString(16).padStart(2, '0')).join('');
const pt = hex('00112233445566778899aabbccddeeff');
for (const [key, ct] of [ // FIPS-197 Appendix C.1, C.2, C.3
  ['000102030405060708090a0b0c0d0e0f', '69c4e0d86a7b0430d8cdb78070b4c55a'],
  ['000102030405060708090a0b0c0d0e0f1011121314151617', 'dda97ca4864cdfe06eaf70a0ec0d7191'],
  ['000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', '8ea2b7ca516745bfeafc49904b496089'],
]) {
  if (toHex(encrypt(hex(key), pt)) !== ct) throw new Error(`emulated encryption fails FIPS-197 for ${key}`);
  if (toHex(decrypt(hex(key), hex(ct))) !== toHex(pt)) throw new Error(`emulated decryption fails FIPS-197 for ${key}`);
}

// ---- emit ------------------------------------------------------------------------------------------
// The tables live in linear memory and are loaded where used: V8 rematerialises a v128.const with
// several instructions each time it runs out of registers, while a load is one instruction.
const all = { ...tables, SBOX_CONST: t16(() => 0x63), NIBBLE: t16(() => 0x0f) };
const bytes = Object.values(all).flat();
let out = `// GENERATED by tools/gen-aes-vperm.mjs — do not edit; regenerate and commit (a test checks this file).
//
// Constants of the constant-time vector-permute AES in asm/aes.ts. Tower field F = GF(16)[θ]/(θ² + ${A}θ + ${A}),
// GF(16) = GF(2)[w]/(w⁴ + w + 1); φ maps the AES field to F with x ↦ 0x${R.toString(16)}. Each table is a
// 16-byte register read with i8x16.swizzle (index >= 16 gives 0: "1/0" is encoded 0x80).

const TABLES: usize = memory.data<u8>([
${bytes.map((x, i) => (i % 16 === 0 ? '  ' : '') + '0x' + x.toString(16).padStart(2, '0') + (i % 16 === 15 ? ',\n' : ', ')).join('')}]);
`;
Object.keys(all).forEach((name, i) => {
  out += `\n// @ts-ignore: decorator\n@inline export function ${name}(): v128 { return v128.load(TABLES, ${16 * i}); } // ${all[name].map((x) => x.toString(16).padStart(2, '0')).join(' ')}`;
});
out += `\n\n// Byte permutations of the column-major state (byte 4c + r is row r, column c): out[i] = x[mask[i]].`;
for (const [name, m] of Object.entries(masks)) {
  out += `\n// @ts-ignore: decorator\n@inline export function ${name}(x: v128): v128 { return i8x16.shuffle(x, x, ${m.join(', ')}); }`;
}
out += '\n';

const args = process.argv.slice(2);
if (args.includes('--check')) {
  if (readFileSync(OUT, 'utf8') !== out) { console.error('asm/aes-tables.ts is stale: run node tools/gen-aes-vperm.mjs'); process.exit(1); }
  console.log('asm/aes-tables.ts is up to date');
} else {
  writeFileSync(OUT, out);
  console.log(`wrote ${OUT} (a = ${A}, root = 0x${R.toString(16)})`);
}
if (args.includes('--masks')) console.log(JSON.stringify(masks));
