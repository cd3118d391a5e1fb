// Shared by the IKEv2 codec suites: the strongSwan 5.9.8 captures (test/vectors/strongswan) as codec
// fixtures with their SK keys, a structural deep equality for decoded payloads, and fast-check
// arbitraries for every payload kind.
import fc from 'fast-check';
import { fromHex as h, hex, type Bytes, type Core } from '../../src/crypto/index.js';
import { SkCipher, type SkSuite } from '../../src/ike/codec/sk.js';
import type {
  Payload, Proposal, TrafficSelector, Transform, TransformAttribute,
} from '../../src/ike/codec/types.js';
import { AssertionError } from '../support/assert.js';

export const FILES = ['recipe.json', 'recipe-gcm.json', 'cap-tp.json', 'cap-noencap.json'];

/** The fields of a strongSwan vector file (test/vectors/strongswan/*.json) the codec suites read. */
export interface StrongswanVector {
  encr: string; encr_id: number; encr_key_bits: number; prf_id: number; integ_id: number | null; dh_group_id: number;
  spi_i: string; spi_r: string; ke_i: string; ke_r: string; nonce_i: string; nonce_r: string; ppk_id: string;
  sk_ei: string; sk_er: string; sk_ai: string; sk_ar: string;
  auth: { role: string; operation: string; auth: string }[];
  description: { log_messages: { initiator: string[]; responder: string[] } };
  child_sa: { spi_in: string; spi_out: string };
  ike_sa_init_request: string; ike_sa_init_response: string;
  wire_extra: { ike_auth_request: string; ike_auth_response: string };
}

/** A strongSwan capture: the four IKE messages, what strongSwan logged about them, and the SK suite. */
export interface Fixture {
  file: string;
  v: StrongswanVector;
  gcm: boolean;
  initReq: Bytes; initRes: Bytes; authReq: Bytes; authRes: Bytes;
  suite: SkSuite;
}

export async function fixture(vectors: (p: string) => Promise<unknown>, file: string): Promise<Fixture> {
  const v = await vectors(`strongswan/${file}`) as StrongswanVector;
  const gcm = v.encr.startsWith('ENCR_AES_GCM');
  return {
    file, v, gcm,
    initReq: h(v.ike_sa_init_request), initRes: h(v.ike_sa_init_response),
    authReq: h(v.wire_extra.ike_auth_request), authRes: h(v.wire_extra.ike_auth_response),
    suite: gcm ? { cipher: 'aes-gcm-16', icvLen: 16 } : { cipher: 'aes-cbc', integ: 'sha256', icvLen: 16 },
  };
}

/** SK_e/SK_a of the initiator (protecting requests) or of the responder (responses). */
export function skKeys(f: Fixture, dir: 'i' | 'r'): { encr: Bytes; integ: Bytes } {
  return dir === 'i' ? { encr: h(f.v.sk_ei), integ: h(f.v.sk_ai) } : { encr: h(f.v.sk_er), integ: h(f.v.sk_ar) };
}

/** The SK cipher protecting the initiator's (request) or the responder's (response) messages. */
export function cipher(core: Core, f: Fixture, dir: 'i' | 'r'): SkCipher {
  return new SkCipher(core, f.suite, skKeys(f, dir));
}

/** Structural equality; a key holding undefined equals a missing key. */
export function deepEqual(got: unknown, want: unknown, path = 'value'): void {
  if (got instanceof Uint8Array || want instanceof Uint8Array) {
    if (!(got instanceof Uint8Array && want instanceof Uint8Array) || hex(got) !== hex(want)) {
      throw new AssertionError(`${path}: got ${show(got)}, want ${show(want)}`);
    }
    return;
  }
  if (Array.isArray(got) || Array.isArray(want)) {
    if (!Array.isArray(got) || !Array.isArray(want) || got.length !== want.length) {
      throw new AssertionError(`${path}: got ${show(got)}, want ${show(want)}`);
    }
    got.forEach((g, i) => deepEqual(g, want[i], `${path}[${i}]`));
    return;
  }
  if (got !== null && want !== null && typeof got === 'object' && typeof want === 'object') {
    const g = got as Record<string, unknown>, w = want as Record<string, unknown>;
    const keys = new Set([...Object.keys(g), ...Object.keys(w)]);
    for (const k of keys) deepEqual(g[k], w[k], `${path}.${k}`);
    return;
  }
  if (got !== want) throw new AssertionError(`${path}: got ${show(got)}, want ${show(want)}`);
}

function show(x: unknown): string {
  if (x instanceof Uint8Array) return `<${hex(x).slice(0, 80)}>`;
  try { return JSON.stringify(x)?.slice(0, 200) ?? String(x); } catch { return String(x); }
}

/** Run a decoder on hostile input: it must return, never throw. */
export function noThrow<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new AssertionError(`${what} threw: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  }
}

// --- fast-check arbitraries, one per payload kind (canonical forms: what decode gives back) ---

const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });
const exact = (n: number) => bytes(n, n);
const u8 = fc.integer({ min: 0, max: 255 });
const u16 = fc.integer({ min: 0, max: 0xffff });
const critical = { critical: fc.constant(true as const) };

// A TV Key Length would come back as keyLength, so TV attributes here avoid type 14.
const attribute: fc.Arbitrary<TransformAttribute> = fc.oneof(
  fc.record({ type: fc.integer({ min: 0, max: 0x7fff }).filter((t) => t !== 14), value: u16 }),
  fc.record({ type: fc.integer({ min: 0, max: 0x7fff }), value: bytes(0, 24) }),
);
const transform: fc.Arbitrary<Transform> = fc.record(
  { type: u8, id: u16, keyLength: u16, attributes: fc.array(attribute, { minLength: 1, maxLength: 3 }) },
  { requiredKeys: ['type', 'id'] },
);
const proposal: fc.Arbitrary<Proposal> = fc.integer({ min: 1, max: 255 }).chain((protocol) => fc.record({
  number: u8,
  protocol: fc.constant(protocol),
  spi: protocol === 1 ? fc.constantFrom(0, 8).chain(exact) : protocol === 2 || protocol === 3 ? exact(4) : bytes(0, 16),
  transforms: fc.array(transform, { minLength: 1, maxLength: 6 }),
}));
const selector: fc.Arbitrary<TrafficSelector> = fc.constantFrom(7, 8).chain((tsType) => fc.record({
  tsType: fc.constant(tsType), ipProtocol: u8, startPort: u16, endPort: u16,
  startAddr: exact(tsType === 7 ? 4 : 16), endAddr: exact(tsType === 7 ? 4 : 16),
}));
const del = fc.oneof(
  fc.constant({ protocol: 1, spiSize: 0, spis: [] as Bytes[] }),
  fc.record({ protocol: fc.constantFrom(2, 3), spiSize: fc.constant(4), spis: fc.array(exact(4), { maxLength: 20 }) }),
  fc.integer({ min: 4, max: 255 }).chain((protocol) => fc.integer({ min: 0, max: 16 }).chain((spiSize) => fc.record({
    protocol: fc.constant(protocol), spiSize: fc.constant(spiSize),
    spis: spiSize === 0 ? fc.constant([] as Bytes[]) : fc.array(exact(spiSize), { maxLength: 8 }),
  }))),
);
const fragment = fc.integer({ min: 1, max: 0xffff }).chain((total) => fc.record({
  total: fc.constant(total), fragment: fc.integer({ min: 1, max: total }),
}));
const rawType = fc.oneof(fc.constantFrom(47, 48), fc.integer({ min: 1, max: 32 }), fc.integer({ min: 49, max: 52 }), fc.integer({ min: 54, max: 255 }));

/** Every payload kind except SK/SKF, which only end a chain. */
export const KINDS: Record<string, fc.Arbitrary<Payload>> = {
  SA: fc.record({ type: fc.constant(33 as const), proposals: fc.array(proposal, { minLength: 1, maxLength: 4 }), ...critical }, { requiredKeys: ['type', 'proposals'] }),
  KE: fc.record({ type: fc.constant(34 as const), group: u16, data: bytes(0, 300), ...critical }, { requiredKeys: ['type', 'group', 'data'] }),
  ID: fc.record({ type: fc.constantFrom(35 as const, 36 as const), idType: u8, data: bytes(0, 80), ...critical }, { requiredKeys: ['type', 'idType', 'data'] }),
  CERT: fc.record({ type: fc.constant(37 as const), encoding: u8, data: bytes(0, 300), ...critical }, { requiredKeys: ['type', 'encoding', 'data'] }),
  CERTREQ: fc.record({ type: fc.constant(38 as const), encoding: u8, data: bytes(0, 100), ...critical }, { requiredKeys: ['type', 'encoding', 'data'] }),
  AUTH: fc.record({ type: fc.constant(39 as const), method: u8, data: bytes(0, 100), ...critical }, { requiredKeys: ['type', 'method', 'data'] }),
  NONCE: fc.record({ type: fc.constant(40 as const), data: bytes(16, 256), ...critical }, { requiredKeys: ['type', 'data'] }),
  NOTIFY: fc.record({
    type: fc.constant(41 as const), protocol: u8, spi: fc.constantFrom(0, 4, 8).chain(exact), notify: u16, data: bytes(0, 80), ...critical,
  }, { requiredKeys: ['type', 'protocol', 'spi', 'notify', 'data'] }),
  DELETE: del.map((d) => ({ type: 42 as const, ...d })),
  VENDOR: fc.record({ type: fc.constant(43 as const), data: bytes(0, 64), ...critical }, { requiredKeys: ['type', 'data'] }),
  TS: fc.record({ type: fc.constantFrom(44 as const, 45 as const), selectors: fc.array(selector, { minLength: 1, maxLength: 5 }), ...critical }, { requiredKeys: ['type', 'selectors'] }),
  RAW: fc.record({ type: rawType, raw: fc.constant(true as const), data: bytes(0, 64) }),
};
export const SK_ARB: fc.Arbitrary<Payload> = fc.record({ type: fc.constant(46 as const), inner: u8, body: bytes(0, 100) });
export const SKF_ARB: fc.Arbitrary<Payload> = fc.tuple(fragment, u8, bytes(0, 100)).map(([f, inner, body]) => ({ type: 53 as const, inner, body, ...f }));
export const ANY_PAYLOAD = fc.oneof(...Object.values(KINDS));
/** A valid chain: any payloads, optionally ending in SK or SKF. */
export const CHAIN = fc.tuple(fc.array(ANY_PAYLOAD, { maxLength: 8 }), fc.option(fc.oneof(SK_ARB, SKF_ARB), { nil: undefined }))
  .map(([ps, last]) => (last ? [...ps, last] : ps));
