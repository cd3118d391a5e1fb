// Four IKEv2 key schedules logged by strongSwan 5.9.8 (test/vectors/strongswan), replayed end to end:
// SKEYSEED, SK_*, the RFC 8784 PPK re-derivation, both AUTH payloads (RFC 7296 §2.15), child SA KEYMAT,
// the encrypted IKE_AUTH messages (SK payload, RFC 7296 §3.14 / RFC 5282) and the first ESP packet
// each way — all must reproduce what strongSwan computed and put on the wire.
import {
  AesKey, GcmKey, HmacKey, EspSa, prf, skeyseed, ikeKeys, ppkMix, childKeys, concat, utf8,
  fromHex as h, hex, type Bytes, type Core,
} from '../../src/crypto/index.js';
import { env } from '../support/env.js';
import { bytesEqual, equal, ok } from '../support/assert.js';

const FILES = ['recipe.json', 'recipe-gcm.json', 'cap-tp.json', 'cap-noencap.json'];
const SK = 46, IDI = 35, IDR = 36, AUTH = 39, NOTIFY = 41, PPK_IDENTITY = 16436;

interface Payload { type: number; body: Bytes }

/** Decrypt and authenticate an IKEv2 message whose first payload is SK; return its inner payloads. */
function openSk(core: Core, msg: Bytes, encrKey: Bytes, integKey: Bytes, gcm: boolean): Payload[] {
  equal(msg[16], SK, 'first payload is SK');
  const skLen = (msg[30] << 8) | msg[31];
  equal(28 + skLen, msg.length, 'SK payload ends the message');
  let pt: Bytes | null;
  if (gcm) {
    const k = new GcmKey(core, encrKey.subarray(0, encrKey.length - 4));
    const nonce = concat(encrKey.subarray(encrKey.length - 4), msg.subarray(32, 40));
    pt = k.open(nonce, msg.subarray(40), msg.subarray(0, 32)); // AAD: IKE header ‖ SK header (RFC 5282 §5.1)
    k.dispose();
  } else {
    const icv = msg.subarray(msg.length - 16);
    const mac = new HmacKey(core, 'sha256', integKey);
    bytesEqual(mac.mac(msg.subarray(0, msg.length - 16), 16), icv, 'SK integrity checksum');
    mac.dispose();
    const k = new AesKey(core, encrKey);
    pt = k.cbcDecrypt(msg.subarray(32, 48), msg.subarray(48, msg.length - 16));
    k.dispose();
  }
  ok(pt, 'SK payload decrypts');
  const padLen = pt[pt.length - 1];
  const inner = pt.subarray(0, pt.length - 1 - padLen);
  const out: Payload[] = [];
  let type = msg[28], o = 0;
  while (type !== 0) {
    ok(o + 4 <= inner.length, 'payload header inside the plaintext');
    const len = (inner[o + 2] << 8) | inner[o + 3];
    out.push({ type, body: inner.subarray(o + 4, o + len) });
    type = inner[o];
    o += len;
  }
  equal(o, inner.length, 'payload chain fills the plaintext');
  return out;
}

export function strongswanSuite(): void {
  describe('strongSwan 5.9.8 key schedules replayed', () => {
    for (const file of FILES) {
      it(`${file}: SKEYSEED, SK_*, PPK, AUTH, IKE_AUTH contents, child KEYMAT, first ESP packets`, async () => {
        const { core, vectors } = await env();
        const v = await vectors<any>(`strongswan/${file}`);
        const gcm = v.encr.startsWith('ENCR_AES_GCM');
        equal(v.prf, 'PRF_HMAC_SHA2_256', 'these schedules use PRF_HMAC_SHA2_256');
        const ni = h(v.nonce_i), nr = h(v.nonce_r);

        const seed = skeyseed(core, 'sha256', ni, nr, h(v.shared_secret));
        bytesEqual(seed, v.skeyseed, 'SKEYSEED');
        const keys = ikeKeys(core, 'sha256', seed, ni, nr, h(v.spi_i), h(v.spi_r), { integ: v.sk_ai.length / 2, encr: v.sk_ei.length / 2 });
        for (const [k, want] of [['skD', v.sk_d], ['skAi', v.sk_ai], ['skAr', v.sk_ar], ['skEi', v.sk_ei], ['skEr', v.sk_er], ['skPi', v.sk_pi], ['skPr', v.sk_pr]]) {
          bytesEqual(keys[k as keyof typeof keys], want, k);
        }
        ok(v.description.ppk, 'schedule uses a PPK');
        const mixed = ppkMix(core, 'sha256', h(v.ppk), keys);
        bytesEqual(mixed.skD, v.sk_d_ppk, "SK_d = prf+(PPK, SK_d')");
        bytesEqual(mixed.skPi, v.sk_pi_ppk, "SK_pi = prf+(PPK, SK_pi')");
        bytesEqual(mixed.skPr, v.sk_pr_ppk, "SK_pr = prf+(PPK, SK_pr')");
        bytesEqual(mixed.skEi, v.sk_ei, 'SK_ei unchanged by the PPK');

        // AUTH (RFC 7296 §2.15): prf(prf(PSK, "Key Pad for IKEv2"), <message> | <peer nonce> | prf(SK_p, IDx'))
        const authOf = (role: string) => {
          const initiator = role === 'initiator';
          const skp = initiator ? mixed.skPi : mixed.skPr;
          const a = v.auth.find((x: any) => x.role === role && x.operation.startsWith('build'));
          const octets = concat(h(initiator ? v.ike_sa_init_request : v.ike_sa_init_response), initiator ? nr : ni, prf(core, 'sha256', skp, h(a.idx)));
          bytesEqual(octets, a.octets, `${role} signed octets`);
          const pad = prf(core, 'sha256', h(v.psk), utf8('Key Pad for IKEv2'));
          bytesEqual(pad, a.prf_psk_keypad, `${role} key pad`);
          const auth = prf(core, 'sha256', pad, octets);
          bytesEqual(auth, a.auth, `${role} AUTH`);
          return { auth, idx: h(a.idx) };
        };
        const authI = authOf('initiator'), authR = authOf('responder');

        // The encrypted IKE_AUTH exchange carries exactly those IDs and AUTH values, and the PPK_ID.
        const req = openSk(core, h(v.wire_extra.ike_auth_request), keys.skEi, keys.skAi, gcm);
        const res = openSk(core, h(v.wire_extra.ike_auth_response), keys.skEr, keys.skAr, gcm);
        const find = (ps: Payload[], t: number) => ps.find((p) => p.type === t)?.body;
        bytesEqual(find(req, IDI), authI.idx, "IDi' in the request");
        bytesEqual(find(req, AUTH), concat(Uint8Array.of(2, 0, 0, 0), authI.auth), 'AUTH in the request (method 2, shared key MIC)');
        bytesEqual(find(res, IDR), authR.idx, "IDr' in the response");
        bytesEqual(find(res, AUTH), concat(Uint8Array.of(2, 0, 0, 0), authR.auth), 'AUTH in the response');
        const ppkNotify = (ps: Payload[]) => ps.filter((p) => p.type === NOTIFY).map((p) => p.body)
          .find((b) => ((b[2] << 8) | b[3]) === PPK_IDENTITY);
        bytesEqual(ppkNotify(req)?.subarray(4), concat(Uint8Array.of(2), h(v.ppk_id)), 'PPK_IDENTITY = PPK_ID_FIXED ‖ id');
        bytesEqual(ppkNotify(res)?.subarray(4), '', "responder's PPK_IDENTITY carries no data");

        // Child SA KEYMAT = prf+(SK_d, Ni | Nr) with the PPK-mixed SK_d (RFC 8784 §3).
        const cs = v.child_sa;
        const child = childKeys(core, 'sha256', mixed.skD, ni, nr, { encr: cs.encr_i.length / 2, integ: cs.integ_i.length / 2 });
        bytesEqual(concat(ni, nr), cs.keymat_seed, 'KEYMAT seed');
        bytesEqual(child.encrI, cs.encr_i, 'encr_i'); bytesEqual(child.integI, cs.integ_i, 'integ_i');
        bytesEqual(child.encrR, cs.encr_r, 'encr_r'); bytesEqual(child.integR, cs.integ_r, 'integ_r');

        // First ESP packet each way (UDP-encapsulated on the wire; here from the SPI on).
        for (const [spi, pkt, encr, integ] of [
          [cs.spi_out, v.wire_extra.esp_first_out.raw, child.encrI, child.integI],
          [cs.spi_in, v.wire_extra.esp_first_in.raw, child.encrR, child.integR],
        ] as const) {
          const sa = new EspSa(core, gcm
            ? { spi: parseInt(spi, 16), cipher: 'aes-gcm-16', encKey: encr }
            : { spi: parseInt(spi, 16), cipher: 'aes-cbc', encKey: encr, integ: 'hmac-sha256-128', integKey: integ });
          const d = sa.decap(h(pkt));
          ok(d.ok, `ESP ${spi}: ${d.ok ? '' : d.reason}`);
          if (d.ok) {
            equal(d.nextHeader, 4, `ESP ${spi} next header (IPv4 in tunnel mode)`);
            equal(d.packet[0], 0x45, `ESP ${spi} inner IPv4 header`);
            const src = hex(d.packet.subarray(12, 16)), dst = hex(d.packet.subarray(16, 20));
            ok(src.startsWith('c00002') && dst.startsWith('c00002'), `ESP ${spi} inner addresses in 192.0.2.0/24 (${src} → ${dst})`);
          }
          sa.dispose();
        }
      });
    }
  });
}
