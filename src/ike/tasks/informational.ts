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
import { spiBytes, spiNumber } from './child-util.js';

/** How long a Delete may wait for its answer before the SA goes anyway. */
const DELETE_WAIT_MS = 2000;

/** Send an empty INFORMATIONAL; the manager declares the peer dead if it never answers. */
export async function sendDpd(engine: IkeEngine, sa: IkeSa): Promise<void> {
  engine.trace(`liveness check of ${sa.remote.addr}`, sa);
  try { await sa.manager.request(ExchangeType.INFORMATIONAL, []); } catch { /* gaveUp() handles it */ }
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
        sa.closeAfterResponse = 'deleted by peer';
        return [];
      }
      if (d.protocol !== ProtocolId.ESP) continue;
      const ours: number[] = [];
      for (const spiB of d.spis) {
        const spi = spiNumber(spiB);
        const child = sa.children.find((c) => c.spiOut === spi);
        if (!child) continue;
        engine.trace(`received DELETE for ESP CHILD_SA with SPI ${hex8(spi)}: closing ${hex8(child.spiIn)}_i ${hex8(child.spiOut)}_o`, sa);
        ours.push(child.spiIn);
        engine.removeChild(sa, child);
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
