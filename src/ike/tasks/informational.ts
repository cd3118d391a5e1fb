// INFORMATIONAL exchanges (RFC 7296 §1.4): Delete of IKE and Child SAs (§1.4.1), liveness checks (§2.4,
// an empty request the peer must answer), and error notifications.
//
//   HDR, SK {[N,] [D,] ...}   -->
//                             <--  HDR, SK {[N,] [D,] ...}
import { ExchangeType, NotifyType, PayloadType, ProtocolId } from '../codec/constants.js';
import type { DeletePayload, Payload } from '../codec/types.js';
import type { IkeEngine } from '../engine.js';
import type { IkeSa } from '../sa.js';
import { del, findNotify, notifyName } from '../payload-util.js';
import { hex8 } from './child-rekey.js';
import { adopt } from './ike-rekey.js';
import { spiBytes, spiNumber } from './child-util.js';

/** How long a Delete may wait for its answer before the SA goes anyway. */
const DELETE_WAIT_MS = 2000;

/** Send an empty INFORMATIONAL; the manager declares the peer dead if it never answers. */
export async function sendDpd(engine: IkeEngine, sa: IkeSa): Promise<void> {
  engine.trace(`liveness check of ${sa.remote.addr}`, sa);
  try { await sa.manager.request(ExchangeType.INFORMATIONAL, [], engine.dpdPolicy()); } catch { /* gaveUp() handles it */ }
}

/** Delete an IKE SA (with its Child SAs): tell the peer, then forget it (§1.4.1). */
export async function deleteIkeSa(engine: IkeEngine, sa: IkeSa, reason: string): Promise<void> {
  if (sa.state === 'dead') return;
  if (sa.state === 'connecting' || !sa.keys) { engine.remove(sa, reason); return; }
  sa.state = 'deleting';
  engine.trace(`deleting IKE SA ${sa.id}: ${reason}`, sa);
  const answered = sa.manager.request(ExchangeType.INFORMATIONAL, [del(ProtocolId.IKE, [])]).catch(() => undefined);
  await Promise.race([answered, new Promise<void>((r) => sa.setTimer('delete-wait', DELETE_WAIT_MS, r))]);
  engine.remove(sa, reason);
}

export async function respondInformational(engine: IkeEngine, sa: IkeSa, req: Payload[]): Promise<Payload[]> {
  const resp: Payload[] = [];
  for (const p of req) {
    if (p.type === PayloadType.DELETE) {
      const d = p as DeletePayload;
      if (d.protocol === ProtocolId.IKE) {
        engine.trace(`received DELETE for IKE SA ${sa.id}`, sa);
        if (sa.state === 'rekeying' && sa.manager.outstanding?.exchange !== ExchangeType.CREATE_CHILD_SA) {
          // our own rekey of it was answered and is being completed (§2.8.2): its outcome decides which new
          // SA takes the children; the old one goes then. (Still unanswered, it never will be: below.)
          sa.deletedByPeer = true;
          return [];
        }
        // the peer rekeyed this SA (its rekey crossed ours, and ours failed or is pending): the new SA takes over
        const pending = sa.peerIkeRekey;
        if (pending && pending.sa.state !== 'dead' && sa.children.length) { adopt(engine, sa, pending.sa); sa.state = 'rekeyed'; }
        sa.closeAfterResponse = 'deleted by peer';
        return [];
      }
      if (d.protocol !== ProtocolId.ESP) continue;
      const ours: number[] = [];
      for (const spiB of d.spis) {
        const spi = spiNumber(spiB);
        // the Child SA may have moved to a newer IKE SA with the same peer (an IKE rekey crossed the Delete)
        const owner = [sa, ...engine.list()].find((o) => o.remote.addr === sa.remote.addr && o.children.some((c) => c.spiOut === spi));
        const child = owner?.children.find((c) => c.spiOut === spi);
        if (!owner || !child) continue;
        engine.trace(`received DELETE for ESP CHILD_SA with SPI ${hex8(spi)}: closing ${hex8(child.spiIn)}_i ${hex8(child.spiOut)}_o`, sa);
        // §1.4.1: when both sides delete the same SA at once, the answer carries no Delete for it
        if (child.state !== 'deleting') ours.push(child.spiIn);
        engine.removeChild(owner, child);
      }
      if (ours.length) resp.push(del(ProtocolId.ESP, ours.map(spiBytes)));
    }
  }
  const authFailed = findNotify(req, NotifyType.AUTHENTICATION_FAILED);
  if (authFailed) {
    engine.trace(`peer reported ${notifyName(authFailed.notify)}`, sa);
    sa.closeAfterResponse = 'peer reported AUTHENTICATION_FAILED';
  }
  return resp;
}
