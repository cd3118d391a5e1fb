// SA proposals (RFC 7296 §2.7, §3.3): IOS XR `ikev2 proposal` and `ipsec transform-set` configuration as
// wire proposals, the responder's choice among offered proposals, the initiator's check of that choice,
// and the negotiated suite under every name it is shown by (strongSwan-style trace, IOS XR show
// commands, Wireshark key tables). Pure functions: no I/O, no state.
//
// Selection follows RFC 7296 §3.3.6:
//   - the first offered proposal that is acceptable wins (the initiator's order of preference), and in it,
//     for each transform type, the first offered transform that one of our proposals also holds;
//   - a proposal holding a transform type we do not know, or missing a mandatory type (§3.3.3), is
//     unacceptable; the other proposals are processed as usual;
//   - a transform we do not know (ID, key length) or that carries an attribute we do not know is
//     unacceptable; other transforms of the same type are processed as usual;
//   - the chosen combination must be one that a single one of our proposals allows.
import type { SkSuite } from './codec/sk.js';
import { DhId, EncrId, EsnId, IntegId, PrfId, ProtocolId, TransformType, transformName } from './codec/constants.js';
import type { Proposal, Transform } from './codec/types.js';
import type { Bytes } from '../crypto/bytes.js';
import type { HashAlg } from '../crypto/hash.js';
import { type EspInteg, INTEG_KEY_LEN } from '../crypto/esp.js';
import type { ChildKeyLengths, IkeKeyLengths } from '../crypto/kdf.js';
import type { DhGroupId, EspAuth, EspEncryption, IkeEncryption, IkeHash, Ikev2Proposal, TransformSet } from '../config/model.js';

export type Cipher = 'aes-cbc' | 'aes-gcm-16';
export type KeyBits = 128 | 192 | 256;
export type DhGroup = DhGroupId;
/** An ESP HMAC (the ESP SA's `none` is spelled by leaving `integ` out). */
export type EspHmac = Exclude<EspInteg, 'none'>;

/** A negotiated IKE SA suite. `integ` is the HMAC of the INTEG transform, absent for AES-GCM. */
export interface IkeSuite { encr: Cipher; encrKeyBits: KeyBits; integ?: HashAlg; prf: HashAlg; dh: DhGroup }

/** A negotiated Child SA (ESP) suite; ESN is always NO_ESN. `pfs` is the DH group of a CREATE_CHILD_SA. */
export interface EspSuite { encr: Cipher; encrKeyBits: KeyBits; integ?: EspHmac; pfs?: DhGroup }

// ---- configuration keywords → IANA numbers ----------------------------------------------------------------

const IKE_ENCR: Record<IkeEncryption, { encr: Cipher; bits: KeyBits }> = {
  'aes-cbc-128': { encr: 'aes-cbc', bits: 128 }, 'aes-cbc-192': { encr: 'aes-cbc', bits: 192 },
  'aes-cbc-256': { encr: 'aes-cbc', bits: 256 },
  'aes-gcm-128': { encr: 'aes-gcm-16', bits: 128 }, 'aes-gcm-256': { encr: 'aes-gcm-16', bits: 256 },
};
const IKE_HASH: Record<IkeHash, HashAlg> = { 'sha-1': 'sha1', 'sha-256': 'sha256', 'sha-384': 'sha384', 'sha-512': 'sha512' };
const ESP_ENCR: Record<EspEncryption, { encr: Cipher; bits: KeyBits }> = {
  'esp-aes': { encr: 'aes-cbc', bits: 128 }, 'esp-192-aes': { encr: 'aes-cbc', bits: 192 },
  'esp-256-aes': { encr: 'aes-cbc', bits: 256 },
  'esp-gcm-128': { encr: 'aes-gcm-16', bits: 128 }, 'esp-gcm-256': { encr: 'aes-gcm-16', bits: 256 },
};
const ESP_AUTH: Record<EspAuth, EspHmac> = {
  'esp-hmac-sha1': 'hmac-sha1-96', 'esp-hmac-sha-256': 'hmac-sha256-128',
  'esp-hmac-sha-384': 'hmac-sha384-192', 'esp-hmac-sha-512': 'hmac-sha512-256',
};

const ENCR_ID: Record<Cipher, number> = { 'aes-cbc': EncrId.AES_CBC, 'aes-gcm-16': EncrId.AES_GCM_16 };
/** IKE INTEG: the HMAC truncated to half its output (RFC 2404, RFC 4868). */
const IKE_INTEG_ID: Record<HashAlg, number> = {
  sha1: IntegId.HMAC_SHA1_96, sha256: IntegId.HMAC_SHA2_256_128, sha384: IntegId.HMAC_SHA2_384_192, sha512: IntegId.HMAC_SHA2_512_256,
};
const PRF_ID: Record<HashAlg, number> = {
  sha1: PrfId.HMAC_SHA1, sha256: PrfId.HMAC_SHA2_256, sha384: PrfId.HMAC_SHA2_384, sha512: PrfId.HMAC_SHA2_512,
};
const ESP_INTEG_ID: Record<EspHmac, number> = {
  'hmac-sha1-96': IntegId.HMAC_SHA1_96, 'hmac-sha256-128': IntegId.HMAC_SHA2_256_128,
  'hmac-sha384-192': IntegId.HMAC_SHA2_384_192, 'hmac-sha512-256': IntegId.HMAC_SHA2_512_256,
};
const HMAC_OF_ESP: Record<EspHmac, HashAlg> = {
  'hmac-sha1-96': 'sha1', 'hmac-sha256-128': 'sha256', 'hmac-sha384-192': 'sha384', 'hmac-sha512-256': 'sha512',
};
const DIGEST: Record<HashAlg, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };
/** Truncated HMAC length of the IKE INTEG transforms = the SK payload's ICV (RFC 4868 §2.3, RFC 2404). */
const ICV: Record<HashAlg, number> = { sha1: 12, sha256: 16, sha384: 24, sha512: 32 };
const GCM_ICV = 16;
const GCM_SALT = 4;

const byValue = <K extends string>(t: Record<K, number>) => (n: number): K | undefined =>
  (Object.keys(t) as K[]).find((k) => t[k] === n);
const cipherOf = byValue(ENCR_ID);
const ikeIntegOf = byValue(IKE_INTEG_ID);
const prfOf = byValue(PRF_ID);
const espIntegOf = byValue(ESP_INTEG_ID);
const isDhGroup = (n: number): n is DhGroup => n === DhId.ECP_256 || n === DhId.ECP_384 || n === DhId.ECP_521;
const isKeyBits = (n: number | undefined): n is KeyBits => n === 128 || n === 192 || n === 256;
const isAead = (encrId: number) => encrId === EncrId.AES_GCM_8 || encrId === EncrId.AES_GCM_12 || encrId === EncrId.AES_GCM_16;

const encrTransform = (c: Cipher, bits: KeyBits): Transform => ({ type: TransformType.ENCR, id: ENCR_ID[c], keyLength: bits });
const t = (type: number, id: number): Transform => ({ type, id });
const unique = <T>(xs: readonly T[]): T[] => [...new Set(xs)];
const EMPTY = new Uint8Array(0);

// ---- configuration → wire ---------------------------------------------------------------------------------

/**
 * Why a configured IKEv2 proposal cannot be offered, or undefined when it can. A PRF left out is taken
 * from the integrity algorithms (IOS XE's documented rule for `prf`; the XR model has no default [I]).
 */
export function ikeProposalProblem(p: Ikev2Proposal): string | undefined {
  if (p.encryption.length === 0) return 'no encryption algorithm';
  if (p.dhGroup.length === 0) return 'no dh-group';
  if (p.encryption.some((e) => IKE_ENCR[e].encr === 'aes-cbc') && p.integrity.length === 0) return 'AES-CBC without an integrity algorithm';
  if (p.prf.length === 0 && p.integrity.length === 0) return 'no prf';
  return undefined;
}

/**
 * One wire proposal per configured proposal, numbered from 1, its transforms in the order IOS shows a
 * proposal (encryption, integrity, PRF, DH group), each list in its configured order of preference.
 * AES-GCM carries no INTEG transform (RFC 5282 §8). A proposal mixing AES-GCM with AES-CBC cannot be
 * one wire proposal (the INTEG transform would apply to one and not the other, RFC 7296 §3.3), so it
 * becomes two consecutive ones, in the order of its first encryption of each kind — as strongSwan does.
 * Incomplete proposals (ikeProposalProblem) are left out.
 */
export function ikeProposalsFromConfig(props: readonly Ikev2Proposal[]): Proposal[] {
  const out: Proposal[] = [];
  for (const p of props) {
    if (ikeProposalProblem(p)) continue;
    const prf = unique((p.prf.length ? p.prf : p.integrity).map((h) => IKE_HASH[h]));
    const integ = unique(p.integrity.map((h) => IKE_HASH[h]));
    const encrs = unique(p.encryption).map((e) => IKE_ENCR[e]);
    const kinds = unique(encrs.map((e) => e.encr === 'aes-gcm-16'));
    for (const aead of kinds) {
      out.push({
        number: out.length + 1, protocol: ProtocolId.IKE, spi: EMPTY,
        transforms: [
          ...encrs.filter((e) => (e.encr === 'aes-gcm-16') === aead).map((e) => encrTransform(e.encr, e.bits)),
          ...(aead ? [] : integ.map((h) => t(TransformType.INTEG, IKE_INTEG_ID[h]))),
          ...prf.map((h) => t(TransformType.PRF, PRF_ID[h])),
          ...unique(p.dhGroup).map((g) => t(TransformType.DH, g)),
        ],
      });
    }
  }
  return out;
}

/**
 * One ESP proposal per transform set (in `set transform-set` order), numbered from 1, all with `spi`:
 * ENCR with its key length, INTEG unless AES-GCM or none configured, DH when PFS is set, and ESN
 * NO_ESN (RFC 7296 §3.3.3: ESN is mandatory for ESP; webswan has no extended sequence numbers).
 * A transform set without encryption is left out (commit refuses one with only an HMAC).
 */
export function espProposalsFromConfig(transformSets: readonly TransformSet[], pfs: DhGroup | undefined, spi: Bytes): Proposal[] {
  const out: Proposal[] = [];
  for (const ts of transformSets) {
    if (!ts.encryption) continue;
    const e = ESP_ENCR[ts.encryption];
    const integ = e.encr === 'aes-gcm-16' || !ts.auth ? undefined : ESP_AUTH[ts.auth];
    out.push({
      number: out.length + 1, protocol: ProtocolId.ESP, spi,
      transforms: [
        encrTransform(e.encr, e.bits),
        ...(integ ? [t(TransformType.INTEG, ESP_INTEG_ID[integ])] : []),
        ...(pfs ? [t(TransformType.DH, pfs)] : []),
        t(TransformType.ESN, EsnId.NO_ESN),
      ],
    });
  }
  return out;
}

/** The ESP suite a transform set stands for (what `show` reports before anything is negotiated). */
export function espSuiteFromConfig(ts: TransformSet, pfs?: DhGroup): EspSuite | undefined {
  if (!ts.encryption) return undefined;
  const e = ESP_ENCR[ts.encryption];
  const integ = e.encr === 'aes-gcm-16' || !ts.auth ? undefined : ESP_AUTH[ts.auth];
  return { encr: e.encr, encrKeyBits: e.bits, ...(integ ? { integ } : {}), ...(pfs ? { pfs } : {}) };
}

// ---- names for the trace (strongSwan's spelling, so traces of both read alike) ----------------------------

const SWAN_DH: Record<number, string> = { 0: 'NONE', 14: 'MODP_2048', 19: 'ECP_256', 20: 'ECP_384', 21: 'ECP_521', 31: 'CURVE_25519' };
const SWAN_ENCR: Record<number, string> = { 12: 'AES_CBC', 13: 'AES_CTR', 18: 'AES_GCM_8', 19: 'AES_GCM_12', 20: 'AES_GCM_16' };
const TYPE_ORDER = [TransformType.ENCR, TransformType.INTEG, TransformType.PRF, TransformType.DH, TransformType.ESN];

/** One transform as strongSwan logs it: AES_CBC_256, HMAC_SHA2_256_128, PRF_HMAC_SHA2_256, ECP_256, NO_EXT_SEQ. */
export function transformLabel(x: Transform): string {
  let s: string;
  switch (x.type) {
    case TransformType.ENCR: s = SWAN_ENCR[x.id] ?? transformName(x.type, x.id); break;
    case TransformType.PRF: s = `PRF_${transformName(x.type, x.id)}`; break;
    case TransformType.DH: s = SWAN_DH[x.id] ?? transformName(x.type, x.id); break;
    case TransformType.ESN: s = x.id === EsnId.NO_ESN ? 'NO_EXT_SEQ' : x.id === EsnId.ESN ? 'EXT_SEQ' : transformName(x.type, x.id); break;
    default: s = transformName(x.type, x.id);
  }
  if (x.keyLength !== undefined) s += `_${x.keyLength}`;
  if (x.attributes?.length) s += `(+${x.attributes.length} attr)`;
  return s;
}

const PROTOCOL_LABEL: Record<number, string> = { [ProtocolId.IKE]: 'IKE', [ProtocolId.AH]: 'AH', [ProtocolId.ESP]: 'ESP' };

/** `IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_256`: transforms by type, in offered order within a type. */
export function proposalLabel(p: Proposal): string {
  const rank = (type: number) => { const i = TYPE_ORDER.indexOf(type as 1); return i < 0 ? TYPE_ORDER.length + type : i; };
  const sorted = p.transforms.map((x, i) => ({ x, i })).sort((a, b) => rank(a.x.type) - rank(b.x.type) || a.i - b.i);
  return `${PROTOCOL_LABEL[p.protocol] ?? `PROTO(${p.protocol})`}:${sorted.map(({ x }) => transformLabel(x)).join('/')}`;
}

/** Several proposals, comma-separated as strongSwan's "received proposals: …"; `none` for an empty list. */
export function proposalsLabel(ps: readonly Proposal[]): string {
  return ps.length ? ps.map(proposalLabel).join(', ') : 'none';
}

// ---- selection (responder) --------------------------------------------------------------------------------

export type IkeSelection =
  | { ok: true; proposal: Proposal; suite: IkeSuite }
  | { ok: false; offered: string; acceptable: string };

export type EspSelection =
  | { ok: true; proposal: Proposal; suite: EspSuite }
  | { ok: false; offered: string; acceptable: string };

export interface EspSelectOptions {
  /**
   * Ignore DH transforms on both sides: the Child SA set up inside IKE_AUTH has no KE payload, so its
   * DH transforms mean nothing (RFC 7296 §1.2); strongSwan strips them the same way. The chosen
   * proposal then carries no DH and the suite no `pfs`.
   */
  ignoreDh?: boolean;
  /** The group of the KE payload beside the SA (CREATE_CHILD_SA with PFS); see IkeSelectOptions. */
  keGroup?: number;
}

export interface IkeSelectOptions {
  /**
   * The group of the initiator's KE payload: when the chosen proposal also offers it, it is taken over
   * the initiator's first DH transform, which saves an INVALID_KE_PAYLOAD round trip (RFC 7296 §1.2
   * lets the initiator guess; strongSwan promotes the KE group the same way).
   */
  keGroup?: number;
}

const KNOWN_TYPES = new Set<number>(TYPE_ORDER);

/** Equal as transforms go on the wire (type, ID, key length); attributes are handled by `usable`. */
const same = (a: Transform, b: Transform) => a.type === b.type && a.id === b.id && a.keyLength === b.keyLength;

/**
 * A transform we can consider at all: no attribute other than a single Key Length (RFC 7296 §3.3.6:
 * a transform with an attribute we do not understand is unacceptable). A Key Length the decoder left
 * in `attributes` (not first, or a second one) counts as not understood.
 */
const usable = (x: Transform) => !x.attributes || x.attributes.length === 0;

interface Pick { encr: Transform; integ?: Transform; prf?: Transform; dh?: Transform; esn?: Transform }

/** The first offered transform of `type` (offered order) that `ours` also holds, if any. */
function firstCommon(offered: Transform[], ours: Proposal, type: number, also: (x: Transform) => boolean = () => true): Transform | undefined {
  return offered.find((x) => x.type === type && also(x) && ours.transforms.some((y) => same(x, y)));
}

const hasType = (ts: Transform[], type: number) => ts.some((x) => x.type === type);
const noneOf = (usableOffered: Transform[], type: number) => usableOffered.find((x) => x.type === type && x.id === 0);
/** The offer has no transform of `type`, or a usable NONE (ID 0) among them: the peer accepts going without. */
const mayOmit = (o: Proposal, usableOffered: Transform[], type: number) => !hasType(o.transforms, type) || !!noneOf(usableOffered, type);

/** A common DH group (not NONE): the KE payload's when offered and acceptable, else the first offered. */
function commonDh(offered: Transform[], ours: Proposal, keGroup: number | undefined): Transform | undefined {
  const dh = (x: Transform) => x.id !== 0;
  return (keGroup !== undefined ? firstCommon(offered, ours, TransformType.DH, (x) => dh(x) && x.id === keGroup) : undefined)
    ?? firstCommon(offered, ours, TransformType.DH, dh);
}

function matchIke(o: Proposal, ours: Proposal, keGroup: number | undefined): Pick | undefined {
  const offered = o.transforms.filter(usable);
  for (const encr of offered) {
    if (encr.type !== TransformType.ENCR || !ours.transforms.some((y) => same(encr, y))) continue;
    const aead = isAead(encr.id);
    const prf = firstCommon(offered, ours, TransformType.PRF);
    const dh = commonDh(offered, ours, keGroup);
    // with AES-GCM the INTEG transforms are not used (RFC 5282 §8); a mixed offer is read leniently
    const integ = aead ? undefined : firstCommon(offered, ours, TransformType.INTEG, (x) => x.id !== 0);
    if (prf && dh && (aead || integ)) return { encr, integ, prf, dh };
  }
  return undefined;
}

function matchEsp(o: Proposal, ours: Proposal, ignoreDh: boolean, keGroup: number | undefined): Pick | undefined {
  if (o.spi.length !== 4) return undefined;
  const offered = o.transforms.filter(usable);
  const esn = firstCommon(offered, ours, TransformType.ESN);
  if (!esn) return undefined;
  let dh: Transform | undefined;
  if (!ignoreDh) {
    const oursDh = ours.transforms.some((x) => x.type === TransformType.DH && x.id !== 0);
    if (oursDh) {
      dh = commonDh(offered, ours, keGroup);
      if (!dh) return undefined;
    } else {
      if (!mayOmit(o, offered, TransformType.DH)) return undefined;
      dh = noneOf(offered, TransformType.DH);
    }
  }
  for (const encr of offered) {
    if (encr.type !== TransformType.ENCR || !ours.transforms.some((y) => same(encr, y))) continue;
    if (isAead(encr.id)) return { encr, dh, esn };
    const oursInteg = ours.transforms.some((x) => x.type === TransformType.INTEG && x.id !== 0);
    if (oursInteg) {
      const integ = firstCommon(offered, ours, TransformType.INTEG, (x) => x.id !== 0);
      if (integ) return { encr, integ, dh, esn };
    } else if (mayOmit(o, offered, TransformType.INTEG)) {
      return { encr, integ: noneOf(offered, TransformType.INTEG), dh, esn };
    }
  }
  return undefined;
}

/** RFC 7296 §3.3.6: unknown transform types make the whole proposal unacceptable. */
const onlyKnownTypes = (p: Proposal) => p.transforms.every((x) => KNOWN_TYPES.has(x.type));

function chosenOf(o: Proposal, pick: Pick): Proposal {
  const transforms = [pick.encr, pick.integ, pick.prf, pick.dh, pick.esn].filter((x): x is Transform => !!x).map((x) => ({ ...x }));
  return { number: o.number, protocol: o.protocol, spi: o.spi, transforms };
}

/** Responder: the IKE proposal to accept among `offered`, given ours (`acceptable`); see the file header. */
export function selectIkeProposal(offered: readonly Proposal[], acceptable: readonly Proposal[], opts: IkeSelectOptions = {}): IkeSelection {
  for (const o of offered) {
    if (o.protocol !== ProtocolId.IKE || !onlyKnownTypes(o) || hasType(o.transforms, TransformType.ESN)) continue;
    for (const ours of acceptable) {
      const pick = matchIke(o, ours, opts.keGroup);
      if (!pick) continue;
      const proposal = chosenOf(o, pick);
      const suite = ikeSuiteOf(proposal);
      if (suite) return { ok: true, proposal, suite };
    }
  }
  return { ok: false, offered: proposalsLabel(offered), acceptable: proposalsLabel(acceptable) };
}

/** Responder: the ESP proposal to accept; the chosen proposal keeps the offered SPI (the peer's inbound SPI). */
export function selectEspProposal(offered: readonly Proposal[], acceptable: readonly Proposal[], opts: EspSelectOptions = {}): EspSelection {
  for (const o of offered) {
    if (o.protocol !== ProtocolId.ESP || !onlyKnownTypes(o) || hasType(o.transforms, TransformType.PRF)) continue;
    for (const ours of acceptable) {
      const pick = matchEsp(o, ours, !!opts.ignoreDh, opts.keGroup);
      if (!pick) continue;
      const proposal = chosenOf(o, pick);
      const suite = espSuiteOf(proposal);
      if (suite) return { ok: true, proposal, suite };
    }
  }
  return { ok: false, offered: proposalsLabel(offered), acceptable: proposalsLabel(acceptable) };
}

// ---- the initiator's check of the responder's choice ------------------------------------------------------

const TYPE_NAME: Record<number, string> = { 1: 'ENCR', 2: 'PRF', 3: 'INTEG', 4: 'DH', 5: 'ESN' };

export type ChosenCheck<S> = { ok: true; sent: Proposal; suite: S } | { ok: false; reason: string };

/**
 * Initiator: the responder's single proposal must carry the number of one we sent, the same protocol,
 * exactly one transform of each type that proposal held (INTEG may go with AES-GCM), and only transforms
 * we offered in it, attributes unchanged (RFC 7296 §3.3.6: "The initiator of an exchange MUST check that
 * the accepted offer is consistent with one of its proposals, and if not MUST reject the response").
 * `ignoreDh`: the IKE_AUTH Child SA, where a responder may leave our DH transforms out (or echo one).
 */
function checkAgainst(sent: readonly Proposal[], chosen: Proposal, ignoreDh: boolean): { ok: true; sent: Proposal } | { ok: false; reason: string } {
  const s = sent.find((p) => p.number === chosen.number);
  if (!s) return { ok: false, reason: `proposal #${chosen.number} was not offered` };
  if (s.protocol !== chosen.protocol) return { ok: false, reason: `protocol ${chosen.protocol} instead of ${s.protocol}` };
  const seen = new Set<number>();
  for (const x of chosen.transforms) {
    if (seen.has(x.type)) return { ok: false, reason: `more than one ${TYPE_NAME[x.type] ?? `type ${x.type}`} transform` };
    seen.add(x.type);
    if (!usable(x) || !s.transforms.some((y) => same(x, y) && usable(y))) {
      return { ok: false, reason: `${transformLabel(x)} was not offered in proposal #${s.number}` };
    }
  }
  const encr = chosen.transforms.find((x) => x.type === TransformType.ENCR);
  for (const type of unique(s.transforms.map((x) => x.type))) {
    if (seen.has(type)) continue;
    if (type === TransformType.INTEG && encr && isAead(encr.id)) continue;
    if (type === TransformType.DH && ignoreDh) continue;
    return { ok: false, reason: `no ${TYPE_NAME[type] ?? `type ${type}`} transform` };
  }
  return { ok: true, sent: s };
}

/** Initiator, IKE_SA_INIT (or IKE rekey): check the responder's choice and read its suite. */
export function checkChosen(sent: readonly Proposal[], chosen: Proposal): ChosenCheck<IkeSuite> {
  const r = checkAgainst(sent, chosen, false);
  if (!r.ok) return r;
  const suite = ikeSuiteOf(chosen);
  return suite ? { ok: true, sent: r.sent, suite } : { ok: false, reason: `${proposalLabel(chosen)} is not a complete IKE suite` };
}

/** Initiator, Child SA: as checkChosen; the chosen SPI (4 bytes) is the responder's inbound SPI. */
export function checkChosenEsp(sent: readonly Proposal[], chosen: Proposal, opts: EspSelectOptions = {}): ChosenCheck<EspSuite> {
  if (chosen.spi.length !== 4) return { ok: false, reason: `ESP SPI of ${chosen.spi.length} bytes` };
  const r = checkAgainst(sent, chosen, !!opts.ignoreDh);
  if (!r.ok) return r;
  const suite = espSuiteOf(chosen);
  if (suite && opts.ignoreDh) delete suite.pfs;
  return suite ? { ok: true, sent: r.sent, suite } : { ok: false, reason: `${proposalLabel(chosen)} is not a complete ESP suite` };
}

// ---- a chosen proposal as a suite -------------------------------------------------------------------------

const one = (p: Proposal, type: number) => p.transforms.find((x) => x.type === type);

/** The IKE suite of a proposal holding one transform per type; undefined if webswan cannot run it. */
export function ikeSuiteOf(p: Proposal): IkeSuite | undefined {
  const e = one(p, TransformType.ENCR), i = one(p, TransformType.INTEG), f = one(p, TransformType.PRF), d = one(p, TransformType.DH);
  const encr = e && cipherOf(e.id);
  const prf = f && prfOf(f.id);
  if (!encr || !isKeyBits(e.keyLength) || !prf || !d || !isDhGroup(d.id)) return undefined;
  if (encr === 'aes-gcm-16') {
    if (e.keyLength === 192) return undefined; // IOS XR has no aes-gcm-192
    if (i && i.id !== IntegId.NONE) return undefined;
    return { encr, encrKeyBits: e.keyLength, prf, dh: d.id };
  }
  const integ = i && ikeIntegOf(i.id);
  return integ ? { encr, encrKeyBits: e.keyLength, integ, prf, dh: d.id } : undefined;
}

/** The ESP suite of a proposal holding one transform per type (DH NONE or absent: no PFS). */
export function espSuiteOf(p: Proposal): EspSuite | undefined {
  const e = one(p, TransformType.ENCR), i = one(p, TransformType.INTEG), d = one(p, TransformType.DH), n = one(p, TransformType.ESN);
  const encr = e && cipherOf(e.id);
  if (!encr || !isKeyBits(e.keyLength) || !n || n.id !== EsnId.NO_ESN) return undefined;
  if (encr === 'aes-gcm-16' && e.keyLength === 192) return undefined;
  let pfs: DhGroup | undefined;
  if (d && d.id !== DhId.NONE) { if (!isDhGroup(d.id)) return undefined; pfs = d.id; }
  let integ: EspHmac | undefined;
  if (i && i.id !== IntegId.NONE) {
    if (encr === 'aes-gcm-16') return undefined;
    integ = espIntegOf(i.id);
    if (!integ) return undefined;
  }
  return { encr, encrKeyBits: e.keyLength, ...(integ ? { integ } : {}), ...(pfs ? { pfs } : {}) };
}

// ---- a suite under its other names -------------------------------------------------------------------------

const swanEncr = (c: Cipher, bits: KeyBits) => `${c === 'aes-cbc' ? 'AES_CBC' : 'AES_GCM_16'}_${bits}`;

/** strongSwan's spelling of a negotiated IKE suite: AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_256. */
export function ikeSuiteName(s: IkeSuite): string {
  return [
    swanEncr(s.encr, s.encrKeyBits),
    ...(s.integ ? [transformName(TransformType.INTEG, IKE_INTEG_ID[s.integ])] : []),
    `PRF_${transformName(TransformType.PRF, PRF_ID[s.prf])}`,
    SWAN_DH[s.dh],
  ].join('/');
}

/** strongSwan's spelling of a negotiated ESP suite: AES_CBC_256/HMAC_SHA2_256_128[/ECP_256]/NO_EXT_SEQ. */
export function espSuiteName(s: EspSuite): string {
  return [
    swanEncr(s.encr, s.encrKeyBits),
    ...(s.integ ? [transformName(TransformType.INTEG, ESP_INTEG_ID[s.integ])] : []),
    ...(s.pfs ? [SWAN_DH[s.pfs]] : []),
    'NO_EXT_SEQ',
  ].join('/');
}

/** SK_e* and SK_a* lengths (RFC 7296 §2.14): AES key (+ 4-byte salt for GCM, RFC 5282 §7.1); HMAC key = digest length (RFC 4868 §2.1.1). */
export function ikeKeyLengths(s: IkeSuite): IkeKeyLengths {
  return {
    encr: s.encrKeyBits / 8 + (s.encr === 'aes-gcm-16' ? GCM_SALT : 0),
    integ: s.encr === 'aes-gcm-16' || !s.integ ? 0 : DIGEST[s.integ],
  };
}

/** KEYMAT lengths per direction (RFC 7296 §2.17; GCM salt per RFC 4106 §8.1). */
export function espKeyLengths(s: EspSuite): ChildKeyLengths {
  return {
    encr: s.encrKeyBits / 8 + (s.encr === 'aes-gcm-16' ? GCM_SALT : 0),
    integ: s.integ ? INTEG_KEY_LEN[s.integ] : 0,
  };
}

export const prfAlg = (s: IkeSuite): HashAlg => s.prf;

/** What protects the SK payload (RFC 7296 §3.14): AES-CBC + truncated HMAC, or AES-GCM with a 16-byte ICV. */
export function skSuite(s: IkeSuite): SkSuite {
  if (s.encr === 'aes-gcm-16') return { cipher: 'aes-gcm-16', icvLen: GCM_ICV };
  if (!s.integ) throw new Error('proposals: an AES-CBC IKE suite without integrity');
  return { cipher: 'aes-cbc', integ: s.integ, icvLen: ICV[s.integ] };
}

/** Wireshark's `ikev2_decryption_table` names (epan/dissectors/packet-isakmp.c). */
export function ikeWiresharkNames(s: IkeSuite): { encr: string; integ: string } {
  const bits = s.encrKeyBits;
  const encr = s.encr === 'aes-gcm-16' ? `AES-GCM-${bits} with 16 octet ICV [RFC5282]` : `AES-CBC-${bits} [RFC3602]`;
  const integ = s.encr === 'aes-gcm-16' || !s.integ ? 'NONE [RFC4306]' : `${transformName(TransformType.INTEG, IKE_INTEG_ID[s.integ])} ${s.integ === 'sha1' ? '[RFC2404]' : '[RFC4868]'}`;
  return { encr, integ };
}

const WS_ESP_AUTH: Record<EspHmac, string> = {
  'hmac-sha1-96': 'HMAC-SHA-1-96 [RFC2404]', 'hmac-sha256-128': 'HMAC-SHA-256-128 [RFC4868]',
  'hmac-sha384-192': 'HMAC-SHA-384-192 [RFC4868]', 'hmac-sha512-256': 'HMAC-SHA-512-256 [RFC4868]',
};

/** Wireshark's `esp_sa` names (epan/dissectors/packet-esp.c); the key length comes from the key itself. */
export function espWiresharkNames(s: EspSuite): { encr: string; auth: string } {
  return {
    encr: s.encr === 'aes-gcm-16' ? 'AES-GCM with 16 octet ICV [RFC4106]' : 'AES-CBC [RFC3602]',
    auth: s.integ ? WS_ESP_AUTH[s.integ] : 'NULL',
  };
}

/** Either table's names, by the kind of suite (an IKE suite has a PRF). */
export function wiresharkNames(s: IkeSuite): { encr: string; integ: string };
export function wiresharkNames(s: EspSuite): { encr: string; auth: string };
export function wiresharkNames(s: IkeSuite | EspSuite): { encr: string; integ: string } | { encr: string; auth: string } {
  return 'prf' in s ? ikeWiresharkNames(s) : espWiresharkNames(s);
}

const XR_HASH: Record<HashAlg, string> = { sha1: 'SHA1', sha256: 'SHA256', sha384: 'SHA384', sha512: 'SHA512' };
const XR_CIPHER: Record<Cipher, string> = { 'aes-cbc': 'AES-CBC', 'aes-gcm-16': 'AES-GCM' };

/** `show ikev2 session detail`: Encryption/Keysize AES-CBC/128, PRF/Hash/DH Group SHA1/SHA256/20 (guide; Hash None for GCM, ios-xr-cli.md §5). */
export function ikeSuiteView(s: IkeSuite): { encryption: string; keySize: number; prf: string; hash: string; dhGroup: number } {
  return { encryption: XR_CIPHER[s.encr], keySize: s.encrKeyBits, prf: XR_HASH[s.prf], hash: s.integ ? XR_HASH[s.integ] : 'None', dhGroup: s.dh };
}

const XR_ESP_ENCRYPT: Record<Cipher, Record<KeyBits, string>> = {
  'aes-cbc': { 128: 'ESP_AES', 192: 'ESP_192_AES', 256: 'ESP_256_AES' },
  'aes-gcm-16': { 128: 'ESP_GCM_128', 192: 'ESP_GCM_192', 256: 'ESP_GCM_256' },
};
const XR_ESP_AUTH: Record<EspHmac, string> = {
  'hmac-sha1-96': 'HMAC_SHA1', 'hmac-sha256-128': 'HMAC_SHA_256', 'hmac-sha384-192': 'HMAC_SHA_384', 'hmac-sha512-256': 'HMAC_SHA_512',
};

/**
 * The Child SA in `show ikev2 session detail` (Encryption AES-GCM, Keysize 256, ESP HMAC SHA256|None) and in
 * `show ipsec sa` (Encrypt Algorithm ESP_192_AES, Auth Algorithm HMAC_SHA_256|None, PFS group). The guide
 * shows ESP_192_AES and HMAC_SHA_256; the siblings follow the configuration keywords (ios-xr-cli.md §5 [I]).
 */
export function espSuiteView(s: EspSuite): {
  encryption: string; keySize: number; espHmac: string; encrypt: string; auth: string; pfsGroup?: number;
} {
  return {
    encryption: XR_CIPHER[s.encr], keySize: s.encrKeyBits, espHmac: s.integ ? XR_HASH[HMAC_OF_ESP[s.integ]] : 'None',
    encrypt: XR_ESP_ENCRYPT[s.encr][s.encrKeyBits], auth: s.integ ? XR_ESP_AUTH[s.integ] : 'None',
    ...(s.pfs ? { pfsGroup: s.pfs } : {}),
  };
}
