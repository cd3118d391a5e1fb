// An independent type-7 decoder for tests, written from the published algorithm (ios-xr-cli.md §7:
// key table, two-digit seed, XOR) — not src/config/type7.ts — so that a shown secret can be checked.
const KEY = 'dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87';

export function decodeType7(s: string): string | null {
  if (!/^\d{2}([0-9A-Fa-f]{2})+$/.test(s)) return null;
  const seed = Number(s.slice(0, 2));
  let out = '';
  for (let i = 0; 2 + 2 * i < s.length; i++) {
    out += String.fromCharCode(parseInt(s.slice(2 + 2 * i, 4 + 2 * i), 16) ^ KEY.charCodeAt((seed + i) % KEY.length));
  }
  return out;
}

export function encodeType7(plain: string, seed = 8): string {
  let out = String(seed).padStart(2, '0');
  for (let i = 0; i < plain.length; i++) {
    out += (plain.charCodeAt(i) ^ KEY.charCodeAt((seed + i) % KEY.length)).toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}
