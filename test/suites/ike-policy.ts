// Configuration → negotiation decisions (src/ike/proposals.ts, src/ike/policy.ts): every algorithm of the
// guide mapped to its IANA number, the RFC 7296 §3.3.6 selection rules as a matrix with the strongSwan-style
// mismatch descriptions, the initiator's check of the responder's choice, the names a suite is shown by,
// and (ike-policy-guide.ts) the guide's selection rules over the guide's own configurations.
//
// Expected numbers are written out as literals from the IANA "IKEv2 Parameters" registry
// (https://www.iana.org/assignments/ikev2-parameters, Transform Types 1–5) and RFC 7296 §3.3.2, not
// read back from src/ike/codec/constants.ts, so a wrong table there fails here.
import fc from 'fast-check';
import { loadConfig } from '../../src/config/load.js';
import { type Ikev2Proposal, type RouterConfig, type TransformSet } from '../../src/config/model.js';
import type { Proposal, Transform } from '../../src/ike/codec/types.js';
import {
  type EspSuite, type IkeSuite, checkChosen, checkChosenEsp, espKeyLengths, espProposalsFromConfig, espSuiteName, espSuiteView,
  espWiresharkNames, ikeKeyLengths, ikeProposalProblem, ikeProposalsFromConfig, ikeSuiteName, ikeSuiteView, ikeWiresharkNames,
  prfAlg, proposalsLabel, selectEspProposal, selectIkeProposal, skSuite, wiresharkNames,
} from '../../src/ike/proposals.js';
import { type PeerIdentity, domainMatches, fqdnMatches, inPrefix } from '../../src/ike/policy.js';
import { guideRulesSuite } from './ike-policy-guide.js';
import { env } from '../support/env.js';
import { bytesEqual, equal, ok } from '../support/assert.js';

// ---- helpers ----------------------------------------------------------------------------------------------

export const IKE = 1, ESP = 3;
const ENCR = 1, PRF = 2, INTEG = 3, DH = 4, ESN = 5;
const NO_SPI = new Uint8Array(0);
export const SPI = new Uint8Array([0xc0, 0xff, 0xee, 0x01]);
export const utf8 = (s: string) => new TextEncoder().encode(s);

/** A transform from [type, id, keyLength?]. */
const tr = ([type, id, keyLength]: [number, number, number?]): Transform => (keyLength === undefined ? { type, id } : { type, id, keyLength });
const prop = (number: number, protocol: number, ts: [number, number, number?][], spi = protocol === ESP ? SPI : NO_SPI): Proposal =>
  ({ number, protocol, spi, transforms: ts.map(tr) });
const ike = (number: number, ...ts: [number, number, number?][]) => prop(number, IKE, ts);
const esp = (number: number, ...ts: [number, number, number?][]) => prop(number, ESP, ts);

/** The transforms of a proposal as [type, id, keyLength] for comparison. */
const shape = (p: Proposal) => JSON.stringify(p.transforms.map((x) => [x.type, x.id, x.keyLength ?? null]));
export const sameJson = (got: unknown, want: unknown, msg: string) => equal(JSON.stringify(got), JSON.stringify(want), msg);

export function config(text: string): RouterConfig {
  const r = loadConfig(text);
  equal(r.errors.length, 0, `load errors: ${JSON.stringify(r.errors)}`);
  return r.config;
}

/** The running configuration a guide transcript ends with (from `Building configuration...` to `end`). */
export async function guideConfig(file: string): Promise<RouterConfig> {
  const text = await (await env()).text(`ios-xr-guide/${file}`);
  const at = text.indexOf('Building configuration...');
  ok(at >= 0, `${file}: no show running-config`);
  return config(text.slice(at));
}

export const proposal = (p: Partial<Ikev2Proposal>): Ikev2Proposal => ({ encryption: [], integrity: [], prf: [], dhGroup: [], ...p });
export const v4 = (address: string): PeerIdentity => ({ type: 'ipv4', address });
export const fqdn = (name: string): PeerIdentity => ({ type: 'fqdn', name });

// ---- the registry ------------------------------------------------------------------------------------------

/** IOS XR keyword → [transform type, IANA transform ID, key length]; the IANA name and reference as comment. */
const IKE_KEYWORDS: [Partial<Ikev2Proposal>, [number, number, number?]][] = [
  [{ encryption: ['aes-cbc-128'] }, [ENCR, 12, 128]],   // ENCR_AES_CBC [RFC3602]
  [{ encryption: ['aes-cbc-192'] }, [ENCR, 12, 192]],
  [{ encryption: ['aes-cbc-256'] }, [ENCR, 12, 256]],
  [{ encryption: ['aes-gcm-128'] }, [ENCR, 20, 128]],   // ENCR_AES_GCM_16 [RFC4106][RFC5282]
  [{ encryption: ['aes-gcm-256'] }, [ENCR, 20, 256]],
  [{ integrity: ['sha-1'] }, [INTEG, 2]],               // AUTH_HMAC_SHA1_96 [RFC2404]
  [{ integrity: ['sha-256'] }, [INTEG, 12]],            // AUTH_HMAC_SHA2_256_128 [RFC4868]
  [{ integrity: ['sha-384'] }, [INTEG, 13]],            // AUTH_HMAC_SHA2_384_192 [RFC4868]
  [{ integrity: ['sha-512'] }, [INTEG, 14]],            // AUTH_HMAC_SHA2_512_256 [RFC4868]
  [{ prf: ['sha-1'] }, [PRF, 2]],                       // PRF_HMAC_SHA1 [RFC2104]
  [{ prf: ['sha-256'] }, [PRF, 5]],                     // PRF_HMAC_SHA2_256 [RFC4868]
  [{ prf: ['sha-384'] }, [PRF, 6]],                     // PRF_HMAC_SHA2_384 [RFC4868]
  [{ prf: ['sha-512'] }, [PRF, 7]],                     // PRF_HMAC_SHA2_512 [RFC4868]
  [{ dhGroup: [19] }, [DH, 19]],                        // 256-bit random ECP group [RFC5903]
  [{ dhGroup: [20] }, [DH, 20]],                        // 384-bit random ECP group [RFC5903]
  [{ dhGroup: [21] }, [DH, 21]],                        // 521-bit random ECP group [RFC5903]
];

const ESP_KEYWORDS: [TransformSet, [number, number, number?]][] = [
  [{ encryption: 'esp-aes' }, [ENCR, 12, 128]],
  [{ encryption: 'esp-192-aes' }, [ENCR, 12, 192]],
  [{ encryption: 'esp-256-aes' }, [ENCR, 12, 256]],
  [{ encryption: 'esp-gcm-128' }, [ENCR, 20, 128]],     // ENCR_AES_GCM_16: 16-octet ICV [RFC4106]
  [{ encryption: 'esp-gcm-256' }, [ENCR, 20, 256]],
  [{ encryption: 'esp-aes', auth: 'esp-hmac-sha1' }, [INTEG, 2]],
  [{ encryption: 'esp-aes', auth: 'esp-hmac-sha-256' }, [INTEG, 12]],
  [{ encryption: 'esp-aes', auth: 'esp-hmac-sha-384' }, [INTEG, 13]],
  [{ encryption: 'esp-aes', auth: 'esp-hmac-sha-512' }, [INTEG, 14]],
];

function registrySuite(): void {
  describe('every algorithm of the guide, as IANA numbers', () => {
    const base = { encryption: ['aes-cbc-256'], integrity: ['sha-256'], prf: ['sha-256'], dhGroup: [19] } as Ikev2Proposal;
    for (const [kw, want] of IKE_KEYWORDS) {
      it(`ikev2 proposal ${JSON.stringify(kw)} → type ${want[0]} ID ${want[1]}${want[2] ? ` key length ${want[2]}` : ''}`, () => {
        const [p] = ikeProposalsFromConfig([{ ...base, ...kw }]);
        const found = p.transforms.filter((x) => x.type === want[0]);
        equal(found.length, 1, 'one transform of the type');
        sameJson([found[0].type, found[0].id, found[0].keyLength], want.length === 3 ? want : [...want, undefined], 'transform');
      });
    }
    for (const [ts, want] of ESP_KEYWORDS) {
      it(`transform ${ts.encryption}${ts.auth ? ` ${ts.auth}` : ''} → type ${want[0]} ID ${want[1]}`, () => {
        const [p] = espProposalsFromConfig([ts], undefined, SPI);
        const found = p.transforms.filter((x) => x.type === want[0]);
        equal(found.length, 1, 'one transform of the type');
        sameJson([found[0].type, found[0].id, found[0].keyLength], want.length === 3 ? want : [...want, undefined], 'transform');
      });
    }
    it('set pfs group19/20/21 adds DH 19/20/21; ESN is always NO_ESN (0); the SPI is the one given', () => {
      for (const g of [19, 20, 21] as const) {
        const [p] = espProposalsFromConfig([{ encryption: 'esp-256-aes', auth: 'esp-hmac-sha-256' }], g, SPI);
        equal(shape(p), JSON.stringify([[ENCR, 12, 256], [INTEG, 12, null], [DH, g, null], [ESN, 0, null]]), `pfs group${g}`);
        equal(p.protocol, ESP, 'protocol ESP (3)');
        bytesEqual(p.spi, SPI, 'SPI');
      }
    });
  });

  describe('IKE proposals from ikev2 proposal', () => {
    it("the guide's proposal: AES-CBC-256, SHA-256, PRF SHA-256, group 20 (one wire proposal, number 1, no SPI)", () => {
      const ps = ikeProposalsFromConfig([proposal({ prf: ['sha-256'], dhGroup: [20], integrity: ['sha-256'], encryption: ['aes-cbc-256'] })]);
      equal(ps.length, 1, 'one proposal');
      equal(ps[0].number, 1, 'number');
      equal(ps[0].protocol, IKE, 'protocol IKE (1)');
      equal(ps[0].spi.length, 0, 'no SPI in IKE_SA_INIT');
      equal(proposalsLabel(ps), 'IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_384', 'label');
    });
    it('lists keep their order of preference; proposals are numbered from 1 in policy order', () => {
      const ps = ikeProposalsFromConfig([
        proposal({ encryption: ['aes-cbc-128', 'aes-cbc-256'], integrity: ['sha-512', 'sha-1'], prf: ['sha-384', 'sha-256'], dhGroup: [21, 19] }),
        proposal({ encryption: ['aes-cbc-192'], integrity: ['sha-256'], prf: ['sha-256'], dhGroup: [20] }),
      ]);
      sameJson(ps.map((p) => p.number), [1, 2], 'numbers');
      equal(shape(ps[0]), JSON.stringify([[ENCR, 12, 128], [ENCR, 12, 256], [INTEG, 14, null], [INTEG, 2, null], [PRF, 6, null], [PRF, 5, null], [DH, 21, null], [DH, 19, null]]), 'order');
    });
    it('AES-GCM: no INTEG transform, even with integrity configured (RFC 5282 §8)', () => {
      const [p] = ikeProposalsFromConfig([proposal({ encryption: ['aes-gcm-256'], integrity: ['sha-256'], prf: ['sha-384'], dhGroup: [20] })]);
      equal(shape(p), JSON.stringify([[ENCR, 20, 256], [PRF, 6, null], [DH, 20, null]]), 'transforms');
    });
    it('AES-GCM mixed with AES-CBC in one proposal becomes two wire proposals, in configured order', () => {
      const ps = ikeProposalsFromConfig([proposal({ encryption: ['aes-gcm-128', 'aes-cbc-256', 'aes-gcm-256'], integrity: ['sha-1'], prf: ['sha-1'], dhGroup: [19] })]);
      equal(proposalsLabel(ps), 'IKE:AES_GCM_16_128/AES_GCM_16_256/PRF_HMAC_SHA1/ECP_256, IKE:AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1/ECP_256', 'labels');
      sameJson(ps.map((p) => p.number), [1, 2], 'numbers');
    });
    it('a PRF left out is taken from the integrity algorithms', () => {
      const [p] = ikeProposalsFromConfig([proposal({ encryption: ['aes-cbc-128'], integrity: ['sha-384', 'sha-1'], dhGroup: [19] })]);
      equal(proposalsLabel([p]), 'IKE:AES_CBC_128/HMAC_SHA2_384_192/HMAC_SHA1_96/PRF_HMAC_SHA2_384/PRF_HMAC_SHA1/ECP_256', 'label');
    });
    it('incomplete proposals are left out, with the reason available', () => {
      const bad: [Partial<Ikev2Proposal>, string][] = [
        [{ integrity: ['sha-1'], prf: ['sha-1'], dhGroup: [19] }, 'no encryption algorithm'],
        [{ encryption: ['aes-cbc-128'], integrity: ['sha-1'], prf: ['sha-1'] }, 'no dh-group'],
        [{ encryption: ['aes-cbc-128'], prf: ['sha-1'], dhGroup: [19] }, 'AES-CBC without an integrity algorithm'],
        [{ encryption: ['aes-gcm-128'], dhGroup: [19] }, 'no prf'],
      ];
      for (const [p, why] of bad) {
        equal(ikeProposalProblem(proposal(p)), why, JSON.stringify(p));
        equal(ikeProposalsFromConfig([proposal(p)]).length, 0, `${why}: not offered`);
      }
      const good = proposal({ encryption: ['aes-cbc-128'], integrity: ['sha-1'], prf: ['sha-1'], dhGroup: [19] });
      equal(ikeProposalsFromConfig([proposal(bad[0][0]), good])[0].number, 1, 'the next complete one is number 1');
    });
    it('ESP: one proposal per transform set in set order; encryption-only and GCM sets carry no INTEG; sets without encryption are left out', () => {
      const ps = espProposalsFromConfig([
        { encryption: 'esp-gcm-256' }, { auth: 'esp-hmac-sha1' }, { encryption: 'esp-aes' }, { encryption: 'esp-192-aes', auth: 'esp-hmac-sha-384' },
      ], undefined, SPI);
      equal(proposalsLabel(ps), 'ESP:AES_GCM_16_256/NO_EXT_SEQ, ESP:AES_CBC_128/NO_EXT_SEQ, ESP:AES_CBC_192/HMAC_SHA2_384_192/NO_EXT_SEQ', 'labels');
      sameJson(ps.map((p) => p.number), [1, 2, 3], 'numbers');
    });
  });
}

// ---- selection ---------------------------------------------------------------------------------------------

/** Ours, as the guide configures it: AES-CBC-256 / SHA-256 / PRF SHA-256 / group 20. */
const GUIDE_IKE = ike(1, [ENCR, 12, 256], [INTEG, 12], [PRF, 5], [DH, 20]);
const GCM_IKE = ike(1, [ENCR, 20, 256], [PRF, 5], [DH, 19]);

function selectionSuite(): void {
  describe('IKE proposal selection (responder, RFC 7296 §2.7, §3.3.6)', () => {
    it('the same proposal is chosen with the offered number and one transform of each type', () => {
      const offered = [ike(7, [ENCR, 12, 256], [INTEG, 12], [PRF, 5], [DH, 20])];
      const r = selectIkeProposal(offered, [GUIDE_IKE]);
      ok(r.ok, 'chosen');
      equal(r.proposal.number, 7, 'offered number');
      equal(shape(r.proposal), shape(offered[0]), 'transforms');
      sameJson(r.suite, { encr: 'aes-cbc', encrKeyBits: 256, integ: 'sha256', prf: 'sha256', dh: 20 } satisfies IkeSuite, 'suite');
    });
    it("the first acceptable offered proposal wins (the initiator's preference), not ours", () => {
      const ours = [ike(1, [ENCR, 12, 128], [INTEG, 2], [PRF, 2], [DH, 19]), GUIDE_IKE];
      const offered = [ike(1, [ENCR, 12, 192], [INTEG, 12], [PRF, 5], [DH, 20]), ike(2, [ENCR, 12, 256], [INTEG, 12], [PRF, 5], [DH, 20]),
        ike(3, [ENCR, 12, 128], [INTEG, 2], [PRF, 2], [DH, 19])];
      const r = selectIkeProposal(offered, ours);
      ok(r.ok, 'chosen');
      equal(r.proposal.number, 2, 'proposal 2');
    });
    it('within a proposal, the first offered transform of each type that we accept', () => {
      const ours = [ike(1, [ENCR, 12, 128], [ENCR, 12, 256], [INTEG, 2], [INTEG, 12], [PRF, 2], [PRF, 5], [DH, 19], [DH, 20])];
      const offered = [ike(1, [ENCR, 12, 192], [ENCR, 12, 256], [ENCR, 12, 128], [INTEG, 14], [INTEG, 12], [INTEG, 2], [PRF, 5], [PRF, 2], [DH, 21], [DH, 20], [DH, 19])];
      const r = selectIkeProposal(offered, ours);
      ok(r.ok, 'chosen');
      equal(shape(r.proposal), JSON.stringify([[ENCR, 12, 256], [INTEG, 12, null], [PRF, 5, null], [DH, 20, null]]), 'first common of each');
    });
    it("keGroup: the KE payload's group is taken when the chosen proposal offers it (no INVALID_KE_PAYLOAD round trip)", () => {
      const ours = [ike(1, [ENCR, 12, 256], [INTEG, 12], [PRF, 5], [DH, 19], [DH, 20], [DH, 21])];
      const offered = [ike(1, [ENCR, 12, 256], [INTEG, 12], [PRF, 5], [DH, 19], [DH, 20])];
      const pick = (keGroup?: number) => { const r = selectIkeProposal(offered, ours, { keGroup }); return r.ok ? r.suite.dh : 0; };
      equal(pick(), 19, 'no KE: the first offered group');
      equal(pick(20), 20, 'KE 20: group 20');
      equal(pick(21), 19, 'KE 21 is not offered in SA: the first offered group (the task sends INVALID_KE_PAYLOAD)');
      const e = selectEspProposal([esp(1, [ENCR, 12, 256], [INTEG, 12], [DH, 19], [DH, 21], [ESN, 0])],
        [esp(1, [ENCR, 12, 256], [INTEG, 12], [DH, 21], [DH, 19], [ESN, 0])], { keGroup: 21 });
      ok(e.ok && e.suite.pfs === 21, 'CREATE_CHILD_SA with KE 21');
    });
    it('the combination must lie within one of our proposals, not across two', () => {
      const ours = [ike(1, [ENCR, 12, 256], [INTEG, 12], [PRF, 5], [DH, 19]), ike(2, [ENCR, 12, 128], [INTEG, 2], [PRF, 2], [DH, 20])];
      const offered = [ike(1, [ENCR, 12, 256], [ENCR, 12, 128], [INTEG, 2], [PRF, 2], [DH, 19])];
      const r = selectIkeProposal(offered, ours);
      ok(!r.ok, 'nothing chosen');
    });

    const MISMATCH: [string, Proposal, string][] = [
      ['DH group', ike(1, [ENCR, 12, 256], [INTEG, 12], [PRF, 5], [DH, 19]), 'IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_256'],
      ['key length', ike(1, [ENCR, 12, 128], [INTEG, 12], [PRF, 5], [DH, 20]), 'IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_384'],
      ['integrity', ike(1, [ENCR, 12, 256], [INTEG, 2], [PRF, 5], [DH, 20]), 'IKE:AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA2_256/ECP_384'],
      ['PRF', ike(1, [ENCR, 12, 256], [INTEG, 12], [PRF, 7], [DH, 20]), 'IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_512/ECP_384'],
      ['cipher', ike(1, [ENCR, 20, 256], [PRF, 5], [DH, 20]), 'IKE:AES_GCM_16_256/PRF_HMAC_SHA2_256/ECP_384'],
      ['AES without a key length', ike(1, [ENCR, 12], [INTEG, 12], [PRF, 5], [DH, 20]), 'IKE:AES_CBC/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_384'],
      ['AES-CBC without INTEG (mandatory, §3.3.3)', ike(1, [ENCR, 12, 256], [PRF, 5], [DH, 20]), 'IKE:AES_CBC_256/PRF_HMAC_SHA2_256/ECP_384'],
      ['no DH', ike(1, [ENCR, 12, 256], [INTEG, 12], [PRF, 5]), 'IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256'],
      ['MODP and Curve25519 only', ike(1, [ENCR, 12, 256], [INTEG, 12], [PRF, 5], [DH, 14], [DH, 31]), 'IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048/CURVE_25519'],
      ['ESP proposal in IKE_SA_INIT', { ...ike(1, [ENCR, 12, 256], [INTEG, 12], [PRF, 5], [DH, 20]), protocol: ESP }, 'ESP:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_384'],
    ];
    for (const [what, offered, label] of MISMATCH) {
      it(`mismatch (${what}): NO_PROPOSAL_CHOSEN, describing both sides as strongSwan does`, () => {
        const r = selectIkeProposal([offered], [GUIDE_IKE]);
        ok(!r.ok, 'refused');
        equal(r.offered, label, 'offered');
        equal(r.acceptable, 'IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_384', 'acceptable');
      });
    }
    it('several proposals are described comma-separated; no acceptable proposal reads "none"', () => {
      const r = selectIkeProposal([ike(1, [ENCR, 12, 128], [INTEG, 2], [PRF, 2], [DH, 19]), GCM_IKE], []);
      ok(!r.ok, 'refused');
      equal(r.offered, 'IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/ECP_256, IKE:AES_GCM_16_256/PRF_HMAC_SHA2_256/ECP_256', 'offered');
      equal(r.acceptable, 'none', 'acceptable');
    });

    it('AES-GCM: chosen without INTEG; the suite has no integ', () => {
      const r = selectIkeProposal([ike(1, [ENCR, 20, 256], [PRF, 5], [DH, 19])], [GCM_IKE]);
      ok(r.ok, 'chosen');
      equal(shape(r.proposal), JSON.stringify([[ENCR, 20, 256], [PRF, 5, null], [DH, 19, null]]), 'no INTEG');
      equal(r.suite.integ, undefined, 'no integ');
    });
    it('AES-GCM offered with INTEG NONE (RFC 5282 §8 allows it): accepted, INTEG left out of the answer', () => {
      const r = selectIkeProposal([ike(1, [ENCR, 20, 256], [INTEG, 0], [PRF, 5], [DH, 19])], [GCM_IKE]);
      ok(r.ok, 'chosen');
      equal(shape(r.proposal), JSON.stringify([[ENCR, 20, 256], [PRF, 5, null], [DH, 19, null]]), 'no INTEG');
    });
    it('a proposal mixing AES-GCM and AES-CBC is read leniently: GCM chosen without INTEG, CBC with it', () => {
      const mixed = ike(1, [ENCR, 20, 256], [ENCR, 12, 256], [INTEG, 12], [PRF, 5], [DH, 19], [DH, 20]);
      const g = selectIkeProposal([mixed], [GCM_IKE]);
      ok(g.ok && shape(g.proposal) === JSON.stringify([[ENCR, 20, 256], [PRF, 5, null], [DH, 19, null]]), 'GCM side');
      const c = selectIkeProposal([mixed], [GUIDE_IKE]);
      ok(c.ok && shape(c.proposal) === JSON.stringify([[ENCR, 12, 256], [INTEG, 12, null], [PRF, 5, null], [DH, 20, null]]), 'CBC side');
    });

    it('an unknown transform ID is skipped; the next transform of its type is used', () => {
      const r = selectIkeProposal([ike(1, [ENCR, 1024, 256], [ENCR, 12, 256], [INTEG, 999], [INTEG, 12], [PRF, 77], [PRF, 5], [DH, 1234], [DH, 20])], [GUIDE_IKE]);
      ok(r.ok, 'chosen');
      equal(shape(r.proposal), shape(GUIDE_IKE), 'the known ones');
    });
    it('a transform with an unknown attribute is unusable (§3.3.6), its siblings are not', () => {
      const withAttr = (p: Proposal, i: number): Proposal => ({ ...p, transforms: p.transforms.map((x, j) => (j === i ? { ...x, attributes: [{ type: 77, value: 1 }] } : x)) });
      const two = ike(1, [ENCR, 12, 256], [ENCR, 12, 256], [INTEG, 12], [PRF, 5], [DH, 20]);
      const r = selectIkeProposal([withAttr(two, 0)], [GUIDE_IKE]);
      ok(r.ok, 'the second AES-CBC-256 is used');
      equal(r.proposal.transforms[0].attributes, undefined, 'the chosen transform carries no foreign attribute');
      ok(!selectIkeProposal([withAttr(ike(1, [ENCR, 12, 256], [INTEG, 12], [PRF, 5], [DH, 20]), 0)], [GUIDE_IKE]).ok, 'alone: refused');
      const secondKeyLength = { ...GUIDE_IKE, transforms: [{ type: ENCR, id: 12, keyLength: 256, attributes: [{ type: 14, value: 128 }] }, ...GUIDE_IKE.transforms.slice(1)] };
      ok(!selectIkeProposal([secondKeyLength], [GUIDE_IKE]).ok, 'a second Key Length is not understood either');
    });
    it('an unknown transform type makes its proposal unacceptable (§3.3.6); the next proposal is processed as usual', () => {
      const addke = ike(1, [ENCR, 12, 256], [INTEG, 12], [PRF, 5], [DH, 20], [6, 36]);
      const r = selectIkeProposal([addke, ike(2, [ENCR, 12, 256], [INTEG, 12], [PRF, 5], [DH, 20])], [GUIDE_IKE]);
      ok(r.ok, 'chosen');
      equal(r.proposal.number, 2, 'proposal 2');
    });
    it('the chosen transforms are copies: attributes returned unmodified, the offer untouched', () => {
      const offered = [ike(3, [ENCR, 12, 256], [INTEG, 12], [PRF, 5], [DH, 20])];
      const before = shape(offered[0]);
      const r = selectIkeProposal(offered, [GUIDE_IKE]);
      ok(r.ok, 'chosen');
      r.proposal.transforms[0].keyLength = 1;
      equal(shape(offered[0]), before, 'offer untouched');
    });
  });

  describe('ESP proposal selection', () => {
    const CBC = esp(1, [ENCR, 12, 256], [INTEG, 12], [ESN, 0]);
    const CBC_PFS = esp(1, [ENCR, 12, 256], [INTEG, 12], [DH, 19], [ESN, 0]);
    const peerSpi = new Uint8Array([1, 2, 3, 4]);
    it("the chosen proposal keeps the offered SPI (the peer's inbound SPI)", () => {
      const r = selectEspProposal([esp(2, [ENCR, 12, 256], [INTEG, 12], [ESN, 0]), esp(1, [ENCR, 12, 256], [INTEG, 12], [ESN, 0])].map((p) => ({ ...p, spi: peerSpi })), [CBC]);
      ok(r.ok, 'chosen');
      bytesEqual(r.proposal.spi, peerSpi, 'SPI');
      equal(r.proposal.number, 2, 'first offered');
      sameJson(r.suite, { encr: 'aes-cbc', encrKeyBits: 256, integ: 'hmac-sha256-128' } satisfies EspSuite, 'suite');
    });
    it('PFS configured: the peer must offer our group (NONE alongside is fine)', () => {
      ok(!selectEspProposal([CBC], [CBC_PFS]).ok, 'no DH offered: refused');
      ok(!selectEspProposal([esp(1, [ENCR, 12, 256], [INTEG, 12], [DH, 20], [ESN, 0])], [CBC_PFS]).ok, 'another group: refused');
      const r = selectEspProposal([esp(1, [ENCR, 12, 256], [INTEG, 12], [DH, 0], [DH, 19], [ESN, 0])], [CBC_PFS]);
      ok(r.ok && r.suite.pfs === 19, 'group 19 chosen');
      equal(shape(r.proposal), shape(CBC_PFS), 'DH 19 in the answer');
    });
    it('no PFS configured: a peer insisting on a DH group is refused; DH NONE is accepted', () => {
      ok(!selectEspProposal([CBC_PFS], [CBC]).ok, 'DH 19 only: refused');
      const r = selectEspProposal([esp(1, [ENCR, 12, 256], [INTEG, 12], [DH, 19], [DH, 0], [ESN, 0])], [CBC]);
      ok(r.ok && r.suite.pfs === undefined, 'DH NONE chosen');
    });
    it('IKE_AUTH (ignoreDh): DH transforms mean nothing on either side and are left out of the answer', () => {
      const a = selectEspProposal([CBC], [CBC_PFS], { ignoreDh: true });
      ok(a.ok && a.suite.pfs === undefined, 'ours has PFS, offer has none');
      const b = selectEspProposal([CBC_PFS], [CBC], { ignoreDh: true });
      ok(b.ok && shape(b.proposal) === shape(CBC), 'offer has DH 19, ours none: DH dropped');
    });
    it('ESN is mandatory for ESP and must be NO_ESN', () => {
      ok(!selectEspProposal([esp(1, [ENCR, 12, 256], [INTEG, 12])], [CBC]).ok, 'no ESN transform');
      ok(!selectEspProposal([esp(1, [ENCR, 12, 256], [INTEG, 12], [ESN, 1])], [CBC]).ok, 'ESN only');
      ok(selectEspProposal([esp(1, [ENCR, 12, 256], [INTEG, 12], [ESN, 1], [ESN, 0])], [CBC]).ok, 'ESN or NO_ESN');
    });
    it('AES-GCM-16 (esp-gcm-256): strongSwan\'s AES_GCM_16_256/NO_EXT_SEQ', () => {
      const ours = espProposalsFromConfig([{ encryption: 'esp-gcm-256' }], undefined, SPI);
      const r = selectEspProposal([esp(1, [ENCR, 20, 256], [ESN, 0])], ours);
      ok(r.ok, 'chosen');
      equal(espSuiteName(r.suite), 'AES_GCM_16_256/NO_EXT_SEQ', 'name');
    });
    it('an encryption-only transform set accepts an offer without INTEG (or INTEG NONE), not one requiring an HMAC', () => {
      const ours = espProposalsFromConfig([{ encryption: 'esp-aes' }], undefined, SPI);
      ok(selectEspProposal([esp(1, [ENCR, 12, 128], [ESN, 0])], ours).ok, 'no INTEG');
      ok(selectEspProposal([esp(1, [ENCR, 12, 128], [INTEG, 12], [INTEG, 0], [ESN, 0])], ours).ok, 'INTEG NONE among others');
      ok(!selectEspProposal([esp(1, [ENCR, 12, 128], [INTEG, 12], [ESN, 0])], ours).ok, 'HMAC required by the peer');
    });
    it('an ESP proposal whose SPI is not 4 bytes, or holding a PRF, is unacceptable', () => {
      ok(!selectEspProposal([{ ...CBC, spi: new Uint8Array(8) }], [CBC]).ok, '8-byte SPI');
      ok(!selectEspProposal([esp(1, [ENCR, 12, 256], [INTEG, 12], [PRF, 5], [ESN, 0])], [CBC]).ok, 'PRF in ESP');
    });
    it('mismatch description', () => {
      const r = selectEspProposal([esp(1, [ENCR, 12, 128], [INTEG, 2], [ESN, 0])], [CBC]);
      ok(!r.ok, 'refused');
      equal(r.offered, 'ESP:AES_CBC_128/HMAC_SHA1_96/NO_EXT_SEQ', 'offered');
      equal(r.acceptable, 'ESP:AES_CBC_256/HMAC_SHA2_256_128/NO_EXT_SEQ', 'acceptable');
    });
  });

  describe("the initiator's check of the responder's choice (RFC 7296 §3.3.6)", () => {
    const sent = [GUIDE_IKE, { ...GCM_IKE, number: 2 }];
    it('a proper answer passes and yields the suite', () => {
      const r = checkChosen(sent, ike(2, [ENCR, 20, 256], [PRF, 5], [DH, 19]));
      ok(r.ok, r.ok ? '' : r.reason);
      equal(r.sent, sent[1], 'the proposal we sent');
      sameJson(r.suite, { encr: 'aes-gcm-16', encrKeyBits: 256, prf: 'sha256', dh: 19 }, 'suite');
    });
    const BAD: [string, Proposal, string][] = [
      ['a number we did not send', ike(3, [ENCR, 12, 256], [INTEG, 12], [PRF, 5], [DH, 20]), 'proposal #3 was not offered'],
      ['two transforms of a type', ike(1, [ENCR, 12, 256], [INTEG, 12], [PRF, 5], [DH, 20], [DH, 20]), 'more than one DH transform'],
      ['a transform of another proposal', ike(1, [ENCR, 20, 256], [INTEG, 12], [PRF, 5], [DH, 20]), 'AES_GCM_16_256 was not offered in proposal #1'],
      ['a changed key length', ike(1, [ENCR, 12, 128], [INTEG, 12], [PRF, 5], [DH, 20]), 'AES_CBC_128 was not offered in proposal #1'],
      ['a missing type', ike(1, [ENCR, 12, 256], [INTEG, 12], [PRF, 5]), 'no DH transform'],
      ['a type we did not send', ike(1, [ENCR, 12, 256], [INTEG, 12], [PRF, 5], [DH, 20], [ESN, 0]), 'NO_EXT_SEQ was not offered in proposal #1'],
      ['another protocol', { ...GUIDE_IKE, protocol: ESP }, 'protocol 3 instead of 1'],
    ];
    for (const [what, chosen, reason] of BAD) {
      it(`refused: ${what}`, () => {
        const r = checkChosen(sent, chosen);
        ok(!r.ok, 'refused');
        equal(r.reason, reason, 'reason');
      });
    }
    it('an attribute added by the responder is refused', () => {
      const chosen = { ...GUIDE_IKE, transforms: GUIDE_IKE.transforms.map((x, i) => (i === 1 ? { ...x, attributes: [{ type: 99, value: 0 }] } : x)) };
      ok(!checkChosen(sent, chosen).ok, 'refused');
    });
    it('ESP: the IKE_AUTH answer may drop our DH transform (ignoreDh), a CREATE_CHILD_SA answer may not', () => {
      const ours = espProposalsFromConfig([{ encryption: 'esp-256-aes', auth: 'esp-hmac-sha-256' }], 19, SPI);
      const answer = esp(1, [ENCR, 12, 256], [INTEG, 12], [ESN, 0]);
      const a = checkChosenEsp(ours, answer, { ignoreDh: true });
      ok(a.ok && a.suite.pfs === undefined, 'IKE_AUTH');
      const b = checkChosenEsp(ours, answer);
      ok(!b.ok && b.reason === 'no DH transform', 'CREATE_CHILD_SA');
      const c = checkChosenEsp(ours, esp(1, [ENCR, 12, 256], [INTEG, 12], [DH, 19], [ESN, 0]));
      ok(c.ok && c.suite.pfs === 19, 'with PFS');
      ok(!checkChosenEsp(ours, { ...answer, spi: new Uint8Array(8) }, { ignoreDh: true }).ok, '8-byte SPI');
    });
  });
}

// ---- suite names -------------------------------------------------------------------------------------------

function namesSuite(): void {
  describe('a suite under its names', () => {
    const cbc: IkeSuite = { encr: 'aes-cbc', encrKeyBits: 256, integ: 'sha256', prf: 'sha256', dh: 19 };
    const gcm: IkeSuite = { encr: 'aes-gcm-16', encrKeyBits: 128, prf: 'sha384', dh: 21 };
    it("strongSwan's names (strongswan-peer.md: selected proposal IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_256)", () => {
      equal(ikeSuiteName(cbc), 'AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_256', 'CBC');
      equal(ikeSuiteName(gcm), 'AES_GCM_16_128/PRF_HMAC_SHA2_384/ECP_521', 'GCM');
      equal(espSuiteName({ encr: 'aes-cbc', encrKeyBits: 256, integ: 'hmac-sha256-128' }), 'AES_CBC_256/HMAC_SHA2_256_128/NO_EXT_SEQ', 'ESP');
      equal(espSuiteName({ encr: 'aes-cbc', encrKeyBits: 192, integ: 'hmac-sha1-96', pfs: 20 }), 'AES_CBC_192/HMAC_SHA1_96/ECP_384/NO_EXT_SEQ', 'ESP + PFS');
    });
    it('key lengths (RFC 7296 §2.14, RFC 4868 §2.1.1 key = digest length, RFC 5282 / RFC 4106 4-byte salt)', () => {
      sameJson(ikeKeyLengths(cbc), { encr: 32, integ: 32 }, 'AES-CBC-256 / SHA-256');
      sameJson(ikeKeyLengths({ ...cbc, encrKeyBits: 128, integ: 'sha1' }), { encr: 16, integ: 20 }, 'AES-CBC-128 / SHA-1');
      sameJson(ikeKeyLengths({ ...cbc, encrKeyBits: 192, integ: 'sha512' }), { encr: 24, integ: 64 }, 'AES-CBC-192 / SHA-512');
      sameJson(ikeKeyLengths(gcm), { encr: 20, integ: 0 }, 'AES-GCM-128');
      sameJson(ikeKeyLengths({ ...gcm, encrKeyBits: 256 }), { encr: 36, integ: 0 }, 'AES-GCM-256');
      sameJson(espKeyLengths({ encr: 'aes-cbc', encrKeyBits: 192, integ: 'hmac-sha384-192' }), { encr: 24, integ: 48 }, 'ESP CBC-192 / SHA-384');
      sameJson(espKeyLengths({ encr: 'aes-gcm-16', encrKeyBits: 256 }), { encr: 36, integ: 0 }, 'ESP GCM-256');
      equal(prfAlg(gcm), 'sha384', 'prf');
    });
    it('SK payload protection: ICV = truncated HMAC (12/16/24/32) or 16 for GCM', () => {
      const icv = { sha1: 12, sha256: 16, sha384: 24, sha512: 32 } as const;
      for (const h of ['sha1', 'sha256', 'sha384', 'sha512'] as const) sameJson(skSuite({ ...cbc, integ: h }), { cipher: 'aes-cbc', integ: h, icvLen: icv[h] }, h);
      sameJson(skSuite(gcm), { cipher: 'aes-gcm-16', icvLen: 16 }, 'GCM');
    });
    it("Wireshark's decryption-table names (packet-isakmp.c, packet-esp.c)", () => {
      sameJson(ikeWiresharkNames(cbc), { encr: 'AES-CBC-256 [RFC3602]', integ: 'HMAC_SHA2_256_128 [RFC4868]' }, 'IKE CBC');
      sameJson(ikeWiresharkNames({ ...cbc, encrKeyBits: 128, integ: 'sha1' }), { encr: 'AES-CBC-128 [RFC3602]', integ: 'HMAC_SHA1_96 [RFC2404]' }, 'IKE SHA-1');
      sameJson(ikeWiresharkNames({ ...cbc, integ: 'sha384' }).integ, 'HMAC_SHA2_384_192 [RFC4868]', 'IKE SHA-384');
      sameJson(ikeWiresharkNames({ ...cbc, integ: 'sha512' }).integ, 'HMAC_SHA2_512_256 [RFC4868]', 'IKE SHA-512');
      sameJson(ikeWiresharkNames({ ...gcm, encrKeyBits: 256 }), { encr: 'AES-GCM-256 with 16 octet ICV [RFC5282]', integ: 'NONE [RFC4306]' }, 'IKE GCM');
      sameJson(espWiresharkNames({ encr: 'aes-cbc', encrKeyBits: 128, integ: 'hmac-sha1-96' }), { encr: 'AES-CBC [RFC3602]', auth: 'HMAC-SHA-1-96 [RFC2404]' }, 'ESP SHA-1');
      sameJson(espWiresharkNames({ encr: 'aes-cbc', encrKeyBits: 256, integ: 'hmac-sha256-128' }).auth, 'HMAC-SHA-256-128 [RFC4868]', 'ESP SHA-256');
      sameJson(espWiresharkNames({ encr: 'aes-cbc', encrKeyBits: 256, integ: 'hmac-sha384-192' }).auth, 'HMAC-SHA-384-192 [RFC4868]', 'ESP SHA-384');
      sameJson(espWiresharkNames({ encr: 'aes-cbc', encrKeyBits: 256, integ: 'hmac-sha512-256' }).auth, 'HMAC-SHA-512-256 [RFC4868]', 'ESP SHA-512');
      sameJson(espWiresharkNames({ encr: 'aes-gcm-16', encrKeyBits: 256 }), { encr: 'AES-GCM with 16 octet ICV [RFC4106]', auth: 'NULL' }, 'ESP GCM');
      sameJson(wiresharkNames(cbc), ikeWiresharkNames(cbc), 'dispatch IKE');
      sameJson(wiresharkNames({ encr: 'aes-gcm-16', encrKeyBits: 128 } as EspSuite), { encr: 'AES-GCM with 16 octet ICV [RFC4106]', auth: 'NULL' }, 'dispatch ESP');
    });
    it("IOS XR's show names (the guide: AES-CBC/128, SHA1/SHA256/20; AES-GCM 256 ESP HMAC None; ESP_192_AES HMAC_SHA_256)", () => {
      sameJson(ikeSuiteView({ encr: 'aes-cbc', encrKeyBits: 128, integ: 'sha256', prf: 'sha1', dh: 20 }),
        { encryption: 'AES-CBC', keySize: 128, prf: 'SHA1', hash: 'SHA256', dhGroup: 20 }, 'IKE');
      sameJson(ikeSuiteView(gcm), { encryption: 'AES-GCM', keySize: 128, prf: 'SHA384', hash: 'None', dhGroup: 21 }, 'IKE GCM');
      sameJson(espSuiteView({ encr: 'aes-gcm-16', encrKeyBits: 256 }),
        { encryption: 'AES-GCM', keySize: 256, espHmac: 'None', encrypt: 'ESP_GCM_256', auth: 'None' }, 'ESP GCM');
      sameJson(espSuiteView({ encr: 'aes-cbc', encrKeyBits: 192, integ: 'hmac-sha256-128', pfs: 20 }),
        { encryption: 'AES-CBC', keySize: 192, espHmac: 'SHA256', encrypt: 'ESP_192_AES', auth: 'HMAC_SHA_256', pfsGroup: 20 }, 'ESP CBC');
      equal(espSuiteView({ encr: 'aes-cbc', encrKeyBits: 128, integ: 'hmac-sha1-96' }).encrypt, 'ESP_AES', 'esp-aes');
      equal(espSuiteView({ encr: 'aes-cbc', encrKeyBits: 256, integ: 'hmac-sha384-192' }).auth, 'HMAC_SHA_384', 'sha-384');
    });
  });
}

// ---- properties --------------------------------------------------------------------------------------------

const arbIkeProposal: fc.Arbitrary<Ikev2Proposal> = fc.record({
  encryption: fc.uniqueArray(fc.constantFrom('aes-cbc-128', 'aes-cbc-192', 'aes-cbc-256', 'aes-gcm-128', 'aes-gcm-256'), { minLength: 1, maxLength: 5 }),
  integrity: fc.uniqueArray(fc.constantFrom('sha-1', 'sha-256', 'sha-384', 'sha-512'), { minLength: 1, maxLength: 4 }),
  prf: fc.uniqueArray(fc.constantFrom('sha-1', 'sha-256', 'sha-384', 'sha-512'), { maxLength: 4 }),
  dhGroup: fc.uniqueArray(fc.constantFrom(19, 20, 21), { minLength: 1, maxLength: 3 }),
}) as fc.Arbitrary<Ikev2Proposal>;

const arbTransform: fc.Arbitrary<Transform> = fc.record({
  type: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 5 }), weight: 20 }, { arbitrary: fc.integer({ min: 0, max: 12 }), weight: 1 }),
  id: fc.oneof({ arbitrary: fc.constantFrom(0, 2, 5, 12, 13, 14, 19, 20, 21), weight: 4 }, { arbitrary: fc.integer({ min: 0, max: 1100 }), weight: 1 }),
  keyLength: fc.option(fc.constantFrom(128, 192, 256, 64), { nil: undefined }),
  attributes: fc.option(fc.array(fc.record({ type: fc.integer({ min: 0, max: 0x7fff }), value: fc.integer({ min: 0, max: 0xffff }) }), { minLength: 1, maxLength: 2 }), { nil: undefined, freq: 8 }),
}, { requiredKeys: ['type', 'id'] });

const arbOffer = (protocol: number): fc.Arbitrary<Proposal[]> => fc.array(fc.record({
  number: fc.integer({ min: 1, max: 255 }), protocol: fc.constant(protocol),
  spi: fc.constant(protocol === ESP ? SPI : NO_SPI), transforms: fc.array(arbTransform, { maxLength: 14 }),
}), { maxLength: 4 });

const within = (chosen: Proposal, p: Proposal) => chosen.transforms.every((x) => p.transforms.some((y) => y.type === x.type && y.id === x.id && y.keyLength === x.keyLength));

function propertySuite(): void {
  describe('properties', () => {
    it('any configured proposal accepts itself, at the first algorithm of each list, and the initiator agrees', () => {
      fc.assert(fc.property(arbIkeProposal, (p) => {
        const wire = ikeProposalsFromConfig([p]);
        ok(wire.length >= 1, 'offered');
        const r = selectIkeProposal(wire, wire);
        ok(r.ok, 'chosen');
        const firstKind = p.encryption[0].startsWith('aes-gcm') ? 'aes-gcm-16' : 'aes-cbc';
        equal(r.suite.encr, firstKind, 'first encryption kind');
        equal(r.suite.encrKeyBits, Number(p.encryption[0].slice(-3)), 'first key size');
        equal(r.suite.dh, p.dhGroup[0], 'first group');
        equal(r.suite.prf, (p.prf[0] ?? p.integrity[0]).replace('-', ''), 'first PRF');
        if (firstKind === 'aes-cbc') equal(r.suite.integ, p.integrity[0].replace('-', ''), 'first integrity');
        const c = checkChosen(wire, r.proposal);
        ok(c.ok, c.ok ? '' : c.reason);
        sameJson(c.suite, r.suite, 'same suite both sides');
      }), { numRuns: 500 });
    });
    it('any ESP configuration accepts itself, and the initiator agrees', () => {
      const arbTs = fc.record({
        encryption: fc.constantFrom('esp-aes', 'esp-192-aes', 'esp-256-aes', 'esp-gcm-128', 'esp-gcm-256'),
        auth: fc.option(fc.constantFrom('esp-hmac-sha1', 'esp-hmac-sha-256', 'esp-hmac-sha-384', 'esp-hmac-sha-512'), { nil: undefined }),
      }, { requiredKeys: ['encryption'] }) as fc.Arbitrary<TransformSet>;
      fc.assert(fc.property(fc.array(arbTs, { minLength: 1, maxLength: 5 }), fc.constantFrom(undefined, 19, 20, 21), (sets, pfs) => {
        const wire = espProposalsFromConfig(sets, pfs as 19 | undefined, SPI);
        const r = selectEspProposal(wire, wire);
        ok(r.ok, 'chosen');
        equal(r.proposal.number, 1, 'the first set');
        equal(r.suite.pfs, pfs, 'pfs');
        const c = checkChosenEsp(wire, r.proposal);
        ok(c.ok, c.ok ? '' : c.reason);
        sameJson(c.suite, r.suite, 'same suite');
      }), { numRuns: 300 });
    });
    it('arbitrary offers never throw; whatever is chosen is one offered proposal, one transform per type, within one of ours', () => {
      const ours = ikeProposalsFromConfig([
        proposal({ encryption: ['aes-cbc-256', 'aes-gcm-128'], integrity: ['sha-256', 'sha-1'], prf: ['sha-256'], dhGroup: [19, 20] }),
        proposal({ encryption: ['aes-cbc-128'], integrity: ['sha-512'], prf: ['sha-1', 'sha-512'], dhGroup: [21] }),
      ]);
      const oursEsp = espProposalsFromConfig([{ encryption: 'esp-256-aes', auth: 'esp-hmac-sha-256' }, { encryption: 'esp-gcm-128' }], 20, SPI);
      // one of our proposals with some transforms dropped, so that a fair share of offers succeed
      const extra = (protocol: number) => fc.tuple(fc.constantFrom(...(protocol === IKE ? ours : oursEsp)), fc.array(fc.nat(5), { minLength: 12, maxLength: 12 }))
        .map(([p, keep]) => p.transforms.filter((_, i) => keep[i] !== 0));
      for (const [protocol, acceptable] of [[IKE, ours], [ESP, oursEsp]] as const) {
        let chosen = 0;
        fc.assert(fc.property(arbOffer(protocol), extra(protocol), (offer, salt) => {
          if (offer.length) offer[0] = { ...offer[0], transforms: [...offer[0].transforms, ...salt] };
          const r = protocol === IKE ? selectIkeProposal(offer, acceptable) : selectEspProposal(offer, acceptable);
          if (!r.ok) { ok(r.offered.length > 0 && r.acceptable.length > 0, 'descriptions'); return; }
          chosen++;
          const from = offer.find((p) => p.number === r.proposal.number && within(r.proposal, p));
          ok(from, 'chosen from an offered proposal');
          ok(acceptable.some((p) => within(r.proposal, p)), 'within one of ours');
          const types = r.proposal.transforms.map((x) => x.type);
          equal(new Set(types).size, types.length, 'one transform per type');
          ok(r.proposal.transforms.every((x) => !x.attributes?.length), 'no unknown attribute');
          const c = protocol === IKE ? checkChosen([from!], r.proposal) : checkChosenEsp([from!], r.proposal);
          ok(c.ok, `the offerer accepts it: ${c.ok ? '' : c.reason}`);
        }), { numRuns: 1500 });
        ok(chosen >= 150, `${protocol === IKE ? 'IKE' : 'ESP'}: only ${chosen} of 1500 offers were acceptable — the property says little`);
      }
    });
    it('FQDN domain: any labels before the domain match, in any case; the domain alone or glued to a label does not', () => {
      const label = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,10}$/);
      const caseFlip = (s: string, bits: number[]) => [...s].map((c, i) => (bits[i % bits.length] ? c.toUpperCase() : c)).join('');
      fc.assert(fc.property(fc.array(label, { minLength: 1, maxLength: 4 }), fc.array(label, { minLength: 1, maxLength: 3 }), fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1 }),
        (host, dom, bits) => {
          const d = dom.join('.');
          const name = caseFlip(`${host.join('.')}.${d}`, bits);
          ok(domainMatches(name, d), `${name} in ${d}`);
          ok(domainMatches(name, d.toUpperCase()), 'upper-case domain');
          ok(!domainMatches(d, d), 'the domain itself');
          ok(!domainMatches(`${host[0]}${d}`, d), 'glued');
          ok(fqdnMatches(name, name.toLowerCase()) && fqdnMatches(name.toUpperCase(), name), 'FQDN case-insensitive');
        }), { numRuns: 500 });
    });
    it('address/mask: an address matches every prefix of itself, and no prefix differing in a network bit', () => {
      const dotted = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
      fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 0xffffffff }), fc.nat(31),
        (addr, len, noise, bit) => {
          const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
          const prefix = (((addr & mask) | (noise & ~mask)) >>> 0);
          ok(inPrefix(dotted(addr), { address: dotted(prefix), mask: dotted(mask) }), 'in its prefix (host bits ignored)');
          if (len > 0) {
            const b = 31 - (bit % len);
            ok(!inPrefix(dotted((addr ^ (1 << b)) >>> 0), { address: dotted(prefix), mask: dotted(mask) }), `network bit ${b} flipped`);
          }
        }), { numRuns: 1000 });
    });
  });
}


export function ikePolicySuite(): void {
  registrySuite();
  selectionSuite();
  namesSuite();
  propertySuite();
  guideRulesSuite();
}
