// Value types of the IOS XR grammar: how a token is checked, where the first bad character is (for
// the `^` marker), how it is stored, and how `?` names it (WORD, A.B.C.D, <120-86400> …).
import { type7Encode, type7Invalid } from './type7.js';

export type Checked<T = unknown> = { ok: true; value: T } | { ok: false; at: number };

export interface ValueType<T = unknown> {
  /** what `?` prints for it */
  placeholder: string;
  check(token: string): Checked<T>;
}

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const bad = (at: number): Checked<never> => ({ ok: false, at });

/**
 * Index of the first character a word can never contain, or -1: anything but printable ASCII, space, and
 * `?` (on a terminal it asks for help, so such a name could never be typed again).
 */
function firstNonPrintable(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f || c === 0x3f) return i;
  }
  return -1;
}

/** A configuration name (proposal, keyring, profile …): printable ASCII, length min–max. */
export function name(min: number, max: number, pattern?: RegExp): ValueType<string> {
  return {
    placeholder: 'WORD',
    check(t) {
      const np = firstNonPrintable(t);
      if (np >= 0) return bad(np);
      if (pattern) for (let i = 0; i < t.length; i++) if (!pattern.test(t[i])) return bad(i);
      if (t.length < min) return bad(0);
      if (t.length > max) return bad(max);
      return ok(t);
    },
  };
}

export function int(lo: number, hi: number): ValueType<number> {
  return {
    placeholder: `<${lo}-${hi}>`,
    check(t) {
      for (let i = 0; i < t.length; i++) if (t[i] < '0' || t[i] > '9') return bad(i);
      if (t.length === 0 || t.length > 10) return bad(0);
      const n = Number(t);
      return n >= lo && n <= hi ? ok(n) : bad(0);
    },
  };
}

function parseIpv4(t: string): Checked<number> {
  let value = 0, part = 0, digits = 0, dots = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (c >= '0' && c <= '9') {
      if (digits === 1 && part === 0) return bad(i); // leading zero
      part = part * 10 + (c.charCodeAt(0) - 48);
      if (part > 255 || ++digits > 3) return bad(i);
    } else if (c === '.') {
      if (digits === 0 || dots === 3) return bad(i);
      value = value * 256 + part; part = 0; digits = 0; dots++;
    } else {
      return bad(i);
    }
  }
  if (dots !== 3 || digits === 0) return bad(t.length);
  return ok((value * 256 + part) >>> 0);
}

export const ipv4: ValueType<string> = {
  placeholder: 'A.B.C.D',
  check(t) { const r = parseIpv4(t); return r.ok ? ok(t) : r; },
};

/** A netmask: dotted quad with contiguous ones. */
/** `A.B.C.D/len`, as `ipv4 address` also accepts it; yields the address and the dotted mask. */
export const ipv4Prefix: ValueType<{ address: string; mask: string }> = {
  placeholder: 'A.B.C.D/length',
  check(t) {
    const slash = t.indexOf('/');
    if (slash < 0) { const a = ipv4.check(t); return a.ok ? bad(t.length) : a; }
    const a = ipv4.check(t.slice(0, slash));
    if (!a.ok) return a;
    const len = t.slice(slash + 1);
    if (!/^\d{1,2}$/.test(len) || Number(len) > 32) return bad(slash + 1);
    const bits = Number(len);
    const m = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return ok({ address: a.value, mask: [24, 16, 8, 0].map((s) => (m >>> s) & 255).join('.') });
  },
};

export const mask: ValueType<string> = {
  placeholder: 'A.B.C.D',
  check(t) {
    const r = parseIpv4(t);
    if (!r.ok) return r;
    const inv = (~r.value) >>> 0;
    return (inv & (inv + 1)) === 0 ? ok(t) : bad(0);
  },
};

export const ipv6: ValueType<string> = {
  placeholder: 'X:X::X',
  check(t) {
    for (let i = 0; i < t.length; i++) if (!/[0-9a-fA-F:]/.test(t[i])) return bad(i);
    const halves = t.split('::');
    if (halves.length > 2) return bad(t.indexOf('::', t.indexOf('::') + 1));
    const groups = halves.map((h) => (h === '' ? [] : h.split(':')));
    const all = groups.flat();
    if (all.some((g) => g.length === 0 || g.length > 4)) return bad(0);
    if (halves.length === 1 ? all.length !== 8 : all.length > 7) return bad(0);
    return ok(t.toLowerCase());
  },
};

/** A DNS name (FQDN or domain), 1–255, case-insensitive (stored as typed). */
export const fqdn: ValueType<string> = {
  placeholder: 'WORD',
  check(t) {
    for (let i = 0; i < t.length; i++) if (!/[A-Za-z0-9.\-_]/.test(t[i])) return bad(i);
    if (t.length === 0) return bad(0);
    if (t.length > 255) return bad(255);
    if (t.startsWith('.')) return bad(0);
    const dd = t.indexOf('..');
    if (dd >= 0) return bad(dd + 1);
    return ok(t);
  },
};

/** A clear-text secret as typed (stored type-7 by the command). */
export function secret(max: number): ValueType<string> {
  return name(1, max);
}

/** A type-7 encoded secret (after the `password` keyword). */
export function type7(maxPlain: number): ValueType<string> {
  return {
    placeholder: 'WORD',
    check(t) {
      const at = type7Invalid(t);
      if (at >= 0) return bad(at);
      if ((t.length - 2) / 2 > maxPlain) return bad(2 + 2 * maxPlain);
      return ok(t.toUpperCase());
    },
  };
}

/**
 * A secret after `password` (or `pre-shared-key local|remote`): type-7 hex, or clear text prefixed with
 * `!` (Cisco's UM YANG: "Encrypted … as hex string or Plaintext … prefixed with !"). Yields the type-7 form.
 */
export function storedSecret(maxPlain: number): ValueType<string> {
  const clear = name(1, maxPlain);
  const enc = type7(maxPlain);
  return {
    placeholder: 'WORD',
    check(t) {
      if (t.startsWith('!')) {
        const r = clear.check(t.slice(1));
        return r.ok ? ok(type7Encode(r.value)) : bad(r.at + 1);
      }
      return enc.check(t);
    },
  };
}

/** A clear-text secret typed without a keyword (`pre-shared-key cisco123`); yields the type-7 form. */
export function clearSecret(maxPlain: number): ValueType<string> {
  const clear = name(1, maxPlain);
  return { placeholder: 'WORD', check(t) { const r = clear.check(t); return r.ok ? ok(type7Encode(r.value)) : r; } };
}

/** RFC 8784 PPK_ID as IOS XR accepts it: base64 characters, 1–127. */
export const ppkId = name(1, 127, /[0-9A-Za-z+/]/);

// ---- interface names --------------------------------------------------------------------------------
const IF_TYPES: [string, RegExp][] = [
  ['MgmtEth', /^\d+\/RP\d+\/CPU\d+\/\d+$/],
  ['GigabitEthernet', /^\d+\/\d+\/\d+\/\d+$/],
  ['TenGigE', /^\d+\/\d+\/\d+\/\d+$/],
  ['TwentyFiveGigE', /^\d+\/\d+\/\d+\/\d+$/],
  ['HundredGigE', /^\d+\/\d+\/\d+\/\d+$/],
  ['Loopback', /^\d{1,10}$/],
  ['tunnel-ip', /^\d{1,5}$/],
];

/** Canonical interface name for what the user typed (case-insensitive type prefix: Gi0/0/0/0, mg0/RP0/CPU0/0). */
export const ifname: ValueType<string> = {
  placeholder: 'IFNAME',
  check(t) {
    const np = firstNonPrintable(t);
    if (np >= 0) return bad(np);
    const m = /^([A-Za-z][A-Za-z-]*?)(\d.*)$/.exec(t);
    if (!m) return bad(t.length);
    const [, type, rest] = m;
    const hits = IF_TYPES.filter(([full]) => full.toLowerCase().startsWith(type.toLowerCase()));
    const chosen = hits.find(([full]) => full.toLowerCase() === type.toLowerCase()) ?? (hits.length === 1 ? hits[0] : undefined);
    if (!chosen) return bad(0);
    const location = rest.replace(/rp/i, 'RP').replace(/cpu/i, 'CPU');
    if (!chosen[1].test(location)) return bad(type.length);
    // numbers without leading zeros, so that tunnel-ip0100 and tunnel-ip100 are one interface
    return ok(chosen[0] + location.replace(/\d+/g, (n) => String(Number(n))));
  },
};

/** Short form used by `show interfaces brief` (Gi0/0/0/0, Mg0/RP0/CPU0/0, ti1). */
export function shortIfname(full: string): string {
  const abbr: Record<string, string> = {
    MgmtEth: 'Mg', GigabitEthernet: 'Gi', TenGigE: 'Te', TwentyFiveGigE: 'TF', HundredGigE: 'Hu', Loopback: 'Lo', 'tunnel-ip': 'ti',
  };
  for (const [t, a] of Object.entries(abbr)) if (full.startsWith(t)) return a + full.slice(t.length);
  return full;
}

export const isTunnelIp = (ifName: string) => ifName.startsWith('tunnel-ip');

/** Router hostname (Cisco-IOS-XR-um-hostname-cfg: [a-zA-Z0-9_.-], 1–253). */
export const hostnameValue = name(1, 253, /[A-Za-z0-9_.-]/);

/** KME server hostname: [a-zA-Z0-9_.-], 1–255 (ios-xr-cli.md §2.8). */
export const kmeHostname = name(1, 255, /[A-Za-z0-9_.-]/);
