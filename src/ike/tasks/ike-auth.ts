// IKE_AUTH with shared keys (RFC 7296 §1.2, §2.15) creating the first Child SA, with RFC 8784 PPK:
//
//   Initiator                                   Responder
//   HDR, SK {IDi, [N(INITIAL_CONTACT)], AUTH, SAi2, TSi, TSr,
//            [N(PPK_IDENTITY), [N(NO_PPK_AUTH)]]}  -->
//                                         <--  HDR, SK {IDr, AUTH, SAr2, TSi, TSr, [N(PPK_IDENTITY)]}
//
// PPK decisions follow RFC 8784 §3 and what strongSwan does (strongswan-peer.md §2 matrix): a responder that
// has the PPK verifies AUTH with the PPK keys only (a wrong PPK fails, no fallback); without the PPK it
// falls back to NO_PPK_AUTH unless the PPK is required; an initiator whose PPK the responder did not use
// falls back only when the PPK is optional.
import type { Bytes } from '../../crypto/bytes.js';
import { childKeys } from '../../crypto/kdf.js';
import { AuthMethod, ExchangeType, NotifyType, PayloadType, PpkIdType } from '../codec/constants.js';
import type { Payload } from '../codec/types.js';
import { espKeyLengths, prfAlg } from '../proposals.js';
import { pskAuth, signedOctets, verifyPskAuth } from '../auth.js';
import type { IkeEngine } from '../engine.js';
import type { IkeSa } from '../sa.js';
import type { AuthPlan } from '../plan.js';
import { ChildSa } from '../child.js';
import {
  ANY_V4, auth, errorNotify, findNotify, first, identityText, idi, idr, notify, notifyName, peerIdentity, sa as saPayload, tsi, tsr,
} from '../payload-util.js';
import { emitChildKeys, emitIkeKeys, espOffer, chooseEsp, spiBytes, spiNumber } from './child-util.js';

function ppkIdentity(id: Bytes): Bytes {
  const b = new Uint8Array(1 + id.length);
  b[0] = PpkIdType.PPK_ID_FIXED;
  b.set(id, 1);
  return b;
}

function authData(engine: IkeEngine, sa: IkeSa, psk: Bytes, skP: Bytes, ours: boolean): Bytes {
  const alg = prfAlg(sa.suite!);
  const id = ours ? sa.localId! : sa.remoteId!;
  // the initiator signs its request and Nr; the responder its response and Ni
  const initiatorSide = ours === sa.initiator;
  const msg = initiatorSide ? sa.initRequest! : sa.initResponse!;
  const peerNonce = initiatorSide ? sa.nr! : sa.ni!;
  return pskAuth(engine.core, alg, psk, signedOctets(engine.core, alg, msg, peerNonce, skP, id.type, id.data));
}

function verifyAuth(engine: IkeEngine, sa: IkeSa, psk: Bytes, skP: Bytes, received: Bytes): boolean {
  const alg = prfAlg(sa.suite!);
  const id = sa.remoteId!;
  const initiatorSide = !sa.initiator;
  const msg = initiatorSide ? sa.initRequest! : sa.initResponse!;
  const peerNonce = initiatorSide ? sa.nr! : sa.ni!;
  return verifyPskAuth(engine.core, alg, psk, signedOctets(engine.core, alg, msg, peerNonce, skP, id.type, id.data), received);
}

function established(engine: IkeEngine, sa: IkeSa): void {
  sa.state = 'established';
  sa.establishedAt = engine.now;
  engine.settled(sa);
  engine.contacted.add(sa.remote.addr);
  emitIkeKeys(engine, sa);
  engine.trace(`IKE_SA ${sa.id} established between ${sa.local.addr}[${identityText(sa.localId)}]...` +
    `${sa.remote.addr}[${identityText(sa.remoteId)}]${sa.ppkUsed ? ' with PPK' : ''}`, sa);
}

export async function initiateIkeAuth(engine: IkeEngine, sa: IkeSa, plan: AuthPlan): Promise<void> {
  const fail = (reason: string) => { engine.trace(reason, sa); engine.remove(sa, reason); };
  sa.plan = plan;
  sa.localId = plan.localId;
  sa.lifetimeSec = plan.ikeLifetimeSec;
  if (!plan.pskSign) { fail(`no pre-shared key for peer ${sa.remote.addr} in profile ${plan.profile}`); return; }
  const usePpk = sa.ppkNegotiated && !!sa.ppkKeys;
  const keys = usePpk ? sa.ppkKeys! : sa.noPpkKeys!;
  const spiIn = engine.newEspSpi();
  const payloads: Payload[] = [
    idi(plan.localId),
    ...(engine.contacted.has(sa.remote.addr) ? [] : [notify(NotifyType.INITIAL_CONTACT)]),
    auth(AuthMethod.SHARED_KEY_MIC, authData(engine, sa, plan.pskSign, keys.skPi, true)),
    saPayload(espOffer(plan.espProposals, spiBytes(spiIn), undefined)),
    tsi([ANY_V4]), tsr([ANY_V4]),
  ];
  if (usePpk) {
    payloads.push(notify(NotifyType.PPK_IDENTITY, ppkIdentity(plan.ppk!.id)));
    if (!plan.ppk!.required) {
      payloads.push(notify(NotifyType.NO_PPK_AUTH, authData(engine, sa, plan.pskSign, sa.noPpkKeys!.skPi, true)));
    }
  }
  let resp: Payload[];
  try { resp = await sa.manager.request(ExchangeType.IKE_AUTH, payloads); } catch (e) {
    if (sa.state !== 'dead') fail(`IKE_AUTH: ${(e as Error).message}`);
    return;
  }
  const authP = first(resp, PayloadType.AUTH), idP = first(resp, PayloadType.IDr);
  const err = errorNotify(resp);
  if (!authP || !idP) {
    fail(err ? `IKE_AUTH failed: peer answered ${notifyName(err.notify)}` : 'IKE_AUTH response lacks IDr or AUTH');
    return;
  }
  sa.remoteId = { type: idP.idType, data: idP.data };
  const idProblem = plan.checkRemoteId?.(peerIdentity(sa.remoteId));
  if (idProblem) { await authFailedAfter(engine, sa, idProblem); return; }
  if (usePpk) {
    if (findNotify(resp, NotifyType.PPK_IDENTITY)) {
      sa.settleKeys(true);
      sa.ppkUsed = plan.ppk!.kind;
    } else if (plan.ppk!.required) {
      await authFailedAfter(engine, sa, 'peer did not use the PPK, but it is required');
      return;
    } else {
      engine.trace(`peer didn't use PPK for PPK_ID '${new TextDecoder().decode(plan.ppk!.id)}': continuing without`, sa);
      sa.settleKeys(false);
    }
  } else {
    sa.settleKeys(false);
  }
  if (!plan.pskVerify || !verifyAuth(engine, sa, plan.pskVerify, sa.keys!.skPr, authP.data)) {
    await authFailedAfter(engine, sa, `AUTHENTICATION_FAILED: the AUTH payload of ${identityText(sa.remoteId)} does not verify (pre-shared key mismatch)`);
    return;
  }
  established(engine, sa);
  sa.manager.onRequest = engine.requestHandler(sa);
  installFirstChild(engine, sa, plan, spiIn, resp, true);
  engine.armLifetimes(sa);
  if (!sa.children.length) engine.ensureChild(sa);
  engine.changed(sa);
}

/** The initiator refuses the responder's authentication: tell it (§2.21.2) and delete the SA. */
async function authFailedAfter(engine: IkeEngine, sa: IkeSa, reason: string): Promise<void> {
  engine.trace(reason, sa);
  sa.failure = reason;
  try { await Promise.race([sa.manager.request(ExchangeType.INFORMATIONAL, [notify(NotifyType.AUTHENTICATION_FAILED)]), Promise.resolve()]); } catch { /* closing */ }
  engine.remove(sa, reason);
}

function installFirstChild(engine: IkeEngine, sa: IkeSa, plan: AuthPlan, spiIn: number, msg: Payload[], initiator: boolean,
  chosenEsp?: ReturnType<typeof chooseEsp>): void {
  const err = errorNotify(msg);
  if (initiator && err) {
    engine.trace(`IKE SA up, but no Child SA: peer answered ${notifyName(err.notify)}`, sa);
    return;
  }
  const sap = first(msg, PayloadType.SA), tsiP = first(msg, PayloadType.TSi), tsrP = first(msg, PayloadType.TSr);
  if (!sap || !tsiP || !tsrP) { engine.trace('IKE_AUTH: no Child SA payloads', sa); return; }
  const choice = chosenEsp ?? chooseEsp(plan.espProposals, sap.proposals, initiator, true);
  if (!choice.ok) { engine.trace(`Child SA not created: ${choice.reason}`, sa); return; }
  const keys = childKeys(engine.core, prfAlg(sa.suite!), sa.keys!.skD, sa.ni!, sa.nr!, espKeyLengths(choice.suite));
  const child = new ChildSa(engine.core, {
    spiIn, spiOut: choice.peerSpi, suite: choice.suite, keys, exchangeInitiator: initiator,
    tsI: tsiP.selectors, tsR: tsrP.selectors, createdAt: engine.now, lifetimeSec: plan.childLifetimeSec,
    ni: sa.ni!, nr: sa.nr!, keepKeysForLab: engine.wantsKeys,
  });
  emitChildKeys(engine, sa, child, keys);
  for (const k of Object.values(keys)) k.fill(0);
  engine.installChild(sa, child);
}

/** Responder side of IKE_AUTH. */
export async function respondIkeAuth(engine: IkeEngine, sa: IkeSa, req: Payload[]): Promise<Payload[]> {
  const authFailed = (reason: string): Payload[] => {
    engine.trace(reason, sa);
    sa.failure = reason;
    sa.closeAfterResponse = reason;
    return [notify(NotifyType.AUTHENTICATION_FAILED)];
  };
  if (sa.state !== 'connecting') return [notify(NotifyType.INVALID_SYNTAX)];
  engine.settled(sa);
  const idP = first(req, PayloadType.IDi), authP = first(req, PayloadType.AUTH);
  if (!idP || !authP) return authFailed('IKE_AUTH request lacks IDi or AUTH');
  sa.remoteId = { type: idP.idType, data: idP.data };
  const peer = peerIdentity(sa.remoteId);
  const found = engine.policy.responderPlan(sa.local.addr, sa.remote.addr, peer);
  if ('error' in found) return authFailed(`AUTHENTICATION_FAILED: ${found.error}`);
  const plan = found;
  sa.plan = plan;
  sa.tunnel = plan.tunnel;
  sa.localId = plan.localId;
  sa.lifetimeSec = plan.ikeLifetimeSec;
  if (authP.method !== AuthMethod.SHARED_KEY_MIC) return authFailed(`AUTHENTICATION_FAILED: peer uses auth method ${authP.method}, profile ${plan.profile} expects pre-shared key`);
  if (!plan.pskVerify || !plan.pskSign) return authFailed(`AUTHENTICATION_FAILED: no pre-shared key for ${identityText(sa.remoteId)} in profile ${plan.profile}`);

  // RFC 8784: which key set verifies the initiator's AUTH?
  const ppkId = findNotify(req, NotifyType.PPK_IDENTITY);
  const noPpkAuth = findNotify(req, NotifyType.NO_PPK_AUTH);
  let usePpk = false;
  let authToCheck = authP.data;
  if (sa.ppkNegotiated && ppkId) {
    const theirId = ppkId.data.length > 1 && ppkId.data[0] === PpkIdType.PPK_ID_FIXED ? ppkId.data.subarray(1) : undefined;
    const idText = theirId ? new TextDecoder().decode(theirId) : '(unsupported PPK_ID type)';
    let key: Bytes | undefined;
    if (plan.ppk && theirId) {
      if (plan.ppk.kind === 'manual' && equalBytes(plan.ppk.id, theirId)) key = plan.ppk.key;
      else if (plan.ppk.fetch) {
        const r = await plan.ppk.fetch(theirId, sa.peerUsePpkData);
        if (!('error' in r)) key = r.key;
        else engine.trace(`PPK '${idText}' not available: ${r.error}`, sa);
      } else if (plan.ppk.kind === 'manual') {
        engine.trace(`received PPK_ID '${idText}', but profile ${plan.profile} has PPK_ID '${new TextDecoder().decode(plan.ppk.id)}'`, sa);
      }
    }
    if (key) {
      sa.mixPpk(key);
      usePpk = true;
      engine.trace(`using PPK for PPK_ID '${idText}'`, sa);
    } else if (plan.ppk?.required) {
      return authFailed(`AUTHENTICATION_FAILED: PPK required, but no PPK for PPK_ID '${idText}'`);
    } else if (noPpkAuth) {
      engine.trace(`no PPK for '${idText}' found, ignored because PPK is not required: using NO_PPK_AUTH`, sa);
      authToCheck = noPpkAuth.data;
    } else {
      return authFailed(`AUTHENTICATION_FAILED: no PPK for PPK_ID '${idText}' and no NO_PPK_AUTH to fall back to`);
    }
  } else if (plan.ppk?.required) {
    return authFailed('AUTHENTICATION_FAILED: PPK required but peer does not support PPK');
  }
  const skPi = usePpk ? sa.ppkKeys!.skPi : sa.noPpkKeys!.skPi;
  if (!verifyAuth(engine, sa, plan.pskVerify, skPi, authToCheck)) {
    return authFailed(`AUTHENTICATION_FAILED: the AUTH payload of ${identityText(sa.remoteId)} does not verify ` +
      `(${usePpk ? 'pre-shared key or PPK' : 'pre-shared key'} mismatch)`);
  }
  sa.settleKeys(usePpk);
  if (usePpk) sa.ppkUsed = plan.ppk!.kind;
  if (findNotify(req, NotifyType.INITIAL_CONTACT)) initialContact(engine, sa);
  const resp: Payload[] = [idr(plan.localId), auth(AuthMethod.SHARED_KEY_MIC, authData(engine, sa, plan.pskSign, sa.keys!.skPr, true))];
  established(engine, sa);
  engine.armLifetimes(sa);

  // the first Child SA
  const sap = first(req, PayloadType.SA), tsiP = first(req, PayloadType.TSi), tsrP = first(req, PayloadType.TSr);
  if (sap && tsiP && tsrP) {
    const choice = chooseEsp(plan.espProposals, sap.proposals, false, true);
    if (!choice.ok) {
      engine.trace(`Child SA not created: ${choice.reason}`, sa);
      resp.push(notify(NotifyType.NO_PROPOSAL_CHOSEN));
    } else {
      const spiIn = engine.newEspSpi();
      resp.push(saPayload([{ ...choice.proposal, spi: spiBytes(spiIn) }]), tsi(tsiP.selectors), tsr(tsrP.selectors));
      installFirstChild(engine, sa, plan, spiIn, req, false, choice);
    }
  }
  if (usePpk) resp.push(notify(NotifyType.PPK_IDENTITY));
  engine.changed(sa);
  return resp;
}

/**
 * RFC 7296 §2.4: INITIAL_CONTACT says the peer has no other SAs with us (it restarted): every other IKE SA
 * with the same identity at the same address is stale and goes, without a Delete the peer would not know.
 */
function initialContact(engine: IkeEngine, sa: IkeSa): void {
  for (const other of engine.list()) {
    if (other === sa || other.state === 'dead' || other.remote.addr !== sa.remote.addr || !other.remoteId) continue;
    if (other.remoteId.type !== sa.remoteId!.type || !equalBytes(other.remoteId.data, sa.remoteId!.data)) continue;
    engine.remove(other, `INITIAL_CONTACT from ${identityText(sa.remoteId)}: the peer restarted`);
  }
}

function equalBytes(a: Bytes, b: Bytes): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export { spiNumber };
