// A lab as a document: the exported JSON file and the shareable URL (the same document, base64url in the
// fragment, so it never reaches a server). Configurations are the routers' running-configs: keys in type 7.
// Never certificates or private keys (they stay in this browser's IndexedDB): an imported lab enrols again.
import type { RouterName } from '../../src/lab/protocol.js';

export const LAB_FORMAT = 'webswan-lab';
export const LAB_VERSION = 1;
/** The fragment's prefix: `#lab=<base64url>`. */
export const FRAGMENT_PREFIX = 'lab=';

export interface LabDocument {
  format: typeof LAB_FORMAT;
  version: typeof LAB_VERSION;
  name?: string;
  configs: Record<RouterName, string>;
}

const MAX_CONFIG_CHARS = 256 * 1024;

export function labDocument(name: string | undefined, configs: Record<RouterName, string>): LabDocument {
  return { format: LAB_FORMAT, version: LAB_VERSION, ...(name ? { name } : {}), configs: { A: configs.A, B: configs.B } };
}

/** Parses and checks an exported lab; throws `lab: reason` for anything else. */
export function parseLabDocument(json: string): LabDocument {
  let v: unknown;
  try { v = JSON.parse(json); } catch { throw new Error('lab: not JSON'); }
  if (!v || typeof v !== 'object') throw new Error('lab: not a lab document');
  const o = v as Record<string, unknown>;
  if (o.format !== LAB_FORMAT) throw new Error(`lab: format is not ${LAB_FORMAT}`);
  if (o.version !== LAB_VERSION) throw new Error(`lab: unsupported version ${String(o.version)}`);
  if (o.name !== undefined && typeof o.name !== 'string') throw new Error('lab: name is not a string');
  const c = o.configs as Record<string, unknown> | undefined;
  for (const r of ['A', 'B'] as const) {
    if (!c || typeof c[r] !== 'string') throw new Error(`lab: configuration of router ${r} missing`);
    if ((c[r] as string).length > MAX_CONFIG_CHARS) throw new Error(`lab: configuration of router ${r} too long`);
  }
  return labDocument(o.name as string | undefined, { A: c!.A as string, B: c!.B as string });
}

export function base64url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64url(s: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new Error('lab: fragment is not base64url');
  const b = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = b.charCodeAt(i);
  return out;
}

/** `base` (its fragment replaced) with the lab in the fragment. */
export function labUrl(base: string, doc: LabDocument): string {
  const u = new URL(base);
  u.hash = FRAGMENT_PREFIX + base64url(new TextEncoder().encode(JSON.stringify(doc)));
  return u.toString();
}

/** The lab in a URL's fragment, undefined when it has none; throws `lab: reason` when it is damaged. */
export function labFromUrl(url: string): LabDocument | undefined {
  const hash = new URL(url).hash.replace(/^#/, '');
  if (!hash.startsWith(FRAGMENT_PREFIX)) return undefined;
  return parseLabDocument(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64url(hash.slice(FRAGMENT_PREFIX.length))));
}
