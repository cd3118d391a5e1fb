// Captures and key logs (src/capture): the pcap writer's bytes read back field by field with the IPv4
// and UDP checksums recomputed independently, and the Wireshark key tables rendered from the strongSwan
// recipe's keys compared, field by field, with the formats strongswan-peer.md §4 found to work in
// tshark 4.0. Runtime-agnostic; the Node runner adds tshark reading the same bytes.
import { fromHex, hex } from '../../src/crypto/index.js';
import { LINKTYPE_RAW, MAX_UDP_PAYLOAD, PcapWriter, datagramToIpv4, pcapHeader, pcapRecord } from '../../src/capture/pcap.js';
import { KeyLog, WIRESHARK_PREFERENCES, espSaLine, ikev2TableLine } from '../../src/capture/keylog.js';
import type { Datagram, EspSaKeysEvent, IkeSaKeysEvent } from '../../src/router/types.js';
import { env, Prng } from '../support/env.js';
import { bytesEqual, equal, ok, throws } from '../support/assert.js';

/** The recipe vectors' fields this suite uses (test/vectors/strongswan/recipe*.json). */
export interface RecipeKeys {
  spi_i: string; spi_r: string; sk_ei: string; sk_er: string; sk_ai: string; sk_ar: string;
  encr: string; integ: string | null;
  child_sa: { encr_i: string; integ_i: string; encr_r: string; integ_r: string; spi_in: string; spi_out: string;
    outer: { initiator: string; responder: string } };
}

const isGcm = (v: RecipeKeys) => v.encr.startsWith('ENCR_AES_GCM');

/** The IKE SA of a recipe as the engine reports it (names as Wireshark spells them, §4). */
export function recipeIkeEvent(v: RecipeKeys): IkeSaKeysEvent {
  const gcm = isGcm(v);
  return {
    kind: 'ike-keys', spiI: fromHex(v.spi_i), spiR: fromHex(v.spi_r),
    wiresharkEncr: gcm ? 'AES-GCM-256 with 16 octet ICV [RFC5282]' : 'AES-CBC-256 [RFC3602]',
    wiresharkInteg: gcm ? 'NONE [RFC4306]' : 'HMAC_SHA2_256_128 [RFC4868]',
    skEi: fromHex(v.sk_ei), skEr: fromHex(v.sk_er), skAi: fromHex(v.sk_ai), skAr: fromHex(v.sk_ar),
  };
}

/** Both directions of the recipe's CHILD_SA: out = initiator → responder with the initiator keys (§4). */
export function recipeEspEvents(v: RecipeKeys): EspSaKeysEvent[] {
  const c = v.child_sa, gcm = isGcm(v);
  const algs = gcm
    ? { wiresharkEncr: 'AES-GCM with 16 octet ICV [RFC4106]', wiresharkAuth: 'NULL' }
    : { wiresharkEncr: 'AES-CBC [RFC3602]', wiresharkAuth: 'HMAC-SHA-256-128 [RFC4868]' };
  return [
    { kind: 'esp-keys', src: c.outer.initiator, dst: c.outer.responder, spi: parseInt(c.spi_out, 16), ...algs,
      encKey: fromHex(c.encr_i), authKey: fromHex(c.integ_i) },
    { kind: 'esp-keys', src: c.outer.responder, dst: c.outer.initiator, spi: parseInt(c.spi_in, 16), ...algs,
      encKey: fromHex(c.encr_r), authKey: fromHex(c.integ_r) },
  ];
}

/** Wireshark UAT fields: split at commas outside quotes (the values here never contain commas). */
function fields(line: string): string[] { return line.split(','); }

/** A line of strongswan-peer.md §4, where `…` stands for the middle of a key. */
function matchesDocExample(line: string, example: string): boolean {
  const re = new RegExp('^' + example.split('…').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[0-9a-f]+') + '$');
  return re.test(line);
}

/** RFC 1071 sum of big-endian 16-bit words, folded. */
function sum16(...parts: Uint8Array[]): number {
  let s = 0;
  for (const p of parts) {
    for (let i = 0; i < p.length; i += 2) s += (p[i] << 8) | (i + 1 < p.length ? p[i + 1] : 0);
  }
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

/** Parse an IPv4/UDP packet back and check both checksums verify (sum over the covered bytes is 0xffff). */
function checkPacket(pkt: Uint8Array, d: Datagram): void {
  const v = new DataView(pkt.buffer, pkt.byteOffset, pkt.byteLength);
  equal(pkt[0], 0x45, 'version 4, IHL 5');
  equal(v.getUint16(2), pkt.length, 'IPv4 total length');
  equal(pkt[9], 17, 'protocol UDP');
  equal([...pkt.subarray(12, 16)].join('.'), d.src, 'source address');
  equal([...pkt.subarray(16, 20)].join('.'), d.dst, 'destination address');
  equal(sum16(pkt.subarray(0, 20)), 0xffff, 'IPv4 header checksum verifies');
  equal(v.getUint16(20), d.sport, 'UDP source port');
  equal(v.getUint16(22), d.dport, 'UDP destination port');
  equal(v.getUint16(24), d.data.length + 8, 'UDP length');
  ok(v.getUint16(26) !== 0, 'a UDP checksum is present');
  const pseudo = new Uint8Array([...pkt.subarray(12, 20), 0, 17, (d.data.length + 8) >> 8, (d.data.length + 8) & 0xff]);
  equal(sum16(pseudo, pkt.subarray(20)), 0xffff, 'UDP checksum verifies (with the pseudo-header)');
  bytesEqual(pkt.subarray(28), d.data, 'payload');
}

export function captureSuite(): void {
  describe('pcap writer (LINKTYPE_RAW, IPv4/UDP)', () => {
    it('the global header: magic a1b2c3d4 (microseconds), version 2.4, snaplen 65535, link type 101', () => {
      bytesEqual(pcapHeader(), 'd4c3b2a1' + '0200' + '0400' + '00000000' + '00000000' + 'ffff0000' + '65000000', 'header');
      equal(LINKTYPE_RAW, 101, 'LINKTYPE_RAW');
    });

    it('a record: seconds and microseconds since the epoch, captured and original length, the packet', () => {
      const r = pcapRecord(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)), new Uint8Array([1, 2, 3]));
      const v = new DataView(r.buffer);
      equal(v.getUint32(0, true), Date.UTC(2026, 0, 2, 3, 4, 5) / 1000, 'ts_sec');
      equal(v.getUint32(4, true), 678000, 'ts_usec');
      equal(v.getUint32(8, true), 3, 'incl_len');
      equal(v.getUint32(12, true), 3, 'orig_len');
      bytesEqual(r.subarray(16), '010203', 'packet');
    });

    it('IPv4 + UDP headers around 200 random payloads (even, odd, empty, maximal) with checksums that verify', () => {
      const r = new Prng(4500);
      const lens = [0, 1, 2, 3, 27, 28, 1400, 1401, MAX_UDP_PAYLOAD];
      for (let i = 0; i < 200; i++) {
        const len = i < lens.length ? lens[i] : r.int(1500);
        const d: Datagram = {
          src: `${1 + r.int(223)}.${r.int(256)}.${r.int(256)}.${r.int(256)}`, sport: r.int(65536),
          dst: `${1 + r.int(223)}.${r.int(256)}.${r.int(256)}.${r.int(256)}`, dport: [500, 4500][r.int(2)],
          data: r.bytes(len),
        };
        checkPacket(datagramToIpv4(d, { id: i }), d);
      }
    });

    it('a UDP checksum that computes to zero is sent as ffff (zero means "none" in IPv4, RFC 768)', () => {
      const d: Datagram = { src: '10.77.0.1', sport: 4500, dst: '10.77.0.2', dport: 4500, data: fromHex('00000000deadbeef0000') };
      const first = datagramToIpv4(d);
      // make the last word of the payload equal to the checksum computed with it zero: the sum becomes ffff
      d.data.set(first.subarray(26, 28), 8);
      const pkt = datagramToIpv4(d);
      equal(new DataView(pkt.buffer).getUint16(26), 0xffff, 'checksum field');
      checkPacket(pkt, d);
    });

    it('identification, DF and TTL; a writer counts the identification up', () => {
      const d: Datagram = { src: '192.0.2.1', sport: 500, dst: '192.0.2.2', dport: 500, data: new Uint8Array(4) };
      const p = datagramToIpv4(d, { id: 0x1234, ttl: 3 });
      equal(hex(p.subarray(4, 9)), '1234400003', 'id, DF, TTL');
      const w = new PcapWriter();
      const at = new Date(0);
      const a = w.record({ direction: 'out', at, datagram: d }), b = w.record({ direction: 'in', at, datagram: d });
      equal(hex(a.subarray(16 + 4, 16 + 6)), '0001', 'first id');
      equal(hex(b.subarray(16 + 4, 16 + 6)), '0002', 'second id');
    });

    it('refuses what cannot be an IPv4/UDP packet', () => {
      const d = (o: Partial<Datagram>): Datagram => ({ src: '10.0.0.1', sport: 500, dst: '10.0.0.2', dport: 500, data: new Uint8Array(1), ...o });
      throws(() => datagramToIpv4(d({ src: '10.0.0' })), 'three octets');
      throws(() => datagramToIpv4(d({ dst: '10.0.0.256' })), 'octet > 255');
      throws(() => datagramToIpv4(d({ src: '::1' })), 'IPv6');
      throws(() => datagramToIpv4(d({ sport: 70000 })), 'port');
      throws(() => datagramToIpv4(d({ data: new Uint8Array(MAX_UDP_PAYLOAD + 1) })), 'too long');
      throws(() => pcapRecord(new Date(NaN), new Uint8Array(1)), 'invalid date');
    });
  });

  describe('Wireshark key tables (strongswan-peer.md §4)', () => {
    for (const name of ['recipe', 'recipe-gcm']) {
      it(`${name}: ikev2_decryption_table ispi,rspi,SK_ei,SK_er,"encr",SK_ai,SK_ar,"integ" — plain hex, names quoted`, async () => {
        const v = await (await env()).vectors<RecipeKeys>(`strongswan/${name}.json`);
        const log = new KeyLog();
        ok(log.add(recipeIkeEvent(v)), 'added');
        const text = log.ikev2DecryptionTable();
        ok(text.endsWith('\n') && text.split('\n').length === 2, 'one line, newline-terminated');
        const f = fields(text.trimEnd());
        equal(f.length, 8, 'eight fields');
        equal(f[0], v.spi_i, 'initiator SPI, 16 hex digits, no 0x');
        equal(f[1], v.spi_r, 'responder SPI');
        equal(f[2], v.sk_ei, 'SK_ei');
        equal(f[3], v.sk_er, 'SK_er');
        equal(f[5], v.sk_ai, 'SK_ai');
        equal(f[6], v.sk_ar, 'SK_ar');
        if (isGcm(v)) {
          equal(f[2].length, 72, 'GCM SK_ei includes the 4-byte salt (36 bytes)');
          equal(f[4], '"AES-GCM-256 with 16 octet ICV [RFC5282]"', 'encr');
          equal(f[5] + f[6], '', 'SK_ai and SK_ar empty');
          equal(f[7], '"NONE [RFC4306]"', 'integ');
          // the line §4 shows is this very SA
          ok(matchesDocExample(text.trimEnd(), 'f59c3cbc04730070,f7220f8052a06b76,26f21b0f…ccc987adeee7,b230514b…3af705bc3f24,"AES-GCM-256 with 16 octet ICV [RFC5282]",,,"NONE [RFC4306]"'), text);
        } else {
          equal(f[4], '"AES-CBC-256 [RFC3602]"', 'encr');
          equal(f[7], '"HMAC_SHA2_256_128 [RFC4868]"', 'integ');
          ok(matchesDocExample(text.trimEnd(), `${v.spi_i},${v.spi_r},…,…,"AES-CBC-256 [RFC3602]",…,…,"HMAC_SHA2_256_128 [RFC4868]"`), text);
        }
      });

      it(`${name}: esp_sa "IPv4","src","dst","0xSPI","encr","0xkey","auth","0xkey" — every field quoted, per direction`, async () => {
        const v = await (await env()).vectors<RecipeKeys>(`strongswan/${name}.json`);
        const log = new KeyLog();
        for (const e of recipeEspEvents(v)) ok(log.add(e), 'added');
        const lines = log.espSa().split('\n');
        equal(lines.length, 3, 'two lines, newline-terminated');
        const c = v.child_sa;
        const want = [
          [c.outer.initiator, c.outer.responder, c.spi_out, c.encr_i, c.integ_i],
          [c.outer.responder, c.outer.initiator, c.spi_in, c.encr_r, c.integ_r],
        ];
        for (let i = 0; i < 2; i++) {
          const f = fields(lines[i]);
          const [src, dst, spi, ek, ak] = want[i];
          equal(f.length, 8, 'eight fields');
          equal(f[0], '"IPv4"', 'protocol');
          equal(f[1], `"${src}"`, 'outer source');
          equal(f[2], `"${dst}"`, 'outer destination');
          equal(f[3], `"0x${spi}"`, 'SPI, 8 hex digits with 0x');
          equal(f[5], `"0x${ek}"`, 'encryption key with 0x');
          equal(f[7], `"0x${ak}"`, 'authentication key with 0x');
          if (isGcm(v)) {
            equal(f[4], '"AES-GCM with 16 octet ICV [RFC4106]"', 'encr');
            equal(ek.length, 72, 'GCM key includes the salt');
            equal(f[6], '"NULL"', 'auth');
            equal(f[7], '"0x"', 'no auth key');
          } else {
            equal(f[4], '"AES-CBC [RFC3602]"', 'encr');
            equal(f[6], '"HMAC-SHA-256-128 [RFC4868]"', 'auth');
          }
        }
        if (isGcm(v)) {
          ok(matchesDocExample(lines[0], '"IPv4","10.77.0.1","10.77.0.2","0x015e9364","AES-GCM with 16 octet ICV [RFC4106]","0xa740438d…725582f5","NULL","0x"'), lines[0]);
        } else {
          ok(matchesDocExample(lines[0], `"IPv4","10.77.0.1","10.77.0.2","0x${c.spi_out}","AES-CBC [RFC3602]","0x…","HMAC-SHA-256-128 [RFC4868]","0x…"`), lines[0]);
        }
      });
    }

    it('rekeyed SAs are all kept, in order; the same SA reported twice is written once', async () => {
      const e = await env();
      const a = await e.vectors<RecipeKeys>('strongswan/recipe.json');
      const b = await e.vectors<RecipeKeys>('strongswan/recipe-gcm.json');
      const log = new KeyLog();
      ok(log.add(recipeIkeEvent(a)), 'first IKE SA');
      for (const x of recipeEspEvents(a)) log.add(x);
      ok(log.add(recipeIkeEvent(b)), 'the rekeyed IKE SA');
      for (const x of recipeEspEvents(b)) log.add(x);
      ok(!log.add(recipeIkeEvent(a)), 'the first IKE SA again: nothing new');
      ok(!log.add(recipeEspEvents(b)[1]), 'an ESP SA again: nothing new');
      equal(log.size.ike, 2, 'IKE SAs');
      equal(log.size.esp, 4, 'ESP SAs');
      equal(log.ikev2DecryptionTable(), ikev2TableLine(recipeIkeEvent(a)) + '\n' + ikev2TableLine(recipeIkeEvent(b)) + '\n', 'IKE table');
      equal(log.espSa().split('\n')[2], espSaLine(recipeEspEvents(b)[0]), 'third ESP line: the new outbound SA');
      const files = log.files();
      equal(Object.keys(files).sort().join(' '), 'esp_sa ikev2_decryption_table preferences', 'file names');
      log.clear();
      equal(log.ikev2DecryptionTable() + log.espSa(), '', 'cleared');
    });

    it('preferences turn on ESP decryption and ICV checking', () => {
      equal(new KeyLog().preferences(), WIRESHARK_PREFERENCES, 'same text');
      equal(WIRESHARK_PREFERENCES, 'esp.enable_encryption_decode: TRUE\nesp.enable_authentication_check: TRUE\n', 'text');
    });

    it('small SPIs keep 8 hex digits; quotes and backslashes in names are escaped as UAT does', () => {
      const line = espSaLine({ kind: 'esp-keys', src: '10.0.0.1', dst: '10.0.0.2', spi: 0xab, wiresharkEncr: 'A"B\\C',
        wiresharkAuth: 'NULL', encKey: fromHex('00ff'), authKey: new Uint8Array(0) });
      equal(line, '"IPv4","10.0.0.1","10.0.0.2","0x000000ab","A\\x22B\\x5cC","0x00ff","NULL","0x"', 'line');
      throws(() => ikev2TableLine({ ...recipeIkeEvent({ spi_i: '00', spi_r: '00', sk_ei: '', sk_er: '', sk_ai: '', sk_ar: '', encr: 'x', integ: null } as unknown as RecipeKeys) }), 'short IKE SPI');
    });
  });
}
