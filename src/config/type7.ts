// Cisco "type 7" reversible password encoding, as IOS and IOS XR show `pre-shared-key password …` and
// `ppk … key password …` (../shared/reference/ios-xr-cli.md §7). It is obfuscation, not encryption:
// secrets are shown this way so they are never printed in clear, nothing more.
//
// Format: two decimal digits = seed s, then one hex byte per character: byte[i] = char[i] XOR K[(s+i) % 53].
const K = 'dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87';

export class Type7Error extends Error {}

/** Decode a type-7 string; throws Type7Error (with the offset of the first bad character) when malformed. */
export function type7Decode(enc: string): string {
  const bad = type7Invalid(enc);
  if (bad >= 0) throw new Type7Error(`type 7: malformed at offset ${bad}`);
  const seed = parseInt(enc.slice(0, 2), 10);
  let out = '';
  for (let i = 2, n = 0; i < enc.length; i += 2, n++) {
    out += String.fromCharCode(parseInt(enc.slice(i, i + 2), 16) ^ K.charCodeAt((seed + n) % K.length));
  }
  return out;
}

/** -1 when `enc` is a well-formed type-7 string, else the offset of the first bad character. */
export function type7Invalid(enc: string): number {
  if (!/^[0-9]/.test(enc)) return 0;
  if (!/^[0-9]{2}/.test(enc)) return 1;
  if (parseInt(enc.slice(0, 2), 10) > 52) return 0; // seed must index the key table
  for (let i = 2; i < enc.length; i++) if (!/[0-9A-Fa-f]/.test(enc[i])) return i;
  if (enc.length < 4 || enc.length % 2 !== 0) return enc.length;
  for (let i = 2; i < enc.length; i += 2) {
    const seed = parseInt(enc.slice(0, 2), 10);
    const c = parseInt(enc.slice(i, i + 2), 16) ^ K.charCodeAt((seed + (i - 2) / 2) % K.length);
    if (c < 0x20 || c > 0x7e) return i; // decodes to a non-printable character
  }
  return -1;
}

/**
 * Encode with a seed derived from the text itself (0–15, as IOS uses), so that the same secret always
 * shows the same way — stable configurations and diffs; type 7 hides nothing from a determined reader anyway.
 */
export function type7Encode(plain: string, seed = defaultSeed(plain)): string {
  if (!Number.isInteger(seed) || seed < 0 || seed > 52) throw new RangeError(`type 7: seed ${seed}`);
  let out = String(seed).padStart(2, '0');
  for (let i = 0; i < plain.length; i++) {
    out += (plain.charCodeAt(i) ^ K.charCodeAt((seed + i) % K.length)).toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function defaultSeed(plain: string): number {
  let h = 2166136261;
  for (let i = 0; i < plain.length; i++) h = Math.imul(h ^ plain.charCodeAt(i), 16777619);
  return (h >>> 0) % 16;
}
