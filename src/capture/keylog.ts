// Wireshark's decryption tables, built from the router's key events (strongswan-peer.md §4; formats
// checked against tshark 4.0): the UAT files `ikev2_decryption_table` and `esp_sa` and a `preferences`
// file that turns ESP decryption and ICV checking on. Put the three files in a directory and run
// `WIRESHARK_CONFIG_DIR=DIR tshark -r capture.pcap`, or pass each line with `-o 'uat:esp_sa:<line>'`.
//   ikev2_decryption_table: ispi,rspi,SK_ei,SK_er,"encr",SK_ai,SK_ar,"integ"   (plain hex, names quoted;
//                           AEAD keys include the 4-byte salt, SK_a* empty, integ "NONE [RFC4306]")
//   esp_sa:                 "IPv4","src","dst","0xSPI","encr","0xkey","auth","0xkey"   (all quoted;
//                           AEAD: "NULL","0x")
// Every SA is kept, rekeyed ones too (a capture spans them all); an event repeated with the same values
// adds nothing. Runtime-agnostic: Node writes the files, the browser lab offers them for download.
import { type Bytes, hex } from '../crypto/bytes.js';
import type { EspSaKeysEvent, IkeSaKeysEvent, KeyEvent } from '../router/types.js';

export const IKEV2_TABLE_FILE = 'ikev2_decryption_table';
export const ESP_SA_FILE = 'esp_sa';
export const PREFERENCES_FILE = 'preferences';

/** A UAT string field: quoted; `"`, `\` and anything outside printable ASCII as \xNN (Wireshark's uat_esc). */
function quoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || c > 0x7e || ch === '"' || ch === '\\') {
      for (const b of new TextEncoder().encode(ch)) out += `\\x${b.toString(16).padStart(2, '0')}`;
    } else out += ch;
  }
  return out + '"';
}

function spiHex(spi: Bytes, what: string): string {
  if (spi.length !== 8) throw new RangeError(`keylog: ${what} must be 8 bytes, got ${spi.length}`);
  return hex(spi);
}

/** One line of `ikev2_decryption_table`. */
export function ikev2TableLine(e: IkeSaKeysEvent): string {
  return [
    spiHex(e.spiI, 'IKE initiator SPI'), spiHex(e.spiR, 'IKE responder SPI'),
    hex(e.skEi), hex(e.skEr), quoted(e.wiresharkEncr),
    hex(e.skAi), hex(e.skAr), quoted(e.wiresharkInteg),
  ].join(',');
}

/** One line of `esp_sa` (one direction of a CHILD_SA). */
export function espSaLine(e: EspSaKeysEvent): string {
  if (!Number.isInteger(e.spi) || e.spi < 0 || e.spi > 0xffffffff) throw new RangeError(`keylog: ESP SPI out of range: ${e.spi}`);
  return [
    'IPv4', e.src, e.dst, `0x${e.spi.toString(16).padStart(8, '0')}`,
    e.wiresharkEncr, `0x${hex(e.encKey)}`, e.wiresharkAuth, `0x${hex(e.authKey)}`,
  ].map(quoted).join(',');
}

/** `preferences`: decrypt ESP with the esp_sa table and check its ICVs. */
export const WIRESHARK_PREFERENCES =
  'esp.enable_encryption_decode: TRUE\n' +
  'esp.enable_authentication_check: TRUE\n';

/** The key tables of one router (or several: a lab can feed every router's events into one log). */
export class KeyLog {
  private readonly ike = new Set<string>();
  private readonly esp = new Set<string>();

  /** Adds the SA's line; false when the same line is already there (nothing to rewrite). */
  add(e: KeyEvent): boolean {
    const [set, line] = e.kind === 'ike-keys' ? [this.ike, ikev2TableLine(e)] : [this.esp, espSaLine(e)];
    if (set.has(line)) return false;
    set.add(line);
    return true;
  }

  get size(): { ike: number; esp: number } { return { ike: this.ike.size, esp: this.esp.size }; }

  /** Contents of `ikev2_decryption_table`: one line per IKE SA, in the order they were installed. */
  ikev2DecryptionTable(): string { return lines(this.ike); }

  /** Contents of `esp_sa`: one line per ESP SA (per direction). */
  espSa(): string { return lines(this.esp); }

  preferences(): string { return WIRESHARK_PREFERENCES; }

  /** The three files of a Wireshark configuration directory, by file name. */
  files(): Record<string, string> {
    return {
      [IKEV2_TABLE_FILE]: this.ikev2DecryptionTable(),
      [ESP_SA_FILE]: this.espSa(),
      [PREFERENCES_FILE]: this.preferences(),
    };
  }

  /** Forget every key (the strings themselves are left to the garbage collector; JS cannot wipe them). */
  clear(): void { this.ike.clear(); this.esp.clear(); }
}

function lines(set: Set<string>): string {
  let s = '';
  for (const l of set) s += l + '\n';
  return s;
}
