// A Child SA (RFC 7296 §1.3, §2.17): the pair of ESP SAs (RFC 4303, tunnel mode) negotiated by one
// IKE_AUTH or CREATE_CHILD_SA exchange, with its traffic selectors and lifetime. The keys live in WASM
// memory inside the two EspSa objects and are wiped when the Child SA dies (dispose).
import type { Core } from '../crypto/core.js';
import { EspSa, type EspStats } from '../crypto/esp.js';
import type { ChildKeys } from '../crypto/kdf.js';
import type { TrafficSelector } from './codec/types.js';
import type { EspSuite } from './proposals.js';

export type ChildState = 'installed' | 'rekeying' | 'rekeyed' | 'deleting' | 'dead';

let nextChildId = 1;

export interface ChildSaParams {
  /** Our inbound SPI (we chose it) and the peer's (our outbound). */
  spiIn: number;
  spiOut: number;
  suite: EspSuite;
  keys: ChildKeys;
  /** Whether we were the initiator of the exchange that created this Child SA (decides which keys are ours). */
  exchangeInitiator: boolean;
  tsI: TrafficSelector[];
  tsR: TrafficSelector[];
  createdAt: number;
  lifetimeSec: number;
  /** Nonces of the creating exchange (simultaneous-rekey tie-break, RFC 7296 §2.8.1). */
  ni: Uint8Array;
  nr: Uint8Array;
  replayWindow?: number;
  /** Keep a copy of the ESP keys for the lab's ladder diagram (Router.onMessage subscribers). */
  keepKeysForLab?: boolean;
  /** PFS group of the exchange that created it (show crypto ipsec sa). */
  pfsGroup?: number;
}

export class ChildSa {
  readonly id = nextChildId++;
  readonly spiIn: number;
  readonly spiOut: number;
  readonly suite: EspSuite;
  readonly inbound: EspSa;
  readonly outbound: EspSa;
  readonly tsLocal: TrafficSelector[];
  readonly tsRemote: TrafficSelector[];
  readonly createdAt: number;
  readonly lifetimeSec: number;
  readonly ni: Uint8Array;
  readonly nr: Uint8Array;
  readonly exchangeInitiator: boolean;
  state: ChildState = 'installed';
  readonly pfsGroup?: number;
  /** When the engine will start rekeying it (ms since the epoch; show ipsec sa). */
  rekeyAt?: number;
  /** Whether our outbound traffic may use this SA yet (make-before-break on the rekey responder). */
  outboundReady = true;
  /** A rekey of this SA by the peer that crossed ours (§2.8.1): its nonces and the Child SA it made. */
  peerRekey?: { ni: Uint8Array; nr: Uint8Array; child: ChildSa };
  /** Last time a packet was received on this SA (DPD: traffic proves liveness). */
  lastInbound = 0;
  /** Copies of the keys for the browser lab's ladder (only when asked for; wiped on dispose). */
  private labKeys?: { out: { enc: Uint8Array; auth: Uint8Array }; in: { enc: Uint8Array; auth: Uint8Array } };
  /** Counters kept after dispose (show output of a dying SA). */
  private final?: { in: EspStats; out: EspStats };

  constructor(core: Core, p: ChildSaParams) {
    this.spiIn = p.spiIn; this.spiOut = p.spiOut; this.suite = p.suite;
    this.createdAt = p.createdAt; this.lifetimeSec = p.lifetimeSec; this.ni = p.ni; this.nr = p.nr;
    this.exchangeInitiator = p.exchangeInitiator;
    this.pfsGroup = p.pfsGroup;
    const mine = p.exchangeInitiator
      ? { encOut: p.keys.encrI, intOut: p.keys.integI, encIn: p.keys.encrR, intIn: p.keys.integR }
      : { encOut: p.keys.encrR, intOut: p.keys.integR, encIn: p.keys.encrI, intIn: p.keys.integI };
    const integ = p.suite.integ ?? 'none';
    const cipher = p.suite.encr;
    if (p.keepKeysForLab) this.labKeys = { out: { enc: mine.encOut.slice(), auth: mine.intOut.slice() }, in: { enc: mine.encIn.slice(), auth: mine.intIn.slice() } };
    this.outbound = new EspSa(core, { spi: p.spiOut, cipher, encKey: mine.encOut, integ, integKey: mine.intOut, replayWindow: p.replayWindow });
    this.inbound = new EspSa(core, { spi: p.spiIn, cipher, encKey: mine.encIn, integ, integKey: mine.intIn, replayWindow: p.replayWindow });
    this.tsLocal = p.exchangeInitiator ? p.tsI : p.tsR;
    this.tsRemote = p.exchangeInitiator ? p.tsR : p.tsI;
  }

  stats(): { in: EspStats; out: EspStats } {
    if (this.final) return this.final;
    return { in: this.inbound.stats(), out: this.outbound.stats() };
  }

  /** The keys of one direction, if the lab asked to keep them (empty otherwise). */
  keysFor(dir: 'in' | 'out'): { enc: Uint8Array; auth: Uint8Array } {
    return this.labKeys?.[dir] ?? { enc: new Uint8Array(0), auth: new Uint8Array(0) };
  }

  /** Wipe both ESP SAs' keys (WASM memory); the counters stay readable. */
  dispose(): void {
    if (this.final) return;
    if (this.labKeys) for (const d of [this.labKeys.in, this.labKeys.out]) { d.enc.fill(0); d.auth.fill(0); }
    this.final = this.stats();
    this.inbound.dispose();
    this.outbound.dispose();
    this.state = 'dead';
  }

  get disposed(): boolean { return !!this.final; }
}
