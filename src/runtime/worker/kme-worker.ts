// The browser lab's key server (issue [5/5]) in its own module Web Worker: the two SKIP Key Providers of
// src/skip (KP_A ═ QKD link ═ KP_B, src/lab/key-source.ts), written against Request/Response and reached
// by the router workers through the same fetch-style interface they use in Node:
//
//   page ── comlink (connect, control) ──▶ kme worker ◀── MessagePort ── router worker A (keySourceFetch)
//                                                    ◀── MessagePort ── router worker B
//
// The page creates one MessageChannel per router and transfers one end here and the other into the router
// worker; requests ({id, url, method}) and replies ({id, status, headers, body} or {id, error}) cross that
// channel only — key material never passes through the page.
import * as Comlink from 'comlink';
import { LabKeySource } from '../../lab/key-source.js';
import type { KeySourceAction, KeySourceRequest, KeySourceStatus, KmeWorkerApi, RouterName } from '../../lab/protocol.js';

class KmeHost implements KmeWorkerApi {
  private readonly source = new LabKeySource();
  private readonly ports = new Map<RouterName, MessagePort>();

  connect(router: RouterName, port: MessagePort): void {
    this.ports.get(router)?.close();
    this.ports.set(router, port);
    port.onmessage = (ev: MessageEvent<KeySourceRequest>) => {
      const req = ev.data;
      if (!req || typeof req.id !== 'number' || typeof req.url !== 'string') return;
      void this.source.handle({ id: req.id, url: req.url, method: typeof req.method === 'string' ? req.method : 'GET' })
        .then((reply) => port.postMessage(reply));
    };
    port.start();
  }

  control(action: KeySourceAction): Promise<KeySourceStatus> { return this.source.control(action); }
}

export type { KmeWorkerApi };
Comlink.expose(new KmeHost());
