// IKE_AUTH with shared keys or RSA certificates (RFC 7296 §1.2, §2.15; RFC 7427 method 14 or method 1)
// creating the first Child SA, with RFC 8784 PPK:
//
//   Initiator                                   Responder
//   HDR, SK {IDi, [CERT+], [N(INITIAL_CONTACT)], [CERTREQ], AUTH, SAi2, TSi, TSr,
//            [N(PPK_IDENTITY), [N(NO_PPK_AUTH)]]}  -->
//                                         <--  HDR, SK {IDr, [CERT+], AUTH, SAr2, TSi, TSr, [N(PPK_IDENTITY)]}
//
// Certificates: CERT payloads (encoding 4, leaf first) are validated against the profile's trustpoint
// (src/pki validateChain), the peer's ID must be in the leaf's subjectAltName (identityMatches, RFC 4945
// §3.1), and AUTH must verify with the leaf's key. With a PPK the signature covers the octets built with the
// PPK's SK_p; NO_PPK_AUTH carries the same AUTH data format signed over the octets with SK_p'. src/pki
// (@peculiar/x509) is loaded only when a certificate is actually checked.
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
import { chooseSigHash, sigHashNames, signatureAuth, verifySignatureAuth } from '../auth-sig.js';
import { platform, type RsaPublicKey } from '../../crypto/platform.js';
import { IdType } from '../codec/constants.js';
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

/** The octets an AUTH payload signs (§2.15): ours (`ours`) or the peer's. */
function octets(engine: IkeEngine, sa: IkeSa, skP: Bytes, ours: boolean): Bytes {
  const alg = prfAlg(sa.suite!);
  const id = ours ? sa.localId! : sa.remoteId!;
  // the initiator signs its request and Nr; the responder its response and Ni
  const initiatorSide = ours === sa.initiator;
  const msg = initiatorSide ? sa.initRequest! : sa.initResponse!;
  const peerNonce = initiatorSide ? sa.nr! : sa.ni!;
  return signedOctets(engine.core, alg, msg, peerNonce, skP, id.type, id.data);
}

/** RFC 7296 §3.6 Certificate Encoding 4: X.509 Certificate - Signature. */
const X509_SIGNATURE = 4;

/** How we compute our AUTH data (and NO_PPK_AUTH) for one IKE SA. */
interface Signer { method: number; what: string; sign(skP: Bytes): Promise<Bytes> }

function localSigner(engine: IkeEngine, sa: IkeSa, plan: AuthPlan): Signer | { error: string } {
  if ((plan.auth ?? 'psk') === 'psk') {
    const psk = plan.pskSign;
    if (!psk) return { error: `no pre-shared key for peer ${sa.remote.addr} in profile ${plan.profile}` };
    return { method: AuthMethod.SHARED_KEY_MIC, what: 'pre-shared key', sign: async (skP) => pskAuth(engine.core, prfAlg(sa.suite!), psk, octets(engine, sa, skP, true)) };
  }
  const cert = plan.cert;
  if (!cert?.chain.length) return { error: `no certificate and key for profile ${plan.profile} (authentication local rsa-signature)` };
  let method: 1 | 14 = plan.authMethod ?? 14;
  let hash = plan.sigHash ?? 'sha256';
  const scheme = plan.sigScheme ?? 'pkcs1';
  if (method === 14) {
    const chosen = chooseSigHash(hash, sa.peerSigHashes);
    if (!chosen) {
      engine.trace(sa.peerSigHashes
        ? `peer's SIGNATURE_HASH_ALGORITHMS (${sigHashNames(sa.peerSigHashes)}) has no SHA-2 hash of ours: signing with RSA method 1 (SHA-1)`
        : 'peer sent no SIGNATURE_HASH_ALGORITHMS: signing with RSA method 1 (SHA-1), RFC 7427 §4', sa);
      method = 1;
    } else {
      if (chosen !== hash) engine.trace(`peer does not announce ${hash} (SIGNATURE_HASH_ALGORITHMS: ${sigHashNames(sa.peerSigHashes!)}): signing with ${chosen}`, sa);
      hash = chosen;
    }
  }
  const what = method === 1 ? 'RSA signature with SHA-1 (method 1)'
    : `${scheme === 'pss' ? 'RSA_EMSA_PSS' : 'RSA_EMSA_PKCS1'}_${hash.replace('sha', 'SHA2_')} (method 14)`;
  return { method, what, sign: (skP) => signatureAuth(cert.key, method, hash, scheme, octets(engine, sa, skP, true)) };
}

function certPayloads(plan: AuthPlan): Payload[] {
  if (plan.auth !== 'rsa-signature' || !plan.cert) return [];
  return plan.cert.chain.map((c) => ({ type: PayloadType.CERT, encoding: X509_SIGNATURE, data: c.der }) as Payload);
}

function certReqPayloads(plan: AuthPlan): Payload[] {
  if (plan.verify !== 'rsa-signature' || !plan.trustpoint) return [];
  const data = plan.trustpoint.certReqHashes();
  return data.length ? [{ type: PayloadType.CERTREQ, encoding: X509_SIGNATURE, data } as Payload] : [];
}

/** After an await: the SA may have been deleted meanwhile (the compiler's narrowing does not know). */
const isDead = (sa: IkeSa): boolean => sa.state === 'dead';

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The peer's certificate (CERT payloads of `msg`): chain validated against the trustpoint, the peer's ID in
 * the leaf, and the leaf's public key. Errors are sentences for the trace.
 */
async function peerCertificate(engine: IkeEngine, sa: IkeSa, plan: AuthPlan, msg: Payload[], idName: 'IDi' | 'IDr'):
  Promise<{ key: RsaPublicKey; anchor: string } | { error: string }> {
  const who = identityText(sa.remoteId);
  const certs = msg.filter((p) => p.type === PayloadType.CERT) as { encoding: number; data: Bytes }[];
  if (!certs.length) return { error: `no certificate received from ${who}` };
  const unsupported = certs.find((c) => c.encoding !== X509_SIGNATURE);
  if (unsupported) return { error: `certificate encoding ${unsupported.encoding} from ${who} is not supported (only X.509 Certificate - Signature, 4)` };
  if (!plan.trustpoint) return { error: `profile ${plan.profile} has no trustpoint to verify the certificate of ${who}` };
  const [{ parseCertificate }, { validateChain, identityMatches }] = await Promise.all([
    import('../../pki/certificate.js'), import('../../pki/trustpoint.js')]);
  let leaf, rest;
  try {
    [leaf, ...rest] = await Promise.all(certs.map((c) => parseCertificate(c.data)));
  } catch (e) {
    return { error: `certificate of ${who} cannot be parsed: ${(e as Error).message.replace(/^pki: /, '')}` };
  }
  const chain = await validateChain(leaf, rest, plan.trustpoint, new Date(engine.now));
  if (!chain.ok) {
    const own = chain.subject === leaf.subject;
    switch (chain.code) {
      case 'expired': return { error: own ? `certificate of ${who} expired ${day(leaf.notAfter)}: ${chain.reason}` : `certificate chain of ${who}: ${chain.reason}` };
      case 'not-yet-valid': return { error: own ? `certificate of ${who} not valid before ${day(leaf.notBefore)}: ${chain.reason}` : `certificate chain of ${who}: ${chain.reason}` };
      case 'unknown-issuer': case 'no-trust-anchor':
        return { error: `certificate of ${who} is from an unknown CA (trustpoint ${plan.trustpoint.name}): ${chain.reason}` };
      default: return { error: `certificate of ${who} not accepted (${chain.code}): ${chain.reason}` };
    }
  }
  const want = certIdentity(sa.remoteId!);
  if (!want) return { error: `${idName} ${who}: this identity type cannot be checked against a certificate` };
  const m = identityMatches(leaf, want);
  if (!m.ok) return { error: `${idName} ${who} not in the certificate's SAN: ${m.reason}` };
  let key: RsaPublicKey;
  try { key = await platform().rsaImportPublic(leaf.spki); } catch (e) {
    return { error: `public key of '${leaf.subject}' refused: ${(e as Error).message}` };
  }
  const anchor = chain.path[chain.path.length - 1];
  return { key, anchor: anchor.subject };
}

/** An ID payload's identity in the form the certificate checks take (RFC 4945 §3.1); undefined for other types. */
function certIdentity(id: { type: number; data: Bytes }) {
  const text = new TextDecoder().decode(id.data);
  return id.type === IdType.FQDN ? { type: 'fqdn' as const, name: text }
    : id.type === IdType.IPV4_ADDR && id.data.length === 4 ? { type: 'ipv4' as const, address: [...id.data].join('.') }
      : id.type === IdType.RFC822_ADDR ? { type: 'email' as const, address: text }
        : id.type === IdType.DER_ASN1_DN ? { type: 'dn' as const, dn: id.data } : undefined;
}

/**
 * Our own identity checked against our own certificate before we sign with it: a peer that checks the SAN
 * (strongSwan does, RFC 4945 §3.1) refuses an identity the certificate does not carry, and says so only in its
 * own log. The trace says it here, where the operator can fix `identity local`. A warning, not a refusal.
 */
async function checkOwnIdentity(engine: IkeEngine, sa: IkeSa, plan: AuthPlan): Promise<void> {
  const leaf = plan.auth === 'rsa-signature' ? plan.cert?.chain[0] : undefined;
  const want = leaf && certIdentity(plan.localId);
  if (!leaf || !want) return;
  const { identityMatches } = await import('../../pki/trustpoint.js');
  const m = identityMatches(leaf, want);
  if (!m.ok) engine.trace(`warning: our identity ${identityText(plan.localId)} is not in our own certificate (${m.reason}); the peer will likely refuse it — set identity local to a name the certificate carries`, sa);
}

/** Which authentication the peer's AUTH method asks for, refused when the profile wants the other. */
function methodProblem(plan: AuthPlan, method: number, who: string): string | undefined {
  const want = plan.verify ?? 'psk';
  if (method === AuthMethod.SHARED_KEY_MIC) {
    if (want !== 'psk') return `${who} uses pre-shared key authentication, profile ${plan.profile} expects rsa-signature`;
    if (!plan.pskVerify) return `no pre-shared key for ${who} in profile ${plan.profile}`;
    return undefined;
  }
  if (method === AuthMethod.RSA_SIG || method === AuthMethod.DIGITAL_SIGNATURE) {
    return want === 'rsa-signature' ? undefined : `peer uses auth method ${method}, profile ${plan.profile} expects pre-shared key`;
  }
  return `peer uses auth method ${method}, which is not supported (pre-shared key 2, RSA signature 1, Digital Signature 14)`;
}

/** Verify the peer's AUTH data (or NO_PPK_AUTH) of `method` with `skP`; a reason when it does not verify. */
async function verifyPeerAuth(engine: IkeEngine, sa: IkeSa, plan: AuthPlan, method: number, data: Bytes, skP: Bytes,
  key: RsaPublicKey | undefined): Promise<{ ok: true; what: string } | { ok: false; reason: string }> {
  const o = octets(engine, sa, skP, false);
  if (method === AuthMethod.SHARED_KEY_MIC) {
    return verifyPskAuth(engine.core, prfAlg(sa.suite!), plan.pskVerify!, o, data) ? { ok: true, what: 'pre-shared key' } : { ok: false, reason: '' };
  }
  const r = await verifySignatureAuth(key!, method, data, o);
  return r.ok ? { ok: true, what: r.algorithm } : { ok: false, reason: r.reason };
}

/**
 * INITIAL_CONTACT is sent when we have no established SA with the peer (§2.4). A half-open one does not
 * count: a peer-initiated SA that never completed (or completed only on the peer's side) must not stop us
 * from telling the peer to drop what it still holds. The simultaneous case is handled where it is received
 * (initialContact: only SAs established before this SA's IKE_SA_INIT arrived are stale).
 */
function firstContact(engine: IkeEngine, sa: IkeSa): boolean {
  return !engine.contacted.has(sa.remote.addr);
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
  const signer = localSigner(engine, sa, plan);
  if ('error' in signer) { fail(signer.error); return; }
  await checkOwnIdentity(engine, sa, plan);
  if (isDead(sa)) return;
  const usePpk = sa.ppkNegotiated && !!sa.ppkKeys;
  const keys = usePpk ? sa.ppkKeys! : sa.noPpkKeys!;
  const spiIn = engine.newEspSpi();
  let authData: Bytes, noPpkAuth: Bytes | undefined;
  try {
    authData = await signer.sign(keys.skPi);
    if (usePpk && !plan.ppk!.required) noPpkAuth = await signer.sign(sa.noPpkKeys!.skPi);
  } catch (e) {
    if (sa.state !== 'dead') fail(`IKE_AUTH: signing failed: ${(e as Error).message}`);
    return;
  }
  if (isDead(sa)) return;
  if (signer.method !== AuthMethod.SHARED_KEY_MIC) engine.trace(`authentication of '${identityText(plan.localId)}' (myself) with ${signer.what} successful`, sa);
  const payloads: Payload[] = [
    idi(plan.localId),
    ...certPayloads(plan),
    ...(firstContact(engine, sa) ? [notify(NotifyType.INITIAL_CONTACT)] : []),
    ...certReqPayloads(plan),
    auth(signer.method, authData),
    saPayload(espOffer(plan.espProposals, spiBytes(spiIn), undefined)),
    tsi([ANY_V4]), tsr([ANY_V4]),
  ];
  if (usePpk) {
    payloads.push(notify(NotifyType.PPK_IDENTITY, ppkIdentity(plan.ppk!.id)));
    if (noPpkAuth) payloads.push(notify(NotifyType.NO_PPK_AUTH, noPpkAuth));
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
  const who = identityText(sa.remoteId);
  const idProblem = plan.checkRemoteId?.(peerIdentity(sa.remoteId));
  if (idProblem) { await authFailedAfter(engine, sa, idProblem); return; }
  const mp = methodProblem(plan, authP.method, who);
  if (mp) { await authFailedAfter(engine, sa, `AUTHENTICATION_FAILED: ${mp}`); return; }
  let peerKey: RsaPublicKey | undefined;
  if (authP.method !== AuthMethod.SHARED_KEY_MIC) {
    const pc = await peerCertificate(engine, sa, plan, resp, 'IDr');
    if (isDead(sa)) return;
    if ('error' in pc) { await authFailedAfter(engine, sa, `AUTHENTICATION_FAILED: ${pc.error}`); return; }
    engine.trace(`using trusted ca certificate "${pc.anchor}"`, sa);
    peerKey = pc.key;
  }
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
  const v = await verifyPeerAuth(engine, sa, plan, authP.method, authP.data, sa.keys!.skPr, peerKey);
  if (isDead(sa)) return;
  if (!v.ok) {
    await authFailedAfter(engine, sa, authP.method === AuthMethod.SHARED_KEY_MIC
      ? `AUTHENTICATION_FAILED: the AUTH payload of ${who} does not verify (pre-shared key mismatch)`
      : `AUTHENTICATION_FAILED: the AUTH payload of ${who}: ${v.reason}`);
    return;
  }
  if (authP.method !== AuthMethod.SHARED_KEY_MIC) engine.trace(`authentication of '${who}' with ${v.what} successful`, sa);
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
  const who = identityText(sa.remoteId);
  const mp = methodProblem(plan, authP.method, who);
  if (mp) return authFailed(`AUTHENTICATION_FAILED: ${mp}`);
  const signer = localSigner(engine, sa, plan);
  if ('error' in signer) return authFailed(`AUTHENTICATION_FAILED: ${signer.error}`);
  await checkOwnIdentity(engine, sa, plan);
  let peerKey: RsaPublicKey | undefined;
  if (authP.method !== AuthMethod.SHARED_KEY_MIC) {
    const pc = await peerCertificate(engine, sa, plan, req, 'IDi');
    if ('error' in pc) return authFailed(`AUTHENTICATION_FAILED: ${pc.error}`);
    engine.trace(`using trusted ca certificate "${pc.anchor}"`, sa);
    peerKey = pc.key;
  }

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
  const v = await verifyPeerAuth(engine, sa, plan, authP.method, authToCheck, skPi, peerKey);
  if (!v.ok) {
    return authFailed(authP.method === AuthMethod.SHARED_KEY_MIC
      ? `AUTHENTICATION_FAILED: the AUTH payload of ${who} does not verify (${usePpk ? 'pre-shared key or PPK' : 'pre-shared key'} mismatch)`
      : `AUTHENTICATION_FAILED: the ${authToCheck === authP.data ? 'AUTH payload' : 'NO_PPK_AUTH'} of ${who}: ${v.reason}${usePpk ? ' (with the PPK)' : ''}`);
  }
  if (authP.method !== AuthMethod.SHARED_KEY_MIC) engine.trace(`authentication of '${who}' with ${v.what} successful`, sa);
  sa.settleKeys(usePpk);
  if (usePpk) sa.ppkUsed = plan.ppk!.kind;
  if (findNotify(req, NotifyType.INITIAL_CONTACT)) initialContact(engine, sa);
  let ourAuth: Bytes;
  try { ourAuth = await signer.sign(sa.keys!.skPr); } catch (e) {
    return authFailed(`AUTHENTICATION_FAILED: signing failed: ${(e as Error).message}`);
  }
  if (signer.method !== AuthMethod.SHARED_KEY_MIC) engine.trace(`authentication of '${identityText(plan.localId)}' (myself) with ${signer.what} successful`, sa);
  const resp: Payload[] = [idr(plan.localId), ...certPayloads(plan), auth(signer.method, ourAuth)];
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
 * Only SAs established before this one's IKE_SA_INIT arrived: one that came up since was authenticated by
 * the peer after whatever restart it is reporting (both ends initiating at once: the other end's SA).
 */
function initialContact(engine: IkeEngine, sa: IkeSa): void {
  for (const other of engine.list()) {
    if (other === sa || other.state === 'dead' || other.remote.addr !== sa.remote.addr || !other.remoteId) continue;
    if (other.establishedAt === undefined || other.establishedAt >= sa.createdAt) continue;
    if (other.remoteId.type !== sa.remoteId!.type || !equalBytes(other.remoteId.data, sa.remoteId!.data)) continue;
    engine.remove(other, `INITIAL_CONTACT from ${identityText(sa.remoteId)}: the peer restarted`);
  }
}

function equalBytes(a: Bytes, b: Bytes): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export { spiNumber };
