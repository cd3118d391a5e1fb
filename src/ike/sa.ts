// One IKE SA (RFC 7296 §1–§2): its SPIs, endpoints, negotiated suite and keys, the SK payload protection
// of its messages (§3.14), its exchange manager and its Child SAs. The IKE SA is the single owner of all of
// them: the engine drives it from one event loop, and dispose() wipes every key it holds.
import type { Core } from '../crypto/core.js';
import { type Bytes, hex } from '../crypto/bytes.js';
import type { Random } from '../crypto/random.js';
import { type IkeKeys, ikeKeys, ppkMix, skeyseed, wipeKeys } from '../crypto/kdf.js';
import type { TimeSource, TimerHandle } from '../util/clock.js';
import { ExchangeType } from './codec/constants.js';
import { encodeMessage } from './codec/message.js';
import { Reassembler, SkCipher, openMessage, sealFragments, sealMessage } from './codec/sk.js';
import type { IkeMessage, Payload, Decoded } from './codec/types.js';
import { type IkeSuite, ikeKeyLengths, prfAlg, skSuite } from './proposals.js';
import { ExchangeManager, type ExchangeTimeout, type RetransmitPolicy } from './manager.js';
import type { ChildSa } from './child.js';
import type { AuthPlan } from './plan.js';

export interface Endpoint { addr: string; port: number }

export type IkeState = 'connecting' | 'established' | 'rekeying' | 'rekeyed' | 'deleting' | 'dead';

/** What an IKE SA needs from its engine. */
export interface SaContext {
  core: Core;
  time: TimeSource;
  random: Random;
  /** Send one IKE message (the engine adds the non-ESP marker on port 4500). */
  send(from: Endpoint, to: Endpoint, message: Bytes): void;
  retransmit?: RetransmitPolicy;
  onGiveUp(sa: IkeSa, err: ExchangeTimeout): void;
  /** A message sent again (retransmitted request, or the cached response to a retransmitted request). */
  onRetransmit?(sa: IkeSa, message: Bytes): void;
  /** Every message this SA generates (for the trace and the lab's ladder), with its encoding. */
  onEncode?(sa: IkeSa, h: { exchange: number; response: boolean; messageId: number }, payloads: Payload[], message: Bytes): void;
  /** A message sent as RFC 7383 fragments (after onEncode with the whole message): for the trace. */
  onFragments?(sa: IkeSa, h: { exchange: number; response: boolean; messageId: number }, fragments: Bytes[], message: Bytes): void;
}

/** strongSwan's charon.fragment_size default: the IPv4 packet carrying a fragment. */
export const DEFAULT_FRAGMENT_SIZE = 1280;
/** IPv4 + UDP headers + the non-ESP marker (RFC 3948) in front of an IKE message on UDP 4500. */
const PACKET_OVERHEAD = 20 + 8 + 4;

let nextSaId = 1;

export interface Identity { type: number; data: Bytes }

export class IkeSa {
  readonly id = nextSaId++;
  /** Original initiator of this IKE SA (the I flag of our messages). */
  readonly initiator: boolean;
  spiI: Bytes;
  spiR: Bytes;
  local: Endpoint;
  remote: Endpoint;
  state: IkeState = 'connecting';
  suite?: IkeSuite;
  /** Keys in use (after IKE_AUTH: PPK-mixed when a PPK was used). */
  keys?: IkeKeys;
  /** Keys before RFC 8784 mixing, kept until IKE_AUTH decides which set is in use. */
  noPpkKeys?: IkeKeys;
  ppkKeys?: IkeKeys;
  ni?: Bytes;
  nr?: Bytes;
  /** The raw IKE_SA_INIT messages (AUTH signs them). */
  initRequest?: Bytes;
  initResponse?: Bytes;
  localId?: Identity;
  remoteId?: Identity;
  plan?: AuthPlan;
  /** 'manual' | 'dynamic' once IKE_AUTH completed with a PPK. */
  ppkUsed?: 'manual' | 'dynamic';
  /** Responder: the data of the initiator's USE_PPK (SKIP: its key source's system ID), for IKE_AUTH. */
  peerUsePpkData?: Bytes;
  /** Both sides sent USE_PPK in IKE_SA_INIT. */
  ppkNegotiated = false;
  /** Float to UDP 4500 (RFC 7296 §2.23): always, our ESP is UDP-encapsulated (RFC 3948). */
  natLocal = false;
  natRemote = false;
  peerFragmentation = false;
  /** The hash ids of the peer's SIGNATURE_HASH_ALGORITHMS (RFC 7427 §4); undefined: it sent none. */
  peerSigHashes?: number[];
  readonly children: ChildSa[] = [];
  readonly manager: ExchangeManager;
  readonly createdAt: number;
  establishedAt?: number;
  /** Made by an IKE SA rekey (CREATE_CHILD_SA, §2.18), not by IKE_SA_INIT + IKE_AUTH. */
  fromRekey = false;
  lifetimeSec = 86400;
  /** Timers owned by this SA (lifetimes, DPD), cleared on dispose. */
  readonly timers = new Map<string, TimerHandle>();
  /** Last time an authenticated message from the peer arrived. */
  lastHeard: number;
  /** Name of the tunnel-ip interface this SA serves. */
  tunnel?: string;
  private skOut?: SkCipher;
  private skIn?: SkCipher;
  /** A rekeyed IKE SA's successor (§2.18). */
  successor?: IkeSa;
  /** The exchange that failed and why, for show/trace. */
  failure?: string;
  /** SPIr of an IKE_SA_INIT response, until the initiator task accepts it. */
  pendingSpiR?: Bytes;
  /** Set by a responder task: delete the SA once the response is sent (auth failure, peer's Delete). */
  closeAfterResponse?: string;
  /** The peer deleted this SA while our own rekey of it was in flight: it goes when that exchange ends. */
  deletedByPeer = false;
  /** A rekey of this IKE SA by the peer that crossed ours (§2.8.2). */
  peerIkeRekey?: { ni: Bytes; nr: Bytes; sa: IkeSa };
  /** Our DH group and nonce of IKE_SA_INIT (the INVALID_KE_PAYLOAD retry changes the group). */
  dhGroup?: number;

  constructor(private readonly ctx: SaContext, opts: { initiator: boolean; spiI: Bytes; spiR?: Bytes; local: Endpoint; remote: Endpoint }) {
    this.initiator = opts.initiator;
    this.spiI = opts.spiI;
    this.spiR = opts.spiR ?? new Uint8Array(8);
    this.local = opts.local;
    this.remote = opts.remote;
    this.createdAt = ctx.time.now().getTime();
    this.lastHeard = this.createdAt;
    this.manager = new ExchangeManager(ctx.time, {
      encode: (exchange, response, messageId, payloads) => {
        const m = this.encode(exchange, response, messageId, payloads);
        ctx.onEncode?.(this, { exchange, response, messageId }, payloads, m);
        const frags = this.fragment(exchange, response, messageId, payloads, m);
        if (!frags) return [m];
        ctx.onFragments?.(this, { exchange, response, messageId }, frags, m);
        return frags;
      },
      transmit: (datagrams, again) => {
        for (const d of datagrams) {
          if (again) ctx.onRetransmit?.(this, d);
          ctx.send(this.local, this.remote, d);
        }
      },
      onGiveUp: (err) => ctx.onGiveUp(this, err),
    }, ctx.retransmit);
  }

  get core(): Core { return this.ctx.core; }
  get spiKey(): string { return spiKey(this.spiI, this.spiR); }
  get ourSpi(): Bytes { return this.initiator ? this.spiI : this.spiR; }
  get peerSpi(): Bytes { return this.initiator ? this.spiR : this.spiI; }

  /** SKEYSEED and SK_* from the IKE_SA_INIT results (§2.14), and the PPK-mixed set when a PPK is given. */
  deriveKeys(suite: IkeSuite, gir: Bytes, ppk?: Bytes): void {
    this.suite = suite;
    const alg = prfAlg(suite);
    const seed = skeyseed(this.core, alg, this.ni!, this.nr!, gir);
    this.installKeys(ikeKeys(this.core, alg, seed, this.ni!, this.nr!, this.spiI, this.spiR, ikeKeyLengths(suite)), ppk);
    seed.fill(0);
  }

  /** Install a key set (fresh or from a rekey, §2.18) and open the SK ciphers. */
  installKeys(keys: IkeKeys, ppk?: Bytes): void {
    const suite = this.suite!;
    this.noPpkKeys = keys;
    this.ppkKeys = ppk ? ppkMix(this.core, prfAlg(suite), ppk, keys) : undefined;
    this.keys = this.ppkKeys ?? keys;
    const s = skSuite(suite);
    const out = this.initiator ? { encr: keys.skEi, integ: keys.skAi } : { encr: keys.skEr, integ: keys.skAr };
    const inn = this.initiator ? { encr: keys.skEr, integ: keys.skAr } : { encr: keys.skEi, integ: keys.skAi };
    this.skOut?.dispose(); this.skIn?.dispose();
    this.skOut = new SkCipher(this.core, s, out);
    this.skIn = new SkCipher(this.core, s, inn);
  }

  /** Responder: mix the PPK in once IKE_AUTH names it (RFC 8784 §3). */
  mixPpk(ppk: Bytes): void {
    this.ppkKeys = ppkMix(this.core, prfAlg(this.suite!), ppk, this.noPpkKeys!);
  }

  /** Settle which key set IKE_AUTH ended with, and wipe the other (RFC 8784 §3). */
  settleKeys(usePpk: boolean): void {
    const [keep, drop] = usePpk ? [this.ppkKeys!, this.noPpkKeys!] : [this.noPpkKeys!, this.ppkKeys];
    if (drop) {
      // SK_e*/SK_a* are shared by both sets: wipe only what differs
      for (const k of ['skD', 'skPi', 'skPr'] as const) drop[k].fill(0);
    }
    this.keys = keep;
    this.noPpkKeys = undefined;
    this.ppkKeys = undefined;
  }

  /** Encode one of this SA's messages: IKE_SA_INIT in clear, everything else inside SK. */
  encode(exchange: number, response: boolean, messageId: number, payloads: Payload[]): Bytes {
    const h = { spiI: this.spiI, spiR: this.spiR, exchange, initiator: this.initiator, response, messageId };
    if (exchange === ExchangeType.IKE_SA_INIT) {
      const m = encodeMessage(h, payloads);
      if (response) this.initResponse = m; else this.initRequest = m;
      return m;
    }
    if (!this.skOut) throw new Error('ike: no keys to protect a message with');
    return sealMessage(this.skOut, h, payloads, this.ctx.random);
  }

  /**
   * RFC 7383 §2.5: an encrypted message too large for one packet, to a peer that announced
   * IKEV2_FRAGMENTATION_SUPPORTED, goes as SKF fragments; undefined when it fits (or may not be fragmented).
   */
  private fragment(exchange: number, response: boolean, messageId: number, payloads: Payload[], whole: Bytes): Bytes[] | undefined {
    if (exchange === ExchangeType.IKE_SA_INIT || !this.peerFragmentation || !this.skOut) return undefined;
    const size = this.plan?.fragmentSize ?? DEFAULT_FRAGMENT_SIZE;
    if (whole.length + PACKET_OVERHEAD <= size) return undefined;
    const c = this.skOut;
    // IKE header, SKF header (8), IV, ICV, up to a block of padding with its length octet
    const room = size - PACKET_OVERHEAD - 28 - 8 - c.ivLen - c.icvLen - c.blockLen;
    if (room < 64) return undefined;
    const h = { spiI: this.spiI, spiR: this.spiR, exchange, initiator: this.initiator, response, messageId };
    return sealFragments(c, h, payloads, this.ctx.random, room);
  }

  /** Verify and decrypt a message of this SA (ICV before decryption, in constant time). */
  open(raw: Bytes, msg: IkeMessage): Decoded<Payload[]> {
    if (!this.skIn) return { ok: false, error: { reason: 'integrity', detail: 'no keys yet' } };
    return openMessage(this.skIn, raw, msg);
  }

  /** One fragment of a fragmented message (RFC 7383): Ok(undefined) until the last one arrives. */
  openFragment(r: Reassembler, raw: Bytes, msg: IkeMessage): Decoded<Payload[] | undefined> {
    if (!this.skIn) return { ok: false, error: { reason: 'integrity', detail: 'no keys yet' } };
    const res = r.add(this.skIn, raw, msg);
    if (!res.ok) return res;
    return { ok: true, value: res.value.done ? res.value.payloads : undefined };
  }

  setTimer(name: string, ms: number, fn: () => void): void {
    this.clearTimer(name);
    this.timers.set(name, this.ctx.time.setTimeout(() => { this.timers.delete(name); fn(); }, ms));
  }

  clearTimer(name: string): void {
    const t = this.timers.get(name);
    if (t) { this.ctx.time.clearTimeout(t); this.timers.delete(name); }
  }

  /** Wipe all keys (IKE and every Child SA) and stop timers and exchanges. */
  dispose(): void {
    this.state = 'dead';
    this.manager.close();
    for (const t of this.timers.values()) this.ctx.time.clearTimeout(t);
    this.timers.clear();
    for (const c of this.children) c.dispose();
    this.skOut?.dispose(); this.skIn?.dispose();
    this.skOut = this.skIn = undefined;
    for (const k of [this.keys, this.noPpkKeys, this.ppkKeys]) if (k) wipeKeys(k);
    this.keys = this.noPpkKeys = this.ppkKeys = undefined;
  }
}

export function spiKey(spiI: Bytes, spiR: Bytes): string { return `${hex(spiI)}:${hex(spiR)}`; }
