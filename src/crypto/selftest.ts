// Known-answer self-test of the crypto core and the platform's ECDH, runnable in every runtime
// (`webswan selftest`, the web page, Deno, workerd). Vectors: selftest-vectors.ts (from test/vectors).
import type { Core } from './core.js';
import { type Bytes, fromHex as h, hex, concat } from './bytes.js';
import { type HashAlg, hash, hmac } from './hash.js';
import { AesKey, GcmKey } from './aes.js';
import { EspSa, type EspCipher, type EspInteg, INTEG_KEY_LEN } from './esp.js';
import { ikeKeys, ppkMix, childKeys, skeyseed, rekeySkeyseed } from './kdf.js';
import { platform } from './platform.js';
import { randomBytes } from './random.js';
import { SELFTEST_VECTORS as V } from './selftest-vectors.js';

export interface SelftestCheck { name: string; ok: boolean; error?: string }
export interface SelftestReport {
  ok: boolean; passed: number; failed: number; platform: string; variant: string; checks: SelftestCheck[]; ms: number;
}

class Mismatch extends Error {}
function eq(what: string, got: Bytes | null | undefined, want: string): void {
  const g = got ? hex(got) : String(got);
  if (g !== want) throw new Mismatch(`${what}: got ${g.slice(0, 64)}…, want ${want.slice(0, 64)}…`);
}
function ensure(what: string, cond: boolean): void { if (!cond) throw new Mismatch(what); }

type Check = [string, () => void | Promise<void>];

function checks(core: Core): Check[] {
  const list: Check[] = [];
  for (const c of V.aes) {
    list.push([`AES ${c.name}`, () => {
      const k = new AesKey(core, h(c.key));
      try {
        eq('encrypt', k.ecbEncrypt(h(c.plaintext)), c.ciphertext);
        eq('decrypt', k.ecbDecrypt(h(c.ciphertext)), c.plaintext);
      } finally { k.dispose(); }
    }]);
  }
  for (const c of V.cbc) {
    list.push([`AES-CBC SP 800-38A ${c.name}`, () => {
      const k = new AesKey(core, h(c.key));
      try {
        eq('encrypt', k.cbcEncrypt(h(c.iv), h(c.plaintext)), c.ciphertext);
        eq('decrypt', k.cbcDecrypt(h(c.iv), h(c.ciphertext)), c.plaintext);
      } finally { k.dispose(); }
    }]);
  }
  for (const c of V.gcm) {
    list.push([`AES-GCM spec ${c.name}`, () => {
      const k = new GcmKey(core, h(c.key));
      try {
        eq('seal', k.seal(h(c.iv), h(c.plaintext), h(c.aad)), c.ciphertext + c.tag);
        eq('open', k.open(h(c.iv), h(c.ciphertext + c.tag), h(c.aad)), c.plaintext);
        const forged = h(c.ciphertext + c.tag);
        forged[forged.length - 1] ^= 1;
        ensure('forged tag rejected', k.open(h(c.iv), forged, h(c.aad)) === null);
      } finally { k.dispose(); }
    }]);
  }
  for (const c of V.sha) {
    list.push([`SHA-1/256/384/512 ${c.name}`, () => {
      for (const alg of ['sha1', 'sha256', 'sha384', 'sha512'] as HashAlg[]) eq(alg, hash(core, alg, h(c.message_hex)), c[alg]);
    }]);
  }
  for (const c of V.hmac) {
    list.push([`HMAC ${c.name}`, () => eq('mac', hmac(core, c.hash as HashAlg, h(c.key), h(c.data), c.mac.length / 2), c.mac)]);
  }
  for (const c of V.kdf) {
    list.push([`IKEv2 KDF ${c.name.slice(0, 40)}`, () => {
      const alg = c.hash as HashAlg;
      const seed = skeyseed(core, alg, h(c.ni), h(c.nr), h(c.gir));
      eq('SKEYSEED', seed, c.skeyseed);
      const dl = seed.length;
      const quarter = (c.dkm_bytes - 3 * dl) / 4; // any split of the 132-byte DKM concatenates back to it
      const keys = ikeKeys(core, alg, seed, h(c.ni), h(c.nr), h(c.spii), h(c.spir), { integ: quarter, encr: quarter });
      eq('DKM', concat(keys.skD, keys.skAi, keys.skAr, keys.skEi, keys.skEr, keys.skPi, keys.skPr), c.dkm);
      const child = childKeys(core, alg, keys.skD, h(c.ni), h(c.nr), { encr: c.dkm_bytes / 2, integ: 0 });
      eq('DKM(Child SA)', concat(child.encrI, child.encrR), c.dkm_child);
      const childDh = childKeys(core, alg, keys.skD, h(c.ni), h(c.nr), { encr: c.dkm_bytes / 2, integ: 0 }, h(c.gir_new));
      eq('DKM(Child SA D-H)', concat(childDh.encrI, childDh.encrR), c.dkm_child_dh);
      eq('SKEYSEED(Rekey)', rekeySkeyseed(core, alg, keys.skD, h(c.gir_new), h(c.ni), h(c.nr)), c.skeyseed_rekey);
    }]);
  }
  for (const s of V.strongswan) {
    list.push([`strongSwan 5.9.8 key schedule + RFC 8784 PPK (${s.name})`, () => {
      const alg = 'sha256';
      const seed = skeyseed(core, alg, h(s.ni), h(s.nr), h(s.gir));
      eq('SKEYSEED', seed, s.skeyseed);
      const keys = ikeKeys(core, alg, seed, h(s.ni), h(s.nr), h(s.spii), h(s.spir), { integ: s.integLen, encr: s.encrLen });
      eq('SK_d', keys.skD, s.skD); eq('SK_ai', keys.skAi, s.skAi); eq('SK_ar', keys.skAr, s.skAr);
      eq('SK_ei', keys.skEi, s.skEi); eq('SK_er', keys.skEr, s.skEr); eq('SK_pi', keys.skPi, s.skPi); eq('SK_pr', keys.skPr, s.skPr);
      const mixed = ppkMix(core, alg, h(s.ppk), keys);
      eq('SK_d (PPK)', mixed.skD, s.skDPpk); eq('SK_pi (PPK)', mixed.skPi, s.skPiPpk); eq('SK_pr (PPK)', mixed.skPr, s.skPrPpk);
      const child = childKeys(core, alg, mixed.skD, h(s.ni), h(s.nr), { encr: s.childEncrI.length / 2, integ: s.childIntegI.length / 2 });
      eq('child encr_i', child.encrI, s.childEncrI); eq('child integ_i', child.integI, s.childIntegI);
      eq('child encr_r', child.encrR, s.childEncrR); eq('child integ_r', child.integR, s.childIntegR);
    }]);
    list.push([`strongSwan 5.9.8 first ESP packets decapsulate (${'gcm' in s ? 'AES-GCM-256' : 'AES-CBC-256/HMAC-SHA-256-128'})`, () => {
      const gcm = 'gcm' in s;
      for (const [spi, raw, encr, integ] of [[s.espSpiOut, s.espOut, s.childEncrI, s.childIntegI], [s.espSpiIn, s.espIn, s.childEncrR, s.childIntegR]]) {
        const sa = new EspSa(core, gcm
          ? { spi: parseInt(spi, 16), cipher: 'aes-gcm-16', encKey: h(encr) }
          : { spi: parseInt(spi, 16), cipher: 'aes-cbc', encKey: h(encr), integ: 'hmac-sha256-128', integKey: h(integ) });
        try {
          const r = sa.decap(h(raw));
          ensure(`decap ${spi}: ${r.ok ? 'ok' : r.reason}`, r.ok);
          if (r.ok) ensure('next header 4 and an IPv4 packet', r.nextHeader === 4 && r.packet[0] === 0x45 && ipv4ChecksumOk(r.packet));
          ensure('replayed packet rejected', !sa.decap(h(raw)).ok);
        } finally { sa.dispose(); }
      }
    }]);
  }
  for (const c of V.esp3602) {
    list.push([`ESP RFC 3602 §4 ${c.name}`, () => {
      const sa = new EspSa(core, { spi: parseInt(c.spi, 16), cipher: 'aes-cbc', encKey: h(c.key) });
      try {
        for (let i = 1; i < c.seq; i++) sa.encap(new Uint8Array(0)); // advance to the vector's sequence number
        const r = sa.encap(h(c.payload), { iv: h(c.iv), nextHeader: c.next_header });
        ensure('encap', r.ok);
        if (r.ok) eq('packet', r.packet, c.packet);
      } finally { sa.dispose(); }
    }]);
  }
  const suites: [EspCipher, number, EspInteg][] = [
    ['aes-gcm-16', 20, 'none'], ['aes-gcm-16', 36, 'none'],
    ['aes-cbc', 16, 'hmac-sha1-96'], ['aes-cbc', 24, 'hmac-sha384-192'], ['aes-cbc', 32, 'hmac-sha256-128'], ['aes-cbc', 32, 'hmac-sha512-256'],
  ];
  for (const [cipher, keyLen, integ] of suites) {
    list.push([`ESP round trip, tamper and replay: ${cipher}-${(cipher === 'aes-gcm-16' ? keyLen - 4 : keyLen) * 8} ${integ}`, () => {
      const params = { spi: 0x1000, cipher, encKey: randomBytes(keyLen), integ, integKey: randomBytes(INTEG_KEY_LEN[integ]) };
      const tx = new EspSa(core, params), rx = new EspSa(core, params);
      try {
        const inner = randomBytes(333);
        const r = tx.encap(inner);
        ensure('encap', r.ok);
        if (!r.ok) return;
        const d = rx.decap(r.packet);
        ensure('decap', d.ok && hex(d.packet) === hex(inner));
        ensure('replay', !rx.decap(r.packet).ok);
        const r2 = tx.encap(inner);
        if (!r2.ok) throw new Mismatch('encap 2');
        const bad = r2.packet.slice();
        bad[bad.length - 20] ^= 0x40;
        const t = rx.decap(bad);
        ensure('tampered packet rejected as icv', !t.ok && t.reason === 'icv');
        ensure('the genuine packet still passes after the forgery', rx.decap(r2.packet).ok);
      } finally { tx.dispose(); rx.dispose(); }
    }]);
  }
  for (const c of V.ecdh) {
    list.push([`ECDH ${c.name} via ${platform().name}`, async () => {
      const p = platform();
      const i = await p.ecdhImport(c.group as 19, h(c.i), h(c.ke_i));
      const r = await p.ecdhImport(c.group as 19, h(c.r), h(c.ke_r));
      eq('g^ir (initiator)', await p.ecdhDerive(i, h(c.ke_r)), c.shared_secret);
      eq('g^ir (responder)', await p.ecdhDerive(r, h(c.ke_i)), c.shared_secret);
      const bad = h(c.ke_r);
      bad[bad.length - 1] ^= 1;
      let rejected = false;
      try { await p.ecdhDerive(i, bad); } catch { rejected = true; }
      ensure('a point off the curve is rejected', rejected);
    }]);
  }
  return list;
}

function ipv4ChecksumOk(p: Bytes): boolean {
  const ihl = (p[0] & 15) * 4;
  if (p.length < ihl || ihl < 20) return false;
  let sum = 0;
  for (let i = 0; i < ihl; i += 2) sum += (p[i] << 8) | p[i + 1];
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum === 0xffff;
}

/** Run every known-answer check; never throws. */
export async function selftest(core: Core): Promise<SelftestReport> {
  const t0 = Date.now();
  const out: SelftestCheck[] = [];
  for (const [name, fn] of checks(core)) {
    try {
      await fn();
      out.push({ name, ok: true });
    } catch (e) {
      out.push({ name, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  }
  const failed = out.filter((c) => !c.ok).length;
  return {
    ok: failed === 0, passed: out.length - failed, failed, platform: platform().name, variant: core.variant, checks: out, ms: Date.now() - t0,
  };
}
