// CREATE_CHILD_SA for Child SAs (RFC 7296 §1.3.1 new, §1.3.3 rekey, §2.8 make-before-break, §2.8.1
// simultaneous rekeying), with optional PFS (KE payloads, groups 19/20/21):
//
//   Initiator                                   Responder
//   HDR, SK {N(REKEY_SA), SA, Ni, [KEi], TSi, TSr}  -->
//                                         <--  HDR, SK {SA, Nr, [KEr], TSi, TSr}
//   HDR, SK {D(old SPI)}                  -->                     (the old Child SA goes last)
//                                         <--  HDR, SK {D(old SPI)}
//
// Make-before-break: both new ESP SAs are installed before the old ones are deleted; the rekey initiator
// sends on the new SA as soon as the response arrives, the responder once the old SA is deleted, so that
// no packet meets an SPI its receiver does not know yet.
import type { Bytes } from '../../crypto/bytes.js';
import { childKeys } from '../../crypto/kdf.js';
import { platform, type DhGroup, type EcdhKeyPair } from '../../crypto/platform.js';
import { ExchangeType, NotifyType, PayloadType, ProtocolId, TransformType } from '../codec/constants.js';
import type { Payload } from '../codec/types.js';
import { espKeyLengths, prfAlg } from '../proposals.js';
import type { IkeEngine } from '../engine.js';
import type { IkeSa } from '../sa.js';
import { ChildSa } from '../child.js';
import { ANY_V4, del, errorNotify, findNotify, first, ke, nonce, notify, notifyName, sa as saPayload, tsi, tsr } from '../payload-util.js';
import { chooseEsp, currentPlan, emitChildKeys, espOffer, spiBytes, spiNumber } from './child-util.js';
import { respondIkeRekey } from './ike-rekey.js';

const NONCE_LEN = 32;
const RETRY_MS = 2000;

/** The lowest of the four nonces decides which of two simultaneous rekeys is redundant (§2.8.1). */
export function lowestNonceIsOurs(ours: { ni: Bytes; nr: Bytes }, theirs: { ni: Bytes; nr: Bytes }): boolean {
  const cmp = (a: Bytes, b: Bytes) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
  };
  const min = (a: Bytes, b: Bytes) => (cmp(a, b) <= 0 ? a : b);
  return cmp(min(ours.ni, ours.nr), min(theirs.ni, theirs.nr)) < 0;
}

function pfsGroupOf(choiceTransforms: { type: number; id: number }[]): number | undefined {
  return choiceTransforms.find((t) => t.type === TransformType.DH && t.id !== 0)?.id;
}

export async function rekeyChildSa(engine: IkeEngine, sa: IkeSa, old: ChildSa): Promise<void> {
  const plan = currentPlan(engine, sa);
  if (!plan || old.state !== 'installed') return;
  old.state = 'rekeying';
  old.peerRekey = undefined;
  const back = (retryMs?: number) => {
    if (old.state !== 'rekeying') return;
    old.state = 'installed';
    if (retryMs !== undefined) engine.retryChildRekey(old, retryMs);
  };
  const spiIn = engine.newEspSpi();
  const ni = engine.random(NONCE_LEN);
  let kp: EcdhKeyPair | undefined;
  if (plan.pfs) {
    try { kp = await platform().ecdhGenerate(plan.pfs as DhGroup); } catch (e) {
      engine.trace(`rekeying Child SA ${hex8(old.spiIn)}: ${(e as Error).message}`, sa);
      back(RETRY_MS);
      return;
    }
  }
  if (sa.state === 'dead') return;
  const payloads: Payload[] = [
    notify(NotifyType.REKEY_SA, undefined, ProtocolId.ESP, spiBytes(old.spiIn)),
    saPayload(espOffer(plan.espProposals, spiBytes(spiIn), !!plan.pfs)), nonce(ni),
    ...(kp ? [ke(plan.pfs!, kp.publicKe)] : []),
    tsi(old.tsLocal), tsr(old.tsRemote),
  ];
  let resp: Payload[];
  try { resp = await sa.manager.request(ExchangeType.CREATE_CHILD_SA, payloads); } catch {
    // the IKE SA went away (rekeyed or deleted): try again on the Child SA's new owner, if any
    back(500);
    return;
  }
  const err = errorNotify(resp);
  if (err) {
    engine.trace(`rekeying Child SA ${hex8(old.spiIn)} failed: peer answered ${notifyName(err.notify)}`, sa);
    // TEMPORARY_FAILURE: the peer is busy (its own rekey); anything else: the SA lives out its lifetime,
    // then the IKE SA asks for a fresh Child SA (engine.ensureChild)
    back(err.notify === NotifyType.TEMPORARY_FAILURE ? RETRY_MS : undefined);
    return;
  }
  const child = await completeChild(engine, sa, resp, { spiIn, ni, kp, tsI: old.tsLocal, tsR: old.tsRemote });
  if (!child) { back(RETRY_MS); return; }
  engine.trace(`Child SA rekeyed: ${hex8(old.spiIn)}_i ${hex8(old.spiOut)}_o -> ${hex8(child.spiIn)}_i ${hex8(child.spiOut)}_o`, sa);
  // a rekey of the same SA by the peer may be mid-way through its responder task: let it finish (§2.8.1)
  await engine.drain(sa);
  const doomed = [old];
  const theirs = old.peerRekey as ChildSa['peerRekey'];
  if (theirs && lowestNonceIsOurs({ ni, nr: child.nr }, theirs)) {
    engine.trace(`simultaneous rekey: our new Child SA ${hex8(child.spiIn)} is redundant, deleting it`, sa);
    doomed.push(child);
  }
  old.state = 'rekeyed';
  await deleteChildren(engine, sa, doomed);
}

/**
 * A new Child SA for an IKE SA that has none (RFC 7296 §1.3.1: CREATE_CHILD_SA without REKEY_SA).
 * Resolves true when one was installed.
 */
export async function createChildSa(engine: IkeEngine, sa: IkeSa): Promise<boolean> {
  const plan = currentPlan(engine, sa);
  if (!plan || sa.state !== 'established') return false;
  const spiIn = engine.newEspSpi();
  const ni = engine.random(NONCE_LEN);
  let kp: EcdhKeyPair | undefined;
  try { if (plan.pfs) kp = await platform().ecdhGenerate(plan.pfs as DhGroup); } catch { return false; }
  if (sa.state !== 'established') return false;
  engine.trace('IKE SA has no Child SA: requesting a new one', sa);
  let resp: Payload[];
  try {
    resp = await sa.manager.request(ExchangeType.CREATE_CHILD_SA, [
      saPayload(espOffer(plan.espProposals, spiBytes(spiIn), !!plan.pfs)), nonce(ni),
      ...(kp ? [ke(plan.pfs!, kp.publicKe)] : []), tsi([ANY_V4]), tsr([ANY_V4]),
    ]);
  } catch { return false; }
  const err = errorNotify(resp);
  if (err) { engine.trace(`new Child SA refused: peer answered ${notifyName(err.notify)}`, sa); return false; }
  return !!(await completeChild(engine, sa, resp, { spiIn, ni, kp, tsI: [ANY_V4], tsR: [ANY_V4] }));
}

/** Delete Child SAs with an INFORMATIONAL exchange; they are gone locally once the peer answered (or gave up). */
export async function deleteChildren(engine: IkeEngine, sa: IkeSa, children: ChildSa[]): Promise<void> {
  for (const c of children) c.state = 'deleting';
  try {
    await sa.manager.request(ExchangeType.INFORMATIONAL, [del(ProtocolId.ESP, children.map((c) => spiBytes(c.spiIn)))]);
  } catch { /* the IKE SA is going away: its children go with it */ }
  for (const c of children) if (!c.disposed) engine.removeChild(sa, c);
}

interface Pending { spiIn: number; ni: Bytes; kp?: EcdhKeyPair; tsI: ChildSa['tsLocal']; tsR: ChildSa['tsRemote'] }

/** Initiator: turn a CREATE_CHILD_SA response into an installed Child SA. */
async function completeChild(engine: IkeEngine, sa: IkeSa, resp: Payload[], p: Pending): Promise<ChildSa | undefined> {
  const plan = sa.plan!;
  const sap = first(resp, PayloadType.SA), nr = first(resp, PayloadType.NONCE);
  const tsiP = first(resp, PayloadType.TSi), tsrP = first(resp, PayloadType.TSr);
  if (!sap || !nr || !tsiP || !tsrP) { engine.trace('CREATE_CHILD_SA response lacks SA, Nr or TS', sa); return undefined; }
  const choice = chooseEsp(plan.espProposals, sap.proposals, true, false);
  if (!choice.ok) { engine.trace(`CREATE_CHILD_SA: ${choice.reason}`, sa); return undefined; }
  let gir: Bytes | undefined;
  const group = pfsGroupOf(choice.proposal.transforms);
  if (group) {
    const kep = first(resp, PayloadType.KE);
    if (!p.kp || !kep || kep.group !== group) { engine.trace('CREATE_CHILD_SA: PFS KE missing or of the wrong group', sa); return undefined; }
    try { gir = await platform().ecdhDerive(p.kp, kep.data); } catch (e) {
      engine.trace(`CREATE_CHILD_SA: peer's public value refused (${(e as Error).message})`, sa);
      return undefined;
    }
  }
  if (sa.state === 'dead' || !sa.keys) { gir?.fill(0); return undefined; }
  const keys = childKeys(engine.core, prfAlg(sa.suite!), sa.keys!.skD, p.ni, nr.data, espKeyLengths(choice.suite), gir);
  gir?.fill(0);
  const child = new ChildSa(engine.core, {
    spiIn: p.spiIn, spiOut: choice.peerSpi, suite: choice.suite, keys, exchangeInitiator: true,
    tsI: tsiP.selectors, tsR: tsrP.selectors, createdAt: engine.now, lifetimeSec: plan.childLifetimeSec, ni: p.ni, nr: nr.data,
    pfsGroup: group, keepKeysForLab: engine.wantsKeys,
  });
  emitChildKeys(engine, sa, child, keys);
  for (const k of Object.values(keys)) k.fill(0);
  engine.installChild(sa, child);
  return child;
}

/** Responder side of CREATE_CHILD_SA: a Child SA rekey or a new Child SA, or an IKE SA rekey. */
export async function respondCreateChildSa(engine: IkeEngine, sa: IkeSa, req: Payload[]): Promise<Payload[]> {
  const sap = first(req, PayloadType.SA);
  if (sap?.proposals[0]?.protocol === ProtocolId.IKE) return respondIkeRekey(engine, sa, req);
  const plan = currentPlan(engine, sa);
  if (sa.state !== 'established' || !plan) return [notify(NotifyType.TEMPORARY_FAILURE)];
  const ni = first(req, PayloadType.NONCE), tsiP = first(req, PayloadType.TSi), tsrP = first(req, PayloadType.TSr);
  if (!sap || !ni || !tsiP || !tsrP) return [notify(NotifyType.INVALID_SYNTAX)];
  const rekey = findNotify(req, NotifyType.REKEY_SA);
  let old: ChildSa | undefined;
  if (rekey) {
    const spi = spiNumber(rekey.spi);
    old = sa.children.find((c) => c.spiOut === spi);
    if (!old) return [notify(NotifyType.CHILD_SA_NOT_FOUND, undefined, ProtocolId.ESP, rekey.spi)];
    if (old.state === 'rekeyed' || old.state === 'deleting') return [notify(NotifyType.TEMPORARY_FAILURE)];
  }
  const choice = chooseEsp(espOffer(plan.espProposals, new Uint8Array(4), !!plan.pfs), sap.proposals, false, false);
  if (!choice.ok) { engine.trace(`CREATE_CHILD_SA: ${choice.reason}`, sa); return [notify(NotifyType.NO_PROPOSAL_CHOSEN)]; }
  const group = pfsGroupOf(choice.proposal.transforms);
  let gir: Bytes | undefined, kpub: Bytes | undefined;
  if (group) {
    const kep = first(req, PayloadType.KE);
    if (!kep || kep.group !== group) return [notify(NotifyType.INVALID_KE_PAYLOAD, new Uint8Array([group >> 8, group & 0xff]))];
    try {
      const kp = await platform().ecdhGenerate(group as DhGroup);
      gir = await platform().ecdhDerive(kp, kep.data);
      kpub = kp.publicKe;
    } catch (e) {
      engine.trace(`CREATE_CHILD_SA: peer's public value refused (${(e as Error).message})`, sa);
      return [notify(NotifyType.INVALID_SYNTAX)];
    }
  }
  if ((sa.state as string) === 'dead' || !sa.keys) { gir?.fill(0); return [notify(NotifyType.TEMPORARY_FAILURE)]; }
  const nr = engine.random(NONCE_LEN);
  const spiIn = engine.newEspSpi();
  const keys = childKeys(engine.core, prfAlg(sa.suite!), sa.keys!.skD, ni.data, nr, espKeyLengths(choice.suite), gir);
  gir?.fill(0);
  const child = new ChildSa(engine.core, {
    spiIn, spiOut: choice.peerSpi, suite: choice.suite, keys, exchangeInitiator: false,
    tsI: tsiP.selectors, tsR: tsrP.selectors, createdAt: engine.now, lifetimeSec: plan.childLifetimeSec, ni: ni.data, nr,
    pfsGroup: group, keepKeysForLab: engine.wantsKeys,
  });
  // make-before-break: we keep sending on the old SA until the peer deletes it
  if (old) child.outboundReady = false;
  emitChildKeys(engine, sa, child, keys);
  for (const k of Object.values(keys)) k.fill(0);
  engine.installChild(sa, child);
  if (old?.state === 'rekeying') old.peerRekey = { ni: ni.data, nr, child };
  engine.trace(`Child SA ${old ? `rekeyed by peer: ${hex8(old.spiIn)}_i -> ` : 'created: '}${hex8(child.spiIn)}_i ${hex8(child.spiOut)}_o`, sa);
  return [
    saPayload([{ ...choice.proposal, spi: spiBytes(spiIn) }]), nonce(nr),
    ...(kpub ? [ke(group!, kpub)] : []),
    tsi(tsiP.selectors), tsr(tsrP.selectors),
  ];
}

export const hex8 = (n: number): string => n.toString(16).padStart(8, '0');
