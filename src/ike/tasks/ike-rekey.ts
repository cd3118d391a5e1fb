// Rekeying the IKE SA itself with CREATE_CHILD_SA (RFC 7296 §1.3.2, §2.18), collisions §2.8.2:
//
//   Initiator                                   Responder
//   HDR, SK {SA(IKE, new SPIi), Ni, KEi}  -->
//                                         <--  HDR, SK {SA(IKE, new SPIr), Nr, KEr}
//   (old SA) HDR, SK {D(IKE)}             -->
//                                         <--  HDR, SK {}
//
//   SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr); SK_* = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr)
// The new IKE SA takes over every Child SA; whoever started the rekey is the new SA's initiator. A PPK
// mixed into the first IKE SA is inherited through SK_d (RFC 8784 §3).
import type { Bytes } from '../../crypto/bytes.js';
import { ikeKeys, rekeySkeyseed } from '../../crypto/kdf.js';
import { platform, type DhGroup, type EcdhKeyPair } from '../../crypto/platform.js';
import { ExchangeType, NotifyType, PayloadType, ProtocolId } from '../codec/constants.js';
import type { Payload } from '../codec/types.js';
import { checkChosen, ikeKeyLengths, ikeSuiteName, prfAlg, selectIkeProposal, type IkeSuite } from '../proposals.js';
import type { IkeEngine } from '../engine.js';
import { IkeSa } from '../sa.js';
import { del, errorNotify, first, ke, nonce, notify, notifyName, sa as saPayload } from '../payload-util.js';
import { emitIkeKeys } from './child-util.js';
import { lowestNonceIsOurs } from './child-rekey.js';

const NONCE_LEN = 32;
const RETRY_MS = 2000;

function withSpi<T extends { spi: Bytes }>(ps: T[], spi: Bytes): T[] { return ps.map((p) => ({ ...p, spi })); }

/** Build the successor SA and move everything the old one owned onto it. */
function successor(engine: IkeEngine, old: IkeSa, weInitiated: boolean, spiI: Bytes, spiR: Bytes, suite: IkeSuite,
  gir: Bytes, ni: Bytes, nr: Bytes): IkeSa {
  const alg = prfAlg(old.suite!);
  const seed = rekeySkeyseed(engine.core, alg, old.keys!.skD, gir, ni, nr);
  const sa = new IkeSa(engine.ctx, { initiator: weInitiated, spiI, spiR, local: old.local, remote: old.remote });
  sa.suite = suite;
  sa.ni = ni; sa.nr = nr;
  sa.installKeys(ikeKeys(engine.core, prfAlg(suite), seed, ni, nr, spiI, spiR, ikeKeyLengths(suite)));
  sa.settleKeys(false);
  seed.fill(0);
  sa.plan = old.plan; sa.tunnel = old.tunnel; sa.localId = old.localId; sa.remoteId = old.remoteId;
  sa.ppkUsed = old.ppkUsed; sa.lifetimeSec = old.lifetimeSec; sa.natLocal = old.natLocal; sa.natRemote = old.natRemote;
  sa.peerFragmentation = old.peerFragmentation;
  sa.fromRekey = true;
  sa.state = 'established';
  sa.establishedAt = engine.now;
  sa.manager.onRequest = engine.requestHandler(sa);
  engine.register(sa);
  return sa;
}

/** Move the Child SAs over once the rekey is certain (not redundant). */
export function adopt(engine: IkeEngine, old: IkeSa, sa: IkeSa): void {
  // the Child SAs' timers belong to the engine and follow them (engine.armChild)
  for (const c of old.children.splice(0)) sa.children.push(c);
  old.successor = sa;
  emitIkeKeys(engine, sa);
  engine.armLifetimes(sa);
  engine.trace(`IKE SA ${old.id} rekeyed: new IKE SA ${sa.id} (${ikeSuiteName(sa.suite!)})`, sa);
  engine.changed(sa);
}

export async function rekeyIkeSa(engine: IkeEngine, old: IkeSa, group: number = old.suite!.dh, attempt = 0): Promise<void> {
  const proposals = engine.policy.ikeProposals(old.local.addr);
  if (!proposals?.length || old.state !== 'established') return;
  old.state = 'rekeying';
  old.peerIkeRekey = undefined;
  /**
   * Our exchange failed. A rekey of the peer that crossed ours may have succeeded meanwhile: then its
   * new SA takes over (the peer deletes the old one); otherwise the old SA carries on.
   */
  const failed = (why: string, retryMs?: number) => {
    engine.trace(`IKE SA rekey failed: ${why}`, old);
    if (old.state !== 'rekeying') return;
    const theirs = old.peerIkeRekey as IkeSa['peerIkeRekey'];
    if (theirs && theirs.sa.state !== 'dead') {
      adopt(engine, old, theirs.sa);
      old.state = 'rekeyed';
      if (old.deletedByPeer) engine.remove(old, 'deleted by peer');
      return;
    }
    if (old.deletedByPeer) { engine.remove(old, 'deleted by peer'); return; }
    old.state = 'established';
    if (retryMs !== undefined) old.setTimer('ike-rekey', retryMs, () => engine.startIkeRekey(old));
  };
  const spi = engine.newIkeSpi();
  const ni = engine.random(NONCE_LEN);
  let kp: EcdhKeyPair;
  try { kp = await platform().ecdhGenerate(group as DhGroup); } catch (e) { failed((e as Error).message); return; }
  let resp: Payload[];
  try {
    resp = await old.manager.request(ExchangeType.CREATE_CHILD_SA, [saPayload(withSpi(proposals, spi)), nonce(ni), ke(group, kp.publicKe)]);
  } catch {
    await engine.drain(old);
    failed('no answer');
    return;
  }
  await engine.drain(old); // a crossing rekey of the peer may be mid-way through its responder task
  const err = errorNotify(resp);
  const sap = first(resp, PayloadType.SA), nr = first(resp, PayloadType.NONCE), kep = first(resp, PayloadType.KE);
  if (err?.notify === NotifyType.INVALID_KE_PAYLOAD && err.data.length === 2 && attempt === 0) {
    const want = (err.data[0] << 8) | err.data[1];
    const offered = proposals.some((p) => p.transforms.some((t) => t.type === 4 && t.id === want));
    failed(`peer wants DH group ${want}${offered ? ': retrying' : ', which we do not offer'}`);
    if (offered && (old.state as string) === 'established') engine.task(old, rekeyIkeSa(engine, old, want as DhGroup, 1));
    return;
  }
  if (err || !sap || !nr || !kep || sap.proposals.length !== 1) {
    // TEMPORARY_FAILURE: the peer is busy with a Child SA exchange; anything else: the lifetime decides
    failed(err ? `peer answered ${notifyName(err.notify)}` : 'incomplete response',
      !err || err.notify === NotifyType.TEMPORARY_FAILURE ? RETRY_MS : undefined);
    return;
  }
  const chosen = checkChosen(proposals, sap.proposals[0]);
  if (!chosen.ok || kep.group !== chosen.suite.dh || kep.group !== group || sap.proposals[0].spi.length !== 8) {
    failed('invalid response');
    return;
  }
  let gir: Bytes;
  try { gir = await platform().ecdhDerive(kp, kep.data); } catch { failed("peer's public value refused"); return; }
  if (old.state !== 'rekeying' || !old.keys) { gir.fill(0); return; }
  const sa = successor(engine, old, true, spi, sap.proposals[0].spi, chosen.suite, gir, ni, nr.data);
  gir.fill(0);
  const theirs = old.peerIkeRekey as IkeSa['peerIkeRekey']; // set meanwhile by respondIkeRekey
  if (theirs && theirs.sa.state !== 'dead' && lowestNonceIsOurs({ ni, nr: nr.data }, theirs)) {
    // §2.8.2: our new SA is redundant; the peer's survives: it takes the children, the peer deletes the old SA
    engine.trace(`simultaneous IKE rekey: our new IKE SA ${sa.id} is redundant, deleting it`, old);
    adopt(engine, old, theirs.sa);
    old.state = 'rekeyed';
    if (old.deletedByPeer) engine.remove(old, 'deleted by peer');
    await deleteAndRemove(engine, sa, 'redundant after simultaneous rekey');
    return;
  }
  adopt(engine, old, sa);
  old.state = 'rekeyed';
  if (old.deletedByPeer) engine.remove(old, 'rekeyed (deleted by peer)');
  else await deleteAndRemove(engine, old, 'rekeyed');
}

async function deleteAndRemove(engine: IkeEngine, sa: IkeSa, reason: string): Promise<void> {
  sa.state = 'deleting';
  try { await sa.manager.request(ExchangeType.INFORMATIONAL, [del(ProtocolId.IKE, [])]); } catch { /* gone either way */ }
  engine.remove(sa, reason);
}

/** Responder side of an IKE SA rekey (called from the CREATE_CHILD_SA dispatcher). */
export async function respondIkeRekey(engine: IkeEngine, old: IkeSa, req: Payload[]): Promise<Payload[]> {
  // not while a Child SA exchange is open on this SA: its Deletes would land on the wrong IKE SA (strongSwan
  // answers the same way, RFC 7296 §2.25)
  if ((old.state !== 'established' && old.state !== 'rekeying') || engine.childExchangeOpen(old)) return [notify(NotifyType.TEMPORARY_FAILURE)];
  const sap = first(req, PayloadType.SA)!, ni = first(req, PayloadType.NONCE), kep = first(req, PayloadType.KE);
  if (!ni || !kep) return [notify(NotifyType.INVALID_SYNTAX)];
  const acceptable = engine.policy.ikeProposals(old.local.addr) ?? [];
  const sel = selectIkeProposal(sap.proposals, acceptable, { keGroup: kep.group });
  if (!sel.ok) {
    engine.trace(`IKE SA rekey: NO_PROPOSAL_CHOSEN: received proposals ${sel.offered}, configured proposals ${sel.acceptable}`, old);
    return [notify(NotifyType.NO_PROPOSAL_CHOSEN)];
  }
  if (sel.proposal.spi.length !== 8) return [notify(NotifyType.INVALID_SYNTAX)];
  if (kep.group !== sel.suite.dh) return [notify(NotifyType.INVALID_KE_PAYLOAD, new Uint8Array([sel.suite.dh >> 8, sel.suite.dh & 0xff]))];
  let kp: EcdhKeyPair, gir: Bytes;
  try {
    kp = await platform().ecdhGenerate(sel.suite.dh as DhGroup);
    gir = await platform().ecdhDerive(kp, kep.data);
  } catch { return [notify(NotifyType.INVALID_SYNTAX)]; }
  if (old.state !== 'established' && old.state !== 'rekeying') { gir.fill(0); return [notify(NotifyType.TEMPORARY_FAILURE)]; }
  const spi = engine.newIkeSpi();
  const nr = engine.random(NONCE_LEN);
  const sa = successor(engine, old, false, sel.proposal.spi, spi, sel.suite, gir, ni.data, nr);
  gir.fill(0);
  if (old.state === 'rekeying') {
    // a collision: keep the children on the old SA until our own exchange decides (§2.8.2)
    old.peerIkeRekey = { ni: ni.data, nr, sa };
  } else {
    adopt(engine, old, sa);
    old.state = 'rekeyed';
  }
  return [saPayload([{ ...sel.proposal, spi }]), nonce(nr), ke(sel.suite.dh, kp.publicKe)];
}
