// The exchange manager of one IKE SA (RFC 7296 §2.1–§2.3): it owns the message IDs in both directions,
// keeps a window of one outstanding request, retransmits it with exponential back-off until the response
// arrives or it gives up, answers a retransmitted request with the cached response, and queues further
// requests in order. Tasks (tasks/*.ts) only say what to send and what to do with the answer:
//
//   const resp = await sa.manager.request(CREATE_CHILD_SA, [SA, Ni, TSi, TSr])   // initiator side
//   sa.manager.onRequest = async (exchange, payloads) => responsePayloads         // responder side
import type { Payload } from './codec/types.js';
import type { TimeSource, TimerHandle } from '../util/clock.js';

/** Retransmission schedule: strongSwan's defaults (4 s, ×1.8, 5 retransmits, ~165 s in all). */
export interface RetransmitPolicy { timeoutMs: number; base: number; tries: number }
export const DEFAULT_RETRANSMIT: RetransmitPolicy = { timeoutMs: 4000, base: 1.8, tries: 5 };

export class ExchangeTimeout extends Error {
  constructor(readonly exchange: number, readonly messageId: number, readonly tries: number) {
    super(`no response to message ${messageId} after ${tries} retransmissions`);
  }
}
export class ExchangeAborted extends Error {}

/** How a message leaves: the SA encodes (and encrypts) it into one or more datagrams. */
export interface ManagerIo {
  encode(exchange: number, response: boolean, messageId: number, payloads: Payload[]): Bytes[];
  transmit(datagrams: Bytes[], retransmission: boolean): void;
  onGiveUp(err: ExchangeTimeout): void;
}
type Bytes = Uint8Array;

interface Pending {
  exchange: number;
  payloads: Payload[];
  resolve: (p: Payload[]) => void;
  reject: (e: Error) => void;
  /** This request's own schedule (a DPD request retries at the `dpd` retry interval). */
  policy?: RetransmitPolicy;
}

interface InFlight extends Pending { id: number; datagrams: Bytes[]; tries: number; timer?: TimerHandle }

export class ExchangeManager {
  /** Next message ID we send a request with. */
  nextRequestId = 0;
  /** Message ID of the next request we expect from the peer. */
  expectedRequestId = 0;
  private inflight?: InFlight;
  private readonly queue: Pending[] = [];
  private lastResponse?: { id: number; datagrams: Bytes[] };
  private busy = false;   // a request of the peer is being processed
  private closed = false;
  /** Set by the owner: answers a request of the peer (throw nothing: return an error notify). */
  onRequest?: (exchange: number, payloads: Payload[], messageId: number) => Promise<Payload[]>;
  retransmitted = 0;

  constructor(private readonly time: TimeSource, private readonly io: ManagerIo,
    private readonly policy: RetransmitPolicy = DEFAULT_RETRANSMIT) {}

  /** Queue a request; resolves with the response's payloads (decrypted). `policy` overrides the SA's schedule for it. */
  request(exchange: number, payloads: Payload[], policy?: RetransmitPolicy): Promise<Payload[]> {
    if (this.closed) return Promise.reject(new ExchangeAborted('IKE SA closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ exchange, payloads, resolve, reject, policy });
      this.pump();
    });
  }

  get idle(): boolean { return !this.inflight && this.queue.length === 0; }
  get outstanding(): { exchange: number; id: number } | undefined {
    return this.inflight && { exchange: this.inflight.exchange, id: this.inflight.id };
  }

  private pump(): void {
    if (this.inflight || this.closed) return;
    const next = this.queue.shift();
    if (!next) return;
    const id = this.nextRequestId++;
    let datagrams: Bytes[];
    try { datagrams = this.io.encode(next.exchange, false, id, next.payloads); } catch (e) {
      next.reject(e as Error);
      this.pump();
      return;
    }
    this.inflight = { ...next, id, datagrams, tries: 0 };
    this.io.transmit(datagrams, false);
    this.arm();
  }

  private arm(): void {
    const f = this.inflight!;
    const p = f.policy ?? this.policy;
    const wait = p.timeoutMs * p.base ** f.tries;
    f.timer = this.time.setTimeout(() => this.retransmit(), wait);
  }

  private retransmit(): void {
    const f = this.inflight;
    if (!f) return;
    if (f.tries >= (f.policy ?? this.policy).tries) {
      this.inflight = undefined;
      const err = new ExchangeTimeout(f.exchange, f.id, f.tries);
      f.reject(err);
      this.io.onGiveUp(err);
      return;
    }
    f.tries++;
    this.retransmitted++;
    this.io.transmit(f.datagrams, true);
    this.arm();
  }

  /** A response arrived (already authenticated and decrypted by the SA). False if it was not expected. */
  response(messageId: number, payloads: Payload[]): boolean {
    const f = this.inflight;
    if (!f || f.id !== messageId) return false;
    this.time.clearTimeout(f.timer);
    this.inflight = undefined;
    f.resolve(payloads);
    this.pump();
    return true;
  }

  /** Whether a response with this ID would be accepted (checked before the costly decrypt). */
  wantsResponse(messageId: number): boolean { return this.inflight?.id === messageId; }

  /**
   * Classify a request's message ID before decrypting: 'new' to process, 'retransmit' when it repeats
   * the last request (the cached response is sent again), 'drop' otherwise (§2.3).
   */
  classifyRequest(messageId: number): 'new' | 'retransmit' | 'drop' {
    if (messageId === this.expectedRequestId && !this.busy && this.accepted !== messageId) return 'new';
    if (this.lastResponse && messageId === this.lastResponse.id) return 'retransmit';
    return 'drop';
  }

  /** A request was accepted for processing (queued): a copy arriving before it is handled is a duplicate. */
  accept(messageId: number): void { this.accepted = messageId; }
  private accepted = -1;

  resendLastResponse(): void {
    if (this.lastResponse) this.io.transmit(this.lastResponse.datagrams, true);
  }

  /** Process a new request of the peer and send (and cache) the response. */
  async handleRequest(exchange: number, messageId: number, payloads: Payload[]): Promise<void> {
    if (!this.onRequest) return;
    this.busy = true;
    try {
      const resp = await this.onRequest(exchange, payloads, messageId);
      if (this.closed && exchange !== 37) return;
      const datagrams = this.io.encode(exchange, true, messageId, resp);
      this.lastResponse = { id: messageId, datagrams };
      this.expectedRequestId = messageId + 1;
      this.io.transmit(datagrams, false);
    } finally {
      this.busy = false;
      this.accepted = -1;
    }
  }

  /** Stop: pending and queued requests fail, timers stop. */
  close(reason = 'IKE SA closed'): void {
    this.closed = true;
    if (this.inflight) {
      this.time.clearTimeout(this.inflight.timer);
      this.inflight.reject(new ExchangeAborted(reason));
      this.inflight = undefined;
    }
    for (const q of this.queue.splice(0)) q.reject(new ExchangeAborted(reason));
  }

  get isClosed(): boolean { return this.closed; }
}
