// IKE_SA_INIT (RFC 7296 §1.2, §2.6 cookies, §1.2/§2.7 INVALID_KE_PAYLOAD, §2.23 NAT detection) and the
// RFC 8784 §3 USE_PPK announcement.
//
//   Initiator                                   Responder
//   HDR, SAi1, KEi, Ni, N(NATD_S), N(NATD_D),
//        N(FRAG_SUP), [N(USE_PPK)]         -->
//                                         <--  HDR, SAr1, KEr, Nr, N(NATD_S), N(NATD_D), N(FRAG_SUP), [N(USE_PPK)]
//   (or <-- N(COOKIE) / N(INVALID_KE_PAYLOAD): the initiator retries with the cookie / the requested group)
//
// Our ESP is always UDP-encapsulated (RFC 3948: a userspace data plane has nothing else), so, like
// strongSwan's kernel-libipsec, we announce a NAT_DETECTION_SOURCE_IP that cannot match: both sides float
// to UDP 4500 from IKE_AUTH on.
import { type Bytes, ctEqual } from '../../crypto/bytes.js';
import { platform, type DhGroup, type EcdhKeyPair } from '../../crypto/platform.js';
import { ExchangeType, NotifyType, PayloadType, TransformType } from '../codec/constants.js';
import type { Payload, Proposal } from '../codec/types.js';
import { checkChosen, ikeSuiteName, selectIkeProposal } from '../proposals.js';
import type { IkeEngine } from '../engine.js';
import type { IkeSa } from '../sa.js';
import { type TunnelPlan, usesCertificates } from '../plan.js';
import { parseSigHashes, sigHashNotifyData } from '../auth-sig.js';
import { errorNotify, findNotify, first, ke, nonce, notify, notifyName, sa as saPayload } from '../payload-util.js';
import { initiateIkeAuth } from './ike-auth.js';

const NONCE_LEN = 32;
/** RFC 7296 §3.6 Certificate Encoding 4: X.509 Certificate - Signature. */
const CERT_X509_SIGNATURE = 4;

const MAX_INIT_ATTEMPTS = 4;

function firstGroup(proposals: Proposal[]): number {
  for (const p of proposals) for (const t of p.transforms) if (t.type === TransformType.DH) return t.id;
  return 19;
}

function offersGroup(proposals: Proposal[], g: number): boolean {
  return proposals.some((p) => p.transforms.some((t) => t.type === TransformType.DH && t.id === g));
}

function natNotifies(engine: IkeEngine, sa: IkeSa): Payload[] {
  // Source hash deliberately unmatchable (forces UDP encapsulation); destination hash real.
  return [
    notify(NotifyType.NAT_DETECTION_SOURCE_IP, engine.random(20)),
    notify(NotifyType.NAT_DETECTION_DESTINATION_IP, engine.natHash(sa.spiI, sa.spiR, sa.remote)),
  ];
}

/**
 * Compare the peer's NAT detection hashes with what we see (§2.23). The hashes cover the SPIs of the
 * message that carried them: in the request SPIr is still zero.
 */
function detectNat(engine: IkeEngine, sa: IkeSa, payloads: Payload[], spiR: Bytes): void {
  const src = findNotify(payloads, NotifyType.NAT_DETECTION_SOURCE_IP);
  const dst = findNotify(payloads, NotifyType.NAT_DETECTION_DESTINATION_IP);
  if (!src || !dst) return;
  sa.natRemote = !ctEqual(src.data, engine.natHash(sa.spiI, spiR, sa.remote));
  sa.natLocal = !ctEqual(dst.data, engine.natHash(sa.spiI, spiR, sa.local));
}

function fail(engine: IkeEngine, sa: IkeSa, reason: string): void {
  sa.failure = reason;
  engine.trace(reason, sa);
  engine.remove(sa, reason);
}

export async function initiateIkeSa(engine: IkeEngine, sa: IkeSa, plan: TunnelPlan): Promise<void> {
  const proposals = plan.ikeProposals;
  let group = firstGroup(proposals);
  let cookie: Bytes | undefined;
  sa.ni = engine.random(NONCE_LEN);
  engine.trace(`initiating IKE_SA to ${sa.remote.addr} for ${plan.tunnel} (profile ${plan.profile})`, sa);
  const usePpkData = plan.ppk ? await plan.ppk.usePpkData?.() : undefined;
  for (let attempt = 0; attempt < MAX_INIT_ATTEMPTS; attempt++) {
    let kp: EcdhKeyPair;
    try { kp = await platform().ecdhGenerate(group as DhGroup); } catch (e) {
      fail(engine, sa, `IKE_SA_INIT: ${(e as Error).message}`);
      return;
    }
    const payloads: Payload[] = [
      ...(cookie ? [notify(NotifyType.COOKIE, cookie)] : []),
      saPayload(proposals), ke(group, kp.publicKe), nonce(sa.ni),
      ...natNotifies(engine, sa),
      notify(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED),
      // RFC 7427 §4: the hashes we verify signatures with, when a certificate may be used
      ...(usesCertificates(plan) ? [notify(NotifyType.SIGNATURE_HASH_ALGORITHMS, sigHashNotifyData())] : []),
      ...(plan.ppk ? [notify(NotifyType.USE_PPK, usePpkData)] : []),
    ];
    sa.manager.nextRequestId = 0;
    let resp: Payload[];
    try { resp = await sa.manager.request(ExchangeType.IKE_SA_INIT, payloads); } catch (e) {
      if (sa.state !== 'dead') fail(engine, sa, `IKE_SA_INIT: ${(e as Error).message}`);
      return;
    }
    engine.traceMessage(sa, 'received', { exchange: ExchangeType.IKE_SA_INIT, response: true, messageId: 0 }, resp);
    const c = findNotify(resp, NotifyType.COOKIE);
    if (c) { cookie = c.data; engine.trace('responder asked for a cookie: retrying with it', sa); continue; }
    const inv = findNotify(resp, NotifyType.INVALID_KE_PAYLOAD);
    if (inv) {
      const want = inv.data.length === 2 ? (inv.data[0] << 8) | inv.data[1] : -1;
      if (!offersGroup(proposals, want) || want === group) {
        fail(engine, sa, `IKE_SA_INIT: peer wants DH group ${want}, which we did not offer`);
        return;
      }
      engine.trace(`peer wants DH group ${want} instead of ${group}: retrying`, sa);
      group = want;
      continue;
    }
    const err = errorNotify(resp);
    if (err) { fail(engine, sa, `IKE_SA_INIT failed: peer answered ${notifyName(err.notify)}`); return; }
    await finishInit(engine, sa, plan, kp, resp);
    return;
  }
  fail(engine, sa, 'IKE_SA_INIT: too many retries (cookie / INVALID_KE_PAYLOAD)');
}

async function finishInit(engine: IkeEngine, sa: IkeSa, plan: TunnelPlan, kp: EcdhKeyPair, resp: Payload[]): Promise<void> {
  const sap = first(resp, PayloadType.SA), kep = first(resp, PayloadType.KE), nr = first(resp, PayloadType.NONCE);
  if (!sap || !kep || !nr || sap.proposals.length !== 1) { fail(engine, sa, 'IKE_SA_INIT response lacks SA, KE or Nr'); return; }
  const chosen = checkChosen(plan.ikeProposals, sap.proposals[0]);
  if (!chosen.ok) { fail(engine, sa, `IKE_SA_INIT: responder chose a proposal we did not offer (${chosen.reason})`); return; }
  const suite = chosen.suite;
  if (kep.group !== suite.dh || kep.group !== kp.group) { fail(engine, sa, `IKE_SA_INIT: KE group ${kep.group} does not match ${suite.dh}`); return; }
  sa.spiR = sa.pendingSpiR!;
  sa.nr = nr.data;
  let gir: Bytes;
  try { gir = await platform().ecdhDerive(kp, kep.data); } catch (e) {
    fail(engine, sa, `IKE_SA_INIT: peer's public value refused (${(e as Error).message})`);
    return;
  }
  const peerUsePpk = findNotify(resp, NotifyType.USE_PPK), peerPpk = !!peerUsePpk;
  let ppkKey: Bytes | undefined;
  if (plan.ppk) {
    if (!peerPpk) {
      if (plan.ppk.required) { gir.fill(0); fail(engine, sa, 'PPK required but peer does not support PPK'); return; }
      engine.trace('peer does not support PPK: continuing without (PPK not required)', sa);
    } else {
      sa.ppkNegotiated = true;
      ppkKey = plan.ppk.key;
      if (!ppkKey && plan.ppk.fetch) {
        const r = await plan.ppk.fetch(undefined, peerUsePpk!.data.length ? peerUsePpk!.data : undefined);
        if ('error' in r) {
          if (plan.ppk.required) { gir.fill(0); fail(engine, sa, `PPK required but not available: ${r.error}`); return; }
          engine.trace(`no PPK (${r.error}): continuing without (PPK not required)`, sa);
          sa.ppkNegotiated = false;
        } else {
          plan.ppk = { ...plan.ppk, id: r.id, key: r.key };
          engine.trace(`got dynamic PPK '${new TextDecoder().decode(r.id)}' from the key source`, sa);
          ppkKey = r.key;
        }
      }
    }
  }
  sa.deriveKeys(suite, gir, sa.ppkNegotiated ? ppkKey : undefined);
  gir.fill(0);
  sa.peerFragmentation = !!findNotify(resp, NotifyType.IKEV2_FRAGMENTATION_SUPPORTED);
  const sigHashes = findNotify(resp, NotifyType.SIGNATURE_HASH_ALGORITHMS);
  if (sigHashes) sa.peerSigHashes = parseSigHashes(sigHashes.data);
  detectNat(engine, sa, resp, sa.spiR);
  engine.trace(`selected proposal: IKE:${ikeSuiteName(suite)}`, sa);
  sa.local = { ...sa.local, port: 4500 };
  sa.remote = { ...sa.remote, port: 4500 };
  await initiateIkeAuth(engine, sa, plan);
}

/** Responder side of IKE_SA_INIT; the SA exists (half-open) and the request is `msg`. */
export async function respondIkeSaInit(engine: IkeEngine, sa: IkeSa, msg: { payloads: Payload[] }): Promise<void> {
  let refuse: string | undefined;
  sa.manager.onRequest = async (_x, req) => {
    const r = await buildInitResponse(engine, sa, req);
    if ('refuse' in r) { refuse = r.refuse; return r.payloads; }
    return r.payloads;
  };
  await sa.manager.handleRequest(ExchangeType.IKE_SA_INIT, 0, msg.payloads);
  if (refuse) {
    engine.trace(refuse, sa);
    engine.remove(sa, refuse);
    return;
  }
  sa.manager.onRequest = engine.requestHandler(sa);
}

type InitResult = { payloads: Payload[] } | { payloads: Payload[]; refuse: string };

async function buildInitResponse(engine: IkeEngine, sa: IkeSa, req: Payload[]): Promise<InitResult> {
  const refuse = (n: number, why: string, data?: Bytes): InitResult => ({ payloads: [notify(n, data)], refuse: why });
  const sap = first(req, PayloadType.SA), kep = first(req, PayloadType.KE), ni = first(req, PayloadType.NONCE);
  if (!sap || !kep || !ni) return refuse(NotifyType.INVALID_SYNTAX, 'IKE_SA_INIT request lacks SA, KE or Ni');
  const acceptable = engine.policy.ikeProposals(sa.local.addr);
  if (!acceptable?.length) {
    return refuse(NotifyType.NO_PROPOSAL_CHOSEN, `NO_PROPOSAL_CHOSEN: no ikev2 policy matches local address ${sa.local.addr}`);
  }
  const sel = selectIkeProposal(sap.proposals, acceptable, { keGroup: kep.group });
  if (!sel.ok) {
    return refuse(NotifyType.NO_PROPOSAL_CHOSEN,
      `NO_PROPOSAL_CHOSEN: received proposals ${sel.offered}, configured proposals ${sel.acceptable}`);
  }
  const suite = sel.suite;
  if (kep.group !== suite.dh) {
    const g = new Uint8Array([suite.dh >> 8, suite.dh & 0xff]);
    return refuse(NotifyType.INVALID_KE_PAYLOAD, `peer sent DH group ${kep.group}, requesting group ${suite.dh} (INVALID_KE_PAYLOAD)`, g);
  }
  let kp: EcdhKeyPair, gir: Bytes;
  try {
    kp = await platform().ecdhGenerate(suite.dh as DhGroup);
    gir = await platform().ecdhDerive(kp, kep.data);
  } catch (e) {
    return refuse(NotifyType.INVALID_SYNTAX, `IKE_SA_INIT: peer's public value refused (${(e as Error).message})`);
  }
  sa.ni = ni.data;
  sa.nr = engine.random(NONCE_LEN);
  sa.deriveKeys(suite, gir);
  gir.fill(0);
  sa.peerFragmentation = !!findNotify(req, NotifyType.IKEV2_FRAGMENTATION_SUPPORTED);
  const sigHashes = findNotify(req, NotifyType.SIGNATURE_HASH_ALGORITHMS);
  if (sigHashes) sa.peerSigHashes = parseSigHashes(sigHashes.data);
  const certs = engine.policy.certificates?.(sa.local.addr);
  detectNat(engine, sa, req, new Uint8Array(8));
  const theirUsePpk = findNotify(req, NotifyType.USE_PPK);
  const usePpk = !!theirUsePpk && engine.policy.ppkPossible(sa.local.addr);
  sa.ppkNegotiated = usePpk;
  if (usePpk && theirUsePpk.data.length) sa.peerUsePpkData = theirUsePpk.data;
  const usePpkData = usePpk ? await engine.policy.usePpkData?.(sa.local.addr) : undefined;
  engine.trace(`selected proposal: IKE:${ikeSuiteName(suite)}`, sa);
  return {
    payloads: [
      saPayload([sel.proposal]), ke(suite.dh, kp.publicKe), nonce(sa.nr),
      ...natNotifies(engine, sa),
      // RFC 7296 §3.7: CERTREQ may follow in IKE_SA_INIT (strongSwan sends its certificate only when asked)
      ...(certs?.certReq?.length ? [{ type: PayloadType.CERTREQ, encoding: CERT_X509_SIGNATURE, data: certs.certReq } as Payload] : []),
      notify(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED),
      ...(certs ? [notify(NotifyType.SIGNATURE_HASH_ALGORITHMS, sigHashNotifyData())] : []),
      ...(usePpk ? [notify(NotifyType.USE_PPK, usePpkData)] : []),
    ],
  };
}
