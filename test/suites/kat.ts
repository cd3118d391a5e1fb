// Known answers from the standards (test/vectors/kat, transcribed and cross-checked with node:crypto):
// FIPS-197, SP 800-38A, the GCM specification, FIPS 180, RFC 2202, RFC 4231, RFC 4868 §2.7, RFC 3602 §4,
// draft-mcgrew-gcm-test-01, NIST CAVP/ACVP IKEv2 KDF (SP 800-135), RFC 5903 §8.
import {
  AesKey, GcmKey, EspSa, hash, hmac, prf, prfPlus, skeyseed, ikeKeys, childKeys, rekeySkeyseed, concat,
  fromHex as h, type HashAlg, type DhGroup,
} from '../../src/crypto/index.js';
import { env } from '../support/env.js';
import { bytesEqual, equal, ok, rejects } from '../support/assert.js';

type Cases<T> = { cases: T[] };

export function katSuite(): void {
  describe('known answers from the standards', () => {
    it('AES: FIPS-197 Appendix B and C.1–C.3, both directions', async () => {
      const { core, vectors } = await env();
      const v = await vectors<Cases<any>>('kat/aes-fips197.json');
      equal(v.cases.length, 4, 'case count');
      for (const c of v.cases) {
        const k = new AesKey(core, h(c.key));
        bytesEqual(k.ecbEncrypt(h(c.plaintext)), c.ciphertext, `${c.name} encrypt`);
        bytesEqual(k.ecbDecrypt(h(c.ciphertext)), c.plaintext, `${c.name} decrypt`);
        k.dispose();
      }
    });

    it('AES-CBC: SP 800-38A F.2.1–F.2.6', async () => {
      const { core, vectors } = await env();
      const v = await vectors<Cases<any>>('kat/aes-cbc-sp800-38a.json');
      equal(v.cases.length, 6, 'case count');
      for (const c of v.cases) {
        const k = new AesKey(core, h(c.key));
        bytesEqual(k.cbcEncrypt(h(c.iv), h(c.plaintext)), c.ciphertext, `${c.name} encrypt`);
        bytesEqual(k.cbcDecrypt(h(c.iv), h(c.ciphertext)), c.plaintext, `${c.name} decrypt`);
        k.dispose();
      }
    });

    it('AES-GCM: McGrew–Viega test cases 1–18 (96-bit and other IV lengths), and forgeries', async () => {
      const { core, vectors } = await env();
      const v = await vectors<Cases<any>>('kat/aes-gcm-spec.json');
      equal(v.cases.length, 18, 'case count');
      for (const c of v.cases) {
        const k = new GcmKey(core, h(c.key));
        bytesEqual(k.seal(h(c.iv), h(c.plaintext), h(c.aad)), c.ciphertext + c.tag, `${c.name} seal`);
        bytesEqual(k.open(h(c.iv), h(c.ciphertext + c.tag), h(c.aad)), c.plaintext, `${c.name} open`);
        const sealed = h(c.ciphertext + c.tag);
        for (const at of [0, sealed.length - 1, sealed.length >> 1]) {
          const f = sealed.slice(); f[at] ^= 0x80;
          equal(k.open(h(c.iv), f, h(c.aad)), null, `${c.name} forgery at ${at}`);
        }
        if (c.aad.length > 0) equal(k.open(h(c.iv), sealed, new Uint8Array(0)), null, `${c.name} AAD dropped`);
        k.dispose();
      }
    });

    it('SHA-1/256/384/512: FIPS 180 examples including one million "a"', async () => {
      const { core, vectors } = await env();
      const v = await vectors<Cases<any>>('kat/sha-fips180.json');
      for (const c of v.cases) {
        const msg = c.message_repeat
          ? new TextEncoder().encode(c.message_repeat.text.repeat(c.message_repeat.count))
          : h(c.message_hex);
        for (const alg of ['sha1', 'sha256', 'sha384', 'sha512'] as HashAlg[]) {
          if (c[alg]) bytesEqual(hash(core, alg, msg), c[alg], `${c.name} ${alg}`);
        }
      }
    });

    it('HMAC-SHA-1: RFC 2202 §3 test cases 1–7 (and the 96-bit truncation)', async () => {
      const { core, vectors } = await env();
      const v = await vectors<Cases<any>>('kat/hmac-rfc2202.json');
      equal(v.cases.length, 7, 'case count');
      for (const c of v.cases) {
        bytesEqual(hmac(core, 'sha1', h(c.key), h(c.data)), c.digest, c.name);
        if (c.digest_96) bytesEqual(hmac(core, 'sha1', h(c.key), h(c.data), 12), c.digest_96, `${c.name} -96`);
      }
    });

    it('HMAC-SHA-256/384/512: RFC 4231 test cases 1–7', async () => {
      const { core, vectors } = await env();
      const v = await vectors<Cases<any>>('kat/hmac-rfc4231.json');
      equal(v.cases.length, 7, 'case count');
      for (const c of v.cases) {
        for (const alg of ['sha256', 'sha384', 'sha512'] as HashAlg[]) {
          const len = c.truncate_bits ? c.truncate_bits / 8 : undefined;
          bytesEqual(hmac(core, alg, h(c.key), h(c.data), len), c[alg], `${c.name} ${alg}`);
        }
      }
    });

    it('PRF_HMAC_SHA2 and ICVs: RFC 4868 §2.7.1 and §2.7.2', async () => {
      const { core, vectors } = await env();
      const v = await vectors<Cases<any>>('kat/hmac-rfc4868.json');
      equal(v.cases.length, 30, 'case count');
      for (const c of v.cases) {
        bytesEqual(prf(core, c.hash, h(c.key), h(c.data)), c.prf_output, `${c.name} prf`);
        if (c.icv) bytesEqual(hmac(core, c.hash, h(c.key), h(c.data), c.icv_bits / 8), c.icv, `${c.name} icv`);
      }
    });

    it('IKEv2 KDF: NIST SP 800-135 CAVP/ACVP SKEYSEED, DKM, child DKM (with and without DH), rekey', async () => {
      const { core, vectors } = await env();
      const v = await vectors<Cases<any>>('kat/ikev2-kdf-sp800-135.json');
      ok(v.cases.length >= 7, 'case count');
      for (const c of v.cases) {
        const alg = c.hash as HashAlg;
        const seed = skeyseed(core, alg, h(c.ni), h(c.nr), h(c.gir));
        bytesEqual(seed, c.skeyseed, `${c.name} SKEYSEED`);
        const dkm = prfPlus(core, alg, seed, concat(h(c.ni), h(c.nr), h(c.spii), h(c.spir)), c.dkm_bytes);
        bytesEqual(dkm, c.dkm, `${c.name} DKM`);
        const skd = dkm.subarray(0, seed.length);
        if (c.dkm_child) {
          const child = childKeys(core, alg, skd, h(c.ni), h(c.nr), { encr: c.dkm_child.length / 4, integ: 0 });
          bytesEqual(concat(child.encrI, child.encrR), c.dkm_child, `${c.name} DKM(Child SA)`);
        }
        if (c.dkm_child_dh) {
          const child = childKeys(core, alg, skd, h(c.ni), h(c.nr), { encr: c.dkm_child_dh.length / 4, integ: 0 }, h(c.gir_new));
          bytesEqual(concat(child.encrI, child.encrR), c.dkm_child_dh, `${c.name} DKM(Child SA D-H)`);
        }
        if (c.skeyseed_rekey) {
          bytesEqual(rekeySkeyseed(core, alg, skd, h(c.gir_new), h(c.ni), h(c.nr)), c.skeyseed_rekey, `${c.name} SKEYSEED(Rekey)`);
        }
        // and the same bytes through ikeKeys(), when the DKM is long enough for SK_d, SK_pi and SK_pr
        const p = seed.length, rest = (c.dkm_bytes - 3 * p) / 4;
        if (Number.isInteger(rest) && rest >= 0) {
          const keys = ikeKeys(core, alg, seed, h(c.ni), h(c.nr), h(c.spii), h(c.spir), { integ: rest, encr: rest });
          bytesEqual(concat(keys.skD, keys.skAi, keys.skAr, keys.skEi, keys.skEr, keys.skPi, keys.skPr), c.dkm, `${c.name} split`);
        }
      }
    });

    it('ESP AES-CBC: RFC 3602 §4 cases 1–4 (CBC) and 5–8 (whole ESP packets, fixed IV)', async () => {
      const { core, vectors } = await env();
      const v = await vectors<Cases<any>>('kat/esp-cbc-rfc3602.json');
      equal(v.cases.length, 8, 'case count');
      for (const c of v.cases) {
        if (!c.packet) {
          const k = new AesKey(core, h(c.key));
          bytesEqual(k.cbcEncrypt(h(c.iv), h(c.plaintext)), c.ciphertext, `${c.name} encrypt`);
          bytesEqual(k.cbcDecrypt(h(c.iv), h(c.ciphertext)), c.plaintext, `${c.name} decrypt`);
          k.dispose();
          continue;
        }
        const params = { spi: parseInt(c.spi, 16), cipher: 'aes-cbc' as const, encKey: h(c.key) };
        const tx = new EspSa(core, params);
        for (let i = 1; i < c.seq; i++) tx.encap(new Uint8Array(0));
        const r = tx.encap(h(c.payload), { iv: h(c.iv), nextHeader: c.next_header });
        ok(r.ok, `${c.name} encap`);
        bytesEqual(r.ok ? r.packet : null, c.packet, `${c.name} packet`);
        const rx = new EspSa(core, params);
        const d = rx.decap(h(c.packet));
        ok(d.ok, `${c.name} decap: ${d.ok ? '' : d.reason}`);
        if (d.ok) { bytesEqual(d.packet, c.payload, `${c.name} payload`); equal(d.nextHeader, c.next_header, `${c.name} next header`); }
        tx.dispose(); rx.dispose();
      }
    });

    it('ESP AES-GCM: draft-mcgrew-gcm-test-01 packets', async () => {
      const { core, vectors } = await env();
      const v = await vectors<Cases<any>>('kat/esp-gcm-draft-mcgrew-gcm-test-01.json');
      ok(v.cases.length >= 10, 'case count');
      let viaSa = 0;
      for (const c of v.cases) {
        // every case through GCM directly: nonce = salt ‖ IV, AAD = SPI ‖ (E)SN
        const k = new GcmKey(core, h(c.key));
        bytesEqual(k.seal(concat(h(c.salt), h(c.iv)), h(c.plaintext), h(c.aad)), c.ciphertext + c.tag, `${c.name} seal`);
        k.dispose();
        // 32-bit sequence numbers and a usable SPI (1–255 are reserved): the whole packet through an SA
        if (c.aad.length !== 16 || parseInt(c.spi, 16) < 256) continue;
        const sa = new EspSa(core, { spi: parseInt(c.spi, 16), cipher: 'aes-gcm-16', encKey: concat(h(c.key), h(c.salt)) });
        const d = sa.decap(h(c.packet));
        ok(d.ok, `${c.name} decap: ${d.ok ? '' : d.reason}`);
        const pt = h(c.plaintext);
        if (d.ok) bytesEqual(d.packet, pt.subarray(0, pt.length - 2 - pt[pt.length - 2]), `${c.name} payload`);
        sa.dispose();
        viaSa++;
      }
      ok(viaSa >= 4, 'enough non-ESN packets went through an SA');
    });

    it('ECDH groups 19/20/21: RFC 5903 §8 (KE = x ‖ y, g^ir = x), through the platform', async () => {
      const { platform, vectors } = await env();
      const v = await vectors<Cases<any>>('kat/ecdh-rfc5903.json');
      equal(v.cases.length, 3, 'case count');
      for (const c of v.cases) {
        const group = c.group as DhGroup;
        bytesEqual(h(c.ke_i_payload).subarray(8), c.ke_i, `${c.name} KEi payload body is x ‖ y`);
        const i = await platform.ecdhImport(group, h(c.i), h(c.ke_i));
        const r = await platform.ecdhImport(group, h(c.r), h(c.ke_r));
        bytesEqual(i.publicKe, c.ke_i, `${c.name} g^i`);
        bytesEqual(await platform.ecdhDerive(i, h(c.ke_r)), c.shared_secret, `${c.name} initiator g^ir`);
        bytesEqual(await platform.ecdhDerive(r, h(c.ke_i)), c.shared_secret, `${c.name} responder g^ir`);
        await rejects(platform.ecdhDerive(i, h(c.ke_r).subarray(1)), `${c.name} short KE`);
        await rejects(platform.ecdhDerive(i, concat(Uint8Array.of(4), h(c.ke_r))), `${c.name} KE with 0x04 prefix`);
        const off = h(c.ke_r); off[off.length - 1] ^= 1;
        await rejects(platform.ecdhDerive(i, off), `${c.name} point off the curve`);
        const fresh = await platform.ecdhGenerate(group);
        const peer = await platform.ecdhGenerate(group);
        bytesEqual(await platform.ecdhDerive(fresh, peer.publicKe), await platform.ecdhDerive(peer, fresh.publicKe), `${c.name} fresh pair agrees`);
      }
    });
  });
}
