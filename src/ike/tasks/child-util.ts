// What IKE_AUTH and CREATE_CHILD_SA share about Child SAs: offering ESP proposals with our SPI, choosing
// or checking the peer's choice (RFC 7296 §2.7, §3.3), and announcing keys to the key log.
import type { Bytes } from '../../crypto/bytes.js';
import type { ChildKeys } from '../../crypto/kdf.js';
import { TransformType } from '../codec/constants.js';
import type { Proposal } from '../codec/types.js';
import { type EspSuite, checkChosenEsp, selectEspProposal, espWiresharkNames, ikeWiresharkNames } from '../proposals.js';
import type { IkeEngine } from '../engine.js';
import type { IkeSa } from '../sa.js';
import type { ChildSa } from '../child.js';
import type { AuthPlan } from '../plan.js';
import { peerIdentity } from '../payload-util.js';

export function spiBytes(spi: number): Bytes {
  return new Uint8Array([spi >>> 24, (spi >>> 16) & 0xff, (spi >>> 8) & 0xff, spi & 0xff]);
}

export function spiNumber(b: Bytes): number {
  return b.length === 4 ? ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0 : 0;
}

const stripDh = (p: Proposal): Proposal => ({ ...p, transforms: p.transforms.filter((t) => t.type !== TransformType.DH) });

/**
 * Our ESP proposals with our inbound SPI. In IKE_AUTH no DH transform is offered (no KE there, RFC 7296
 * §1.2; strongSwan strips them the same way); in CREATE_CHILD_SA the PFS group is offered.
 */
export function espOffer(proposals: Proposal[], spi: Bytes, pfs: boolean | undefined): Proposal[] {
  return proposals.map((p) => ({ ...(pfs ? p : stripDh(p)), spi }));
}

export type EspChoice =
  | { ok: true; suite: EspSuite; proposal: Proposal; peerSpi: number }
  | { ok: false; reason: string };

/**
 * Initiator: check the responder's single proposal against what we offered. Responder: pick the first
 * acceptable offered proposal. `ikeAuth` ignores DH transforms on both sides.
 */
export function chooseEsp(ours: Proposal[], theirs: Proposal[], weInitiated: boolean, ikeAuth: boolean): EspChoice {
  const mine = ikeAuth ? ours.map(stripDh) : ours;
  const peer = ikeAuth ? theirs.map(stripDh) : theirs;
  if (weInitiated) {
    if (peer.length !== 1) return { ok: false, reason: `responder returned ${peer.length} proposals` };
    const c = checkChosenEsp(mine, peer[0]);
    if (!c.ok) return { ok: false, reason: `responder chose a proposal we did not offer (${c.reason})` };
    return { ok: true, suite: c.suite, proposal: peer[0], peerSpi: spiNumber(peer[0].spi) };
  }
  const s = selectEspProposal(peer, mine);
  if (!s.ok) return { ok: false, reason: `NO_PROPOSAL_CHOSEN: received proposals ${s.offered}, configured proposals ${s.acceptable}` };
  return { ok: true, suite: s.suite, proposal: s.proposal, peerSpi: spiNumber(s.proposal.spi) };
}

/**
 * The ESP side of an SA's plan as the configuration says now (a commit since IKE_AUTH changes what new
 * Child SAs negotiate, as on IOS XR); the plan of IKE_AUTH when the configuration no longer has one.
 */
export function currentPlan(engine: IkeEngine, sa: IkeSa): AuthPlan | undefined {
  const old = sa.plan;
  if (!old) return undefined;
  let now: Pick<AuthPlan, 'espProposals' | 'pfs' | 'childLifetimeSec'> | undefined;
  if (sa.initiator && sa.tunnel) now = engine.policy.tunnels().find((t) => t.tunnel === sa.tunnel);
  else if (sa.remoteId) {
    const r = engine.policy.responderPlan(sa.local.addr, sa.remote.addr, peerIdentity(sa.remoteId));
    if (!('error' in r)) now = r;
  }
  if (now) sa.plan = { ...old, espProposals: now.espProposals, pfs: now.pfs, childLifetimeSec: now.childLifetimeSec };
  return sa.plan;
}

/** Wireshark's IKEv2 decryption table entry for an IKE SA (only consumers of onKeys see it). */
export function emitIkeKeys(engine: IkeEngine, sa: IkeSa): void {
  if (!engine.wantsKeys) return;
  const k = sa.keys!, names = ikeWiresharkNames(sa.suite!);
  engine.emitKeys({
    kind: 'ike-keys', spiI: sa.spiI, spiR: sa.spiR, wiresharkEncr: names.encr, wiresharkInteg: names.integ,
    skEi: k.skEi.slice(), skEr: k.skEr.slice(), skAi: k.skAi.slice(), skAr: k.skAr.slice(),
  });
}

/** ESP SA entries, one per direction, with the outer (UDP-encapsulation) addresses. */
export function emitChildKeys(engine: IkeEngine, sa: IkeSa, child: ChildSa, keys: ChildKeys): void {
  if (!engine.wantsKeys) return;
  const names = espWiresharkNames(child.suite);
  const [outE, outA, inE, inA] = child.exchangeInitiator
    ? [keys.encrI, keys.integI, keys.encrR, keys.integR]
    : [keys.encrR, keys.integR, keys.encrI, keys.integI];
  engine.emitKeys({ kind: 'esp-keys', src: sa.local.addr, dst: sa.remote.addr, spi: child.spiOut,
    wiresharkEncr: names.encr, wiresharkAuth: names.auth, encKey: outE.slice(), authKey: outA.slice() });
  engine.emitKeys({ kind: 'esp-keys', src: sa.remote.addr, dst: sa.local.addr, spi: child.spiIn,
    wiresharkEncr: names.encr, wiresharkAuth: names.auth, encKey: inE.slice(), authKey: inA.slice() });
}
