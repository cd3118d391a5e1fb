// The browser lab's key server (issue [5/5]) in its own module Web Worker: the two SKIP Key Providers of
// src/skip (KP_A ═ QKD link ═ KP_B, src/lab/key-source.ts), written against Request/Response and reached
// by the router workers through the same fetch-style interface they use in Node — and the lab's one
// certification authority (src/pki/lab-ca.ts), which both routers trust and enrol with:
//
//   page ── comlink (connect, control, connectCa, caMaterial, restoreCa) ──▶ kme worker
//                     kme worker ◀── MessagePort ── router worker A (keySourceFetch)   ◀── MessagePort ── A (labCa)
//                                ◀── MessagePort ── router worker B                    ◀── MessagePort ── B
//
// The page creates MessageChannels and transfers one end here and the other into a router worker;
// requests and replies cross those channels only — SKIP keys and the private keys of issued certificates
// never pass through the page. The CA is made on the first request (RSA 3072 takes a moment) or restored
// from the lab's saved material; its own material goes to the page only to be saved (caMaterial).
// The page follows the key source through onStatus: the status after every control, and after key requests
// at most every STATUS_THROTTLE_MS (counters only, never keys) — the lab's "Key sources" panel shows it.
import * as Comlink from 'comlink';
import { LabKeySource } from '../../lab/key-source.js';
import type {
  KeySourceAction, KeySourceRequest, KeySourceStatus, KmeWorkerApi, LabCaReply, LabCaRequest, RouterName,
} from '../../lab/protocol.js';
import type { LabCa, LabCaMaterial } from '../../pki/lab-ca.js';

/** Key requests come in bursts (a rekey, retries): one status push per this many ms at most. */
const STATUS_THROTTLE_MS = 100;

class KmeHost implements KmeWorkerApi {
  private readonly source = new LabKeySource();
  private statusCb?: (status: KeySourceStatus) => void;
  private statusTimer?: ReturnType<typeof setTimeout>;
  private readonly ports = new Map<RouterName, MessagePort>();
  private readonly caPorts = new Map<RouterName, MessagePort>();
  private ca?: Promise<LabCa>;

  connect(router: RouterName, port: MessagePort): void {
    this.ports.get(router)?.close();
    this.ports.set(router, port);
    port.onmessage = (ev: MessageEvent<KeySourceRequest>) => {
      const req = ev.data;
      if (!req || typeof req.id !== 'number' || typeof req.url !== 'string') return;
      void this.source.handle({ id: req.id, url: req.url, method: typeof req.method === 'string' ? req.method : 'GET' })
        .then((reply) => { port.postMessage(reply); this.changed(); });
    };
    port.start();
  }

  async control(action: KeySourceAction): Promise<KeySourceStatus> {
    const status = await this.source.control(action);
    if (action.op !== 'status') this.push(status);
    return status;
  }

  onStatus(cb: (status: KeySourceStatus) => void): void { this.statusCb = cb; }

  private push(status: KeySourceStatus): void {
    // a comlink proxy answers with a promise: a page that went away rejects it
    const cb = this.statusCb;
    if (cb) void Promise.resolve().then(() => cb(status)).catch(() => {});
  }

  /** A key request was answered: the counters moved; one push for a burst. */
  private changed(): void {
    if (!this.statusCb || this.statusTimer !== undefined) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = undefined;
      void this.source.status().then((s) => this.push(s), () => {});
    }, STATUS_THROTTLE_MS);
  }

  // ---------------------------------------------------------------- the lab CA

  /** The CA, made on first use (the pki code loads lazily: a lab without certificates never pays for it). */
  private labCa(): Promise<LabCa> {
    if (!this.ca) {
      const made = import('../../pki/lab-ca.js').then(({ LabCa }) => LabCa.create());
      this.ca = made;
      made.catch(() => { if (this.ca === made) this.ca = undefined; }); // the next request tries again
    }
    return this.ca;
  }

  connectCa(router: RouterName, port: MessagePort): void {
    this.caPorts.get(router)?.close();
    this.caPorts.set(router, port);
    port.onmessage = (ev: MessageEvent<LabCaRequest>) => {
      const req = ev.data;
      if (!req || typeof req.id !== 'number') return;
      void this.answer(req).then((reply) => port.postMessage(reply));
    };
    port.start();
  }

  private async answer(req: LabCaRequest): Promise<LabCaReply> {
    try {
      const ca = await this.labCa();
      if (req.op === 'certificate') return { id: req.id, certificatePem: ca.certificatePem };
      if (req.op === 'issue' && typeof req.fqdn === 'string') {
        const ipv4 = Array.isArray(req.ipv4) ? req.ipv4.filter((a) => typeof a === 'string') : undefined;
        const issued = await ca.issue({ fqdn: req.fqdn, ipv4, now: new Date(typeof req.now === 'number' ? req.now : Date.now()) });
        return { id: req.id, certificatePem: issued.certificatePem, privateKeyPem: issued.privateKeyPem };
      }
      return { id: req.id, error: 'lab CA: unknown request' };
    } catch (e) {
      return { id: req.id, error: (e as Error).message };
    }
  }

  async caMaterial(): Promise<LabCaMaterial | undefined> {
    const ca = await this.ca?.catch(() => undefined);
    return ca?.material();
  }

  async restoreCa(material: LabCaMaterial): Promise<string | undefined> {
    const { LabCa } = await import('../../pki/lab-ca.js');
    try {
      const ca = await LabCa.fromMaterial(material);
      this.ca = Promise.resolve(ca);
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  }
}

export type { KmeWorkerApi };
Comlink.expose(new KmeHost());
